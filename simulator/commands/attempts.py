"""``attempts show ID``: a recorded attempt's debrief, as text or a self-contained HTML page.

The debrief is scored again from the attempt's recorded events (replay is exact), so it
is the one the app showed, with every verdict, cited clause and better choice; when the
policy pack has changed since, the stored score is named beside the new one.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from simulator.commands.scoring import score_log
from simulator.commands.signin import add_user_options, open_store, sign_in
from simulator.errors import CommandError


def _timing_note(log: dict[str, Any]) -> str:
    events = log.get("events") or []
    timing = (events[0].get("timing") if events else None) or {}
    if timing.get("timer") == "off":
        return "Timing: the timer was off on timed decisions (accessibility setting)."
    if timing.get("extra_time"):
        return f"Timing: {timing['extra_time']:g} times the time on timed decisions."
    return ""


def cmd_show(args: argparse.Namespace) -> int:
    # the store, the scorer and the reports load only when the command runs (--help is instant)
    from simulator.reports.html import render_html
    from simulator.reports.text import render_text
    from simulator.store import StoreError
    from simulator.textplay import terminal_width, wrap_block

    with open_store(args) as store:
        actor = sign_in(store, args)
        try:
            log = store.attempts.log(actor, args.attempt, with_score=True)
        except StoreError as exc:
            raise CommandError(str(exc)) from None
    if not log.get("ending"):
        raise CommandError(
            f"attempt {args.attempt} is not finished, so it has no debrief yet; "
            f"continue it with `parolesim resume {args.attempt}`"
        )
    report, _ = score_log(log, None)
    stored = log.get("score")
    if isinstance(stored, dict) and stored.get("overall") != report.overall:
        sys.stderr.write(
            f"note: attempt {args.attempt} was scored {stored.get('overall')} when recorded; "
            f"the policy pack has changed since and now scores it {report.overall:g}\n"
        )
    if args.format == "html":
        sys.stdout.write(render_html(report))
        return 0
    width = args.width or terminal_width()
    note = _timing_note(log)
    head = f"Attempt {args.attempt}\n" + (note + "\n" if note else "")
    sys.stdout.write(wrap_block(head, width) + "\n")
    sys.stdout.write(render_text(report, width))
    return 0


def register(sub: Any) -> None:
    attempts = sub.add_parser("attempts", help="recorded attempts: show one's debrief")
    a_sub = attempts.add_subparsers(dest="attempts_command", metavar="ACTION", required=True)
    p = a_sub.add_parser("show", help="print a recorded attempt's debrief (text or HTML)")
    p.add_argument("attempt", type=int, metavar="ID", help="attempt number")
    p.add_argument(
        "--format",
        choices=("text", "html"),
        default="text",
        help="text for the terminal (default) or a self-contained HTML page",
    )
    p.add_argument("--width", type=int, help="text columns (default: the terminal's width)")
    add_user_options(p)
    p.set_defaults(func=cmd_show)
