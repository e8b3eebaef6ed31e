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
