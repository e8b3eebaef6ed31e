"""The vectorised Monte Carlo simulator beside the interactive Session loop.

``parolesim analyze`` plays thousands of runs per naive strategy per scenario on
arrays compiled from the scenario (``engine.vector``), not through the Session. This
group measures decisions per second of ``VectorScenario.simulate`` at 20,000 runs
(run records, final variables, endings and client talk included, ready for the
scorer) beside the same scenario played run by run through ``Session.start`` and
``choose`` with uniformly random picks, measured in the same run.

Times are CPU seconds of this process (``time.process_time``): the machine is shared,
and wall-clock rounds of the two sides drift apart when others' work lands on one of
them. Each side is the best of three rounds. Target: at least 50x the interactive
loop's decisions per second.
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks.common import Figure
from engine.compile import CompiledScenario, compile_scenario
from engine.library import discover
from engine.session import Session
from engine.vector import VectorScenario

RUNS = 20_000
SESSIONS = 150  # per round
ROUNDS = 3
# one scenario per family: de-escalation profile, places mechanic, client model, plain
SCENARIOS = ("de-domestic-dispute", "hv-routine-visitor", "mi-job-search", "vd-new-arrest")


def _session_rate(compiled: CompiledScenario) -> float:
    """Decisions per second of the interactive loop, uniformly random picks (best round)."""
    pick = np.random.default_rng(1)
    best = 0.0
    for r in range(ROUNDS):
        decisions = 0
        start = time.process_time()
        for seed in range(r * SESSIONS, (r + 1) * SESSIONS):
            s = Session.start(compiled, seed, clock=lambda: 0.0, wall_clock=False)
            while not s.ended:
                choices = s.available_choices()
                s.choose(choices[int(pick.integers(len(choices)))].id)
            decisions += len(s.decisions)
        best = max(best, decisions / (time.process_time() - start))
    return best


def _vector_rate(vs: VectorScenario, strategy: str) -> float:
    """Decisions per second of one batch of RUNS runs, records built (best round)."""
    best = 0.0
    for seed in range(ROUNDS):
        start = time.process_time()
        runs = vs.simulate(strategy, RUNS, seed)
        elapsed = time.process_time() - start
        best = max(best, sum(len(r.decisions) for r in runs) / elapsed)
        del runs
    return best


def run() -> list[Figure]:
    library = discover()
    figures = []
    total_vector = total_session = 0.0
    for sid in SCENARIOS:
        sf = library.by_id(sid)
        assert sf is not None, f"library scenario '{sid}' is missing"
        compiled = compile_scenario(sf)
        vs = VectorScenario(compiled)
        session = _session_rate(compiled)
        vector = _vector_rate(vs, "random")
        total_vector += 1 / vector
        total_session += 1 / session
        figures.append(
            Figure(
                f"vector decisions/s, {sid}, random, {RUNS:,} runs",
                vector,
                "dec/s",
                "Session loop",
                session,
                ">= 50x",
                extra={"first_shown": _vector_rate(vs, "first")},
            )
        )
    n = len(SCENARIOS)
    figures.append(
        Figure(
            f"vector decisions/s, mean over {n} scenarios (harmonic), {RUNS:,} runs",
            n / total_vector,
            "dec/s",
            "Session loop",
            n / total_session,
            ">= 50x",
        )
    )
    return figures
