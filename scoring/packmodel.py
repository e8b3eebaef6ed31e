"""The policy pack format, version 1, as pydantic models.

A pack is the main YAML file (agency, policies, competencies, settings) plus the
rule files it includes (facts and the rules that score them). These models fix
the shape of each file; unknown keys are errors so a typo is caught, not
ignored. Cross-references (a rule citing a policy id) are checked in
:mod:`scoring.pack`, where every file's line numbers are at hand.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from engine.mechanics.intake import Instrument

PACK_FORMAT = "parolesim-policy-pack/1"

FactName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
PolicyId = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]*-[0-9]+(\.[0-9]+)*$", max_length=32)]
CompetencyId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
PackId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]


class Verdict(StrEnum):
    """How a choice measured up to the cited policy, best first."""

    EXEMPLARY = "exemplary"
    ACCEPTABLE = "acceptable"
    DEVIATION = "deviation"
    VIOLATION = "violation"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for exemplary up to 4 for critical: higher is worse."""
        return _RANK[self]


_RANK = {v: i for i, v in enumerate(Verdict)}
BY_MATRIX = "by_matrix"
RULE_VERDICTS = (*(v.value for v in Verdict), BY_MATRIX)
VERDICT_ICONS = {
    Verdict.EXEMPLARY: "★",
    Verdict.ACCEPTABLE: "✓",
    Verdict.DEVIATION: "△",
    Verdict.VIOLATION: "✗",
    Verdict.CRITICAL: "‼",
}

FTO_CATEGORIES: dict[str, str] = {
    "officer_safety": "Officer safety",
    "control_of_conflict": "Control of conflict (voice and physical)",
    "use_of_force": "Use of force",
    "performance_under_stress": "Performance under stress",
    "problem_solving_decision_making": "Problem solving and decision making",
    "investigation": "Investigation",
    "interviewing": "Interviewing",
    "report_writing": "Report writing",
    "knowledge_policy_law_resources": "Knowledge of policy, law and resources",
    "relationships_with_public": "Relationships with the public",
    "acceptance_of_feedback": "Acceptance of feedback",
}
FtoCategory = Literal[
    "officer_safety",
    "control_of_conflict",
    "use_of_force",
    "performance_under_stress",
    "problem_solving_decision_making",
    "investigation",
    "interviewing",
    "report_writing",
    "knowledge_policy_law_resources",
    "relationships_with_public",
    "acceptance_of_feedback",
]

