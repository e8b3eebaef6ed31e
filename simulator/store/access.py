"""Who may do what: the one table of role rules, and the checks that read it.

Each action names how far each role reaches: their own records (SELF), the trainees of the
cohorts they teach (COHORT), the trainees assigned to them as FTO (ASSIGNED), or everyone
(ALL). A role missing from an action's row may not do it at all. The store calls
:func:`permits` before every read or write of a trainee's records and audits each refusal.

Actions on a whole cohort (assigning scenarios, class sessions) read the same reaches with
:func:`permits_cohort`: COHORT is a cohort the actor teaches, SELF one they belong to.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

import sqlalchemy as sa

from simulator.store.accounts import Person
from simulator.store.schema import cohort_members, fto_assignments, people


class Action(StrEnum):
    VIEW_RECORDS = "view_records"  # a trainee's attempts, logs, progress, evaluations
    RECORD_ATTEMPT = "record_attempt"  # start, continue, finish an attempt for a trainee
    MANAGE_PEOPLE = "manage_people"  # add people, set their passwords, assign FTOs
    MANAGE_COHORTS = "manage_cohorts"  # add cohorts and enrol people
    WRITE_EVALUATION = "write_evaluation"  # write, sign and amend an FTO evaluation
    ACKNOWLEDGE_EVALUATION = "acknowledge_evaluation"  # trainee's acknowledgement signature
    APPROVE_EVALUATION = "approve_evaluation"  # supervisor's signature
    READ_AUDIT = "read_audit"
    TEACH_COHORT = "teach_cohort"  # assign scenarios to a cohort, run its class sessions
    JOIN_CLASS = "join_class"  # join and vote in a class session of one's cohort


class Reach(StrEnum):
    SELF = "self"
    COHORT = "cohort"
    ASSIGNED = "assigned"
    ALL = "all"


SELF, COHORT, ASSIGNED, ALL = Reach.SELF, Reach.COHORT, Reach.ASSIGNED, Reach.ALL
_RECORDS: Mapping[str, frozenset[Reach]] = {
    "trainee": frozenset({SELF}),
    "fto": frozenset({SELF, ASSIGNED}),
    "instructor": frozenset({SELF, COHORT}),
    "admin": frozenset({ALL}),
}
POLICY: Mapping[Action, Mapping[str, frozenset[Reach]]] = {
    Action.VIEW_RECORDS: _RECORDS,
    Action.RECORD_ATTEMPT: _RECORDS,
    Action.MANAGE_PEOPLE: {"admin": frozenset({ALL})},
    Action.MANAGE_COHORTS: {"admin": frozenset({ALL})},
    Action.WRITE_EVALUATION: {"fto": frozenset({ASSIGNED})},
    Action.ACKNOWLEDGE_EVALUATION: {"trainee": frozenset({SELF})},
    Action.APPROVE_EVALUATION: {"instructor": frozenset({COHORT}), "admin": frozenset({ALL})},
    Action.READ_AUDIT: {"admin": frozenset({ALL})},
    Action.TEACH_COHORT: {"instructor": frozenset({COHORT}), "admin": frozenset({ALL})},
    Action.JOIN_CLASS: {"trainee": frozenset({SELF})},
}


def reach(actor: Person, action: Action) -> frozenset[Reach]:
    if not actor.active:
        return frozenset()
    return POLICY[action].get(actor.role, frozenset())


def roles_reaching(action: Action, how: Reach) -> list[str]:
    """The roles whose reach for ``action`` includes ``how`` (for checks made in SQL)."""
    return sorted(role for role, reaches in POLICY[action].items() if how in reaches)


def _taught_by(instructor_id: int) -> sa.Select[int]:
    teaching = cohort_members.alias("teaching")
    learning = cohort_members.alias("learning")
    return (
        sa.select(learning.c.person_id)
        .join(teaching, teaching.c.cohort_id == learning.c.cohort_id)
        .where(
            teaching.c.person_id == instructor_id,
            teaching.c.role == "instructor",
            learning.c.role == "trainee",
        )
    )


def _assigned_to(fto_id: int) -> sa.Select[int]:
    return sa.select(fto_assignments.c.trainee_id).where(fto_assignments.c.fto_id == fto_id)


def visible_people(actor: Person, action: Action) -> sa.Select[int] | None:
    """A query of the person ids ``actor`` may act on, or None for everyone."""
    reaches = reach(actor, action)
    if ALL in reaches:
        return None
    parts: list[sa.Select[int]] = [sa.select(people.c.id).where(sa.false())]
    if SELF in reaches:
        parts.append(sa.select(people.c.id).where(people.c.id == actor.id))
    if COHORT in reaches:
        parts.append(_taught_by(actor.id))
    if ASSIGNED in reaches:
        parts.append(_assigned_to(actor.id))
    union = sa.union(*parts).subquery()
    return sa.select(union.c[0])


def permits(conn: sa.Connection, actor: Person, action: Action, subject_id: int | None) -> bool:
    """Whether ``actor`` may do ``action`` to the records of person ``subject_id``.

    ``subject_id=None`` is an action on no one in particular, which needs reach ALL.
    """
    reaches = reach(actor, action)
    if ALL in reaches:
        return True
    if subject_id is None:
        return False
    if SELF in reaches and actor.id == subject_id:
        return True
    if COHORT in reaches and subject_id in conn.execute(_taught_by(actor.id)).scalars().all():
        return True
    return (
        ASSIGNED in reaches and subject_id in conn.execute(_assigned_to(actor.id)).scalars().all()
    )


def permits_cohort(conn: sa.Connection, actor: Person, action: Action, cohort_id: int) -> bool:
    """Whether ``actor`` may do ``action`` to cohort ``cohort_id`` as a whole: reach ALL,
    COHORT when they teach it, SELF when they are one of its trainees."""
    reaches = reach(actor, action)
    if ALL in reaches:
        return True
    wanted = [r for kind, r in ((COHORT, "instructor"), (SELF, "trainee")) if kind in reaches]
    if not wanted:
        return False
    found = conn.execute(
        sa.select(cohort_members.c.role).where(
            cohort_members.c.cohort_id == cohort_id,
            cohort_members.c.person_id == actor.id,
            cohort_members.c.role.in_(wanted),
        )
    ).first()
    return found is not None
