"""Commands that run scenarios: ``run`` (headless) and ``play`` (text or window)."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from typing import TYPE_CHECKING, Any

from engine.wording import plural
from simulator.commands.recording import Recording, add_recording_options, recording
from simulator.errors import CommandError, UsageError

if TYPE_CHECKING:  # numpy and the engine load when a scenario runs, not for --help
    from engine.session import Session

TIMEOUT_TOKEN = "timeout"


def _seed(value: str) -> int:
    try:
        seed = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a seed is a whole number, not {value!r}") from None
    if not 0 <= seed < 2**63:
        raise argparse.ArgumentTypeError("a seed is between 0 and 2^63-1")
    return seed


def autopilot(session: Session, mode: str, seed: int) -> None:
    """Play to an ending: ``first`` takes the first choice as shown (options are shuffled per
    attempt, so this is no answer key); ``random`` picks with a generator derived from the
    seed (timed decisions may also time out)."""
    import numpy as np

    picker = np.random.default_rng([seed, 0xA070])
    for _ in range(10_000):
        if session.ended:
            return
        choices = session.available_choices()
        if not choices:
            raise CommandError(f"no choice is available at '{session.node_id}'")
        if mode == "first":
            session.choose(choices[0].id)
            continue
        options = len(choices) + (1 if session.timeout_seconds is not None else 0)
        k = int(picker.integers(options))
        if k == len(choices):
            session.time_out()
        else:
            session.choose(choices[k].id)
    raise CommandError("the run did not reach an ending within 10,000 decisions")


def _open_ids(session: Session) -> str:
    """The open choices' ids in authored order (``--choices`` names choices by id)."""
    from engine.model import Decision

    node = session.node
    authored = [c.id for c in node.choices] if isinstance(node, Decision) else []
    open_now = {c.id for c in session.available_choices()}
    return ", ".join(cid for cid in authored if cid in open_now)


def scripted(session: Session, choices: list[str]) -> None:
    from engine.session import SessionError

    for i, choice in enumerate(choices):
        if session.ended:
            raise CommandError(
                f"the scenario ended before choice {i + 1} ('{choice}'); "
                f"{plural(len(choices) - i, 'choice')} left over"
            )
        try:
            if choice == TIMEOUT_TOKEN:
                session.time_out()
            else:
                session.choose(choice)
        except SessionError as exc:
            raise CommandError(
                f"choice {i + 1}: {exc}; available now: {_open_ids(session)}"
            ) from None
    if not session.ended:
        raise CommandError(
            f"the run stopped at decision '{session.node_id}' before an ending; "
            f"give more --choices (available: {_open_ids(session)}) or use --auto"
        )


def run_headless(
    args: argparse.Namespace, on_event: Any = None, record: Recording | None = None
) -> Session:
    from engine.compile import compile_scenario
    from engine.library import find
    from engine.session import Session

    if bool(args.choices) == bool(args.auto):
        raise UsageError("give exactly one of --choices ID,ID,... or --auto random|first")
    sf = find(args.scenario)
    compiled = compile_scenario(sf)
    if record is not None:
        on_event = record.begin(sf, args.seed)
    session = Session.start(
        compiled, args.seed, on_event=on_event, clock=lambda: 0.0, wall_clock=False
    )
    if args.auto:
        autopilot(session, args.auto, args.seed)
    else:
        scripted(session, [c.strip() for c in args.choices.split(",") if c.strip()])
    return session


def print_summary(session: Session) -> None:
    s = session.compiled.scenario
    print(f"{s.title} ({s.id} {s.version}), seed {session.seed}")
    cast = s.cast
    for line in session.transcript:
        if line.kind == "action":
            print(f"  > {line.text}")
        elif line.kind == "ending":
            print(f"  == {line.text}")
        else:
            who = "You" if line.speaker == "officer" else cast.get(line.speaker, line.speaker)
            print(f"  {who}: {line.text}" if line.speaker != "narrator" else f"  {line.text}")
    ending = session.ending
    if ending is not None:
        print(f"ending: {session.node_id} ({ending.outcome.value})")


def cmd_run(args: argparse.Namespace) -> int:
    with recording(args) as record:
        session = run_headless(args, record=record)
        if record is not None:
            record.end(session)
    log = session.to_log()
    report = None
    if args.score:
        from simulator.commands.scoring import attach_score

        report = attach_score(log, session, args.policy)
    if args.json:
        json.dump(log, sys.stdout, indent=2, sort_keys=False)
        sys.stdout.write("\n")
    else:
        print_summary(session)
        if report is not None:
            from simulator.reports.text import render_text

            print()
            sys.stdout.write(render_text(report))
    return 0


def cmd_play(args: argparse.Namespace) -> int:
    from engine.compile import compile_scenario
    from engine.library import find
    from engine.session import Session

    if args.text:
        from simulator.textplay import play_text

        sf = find(args.scenario)
        extra = _extra_time(args.extra_time)
        with recording(args) as record:
            if record is None:
                return play_text(sf, seed=args.seed, extra_time=extra)
            seed = secrets.randbelow(2**31) if args.seed is None else args.seed
            session = Session.start(
                compile_scenario(sf), seed, on_event=record.begin(sf, seed), extra_time=extra
            )
            code = play_text(sf, session=session)
            record.end(session)
            return code
    from simulator.commands.app import open_app

    return open_app(args, scenario=args.scenario)


EXTRA_TIME_CHOICES = ("1", "1.5", "2", "off")


def _extra_time(value: str | None) -> float | None:
    """``--extra-time``, else the app's saved setting (Settings, "Time on timed decisions")."""
    if value is None:
        from simulator.app.settings import load

        return load().time_factor
    return None if value == "off" else float(value)


def register(sub: Any) -> None:
    p = sub.add_parser("run", help="run a scenario headless with given or automatic choices")
    p.add_argument("scenario", help="scenario id or path to a .yaml file")
    p.add_argument("--seed", type=_seed, default=0, help="seed for persona and chance (default 0)")
    p.add_argument("--choices", help="comma-separated choice ids; 'timeout' lets time run out")
    p.add_argument(
        "--auto",
        choices=("random", "first"),
        help="pick choices automatically: the first as shown (order is shuffled per "
        "seed) or at random",
    )
    p.add_argument("--json", action="store_true", help="print the session log as JSON")
    p.add_argument("--score", action="store_true", help="score the run against its policy pack")
    p.add_argument("--policy", help="with --score: pack file or id (default: the scenario's)")
    add_recording_options(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("play", help="play a scenario (--text: in the terminal)")
    p.add_argument("scenario", help="scenario id or path to a .yaml file")
    p.add_argument("--text", action="store_true", help="play in the terminal, plain text")
    p.add_argument("--seed", type=_seed, default=None, help="seed (default: a random one)")
    p.add_argument(
        "--extra-time",
        choices=EXTRA_TIME_CHOICES,
        help="with --text: time on timed decisions, as a multiple, or 'off' for no timer "
        "(default: the app's setting); recorded in the attempt",
    )
    add_recording_options(p)
    p.set_defaults(func=cmd_play)
