"""The workstation's side of the classroom routes: assignments and class sessions through
the records server, with the same interface as the store's (``store.assignments``,
``store.classes``), and a class session's event stream as an iterator of pulses.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from simulator.remote import wire
from simulator.store.accounts import Person
from simulator.store.assigning import Assignment, TraineeAssignment
from simulator.store.classdata import ClassSession
from simulator.store.records import PersonRef

if TYPE_CHECKING:
    from simulator.remote.client import RecordsClient


def _ref(ref: PersonRef) -> str | int:
    return ref.id if isinstance(ref, Person) else ref


class RemoteAssignments:
    """Scenarios assigned to cohorts, through the server."""

    def __init__(self, client: RecordsClient) -> None:
        self._c = client

    def assign(
        self, actor: Person, cohort: str | int, scenario_id: str, due_on: date, *, note: str = ""
    ) -> Assignment:
        body = {"scenario": scenario_id, "due_on": due_on.isoformat(), "note": note}
        found: Assignment = wire.load(
            self._c.call("POST", f"/cohorts/{cohort}/assignments", actor, body=body), Assignment
        )
        return found

    def withdraw(self, actor: Person, assignment_id: int) -> Assignment:
        found: Assignment = wire.load(
            self._c.call("DELETE", f"/assignments/{assignment_id}", actor), Assignment
        )
        return found

    def for_cohort(self, actor: Person, cohort: str | int) -> list[Assignment]:
        found: list[Assignment] = wire.load(
            self._c.call("GET", f"/cohorts/{cohort}/assignments", actor), list[Assignment]
        )
        return found

    def for_trainee(self, actor: Person, trainee: PersonRef) -> list[TraineeAssignment]:
        found: list[TraineeAssignment] = wire.load(
            self._c.call("GET", f"/people/{_ref(trainee)}/assignments", actor),
            list[TraineeAssignment],
        )
        return found


class RemoteClasses:
    """Class sessions through the server; :meth:`pulses` follows one as it changes."""

    def __init__(self, client: RecordsClient) -> None:
        self._c = client

    def _view(self, data: Any) -> ClassSession:
        found: ClassSession = wire.load(data, ClassSession)
        return found

    def _post(
        self, actor: Person, path: str, body: Mapping[str, Any] | None = None
    ) -> ClassSession:
        return self._view(self._c.call("POST", f"/classes/{path}", actor, body=body or {}))

    def start(
        self, actor: Person, cohort: str | int, scenario_id: str, *, seed: int
    ) -> ClassSession:
        body = {"cohort": cohort, "scenario": scenario_id, "seed": seed}
        return self._view(self._c.call("POST", "/classes", actor, body=body))

    def open_voting(self, actor: Person, session_id: int) -> ClassSession:
        return self._post(actor, f"{session_id}/voting")

    def count_hands(
        self, actor: Person, session_id: int, counts: Mapping[str, int]
    ) -> ClassSession:
        return self._post(actor, f"{session_id}/hands", {"counts": dict(counts)})

    def close_voting(self, actor: Person, session_id: int) -> ClassSession:
        return self._post(actor, f"{session_id}/closing")

    def play(self, actor: Person, session_id: int, choice: str | None = None) -> ClassSession:
        return self._post(actor, f"{session_id}/plays", {"choice": choice})

    def end(self, actor: Person, session_id: int) -> ClassSession:
        return self._post(actor, f"{session_id}/end")

    def join(self, actor: Person, session_id: int) -> ClassSession:
        return self._post(actor, f"{session_id}/participants")

    def vote(self, actor: Person, session_id: int, choice: str) -> ClassSession:
        return self._post(actor, f"{session_id}/votes", {"choice": choice})

    def state(self, actor: Person, session_id: int, *, story: bool = False) -> ClassSession:
        params = {"story": "true" if story else "false"}
        return self._view(self._c.call("GET", f"/classes/{session_id}", actor, params=params))

    def open_sessions(self, actor: Person) -> list[ClassSession]:
        found: list[ClassSession] = wire.load(
            self._c.call("GET", "/classes", actor), list[ClassSession]
        )
        return found

    def export(self, actor: Person, session_id: int) -> dict[str, Any]:
        found: dict[str, Any] = self._c.call("GET", f"/classes/{session_id}/export", actor)
        return found

    def pulses(self, actor: Person, session_id: int) -> Iterator[dict[str, Any]]:
        """The session's figures at once and after every change, until it ends."""
        return self._c.stream(f"/class/{session_id}/events", actor)
