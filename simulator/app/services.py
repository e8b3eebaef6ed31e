"""The app's one door to everything that is not drawing: scenarios, sessions, records.

Screens never import the engine's session machinery, the records store, the scorer
or the report renderer directly; they call this module, so each of those is wired in
at one place and the screens stay a thin view: they show what the engine says and send
back what the trainee picks. Nothing here decides a score; the scorer does.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # the engine loads with the library, after the first frame is up
    from engine.compile import CompiledScenario
    from engine.library import Library
    from engine.loader import ScenarioFile
    from engine.problems import Problem
    from engine.session import Event, Session


class _FamilyLabels(Mapping[str, str]):
    """Family id -> title, from the families the default policy pack declares (loaded on
    first use); a family it does not declare reads as its id in words."""

    def __init__(self) -> None:
        self._titles: dict[str, str] | None = None

    def _load(self) -> dict[str, str]:
        if self._titles is None:
            from engine.problems import ContentError
            from scoring.pack import default_pack_path, load_pack

            try:
                pack = load_pack(default_pack_path())
                self._titles = {f.id: f.title for f in pack.families.values()}
            except (ContentError, OSError):  # reported where it is scored; labels fall back
                self._titles = {}
        return self._titles

    def __getitem__(self, family: str) -> str:
        return self._load().get(family) or family.replace("_", " ").capitalize()

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


FAMILY_LABELS: Mapping[str, str] = _FamilyLabels()
MODE_LABELS = {"practice": "Practice", "assessment": "Assessment", "classroom": "Classroom"}


class ServiceError(Exception):
    """Something the trainee asked for cannot be done; the message says why in plain words."""


# ---------------------------------------------------------------- records (store adapter)


@dataclass(frozen=True)
class Profile:
    """A person who can sign in on this workstation (a trainee, or staff: FTO, instructor,
    admin, who land on their own home screen)."""

    id: int
    username: str
    display_name: str
    has_password: bool
    role: str = "trainee"


@dataclass(frozen=True)
class AttemptInfo:
    """One attempt as the app lists it (scores come from the stored score report)."""

    id: int
    scenario_id: str
    scenario_title: str
    scenario_hash: str
    mode: str
    status: str  # in_progress | completed | abandoned
    started_at: datetime
    ended_at: datetime | None = None
    outcome: str | None = None
    overall: float | None = None
    passed: bool | None = None
    parent_id: int | None = None
    branch_seq: int | None = None


@dataclass(frozen=True)
class TrendSeries:
    """One competency's weekly mean score, oldest first, as (ISO date of the week's Monday,
    mean)."""

    competency: str
    title: str
    points: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class AssignedInfo:
    """A scenario the trainee's cohort was assigned: when it is due and whether they have
    completed it."""

    scenario_id: str
    title: str
    cohort: str
    due_on: date
    done: bool

    def words(self, today: date) -> str:
        due = f"{self.due_on:%d %b}"
        if self.done:
            return "Assigned: done"
        if today > self.due_on:
            return f"Assigned: overdue since {due}"
        return f"Assigned, due {due}"


@dataclass(frozen=True)
class ProgressSummary:
    attempts: tuple[AttemptInfo, ...]
    trends: tuple[TrendSeries, ...]


class Records(Protocol):
    """What the app needs from the records store (implemented in ``simulator.app.records``)."""

    where: str
    remote: bool  # through a records server: every read is a network call

    def profiles(self) -> list[Profile]: ...
    def create_profile(self, display_name: str, password: str | None) -> Profile: ...
    def sign_in(self, profile: Profile, password: str | None) -> Profile: ...
    def start_attempt(
        self, profile: Profile, sf: ScenarioFile, seed: int, mode: str
    ) -> AttemptInfo: ...
    def recorder(self, profile: Profile, attempt_id: int) -> Callable[[Event], None]: ...
    def finish(
        self,
        profile: Profile,
        attempt_id: int,
        report: dict[str, Any] | None,
        ending: dict[str, Any] | None,
    ) -> AttemptInfo: ...
    def abandon(self, profile: Profile, attempt_id: int) -> None: ...
    def branch(self, profile: Profile, attempt_id: int, at_seq: int) -> AttemptInfo: ...
    def log(self, profile: Profile, attempt_id: int) -> dict[str, Any]: ...
    def report(self, profile: Profile, attempt_id: int) -> dict[str, Any] | None: ...
    def attempts(self, profile: Profile) -> list[AttemptInfo]: ...
    def progress(self, profile: Profile) -> ProgressSummary: ...
    def assigned(self, profile: Profile) -> list[AssignedInfo]: ...


# ---------------------------------------------------------------- scenarios


class Catalog:
    """The scenario library, loaded once per app run."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = root
        self._library: Library | None = None
        self._lock = threading.Lock()

    @property
    def library(self) -> Library:
        with self._lock:  # a preload in progress finishes first
            if self._library is None:
                from engine.library import discover

                self._library = discover(self.root)
            return self._library

    def preload(self) -> threading.Thread:
        """Load the library in the background (while the trainee signs in)."""
        thread = threading.Thread(target=lambda: self.library, name="library", daemon=True)
        thread.start()
        return thread

    @property
    def scenarios(self) -> tuple[ScenarioFile, ...]:
        return self.library.scenarios

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.library.problems

    def by_id(self, scenario_id: str) -> ScenarioFile:
        sf = self.library.by_id(scenario_id)
        if sf is None:
            raise ServiceError(
                f"the scenario '{scenario_id}' is no longer in the library "
                f"({self.root or 'scenarios/'}); ask your coordinator to restore it"
            )
        return sf

    def add(self, sf: ScenarioFile) -> None:
        """Make a scenario given by path (``parolesim play FILE``) part of this run's library."""
        from engine.library import Library

        lib = self.library
        if lib.by_id(sf.scenario.id) is None:
            self._library = Library((*lib.scenarios, sf), lib.problems)


