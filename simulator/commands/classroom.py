"""The academy classroom on the command line: ``parolesim assign`` (scenarios for a cohort,
with a due date) and ``parolesim class start|join|vote|hands|close|next|end|show|export``
(a class session the cohort votes on). Each prints text, or JSON with ``--json``.

The instructor starts a session and opens voting at each decision (``start`` and ``next``
open it at once unless ``--hold``); trainees ``join`` and ``vote``; the instructor
``close``s voting (the distribution shows), plays the majority or any option with ``next``,
and ``end``s the session to see the debrief with the class's distribution beside each
decision.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from engine.wording import plural
from simulator.commands.signin import add_user_options, open_store, sign_in
from simulator.errors import UsageError

if TYPE_CHECKING:  # the store loads only when a command runs
    from simulator.store.classdata import ClassSession, Poll

BAR = 30  # characters of the widest distribution bar


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _whole(text: str) -> int:
    if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 19:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return int(text)


def _dump(view: ClassSession) -> Any:
    from simulator.remote import wire
    from simulator.store.classdata import ClassSession

    return wire.dump(view, ClassSession)


# --- assign ------------------------------------------------------------------------------
def cmd_assign(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        me = sign_in(store, args)
        if args.list or args.scenario is None:
            if args.withdraw is not None:
                gone = store.assignments.withdraw(me, args.withdraw)
                print(f"withdrew {gone.scenario_id} from {gone.cohort}")
                return 0
            if args.cohort is None:
                mine = store.assignments.for_trainee(me, args.trainee or me.username)
                if args.json:
                    _print_json([m.to_dict() for m in mine])
                    return 0
                today = date.today()
                for m in mine:
                    a = m.assignment
                    mark = (
                        "done (late)"
                        if m.late
                        else "done"
                        if m.done
                        else "OVERDUE"
                        if m.overdue(today)
                        else "to do"
                    )
                    print(f"{a.due_on}  {a.scenario_id:<32} {a.cohort:<16} {mark}")
                if not mine:
                    print("no assignments")
                return 0
            listed = store.assignments.for_cohort(me, args.cohort)
            if args.json:
                _print_json([a.to_dict() for a in listed])
                return 0
            for a in listed:
                print(f"#{a.id} {a.scenario_id} ({a.scenario_title}) due {a.due_on}")
                print(f"    done ({len(a.done)}): {', '.join(a.done) or '-'}")
                print(f"    not yet ({len(a.pending)}): {', '.join(a.pending) or '-'}")
            if not listed:
                print(f"{args.cohort} has no assignments")
            return 0
        if args.cohort is None or args.due is None:
            raise UsageError(
                "assigning needs the cohort and a due date: COHORT SCENARIO --due DATE"
            )
        made = store.assignments.assign(me, args.cohort, args.scenario, args.due, note=args.note)
        if args.json:
            _print_json(made.to_dict())
        else:
            print(
                f"assigned {made.scenario_id} ({made.scenario_title}) to {made.cohort}, due "
                f"{made.due_on}; not yet done by {plural(len(made.pending), 'trainee')}"
            )
    return 0


# --- class -------------------------------------------------------------------------------
def _poll_text(poll: Poll) -> list[str]:
    from simulator.store.classdata import LETTERS

    lines = [f"decision {poll.number}: {poll.prompt}  [voting {poll.state}]"]
    counts = poll.distribution
    top = max(counts.values(), default=0)
    for i, option in enumerate(poll.options):
        line = f"  {LETTERS[i]}  {option.text}"
        if counts:
            n = counts.get(option.id, 0)
            bar = "#" * (round(BAR * n / top) if top else 0)
            hands = poll.hands.get(option.id, 0)
            extra = f" (incl. {hands} by hands)" if hands else ""
            line = f"{line}\n       {bar} {n}{extra}"
        if poll.played == option.id:
            line += "   <- played"
        lines.append(line)
    if poll.state == "open":
        lines.append(f"  {plural(poll.voters, 'vote')} so far")
    return lines


def _show(view: ClassSession, *, story: bool = True) -> None:
    print(
        f"class session {view.id}: {view.scenario_title} with {view.cohort} "
        f"({view.status}; {view.joined_count} joined; instructor {view.instructor})"
    )
    if view.status == "ended":
        _debrief(view)
        return
    if story and view.story:
        for line in view.story[-6:]:
            who = "" if line.speaker in ("", "narrator") else f"{line.speaker}: "
            print(f"  | {who}{line.text}")
    poll = view.current
    if poll is not None:
        print("\n".join(_poll_text(poll)))
        mine = view.my_votes.get(poll.number)
        if mine is not None:
            print(f"  you voted {poll.letter(mine)}")
    elif view.ending is not None and view.status == "open":
        print(
            f"the story has ended ({view.ending.get('outcome')}): `parolesim class end {view.id}`"
        )
    if view.status == "ended":
        _debrief(view)


def _debrief(view: ClassSession) -> None:
    report = view.report or {}
    decisions = report.get("decisions", [])
    print("debrief:" + (f" score {report['overall']:.0f}" if "overall" in report else ""))
    if "passed" in report:
        print(f"  {'passed' if report['passed'] else 'not passed'}")
    for poll in view.polls:
        judged = decisions[poll.number - 1] if poll.number <= len(decisions) else {}
        verdict = judged.get("verdict", "")
        policy = (judged.get("policy") or {}).get("id", "")
        print("\n".join(_poll_text(poll)))
        if verdict:
            print(f"  verdict: {verdict}" + (f" ({policy})" if policy else ""))


def _session_id(store: Any, me: Any, given: int | None) -> int:
    if given is not None:
        return given
    found = store.classes.open_sessions(me)
    if len(found) == 1:
        return int(found[0].id)
    if not found:
        raise UsageError("there is no open class session for your cohorts; give its number")
    ids = ", ".join(str(s.id) for s in found)
    raise UsageError(f"several class sessions are open ({ids}); give the one you mean")


def _finish(args: argparse.Namespace, view: ClassSession) -> int:
    if args.json:
        _print_json(_dump(view))
    else:
        _show(view)
    return 0


def cmd_class(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        me = sign_in(store, args)
        action = args.class_command
        classes = store.classes
        if action == "start":
            view = classes.start(me, args.cohort, args.scenario, seed=args.seed)
            if not args.hold:
                view = classes.open_voting(me, view.id)
            return _finish(args, view)
        if action == "list":
            found = classes.open_sessions(me)
            if args.json:
                _print_json([_dump(v) for v in found])
                return 0
            for v in found:
                poll = v.current
                where = f"decision {poll.number}, voting {poll.state}" if poll else "story ended"
                print(f"{v.id}: {v.scenario_title} with {v.cohort} ({where})")
            if not found:
                print("no open class sessions for your cohorts")
            return 0
        if action == "hands" and args.counts and args.counts[0].isdigit():
            args.session, args.counts = int(args.counts[0]), args.counts[1:]
        session_id = _session_id(store, me, getattr(args, "session", None))
        if action == "join":
            view = classes.join(me, session_id)
        elif action == "vote":
            view = classes.vote(me, session_id, args.choice)
        elif action == "hands":
            view = classes.count_hands(me, session_id, _hands(args.counts))
        elif action == "open":
            view = classes.open_voting(me, session_id)
        elif action == "close":
            view = classes.close_voting(me, session_id)
        elif action == "next":
            view = classes.play(me, session_id, args.choice)
            if view.current is not None and not args.hold:
                view = classes.open_voting(me, session_id)
        elif action == "end":
            view = classes.end(me, session_id)
        elif action == "export":
            data = classes.export(me, session_id)
            if args.output:
                with open(args.output, "w", encoding="utf-8") as out:
                    json.dump(data, out, indent=2, ensure_ascii=False)
                    out.write("\n")
                print(f"wrote class session {session_id} to {args.output}")
            else:
                _print_json(data)
            return 0
        else:
            view = classes.state(me, session_id, story=True)
        return _finish(args, view)


def _hands(pairs: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for pair in pairs:
        option, sep, number = pair.partition("=")
        if not sep or not number.strip().isdigit():
            raise UsageError(f"a show of hands is OPTION=COUNT (for example A=12), not {pair!r}")
        counts[option.strip()] = int(number)
    if not counts:
        raise UsageError("say the show of hands per option, for example: A=12 B=3")
    return counts


def register(sub: Any) -> None:
    p = sub.add_parser("assign", help="assign a scenario to a cohort with a due date; list them")
    p.add_argument("cohort", nargs="?", help="cohort name or number")
    p.add_argument("scenario", nargs="?", help="scenario id (see `parolesim list`)")
    p.add_argument("--due", type=_day, metavar="YYYY-MM-DD", help="due date (required to assign)")
    p.add_argument("--note", default="", help="a note for the trainees")
    p.add_argument("--list", action="store_true", help="list the cohort's (or your) assignments")
    p.add_argument("--trainee", help="list this trainee's assignments (default: you)")
    p.add_argument("--withdraw", type=int, metavar="ID", help="withdraw assignment ID")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_user_options(p)
    p.set_defaults(func=cmd_assign)

    c = sub.add_parser("class", help="class sessions: the cohort votes on each decision")
    c_sub = c.add_subparsers(dest="class_command", metavar="ACTION", required=True)

    def action(name: str, text: str, *, session: bool = True) -> argparse.ArgumentParser:
        q: argparse.ArgumentParser = c_sub.add_parser(name, help=text)
        if session:
            q.add_argument(
                "session",
                nargs="?",
                type=int,
                help="class session number (default: the one open for your cohorts)",
            )
        q.add_argument("--json", action="store_true", help="print JSON instead of text")
        add_user_options(q)
        q.set_defaults(func=cmd_class)
        return q

    q = action("start", "start a class session for a cohort you teach", session=False)
    q.add_argument("cohort", help="cohort name or number")
    q.add_argument("scenario", help="scenario id (see `parolesim list`)")
    q.add_argument("--seed", type=_whole, default=1, help="the run's seed (default 1)")
    q.add_argument("--hold", action="store_true", help="do not open voting yet")
    action("list", "the open class sessions of your cohorts", session=False)
    action("join", "join (or rejoin) your cohort's class session")
    q = action("vote", "vote on the current decision: option letter, number or id")
    q.add_argument("choice", help="A, B, ... (or 1, 2, ... or the option's id)")
    action("open", "open voting on the current decision")
    q = action("hands", "enter a show-of-hands count: [SESSION] A=12 B=3", session=False)
    q.add_argument("counts", nargs="+", metavar="OPTION=N", help="SESSION first if several")
    action("close", "close voting; the distribution shows")
    q = action("next", "play the majority (or --choice) and go on to the next decision")
    q.add_argument("--choice", help="play this option instead of the majority")
    q.add_argument("--hold", action="store_true", help="do not open voting on the next one")
    action("end", "end the session: the debrief with the class's distribution")
    action("show", "the session as it stands")
    q = action("export", "the whole session with every vote, as JSON")
    q.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
