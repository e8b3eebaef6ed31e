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
trainee of the cohort joins and votes; anyone else is refused, and every refusal is audited.
Each change is announced (``classbus``) so projectors update at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from engine.compile import compile_scenario
from engine.model import Decision
from engine.session import ReplayError, Session, replay
from scoring.lintcheck import pack_for_scenario
from simulator.store import attempts as rows
from simulator.store import audit
from simulator.store.access import Action, permits_cohort
from simulator.store.accounts import Person
from simulator.store.attempts import Attempt, PackRef, ScenarioRef
from simulator.store.audit import WORKSTATION
from simulator.store.classbus import ClassBus, announce
from simulator.store.cohorts import find_cohort
from simulator.store.core import Database, Denied
from simulator.store.derive import Unavailable, library_scenario, locate_scenario
from simulator.store.errors import InvalidRecord, NotFound, StoreError
from simulator.store.recording import Attempts
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

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
HAND_LIMIT = 10_000


@dataclass(frozen=True)
class PollOption:
    id: str
    text: str


@dataclass(frozen=True)
class Poll:
    """One decision of a class session and how the class voted on it.

    ``state`` is ``waiting`` (voting not opened), ``open``, ``closed`` or ``played``. While
    voting is open only the number of voters shows; ``votes`` (per option) fill in on close.
    """

    number: int
    node: str
    prompt: str
    options: tuple[PollOption, ...]
    state: str
    voters: int
    votes: dict[str, int]
    hands: dict[str, int]
    played: str | None
    opened_at: datetime | None
    closed_at: datetime | None

    @property
    def distribution(self) -> dict[str, int]:
        """Workstation votes plus show-of-hands counts, per option in shown order (empty
        while voting is open)."""
        if self.state in ("waiting", "open"):
            return {}
        return {o.id: self.votes.get(o.id, 0) + self.hands.get(o.id, 0) for o in self.options}

    @property
    def total(self) -> int:
        return sum(self.distribution.values())

    def leaders(self) -> tuple[str, ...]:
        """The option(s) with the most votes (several on a tie, none without votes)."""
        counts = self.distribution
        top = max(counts.values(), default=0)
        return tuple(k for k, v in counts.items() if v == top) if top else ()

    def letter(self, choice_id: str) -> str:
        for i, option in enumerate(self.options):
            if option.id == choice_id:
                return LETTERS[i]
        return "?"

    def option(self, ref: str) -> PollOption:
        """The option named by its id, its letter (A, B, ...) or its number (1, 2, ...)."""
        text = ref.strip()
        for i, option in enumerate(self.options):
            if text in (option.id, LETTERS[i], LETTERS[i].lower(), str(i + 1)):
                return option
        shown = ", ".join(f"{LETTERS[i]}={o.id}" for i, o in enumerate(self.options))
        raise InvalidRecord(f"decision {self.number} has no option {ref!r}; its options: {shown}")


@dataclass(frozen=True)
class StoryLine:
    speaker: str
    text: str
    kind: str


@dataclass(frozen=True)
class ClassSession:
    """A class session as one viewer may see it (``viewer``: instructor or trainee).

    ``joined`` and ``voted`` (who has voted on the current poll) are filled for the
    instructor only; a trainee sees counts and their own votes (``my_votes``). ``story``
    is filled when asked for; ``report`` (the score) only once the session has ended.
    """

    id: int
    cohort: str
    cohort_id: int
    instructor: str
    attempt_id: int
    scenario_id: str
    scenario_title: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    viewer: str
    joined_count: int
    polls: tuple[Poll, ...]
    joined: tuple[str, ...] = ()
    voted: tuple[str, ...] = ()
    my_votes: dict[int, str] = field(default_factory=dict)
    ending: dict[str, Any] | None = None
    story: tuple[StoryLine, ...] = ()
    report: dict[str, Any] | None = None

    @property
    def current(self) -> Poll | None:
        """The decision the class is on, unless it has been played (or the story ended)."""
        if self.polls and self.polls[-1].state != "played":
            return self.polls[-1]
        return None

    def pulse(self) -> dict[str, Any]:
        """The few figures a projector or workstation watches, for the event stream."""
        poll = self.current
        return {
            "session": self.id,
            "status": self.status,
            "joined": self.joined_count,
            "decision": poll.number if poll else None,
            "poll": poll.state if poll else None,
            "voters": poll.voters if poll else 0,
            "voted": list(self.voted),
            "distribution": poll.distribution if poll else {},
            "decisions_played": sum(1 for p in self.polls if p.state == "played"),
            "story_ended": self.ending is not None,
        }