def compiled(sf: ScenarioFile) -> CompiledScenario:
    from engine.compile import compile_scenario

    return compile_scenario(sf)


# ---------------------------------------------------------------- a run in progress


@dataclass
class Run:
    """A live attempt: the engine session and the attempt that records its events."""

    profile: Profile
    sf: ScenarioFile
    attempt: AttemptInfo
    session: Session
    events_seen: int = field(default=0)

    @property
    def mode(self) -> str:
        return self.attempt.mode


def new_seed() -> int:
    return secrets.randbelow(2**31)


def start_run(
    records: Records,
    profile: Profile,
    sf: ScenarioFile,
    mode: str,
    extra_time: float | None = 1.0,
) -> Run:
    """Open an attempt and start the session; every engine event is recorded as it happens.

    ``extra_time`` multiplies timed decisions' limits (None: no timer); the session records
    it in the attempt's first event, so grading sees the accommodation."""
    seed = new_seed()
    attempt = records.start_attempt(profile, sf, seed, mode)
    recorder = records.recorder(profile, attempt.id)
    from engine.session import Session

    session = Session.start(compiled(sf), seed, on_event=recorder, extra_time=extra_time)
    return Run(profile, sf, attempt, session)


def resume_run(records: Records, catalog: Catalog, profile: Profile, attempt: AttemptInfo) -> Run:
    """Rebuild an unfinished attempt from its recorded events and continue it."""
    sf = catalog.by_id(attempt.scenario_id)
    log = records.log(profile, attempt.id)
    recorder = records.recorder(profile, attempt.id)
    from engine.session import ReplayError, replay

    try:
        session = replay(compiled(sf), log, on_event=recorder)
    except ReplayError as exc:
        raise ServiceError(f"this attempt cannot be resumed: {exc}") from None
    return Run(profile, sf, attempt, session)


def branch_run(
    records: Records, catalog: Catalog, profile: Profile, attempt_id: int, decision_seq: int
) -> Run:
    """ "Try again from this decision": a new attempt replaying everything before it."""
    child = records.branch(profile, attempt_id, decision_seq)
    return resume_run(records, catalog, profile, child)


# ---------------------------------------------------------------- what the view shows


