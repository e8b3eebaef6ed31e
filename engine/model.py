"""The scenario format, version 1, as pydantic models.

A scenario is data a training coordinator writes in YAML. These models fix its
shape: unknown keys are errors, so a typo is caught rather than ignored.
``parolesim schema`` prints the JSON Schema generated from them for editors.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic import Strict as PydanticStrict

from engine.mechanics.caseload_spec import Caseload, CaseloadAction

SCHEMA_VERSION = 1
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
Fact = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Name = Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]*$", max_length=64)]


T = TypeVar("T")
Lax = Annotated[T, PydanticStrict(False)]


class Strict(BaseModel):
    """Every scenario model: unknown keys are errors, and values keep their YAML type.

    Strict mode refuses ``"5"`` where a number belongs and ``0`` where yes/no
    (``true``/``false``) belongs, instead of quietly converting them. Enumerations
    are the one exception (``Lax``): YAML gives them as plain words.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


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
    risk_level: Lax[RiskLevel]
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


Finite = Annotated[float, Field(allow_inf_nan=False)]


class NumberVar(Strict):
    type: Literal["number", "int"]
    min: Finite
    max: Finite
    initial: Finite | int | str = Field(description="a number or an expression over persona")
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


# ---------------------------------------------------------------- places (home visits)


class Control(StrEnum):
    """Whose area a room is; decides what authority a search of it needs."""

    PAROLEE = "parolee"  # the parolee's own room: the search condition reaches it
    SHARED = "shared"  # used by the parolee with others: the search condition reaches it
    THIRD_PARTY = "third_party"  # someone else's alone: only their consent or a warrant


class PartnerTask(StrEnum):
    """What the second officer does during a choice; anything but cover or a radio call merges
    the contact and cover roles."""

    COVER = "cover"
    CALL = "call"  # radios the office or police while still watching
    SEARCH = "search"
    INTERVIEW = "interview"


class Place(Strict):
    """A room or spot at the address: who controls it and what can be seen from it."""

    name: str
    description: str = ""
    off_premises: bool = Field(
        default=False,
        description="away from the residence and out of reach (the street, the car): "
        "going here from the premises is withdrawing",
    )
    control: Lax[Control] = Control.SHARED
    controller: str = Field(
        default="", description="cast key of the person a third_party room belongs to"
    )
    locked: bool = False
    lawful: str | None = Field(
        default=None,
        description="when officers may lawfully stand here (expression); always when absent",
    )
    consent: str | None = Field(
        default=None,
        description="third_party rooms: when the controller has agreed to a search (expression)",
    )
    sees: list[Name] = Field(
        default_factory=list, description="other places in view from here (plain view)"
    )


class ItemKind(StrEnum):
    CONTRABAND = "contraband"
    WEAPON = "weapon"
    EVIDENCE = "evidence"
    OTHER = "other"


class PlaceItem(Strict):
    """Something at the address that may be there, depending on persona and variables."""

    label: str = Field(description="how the narrator names it: 'a glass pipe on the table'")
    place: Name
    kind: Lax[ItemKind] = ItemKind.OTHER
    hidden: bool = Field(default=False, description="found only by searching its place")
    obvious: bool = Field(
        default=False,
        description="impossible to miss once in view (a gun in someone's hand): seen as soon "
        "as a decision is put, whatever the partner is doing",
    )
    present: str | None = Field(
        default=None, description="the item is there only when this holds (expression)"
    )


class PersonKind(StrEnum):
    ADULT = "adult"
    CHILD = "child"
    ANIMAL = "animal"


class PlacePerson(Strict):
    """Someone (or an animal) who may be at the address, and where."""

    label: str
    place: Name
    kind: Lax[PersonKind] = PersonKind.ADULT
    present: str | None = Field(default=None, description="there only when this holds")


class Places(Strict):
    """The address of a home visit; the engine derives search, plain-view, role and weapon
    facts from choices' actions against it (see engine/mechanics/places.py)."""

    start: Name = Field(description="where the officers are when the scenario starts")
    partner: bool = Field(default=True, description="a second officer is on the visit")
    rooms: dict[Name, Place] = Field(min_length=1)
    items: dict[Name, PlaceItem] = Field(default_factory=dict)
    people: dict[Name, PlacePerson] = Field(default_factory=dict)


# ---------------------------------------------------------------- nodes


class Line(Strict):
    speaker: str = Field(description="'narrator', 'officer', 'partner' or a cast name")
    text: str
    when: str | None = Field(
        default=None, description="shown only when this condition holds (state-dependent lines)"
    )


