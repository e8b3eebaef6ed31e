"""A class session through the records server: 30 workstation processes vote at every
decision of a library scenario while the instructor's projector follows the session's event
stream. The figure is the time from a vote being sent to the projector's first pulse that
shows it (target: p95 under 1 s); the baseline, measured in the same run, is the vote
request's own round trip (sent to acknowledged), so the ratio is what the push adds.

SQLite always (one server process, in-process notices); PostgreSQL (LISTEN/NOTIFY) when
``PAROLESIM_BENCH_PG_URL`` or ``PAROLESIM_TEST_PG_URL`` is set.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from benchmarks.bench_store import _pg_schema
from benchmarks.class_load import add_class, run_class
from benchmarks.common import Figure, percentile
from benchmarks.server_load import server_process

WORKSTATIONS = 30
SCENARIO = "hv-plain-view-children"


def _figures(label: str, url: str) -> list[Figure]:
    names = add_class(url, WORKSTATIONS)
    with server_process(url) as server:
        result = run_class(server, names, SCENARIO, crash=True)
    if result.errors:
        raise RuntimeError("; ".join(result.errors))
    wrong = [
        n
        for n, expected in result.expected.items()
        if result.shown.get(n) != expected
        or dict(result.exported[n]) != {k: v for k, v in expected.items() if v}
        or sorted(result.exported_voters[n]) != sorted(names)
    ]
    shown = [x * 1000 for x in result.latencies]
    acks = [x * 1000 for x in result.acks]
    refused = "second vote refused" if result.rejoin_refused_second_vote else "NOT REFUSED"
    counts = "every count right, none lost or doubled" if not wrong else f"WRONG at {wrong}"
    notes = (
        f"{WORKSTATIONS} workstation processes, {result.decisions} decisions of {SCENARIO}, "
        f"{len(shown)} votes, one workstation SIGKILLed and rejoined ({refused}); {counts}; "
        f"{result.seconds:.1f} s"
    )
    return [
        Figure(
            f"class vote -> projector p{p} ({label})",
            percentile(shown, p),
            "ms",
            baseline_name=f"the vote request's round trip p{p}",
            baseline_value=percentile(acks, p),
            target="< 1000 ms" if p == 95 else "",
            notes=notes if p == 95 else "",
            extra={"max_ms": max(shown)} if p == 95 else {},
        )
        for p in (50, 95)
    ]


def run() -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as folder:
        figures += _figures("SQLite", f"sqlite:///{Path(folder) / 'records.sqlite3'}")
    base = os.environ.get("PAROLESIM_BENCH_PG_URL") or os.environ.get("PAROLESIM_TEST_PG_URL")
    if base:
        with _pg_schema(base) as url:
            figures += _figures("PostgreSQL", url)
    return figures
