"""The app's side of class sessions: a service over the records (errors become
:class:`ServiceError` with the store's words) and a follower that keeps the newest state of
one session for a screen, fed in the background so the frame loop never waits.

Through a records server the follower reads the session's event stream (server push);
on a store opened directly (the embedded SQLite file, one machine) it hears the store's own
class bus at once and also looks every half second, for votes cast by another program on
the same machine (``parolesim class vote`` at a hot seat).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from simulator.app.services import Profile, ServiceError
from simulator.store import StoreError

if TYPE_CHECKING:
    from simulator.app.records import StoreRecords
    from simulator.store import Cohort, Person
    from simulator.store.assigning import TraineeAssignment
    from simulator.store.classdata import ClassSession

T = TypeVar("T")
POLL_SECONDS = 0.5


class ClassService:
    """What the projector and the voting screen ask of the records, as ``profile``."""

    def __init__(self, records: StoreRecords, profile: Profile) -> None:
        self.store = records.store
        self.me: Person = records.actor(profile)

    def _call(self, job: Callable[[], T]) -> T:
        try:
            return job()
        except StoreError as exc:
            raise ServiceError(str(exc)) from None

    # --- instructor -----------------------------------------------------------------
    def teaching(self) -> list[Cohort]:
        """The cohorts the signed-in instructor teaches (every cohort for an admin)."""
        found = self._call(lambda: self.store.cohorts(self.me))
        if self.me.role == "admin":
            return found
        return [c for c in found if self.me.username in c.instructors]

    def assigned(self, cohort: str) -> dict[str, str]:
        """Scenario id -> due date of the cohort's assignments ({} if they cannot be read)."""
        try:
            return {
                a.scenario_id: a.due_on.isoformat()
                for a in self.store.assignments.for_cohort(self.me, cohort)
            }
        except StoreError:
            return {}

    def start(self, cohort: str, scenario_id: str) -> ClassSession:
        seed = random.SystemRandom().randrange(1, 2**31)
        return self._call(lambda: self.store.classes.start(self.me, cohort, scenario_id, seed=seed))

    def open_voting(self, session_id: int) -> ClassSession:
        return self._call(lambda: self.store.classes.open_voting(self.me, session_id))

    def close_voting(self, session_id: int) -> ClassSession:
        return self._call(lambda: self.store.classes.close_voting(self.me, session_id))

    def count_hands(self, session_id: int, counts: Mapping[str, int]) -> ClassSession:
        return self._call(lambda: self.store.classes.count_hands(self.me, session_id, counts))

    def play(self, session_id: int, choice: str | None) -> ClassSession:
        return self._call(lambda: self.store.classes.play(self.me, session_id, choice))

    def end(self, session_id: int) -> ClassSession:
        return self._call(lambda: self.store.classes.end(self.me, session_id))

    # --- trainee --------------------------------------------------------------------
    def open_sessions(self) -> list[ClassSession]:
        return self._call(lambda: self.store.classes.open_sessions(self.me))

    def my_assignments(self) -> list[TraineeAssignment]:
        return self._call(lambda: self.store.assignments.for_trainee(self.me, self.me))

    def join(self, session_id: int) -> ClassSession:
        return self._call(lambda: self.store.classes.join(self.me, session_id))

    def vote(self, session_id: int, choice: str) -> ClassSession:
        return self._call(lambda: self.store.classes.vote(self.me, session_id, choice))

    def state(self, session_id: int, *, story: bool = False) -> ClassSession:
        return self._call(lambda: self.store.classes.state(self.me, session_id, story=story))


class Follower:
    """Keeps the newest state of one class session, read in a background thread after each
    change; the screen takes it with :meth:`take` once per frame."""

    def __init__(self, service: ClassService, session_id: int, *, story: bool) -> None:
        self.service, self.session_id, self.story = service, session_id, story
        self._lock = threading.Lock()
        self._latest: ClassSession | None = None
        self._error = ""
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="class-follower", daemon=True)
        self._thread.start()

    def take(self) -> ClassSession | None:
        """The state read since the last call, if any."""
        with self._lock:
            latest, self._latest = self._latest, None
            return latest

    def error(self) -> str:
        with self._lock:
            return self._error

    def poke(self) -> None:
        """Read again now (after this screen changed the session itself)."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def _run(self) -> None:
        store: Any = self.service.store
        pulses = getattr(getattr(store, "classes", None), "pulses", None)
        if pulses is not None:  # a records server: follow its event stream
            while not self._stop.is_set():
                try:
                    for _pulse in pulses(self.service.me, self.session_id):
                        if self._stop.is_set():
                            return
                        view = self._peek()
                        if view is not None:
                            with self._lock:
                                self._latest = view
                        if view is not None and view.status == "ended":
                            return
                except StoreError as exc:
                    with self._lock:
                        self._error = str(exc)
                    self._stop.wait(1.0)
            return
        bus = store.classes.bus
        unsubscribe = bus.subscribe(self.session_id, lambda _id: self._wake.set())
        try:
            last: Any = None
            while not self._stop.is_set():
                view = self._peek()
                if view is not None and view != last:
                    last = view
                    with self._lock:
                        self._latest = view
                    if view.status == "ended":
                        return
                self._wake.wait(POLL_SECONDS)
                self._wake.clear()
        finally:
            unsubscribe()

    def _peek(self) -> ClassSession | None:
        try:
            view = self.service.state(self.session_id, story=self.story)
        except ServiceError as exc:
            with self._lock:
                self._error = str(exc)
            return None
        with self._lock:
            self._error = ""
        return view