def _dict_of_counts(value: Any) -> dict[str, int]:
    return {str(k): int(v) for k, v in (value or {}).items()}


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
            sf = library_scenario(scenario_id.strip())
            s = sf.scenario
            try:
                pack = pack_for_scenario(sf)
                pack_ref: PackRef | None = PackRef(**pack.identity())
            except Exception:  # an unscorable pack leaves the attempt to be scored later
                pack_ref = None
            ref = ScenarioRef(s.id, s.version, sf.hash, s.title, str(sf.path))
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
            session = Session.start(compile_scenario(sf), seed, extra_time=None)
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
            self._add_poll(conn, session_id, session)
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
            self._set_poll(conn, session_id, poll.number, opened_at=utcnow())

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
            self._set_poll(conn, session_id, poll.number, **values)

        return self._instructor_change(
            actor, session_id, "count_hands", change, detail={"counts": dict(counts)}
        )

    def close_voting(self, actor: Person, session_id: int) -> ClassSession:
        """Close voting on the current decision; the distribution shows from now on."""

        def change(conn: sa.Connection, actor: Person, poll: Poll) -> None:
            if poll.state not in ("waiting", "open"):
                raise InvalidRecord(f"voting on decision {poll.number} is already closed")
            now = utcnow()
            self._set_poll(
                conn, session_id, poll.number, opened_at=poll.opened_at or now, closed_at=now
            )

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
            row = self._session_row(conn, session_id)
            attempt = rows.get_attempt(conn, row.attempt_id)
            session = self._replayed(conn, attempt)
            if session.node_id != poll.node:
                raise StoreError(
                    f"class session {session_id}: the recorded story is at '{session.node_id}', "
                    f"not decision {poll.number} ('{poll.node}'); it cannot go on"
                )
            before = len(session.events)
            session.choose(picked)
            for event in session.events[before:]:
                rows.append_event(conn, attempt.id, event.to_dict())
            self._set_poll(conn, session_id, poll.number, played=picked, played_at=utcnow())
            if not session.ended:
                self._add_poll(conn, session_id, session)

        return self._instructor_change(
            actor, session_id, "play_class_choice", change, detail={"choice": choice or "majority"}
        )

    def end(self, actor: Person, session_id: int) -> ClassSession:
        """End the session: a story that reached its ending is scored like any attempt (the
        debrief shows); one stopped early is kept as abandoned."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            row = self._session_row(conn, session_id)
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
            row = self._session_row(conn, session_id)
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
            row = self._session_row(conn, session_id)
            self._member(conn, actor, row, "vote in this class session")
            if row.status != "open":
                raise InvalidRecord(f"class session {session_id} has ended")
            poll = self._current(conn, session_id, lock=True)
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
            row = self._session_row(conn, session_id)
            teacher = self._may_teach(conn, actor, row)
            if not teacher:
                self._member(conn, actor, row, "see this class session")
            return self._view(conn, row, actor, teacher, story=story and teacher)

    def snapshot(self, session_id: int) -> ClassSession:
        """The session as its instructor sees it, for a server's event stream that has
        already checked who is watching (one read serves every viewer of a change)."""
        with self._db.read() as conn:
            row = self._session_row(conn, session_id)
            return self._view(conn, row, None, True, story=False)

    def open_sessions(self, actor: Person) -> list[ClassSession]:
        """Open class sessions of the cohorts ``actor`` teaches or belongs to, newest first."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            found = conn.execute(
                self._SESSION_QUERY.where(class_sessions.c.status == "open").order_by(
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
            row = self._session_row(conn, session_id)
            self._teach(conn, actor, row, "export class sessions")
            view = self._view(conn, row, actor, True, story=False)
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
                "id": view.id,
                "cohort": view.cohort,
                "instructor": view.instructor,
                "scenario": view.scenario_id,
                "title": view.scenario_title,
                "status": view.status,
                "started_at": view.started_at.isoformat(),
                "ended_at": view.ended_at.isoformat() if view.ended_at else None,
                "joined": list(view.joined),
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
                for p in view.polls
            ],
            "log": log,
            "report": report,
        }

    # --- helpers --------------------------------------------------------------------
    _SESSION_QUERY = (
        sa.select(
            class_sessions,
            cohorts.c.name.label("cohort_name"),
            people.c.username.label("instructor_name"),
        )
        .join(cohorts, cohorts.c.id == class_sessions.c.cohort_id)
        .join(people, people.c.id == class_sessions.c.instructor_id)
    )

    def _session_row(self, conn: sa.Connection, session_id: int) -> sa.Row[Any]:
        row = conn.execute(self._SESSION_QUERY.where(class_sessions.c.id == session_id)).first()
        if row is None:
            raise NotFound(f"no class session numbered {session_id}")
        return row

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
            row = self._session_row(conn, session_id)
            self._teach(conn, actor, row, "run class sessions")
            if row.status != "open":
                raise InvalidRecord(f"class session {session_id} has ended")
            poll = self._current(conn, session_id, lock=True)
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

    def _add_poll(self, conn: sa.Connection, session_id: int, session: Session) -> None:
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

    def _set_poll(self, conn: sa.Connection, session_id: int, number: int, **values: Any) -> None:
        conn.execute(
            sa.update(class_polls)
            .where(class_polls.c.session_id == session_id, class_polls.c.number == number)
            .values(**values)
        )

    def _polls(self, conn: sa.Connection, session_id: int, only: int | None = None) -> list[Poll]:
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
                    hands=_dict_of_counts(p.hands),
                    played=p.played,
                    opened_at=p.opened_at,
                    closed_at=p.closed_at,
                )
            )
        return polls

    def _current(self, conn: sa.Connection, session_id: int, *, lock: bool) -> Poll | None:
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
        [poll] = self._polls(conn, session_id, number)
        return None if poll.state == "played" else poll

    def _events(self, attempt_id: int) -> list[dict[str, Any]]:
        with self._db.read() as conn:
            return rows.event_dicts(conn, attempt_id)

    def _replayed(self, conn: sa.Connection, attempt: Attempt) -> Session:
        """The class session's story, rebuilt from its events; new events carry on the
        recorded clock from the time the last one was written."""
        try:
            sf = locate_scenario(
                attempt.scenario, attempt.workstation, local_paths=self._db.local_paths
            )
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

    def _view(
        self,
        conn: sa.Connection,
        row: sa.Row[Any],
        actor: Person | None,
        teacher: bool,
        *,
        story: bool,
    ) -> ClassSession:
        polls = self._polls(conn, row.id)
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
            session = self._replayed(conn, attempt)
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
