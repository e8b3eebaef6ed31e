"""A bounded load test: 30 workstation processes record through one ``parolesim serve`` on
127.0.0.1; every event is acknowledged and stored exactly once. (Latency figures are for
``python -m benchmarks server``; tests never assert wall-clock times.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks.server_load import (
    add_workstation_people,
    lost_or_duplicated,
    run_workstations,
    server_process,
)
from tests.clirun import cli
from tests.store.helpers import drop_pg_schema, fresh_pg_schema

EVENTS = 5


@pytest.mark.skipif(sys.platform == "win32", reason="starts workstations with fork")
@pytest.mark.parametrize(
    ("backend", "workers"),
    [
        ("sqlite", 1),
        pytest.param("postgresql", 1, marks=pytest.mark.postgres),
        pytest.param("postgresql", 2, marks=pytest.mark.postgres, id="postgresql-2-workers"),
    ],
)
def test_thirty_workstations_through_one_server_lose_and_duplicate_nothing(
    backend: str, workers: int, tmp_path: Path
) -> None:
    """With two worker processes (and no secret given: serve makes one for both), a token
    from one process is accepted by the other, whichever takes each request."""
    schema = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    else:
        schema, url = fresh_pg_schema()
    try:
        names = add_workstation_people(url, 30)
        secret = None if workers > 1 else "x" * 48
        with server_process(url, workers=workers, secret=secret) as server:
            result = run_workstations(server, names, events=EVENTS, pace=0.05, start_delay=1.0)
        assert result.errors == []
        assert len(result.attempts) == 30 and len(set(result.attempts.values())) == 30
        assert len(result.latencies) == 30 * EVENTS
        assert lost_or_duplicated(url, result, EVENTS) == []
    finally:
        if schema is not None:
            drop_pg_schema(schema)


def test_several_server_processes_need_postgresql(tmp_path: Path) -> None:
    done = cli("--db", str(tmp_path / "records.sqlite3"), "serve", "--workers", "2")
    assert done.returncode == 2
    assert "--workers above 1 needs PostgreSQL" in done.stderr
    assert "Traceback" not in done.stderr
    done = cli("--db", str(tmp_path / "records.sqlite3"), "serve", "--workers", "0")
    assert done.returncode == 2 and "--workers must be 1 or more, got 0" in done.stderr
    assert not (tmp_path / "records.sqlite3").exists()  # refused before anything was made
