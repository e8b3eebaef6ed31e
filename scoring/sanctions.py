"""The violation response model: where a chosen response sits against the matrix band.

Severity is the scenario variable named by the pack (``violation_severity``,
low/medium/high) at the end of the run; risk is the case file's risk level; where
the pack has the prior-responses dimension, a scenario int variable
(``prior_responses``) moves the band up once enough lower responses have been
tried. The chosen response is the most restrictive response level the trainee
picked. Treatment and service referrals answer a need, not a sanction level: they
are listed apart and fit every cell (Risk-Need-Responsivity).

A response outside the band is an override (MSDP-7.02): with written reasons and
a supervisor's approval on the response's own choice, one step out is acceptable
and further out a deviation; without them the pack's band verdicts apply.

Custodial responses need due process on one of two tracks: a short jail stay the
administrative track (notice, a chance to respond, a hearing or its waiver), a
revocation request the Morrissey track (notice, disclosure, a preliminary hearing,
the rights to be heard and to confront, and the hearing body's written findings,
which the officer requests). The assessment says which steps and notifications the
response required and whether the trainee completed them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any, Literal

from scoring.pack import PolicyPack
from scoring.packmodel import Verdict

Band = tuple[int, int]
Placement = Literal["within", "too_lenient", "too_severe", "no_response", "not_assessed"]
PLACEMENT_WORDS: dict[str, str] = {
    "within": "within the band",
    "too_lenient": "too lenient",
    "too_severe": "too severe",
    "no_response": "no sanction chosen",
    "not_assessed": "not assessed (no severity recorded)",
}


def priors_of(pack: PolicyPack, final_vars: Mapping[str, Any]) -> int:
    """Responses to violations already on record this term (0 when the pack or run has none)."""
    dim = pack.main.violation_response.priors
    if dim is None:
        return 0
    value = final_vars.get(dim.variable)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def band_for(
    pack: PolicyPack, severity: str | None, risk: str | None, priors: int = 0
) -> Band | None:
    """The allowed (lowest, highest) response levels for a matrix cell, or None if unknown.

    With ``priors`` at or above the pack's ``raise_from``, both ends rise by ``raise_by``
    levels, capped at the most restrictive level.
    """
    if severity is None or risk is None:
        return None
    vr = pack.main.violation_response
    row = vr.matrix.get(severity)  # type: ignore[call-overload]
    if row is None:
        return None
    cell = row.get(risk)
    if cell is None:
        return None
    low, high = cell[0], cell[1]
    if vr.priors is not None and priors >= vr.priors.raise_from:
        top = len(vr.levels)
        low, high = min(low + vr.priors.raise_by, top), min(high + vr.priors.raise_by, top)
    return (low, high)


def severity_of(pack: PolicyPack, final_vars: Mapping[str, Any]) -> str | None:
    value = final_vars.get(pack.main.violation_response.severity_variable)
    return value if value in ("low", "medium", "high") else None


def has_override(pack: PolicyPack, facts: Set[str] | Sequence[str]) -> bool:
    """Whether one choice's facts carry both the written reasons and the supervisor approval."""
    ov = pack.main.violation_response.override
    return ov is not None and ov.reasons_fact in facts and ov.approval_fact in facts


def steps_outside(level: int, band: Band) -> int:
    low, high = band
    return low - level if level < low else max(0, level - high)


