"""The records interface the app and the CLI use, whoever keeps the records.

:class:`~simulator.store.Store` (the embedded SQLite file, or a PostgreSQL database opened
directly) and :class:`~simulator.client.RecordsClient` (a records server, ``--server URL``)
both implement it, so every command and screen works against either. ``actor`` is the
signed-in person; against a server it only selects which of this workstation's sign-ins
acts, and the server decides what that person may do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from types import TracebackType
from typing import Any, Protocol

from simulator.store.accounts import Person
from simulator.store.assigning import Assignment, TraineeAssignment
from simulator.store.attempts import Attempt, PackRef, ScenarioRef
from simulator.store.audit import AuditEntry
from simulator.store.classdata import ClassSession
from simulator.store.cohorts import Cohort
from simulator.store.evaluations import Evaluation, Rating
from simulator.store.progress import Progress
from simulator.store.recording import AttemptRecord, EventLike
from simulator.store.reviewing import AttemptReview, CalibrationSession, DecisionMark, QueueItem

PersonRef = Person | str | int


class EventSink(Protocol):
    """The engine's ``on_event`` for one attempt: each call is durable before it returns."""

    attempt_id: int
    next_seq: int

    def __call__(self, event: EventLike | Mapping[str, Any]) -> None: ...

    def append(self, event: EventLike | Mapping[str, Any]) -> None: ...


class AttemptsAPI(Protocol):
    def start(
        self,
        actor: Person,
        trainee: PersonRef,
        scenario: ScenarioRef,
        *,
        seed: int,
        mode: str = ...,
        pack: PackRef | None = ...,
        workstation: str = ...,
    ) -> Attempt: ...

    def recorder(self, actor: Person, attempt_id: int) -> EventSink: ...

    def finish(self, actor: Person, attempt_id: int) -> Attempt: ...

    def abandon(self, actor: Person, attempt_id: int) -> Attempt: ...

    def rescore(self, actor: Person, attempt_id: int) -> Attempt: ...

    def branch(self, actor: Person, attempt_id: int, at_seq: int) -> Attempt: ...

    def get(self, actor: Person, attempt_id: int) -> Attempt: ...

    def log(self, actor: Person, attempt_id: int, *, with_score: bool = ...) -> dict[str, Any]: ...

    def report(self, actor: Person, attempt_id: int) -> dict[str, Any] | None: ...

    def find(
        self, actor: Person, trainee: PersonRef | None = ..., *, status: str | None = ...
    ) -> list[Attempt]: ...

    def records(
        self, actor: Person, trainees: Sequence[PersonRef] | None = ...
    ) -> list[AttemptRecord]: ...

    def of_cohort(
        self,
        actor: Person,
        cohort: str | int,
        *,
        scenario: str | None = ...,
        since: date | None = ...,
    ) -> list[AttemptRecord]: ...

    def unfinished(self, actor: Person, trainee: PersonRef) -> list[Attempt]: ...


class EvaluationsAPI(Protocol):
    def create(
        self,
        actor: Person,
        trainee: PersonRef,
        ratings: Sequence[Rating],
        *,
        kind: str = ...,
        observed_on: date | None = ...,
        summary: str = ...,
        attempt_id: int | None = ...,
    ) -> Evaluation: ...

    def update_draft(
        self, actor: Person, evaluation_id: int, ratings: Sequence[Rating], summary: str
    ) -> Evaluation: ...

    def sign(
        self, actor: Person, evaluation_id: int, comment: str = ..., *, step: str | None = ...
    ) -> Evaluation: ...

    def amend(
        self,
        actor: Person,
        evaluation_id: int,
        ratings: Sequence[Rating],
        *,
        reason: str,
        summary: str | None = ...,
    ) -> Evaluation: ...

    def get(self, actor: Person, evaluation_id: int) -> Evaluation: ...

    def find(self, actor: Person, trainee: PersonRef) -> list[Evaluation]: ...


