"""The violation response matrix: where a chosen response sits against the band.

Severity is the scenario variable named by the pack (``violation_severity``,
low/medium/high) at the end of the run; risk is the case file's risk level. The
chosen response is the most restrictive response level the trainee picked. The
assessment also says which due-process steps and notifications the response
required and whether the trainee completed them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any, Literal

from scoring.pack import PolicyPack

Placement = Literal["within", "too_lenient", "too_severe", "no_response", "not_assessed"]
PLACEMENT_WORDS: dict[str, str] = {
    "within": "within the band",
    "too_lenient": "too lenient",
    "too_severe": "too severe",
    "no_response": "no response chosen",
    "not_assessed": "not assessed (no severity recorded)",
}


def band_for(pack: PolicyPack, severity: str | None, risk: str | None) -> tuple[int, int] | None:
    """The allowed (lowest, highest) response levels for a matrix cell, or None if unknown."""
    if severity is None or risk is None:
        return None
    row = pack.main.violation_response.matrix.get(severity)  # type: ignore[call-overload]
    if row is None:
        return None
    cell = row.get(risk)
    return (cell[0], cell[1]) if cell is not None else None


def severity_of(pack: PolicyPack, final_vars: Mapping[str, Any]) -> str | None:
    value = final_vars.get(pack.main.violation_response.severity_variable)
    return value if value in ("low", "medium", "high") else None


@dataclass(frozen=True)
class Step:
    fact: str
    title: str
    required: bool
    done: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "fact": self.fact,
            "title": self.title,
            "required": self.required,
            "done": self.done,
        }


@dataclass(frozen=True)
class SanctionAssessment:
    severity: str | None
    risk: str | None
    band: tuple[int, int] | None
    band_titles: tuple[str, ...]
    chosen_level: int | None
    chosen_title: str | None
    chosen_facts: tuple[str, ...]
    placement: Placement
    steps_outside: int
    due_process: tuple[Step, ...]
    notifications: tuple[Step, ...]
    incentives: tuple[str, ...]
    sanctions_count: int
    positive_to_negative_target: int
    policy: str
    matrix: dict[str, dict[str, tuple[int, int]]]

    @property
    def due_process_complete(self) -> bool:
        return all(s.done for s in self.due_process if s.required)

    @property
    def notifications_complete(self) -> bool:
        return all(s.done for s in self.notifications if s.required)

    @property
    def placement_words(self) -> str:
        return PLACEMENT_WORDS[self.placement]

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "risk": self.risk,
            "band": list(self.band) if self.band else None,
            "band_titles": list(self.band_titles),
            "chosen_level": self.chosen_level,
            "chosen_title": self.chosen_title,
            "chosen_facts": list(self.chosen_facts),
            "assessment": self.placement,
            "assessment_words": self.placement_words,
            "steps_outside": self.steps_outside,
            "due_process": [s.to_dict() for s in self.due_process],
            "due_process_complete": self.due_process_complete,
            "notifications": [s.to_dict() for s in self.notifications],
            "notifications_complete": self.notifications_complete,
            "incentives": list(self.incentives),
            "sanctions": self.sanctions_count,
            "positive_to_negative_target": self.positive_to_negative_target,
            "policy": self.policy,
            "matrix": {
                sev: {risk: list(band) for risk, band in row.items()}
                for sev, row in self.matrix.items()
            },
        }


def assess(
    pack: PolicyPack,
    choice_facts: Sequence[Sequence[str]],
    final_vars: Mapping[str, Any],
    risk: str | None,
) -> SanctionAssessment:
    """Assess the responses chosen in a run (``choice_facts``: facts of each decision, in order)."""
    vr = pack.main.violation_response
    severity = severity_of(pack, final_vars)
    band = band_for(pack, severity, risk)
    seen: Set[str] = {f for facts in choice_facts for f in facts}
    responses = [f for facts in choice_facts for f in facts if f in pack.level_of_fact]
    chosen_level = max((pack.level_of_fact[f] for f in responses), default=None)
    titles = {lvl.level: lvl.title for lvl in vr.levels}
    placement: Placement
    steps = 0
    if chosen_level is None:
        placement = "no_response"
    elif band is None:
        placement = "not_assessed"
    elif chosen_level < band[0]:
        placement, steps = "too_lenient", band[0] - chosen_level
    elif chosen_level > band[1]:
        placement, steps = "too_severe", chosen_level - band[1]
    else:
        placement = "within"
    level = chosen_level or 0
    dp_required = level >= vr.due_process.from_level
    due = tuple(Step(s.fact, s.title, dp_required, s.fact in seen) for s in vr.due_process.steps)
    notes = tuple(
        Step(
            n.fact,
            n.title,
            level >= n.from_level
            and (n.when_variable is None or final_vars.get(n.when_variable) is True),
            n.fact in seen,
        )
        for n in vr.notifications
    )
    band_titles = tuple(titles[i] for i in range(band[0], band[1] + 1)) if band else ()
    return SanctionAssessment(
        severity=severity,
        risk=risk,
        band=band,
        band_titles=band_titles,
        chosen_level=chosen_level,
        chosen_title=titles.get(chosen_level) if chosen_level else None,
        chosen_facts=tuple(dict.fromkeys(responses)),
        placement=placement,
        steps_outside=steps,
        due_process=due,
        notifications=notes,
        incentives=tuple(f for facts in choice_facts for f in facts if f in vr.incentives.facts),
        sanctions_count=len(responses),
        positive_to_negative_target=vr.incentives.positive_to_negative,
        policy=vr.policy,
        matrix={
            sev: {risk: (band[0], band[1]) for risk, band in row.items()}
            for sev, row in vr.matrix.items()
        },
    )
