"""The scenario format, version 1, as pydantic models.

A scenario is data a training coordinator writes in YAML. These models fix its
shape: unknown keys are errors, so a typo is caught rather than ignored.
``parolesim schema`` prints the JSON Schema generated from them for editors.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = 1
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
Fact = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Name = Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]*$", max_length=64)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Family(StrEnum):
    HOME_VISIT = "home_visit"
    DE_ESCALATION = "de_escalation"
    VIOLATION_DECISION = "violation_decision"
    MOTIVATIONAL_INTERVIEWING = "motivational_interviewing"


class Difficulty(StrEnum):
    INTRODUCTORY = "introductory"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class RiskLevel(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class Outcome(StrEnum):
    """What kind of ending a terminal node is; debriefs and statistics group by it."""

    RESOLVED = "resolved"  # contact completed, situation settled
    DISENGAGED = "disengaged"  # officer left or postponed for safety
    REFERRAL = "referral"  # connected to treatment, crisis team or services
    SANCTION = "sanction"  # graduated, non-revocation response
    INCENTIVE = "incentive"  # progress recognised and rewarded
    REVOCATION = "revocation"  # revocation process started
    POLICE_HANDOFF = "police_handoff"  # police took over or arrested
    ESCALATED = "escalated"  # the situation got worse and the contact failed
    HARM = "harm"  # someone was hurt or put at serious risk
    NO_PROGRESS = "no_progress"  # conversation ended without movement


# ---------------------------------------------------------------- case file


class Person(Strict):
    name: str
    age: int = Field(ge=16, le=100)
    pronouns: str = "they/them"
    description: str = ""
    portrait: str = Field(default="", description="portrait key in the app's art set")


class Assessment(Strict):
    instrument: str = Field(description="a fictional risk/needs instrument name")
    score: int | None = None
    date: str | None = None
    needs: list[str] = Field(default_factory=list)
    strengths: list[str] = Field(default_factory=list)


class Condition(Strict):
    id: Id
    text: str


class Conditions(Strict):
    standard: list[Condition] = Field(default_factory=list)
    special: list[Condition] = Field(default_factory=list)


class HouseholdMember(Strict):
    name: str
    relation: str
    notes: str = ""


class CaseFile(Strict):
    person: Person
    offence: str
    sentence: str = ""
    release_date: str
    supervision_level: str = ""
    risk_level: RiskLevel
    assessment: Assessment
    conditions: Conditions
    history: list[str] = Field(default_factory=list)
    household: list[HouseholdMember] = Field(default_factory=list)
    recent_notes: list[str] = Field(default_factory=list)
    address: str = ""
    employment: str = ""


# ---------------------------------------------------------------- persona and variables


class UniformDraw(Strict):
    kind: Literal["uniform"]
    low: float
    high: float
    description: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> UniformDraw:
        if self.high < self.low:
            raise ValueError("high must not be below low")
        return self


class NormalDraw(Strict):
    kind: Literal["normal"]
    mean: float
    sd: float = Field(gt=0)
    low: float
    high: float
    description: str = ""


class IntegerDraw(Strict):
    kind: Literal["integer"]
    low: int
    high: int
    description: str = ""


class ChoiceDraw(Strict):
    kind: Literal["choice"]
    options: dict[Name, float] = Field(min_length=1, description="option -> relative weight")
    description: str = ""


class FlagDraw(Strict):
    kind: Literal["flag"]
    p: float = Field(ge=0, le=1, description="probability of true")
    description: str = ""


PersonaDraw = Annotated[
    UniformDraw | NormalDraw | IntegerDraw | ChoiceDraw | FlagDraw, Field(discriminator="kind")
]


class NumberVar(Strict):
    type: Literal["number", "int"]
    min: float
    max: float
    initial: float | int | str = Field(description="a number or an expression over persona")
    description: str = ""


class BoolVar(Strict):
    type: Literal["bool"]
    initial: bool | str = False
    description: str = ""


class EnumVar(Strict):
    type: Literal["enum"]
    values: list[Name] = Field(min_length=1)
    initial: str
    description: str = ""


Variable = Annotated[NumberVar | BoolVar | EnumVar, Field(discriminator="type")]


# ---------------------------------------------------------------- nodes


class Line(Strict):
    speaker: str = Field(description="'narrator', 'officer', 'partner' or a cast name")
    text: str
    when: str | None = Field(
        default=None, description="shown only when this condition holds (state-dependent lines)"
    )


class Choice(Strict):
    id: Id
    text: str
    facts: list[Fact] = Field(default_factory=list)
    effects: list[str] = Field(default_factory=list)
    guard: str | None = None
    next: Id
    say: str | None = Field(default=None, description="what the officer says, if it is speech")
    reply: list[Line] = Field(default_factory=list, description="lines that follow the choice")


class Timeout(Strict):
    seconds: float = Field(gt=0, le=600)
    default: Id = Field(description="the choice taken when time runs out")


class NodeBase(Strict):
    scene: str | None = Field(default=None, description="scene art key; inherits when absent")
    lines: list[Line] = Field(default_factory=list)
    phase: str | None = Field(default=None, description="e.g. an EPICS step: check_in, review")


class Narration(NodeBase):
    kind: Literal["narration"]
    next: Id


class Decision(NodeBase):
    kind: Literal["decision"]
    prompt: str
    choices: list[Choice] = Field(min_length=1)
    timeout: Timeout | None = None


class ChanceOutcome(Strict):
    next: Id
    weight: float | str = Field(description="a number or an expression; higher is likelier")
    label: str = ""


class Chance(NodeBase):
    kind: Literal["chance"]
    outcomes: list[ChanceOutcome] = Field(min_length=1)


class Terminal(NodeBase):
    kind: Literal["terminal"]
    outcome: Outcome
    title: str
    summary: str = ""


Node = Annotated[Narration | Decision | Chance | Terminal, Field(discriminator="kind")]


class Interrupt(Strict):
    """A threshold checked after every decision: when it holds, the story jumps to ``goto``.

    This is how rising agitation turns into a crisis, or a choice's consequences
    overtake the planned next step, without wiring the jump into every choice.
    """

    id: Id
    when: str
    goto: Id
    once: bool = True
    description: str = ""


class Scenario(Strict):
    schema_version: Literal[1]
    id: Id
    version: str
    title: str
    family: Family
    difficulty: Difficulty
    estimated_minutes: int = Field(ge=1, le=180)
    policy_pack: Id
    summary: str
    objectives: list[str] = Field(min_length=1)
    setting: str = Field(description="default scene art key")
    cast: dict[str, str] = Field(
        default_factory=dict, description="speaker key -> display name ('client' -> 'Dana Ruiz')"
    )
    case_file: CaseFile
    persona: dict[Name, PersonaDraw] = Field(default_factory=dict)
    variables: dict[Name, Variable] = Field(default_factory=dict)
    reactions: dict[Fact, list[str]] = Field(
        default_factory=dict,
        description="fact -> effects applied whenever a chosen choice carries that fact "
        "(how the person reacts to an approach), before the choice's own effects",
    )
    interrupts: list[Interrupt] = Field(default_factory=list)
    start: Id
    nodes: dict[Id, Node] = Field(min_length=1)

    def decision_count(self) -> int:
        return sum(1 for n in self.nodes.values() if isinstance(n, Decision))


def json_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "parolesim scenario (schema_version 1)"
    return schema
