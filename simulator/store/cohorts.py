"""Who teaches whom: cohorts with their trainees and instructors, and FTO assignments.

These relations decide what an instructor or an FTO may see (see ``access.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from simulator.store.accounts import Person
from simulator.store.errors import InvalidRecord, NotFound
from simulator.store.schema import (
    COHORT_ROLES,
    cohort_members,
    cohorts,
    fto_assignments,
    people,
    utcnow,
)


@dataclass(frozen=True)
class Cohort:
    """An academy class: its trainees and the instructors who teach it."""

    id: int
    name: str
    description: str
    created_at: datetime
    trainees: tuple[str, ...]
    instructors: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "created_at": self.created_at.isoformat(),
            "trainees": list(self.trainees),
            "instructors": list(self.instructors),
        }


def _cohorts(conn: sa.Connection, where: sa.ColumnElement[bool] | None) -> list[Cohort]:
    query = sa.select(cohorts).order_by(cohorts.c.name)
    if where is not None:
        query = query.where(where)
    rows = conn.execute(query).all()
    members: dict[int, dict[str, list[str]]] = {
        row.id: {r: [] for r in COHORT_ROLES} for row in rows
    }
    member_rows = conn.execute(
        sa.select(cohort_members.c.cohort_id, cohort_members.c.role, people.c.username)
        .join(people, people.c.id == cohort_members.c.person_id)
        .where(cohort_members.c.cohort_id.in_(list(members)))
        .order_by(people.c.username)
    )
    for m in member_rows:
        members[m.cohort_id][m.role].append(m.username)
    return [
        Cohort(
            id=row.id,
            name=row.name,
            description=row.description,
            created_at=row.created_at,
            trainees=tuple(members[row.id]["trainee"]),
            instructors=tuple(members[row.id]["instructor"]),
        )
        for row in rows
    ]


def find_cohort(conn: sa.Connection, ref: str | int) -> Cohort:
    if isinstance(ref, int) or ref.isdigit():
        where = cohorts.c.id == int(ref)
    else:
        where = cohorts.c.name == ref.strip()
    found = _cohorts(conn, where)
    if not found:
        raise NotFound(f"no cohort named or numbered {ref!r}; `parolesim cohorts list` shows them")
    return found[0]


def list_cohorts(conn: sa.Connection, ids: list[int] | None = None) -> list[Cohort]:
    return _cohorts(conn, None if ids is None else cohorts.c.id.in_(ids))


def add_cohort(conn: sa.Connection, name: str, description: str = "") -> Cohort:
    clean = name.strip()
    if not clean or clean.isdigit() or len(clean) > 120:
        raise InvalidRecord(
            f"cohort name {name!r} is not usable: expected 1-120 characters, not only digits"
        )
    if conn.execute(sa.select(cohorts.c.id).where(cohorts.c.name == clean)).first():
        raise InvalidRecord(f"a cohort named {clean!r} already exists")
    conn.execute(
        sa.insert(cohorts).values(name=clean, description=description, created_at=utcnow())
    )
    return find_cohort(conn, clean)


def enrol(conn: sa.Connection, cohort: Cohort, person: Person, role: str) -> bool:
    """Add ``person`` to ``cohort`` as trainee or instructor; False if already there."""
    if role not in COHORT_ROLES:
        raise InvalidRecord(f"cohort role {role!r} is not one of: {', '.join(COHORT_ROLES)}")
    expected = {"trainee": ("trainee",), "instructor": ("instructor", "admin")}[role]
    if person.role not in expected:
        raise InvalidRecord(
            f"{person.username} is a {person.role}; only a {' or '.join(expected)} can be "
            f"enrolled as a cohort {role}"
        )
    exists = conn.execute(
        sa.select(cohort_members.c.role).where(
            cohort_members.c.cohort_id == cohort.id, cohort_members.c.person_id == person.id
        )
    ).first()
    if exists is not None:
        return False
    conn.execute(
        sa.insert(cohort_members).values(
            cohort_id=cohort.id, person_id=person.id, role=role, enrolled_at=utcnow()
        )
    )
    return True


def assign_fto(conn: sa.Connection, fto: Person, trainee: Person) -> bool:
    """Record that ``fto`` trains ``trainee``; False if that was already so."""
    if fto.role != "fto" or trainee.role != "trainee":
        raise InvalidRecord(
            f"an FTO assignment pairs an fto with a trainee, not {fto.role} {fto.username} "
            f"with {trainee.role} {trainee.username}"
        )
    exists = conn.execute(
        sa.select(fto_assignments.c.fto_id).where(
            fto_assignments.c.fto_id == fto.id, fto_assignments.c.trainee_id == trainee.id
        )
    ).first()
    if exists is not None:
        return False
    conn.execute(
        sa.insert(fto_assignments).values(
            fto_id=fto.id, trainee_id=trainee.id, assigned_at=utcnow()
        )
    )
    return True
