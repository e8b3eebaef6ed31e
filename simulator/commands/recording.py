"""Recording headless and text sessions for a trainee (``run``/``play --text --trainee``)
and ``resume``, which continues an unfinished attempt in the terminal.

Each event is committed as it happens; if the process dies, ``parolesim resume ATTEMPT``
replays what was recorded and continues from the same point.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from simulator.commands.signin import add_user_options, open_store, sign_in
from simulator.errors import UsageError

if TYPE_CHECKING:  # the store (SQLAlchemy) loads only when an attempt is recorded
    from engine.loader import ScenarioFile
    from engine.session import Event, Session
    from simulator.attempt_link import AttemptLink
    from simulator.store import Attempt, Person
    from simulator.store.records import Records

# The attempt modes of the records schema (simulator.store.schema.MODES; a test keeps
# them equal), written out so that building the parser does not load the store.
MODES = ("practice", "assessment", "classroom")


def add_recording_options(parser: Any) -> None:
    """``--trainee`` (record the attempt), ``--mode``, ``--user``, ``--password-stdin``."""
    parser.add_argument(
        "--trainee", metavar="ID", help="record the attempt for this trainee (username or id)"
    )
    parser.add_argument("--mode", choices=MODES, default="practice", help="attempt mode")
    add_user_options(parser)


def _note(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _resume_hint(attempt: Attempt, actor: Person) -> str:
    return f"parolesim resume {attempt.id} --user {actor.username}"


class Recording:
    """Records one session for a trainee; ``begin`` gives the engine's ``on_event``."""

    def __init__(self, store: Records, actor: Person, trainee: str, mode: str) -> None:
        self.store, self.actor, self.trainee, self.mode = store, actor, trainee, mode
        self.link: AttemptLink | None = None

    def begin(self, sf: ScenarioFile, seed: int) -> Callable[[Event], None]:
        for old in self.store.attempts.unfinished(self.actor, self.trainee):
            _note(
                f"note: attempt {old.id} ({old.scenario.title}, started "
                f"{old.started_at:%Y-%m-%d %H:%M}) is unfinished; continue it with "
                f"`{_resume_hint(old, self.actor)}`"
            )
        from simulator.attempt_link import AttemptLink

        self.link = AttemptLink.start(
            self.store, self.actor, self.trainee, sf, seed=seed, mode=self.mode
        )
        return self.link.on_event

    def end(self, session: Session) -> Attempt:
        assert self.link is not None, "Recording.end before begin"
        attempt = self.link.close(session)
        if attempt.status == "in_progress":
            _note(
                f"attempt {attempt.id} is saved unfinished; continue it with "
                f"`{_resume_hint(attempt, self.actor)}`"
            )
        elif attempt.overall is not None:
            verdict = "passed" if attempt.passed else "not passed"
            _note(f"recorded attempt {attempt.id}: score {attempt.overall:.1f}, {verdict}")
        else:
            _note(f"recorded attempt {attempt.id} ({attempt.outcome})")
        return attempt


@contextmanager
def recording(args: argparse.Namespace) -> Iterator[Recording | None]:
    """A :class:`Recording` when ``--trainee`` was given, else None."""
    trainee = getattr(args, "trainee", None)
    if not trainee:
        yield None
        return
    with open_store(args) as store:
        actor = sign_in(store, args, fallback=trainee)
        yield Recording(store, actor, trainee, getattr(args, "mode", "practice"))


def cmd_resume(args: argparse.Namespace) -> int:
    from simulator.textplay import play_text

    if args.attempt is None and not (args.trainee or args.user):
        raise UsageError("give an ATTEMPT number, or --trainee ID to list unfinished attempts")
    with open_store(args) as store:
        actor = sign_in(store, args, fallback=args.trainee)
        if args.attempt is None:
            waiting = store.attempts.unfinished(actor, args.trainee or actor)
            if not waiting:
                print("no unfinished attempts")
            for a in waiting:
                print(
                    f"{a.id:>6}  {a.started_at:%Y-%m-%d %H:%M}  {a.scenario.id}  "
                    f"{a.scenario.title}  ({a.trainee})"
                )
            return 0
        from simulator.attempt_link import AttemptLink

        link, session = AttemptLink.resume(store, actor, args.attempt)
        _note(f"resuming attempt {args.attempt} at '{session.node_id}'")
        code = play_text(link.scenario_file, session=session)
        attempt = link.close(session)
        if attempt.status == "in_progress":
            _note(f"attempt {attempt.id} is saved unfinished; `{_resume_hint(attempt, actor)}`")
        else:
            _note(f"recorded attempt {attempt.id} ({attempt.outcome})")
        return code


def register(sub: Any) -> None:
    p = sub.add_parser(
        "resume", help="continue an unfinished attempt in the terminal (or list them)"
    )
    p.add_argument("attempt", nargs="?", type=int, metavar="ATTEMPT", help="attempt number")
    p.add_argument("--trainee", metavar="ID", help="list this trainee's unfinished attempts")
    add_user_options(p)
    p.set_defaults(func=cmd_resume)
