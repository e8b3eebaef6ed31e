"""Scenarios an instructor assigns to a cohort with a due date, and who has done them.

An assignment names a scenario of the library by id (its title is kept as it was when
assigned, for lists). A trainee has done it once they have a completed attempt of that
scenario outside a class session, whenever it was played; one finished after the due date
is late. Assigning the same scenario to the same cohort again changes its due date and
note. Only an instructor of the cohort (or an admin) assigns or withdraws; the cohort's
instructors and admins see who has done what (audited as a read of those trainees'
records); a trainee sees their own assignments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from simulator.store import audit
from simulator.store.access import Action
from simulator.store.accounts import Person
from simulator.store.cohorts import find_cohort
from simulator.store.core import Database, PersonRef
from simulator.store.derive import library_scenario
from simulator.store.errors import InvalidRecord, NotFound
from simulator.store.schema import assignments, attempts, cohort_members, cohorts, people, utcnow

NOTE_LIMIT = 2000


@dataclass(frozen=True)
class Assignment:
    """A scenario a cohort is to play by ``due_on``; ``done`` and ``pending`` name its
    trainees who have and have not completed it (empty in a trainee's own view)."""

    id: int
    cohort: str
    cohort_id: int
    scenario_id: str
    scenario_title: str
    due_on: date
    note: str
    assigned_by: str
    assigned_at: datetime
    done: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "cohort": self.cohort,
            "cohort_id": self.cohort_id,
            "scenario_id": self.scenario_id,
            "scenario_title": self.scenario_title,
            "due_on": self.due_on.isoformat(),
            "note": self.note,
            "assigned_by": self.assigned_by,
            "assigned_at": self.assigned_at.isoformat(),
            "done": list(self.done),
            "pending": list(self.pending),
        }


@dataclass(frozen=True)
class TraineeAssignment:
    """One assignment as a trainee sees it: done or not, and when it was first completed."""

    assignment: Assignment
    trainee: str
    done: bool
    attempt_id: int | None  # the first completed attempt of the scenario, if any
    completed_at: datetime | None

    @property
    def late(self) -> bool:
        """Completed after the due date (a day ends at midnight UTC)."""
        return self.completed_at is not None and self.completed_at.date() > self.assignment.due_on

    def overdue(self, today: date) -> bool:
        return not self.done and today > self.assignment.due_on

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.assignment.to_dict(),
            "trainee": self.trainee,
            "is_done": self.done,
            "attempt_id": self.attempt_id,
            "completed_at": self.completed_at.isoformat() if self.completed_at else None,
            "late": self.late,
        }


_QUERY = (
    sa.select(assignments, cohorts.c.name.label("cohort_name"), people.c.username)
    .join(cohorts, cohorts.c.id == assignments.c.cohort_id)
    .join(people, people.c.id == assignments.c.assigned_by)
)


def _assignment(
    row: sa.Row[Any], done: tuple[str, ...] = (), pending: tuple[str, ...] = ()
) -> Assignment:
    return Assignment(
        id=row.id,
        cohort=row.cohort_name,
        cohort_id=row.cohort_id,
        scenario_id=row.scenario_id,
        scenario_title=row.scenario_title,
        due_on=row.due_on,
        note=row.note,
        assigned_by=row.username,
        assigned_at=row.assigned_at,
        done=done,
        pending=pending,
    )


def first_completions(
    conn: sa.Connection, trainee_ids: list[int], scenario_ids: list[str]
) -> dict[tuple[int, str], tuple[int, datetime]]:
    """(trainee id, scenario id) -> (attempt id, ended at) of the first completed attempt
    outside class sessions."""
    if not trainee_ids or not scenario_ids:
        return {}
    found: dict[tuple[int, str], tuple[int, datetime]] = {}
    rows = conn.execute(
        sa.select(attempts.c.id, attempts.c.trainee_id, attempts.c.scenario_id, attempts.c.ended_at)
        .where(
            attempts.c.trainee_id.in_(trainee_ids),
            attempts.c.scenario_id.in_(scenario_ids),
            attempts.c.status == "completed",
            attempts.c.mode != "classroom",
        )
        .order_by(attempts.c.ended_at, attempts.c.id)
    )
    for row in rows:
        found.setdefault((row.trainee_id, row.scenario_id), (row.id, row.ended_at))
    return found


