"""The validity gate over the whole library (issue 10).

For every library scenario, over 400 runs per strategy (the vectorised simulator's batch
draws, seed 0; the session loop for a mechanic the arrays do not model): no policy-blind strategy
passes more than 5% of runs, the best path passes, no loop adds points, and the
best option is the longest text in at most 40% of decisions. ``parolesim analyze``
shows the same figures with the reasons behind them.
"""

from __future__ import annotations

import pytest

from engine.library import discover
from engine.loader import ScenarioFile
from engine.vector import unsupported
from scoring.analyze import analyze
from scoring.lintcheck import pack_for_scenario

LIBRARY = sorted(discover().scenarios, key=lambda sf: sf.scenario.id)


def test_the_library_has_scenarios_to_gate() -> None:
    assert len(LIBRARY) >= 23


@pytest.mark.parametrize("sf", LIBRARY, ids=lambda sf: sf.scenario.id)
def test_no_policy_blind_strategy_passes_and_the_best_path_does(sf: ScenarioFile) -> None:
    result = analyze(sf, pack_for_scenario(sf), runs=400, seed=0, path_budget=0)
    # the vectorised simulator plays every scenario it can model; the rest fall back to the
    # session loop (the reference), never silently to nothing
    expected = "vectorised" if unsupported(sf.scenario) is None else "session loop"
    assert {s.simulator for s in result.strategies} == {expected}
    assert all(s.runs == 400 for s in result.strategies)
    assert result.gate_failures() == []