def matrix_verdict(
    pack: PolicyPack, level: int, band: Band | None, facts: Set[str] | Sequence[str] = ()
) -> tuple[Verdict, str]:
    """The verdict for a response at ``level`` against ``band``, given its choice's ``facts``.

    Inside the band: the pack's ``within`` verdict. Outside: the pack's band verdicts,
    unless the choice documents an override (reasons and approval), which is judged
    the override's verdict within ``max_steps`` and ``beyond`` further out, never
    worse than the band verdict it replaces.
    """
    vr = pack.main.violation_response
    bv = vr.band_verdicts
    if band is None:
        return bv.within, "severity not recorded; judged as within the band"
    low, high = band
    if low <= level <= high:
        return bv.within, f"level {level} is within the band {low}-{high}"
    steps = steps_outside(level, band)
    word = "too lenient" if level < low else "too severe"
    verdict = bv.one_step_outside if steps == 1 else bv.further_outside
    plural = "s" if steps > 1 else ""
    where = f"level {level} is {steps} step{plural} outside the band {low}-{high}"
    ov = vr.override
    if ov is not None and has_override(pack, facts):
        allowed = ov.verdict if steps <= ov.max_steps else ov.beyond
        if allowed.rank < verdict.rank:
            verdict = allowed
        reach = "within" if steps <= ov.max_steps else "beyond"
        return verdict, (
            f"{where}, an override with written reasons and supervisor approval "
            f"({reach} the {ov.max_steps}-step limit)"
        )
    return verdict, f"{where} ({word})"


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
    band: Band | None
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
    priors: int = 0
    priors_raised: bool = False
    override: bool = False
    override_max_steps: int = 0
    track: str | None = None
    need_responses: tuple[str, ...] = ()

    @property
    def due_process_complete(self) -> bool:
        return all(s.done for s in self.due_process if s.required)

    @property
    def notifications_complete(self) -> bool:
        return all(s.done for s in self.notifications if s.required)

    @property
    def override_accepted(self) -> bool:
        """Outside the band, but within the override's reach with reasons and approval."""
        return (
            self.placement in ("too_lenient", "too_severe")
            and self.override
            and self.steps_outside <= self.override_max_steps
        )

    @property
    def priors_words(self) -> str:
        """'2 prior responses (band moved up)', or '' when there are none."""
        if not self.priors:
            return ""
        plural = "" if self.priors == 1 else "s"
        moved = " (band moved up)" if self.priors_raised else ""
        return f"{self.priors} prior response{plural}{moved}"

    @property
    def placement_words(self) -> str:
        words = PLACEMENT_WORDS[self.placement]
        if self.override_accepted:
            return f"{words}, accepted as an override with written reasons and approval"
        return words

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "risk": self.risk,
            "priors": self.priors,
            "priors_raised": self.priors_raised,
            "band": list(self.band) if self.band else None,
            "band_titles": list(self.band_titles),
            "chosen_level": self.chosen_level,
            "chosen_title": self.chosen_title,
            "chosen_facts": list(self.chosen_facts),
            "need_responses": list(self.need_responses),
            "assessment": self.placement,
            "assessment_words": self.placement_words,
            "steps_outside": self.steps_outside,
            "override": self.override,
            "override_accepted": self.override_accepted,
            "track": self.track,
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
    priors = priors_of(pack, final_vars)
    band = band_for(pack, severity, risk, priors)
    seen: Set[str] = {f for facts in choice_facts for f in facts}
    responses = [f for facts in choice_facts for f in facts if f in pack.level_of_fact]
    chosen_level = max((pack.level_of_fact[f] for f in responses), default=None)
    # the override counts when the choice that set the most restrictive response carries it
    override = chosen_level is not None and any(
        has_override(pack, facts)
        for facts in choice_facts
        if any(pack.level_of_fact.get(f) == chosen_level for f in facts)
    )
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
    track = vr.track_for(level) if level else None
    shown = track or vr.due_process
    due = tuple(Step(s.fact, s.title, track is not None, s.fact in seen) for s in shown.steps)
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
    needs = vr.need_responses.facts if vr.need_responses else []
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
        priors=priors,
        priors_raised=vr.priors is not None and priors >= vr.priors.raise_from,
        override=override,
        override_max_steps=vr.override.max_steps if vr.override else 0,
        track=track.title if track else None,
        need_responses=tuple(dict.fromkeys(f for fs in choice_facts for f in fs if f in needs)),
    )
