"""The attempts API: start an attempt, record its events as they happen, finish, resume,
branch ("try again from this decision"), and read attempts and their logs back.

A :class:`Recorder` is the engine's ``on_event`` callback: each call commits one event
row before it returns, so a crash loses at most the event being written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import sqlalchemy as sa

from simulator.store import access, appending, audit, tamper
from simulator.store import attempts as rows
from simulator.store.access import Action, visible_people
from simulator.store.accounts import Person, people_by_ids, person_from_row
from simulator.store.attempts import Attempt, PackRef, ScenarioRef
from simulator.store.audit import WORKSTATION
from simulator.store.cohorts import find_cohort
from simulator.store.core import Database, PersonRef
from simulator.store.derive import derive_report
from simulator.store.errors import InvalidRecord
from simulator.store.grouping import GroupCommit
from simulator.store.schema import cohort_members


class EventLike(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


class Recorder:
    """Appends one attempt's events in order; events already stored (replayed on resume)
    are skipped, and a gap in the sequence is refused rather than stored."""

    def __init__(self, db: Database, attempt_id: int, next_seq: int) -> None:
        self._db = db
        self.attempt_id = attempt_id
        self.next_seq = next_seq

    def __call__(self, event: EventLike | Mapping[str, Any]) -> None:
        self.append(event)

    def append(self, event: EventLike | Mapping[str, Any]) -> None:
        data = event if isinstance(event, Mapping) else event.to_dict()
        seq = data.get("seq")
        if isinstance(seq, int) and seq < self.next_seq:
            return
        if seq != self.next_seq:
            raise InvalidRecord(
                f"attempt {self.attempt_id} expected event {self.next_seq} next but got "
                f"{seq!r}; resume the attempt to continue from what is recorded"
            )
        with self._db.write() as conn:
            rows.append_event(conn, self.attempt_id, data)
        self.next_seq += 1


@dataclass(frozen=True)
class AttemptRecord:
    """Everything kept about one attempt: for exports and reviews."""

    attempt: Attempt
    trainee: Person
    log: dict[str, Any]
    report: dict[str, Any] | None


class Attempts:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._appends: GroupCommit[int] = GroupCommit(db)

    def start(
        self,
        actor: Person,
        trainee: PersonRef,
        scenario: ScenarioRef,
        *,
        seed: int,
        mode: str = "practice",
        pack: PackRef | None = None,
        workstation: str = WORKSTATION,
    ) -> Attempt:
        """Open a new in-progress attempt of ``scenario`` for ``trainee`` (``workstation``:
        the machine it is played on; a records server passes the client's)."""
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            subject = self._db.person(conn, trainee)
            self._db.require(conn, actor, Action.RECORD_ATTEMPT, subject, what="record attempts")
            attempt_id = rows.create_attempt(
                conn,
                trainee_id=subject.id,
                created_by=actor.id,
                scenario=scenario,
                pack=pack,
                seed=seed,
                mode=mode,
                workstation=workstation[:200],
            )
            audit.record(
                conn,
                actor,
                "start_attempt",
                target_type="attempt",
                target_id=attempt_id,
                detail={"trainee": subject.username, "scenario": scenario.id, "mode": mode},
            )
            return rows.get_attempt(conn, attempt_id)

    def recorder(self, actor: Person, attempt_id: int) -> Recorder:
        """The ``on_event`` callback that records events of an in-progress attempt."""
        with self._db.read() as conn:
            attempt = self._owned(conn, actor, attempt_id, Action.RECORD_ATTEMPT)
            self._require_in_progress(attempt)
            return Recorder(self._db, attempt_id, rows.next_seq(conn, attempt_id))

    def append(self, actor: Person | int, attempt_id: int, event: Mapping[str, Any]) -> int:
        """Record one event of an in-progress attempt (what a records server does per
        request); an event already stored is skipped, a gap is refused. Returns the sequence
        number expected next, once the event is committed. ``actor`` may be a person id (a
        records server knows it from the session token), read in the append's own query.

        The usual append (a trainee's or an admin's, into an attempt in progress) is quick:
        on PostgreSQL one self-committing statement checks and inserts
        (:func:`~simulator.store.appending.append_at_once`); on SQLite one query reads the
        person, the attempt and its last event before the ``INSERT``. Anything else takes
        the general path, with the same checks, messages and audit rows as every other call.

        On SQLite, appends from several threads at once share commits (:class:`GroupCommit`):
        those that arrive while one commits are written together in the next transaction,
        since SQLite commits one writer at a time, each with its own fsync. PostgreSQL runs
        the appends' transactions side by side and flushes their commits together itself;
        grouping them there measured no better (benchmarks/RESULTS.md)."""
        actor_id = actor if isinstance(actor, int) else actor.id

        def work(conn: sa.Connection) -> int:
            expected = self._append_checked(conn, actor_id, attempt_id)
            seq = event.get("seq")
            if isinstance(seq, int) and not isinstance(seq, bool) and seq < expected:
                return expected
            if seq != expected:
                raise InvalidRecord(
                    f"attempt {attempt_id} expected event {expected} next but got {seq!r}; "
                    "resume the attempt to continue from what is recorded"
                )
            rows.append_event(conn, attempt_id, event)
            return expected + 1

        if self._db.backend == "sqlite":
            return self._appends.submit(work)
        done = self._append_at_once(actor_id, attempt_id, event)
        if done is not None:
            return done
        with self._db.write() as conn:
            return work(conn)

    def _append_at_once(
        self, actor_id: int, attempt_id: int, event: Mapping[str, Any]
    ) -> int | None:
        """PostgreSQL's usual append as one self-committing statement; None when the general
        path must decide (it checks access first, then the event, with the same messages)."""
        try:
            values = rows.split_event(event)
        except InvalidRecord:
            return None
        try:
            with self._db.autocommit() as conn:
                return appending.append_at_once(
                    conn,
                    attempt_id,
                    actor_id,
                    values,
                    self_roles=access.roles_reaching(Action.RECORD_ATTEMPT, access.SELF),
                    all_roles=access.roles_reaching(Action.RECORD_ATTEMPT, access.ALL),
                )
        except sa.exc.IntegrityError:  # the same event sent twice at once: one went in
            return None

    def _append_checked(self, conn: sa.Connection, actor_id: int, attempt_id: int) -> int:
        """The sequence number the attempt expects next, once ``actor_id`` may record it and
        it is in progress (:class:`~simulator.store.errors.StoreError` otherwise)."""
        state = appending.append_state(conn, attempt_id, actor_id)
        if state is not None and state.attempt_status == "in_progress":
            actor = person_from_row(state)
            if access.permits(conn, actor, Action.RECORD_ATTEMPT, state.trainee_id):
                return 0 if state.top_seq is None else int(state.top_seq) + 1
        # Missing, refused or closed: the general checks raise with their message and audit.
        attempt = self._owned(conn, actor_id, attempt_id, Action.RECORD_ATTEMPT)
        self._require_in_progress(attempt)
        return rows.next_seq(conn, attempt_id)

    def finish(self, actor: Person, attempt_id: int) -> Attempt:
        """Mark the attempt completed with the ending its events reached, and store the score
        report the store works out itself by replaying them (never one from a client).

        The replay runs between a read and the write, so other workstations' events are not
        held up behind it; the write checks that no event arrived meanwhile.
        """
        with self._db.read() as conn:
            attempt = self._owned(conn, actor, attempt_id, Action.RECORD_ATTEMPT)
            self._require_in_progress(attempt)
            event_list = rows.event_dicts(conn, attempt_id)
        final, report = derive_report(attempt, event_list, local_paths=self._db.local_paths)
        if final is None:
            raise InvalidRecord(
                f"attempt {attempt_id} has not reached an ending; continue it or abandon it"
            )
        with self._db.write() as conn:
            attempt = self._owned(conn, actor, attempt_id, Action.RECORD_ATTEMPT)
            self._require_in_progress(attempt)
            if rows.next_seq(conn, attempt_id) != len(event_list):
                raise InvalidRecord(
                    f"attempt {attempt_id} received more events while it was being finished; "
                    "finish it again"
                )
            rows.finish_attempt(conn, attempt_id, "completed", final, tamper.log_hash(event_list))
            if report is not None:
                rows.save_report(conn, attempt_id, report)
            audit.record(
                conn,
                self._db.actor(conn, actor),
                "finish_attempt",
                target_type="attempt",
                target_id=attempt_id,
                detail={"outcome": final.get("outcome"), "scored": report is not None},
            )
            return rows.get_attempt(conn, attempt_id)

    def abandon(self, actor: Person, attempt_id: int) -> Attempt:
        """Close an unfinished attempt without an ending; its events stay on record."""
        with self._db.write() as conn:
            attempt = self._owned(conn, actor, attempt_id, Action.RECORD_ATTEMPT)
            self._require_in_progress(attempt)
            rows.finish_attempt(conn, attempt_id, "abandoned", None)
            audit.record(
                conn,
                self._db.actor(conn, actor),
                "abandon_attempt",
                target_type="attempt",
                target_id=attempt_id,
            )
            return rows.get_attempt(conn, attempt_id)

    def rescore(self, actor: Person, attempt_id: int) -> Attempt:
        """Score a completed attempt again from its events (say, once its pack is installed);
        the report is derived here, like at :meth:`finish` (a completed attempt's events
        never change, so the replay runs outside the write)."""
        with self._db.read() as conn:
            attempt = self._owned(conn, actor, attempt_id, Action.RECORD_ATTEMPT)
            if attempt.status != "completed":
                raise InvalidRecord(
                    f"attempt {attempt_id} is {attempt.status}; only completed attempts are scored"
                )
            event_list = rows.event_dicts(conn, attempt_id)
        _ending, report = derive_report(attempt, event_list, local_paths=self._db.local_paths)
        if report is None:
            raise InvalidRecord(
                f"attempt {attempt_id} cannot be scored here: its scenario "
                f"'{attempt.scenario.id}' or policy pack is not installed as it was recorded"
            )
        with self._db.write() as conn:
            self._owned(conn, actor, attempt_id, Action.RECORD_ATTEMPT)
            rows.save_report(conn, attempt_id, report)
            audit.record(
                conn,
                self._db.actor(conn, actor),
                "score_attempt",
                target_type="attempt",
                target_id=attempt_id,
                detail={"policy": dict(report.get("policy") or {})},
            )
            return rows.get_attempt(conn, attempt_id)

    def branch(self, actor: Person, attempt_id: int, at_seq: int) -> Attempt:
        """A new attempt that starts as a copy of ``attempt_id``'s events before ``at_seq``
        (the decision to try again), ready to be resumed from there."""
        with self._db.write() as conn:
            parent = self._owned(conn, actor, attempt_id, Action.RECORD_ATTEMPT)
            events = rows.event_dicts(conn, attempt_id, before_seq=at_seq)
            if not 0 < at_seq <= rows.next_seq(conn, attempt_id) or len(events) != at_seq:
                raise InvalidRecord(f"attempt {attempt_id} has no event {at_seq} to branch before")
            child_id = rows.create_attempt(
                conn,
                trainee_id=parent.trainee_id,
                created_by=self._db.actor(conn, actor).id,
                scenario=parent.scenario,
                pack=parent.pack,
                seed=parent.seed,
                mode=parent.mode,
                workstation=WORKSTATION,
                parent=parent,
                branch_seq=at_seq,
            )
            rows.copy_events(conn, attempt_id, child_id, at_seq)
            audit.record(
                conn,
                self._db.actor(conn, actor),
                "branch_attempt",
                target_type="attempt",
                target_id=child_id,
                detail={"parent": attempt_id, "at_seq": at_seq},
            )
            return rows.get_attempt(conn, child_id)

    def get(self, actor: Person, attempt_id: int) -> Attempt:
        with self._db.read() as conn:
            return self._owned(conn, actor, attempt_id, Action.VIEW_RECORDS)

    def log(self, actor: Person, attempt_id: int, *, with_score: bool = False) -> dict[str, Any]:
        """The attempt's session log (CONTRACTS.md), replayable by ``engine.session.replay``."""
        with self._db.read() as conn:
            attempt = self._owned(conn, actor, attempt_id, Action.VIEW_RECORDS)
            log = rows.session_log(attempt, rows.event_dicts(conn, attempt_id))
            if with_score:
                report = rows.latest_report(conn, attempt_id)
                if report is not None:
                    log["score"] = report
            return log

    def report(self, actor: Person, attempt_id: int) -> dict[str, Any] | None:
        with self._db.read() as conn:
            self._owned(conn, actor, attempt_id, Action.VIEW_RECORDS)
            return rows.latest_report(conn, attempt_id)

    def find(
        self, actor: Person, trainee: PersonRef | None = None, *, status: str | None = None
    ) -> list[Attempt]:
        """Attempts (oldest first) of ``trainee``, or of everyone ``actor`` may see."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            if trainee is not None:
                subject = self._db.person(conn, trainee)
                self._db.require(conn, actor, Action.VIEW_RECORDS, subject, what="see the records")
                return rows.list_attempts(conn, trainee_ids=[subject.id], status=status)
            scope = visible_people(actor, Action.VIEW_RECORDS)
            return rows.list_attempts(conn, trainee_ids=scope, status=status)

    def records(
        self, actor: Person, trainees: Sequence[PersonRef] | None = None
    ) -> list[AttemptRecord]:
        """Attempts with their logs and latest reports, of ``trainees`` (each checked) or of
        everyone ``actor`` may see, in a few queries whatever their number."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            scope: sa.Select[int] | list[int] | None
            if trainees is None:
                scope = visible_people(actor, Action.VIEW_RECORDS)
            else:
                subjects = [self._db.person(conn, t) for t in trainees]
                for subject in subjects:
                    self._db.require(
                        conn, actor, Action.VIEW_RECORDS, subject, what="export the records"
                    )
                scope = [s.id for s in subjects]
            found = rows.list_attempts(conn, trainee_ids=scope)
            ids = [a.id for a in found]
            events = rows.events_for(conn, ids)
            reports = rows.latest_reports_for(conn, ids)
            people = people_by_ids(conn, sorted({a.trainee_id for a in found}))
            return [
                AttemptRecord(
                    a, people[a.trainee_id], rows.session_log(a, events[a.id]), reports.get(a.id)
                )
                for a in found
            ]

    def of_cohort(
        self,
        actor: Person,
        cohort: str | int,
        *,
        scenario: str | None = None,
        since: date | None = None,
    ) -> list[AttemptRecord]:
        """The attempt records of ``cohort``'s trainees, for its analytics: only a cohort's
        instructor (or an admin) may read them; a refusal is audited, and so is the read, as
        a read of every trainee's records (none found is an answer about them too).
        ``scenario`` and ``since`` (attempts started on or after that UTC day) narrow them."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            found_cohort = find_cohort(conn, cohort)
            self._db.require_cohort(
                conn,
                actor,
                Action.TEACH_COHORT,
                found_cohort.id,
                what=f"see the analytics of {found_cohort.name}",
            )
            members = sa.select(cohort_members.c.person_id).where(
                cohort_members.c.cohort_id == found_cohort.id, cohort_members.c.role == "trainee"
            )
            found = [
                a
                for a in rows.list_attempts(conn, trainee_ids=members, scenario_id=scenario)
                if since is None or a.started_at.date() >= since
            ]
            ids = [a.id for a in found]
            events = rows.events_for(conn, ids)
            reports = rows.latest_reports_for(conn, ids)
            people = people_by_ids(conn, sorted({a.trainee_id for a in found}))
        others = sorted(set(found_cohort.trainees) - {actor.username})
        if others and not self._db.read_only:
            with self._db.write() as conn:
                audit.record(
                    conn,
                    actor,
                    "read_records",
                    target_type="cohort",
                    target_id=found_cohort.id,
                    detail={"trainees": others, "what": "analytics"},
                )
        return [
            AttemptRecord(
                a, people[a.trainee_id], rows.session_log(a, events[a.id]), reports.get(a.id)
            )
            for a in found
        ]

    def unfinished(self, actor: Person, trainee: PersonRef) -> list[Attempt]:
        """In-progress attempts of ``trainee``: offer these for resume on start-up."""
        return self.find(actor, trainee, status="in_progress")

    def _owned(
        self, conn: sa.Connection, actor: Person | int, attempt_id: int, action: Action
    ) -> Attempt:
        attempt = rows.get_attempt(conn, attempt_id)
        actor = self._db.actor(conn, actor)
        subject = self._db.person(conn, attempt.trainee_id)
        what = "see the records" if action is Action.VIEW_RECORDS else "record attempts"
        self._db.require(conn, actor, action, subject, target=("attempt", attempt_id), what=what)
        return attempt

    @staticmethod
    def _require_in_progress(attempt: Attempt) -> None:
        if attempt.status != "in_progress":
            raise InvalidRecord(
                f"attempt {attempt.id} is {attempt.status.replace('_', ' ')}, not in progress"
            )