MITI_CODES: dict[str, str] = {
    "giving_information": "Giving Information",
    "persuade": "Persuade",
    "persuade_with_permission": "Persuade with Permission",
    "question": "Question",
    "simple_reflection": "Simple Reflection",
    "complex_reflection": "Complex Reflection",
    "affirm": "Affirm",
    "seeking_collaboration": "Seeking Collaboration",
    "emphasizing_autonomy": "Emphasizing Autonomy",
    "confront": "Confront",
}
MitiCode = Literal[
    "giving_information",
    "persuade",
    "persuade_with_permission",
    "question",
    "simple_reflection",
    "complex_reflection",
    "affirm",
    "seeking_collaboration",
    "emphasizing_autonomy",
    "confront",
]
Level = Literal["low", "medium", "high"]
Risk = Literal["low", "moderate", "high"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Policy(Strict):
    id: PolicyId
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    source: str = Field(min_length=1, description="the standard the clause is modelled on")


class Competency(Strict):
    id: CompetencyId
    title: str = Field(min_length=1)
    fto_category: FtoCategory
    description: str = ""


class Rule(Strict):
    fact: FactName
    verdict: str = Field(description="a verdict, or by_matrix for a response level fact")
    competency: CompetencyId
    policy: PolicyId
    feedback: str = Field(min_length=1)
    weight: int = Field(default=1, ge=1, le=5)
    after: list[FactName] = Field(default_factory=list)
    not_after: list[FactName] = Field(default_factory=list)
    with_: list[FactName] = Field(default_factory=list, alias="with")
    without: list[FactName] = Field(default_factory=list)

    @field_validator("verdict")
    @classmethod
    def _known_verdict(cls, value: str) -> str:
        if value not in RULE_VERDICTS:
            raise ValueError(
                f"'{value}' is not a verdict; expected one of {', '.join(RULE_VERDICTS)}"
            )
        return value

    @property
    def conditional(self) -> bool:
        return bool(self.after or self.not_after or self.with_ or self.without)


class Scoring(Strict):
    verdict_points: dict[Verdict, int]
    timeout_fact: FactName
    in_time_fact: FactName | None = Field(
        default=None,
        description="observed for every timed decision answered before the time ran out: it "
        "counts toward its competency's rating, never toward the decision's own verdict",
    )
    ratings: dict[int, float] = Field(description="rating 1-7 -> lowest competency score for it")
    min_observations: int = Field(
        default=3,
        ge=1,
        description="judgments of a competency a run needs before the simulator suggests a "
        "1-7 rating for it; fewer is reported as N.O. (not observed) with the observations",
    )
    repeatable_facts: list[FactName] = Field(
        default_factory=list,
        description="facts credited every time they are earned; any other fact earns credit "
        "once per run, so repeating an action (a loop) adds nothing",
    )


class PassCriteria(Strict):
    overall: float = Field(ge=0, le=100)
    no_critical: bool = True
    min_rating: dict[CompetencyId, int] = Field(default_factory=dict)
    response_in_band: bool = Field(
        default=False,
        description="a violation response outside the matrix band fails the run (proportionality)",
    )
    due_process_complete: bool = Field(
        default=False,
        description="a custodial or revocation response without every required due-process "
        "step and notification fails the run",
    )
    min_suggested_rating: int | None = Field(
        default=None,
        ge=1,
        le=7,
        description="every competency the run observed often enough to rate must be suggested "
        "at least this (4: minimum acceptable to work alone)",
    )


class Threshold(Strict):
    fair: float
    good: float


class MitiThresholds(Strict):
    technical: Threshold
    relational: Threshold
    percent_complex_reflections: Threshold
    reflection_to_question: Threshold


MitiMeasureName = Literal[
    "reflection_to_question", "percent_complex_reflections", "technical", "relational"
]


class MitiMinimum(Strict):
    """How much coded talk a summary needs before it rates anything."""

    coded: int = Field(default=6, ge=1, description="coded utterances in all")
    reflections_and_questions: int = Field(
        default=4, ge=0, description="reflections plus questions (for the two ratios)"
    )


class MitiGate(Strict):
    """MI scored as MI: in these families a run passes only at MITI 'fair' or better."""

    families: list[str] = Field(min_length=1)
    measures: list[MitiMeasureName] = Field(min_length=1)


class Miti(Strict):
    codes: dict[MitiCode, list[FactName]]
    persuade_with_permission: Literal["neither", "adherent", "non_adherent"] = "neither"
    thresholds: MitiThresholds
    policy: PolicyId
    minimum: MitiMinimum = Field(default_factory=MitiMinimum)
    pass_gate: MitiGate | None = None


class ResponseLevel(Strict):
    level: int = Field(ge=1, le=20)
    id: CompetencyId
    title: str
    facts: list[FactName] = Field(min_length=1)


class BandVerdicts(Strict):
    within: Verdict
    one_step_outside: Verdict
    further_outside: Verdict


class Incentives(Strict):
    policy: PolicyId
    positive_to_negative: int = Field(ge=1)
    facts: list[FactName]


class DueProcessStep(Strict):
    fact: FactName
    title: str


class DueProcess(Strict):
    """A due-process track: the steps a response at ``from_level`` up to ``to_level`` needs."""

    policy: PolicyId
    from_level: int
    to_level: int | None = Field(
        default=None, description="the highest level the track covers; unset: every level above"
    )
    title: str = "Due process"
    steps: list[DueProcessStep]

    def covers(self, level: int) -> bool:
        return self.from_level <= level and (self.to_level is None or level <= self.to_level)


class Override(Strict):
    """A response outside the band with written reasons and supervisor approval (MSDP-7.02).

    Within ``max_steps`` of the band an override with both facts on the response's own
    choice is judged ``verdict``; further out it is judged ``beyond`` at best.
    """

    policy: PolicyId
    reasons_fact: FactName
    approval_fact: FactName
    max_steps: int = Field(default=1, ge=1, le=5)
    verdict: Verdict = Verdict.ACCEPTABLE
    beyond: Verdict = Verdict.DEVIATION


class PriorResponses(Strict):
    """The prior-responses dimension: earlier responses this term move the band up.

    ``variable`` is a scenario int variable (responses to violations already on record this
    term); from ``raise_from`` of them, both ends of the band rise by ``raise_by`` levels,
    never past the most restrictive level.
    """

    variable: str = "prior_responses"
    raise_from: int = Field(default=2, ge=1)
    raise_by: int = Field(default=1, ge=1)


class NeedResponses(Strict):
    """Responses to a need (treatment, services): no sanction level, allowed in every cell."""

    policy: PolicyId
    facts: list[FactName] = Field(min_length=1)


class Notification(Strict):
    fact: FactName
    title: str
    policy: PolicyId
    from_level: int
    when_variable: str | None = Field(
        default=None, description="required only when this scenario bool variable is true"
    )


class ViolationResponse(Strict):
    severity_variable: str = "violation_severity"
    policy: PolicyId
    levels: list[ResponseLevel] = Field(min_length=1)
    matrix: dict[Level, dict[Risk, tuple[int, int]]]
    band_verdicts: BandVerdicts
    incentives: Incentives
    due_process: DueProcess = Field(description="the revocation track (Morrissey)")
    administrative: DueProcess | None = Field(
        default=None,
        description="the administrative short-jail track (notice, a chance to respond, a "
        "hearing or its waiver); levels it covers need its steps instead of due_process",
    )
    notifications: list[Notification] = Field(default_factory=list)
    override: Override | None = None
    priors: PriorResponses | None = None
    need_responses: NeedResponses | None = None

    def track_for(self, level: int) -> DueProcess | None:
        """The due-process track a response at ``level`` needs, if any."""
        if self.administrative is not None and self.administrative.covers(level):
            return self.administrative
        return self.due_process if self.due_process.covers(level) else None


Mechanic = Literal[
    "places", "client", "deescalation", "response_matrix", "miti", "caseload", "intake"
]
MECHANICS: dict[str, str] = {
    "places": "rooms, items and people at an address; search and plain-view facts derived",
    "client": "a conversation partner whose talk answers the officer's MI behaviour",
    "deescalation": "agitation and trust moved by the approach each choice takes",
    "response_matrix": "a violation response judged against the sanction matrix, with the "
    "sanction panel and the severity variable",
    "miti": "the MITI 4.2.1 panel on every run",
    "caseload": "a caseload generated from the seed, alerts and plans; coverage facts derived "
    "and the caseload dashboard",
    "intake": "a risk/needs interview rated against the pack's instrument and a seeded key; "
    "rating, risk-level, case-plan target and dosage facts derived, and the instrument panel",
}


class FamilyDecl(Strict):
    """A kind of scenario: declared in data, so an academy adds one without code."""

    id: CompetencyId = Field(description="the value scenarios give as `family:`")
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    competencies: list[CompetencyId] = Field(
        default_factory=list, description="the pack's competencies the family draws on"
    )
    policies: list[PolicyId] = Field(
        default_factory=list, description="the pack's clauses the family draws on"
    )
    mechanics: list[Mechanic] = Field(
        default_factory=list, description="engine mechanics and scoring panels the family uses"
    )


class IncludeFile(Strict):
    """A rule file: facts it declares, the rules that score them, and optional policies."""

    title: str = Field(default="", description="the area the file covers, for references")
    facts: dict[FactName, str] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)
    families: list[FamilyDecl] = Field(
        default_factory=list, description="scenario families (see scenarios/README.md)"
    )
    instrument: Instrument | None = Field(
        default=None,
        description="the agency's risk/needs instrument (an instrument-*.yaml include file)",
    )
    competencies: list[Competency] = Field(
        default_factory=list,
        description="competencies this area adds (each maps to a field-training DOR category)",
    )


class PackFile(IncludeFile):
    """The main pack file."""

    format: Literal["parolesim-policy-pack/1"]
    id: PackId
    agency: str
    version: str
    disclaimer: str = Field(min_length=20)
    includes: list[str] = Field(default_factory=list)
    scoring: Scoring
    pass_criteria: PassCriteria
    competencies: list[Competency] = Field(min_length=1)
    miti: Miti
    violation_response: ViolationResponse
