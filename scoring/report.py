"""The score report: plain frozen dataclasses with a deterministic ``to_dict``.

Every number in a report is rounded once, half up, by :func:`round_half_up`, and
every mapping is built in a fixed order, so the same log and pack give the same
JSON byte for byte on any machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any


def round_half_up(value: Fraction | int | float, places: int = 1) -> float:
    """Round exactly, half away from zero, to ``places`` decimals."""
    frac = Fraction(value)
    return ratio_half_up(frac.numerator, frac.denominator, places)


def ratio_half_up(num: int, den: int, places: int = 1) -> float:
    """``num / den`` rounded half away from zero to ``places`` decimals, in integers."""
    scale: int = 10**places
    scaled = abs(num) * scale
    q, r = divmod(scaled, abs(den))
    if 2 * r >= abs(den):
        q += 1
    negative = (num < 0) != (den < 0)
    return (-q if negative else q) / scale


@dataclass(frozen=True)
class PolicyRef:
    """The clause a judgment cites."""

    id: str
    title: str
    text: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "text": self.text, "source": self.source}


@dataclass(frozen=True)
class JudgmentResult:
    """One fact of a choice turned into a verdict by one rule."""

    fact: str
    verdict: str
    competency: str
    weight: int
    points: int
    policy: PolicyRef
    feedback: str
    rule: str  # file:line of the rule, so a trainer can find it

    def to_dict(self) -> dict[str, Any]:
        return {
            "fact": self.fact,
            "verdict": self.verdict,
            "competency": self.competency,
            "weight": self.weight,
            "points": self.points,
            # the decision carries the cited text; a judgment names its clause
            "policy": {"id": self.policy.id, "title": self.policy.title},
            "feedback": self.feedback,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class BetterChoice:
    """The best-scoring choice that was available where the trainee went wrong."""

    choice: str
    text: str
    verdict: str
    points: float
    feedback: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "choice": self.choice,
            "text": self.text,
            "verdict": self.verdict,
            "points": self.points,
            "feedback": self.feedback,
        }


UNSCORED = "unscored"


@dataclass(frozen=True)
class DecisionResult:
    """How one decision was judged: the worst verdict among its facts, and why."""

    index: int
    node: str
    prompt: str
    choice: str
    text: str
    say: str | None
    facts: tuple[str, ...]
    timed_out: bool
    t: float
    verdict: str  # a Verdict value, or "unscored" when no fact has a rule
    points: float | None
    policy: PolicyRef | None
    feedback: str
    judgments: tuple[JudgmentResult, ...]
    better_choice: BetterChoice | None
    available: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "node": self.node,
            "prompt": self.prompt,
            "choice": self.choice,
            "text": self.text,
            "say": self.say,
            "facts": list(self.facts),
            "timed_out": self.timed_out,
            "t": self.t,
            "verdict": self.verdict,
            "points": self.points,
            "policy": self.policy.to_dict() if self.policy else None,
            "feedback": self.feedback,
            "judgments": [j.to_dict() for j in self.judgments],
            "better_choice": self.better_choice.to_dict() if self.better_choice else None,
            "available": list(self.available),
        }


@dataclass(frozen=True)
class CompetencyResult:
    """A competency's score (None when not observed) and suggested 1-7 rating."""

    id: str
    title: str
    fto_category: str
    fto_title: str
    score: float | None
    rating: int | None  # the suggested 1-7 rating; None (N.O.) below the pack's observations
    judgments: int
    min_rating: int | None
    observations: tuple[str, ...] = ()  # "decision 3: exemplary (MSDP-2.07)", in run order
    score_rating: int | None = None  # the rating the score alone maps to, however few judgments

    @property
    def observed(self) -> bool:
        return self.score is not None

    @property
    def suggestion(self) -> str:
        """The DOR suggestion as shown: a rating 1-7, or N.O. when observed too rarely."""
        return str(self.rating) if self.rating is not None else "N.O."

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "fto_category": self.fto_category,
            "fto_title": self.fto_title,
            "score": self.score,
            "rating": self.rating,
            "observed": self.observed,
            "judgments": self.judgments,
            "min_rating": self.min_rating,
            "suggestion": self.suggestion,
            "observations": list(self.observations),
        }


@dataclass(frozen=True)
class CriticalFailure:
    node: str
    choice: str
    fact: str
    policy: PolicyRef
    feedback: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "choice": self.choice,
            "fact": self.fact,
            "policy": self.policy.to_dict(),
            "feedback": self.feedback,
        }


@dataclass(frozen=True)
class ScoreReport:
    """Everything a debrief shows; ``to_dict`` is what ``run --score`` stores."""

    scenario: dict[str, str]
    policy: dict[str, str]
    outcome: dict[str, str] | None
    overall: float
    passed: bool
    fail_reasons: tuple[str, ...]
    pass_threshold: float
    decisions: tuple[DecisionResult, ...]
    competencies: tuple[CompetencyResult, ...]
    critical_failures: tuple[CriticalFailure, ...]
    miti: Any = None  # scoring.miti.MitiSummary | None
    sanction: Any = None  # scoring.sanctions.SanctionAssessment | None
    instrument: Any = None  # scoring.instrument_panel.InstrumentPanel | None (intake runs)
    warnings: tuple[str, ...] = field(default_factory=tuple)
    variables: dict[str, Any] = field(default_factory=dict)  # final state, for fast re-scoring
    undone: tuple[str, ...] = ()  # the scenario's requirements the run left undone

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "parolesim-score/1",
            "scenario": dict(self.scenario),
            "policy": dict(self.policy),
            "outcome": dict(self.outcome) if self.outcome else None,
            "overall": self.overall,
            "passed": self.passed,
            "pass_threshold": self.pass_threshold,
            "fail_reasons": list(self.fail_reasons),
            "decisions": [d.to_dict() for d in self.decisions],
            "competencies": [c.to_dict() for c in self.competencies],
            "critical_failures": [c.to_dict() for c in self.critical_failures],
            "miti": self.miti.to_dict() if self.miti is not None else None,
            "sanction": self.sanction.to_dict() if self.sanction is not None else None,
            **({"instrument": self.instrument.to_dict()} if self.instrument is not None else {}),
            "warnings": list(self.warnings),
            "undone": list(self.undone),
            "variables": {k: self.variables[k] for k in sorted(self.variables)},
        }