class IntakeAction(Strict):
    """What a choice does in a risk/needs intake (``engine.mechanics.intake`` derives its
    facts against the instrument and this person's seeded key)."""

    ask: list[Name] = Field(
        default_factory=list,
        description="instrument domains this question explores; how it is asked (the choice's "
        "MI facts) decides whether the answers are full and true or guarded",
    )
    rate: dict[Name, int] = Field(
        default_factory=dict, description="instrument item -> the rating the trainee gives it"
    )
    level: Lax[RiskLevel] | None = Field(
        default=None, description="the risk level the trainee sets from the assessment"
    )
    targets: list[Name] = Field(
        default_factory=list, description="instrument domains the case plan targets, in order"
    )
    dosage: Lax[RiskLevel] | None = Field(
        default=None,
        description="the intervention dosage the plan sets: low (minimal), moderate (about "
        "100 hours), high (200 hours or more)",
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
    # home-visit actions (engine.mechanics.places derives their facts; need a `places:` block)
    search: Name | None = Field(default=None, description="search this room of `places`")
    look_from: Name | None = Field(
        default=None, description="stand at this place and look: what is in plain view is seen"
    )
    move_to: Name | None = Field(default=None, description="the officers go to this place")
    partner: Lax[PartnerTask] | None = Field(
        default=None, description="what the partner does during this choice (default: cover)"
    )
    intake: IntakeAction | None = Field(
        default=None, description="risk/needs intake actions (needs an `intake:` block)"
    )
    caseload: CaseloadAction | None = Field(
        default=None,
        description="caseload triage: carry out a plan of `caseload.plans`, deal with alerts, "
        "or step low-risk people down (engine.mechanics.caseload derives the facts)",
    )
    pin: Literal["first", "last"] | None = Field(
        default=None,
        description="keep this option first or last when the options are shuffled; only where "
        "order carries meaning (e.g. 'leave' last). Options are otherwise shown in a random "
        "order drawn from the attempt's seed, so position never gives the answer away",
    )


class Timeout(Strict):
    seconds: float = Field(gt=0, le=600)
    default: Id = Field(description="the choice taken when time runs out")


class NodeBase(Strict):
    scene: str | None = Field(
        default=None,
        description="the setting from this node on (a key of engine.settings.SETTINGS); "
        "inherits from the node before when absent",
    )
    present: list[Name] | None = Field(
        default=None,
        description="cast keys in view from this node on ([]: nobody); as before when absent",
    )
    sitting: list[Name] | None = Field(
        default=None,
        description="of those present, who is sitting from this node on ([]: everyone "
        "stands); as before when absent",
    )
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
    weight: float | str = Field(
        description="a number or an expression, higher is likelier; a condition counts as 1 "
        "when it holds and 0 when it does not"
    )
    label: str = ""


class Chance(NodeBase):
    kind: Literal["chance"]
    outcomes: list[ChanceOutcome] = Field(min_length=1)


class Terminal(NodeBase):
    kind: Literal["terminal"]
    outcome: Lax[Outcome]
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


class ClientProfile(Strict):
    """A conversation partner whose talk responds to the officer's MI behaviour.

    Optional. When present, ``engine.mechanics.client`` declares the talk
    variables (change_talk, sustain_talk, discord, 0-10) and applies standard
    reactions to the MITI 4.2.1 behaviour facts, so every motivational
    interviewing scenario's client behaves by the same rules. Each value is a
    number or an expression over persona values.
    """

    speaker: str = Field(default="client", description="the cast key whose talk this models")
    readiness: float | str = Field(description="0-1: how ready the person is to change")
    ambivalence: float | str = Field(
        default=0.5, description="0-1: how torn the person is (more to evoke, more to resist)"
    )
    reactivity: float | str = Field(
        default=0.5, description="0-1: how sharply discord rises at confrontation or persuasion"
    )
    discord: float | str = Field(default=0, description="0-10: discord at the start")
    reactions: dict[Fact, list[str]] = Field(
        default_factory=dict,
        description="fact -> effects that replace the standard reaction to that fact",
    )


class Approach(Strict):
    """How one approach (a fact on a choice) moves the person, before seeded scaling."""

    agitation: float = Field(default=0.0, ge=-10, le=10, description="change per use")
    trust: float = Field(default=0.0, ge=-10, le=10, description="change per use")
    step: Literal["listening", "empathy", "rapport", "influence", "pressure", "neutral"] = Field(
        default="neutral",
        description="the Behavioral Change Stairway step this approach belongs to; "
        "'influence' works fully only once rapport is built (see rapport_at)",
    )


class Deescalation(Strict):
    """A reusable de-escalation profile (``engine.mechanics.deescalation``).

    Every choice's facts move the person's agitation and trust through a shared
    table of approaches (listening, empathy, rapport, influence calm; bare commands,
    threats and arguing inflame), scaled by the person's volatility and
    receptiveness and by a seeded per-choice variation, so scenarios do not each
    repeat the same reaction table.
    """

    profile: Literal["stairway", "none"] = Field(
        default="stairway", description="the built-in approach table to start from"
    )
    agitation: Name = Field(default="agitation", description="the number variable for agitation")
    trust: Name = Field(default="trust", description="the number variable for trust")
    volatility: float | str = Field(
        default=1.0, description="how sharply pressure raises agitation (number or expression)"
    )
    receptiveness: float | str = Field(
        default=1.0,
        description="how much listening and empathy settle the person (number or expression)",
    )
    variation: float = Field(
        default=0.3,
        ge=0,
        le=0.9,
        description="each choice's reaction is scaled by a seeded factor in 1 ± variation",
    )
    rapport_at: float | None = Field(
        default=None,
        description="below this trust, influence approaches have half their effect",
    )
    approaches: dict[Fact, Approach] = Field(
        default_factory=dict, description="approaches added to, or replacing, the profile's"
    )


class KeyCase(Strict):
    """One case of an item's key: ``value`` when ``when`` holds (no ``when``: otherwise)."""

    when: str | None = None
    value: int = Field(ge=0, le=2)


class IntakeProfile(Strict):
    """A risk/needs intake with the agency instrument (``engine.mechanics.intake``).

    ``key`` is the correct rating of every instrument item for this person, each a whole
    number or an expression over persona values, so the key varies by seed. ``answers``
    gives, per item and value, what the person says when that value is what they tell the
    officer; items without one are narrated with the instrument's anchor.
    """

    instrument: Id = Field(description="the id of the policy pack's instrument")
    speaker: str = Field(default="client", description="the cast key of the person interviewed")
    key: dict[Name, int | str | list[KeyCase]] = Field(
        min_length=1,
        description="instrument item -> its correct rating: a number, a number expression, or "
        "cases (the first whose `when` holds; the last may omit it)",
    )
    answers: dict[Name, dict[Lax[int], str]] = Field(
        default_factory=dict, description="item -> told value -> what the person says"
    )
    open_facts: list[Fact] = Field(
        default_factory=lambda: [
            "question_open",
            "simple_reflection",
            "complex_reflection",
            "affirm",
            "emphasizing_autonomy",
            "seeking_collaboration",
            "intake_conversational_interview",
        ],
        description="facts of an MI-consistent question: answers come full and true",
    )
    closed_facts: list[Fact] = Field(
        default_factory=lambda: [
            "question_closed",
            "confront",
            "persuade",
            "labelling_language",
            "threatened_sanction_for_silence",
            "intake_checklist_questioning",
        ],
        description="facts that make the person guarded: each told value drops by guarded_drop",
    )
    guarded_drop: int = Field(default=1, ge=0, le=2)


class Requirement(Strict):
    """Something the job still requires before a run can pass (the contact completed, a
    report written, a follow-up set). Met when any one of ``facts`` was earned in the run."""

    title: str = Field(min_length=1, description="what must be done, as the debrief says it")
    facts: list[Fact] = Field(min_length=1, description="any one of these facts meets it")


class Twist(Strict):
    """Something the trainee learns only in play: a weapon that will be seen, a visitor on
    the couch, the seeded truth behind a result. The briefing must not give it away
    (``engine.twists`` warns when the title, summary, objectives or case file name it)."""

    what: str = Field(min_length=1, description="the twist in a few words, as lint reports it")
    terms: list[str] = Field(
        min_length=1,
        description="words or phrases that name it; each must appear in the play text and "
        "none in the briefing (matched whole-word, any case)",
    )


class Scenario(Strict):
    schema_version: Literal[1]
    id: Id
    version: str
    title: str
    family: Name = Field(
        description="the kind of scenario: a family the policy pack declares (its families.yaml)"
    )
    difficulty: Lax[Difficulty]
    estimated_minutes: int = Field(ge=1, le=180)
    policy_pack: Id
    summary: str
    objectives: list[str] = Field(min_length=1)
    setting: str = Field(description="the opening setting (a key of engine.settings.SETTINGS)")
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
    places: Places | None = Field(
        default=None, description="home visits: rooms, items and people at the address"
    )
    caseload: Caseload | None = Field(
        default=None,
        description="caseload triage: a caseload generated from the seed, alerts and plans",
    )
    client: ClientProfile | None = Field(
        default=None, description="a client model for conversations (engine.mechanics.client)"
    )
    deescalation: Deescalation | None = Field(
        default=None, description="optional de-escalation profile (agitation and trust)"
    )
    intake: IntakeProfile | None = Field(
        default=None, description="risk/needs intake with the pack's instrument"
    )
    twists: list[Twist] = Field(
        default_factory=list,
        description="what the trainee meets only in play, which the briefing must not reveal",
    )
    requires: list[Requirement] = Field(
        default_factory=list,
        description="what the job requires before the run can pass; a run that ends without "
        "one of them fails, and its debrief says what was left undone",
    )
    start: Id
    nodes: dict[Id, Node] = Field(min_length=1)

    def decision_count(self) -> int:
        return sum(1 for n in self.nodes.values() if isinstance(n, Decision))

    def each_choice(self) -> Iterator[tuple[str, int, Choice]]:
        """Every choice of every decision, with its node id and index (for checks that
        report a choice at its place in the file)."""
        for nid, node in self.nodes.items():
            if isinstance(node, Decision):
                for i, choice in enumerate(node.choices):
                    yield nid, i, choice


def json_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "parolesim scenario (schema_version 1)"
    return schema
