"""Reading and stepping a class session in the database: its row, its polls with their
counts, the current poll (locked against a close while a vote is written), the story
replayed from the instructor's attempt, and the session as one viewer may see it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from simulator.store import attempts as rows
from simulator.store.accounts import Person
from simulator.store.attempts import Attempt
from simulator.store.classdata import ClassSession, Poll, PollOption, StoryLine, counts_of
from simulator.store.derive import Unavailable, locate_scenario
from simulator.store.errors import NotFound, StoreError
from simulator.store.schema import (
    class_participants,
    class_polls,
    class_sessions,
    class_votes,
    cohorts,
    events,
    people,
    utcnow,
)

if TYPE_CHECKING:  # the engine loads when a class session is played, not with the store
    from engine.session import Session

SESSION_QUERY = (
    sa.select(
        class_sessions,
        cohorts.c.name.label("cohort_name"),
        people.c.username.label("instructor_name"),
    )
    .join(cohorts, cohorts.c.id == class_sessions.c.cohort_id)
    .join(people, people.c.id == class_sessions.c.instructor_id)
)


def session_row(conn: sa.Connection, session_id: int) -> sa.Row[Any]:
    row = conn.execute(SESSION_QUERY.where(class_sessions.c.id == session_id)).first()
    if row is None:
        raise NotFound(f"no class session numbered {session_id}")
    return row


def add_poll(conn: sa.Connection, session_id: int, session: Session) -> None:
    from engine.model import Decision

    node = session.node
    if not isinstance(node, Decision):
        raise StoreError(f"the story stopped at '{session.node_id}', which is no decision")
    conn.execute(
        sa.insert(class_polls).values(
            session_id=session_id,
            number=len(session.decisions) + 1,
            node=session.node_id,
            prompt=node.prompt,
            options=[{"id": c.id, "text": c.text} for c in session.available_choices()],
        )
    )


def set_poll(conn: sa.Connection, session_id: int, number: int, **values: Any) -> None:
    conn.execute(
        sa.update(class_polls)
        .where(class_polls.c.session_id == session_id, class_polls.c.number == number)
        .values(**values)
    )


def read_polls(conn: sa.Connection, session_id: int, only: int | None = None) -> list[Poll]:
    query = sa.select(class_polls).where(class_polls.c.session_id == session_id)
    counts = sa.select(
        class_votes.c.number, class_votes.c.choice, sa.func.count().label("n")
    ).where(class_votes.c.session_id == session_id)
    if only is not None:
        query = query.where(class_polls.c.number == only)
        counts = counts.where(class_votes.c.number == only)
    tally: dict[int, dict[str, int]] = {}
    for c in conn.execute(counts.group_by(class_votes.c.number, class_votes.c.choice)):
        tally.setdefault(c.number, {})[c.choice] = int(c.n)
    polls = []
    for p in conn.execute(query.order_by(class_polls.c.number)):
        state = (
            "played"
            if p.played
            else "closed"
            if p.closed_at
            else "open"
            if p.opened_at
            else "waiting"
        )
        votes = tally.get(p.number, {})
        polls.append(
            Poll(
                number=p.number,
                node=p.node,
                prompt=p.prompt,
                options=tuple(PollOption(str(o["id"]), str(o["text"])) for o in p.options),
                state=state,
                voters=sum(votes.values()),
                votes=votes if state in ("closed", "played") else {},
                hands=counts_of(p.hands),
                played=p.played,
                opened_at=p.opened_at,
                closed_at=p.closed_at,
            )
        )
    return polls


def current(conn: sa.Connection, session_id: int, *, lock: bool) -> Poll | None:
    """The newest poll unless played; ``lock`` holds its row (shared) until commit, so
    a vote and the close of its poll never cross."""
    newest = sa.select(sa.func.max(class_polls.c.number)).where(
        class_polls.c.session_id == session_id
    )
    number = conn.execute(newest).scalar()
    if number is None:
        return None
    if lock and conn.dialect.name == "postgresql":
        conn.execute(
            sa.select(class_polls.c.number)
            .where(class_polls.c.session_id == session_id, class_polls.c.number == number)
            .with_for_update(read=True)
        )
    [poll] = read_polls(conn, session_id, number)
    return None if poll.state == "played" else poll


def replayed(conn: sa.Connection, attempt: Attempt, *, local_paths: bool) -> Session:
    """The class session's story, rebuilt from its events; new events carry on the
    recorded clock from the time the last one was written."""
    from engine.compile import compile_scenario
    from engine.session import ReplayError, replay

    try:
        sf = locate_scenario(attempt.scenario, attempt.workstation, local_paths=local_paths)
    except Unavailable as exc:
        raise StoreError(f"class session attempt {attempt.id} cannot go on: {exc}") from None
    event_list = rows.event_dicts(conn, attempt.id)
    last = conn.execute(
        sa.select(sa.func.max(events.c.recorded_at)).where(events.c.attempt_id == attempt.id)
    ).scalar()
    last_t = float(event_list[-1]["t"]) if event_list else 0.0
    since = (utcnow() - last).total_seconds() if last is not None else 0.0
    elapsed = round(last_t + max(0.0, since), 3)
    try:
        return replay(
            compile_scenario(sf),
            rows.session_log(attempt, event_list),
            clock=lambda: elapsed,
        )
    except ReplayError as exc:
        raise StoreError(f"class session attempt {attempt.id} does not replay: {exc}") from None


def session_view(
    conn: sa.Connection,
    row: sa.Row[Any],
    actor: Person | None,
    teacher: bool,
    *,
    story: bool,
    local_paths: bool,
) -> ClassSession:
    polls = read_polls(conn, row.id)
    attempt = rows.get_attempt(conn, row.attempt_id)
    joined = tuple(
        conn.execute(
            sa.select(people.c.username)
            .join(class_participants, class_participants.c.trainee_id == people.c.id)
            .where(class_participants.c.session_id == row.id)
            .order_by(people.c.username)
        ).scalars()
    )
    voted: tuple[str, ...] = ()
    if teacher and polls and polls[-1].state != "played":
        voted = tuple(
            conn.execute(
                sa.select(people.c.username)
                .join(class_votes, class_votes.c.trainee_id == people.c.id)
                .where(
                    class_votes.c.session_id == row.id,
                    class_votes.c.number == polls[-1].number,
                )
                .order_by(people.c.username)
            ).scalars()
        )
    mine = {
        r.number: r.choice
        for r in conn.execute(
            sa.select(class_votes.c.number, class_votes.c.choice).where(
                class_votes.c.session_id == row.id,
                class_votes.c.trainee_id == (actor.id if actor else -1),
            )
        )
    }
    lines: tuple[StoryLine, ...] = ()
    ending = attempt.ending
    if ending is None:
        found = conn.execute(
            sa.select(events.c.node, events.c.data).where(
                events.c.attempt_id == attempt.id, events.c.type == "ended"
            )
        ).first()
        if found is not None:
            ending = {"id": found.node, "outcome": found.data.get("outcome")}
    if story:
        session = replayed(conn, attempt, local_paths=local_paths)
        lines = tuple(StoryLine(t.speaker, t.text, t.kind) for t in session.transcript)
        ending = session.ending_info() or ending
    view = ClassSession(
        id=row.id,
        cohort=row.cohort_name,
        cohort_id=row.cohort_id,
        instructor=row.instructor_name,
        attempt_id=row.attempt_id,
        scenario_id=attempt.scenario.id,
        scenario_title=attempt.scenario.title,
        status=row.status,
        started_at=row.started_at,
        ended_at=row.ended_at,
        viewer="instructor" if teacher else "trainee",
        joined_count=len(joined),
        polls=tuple(polls),
        joined=joined if teacher else (),
        voted=voted,
        my_votes=mine,
        ending=ending,
        story=lines,
    )
    if row.status == "ended":
        view = replace(view, report=rows.latest_report(conn, attempt.id))
    return view
