"""Records server under a classroom: 30 workstation processes, each recording an attempt
through one ``parolesim serve`` on 127.0.0.1, one event every ``PACE`` seconds each (a class
where every trainee chooses once a second; real decisions take longer). Beside it, the
raw-driver baseline: 30 processes doing a plain INSERT + COMMIT of the same rows at the same
pace, straight into the same database. Target: p95 event append through the server <= 15 ms.

SQLite always; PostgreSQL when ``PAROLESIM_BENCH_PG_URL`` or ``PAROLESIM_TEST_PG_URL`` is set.
``PAROLESIM_BENCH_SERVER=postgresql`` (or ``sqlite``) runs one of the two only.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.bench_store import _pg_schema
from benchmarks.common import Figure, percentile
from benchmarks.server_load import (
    add_workstation_people,
    lost_or_duplicated,
    run_workstations,
    server_process,
)

WORKSTATIONS = 30
EVENTS = 20
PACE = 1.0
BACKENDS_ENV = "PAROLESIM_BENCH_SERVER"


def _raw_worker(kind: str, target: str, i: int, start_at: float, out: Any) -> None:
    payload = json.dumps({"text": "event"})
    latencies = []
    if kind == "sqlite":
        conn = sqlite3.connect(target, isolation_level=None, timeout=60)
        conn.execute("PRAGMA synchronous = FULL")

        def insert(seq: int) -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO raw_events VALUES (?, ?, ?)", (i, seq, payload))
            conn.execute("COMMIT")

    else:
        import psycopg

        pg = psycopg.connect(target)

        def insert(seq: int) -> None:
            with pg.cursor() as cur:
                cur.execute("INSERT INTO raw_events VALUES (%s, %s, %s)", (i, seq, payload))
            pg.commit()

    while time.time() < start_at:
        time.sleep(0.005)
    tick = time.monotonic()
    for seq in range(EVENTS):
        tick += PACE
        time.sleep(max(0.0, tick - time.monotonic()))
        began = time.perf_counter()
        insert(seq)
        latencies.append(time.perf_counter() - began)
    out.put(latencies)


def _raw_baseline(kind: str, target: str) -> list[float]:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start_at = time.time() + 2
    procs = [
        context.Process(target=_raw_worker, args=(kind, target, i, start_at, queue))
        for i in range(WORKSTATIONS)
    ]
    for p in procs:
        p.start()
    found: list[float] = []
    for _ in procs:
        found += queue.get(timeout=300)
    for p in procs:
        p.join()
    return found


def _figures(label: str, url: str, kind: str, raw_target: str) -> list[Figure]:
    names = add_workstation_people(url, WORKSTATIONS)
    workers = int(os.environ.get("PAROLESIM_BENCH_WORKERS", "1")) if kind != "sqlite" else 1
    with server_process(url, workers=workers) as server:
        result = run_workstations(server, names, events=EVENTS, pace=PACE)
    if result.errors:
        raise RuntimeError("; ".join(result.errors))
    wrong = lost_or_duplicated(url, result, EVENTS)
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # beside parolesim's tables, in the same database
        conn.exec_driver_sql("CREATE TABLE raw_events (ws INTEGER, seq INTEGER, data TEXT)")
    engine.dispose()
    raw = _raw_baseline(kind, raw_target)
    served = [x * 1000 for x in result.latencies]
    base = [x * 1000 for x in raw]
    notes = (
        f"{WORKSTATIONS} processes x {EVENTS} events, one per {PACE} s each; "
        f"{'none lost or duplicated' if not wrong else 'LOST/DUPLICATED: ' + str(len(wrong))}"
    )
    return [
        Figure(
            f"event append through the server p{p} ({label})",
            percentile(served, p),
            "ms",
            baseline_name=f"raw driver INSERT+COMMIT p{p}",
            baseline_value=percentile(base, p),
            target="<= 15 ms" if p == 95 else "",
            notes=notes if p == 95 else "",
            extra={"max_ms": max(served)} if p == 95 else {},
        )
        for p in (50, 95)
    ]


def run() -> list[Figure]:
    backends = os.environ.get(BACKENDS_ENV, "sqlite,postgresql").split(",")
    figures: list[Figure] = []
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "records.sqlite3"
            url = f"sqlite:///{path}"
            figures += _figures("SQLite", url, "sqlite", str(path))
    base = os.environ.get("PAROLESIM_BENCH_PG_URL") or os.environ.get("PAROLESIM_TEST_PG_URL")
    if base and "postgresql" in backends:
        with _pg_schema(base) as url:
            parsed = sa.make_url(url).set(drivername="postgresql")
            figures += _figures(
                "PostgreSQL", url, "postgresql", parsed.render_as_string(hide_password=False)
            )
    return figures
