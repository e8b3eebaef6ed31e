"""``parolesim cohort-report COHORT``: a cohort's analytics for its instructor, as text, JSON
or one self-contained HTML page (how the cohort chose at each decision, the most-missed
policies and competencies, the score distribution, first against latest attempts)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from simulator.commands.signin import add_user_options, open_store, sign_in
from simulator.errors import CommandError, UsageError


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date as YYYY-MM-DD (e.g. 2026-11-30), got {text!r}"
        ) from None


def cmd_cohort_report(args: argparse.Namespace) -> int:
    from simulator.analytics.cohort import cohort_analytics
    from simulator.reports.cohort import render_cohort_html, render_cohort_text

    with open_store(args) as store:
        actor = sign_in(store, args)
        found = cohort_analytics(
            store, actor, args.cohort, scenario=args.scenario, since=args.since
        )
    if args.scenario and not found.attempts:
        from engine.library import discover

        if discover().by_id(args.scenario) is None:
            raise UsageError(
                f"--scenario {args.scenario}: no such scenario in the library and no attempts "
                "of it; `parolesim list` shows the scenario ids"
            )
    if args.html:
        path = Path(args.html)
        try:
            path.write_text(render_cohort_html(found), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
        print(f"wrote {path}", file=sys.stderr)
    if args.json:
        json.dump(found.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif not args.html:
        print(render_cohort_text(found))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "cohort-report",
        help="a cohort's analytics: choices per decision, most-missed policies, scores",
        description="How a cohort chose at each decision (share of each option, share within "
        "policy), its most-missed policies and competencies, its score distribution and the "
        "change from each trainee's first to latest attempt of a scenario. For the cohort's "
        "instructors and admins.",
    )
    p.add_argument("cohort", metavar="COHORT", help="cohort name or id")
    p.add_argument("--scenario", metavar="ID", help="only attempts of this scenario")
    p.add_argument(
        "--since", metavar="DATE", type=_date, help="only attempts started on or after DATE"
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument(
        "--html", metavar="FILE", help="write one self-contained HTML page with charts to FILE"
    )
    add_user_options(p)
    p.set_defaults(func=cmd_cohort_report)
