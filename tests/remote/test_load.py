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
from tests.store.helpers import drop_pg_schema, fresh_pg_schema

EVENTS = 5


@pytest.mark.skipif(sys.platform == "win32", reason="starts workstations with fork")
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_thirty_workstations_through_one_server_lose_and_duplicate_nothing(
    backend: str, tmp_path: Path
) -> None:
    schema = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    else:
        schema, url = fresh_pg_schema()
    try:
        names = add_workstation_people(url, 30)
        with server_process(url) as server:
            result = run_workstations(server, names, events=EVENTS, pace=0.05, start_delay=1.0)
        assert result.errors == []
        assert len(result.attempts) == 30 and len(set(result.attempts.values())) == 30
        assert len(result.latencies) == 30 * EVENTS
        assert lost_or_duplicated(url, result, EVENTS) == []
    finally:
        if schema is not None:
            drop_pg_schema(schema)
