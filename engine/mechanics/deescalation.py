"""De-escalation mechanics: how a person's agitation and trust answer the officer's approach.

A scenario that declares ``deescalation:`` gets a shared table of approaches
modelled on the FBI Behavioral Change Stairway (listening → empathy → rapport →
influence) and on the tactics de-escalation training names as harmful (bare
commands, threats, arguing, moralising). Each chosen choice's facts are looked
up in the table; the summed change is scaled by the person's ``volatility``
(for rises in agitation) and ``receptiveness`` (for calming and trust), and by
a per-choice factor drawn from the session seed, so the same words land a
little harder or softer from run to run while every run stays replayable.
Several approaches on one choice have diminishing returns (the strongest counts
fully, each further one half). Influence (reasons, options, confirming) tried
before trust reaches ``rapport_at`` has half its effect: the stairway is
climbed in order.

The profile's changes are applied before the scenario's own ``reactions`` and
the choice's ``effects``, which may add to or override them.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.expr import Evaluator, ExprError, check, compile_expr, interval, parse, quoted
from engine.loader import ScenarioFile
from engine.model import Approach, Decision, Deescalation, NumberVar, Scenario
from engine.names import all_names
from engine.problems import Problem, Severity
from engine.yamlload import PathKey, dotted


def _a(agitation: float, trust: float, step: str) -> Approach:
    return Approach.model_validate({"agitation": agitation, "trust": trust, "step": step})


STAIRWAY: dict[str, Approach] = {
    # listening: the bottom step, and it continues throughout
    "active_listening": _a(-1.0, 0.5, "listening"),
    "paraphrased": _a(-1.0, 0.5, "listening"),
    "question_open": _a(-0.5, 0.5, "listening"),
    "simple_reflection": _a(-0.5, 0.5, "listening"),
    "gave_time_and_space": _a(-1.0, 0.0, "listening"),
    "calm_voice_and_distance": _a(-1.0, 0.0, "listening"),
    # empathy
    "emotion_labelling": _a(-1.5, 1.0, "empathy"),
    "empathy_statement": _a(-1.0, 1.0, "empathy"),
    "complex_reflection": _a(-1.0, 1.0, "empathy"),
    # rapport
    "respectful_address": _a(-0.5, 0.5, "rapport"),
    "introduced_self_and_role": _a(0.0, 0.5, "rapport"),
    "affirm": _a(-0.5, 1.0, "rapport"),
    "protected_confidential_information": _a(-0.5, 0.5, "rapport"),
    # influence: works once rapport is there
    "explained_reason": _a(-0.5, 0.5, "influence"),
    "offered_options": _a(-1.0, 0.5, "influence"),
    "confirmed_understanding": _a(-0.5, 0.5, "influence"),
    "seeking_collaboration": _a(-0.5, 0.5, "influence"),
    "emphasizing_autonomy": _a(-0.5, 0.5, "influence"),
    # tactics that take the situation apart without talking it down
    "separated_parties": _a(-1.0, 0.0, "neutral"),
    # pressure: what de-escalation training tells officers not to do
    "bare_command": _a(1.5, -1.0, "pressure"),
    "skipped_to_demands": _a(1.0, -1.0, "pressure"),
    "threat": _a(2.5, -2.0, "pressure"),
    "argued": _a(1.5, -1.0, "pressure"),
    "moralised": _a(1.0, -1.0, "pressure"),
    "confront": _a(1.0, -1.0, "pressure"),
    "persuade": _a(0.5, -0.5, "pressure"),
    "raised_voice": _a(2.0, -1.0, "pressure"),
    "closed_distance_on_agitated_person": _a(2.0, -1.0, "pressure"),
    "demeaning_remark": _a(2.0, -2.0, "pressure"),
    "labelling_language": _a(1.5, -1.5, "pressure"),
    "used_force_before_de_escalation": _a(3.0, -3.0, "pressure"),
    "displayed_weapon_without_threat": _a(3.0, -2.0, "pressure"),
}

PROFILES: dict[str, Mapping[str, Approach]] = {"stairway": STAIRWAY, "none": {}}


def variation_draw(seed: int, decision_index: int) -> float:
    """A uniform number in [0, 1) fixed by the seed and the decision's place in the run.

    Drawn from a hash rather than the session's generator so that adding a
    profile to a scenario does not shift its chance outcomes.
    """
    digest = hashlib.blake2b(f"deescalation:{seed}:{decision_index}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big") / 2.0**64


@dataclass(frozen=True)
class Reaction:
    """How the person reacted to one choice: the changes actually made and the factor used."""

    facts: tuple[str, ...]
    agitation: float
    trust: float
    factor: float


@dataclass(frozen=True)
class _Range:
    name: str
    low: float
    high: float
    integer: bool

    def add(self, env: MutableMapping[str, Any], delta: float) -> float:
        before = float(env[self.name])
        value = min(max(before + delta, self.low), self.high)
        env[self.name] = round(value) if self.integer else round(value, 4)
        return float(env[self.name]) - before


def _number(value: float | str) -> Evaluator:
    if isinstance(value, str):
        return compile_expr(parse(value))
    return lambda env: value


class Deescalator:
    """A compiled profile: the merged approach table and the scaling expressions."""

    def __init__(self, scenario: Scenario, config: Deescalation) -> None:
        self.config = config
        self.table: dict[str, Approach] = {**PROFILES[config.profile], **config.approaches}
        self.volatility = _number(config.volatility)
        self.receptiveness = _number(config.receptiveness)
        self.agitation = _range(scenario, config.agitation)
        self.trust = _range(scenario, config.trust)

    def react(
        self, env: MutableMapping[str, Any], facts: Sequence[str], draw: float
    ) -> Reaction | None:
        """Apply the reaction to ``facts`` in place; ``draw`` in [0, 1) sets this choice's factor.

        Returns None when no fact on the choice is an approach the profile knows.
        """
        known = [self.table[f] for f in facts if f in self.table]
        if not known:
            return None
        factor = 1.0 + self.config.variation * (2.0 * draw - 1.0)
        rapport_at = self.config.rapport_at
        premature = rapport_at is not None and float(env[self.trust.name]) < rapport_at
        rise, fall, gain, loss = pushes(known, premature)
        volatility = max(0.0, float(self.volatility(env)))
        receptiveness = max(0.0, float(self.receptiveness(env)))
        d_agitation = factor * (rise * volatility - fall * receptiveness)
        d_trust = factor * (gain * receptiveness - loss)
        moved_a = self.agitation.add(env, d_agitation)
        moved_t = self.trust.add(env, d_trust)
        return Reaction(tuple(f for f in facts if f in self.table), moved_a, moved_t, factor)


def pushes(known: Sequence[Approach], premature: bool) -> tuple[float, float, float, float]:
    """The stacked rise and fall of agitation and gain and loss of trust of a choice's
    approaches, before scaling; ``premature``: trust is still below ``rapport_at``."""
    rises: list[float] = []
    falls: list[float] = []
    gains: list[float] = []
    losses: list[float] = []
    for a in known:
        weight = 0.5 if premature and a.step == "influence" else 1.0
        if a.agitation > 0:
            rises.append(a.agitation)
        else:
            falls.append(-a.agitation * weight)
        if a.trust > 0:
            gains.append(a.trust * weight)
        else:
            losses.append(-a.trust)
    rise, fall, gain, loss = (_stack(x) for x in (rises, falls, gains, losses))
    return rise, fall, gain, loss


def _stack(sizes: list[float]) -> float:
    """Several approaches on one choice: the strongest counts fully, each further one half."""
    ordered = sorted(sizes, reverse=True)
    return sum(x if i == 0 else x / 2 for i, x in enumerate(ordered))


def _range(scenario: Scenario, name: str) -> _Range:
    var = scenario.variables[name]
    assert isinstance(var, NumberVar)
    return _Range(name, var.min, var.max, var.type == "int")


def build(scenario: Scenario) -> Deescalator | None:
    """The compiled profile of a scenario, or None when it declares none."""
    if scenario.deescalation is None:
        return None
    return Deescalator(scenario, scenario.deescalation)


# ---------------------------------------------------------------- lint


def check_profile(sf: ScenarioFile) -> list[Problem]:
    """Lint the ``deescalation`` block: variables, expressions, thresholds, and that it is used."""
    s = sf.scenario
    cfg = s.deescalation
    if cfg is None:
        return []
    problems: list[Problem] = []

    def add(path: PathKey, message: str, severity: Severity = Severity.ERROR) -> None:
        full = ("deescalation", *path)
        problems.append(Problem(sf.file, sf.line_of(full), dotted(full), message, severity))

    for key in ("agitation", "trust"):
        name = getattr(cfg, key)
        var = s.variables.get(name)
        if not isinstance(var, NumberVar):
            what = "is not declared" if var is None else f"is a {var.type} variable"
            add((key,), f"'{name}' {what}; the profile needs a number variable for {key}")
    names = all_names(s)
    for key in ("volatility", "receptiveness"):
        value = getattr(cfg, key)
        if not isinstance(value, str):
            if value < 0:
                add((key,), f"{key} is negative; use 0 or more (1 is ordinary)")
            continue
        try:
            node = parse(value)
            got = check(node, names)
        except ExprError as exc:
            add((key,), f"{exc.message} (column {exc.column} of {quoted(value, exc.column)})")
            continue
        if got != "number":
            add((key,), f"{value!r} gives a {got}, but a number is needed here")
            continue
        low, _ = interval(node, names)
        if low < 0 and not math.isinf(low):
            add(
                (key,),
                f"{value!r} can fall to {low:g}; negative values are treated as 0",
                Severity.WARNING,
            )
    trust = s.variables.get(cfg.trust)
    at = cfg.rapport_at
    if at is not None and isinstance(trust, NumberVar) and not trust.min < at <= trust.max:
        add(
            ("rapport_at",),
            f"rapport_at {at:g} is outside {cfg.trust}'s range "
            f"{trust.min:g}..{trust.max:g}, so influence is always "
            f"{'half' if at > trust.max else 'fully'} effective",
            Severity.WARNING,
        )
    table = {**PROFILES[cfg.profile], **cfg.approaches}
    if not table:
        add(("profile",), "the profile is 'none' and no approaches are given: it moves nothing")
    elif not any(
        f in table
        for node in s.nodes.values()
        if isinstance(node, Decision)
        for c in node.choices
        for f in c.facts
    ):
        add(
            (),
            "no choice carries a fact the profile knows, so agitation and trust never move "
            f"(known facts include {', '.join(sorted(table)[:6])}, ...)",
            Severity.WARNING,
        )
    return problems
