"""Reading the records: ``progress`` (per trainee) and ``export`` (CSV, JSON, xAPI)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.wording import plural
from simulator.commands.signin import add_user_options, open_store, sign_in
from simulator.errors import CommandError, UsageError

if TYPE_CHECKING:  # the store and the exporters load only when a command runs
    from simulator.store import Person, Progress
    from simulator.store.records import Records

# simulator.exports.xapi.DEFAULT_BASE (a test keeps them equal), written out so that
# building the parser does not load the exporters and the store
DEFAULT_BASE = "https://parolesim.example"

FORMATS = ("csv", "json", "xapi")


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.0f}%"


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def progress_text(progress: Progress) -> str:
    t = progress.trainee
    lines = [
        f"{t.display_name} ({t.username}): {plural(progress.attempts, 'attempt')}, "
        f"{progress.completed} completed, {progress.in_progress} in progress, "
        f"{progress.abandoned} abandoned; pass rate {_percent(progress.pass_rate)} "
        f"({progress.passed} of {progress.scored} scored)"
    ]
    if progress.scenarios:
        lines.append(
            f"  {'scenario':<40} {'tries':>5} {'best':>6} {'latest':>6} {'passed':>7}  last played"
        )
    for s in progress.scenarios:
        name = f"{s.scenario_id} {s.title}"[:40]
        played = f"{s.last_played:%Y-%m-%d}" if s.last_played else "-"
        lines.append(
            f"  {name:<40} {s.attempts:>5} {_score(s.best):>6} {_score(s.latest):>6} "
            f"{_percent(s.pass_rate):>7}  {played}"
        )
    if progress.competencies:
        lines.append("  competencies (weekly mean score, first week -> latest week):")
    for c in progress.competencies:
        first, last = c.points[0], c.points[-1]
        change = "" if c.change is None else f" ({c.change:+.1f})"
        lines.append(
            f"    {c.title}: {first.mean:.1f} -> {last.mean:.1f}{change} over "
            f"{plural(len(c.points), 'week')}"
        )
    return "\n".join(lines)


def _subjects(store: Records, actor: Person, args: argparse.Namespace) -> list[Person]:
    if args.trainee:
        return [store.person(t) for t in args.trainee]
    if actor.role == "trainee":
        return [actor]
    return store.people(actor, role="trainee")


def cmd_progress(args: argparse.Namespace) -> int:
    fallback = args.trainee[0] if args.trainee else None
    with open_store(args) as store:
        actor = sign_in(store, args, fallback=fallback)
        found = [store.progress(actor, p) for p in _subjects(store, actor, args)]
    if args.json:
        json.dump([p.to_dict() for p in found], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif not found:
        print("no trainees to show")
    else:
        print("\n\n".join(progress_text(p) for p in found))
    return 0


def write_output(text: str, output: str | None, *, bom: bool) -> None:
    """Write to stdout, or to ``output`` atomically (never a half-written file)."""
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    target = Path(output)
    if not target.parent.is_dir():
        raise CommandError(f"cannot write {target}: the folder {target.parent} does not exist")
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
            out.write(text)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def cmd_export(args: argparse.Namespace) -> int:
    if args.trainee and args.cohort:
        raise UsageError("give --trainee or --cohort, not both")
    fallback = args.trainee[0] if args.trainee else None
    with open_store(args) as store:
        actor = sign_in(store, args, fallback=fallback)
        trainees: list[Any] | None = list(args.trainee) if args.trainee else None
        if args.cohort:
            trainees = list(store.cohort(actor, args.cohort).trainees)
        if args.evaluations:
            return _export_evaluations(args, store, actor, trainees)
        records = store.attempts.records(actor, trainees)
        from simulator.exports.csv_json import to_csv, to_json
        from simulator.exports.xapi import to_statements

        if args.format == "csv":
            text = to_csv(records)
        elif args.format == "json":
            from simulator.exports.evaluations import evaluation_dicts

            data = to_json(records)
            # the evaluations of the same trainees, with their signatures
            found, names = _evaluations_of(store, actor, trainees)
            data["evaluations"] = evaluation_dicts(found, names)
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        else:
            statements = to_statements(records, iri_base=args.iri_base, home_page=args.home_page)
            text = json.dumps(statements, indent=2, ensure_ascii=False) + "\n"
        write_output(text, args.output, bom=args.format == "csv")
        store.record_export(
            actor,
            args.format,
            len(records),
            {"trainees": args.trainee or [], "cohort": args.cohort, "file": args.output},
        )
    if args.output and args.output != "-":
        print(
            f"exported {plural(len(records), 'attempt')} as {args.format} to {args.output}",
            file=sys.stderr,
        )
    return 0


def _evaluations_of(
    store: Any, actor: Any, trainees: list[Any] | None
) -> tuple[list[Any], dict[int, str]]:
    """The evaluations of ``trainees`` (default: every trainee ``actor`` may see)."""
    if trainees is None:
        trainees = [p.username for p in store.people(actor, role="trainee")]
    found = [e for t in trainees for e in store.evaluations.find(actor, t)]
    ids = {e.trainee_id for e in found} | {e.fto_id for e in found}
    return found, {i: store.person(i).username for i in ids}


def _export_evaluations(
    args: argparse.Namespace, store: Any, actor: Any, trainees: list[Any] | None
) -> int:
    from simulator.exports.evaluations import (
        evaluation_dicts,
        evaluation_statements,
        evaluations_csv,
    )

    found, names = _evaluations_of(store, actor, trainees)
    if args.format == "xapi":
        statements = evaluation_statements(
            found, names, iri_base=args.iri_base, home_page=args.home_page
        )
        text = json.dumps(statements, indent=2, ensure_ascii=False) + "\n"
    elif args.format == "csv":
        text = evaluations_csv(found, names)
    else:
        data = {"format": "parolesim-evaluations/1", "evaluations": evaluation_dicts(found, names)}
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    write_output(text, args.output, bom=args.format == "csv")
    store.record_export(
        actor, f"evaluations-{args.format}", 0, {"evaluations": len(found), "file": args.output}
    )
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("progress", help="a trainee's progress: scores, pass rate, trends")
    p.add_argument("--trainee", action="append", metavar="ID", help="username or id (repeatable)")
    p.add_argument("--json", action="store_true", help="print as JSON")
    add_user_options(p)
    p.set_defaults(func=cmd_progress)

    p = sub.add_parser("export", help="export attempts as CSV, JSON or xAPI statements")
    p.add_argument(
        "--format",
        choices=FORMATS,
        required=True,
        help="csv for a spreadsheet, json for an archive, xapi for a Learning Record Store",
    )
    p.add_argument("--trainee", action="append", metavar="ID", help="username or id (repeatable)")
    p.add_argument("--cohort", metavar="ID", help="cohort name or id")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    p.add_argument(
        "--iri-base",
        default=os.environ.get("PAROLESIM_XAPI_BASE", DEFAULT_BASE),
        help="xAPI: base IRI for activities and extensions (default $PAROLESIM_XAPI_BASE or "
        f"{DEFAULT_BASE})",
    )
    p.add_argument("--home-page", help="xAPI: account homePage of actors (default: --iri-base)")
    p.add_argument(
        "--evaluations",
        action="store_true",
        help="export FTO evaluations with their signatures (CSV: one row per rating; xAPI: one "
        "statement per signature)",
    )
    add_user_options(p)
    p.set_defaults(func=cmd_export)
