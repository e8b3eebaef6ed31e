"""The quality bar of a class session: 30 workstation processes vote through one records
server on PostgreSQL at every decision; one is SIGKILLed after its first vote and rejoins.
No vote is lost or counted twice, each decision's count is right, the projector shows what
was stored, and the rejoined workstation's second vote is refused. (The vote-to-projector
figures are for ``python -m benchmarks classroom``; tests never assert wall-clock times.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks.class_load import add_class, run_class
from benchmarks.server_load import server_process
from tests.store.helpers import drop_pg_schema, fresh_pg_schema

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"
WORKSTATIONS = 30


@pytest.mark.postgres
@pytest.mark.skipif(sys.platform == "win32", reason="starts workstations with fork")
def test_thirty_workstations_vote_on_every_decision_and_a_crashed_one_rejoins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PAROLESIM_SCENARIOS", str(FIXTURES))
    schema, url = fresh_pg_schema()
    try:
        names = add_class(url, WORKSTATIONS)
        with server_process(url) as server:
            result = run_class(server, names, "fixture-minimal", crash=True)
        assert result.errors == []
        assert result.decisions >= 2
        assert result.rejoin_refused_second_vote is True
        for number, expected in result.expected.items():
            assert result.shown[number] == expected  # the projector at close
            assert dict(result.exported[number]) == {k: v for k, v in expected.items() if v}
            voters = result.exported_voters[number]
            assert sorted(voters) == sorted(names)  # everyone once, nobody twice
        cast = sum(len(v) for v in result.votes.values())
        assert cast + 1 == WORKSTATIONS * result.decisions  # cls0's first vote died with it
        assert len(result.latencies) == cast
    finally:
        drop_pg_schema(schema)


@pytest.mark.skipif(sys.platform == "win32", reason="stops the server with SIGTERM")
def test_the_server_stops_while_a_projector_follows_a_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An open event stream does not keep `parolesim serve` from stopping: what is still
    open a few seconds after SIGTERM is cut, the server ends by itself (not killed), and
    the projector hears that its stream ended."""
    import os
    import signal
    import subprocess
    import threading
    import time

    import httpx

    from benchmarks.class_load import COHORT, INSTRUCTOR, PASSWORD
    from benchmarks.server_load import ROOT, free_port
    from simulator.remote.client import RecordsClient
    from simulator.store import StoreUnavailable

    monkeypatch.setenv("PAROLESIM_SCENARIOS", str(FIXTURES))
    url = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    add_class(url, 1)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PAROLESIM_SERVER_SECRET": "x" * 48}
    server = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--db", url, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    address = f"http://127.0.0.1:{port}"
    ended: list[str] = []
    try:
        for _ in range(600):
            try:
                httpx.get(f"{address}/api/v1/setup", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        with RecordsClient(address) as client:
            me = client.sign_in(INSTRUCTOR, PASSWORD)
            view = client.classes.start(me, COHORT, "fixture-minimal", seed=1)
            pulses = client.classes.pulses(me, view.id)
            assert next(pulses)["poll"] == "waiting"

            def follow() -> None:
                try:
                    for _pulse in pulses:
                        pass
                except StoreUnavailable as exc:
                    ended.append(str(exc))

            follower = threading.Thread(target=follow, daemon=True)
            follower.start()
            server.terminate()
            code = server.wait(timeout=120)  # without the cut it would wait for ever
            follower.join(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert code in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once it is done
    assert ended and "event stream" in ended[0]
