"""The vectorised Monte Carlo simulator beside the interactive Session loop.

``parolesim analyze`` plays thousands of runs per naive strategy per scenario on
arrays compiled from the scenario (``engine.vector``), not through the Session. This
group measures decisions per second of ``VectorScenario.simulate`` at 20,000 runs per
batch, with the run records, final variables, endings and client talk built (what the
scorer reads), beside the same scenarios played run by run through ``Session.start``
and ``choose``, both with uniformly random picks, over every library scenario.

Times are CPU seconds of this process (``time.process_time``): the machine is shared,
and wall-clock rounds of the two sides drift apart when others' work lands on one of
them. Each scenario's figure on each side is the best of three rounds, after a full
garbage collection so neither side pays for the other's objects. The baseline leaves
out the client talk: a Session gets it only by replaying the run again
(``trace_of``), which would double its cost in the MI family.

Target: at least 50x the interactive loop's decisions per second.
"""

from __future__ import annotations

import gc
import time
from collections import defaultdict

import numpy as np

from benchmarks.common import Figure
from engine.compile import CompiledScenario, compile_scenario
from engine.library import discover
from engine.mechanics.trajectory import client_trajectory
from engine.session import Session
from engine.vector import VectorScenario, unsupported

RUNS = 20_000
SESSIONS = 100  # per round
ROUNDS = 3


def _session_round(compiled: CompiledScenario, r: int, *, talk: bool = False) -> tuple[int, float]:
    pick = np.random.default_rng(r)
    decisions = 0
    gc.collect()
    start = time.process_time()
    for seed in range(r * SESSIONS, (r + 1) * SESSIONS):
        s = Session.start(compiled, seed, clock=lambda: 0.0, wall_clock=False)
        while not s.ended:
            choices = s.available_choices()
            s.choose(choices[int(pick.integers(len(choices)))].id)
        if talk:
            client_trajectory(compiled, s)
        decisions += len(s.decisions)
    return decisions, time.process_time() - start


def _vector_round(vs: VectorScenario, r: int) -> tuple[int, float]:
    gc.collect()
    start = time.process_time()
    runs = vs.simulate("random", RUNS, r)
    elapsed = time.process_time() - start
    return sum(len(run.decisions) for run in runs), elapsed


def _best(rounds: list[tuple[int, float]]) -> tuple[int, float]:
    """The round with the highest rate, as (decisions, seconds)."""
    return max(rounds, key=lambda dt: dt[0] / dt[1])


def run() -> list[Figure]:
    families: dict[str, list[tuple[int, float, int, float]]] = defaultdict(list)
    with_talk: list[tuple[int, float, int, float]] = []
    for sf in discover().scenarios:
        if unsupported(sf.scenario) is not None:
            continue  # analysis plays it with the session loop: no vectorised rate to compare
        compiled = compile_scenario(sf)
        vs = VectorScenario(compiled)
        vs.simulate("random", 100, 0)  # first-call costs (lazy caches) are not throughput
        sd, st = _best([_session_round(compiled, r) for r in range(ROUNDS)])
        vd, vt = _best([_vector_round(vs, r) for r in range(ROUNDS)])
        families[sf.scenario.family].append((vd, vt, sd, st))
        if sf.scenario.client is not None:
            td, tt = _best([_session_round(compiled, r, talk=True) for r in range(ROUNDS)])
            with_talk.append((vd, vt, td, tt))
    figures = []
    rows = [(name, parts) for name, parts in sorted(families.items())]
    rows.append(("library", [p for parts in families.values() for p in parts]))
    for name, parts in rows:
        figures.append(_figure(f"{name} ({len(parts)} scenarios, {RUNS:,} runs each)", parts))
    if with_talk:
        figures.append(
            _figure(
                f"client-model scenarios ({len(with_talk)}), {RUNS:,} runs each",
                with_talk,
                "Session loop + client_trajectory (the talk the scorer reads)",
            )
        )
    return figures


def _figure(
    name: str, parts: list[tuple[int, float, int, float]], baseline: str = "Session loop"
) -> Figure:
    vd, vt, sd, st = (sum(p[i] for p in parts) for i in range(4))
    return Figure(f"vector decisions/s, {name}", vd / vt, "dec/s", baseline, sd / st, ">= 50x")
