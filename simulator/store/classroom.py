"""Class sessions: an instructor plays one scenario with a cohort, and the class votes.

A class session is ONE attempt of the instructor (mode ``classroom``) recorded through the
ordinary event log, so it replays and is scored like any other; the store runs the engine
for it (it replays the attempt, applies the option the instructor chooses, and records the
new events in the same transaction), so every workstation and the projector see one story.
At each decision the session has a *poll*: the instructor opens voting, each trainee of the
cohort casts one vote (a second vote is refused, never counted twice, never replaced), the
instructor may add a show-of-hands count, closes voting (the distribution shows only then,
so early votes do not sway the rest), and plays the majority or any other option. At the end
the debrief carries the class's distribution beside each decision.

Who may do what: an instructor of the cohort (or an admin) starts and runs the session; a
trainee of the cohort joins and votes; anyone else is refused, and every refusal is audited,
as is every change (start, join, vote, open, hands, close, play, end) and every export.
Following the live session (its state, the event stream) is not written to the audit log
per look: it shows a trainee counts only, and the instructor who voted, not what.
Each change is announced (``classbus``) so projectors update at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from engine.problems import ContentError
from simulator.store import attempts as rows
from simulator.store import audit
from simulator.store.access import Action, permits_cohort
from simulator.store.accounts import Person
from simulator.store.attempts import PackRef, ScenarioRef
from simulator.store.audit import WORKSTATION
from simulator.store.classbus import ClassBus, announce
from simulator.store.classdata import LETTERS, ClassSession, Poll
from simulator.store.classread import (
    SESSION_QUERY,
    add_poll,
    current,
    replayed,
    session_row,
    session_view,
    set_poll,
)
from simulator.store.cohorts import find_cohort
from simulator.store.core import Database, Denied
from simulator.store.derive import library_scenario
from simulator.store.errors import InvalidRecord, StoreError
from simulator.store.recording import Attempts
from simulator.store.schema import (
    class_participants,
    class_polls,
    class_sessions,
    class_votes,
    people,
    utcnow,
)

HAND_LIMIT = 10_000


class Classes:
    """Class sessions (``store.classes``); ``bus`` hears of every change after it commits."""

    def __init__(self, db: Database, attempts: Attempts, bus: ClassBus | None = None) -> None:
        self._db = db
        self._attempts = attempts
        self.bus = bus or ClassBus()

    # --- the instructor -------------------------------------------------------------
    def start(
        self,
        actor: Person,
        cohort: str | int,
        scenario_id: str,
        *,
        seed: int,
        workstation: str = WORKSTATION,
    ) -> ClassSession:
        """Start a class session of ``scenario_id`` (from the library) for ``cohort``; the
        story runs to its first decision, where voting can be opened."""
        # the engine and the scorer load here, not with the store (whose opening the app's
        # sign-in screen waits for)
        from engine.compile import compile_scenario
        from engine.session import Session
        from scoring.lintcheck import pack_for_scenario

        # loading and compiling happen before the write, which then holds the lock briefly
        sf = library_scenario(scenario_id.strip())
        s = sf.scenario
        try:
            pack_ref: PackRef | None = PackRef(**pack_for_scenario(sf).identity())
        except ContentError:  # an unusable pack leaves the attempt to be scored later
            pack_ref = None
        ref = ScenarioRef(s.id, s.version, sf.hash, s.title, str(sf.path))
        compiled = compile_scenario(sf)
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            found = find_cohort(conn, cohort)
            self._db.require_cohort(
                conn,
                actor,
                Action.TEACH_COHORT,
                found.id,
                what=f"run class sessions for {found.name}",
            )
            attempt_id = rows.create_attempt(
                conn,
                trainee_id=actor.id,
                created_by=actor.id,
                scenario=ref,
                pack=pack_ref,
                seed=seed,
                mode="classroom",
                workstation=workstation[:200],
            )
            session = Session.start(compiled, seed, extra_time=None)
            for event in session.events:
                rows.append_event(conn, attempt_id, event.to_dict())
            result = conn.execute(
                sa.insert(class_sessions).values(
                    cohort_id=found.id,
                    instructor_id=actor.id,
                    attempt_id=attempt_id,
                    status="open",
                    started_at=utcnow(),
                )
            )
            session_id = int(result.inserted_primary_key[0])  # type: ignore[index]
            add_poll(conn, session_id, session)
            audit.record(
                conn,
                actor,
                "start_class",
                target_type="class_session",
                target_id=session_id,
                detail={"cohort": found.name, "scenario": s.id, "attempt": attempt_id},
            )
            announce(conn, session_id)
        self.bus.publish(session_id)
        return self.state(actor, session_id, story=True)

    def open_voting(self, actor: Person, session_id: int) -> ClassSession:
        """Open voting on the current decision."""

        def change(conn: sa.Connection, actor: Person, poll: Poll) -> None:
            if poll.state != "waiting":
                raise InvalidRecord(f"voting on decision {poll.number} is already {poll.state}")
            set_poll(conn, session_id, poll.number, opened_at=utcnow())

        return self._instructor_change(actor, session_id, "open_voting", change)

    def count_hands(
        self, actor: Person, session_id: int, counts: Mapping[str, int]
    ) -> ClassSession:
        """The instructor's show-of-hands count per option (by id, letter or number), for
        trainees without a workstation; it is added to the workstation votes, and entering
        it again replaces the earlier count."""

        def change(conn: sa.Connection, actor: Person, poll: Poll) -> None:
            if poll.state == "played":
                raise InvalidRecord(f"decision {poll.number} has already been played")
            hands: dict[str, int] = {}
            for ref, count in counts.items():
                if isinstance(count, bool) or not isinstance(count, int):
                    raise InvalidRecord(f"a show of hands is a whole number, not {count!r}")
                if not 0 <= count <= HAND_LIMIT:
                    raise InvalidRecord(f"a show of hands is 0 to {HAND_LIMIT}, not {count}")
                hands[poll.option(ref).id] = hands.get(poll.option(ref).id, 0) + count
            values: dict[str, Any] = {"hands": hands}
            if poll.state == "waiting":
                values["opened_at"] = utcnow()
            set_poll(conn, session_id, poll.number, **values)

        return self._instructor_change(
            actor, session_id, "count_hands", change, detail={"counts": dict(counts)}
        )

    def close_voting(self, actor: Person, session_id: int) -> ClassSession:
        """Close voting on the current decision; the distribution shows from now on."""

        def change(conn: sa.Connection, actor: Person, poll: Poll) -> None:
            if poll.state not in ("waiting", "open"):
                raise InvalidRecord(f"voting on decision {poll.number} is already closed")
            now = utcnow()
            set_poll(conn, session_id, poll.number, opened_at=poll.opened_at or now, closed_at=now)

        return self._instructor_change(actor, session_id, "close_voting", change)

    def play(self, actor: Person, session_id: int, choice: str | None = None) -> ClassSession:
        """Play ``choice`` (id, letter or number; None: the class's majority) at the current
        decision; the story goes on to the next decision or its ending."""

        def change(conn: sa.Connection, actor: Person, poll: Poll) -> None:
            if poll.state == "open":
                raise InvalidRecord(
                    f"voting on decision {poll.number} is still open; close it first"
                )
            if choice is None:
                leaders = poll.leaders()
                if len(leaders) != 1:
                    tied = ", ".join(f"{poll.letter(c)} ({c})" for c in leaders)
                    raise InvalidRecord(
                        f"decision {poll.number} has no majority ("
                        + (f"tied: {tied}" if leaders else "no votes")
                        + "); say which option the class plays"
                    )
                picked = leaders[0]
            else:
                picked = poll.option(choice).id
            row = session_row(conn, session_id)
            attempt = rows.get_attempt(conn, row.attempt_id)
            session = replayed(conn, attempt, local_paths=self._db.local_paths)
            if session.node_id != poll.node:
                raise StoreError(
                    f"class session {session_id}: the recorded story is at '{session.node_id}', "
                    f"not decision {poll.number} ('{poll.node}'); it cannot go on"
                )
            before = len(session.events)
            session.choose(picked)
            for event in session.events[before:]:
                rows.append_event(conn, attempt.id, event.to_dict())
            set_poll(conn, session_id, poll.number, played=picked, played_at=utcnow())
            if not session.ended:
                add_poll(conn, session_id, session)

        return self._instructor_change(
            actor, session_id, "play_class_choice", change, detail={"choice": choice or "majority"}
        )

    def end(self, actor: Person, session_id: int) -> ClassSession:
        """End the session: a story that reached its ending is scored like any attempt (the
        debrief shows); one stopped early is kept as abandoned."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            row = session_row(conn, session_id)
            self._teach(conn, actor, row, "end class sessions")
            instructor = self._db.person(conn, row.instructor_id)
            attempt = rows.get_attempt(conn, row.attempt_id)
        if row.status == "ended":
            raise InvalidRecord(f"class session {session_id} has already ended")
        if attempt.status == "in_progress":
            ended = rows.ending_from_events(self._events(attempt.id))
            if ended is not None:
                self._attempts.finish(instructor, attempt.id)
            else:
                self._attempts.abandon(instructor, attempt.id)
        with self._db.write() as conn:
            now = utcnow()
            conn.execute(  # voting still open when the session ends is closed with it
                sa.update(class_polls)
                .where(
                    class_polls.c.session_id == session_id,
                    class_polls.c.opened_at.is_not(None),
                    class_polls.c.closed_at.is_(None),
                )
                .values(closed_at=now)
            )
            conn.execute(
                sa.update(class_sessions)
                .where(class_sessions.c.id == session_id, class_sessions.c.status == "open")
                .values(status="ended", ended_at=now)
            )
            audit.record(
                conn, actor, "end_class", target_type="class_session", target_id=session_id
            )
            announce(conn, session_id)
        self.bus.publish(session_id)
        return self.state(actor, session_id, story=True)

    # --- the trainees ---------------------------------------------------------------
    def join(self, actor: Person, session_id: int) -> ClassSession:
        """Join (or rejoin, after a crash) a class session of one's cohort."""
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            row = session_row(conn, session_id)
            self._member(conn, actor, row, "join this class session")
            if row.status != "open":
                raise InvalidRecord(f"class session {session_id} has ended")
            if self._ensure_joined(conn, session_id, actor):
                audit.record(
                    conn, actor, "join_class", target_type="class_session", target_id=session_id
                )
                announce(conn, session_id)
        self.bus.publish(session_id)
        return self.state(actor, session_id)

    def vote(self, actor: Person, session_id: int, choice: str) -> ClassSession:
        """Cast the trainee's one vote on the current decision (by option id, letter or
        number). A second vote on the same decision is refused: votes are never replaced."""
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            row = session_row(conn, session_id)
            self._member(conn, actor, row, "vote in this class session")
            if row.status != "open":
                raise InvalidRecord(f"class session {session_id} has ended")
            poll = current(conn, session_id, lock=True)
            if poll is None or poll.state != "open":
                what = f"decision {poll.number}" if poll else "this session"
                raise InvalidRecord(f"voting on {what} is not open")
            option = poll.option(choice)
            earlier = conn.execute(
                sa.select(class_votes.c.choice).where(
                    class_votes.c.session_id == session_id,
                    class_votes.c.number == poll.number,
                    class_votes.c.trainee_id == actor.id,
                )
            ).scalar()
            if earlier is not None:
                raise InvalidRecord(
                    f"{actor.username} has already voted {poll.letter(earlier)} on decision "
                    f"{poll.number}; each trainee votes once and a vote is not changed"
                )
            self._ensure_joined(conn, session_id, actor)
            try:
                with conn.begin_nested():
                    conn.execute(
                        sa.insert(class_votes).values(
                            session_id=session_id,
                            number=poll.number,
                            trainee_id=actor.id,
                            choice=option.id,
                            voted_at=utcnow(),
                        )
                    )
            except sa.exc.IntegrityError:
                raise InvalidRecord(
                    f"{actor.username} has already voted on decision {poll.number}; each "
                    "trainee votes once and a vote is not changed"
                ) from None
            audit.record(
                conn,
                actor,
                "class_vote",
                target_type="class_session",
                target_id=session_id,
                detail={"decision": poll.number},
            )
            announce(conn, session_id)
        self.bus.publish(session_id)
        return self.state(actor, session_id)

    # --- anyone in the class --------------------------------------------------------
    def state(self, actor: Person, session_id: int, *, story: bool = False) -> ClassSession:
        """The session as ``actor`` may see it; ``story`` adds the transcript so far (for
        the projector; the instructor only)."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            row = session_row(conn, session_id)
            teacher = self._may_teach(conn, actor, row)
            if not teacher:
                self._member(conn, actor, row, "see this class session")
            return self._view(conn, row, actor, teacher, story=story and teacher)

    def snapshot(self, session_id: int) -> ClassSession:
        """The session as its instructor sees it, for a server's event stream that has
        already checked who is watching (one read serves every viewer of a change)."""
        with self._db.read() as conn:
            row = session_row(conn, session_id)
            return self._view(conn, row, None, True, story=False)

    def open_sessions(self, actor: Person) -> list[ClassSession]:
        """Open class sessions of the cohorts ``actor`` teaches or belongs to, newest first."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            found = conn.execute(
                SESSION_QUERY.where(class_sessions.c.status == "open").order_by(
                    class_sessions.c.id.desc()
                )
            ).all()
            shown = []
            for row in found:
                teacher = self._may_teach(conn, actor, row)
                if teacher or permits_cohort(conn, actor, Action.JOIN_CLASS, row.cohort_id):
                    shown.append(self._view(conn, row, actor, teacher, story=False))
            return shown

    def export(self, actor: Person, session_id: int) -> dict[str, Any]:
        """The whole session as JSON-ready data: every decision with each vote (who, what,
        when), the show-of-hands counts, what was played, the event log and the score."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            row = session_row(conn, session_id)
            self._teach(conn, actor, row, "export class sessions")
            shown = self._view(conn, row, actor, True, story=False)
            ballots: dict[int, list[dict[str, Any]]] = {}
            for vote in conn.execute(
                sa.select(class_votes, people.c.username)
                .join(people, people.c.id == class_votes.c.trainee_id)
                .where(class_votes.c.session_id == session_id)
                .order_by(class_votes.c.number, class_votes.c.voted_at, people.c.username)
            ):
                ballots.setdefault(vote.number, []).append(
                    {
                        "trainee": vote.username,
                        "choice": vote.choice,
                        "voted_at": vote.voted_at.isoformat(),
                    }
                )
            attempt = rows.get_attempt(conn, row.attempt_id)
            log = rows.session_log(attempt, rows.event_dicts(conn, attempt.id))
            report = rows.latest_report(conn, attempt.id)
        with self._db.write() as conn:
            audit.record(
                conn,
                actor,
                "export_class",
                target_type="class_session",
                target_id=session_id,
                detail={"votes": sum(len(b) for b in ballots.values())},
            )
        return {
            "format": "parolesim-class/1",
            "session": {
                "id": shown.id,
                "cohort": shown.cohort,
                "instructor": shown.instructor,
                "scenario": shown.scenario_id,
                "title": shown.scenario_title,
                "status": shown.status,
                "started_at": shown.started_at.isoformat(),
                "ended_at": shown.ended_at.isoformat() if shown.ended_at else None,
                "joined": list(shown.joined),
                "attempt": attempt.to_dict(),
            },
            "decisions": [
                {
                    "number": p.number,
                    "node": p.node,
                    "prompt": p.prompt,
                    "options": [
                        {"letter": LETTERS[i], "id": o.id, "text": o.text}
                        for i, o in enumerate(p.options)
                    ],
                    "state": p.state,
                    "votes": ballots.get(p.number, []),
                    "hands": p.hands,
                    "distribution": p.distribution,
                    "played": p.played,
                }
                for p in shown.polls
            ],
            "log": log,
            "report": report,
        }

    # --- helpers --------------------------------------------------------------------
    def _view(
        self,
        conn: sa.Connection,
        row: sa.Row[Any],
        actor: Person | None,
        teacher: bool,
        *,
        story: bool,
    ) -> ClassSession:
        return session_view(
            conn, row, actor, teacher, story=story, local_paths=self._db.local_paths
        )

    def _may_teach(self, conn: sa.Connection, actor: Person, row: sa.Row[Any]) -> bool:
        return permits_cohort(conn, actor, Action.TEACH_COHORT, row.cohort_id)

    def _teach(self, conn: sa.Connection, actor: Person, row: sa.Row[Any], what: str) -> None:
        self._db.require_cohort(
            conn, actor, Action.TEACH_COHORT, row.cohort_id, what=f"{what} for {row.cohort_name}"
        )

    def _member(self, conn: sa.Connection, actor: Person, row: sa.Row[Any], what: str) -> None:
        if not permits_cohort(conn, actor, Action.JOIN_CLASS, row.cohort_id):
            raise Denied(
                f"{actor.username} ({actor.role}) may not {what}: it is {row.cohort_name}'s "
                "class session",
                actor,
                Action.JOIN_CLASS.value,
                ("class_session", str(row.id)),
            )

    def _ensure_joined(self, conn: sa.Connection, session_id: int, actor: Person) -> bool:
        exists = conn.execute(
            sa.select(class_participants.c.trainee_id).where(
                class_participants.c.session_id == session_id,
                class_participants.c.trainee_id == actor.id,
            )
        ).first()
        if exists is not None:
            return False
        conn.execute(
            sa.insert(class_participants).values(
                session_id=session_id, trainee_id=actor.id, joined_at=utcnow()
            )
        )
        return True

    def _instructor_change(
        self,
        actor: Person,
        session_id: int,
        action: str,
        change: Any,
        *,
        detail: dict[str, Any] | None = None,
    ) -> ClassSession:
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            row = session_row(conn, session_id)
            self._teach(conn, actor, row, "run class sessions")
            if row.status != "open":
                raise InvalidRecord(f"class session {session_id} has ended")
            poll = current(conn, session_id, lock=True)
            if poll is None:
                raise InvalidRecord(
                    f"class session {session_id}'s story has reached its ending; end the "
                    "session to see the debrief"
                )
            change(conn, actor, poll)
            audit.record(
                conn,
                actor,
                action,
                target_type="class_session",
                target_id=session_id,
                detail={"decision": poll.number, **(detail or {})},
            )
            announce(conn, session_id)
        self.bus.publish(session_id)
        return self.state(actor, session_id, story=True)

    def _events(self, attempt_id: int) -> list[dict[str, Any]]:
        with self._db.read() as conn:
            return rows.event_dicts(conn, attempt_id)
