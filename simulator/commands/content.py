"""Commands for authors: ``lint``, ``list`` and ``schema``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from engine.wording import plural

if TYPE_CHECKING:  # the engine loads when a command runs, not for --help
    from engine.lint import ExtraCheck


def extra_lint_checks() -> list[ExtraCheck]:
    """Checks other layers add to lint (the scorer's pack checks, once it is installed)."""
    try:
        from scoring.lintcheck import pack_checks
    except ImportError:
        return []
    checks: list[ExtraCheck] = pack_checks()
    return checks


def cmd_lint(args: argparse.Namespace) -> int:
    from engine.library import scenarios_root
    from engine.lint import lint_paths
    from engine.problems import Severity
    from scoring.lintcheck import split_lint_paths

    paths, problems = split_lint_paths(args.paths or [str(scenarios_root())])
    problems += lint_paths(paths, extra_checks=extra_lint_checks())
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if args.json:
        json.dump([p.to_dict() for p in problems], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for p in problems:
            print(p.format())
        warnings = len(problems) - len(errors)
        if problems:
            print(f"{plural(len(errors), 'error')}, {plural(warnings, 'warning')}", file=sys.stderr)
        else:
            print("no problems found", file=sys.stderr)
    return 1 if errors else 0


def cmd_list(args: argparse.Namespace) -> int:
    from engine.graph import endings, longest_decision_path
    from engine.library import discover, scenarios_root

    lib = discover(args.root)
    rows: list[dict[str, Any]] = []
    for sf in lib.scenarios:
        s = sf.scenario
        rows.append(
            {
                "id": s.id,
                "title": s.title,
                "family": s.family,
                "difficulty": s.difficulty.value,
                "minutes": s.estimated_minutes,
                "path": str(sf.path),
                "version": s.version,
                "decisions": s.decision_count(),
                "longest_path_decisions": longest_decision_path(s),
                "endings": len(endings(s)),
            }
        )
    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        if not rows:
            print(f"no scenarios found under {args.root or scenarios_root()}", file=sys.stderr)
        for r in rows:
            print(
                f"{r['id']:<34} {r['family']:<26} {r['difficulty']:<13} "
                f"{r['minutes']:>3} min  {r['title']}"
            )
    for p in lib.problems:
        print(f"skipped: {p.format()}", file=sys.stderr)
    return 1 if lib.problems else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from engine.model import json_schema

    json.dump(json_schema(), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("lint", help="check scenario and policy files; every problem at once")
    p.add_argument("paths", nargs="*", help="files or folders (default: the scenario library)")
    p.add_argument("--json", action="store_true", help="print problems as JSON")
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("list", help="the scenario library")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.add_argument("--root", help="library folder (default: the bundled scenarios/)")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    p.set_defaults(func=cmd_schema)
