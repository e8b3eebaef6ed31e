"""Estimated MITI 4.2.1 global ratings for a simulated conversation.

A human coder rates the four globals (Cultivating Change Talk, Softening
Sustain Talk, Partnership, Empathy; 1-5) by listening to a whole session. A
simulated conversation has no recording, but it has what the globals are
about: what the officer did (the MITI codes of the chosen options) and how the
client's talk moved in answer (the client model's change talk, sustain talk
and discord before the first decision and after each one). Each global is the
mean of a behaviour part and a talk part, each 1-5, rounded half up to a whole
rating. With no client model (no talk), the behaviour part alone is used.
The estimate is exact arithmetic on fractions, so it is the same on every
machine, and it is always shown as an estimate.

With ``n`` coded utterances and code counts CR, SR, AF, Seek, Emph, PwP,
Persuade, Confront (``clamp`` keeps a part within 1-5)::

    Cultivating Change Talk
      behaviour  1 + 8 (CR + AF + Seek) / n - 4 (Persuade + Confront) / n
      talk       3 + (change talk at the end - at the start) / 2
    Softening Sustain Talk
      behaviour  5 - 8 (Persuade + Confront) / n
      talk       3 + (sustain talk at the start - at the end) / 2
    Partnership
      behaviour  3 + 8 (Seek + Emph + PwP / 2 - Persuade - Confront) / n
      talk       5 - (highest discord during the run) / 2
    Empathy
      behaviour  1 + 8 (CR + SR / 2) / n - 4 Confront / n
      talk       5 - (discord at the end) / 2

So about half the utterances being complex reflections, affirmations or
collaboration, with change talk rising four points, rates 5; a session of
persuasion and confrontation that left the client in discord rates 1. Each
global also names the trainee line that moved its talk measure most, so the
debrief can quote it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from engine.mechanics.client import ClientState
from scoring.report import round_half_up

TITLES: dict[str, str] = {
    "cultivating_change_talk": "Cultivating Change Talk",
    "softening_sustain_talk": "Softening Sustain Talk",
    "partnership": "Partnership",
    "empathy": "Empathy",
}
ONE, FIVE = Fraction(1), Fraction(5)


@dataclass(frozen=True)
class Move:
    """One decision as the estimate sees it: the trainee's line and its MITI codes."""

    line: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class GlobalRating:
    """One estimated global: the rating, its two parts and the line that shows it."""

    name: str
    rating: int
    behaviour: float
    talk: float | None
    example: str | None = None
    example_effect: str = ""

    @property
    def title(self) -> str:
        return TITLES[self.name]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rating": self.rating,
            "behaviour_part": self.behaviour,
            "talk_part": self.talk,
            "example": self.example,
            "example_effect": self.example_effect,
        }


@dataclass(frozen=True)
class GlobalEstimate:
    """The four estimated globals, in MITI order."""

    ratings: tuple[GlobalRating, ...]

    def as_globals(self) -> dict[str, int | None]:
        return {g.name: g.rating for g in self.ratings}

    def to_dict(self) -> dict[str, Any]:
        return {"method": "estimate", **{g.name: g.to_dict() for g in self.ratings}}


def _exact(x: float) -> Fraction:
    """A talk value as an exact fraction at a millionth; stored and live values agree."""
    return Fraction(round(Fraction(x) * 1_000_000), 1_000_000)


def talk_value(x: float) -> float:
    """A talk value as a session log or score stores it (see :func:`_exact`)."""
    return float(_exact(x))


def _clamp(x: Fraction) -> Fraction:
    return min(max(x, ONE), FIVE)


def _behaviour(c: Mapping[str, int], n: int) -> dict[str, Fraction]:
    cr, sr = c.get("complex_reflection", 0), c.get("simple_reflection", 0)
    af, seek = c.get("affirm", 0), c.get("seeking_collaboration", 0)
    emph, pwp = c.get("emphasizing_autonomy", 0), c.get("persuade_with_permission", 0)
    push = c.get("persuade", 0) + c.get("confront", 0)
    confront = c.get("confront", 0)
    return {
        "cultivating_change_talk": _clamp(1 + Fraction(8 * (cr + af + seek) - 4 * push, n)),
        "softening_sustain_talk": _clamp(5 - Fraction(8 * push, n)),
        "partnership": _clamp(3 + Fraction(16 * (seek + emph) + 8 * pwp - 16 * push, 2 * n)),
        "empathy": _clamp(1 + Fraction(16 * cr + 8 * sr - 8 * confront, 2 * n)),
    }


