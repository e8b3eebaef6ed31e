"""The records store behind the app's :class:`~simulator.app.services.Records` interface.

Every store error becomes a :class:`ServiceError` whose message the app shows as is.
The trainee is their own actor: they sign in, start attempts, and read their records.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from simulator.app.services import (
    AssignedInfo,
    AttemptInfo,
    Profile,
    ProgressSummary,
    ServiceError,
    TrendSeries,
)
from simulator.store import (
    AccessDenied,
    Attempt,
    InvalidRecord,
    NotFound,
    PackRef,
    Person,
    ScenarioRef,
    SignInFailed,
    StoreError,
)
from simulator.store.records import Records

if TYPE_CHECKING:
    from engine.loader import ScenarioFile
    from engine.session import Event

NEEDS_ADMIN = (
    "New profiles on this computer are added by your training administrator. Ask them to "
    "add you (parolesim users add YOUR-NAME), then choose your name here."
)
STAFF_ORDER = ("trainee", "fto", "instructor", "admin")
WRONG_PASSWORD = "That password does not match. Try again, or ask your instructor to reset it."


def open_records(db_url: str | None, server: str | None = None) -> StoreRecords:
    """Open the records: a records server (``server`` or ``$PAROLESIM_SERVER``), else the
    store named by ``db_url`` (default: the embedded SQLite file)."""
    from simulator.connect import open_records as connect

    return StoreRecords(connect(db_url, server))


def _profile(p: Person) -> Profile:
    return Profile(p.id, p.username, p.display_name or p.username, p.has_password, p.role)


def _attempt(a: Attempt) -> AttemptInfo:
    return AttemptInfo(
        id=a.id,
        scenario_id=a.scenario.id,
        scenario_title=a.scenario.title or a.scenario.id,
        scenario_hash=a.scenario.hash,
        mode=a.mode,
        status=a.status,
        started_at=a.started_at,
        ended_at=a.ended_at,
        outcome=a.outcome,
        overall=a.overall,
        passed=a.passed,
        parent_id=a.parent_attempt_id,
        branch_seq=a.branch_seq,
    )


def username_for(display_name: str) -> str:
    """A store username from a display name: lower case letters, digits, dots and dashes."""
    base = re.sub(r"[^a-z0-9]+", ".", display_name.lower()).strip(".")[:56]
    return base or "trainee"


class StoreRecords:
    """Adapter from the app's needs to the records (a :class:`simulator.store.Store` or a
    records server's client)."""

    def __init__(self, store: Records) -> None:
        self.store = store
        self.where = store.location
        self.remote = store.backend == "server"
        self._people: dict[int, Person] = {}

    def actor(self, profile: Profile) -> Person:
        """The signed-in person behind ``profile`` (for the FTO screens' service)."""
        return self._me(profile)

    def _me(self, profile: Profile) -> Person:
        person = self._people.get(profile.id)
        if person is None:
            raise ServiceError(f"{profile.display_name} is not signed in")
        return person

    def profiles(self) -> list[Profile]:
        # Names are not secret (records are): the picker lists every active person,
        # trainees first, then FTOs, instructors and admins (who land on their own home).
        try:
            people = [p for role in STAFF_ORDER for p in self.store.profiles(role)]
        except StoreError as exc:
            raise ServiceError(str(exc)) from None
        return [_profile(p) for p in people]

    def create_profile(self, display_name: str, password: str | None) -> Profile:
        base = username_for(display_name)
        username = base
        for n in range(2, 1000):
            try:
                self.store.person(username)
            except NotFound:
                break
            except StoreError as exc:
                raise ServiceError(str(exc)) from None
            username = f"{base}.{n}"
        try:
            person = self.store.add_person(
                None, username, role="trainee", display_name=display_name, password=password
            )
        except AccessDenied:
            raise ServiceError(NEEDS_ADMIN) from None
        except StoreError as exc:
            raise ServiceError(str(exc)) from None
        return _profile(person)

    def sign_in(self, profile: Profile, password: str | None) -> Profile:
        try:
            person = self.store.sign_in(profile.id, password)
        except SignInFailed:
            raise ServiceError(WRONG_PASSWORD) from None
        except StoreError as exc:
            raise ServiceError(str(exc)) from None
        self._people[person.id] = person
        return _profile(person)

    def start_attempt(
        self, profile: Profile, sf: ScenarioFile, seed: int, mode: str
    ) -> AttemptInfo:
        s = sf.scenario
        ref = ScenarioRef(s.id, s.version, sf.hash, s.title, str(sf.path))
        from simulator.app import scorer  # the scorer loads when the first attempt starts

        ident = scorer.pack_identity(sf)
        pack = PackRef(ident["id"], ident["version"], ident["hash"]) if ident else None
        me = self._me(profile)
        return _attempt(
            self._call(
                lambda: self.store.attempts.start(me, me, ref, seed=seed, mode=mode, pack=pack)
            )
        )

    def recorder(self, profile: Profile, attempt_id: int) -> Callable[[Event], None]:
        rec = self._call(lambda: self.store.attempts.recorder(self._me(profile), attempt_id))

        def record(event: Event) -> None:
            try:
                rec(event)
            except StoreError as exc:
                raise ServiceError(f"your last choice could not be saved: {exc}") from None

        return record

    def finish(
        self,
        profile: Profile,
        attempt_id: int,
        report: dict[str, Any] | None,
        ending: dict[str, Any] | None,
    ) -> AttemptInfo:
        """Close the attempt. ``report`` and ``ending`` are what the screen shows; the store
        never takes them: it works both out again from the recorded events."""
        del report, ending
        return _attempt(
            self._call(lambda: self.store.attempts.finish(self._me(profile), attempt_id))
        )

    def abandon(self, profile: Profile, attempt_id: int) -> None:
        self._call(lambda: self.store.attempts.abandon(self._me(profile), attempt_id))

    def branch(self, profile: Profile, attempt_id: int, at_seq: int) -> AttemptInfo:
        return _attempt(
            self._call(lambda: self.store.attempts.branch(self._me(profile), attempt_id, at_seq))
        )

    def log(self, profile: Profile, attempt_id: int) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            lambda: self.store.attempts.log(self._me(profile), attempt_id)
        )
        return result

    def report(self, profile: Profile, attempt_id: int) -> dict[str, Any] | None:
        result: dict[str, Any] | None = self._call(
            lambda: self.store.attempts.report(self._me(profile), attempt_id)
        )
        return result

    def attempts(self, profile: Profile) -> list[AttemptInfo]:
        me = self._me(profile)
        return [_attempt(a) for a in self._call(lambda: self.store.attempts.find(me, me))]

    def progress(self, profile: Profile) -> ProgressSummary:
        me = self._me(profile)
        prog = self._call(lambda: self.store.progress(me, me))
        trends = tuple(
            TrendSeries(c.id, c.title, tuple((p.week.isoformat(), p.mean) for p in c.points))
            for c in prog.competencies
        )
        return ProgressSummary(tuple(self.attempts(profile)), trends)

    def assigned(self, profile: Profile) -> list[AssignedInfo]:
        """The trainee's assignments from all their cohorts, soonest due first."""
        me = self._me(profile)
        found = self._call(lambda: self.store.assignments.for_trainee(me, me))
        return [
            AssignedInfo(
                t.assignment.scenario_id,
                t.assignment.scenario_title,
                t.assignment.cohort,
                t.assignment.due_on,
                t.done,
            )
            for t in found
        ]

    @staticmethod
    def _call(action: Callable[[], Any]) -> Any:
        try:
            return action()
        except (InvalidRecord, StoreError) as exc:
            raise ServiceError(str(exc)) from None