class Assignments:
    """Assign scenarios to cohorts and see who has done them (``store.assignments``)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def assign(
        self,
        actor: Person,
        cohort: str | int,
        scenario_id: str,
        due_on: date,
        *,
        note: str = "",
    ) -> Assignment:
        """Assign ``scenario_id`` (from the scenario library) to ``cohort`` due ``due_on``;
        assigning it again changes the due date and note."""
        if len(note) > NOTE_LIMIT:
            raise InvalidRecord(f"an assignment note is at most {NOTE_LIMIT} characters")
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            found = find_cohort(conn, cohort)
            self._db.require_cohort(
                conn, actor, Action.TEACH_COHORT, found.id, what=f"assign scenarios to {found.name}"
            )
            sf = library_scenario(scenario_id.strip())
            values = {
                "scenario_title": sf.scenario.title[:300],
                "due_on": due_on,
                "note": note.strip(),
                "assigned_by": actor.id,
                "assigned_at": utcnow(),
            }
            key = (assignments.c.cohort_id == found.id) & (
                assignments.c.scenario_id == sf.scenario.id
            )
            existing = conn.execute(sa.select(assignments.c.id).where(key)).scalar()
            if existing is None:
                conn.execute(
                    sa.insert(assignments).values(
                        cohort_id=found.id, scenario_id=sf.scenario.id, **values
                    )
                )
            else:
                conn.execute(sa.update(assignments).where(key).values(**values))
            row = conn.execute(_QUERY.where(key)).one()
            audit.record(
                conn,
                actor,
                "assign" if existing is None else "reassign",
                target_type="cohort",
                target_id=found.id,
                detail={"scenario": sf.scenario.id, "due_on": due_on.isoformat()},
            )
            return self._with_progress(conn, [row])[0]

    def withdraw(self, actor: Person, assignment_id: int) -> Assignment:
        """Take an assignment back (attempts already played stay as they are)."""
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            row = self._row(conn, assignment_id)
            self._db.require_cohort(
                conn,
                actor,
                Action.TEACH_COHORT,
                row.cohort_id,
                what=f"withdraw assignments of {row.cohort_name}",
            )
            gone = _assignment(row)
            conn.execute(sa.delete(assignments).where(assignments.c.id == assignment_id))
            audit.record(
                conn,
                actor,
                "withdraw_assignment",
                target_type="cohort",
                target_id=row.cohort_id,
                detail={"scenario": row.scenario_id, "assignment": assignment_id},
            )
            return gone

    def for_cohort(self, actor: Person, cohort: str | int) -> list[Assignment]:
        """The cohort's assignments, soonest due first, each with who has and has not done
        it (the cohort's instructors and admins)."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            found = find_cohort(conn, cohort)
            self._db.require_cohort(
                conn, actor, Action.TEACH_COHORT, found.id, what=f"see {found.name}'s assignments"
            )
            rows = conn.execute(
                _QUERY.where(assignments.c.cohort_id == found.id).order_by(
                    assignments.c.due_on, assignments.c.scenario_id
                )
            ).all()
            listed = self._with_progress(conn, rows)
        others = sorted({t for a in listed for t in a.done + a.pending} - {actor.username})
        if others:
            with self._db.write() as conn:
                audit.record(
                    conn,
                    actor,
                    "read_records",
                    target_type="assignments",
                    target_id=str(found.id),
                    detail={"trainees": others},
                )
        return listed

    def for_trainee(self, actor: Person, trainee: PersonRef) -> list[TraineeAssignment]:
        """What ``trainee`` has been assigned in all their cohorts, soonest due first, each
        done or not (the trainee, and whoever may see their records)."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            subject = self._db.person(conn, trainee)
            self._db.require(conn, actor, Action.VIEW_RECORDS, subject, what="see the assignments")
            mine = sa.select(cohort_members.c.cohort_id).where(
                cohort_members.c.person_id == subject.id, cohort_members.c.role == "trainee"
            )
            rows = conn.execute(
                _QUERY.where(assignments.c.cohort_id.in_(mine)).order_by(
                    assignments.c.due_on, assignments.c.scenario_id, cohorts.c.name
                )
            ).all()
            done = first_completions(conn, [subject.id], [r.scenario_id for r in rows])
            result = []
            for row in rows:
                hit = done.get((subject.id, row.scenario_id))
                result.append(
                    TraineeAssignment(
                        _assignment(row),
                        subject.username,
                        hit is not None,
                        hit[0] if hit else None,
                        hit[1] if hit else None,
                    )
                )
            return result

    # --- helpers --------------------------------------------------------------------
    def _row(self, conn: sa.Connection, assignment_id: int) -> sa.Row[Any]:
        row = conn.execute(_QUERY.where(assignments.c.id == assignment_id)).first()
        if row is None:
            raise NotFound(f"no assignment numbered {assignment_id}")
        return row

    def _with_progress(self, conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Assignment]:
        cohort_ids = sorted({r.cohort_id for r in rows})
        members: dict[int, list[tuple[int, str]]] = {c: [] for c in cohort_ids}
        for m in conn.execute(
            sa.select(cohort_members.c.cohort_id, people.c.id, people.c.username)
            .join(people, people.c.id == cohort_members.c.person_id)
            .where(cohort_members.c.cohort_id.in_(cohort_ids), cohort_members.c.role == "trainee")
            .order_by(people.c.username)
        ):
            members[m.cohort_id].append((m.id, m.username))
        everyone = sorted({pid for ms in members.values() for pid, _ in ms})
        done = first_completions(conn, everyone, sorted({r.scenario_id for r in rows}))
        listed = []
        for row in rows:
            cohort_trainees = members.get(row.cohort_id, [])
            finished = tuple(n for pid, n in cohort_trainees if (pid, row.scenario_id) in done)
            waiting = tuple(n for pid, n in cohort_trainees if (pid, row.scenario_id) not in done)
            listed.append(_assignment(row, finished, waiting))
        return listed