def _talk(talk: Sequence[ClientState]) -> dict[str, Fraction]:
    first, last = talk[0], talk[-1]
    peak = max(_exact(s.discord) for s in talk)
    return {
        "cultivating_change_talk": _clamp(
            3 + (_exact(last.change_talk) - _exact(first.change_talk)) / 2
        ),
        "softening_sustain_talk": _clamp(
            3 + (_exact(first.sustain_talk) - _exact(last.sustain_talk)) / 2
        ),
        "partnership": _clamp(5 - peak / 2),
        "empathy": _clamp(5 - _exact(last.discord) / 2),
    }


def _more_change_talk(a: ClientState, b: ClientState) -> float:
    return b.change_talk - a.change_talk


def _less_sustain_talk(a: ClientState, b: ClientState) -> float:
    return a.sustain_talk - b.sustain_talk


def _less_discord(a: ClientState, b: ClientState) -> float:
    return a.discord - b.discord


# How each global reads one decision's effect on the client (higher is better).
_MEASURES: dict[str, tuple[str, Callable[[ClientState, ClientState], float]]] = {
    "cultivating_change_talk": ("change talk", _more_change_talk),
    "softening_sustain_talk": ("sustain talk", _less_sustain_talk),
    "partnership": ("discord", _less_discord),
    "empathy": ("discord", _less_discord),
}
# The codes an example line must carry: for a rating of 3 or more, one of the
# behaviours the global rewards; below 3, persuasion or confrontation.
_GOOD_CODES = {
    "cultivating_change_talk": {"complex_reflection", "affirm", "seeking_collaboration"},
    "softening_sustain_talk": {"complex_reflection", "simple_reflection", "emphasizing_autonomy"},
    "partnership": {"seeking_collaboration", "emphasizing_autonomy", "persuade_with_permission"},
    "empathy": {"complex_reflection", "simple_reflection"},
}
_BAD_CODES = {"persuade", "confront"}
_VERBS = {
    ("change talk", True): "raised change talk",
    ("change talk", False): "lowered change talk",
    ("sustain talk", True): "softened sustain talk",
    ("sustain talk", False): "strengthened sustain talk",
    ("discord", True): "lowered discord",
    ("discord", False): "raised discord",
}


def _example(
    name: str, good: bool, moves: Sequence[Move], talk: Sequence[ClientState]
) -> tuple[str | None, str]:
    """The line that best shows the rating, and what it did to the client's talk.

    Among the lines carrying the codes the rating is about, the one that moved
    this global's measure furthest in the rating's direction (the first on a
    tie); if none moved it, the first such line, quoted without an effect.
    """
    what, measure = _MEASURES[name]
    wanted = _GOOD_CODES[name] if good else _BAD_CODES
    best: tuple[float, str] | None = None
    first: str | None = None
    for i, move in enumerate(moves):
        if i + 1 >= len(talk) or not wanted & set(move.codes):
            continue
        first = first if first is not None else move.line
        delta = round(measure(talk[i], talk[i + 1]), 1)
        score = delta if good else -delta
        if score > 0 and (best is None or score > best[0]):
            best = (score, move.line)
    if best is None:
        return first, ""
    return best[1], f"{_VERBS[(what, good)]} by {best[0]:g}"


def estimate_globals(
    counts: Mapping[str, int], moves: Sequence[Move], talk: Sequence[ClientState] = ()
) -> GlobalEstimate | None:
    """Estimate the four globals; None when nothing in the run carried a MITI code.

    ``moves`` are the run's decisions in order; ``talk`` is the client's state
    before the first decision and after each one (empty without a client model).
    """
    n = sum(counts.values())
    if n == 0:
        return None
    behaviour = _behaviour(counts, n)
    talked = _talk(talk) if len(talk) >= 2 else None
    out = []
    for name in TITLES:
        b = behaviour[name]
        t = talked[name] if talked is not None else None
        rating = int(round_half_up((b + t) / 2 if t is not None else b, 0))
        example, effect = (None, "")
        if talked is not None:
            example, effect = _example(name, rating >= 3, moves, talk)
        out.append(
            GlobalRating(
                name=name,
                rating=rating,
                behaviour=round_half_up(b, 1),
                talk=round_half_up(t, 1) if t is not None else None,
                example=example,
                example_effect=effect,
            )
        )
    return GlobalEstimate(tuple(out))
