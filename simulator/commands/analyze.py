"""``parolesim analyze``: does each scenario's score measure judgement?"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from simulator.errors import CommandError


def _whole(low: int, high: int, meaning: str = "") -> Callable[[str], int]:
    """An argparse type for a whole number from ``low`` to ``high``."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"a whole number, not {value!r}") from None
        if not low <= n <= high:
            raise argparse.ArgumentTypeError(f"between {low}{meaning} and {high}")
        return n

    return parse


def cmd_analyze(args: argparse.Namespace) -> int:
    from engine.library import discover, find
    from scoring.analyze import analyze
    from scoring.lintcheck import pack_for_scenario
    from simulator.reports.analyze import render_analysis_html, render_analysis_text

    if args.scenarios:
        files = [find(s) for s in args.scenarios]
    else:
        files = list(discover().scenarios)
        if not files:
            raise CommandError("no scenarios found to analyze")
    results = []
    for sf in files:
        pack = pack_for_scenario(sf)
        if not args.json:
            print(f"analysing {sf.scenario.id} ({args.runs} runs per strategy)…", file=sys.stderr)
        results.append(
            analyze(
                sf, pack, runs=args.runs, seed=args.seed, path_budget=args.paths, exact=args.exact
            )
        )
    failures = [f for a in results for f in a.gate_failures()]
    if args.html:
        out = Path(args.html)
        try:
            out.write_text(render_analysis_html(results), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from None
    if args.json:
        doc: dict[str, Any] = {
            "format": "parolesim-analysis/1",
            "scenarios": [a.to_dict() for a in results],
            "gate_failures": failures,
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        print(render_analysis_text(results))
    if args.check and failures:
        return 1
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "analyze",
        help="scoring validity: can a player who knows no policy pass? (for authors)",
        description="Plays each scenario many times with policy-blind strategies (first or "
        "last option shown, longest or shortest text, random, random among non-critical "
        "options, letting timers run out), scores every run, and reports pass rates, the "
        "reachable score range and shortest passing path, where the best option sits and "
        "how long it is, loops that add points, unscored choices, and each decision's "
        "difficulty and discrimination.",
    )
    p.add_argument("scenarios", nargs="*", metavar="ID|FILE", help="default: the whole library")
    p.add_argument(
        "--runs", type=_whole(1, 100_000), default=200, help="runs per strategy (default 200)"
    )
    p.add_argument("--seed", type=int, default=0, help="first seed of the runs (default 0)")
    p.add_argument(
        "--paths",
        type=_whole(0, 1_000_000, " (skip)"),
        default=2000,
        help="enumerate every path of one seed when there are at most this many "
        "(default 2000; 0 skips and uses the sampled runs)",
    )
    p.add_argument(
        "--exact",
        action="store_true",
        help="play run i exactly as a session with seed S+i would (reproducible run by run "
        "with `parolesim run --seed`; several times slower than the default batch draws)",
    )
    p.add_argument("--json", action="store_true", help="print the analysis as JSON")
    p.add_argument("--html", metavar="FILE", help="also write a self-contained HTML page")
    p.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when any scenario fails the validity gate (a naive strategy passes "
        "more than 5%%, the best path fails, a loop adds points, or the best option is the "
        "longest text in more than 40%% of decisions)",
    )
    p.set_defaults(func=cmd_analyze)
