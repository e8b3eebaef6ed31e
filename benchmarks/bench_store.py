"""Records store: event append latency and progress loading, each beside a baseline.

* event append: ``Recorder`` (one committed row per engine event, as in a real session)
  beside a raw driver INSERT + COMMIT of the same row on the same database;
* progress: ``Store.progress`` for a trainee with 10,000 scored attempts beside a plain
  SELECT of the same rows.

SQLite always; PostgreSQL when ``PAROLESIM_BENCH_PG_URL`` or ``PAROLESIM_TEST_PG_URL`` names
a server (a fresh schema is created and dropped). Targets: append <= 5 ms on SQLite and
<= 10 ms on local PostgreSQL; progress for 10,000 attempts <= 0.5 s.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.common import Figure, median, percentile
from simulator.store import ScenarioRef, Store
from simulator.store.schema import attempts, score_competencies, score_reports

APPENDS = 400
ATTEMPTS = 10_000
COMPETENCIES = (
    "officer_safety",
    "interviewing",
    "problem_solving_decision_making",
    "report_writing",
)
REF = ScenarioRef("bench-home-visit", "1.0.0", "c" * 64, "Benchmark home visit")


def _event(seq: int) -> dict[str, Any]:
    return {"seq": seq, "type": "chose", "t": seq * 1.5, "node": "door", "choice": "knock_announce"}


def _latencies(action: Callable[[int], None], count: int) -> list[float]:
    out = []
    for i in range(count):
        start = time.perf_counter()
        action(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def _append_figures(
    backend: str, store_ms: list[float], raw_ms: list[float], target: str, raw_name: str
) -> list[Figure]:
    return [
        Figure(
            f"event append p{p} ({backend})",
            percentile(store_ms, p),
            "ms",
            baseline_name=f"{raw_name} p{p}",
            baseline_value=percentile(raw_ms, p),
            target=target if p == 95 else "",
            notes=f"{len(store_ms)} appends, each its own transaction",
        )
        for p in (50, 95)
    ]


def _recorder(store: Store) -> Any:
    admin = store.add_person(
        None, f"bench{uuid.uuid4().hex[:8]}", role="admin", password="bench-admin-pass-1"
    )
    attempt = store.attempts.start(admin, admin, REF, seed=1)
    return store.attempts.recorder(admin, attempt.id), attempt.id, admin


def _sqlite_append(folder: Path) -> list[Figure]:
    path = folder / "append.sqlite3"
    with Store.open(str(path)) as store:
        recorder, attempt_id, _ = _recorder(store)
        for seq in range(20):  # warm the pool and the statement cache
            recorder(_event(seq))
        store_ms = _latencies(lambda i: recorder(_event(20 + i)), APPENDS)
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA journal_mode = WAL")
    raw.execute("PRAGMA synchronous = FULL")
    raw.execute("PRAGMA foreign_keys = ON")
    sql = (
        "INSERT INTO events (attempt_id, seq, type, t, node, data, recorded_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)"
    )

    def raw_insert(i: int) -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute(
            sql,
            (
                attempt_id,
                10_000 + i,
                "chose",
                i * 1.5,
                "door",
                json.dumps({"choice": "knock_announce"}),
                datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" "),
            ),
        )
        raw.execute("COMMIT")

    raw_ms = _latencies(raw_insert, APPENDS)
    raw.close()
    return _append_figures(
        "SQLite WAL, synchronous=FULL", store_ms, raw_ms, "<= 5 ms", "raw sqlite3 INSERT+COMMIT"
    )


@contextmanager
def _pg_schema(base: str) -> Iterator[str]:
    admin = sa.create_engine(sa.make_url(base).set(drivername="postgresql+psycopg"))
    schema = f"parolesim_bench_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        url = sa.make_url(base).set(drivername="postgresql+psycopg")
        yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def _pg_append(url: str) -> list[Figure]:
    import psycopg

    with Store.open(url) as store:
        recorder, attempt_id, _ = _recorder(store)
        for seq in range(20):
            recorder(_event(seq))
        store_ms = _latencies(lambda i: recorder(_event(20 + i)), APPENDS)
    parsed = sa.make_url(url)
    conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as raw:
        sql = (
            "INSERT INTO events (attempt_id, seq, type, t, node, data, recorded_at) "
            "VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s)"
        )

        def raw_insert(i: int) -> None:
            with raw.cursor() as cur:
                cur.execute(
                    sql,
                    (
                        attempt_id,
                        10_000 + i,
                        "chose",
                        i * 1.5,
                        "door",
                        json.dumps({"choice": "knock_announce"}),
                        datetime.now(UTC),
                    ),
                )
            raw.commit()

        raw_ms = _latencies(raw_insert, APPENDS)
    return _append_figures("PostgreSQL", store_ms, raw_ms, "<= 10 ms", "raw psycopg INSERT+COMMIT")


def _fill(store: Store) -> tuple[str, int]:
    """A trainee with ATTEMPTS completed, scored attempts over about two years."""
    admin = store.add_person(None, f"admin{uuid.uuid4().hex[:6]}", role="admin")
    trainee = store.add_person(admin, f"trainee{uuid.uuid4().hex[:6]}")
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows: list[dict[str, Any]] = []
    reports: list[dict[str, Any]] = []
    comps: list[dict[str, Any]] = []
    for i in range(ATTEMPTS):
        when = start + timedelta(hours=i * 1.7)
        rows.append(
            {
                "id": 100_000 + i,
                "uuid": str(uuid.uuid4()),
                "trainee_id": trainee.id,
                "created_by": trainee.id,
                "scenario_id": f"scenario-{i % 12:02d}",
                "scenario_version": "1.0.0",
                "scenario_title": f"Scenario {i % 12}",
                "scenario_hash": "d" * 64,
                "scenario_path": None,
                "pack_id": "msdp",
                "pack_version": "1.0.0",
                "pack_hash": "e" * 64,
                "seed": i,
                "mode": "practice",
                "status": "completed",
                "started_at": when,
                "ended_at": when + timedelta(minutes=9),
                "outcome": "resolved",
                "ending": {"id": "end", "outcome": "resolved"},
                "parent_attempt_id": None,
                "branch_seq": None,
                "workstation": "bench",
            }
        )
        overall = 40 + (i * 37) % 60
        reports.append(
            {
                "id": 100_000 + i,
                "attempt_id": 100_000 + i,
                "pack_id": "msdp",
                "pack_version": "1.0.0",
                "pack_hash": "e" * 64,
                "overall": overall,
                "passed": overall >= 70,
                "report": {"overall": overall, "passed": overall >= 70},
                "computed_at": when,
            }
        )
        comps.extend(
            {
                "report_id": 100_000 + i,
                "competency_id": c,
                "title": c,
                "fto_category": c,
                "score": float((overall + 7 * k) % 100),
                "rating": 4,
            }
            for k, c in enumerate(COMPETENCIES)
        )
    with store._db.write() as conn:
        conn.execute(sa.insert(attempts), rows)
        conn.execute(sa.insert(score_reports), reports)
        conn.execute(sa.insert(score_competencies), comps)
    return trainee.username, trainee.id


BASELINE_SQL = (
    "SELECT a.scenario_id, a.scenario_title, a.status, a.started_at, r.overall, r.passed "
    "FROM attempts a LEFT JOIN score_reports r ON r.attempt_id = a.id "
    "WHERE a.trainee_id = {p} ORDER BY a.started_at",
    "SELECT c.competency_id, c.title, c.fto_category, c.score, a.ended_at "
    "FROM score_competencies c JOIN score_reports r ON r.id = c.report_id "
    "JOIN attempts a ON a.id = r.attempt_id WHERE a.trainee_id = {p}",
)


def _progress_figure(backend: str, store: Store, plain: Callable[[int], int]) -> Figure:
    username, trainee_id = _fill(store)
    actor = store.sign_in(username)
    rounds = 5
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        progress = store.progress(actor, username)
        timings.append(time.perf_counter() - start)
    assert progress.attempts == ATTEMPTS
    base = []
    for _ in range(rounds):
        start = time.perf_counter()
        assert plain(trainee_id) >= ATTEMPTS
        base.append(time.perf_counter() - start)
    return Figure(
        f"progress of a trainee with {ATTEMPTS:,} attempts ({backend})",
        median(timings),
        "s",
        baseline_name="plain SELECT of the same rows",
        baseline_value=median(base),
        target="<= 0.5 s",
        notes=f"median of {rounds}; {len(COMPETENCIES)} competencies per report",
    )


def _sqlite_progress(folder: Path) -> Figure:
    path = folder / "progress.sqlite3"
    with Store.open(str(path)) as store:
        raw = sqlite3.connect(path)

        def plain(trainee_id: int) -> int:
            return sum(len(raw.execute(q.format(p=trainee_id)).fetchall()) for q in BASELINE_SQL)

        figure = _progress_figure("SQLite", store, plain)
        raw.close()
    return figure


def _pg_progress(url: str) -> Figure:
    import psycopg

    conninfo = sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with Store.open(url) as store, psycopg.connect(conninfo) as raw:

        def plain(trainee_id: int) -> int:
            total = 0
            for q in BASELINE_SQL:
                with raw.cursor() as cur:
                    cur.execute(q.format(p=int(trainee_id)))
                    total += len(cur.fetchall())
            raw.rollback()
            return total

        return _progress_figure("PostgreSQL", store, plain)


def run() -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="parolesim-bench-") as tmp:
        folder = Path(tmp)
        figures += _sqlite_append(folder)
        figures.append(_sqlite_progress(folder))
    pg = os.environ.get("PAROLESIM_BENCH_PG_URL") or os.environ.get("PAROLESIM_TEST_PG_URL")
    if not pg:
        figures.append(
            Figure(
                "PostgreSQL figures",
                0.0,
                "",
                notes="skipped: set PAROLESIM_BENCH_PG_URL or PAROLESIM_TEST_PG_URL",
            )
        )
        return figures
    with _pg_schema(pg) as url:
        figures += _pg_append(url)
    with _pg_schema(pg) as url:
        figures.append(_pg_progress(url))
    return figures
