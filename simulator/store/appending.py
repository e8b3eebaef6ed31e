"""An event append's checks in one round trip: what a records server runs per request.

The general path (``recording.Attempts._owned`` and friends) reads the attempt, the acting
person, the trainee and the last event one query at a time, then inserts. A classroom's
workstations send an event each in the same instant, so the server's time per append decides
how long the last of them waits. Here the usual case costs one query before the ``INSERT``
(SQLite, inside the shared group commit) or one self-committing statement that checks and
inserts together (PostgreSQL). Anything unusual returns None or a row the caller does not
accept, and the general path decides, with its messages and audit rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from simulator.store.attempts import event_insert
from simulator.store.schema import attempts, events, people, utcnow

_APPEND_STATE = (
    sa.select(
        people,
        attempts.c.trainee_id,
        attempts.c.status.label("attempt_status"),
        sa.select(sa.func.max(events.c.seq))
        .where(events.c.attempt_id == attempts.c.id)
        .correlate(attempts)
        .scalar_subquery()
        .label("top_seq"),
    )
    .select_from(attempts)
    .join(people, people.c.id == sa.bindparam("actor_id", type_=sa.Integer))
    .where(attempts.c.id == sa.bindparam("attempt_id", type_=sa.Integer))
)


def append_state(conn: sa.Connection, attempt_id: int, actor_id: int) -> sa.Row[Any] | None:
    """What an event append checks, read in one round trip: the acting person's columns
    (``people``), whose attempt it is (``trainee_id``), ``attempt_status``, and the highest
    stored ``top_seq``; None when the attempt or the person does not exist."""
    return conn.execute(_APPEND_STATE, {"attempt_id": attempt_id, "actor_id": actor_id}).first()


ROLE_LIST = postgresql.ARRAY(sa.String)  # one parameter, so the statement's text never changes


def _single_append() -> sa.Select[Any]:
    """One PostgreSQL statement that checks an append and makes it (see :func:`append_at_once`).

    ``state`` reads the person, the attempt and the sequence number it expects; ``added``
    inserts the event only if the person may record it (``:self_roles`` for their own
    attempt, ``:all_roles`` for anyone's), the attempt is in progress and the event is the
    one expected; the result says what was found and whether the row went in.
    """
    top = (
        sa.select(sa.func.max(events.c.seq))
        .where(events.c.attempt_id == attempts.c.id)
        .correlate(attempts)
        .scalar_subquery()
    )
    state = (
        sa.select(
            attempts.c.id.label("attempt_id"),
            attempts.c.trainee_id,
            attempts.c.status,
            people.c.id.label("actor_id"),
            people.c.role,
            people.c.active,
            sa.func.coalesce(top + 1, 0).label("expected"),
        )
        .select_from(attempts)
        .join(people, people.c.id == sa.bindparam("actor_id", type_=sa.Integer))
        .where(attempts.c.id == sa.bindparam("attempt_id", type_=sa.Integer))
        .cte("state")
    )
    allowed = sa.and_(
        state.c.active,
        state.c.status == "in_progress",
        sa.or_(
            state.c.role == sa.any_(sa.bindparam("all_roles", type_=ROLE_LIST)),
            sa.and_(
                state.c.role == sa.any_(sa.bindparam("self_roles", type_=ROLE_LIST)),
                state.c.actor_id == state.c.trainee_id,
            ),
        ),
    )
    added = (
        event_insert(state.c.attempt_id, allowed, state.c.expected == sa.bindparam("seq"))
        .returning(events.c.seq)
        .cte("added")
    )
    return sa.select(
        state.c.expected,
        allowed.label("allowed"),
        sa.select(added.c.seq).scalar_subquery().label("added"),
    )


_SINGLE_APPEND = _single_append()


def append_at_once(
    conn: sa.Connection,
    attempt_id: int,
    actor_id: int,
    values: Mapping[str, Any],
    *,
    self_roles: list[str],
    all_roles: list[str],
) -> int | None:
    """PostgreSQL: check and add one event in a single statement (one round trip, its own
    commit when ``conn`` autocommits). Returns the sequence number expected next when the
    event was added, or when it was already stored and the person may record it; None for
    anything else (no such attempt or person, a refusal, a closed attempt, a gap), which the
    caller hands to the general checks for their message and audit row."""
    row = conn.execute(
        _SINGLE_APPEND,
        {
            **values,
            "attempt_id": attempt_id,
            "actor_id": actor_id,
            "recorded_at": utcnow(),
            "self_roles": self_roles,
            "all_roles": all_roles,
        },
    ).first()
    if row is None or not row.allowed:
        return None
    expected = int(row.expected)
    if row.added is not None:
        return expected + 1
    return expected if values["seq"] < expected else None