class ReviewsAPI(Protocol):
    """FTO review and calibration (``simulator.store.reviewing``)."""

    def queue(self, actor: Person, *, limit: int = ...) -> list[QueueItem]: ...

    def attempt(self, actor: Person, attempt_id: int) -> AttemptReview: ...

    def mark(
        self, actor: Person, attempt_id: int, decision: int, *, agrees: bool, reason: str = ...
    ) -> DecisionMark: ...

    def invite(self, actor: Person, attempt_id: int, ftos: Sequence[PersonRef]) -> list[str]: ...

    def rate(
        self, actor: Person, attempt_id: int, ratings: Mapping[str, int | str]
    ) -> CalibrationSession: ...

    def calibration(
        self, actor: Person, *, cohort: str | int | None = ...
    ) -> list[CalibrationSession]: ...


class AssignmentsAPI(Protocol):
    """Scenarios assigned to cohorts with due dates (``simulator.store.assigning``)."""

    def assign(
        self, actor: Person, cohort: str | int, scenario_id: str, due_on: date, *, note: str = ...
    ) -> Assignment: ...

    def withdraw(self, actor: Person, assignment_id: int) -> Assignment: ...

    def for_cohort(self, actor: Person, cohort: str | int) -> list[Assignment]: ...

    def for_trainee(self, actor: Person, trainee: PersonRef) -> list[TraineeAssignment]: ...


class ClassesAPI(Protocol):
    """Class sessions a cohort votes on (``simulator.store.classroom``)."""

    def start(
        self, actor: Person, cohort: str | int, scenario_id: str, *, seed: int
    ) -> ClassSession: ...

    def open_voting(self, actor: Person, session_id: int) -> ClassSession: ...

    def count_hands(
        self, actor: Person, session_id: int, counts: Mapping[str, int]
    ) -> ClassSession: ...

    def close_voting(self, actor: Person, session_id: int) -> ClassSession: ...

    def play(self, actor: Person, session_id: int, choice: str | None = ...) -> ClassSession: ...

    def end(self, actor: Person, session_id: int) -> ClassSession: ...

    def join(self, actor: Person, session_id: int) -> ClassSession: ...

    def vote(self, actor: Person, session_id: int, choice: str) -> ClassSession: ...

    def state(self, actor: Person, session_id: int, *, story: bool = ...) -> ClassSession: ...

    def open_sessions(self, actor: Person) -> list[ClassSession]: ...

    def export(self, actor: Person, session_id: int) -> dict[str, Any]: ...


class Records(Protocol):
    """Everything a workstation does with the records."""

    @property
    def attempts(self) -> AttemptsAPI: ...

    @property
    def evaluations(self) -> EvaluationsAPI: ...

    @property
    def reviews(self) -> ReviewsAPI: ...

    @property
    def assignments(self) -> AssignmentsAPI: ...

    @property
    def classes(self) -> ClassesAPI: ...

    @property
    def location(self) -> str: ...

    @property
    def backend(self) -> str: ...

    def close(self) -> None: ...

    def __enter__(self) -> Records: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def sign_in(self, ref: str | int, password: str | None = ...) -> Person: ...

    def person(self, ref: PersonRef) -> Person: ...

    def profiles(self, role: str = ...) -> list[Person]: ...

    def needs_setup(self) -> bool: ...

    def add_person(
        self,
        actor: Person | None,
        username: str,
        *,
        role: str = ...,
        display_name: str = ...,
        password: str | None = ...,
        email: str | None = ...,
    ) -> Person: ...

    def set_password(self, actor: Person, ref: PersonRef, password: str | None) -> None: ...

    def set_active(self, actor: Person, ref: PersonRef, active: bool) -> Person: ...

    def people(self, actor: Person, *, role: str | None = ...) -> list[Person]: ...

    def assign_fto(self, actor: Person, fto: PersonRef, trainee: PersonRef) -> bool: ...

    def add_cohort(self, actor: Person, name: str, description: str = ...) -> Cohort: ...

    def enrol(
        self, actor: Person, cohort: str | int, person: PersonRef, *, role: str = ...
    ) -> bool: ...

    def cohorts(self, actor: Person) -> list[Cohort]: ...

    def cohort(self, actor: Person, ref: str | int) -> Cohort: ...

    def progress(self, actor: Person, trainee: PersonRef) -> Progress: ...

    def audit_log(
        self, actor: Person, *, limit: int = ..., denied_only: bool = ...
    ) -> list[AuditEntry]: ...

    def record_export(
        self, actor: Person, fmt: str, attempts: int, detail: dict[str, Any]
    ) -> None: ...