def _unit(session: Session, name: str, default: float) -> float:
    from engine.model import NumberVar

    var = session.compiled.scenario.variables.get(name)
    if not isinstance(var, NumberVar) or var.max <= var.min or name not in session.vars:
        return default
    value = (float(session.vars[name]) - var.min) / (var.max - var.min)
    return min(1.0, max(0.0, value))


def mood_levels(session: Session) -> tuple[float, float, float]:
    """(agitation, trust, distress) in 0..1 from the declared variables' ranges.

    ``discord`` (friction between officer and person in a conversation: sarcasm,
    defending, packing up to leave) shows as tension, so it counts toward agitation;
    undeclared variables count as calm, middling trust, no distress.
    """
    agitation = max(_unit(session, "agitation", 0.0), _unit(session, "discord", 0.0))
    trust = _unit(session, "trust", 0.5)
    distress = _unit(session, "distress", 0.0)
    return agitation, trust, distress


def parolee_present(session: Session) -> bool:
    """Whether the person of the case file is in the current scene: they have spoken since
    the scene last changed (before that, e.g. in the car on the way, no portrait is shown)."""
    s = session.compiled.scenario
    who = {k for k, name in s.cast.items() if name == s.case_file.person.name}
    who |= {"client", "parolee"}
    present, scene = False, s.setting
    for line in session.transcript:
        node = s.nodes.get(line.node)
        if node is not None and node.scene and node.scene != scene:
            scene, present = node.scene, False
        if line.speaker in who:
            present = True
    return present


@dataclass(frozen=True)
class Stage:
    """What the scene shows now: the setting, who is in view (cast keys, the case file's
    person first) and which of them sit. ``declared`` says whether presence comes from
    the nodes' ``present:`` declarations or, for scenarios that declare none, is inferred
    from who has spoken."""

    setting: str
    present: tuple[str, ...]
    sitting: frozenset[str]
    declared: bool


def person_key(session: Session) -> str:
    """The cast key of the case file's person ('client' when the cast does not name them)."""
    s = session.compiled.scenario
    return next((k for k, name in s.cast.items() if name == s.case_file.person.name), "client")


def stage(session: Session) -> Stage:
    """The setting and people of the current node, from the declarations of the nodes
    presented so far (each ``scene``/``present``/``sitting`` holds until a later node
    changes it); without any ``present`` declaration, the case file's person is shown
    once they have spoken in the current setting (scenarios written before declarations)."""
    s = session.compiled.scenario
    nodes = s.nodes
    setting = s.setting
    present: list[str] | None = None
    sitting: list[str] = []
    for ev in session.events:
        if ev.type != "presented" or ev.node not in nodes:
            continue
        node = nodes[ev.node]
        if node.scene:
            setting = node.scene
        if node.present is not None:
            present = list(node.present)
        if node.sitting is not None:
            sitting = list(node.sitting)
    if present is None:
        who = person_key(session)
        shown = (who,) if parolee_present(session) else ()
        return Stage(setting, shown, frozenset(sitting) & set(shown), False)
    first = person_key(session)
    ordered = sorted(dict.fromkeys(present), key=lambda k: k != first)
    return Stage(setting, tuple(ordered), frozenset(sitting) & set(ordered), True)


def scene_key(session: Session) -> str:
    """The scene in view: the last presented node that names one, else the setting."""
    nodes = session.compiled.scenario.nodes
    key = session.compiled.scenario.setting
    for ev in session.events:
        if ev.type == "presented" and ev.node in nodes:
            scene = nodes[ev.node].scene
            if scene:
                key = scene
    return key


def speaker_name(session: Session, speaker: str) -> str:
    """How a transcript speaker is named: 'You', 'Your partner' or the cast display name."""
    if speaker == "officer":
        return "You"
    if speaker == "partner":
        return "Your partner"
    cast = session.compiled.scenario.cast
    return cast.get(speaker, speaker.replace("_", " ").title())


def prompt(session: Session) -> str:
    from engine.model import Decision

    node = session.node
    return node.prompt if isinstance(node, Decision) else ""
