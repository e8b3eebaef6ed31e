"""Scoring beside replay: one session, and re-scoring 10,000 stored session logs.

The logs are generated once from the scoring test scenarios (a home visit, a
violation decision and an MI conversation) with random choices per seed, stored
as JSON text the way ``run --json --score`` writes them, then parsed back.
Baselines are measured in the same run: replay alone for the same logs.

Targets: re-scoring 10,000 stored logs with a changed pack within 5 s (the
stored trace makes replay unnecessary when the scenario is unchanged); scoring
adding at most 50% to replay time.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from benchmarks.common import Figure, best_of
from engine.compile import CompiledScenario, compile_scenario
from engine.loader import ScenarioFile, load_scenario
from engine.session import Session, replay
from scoring.pack import PolicyPack, default_pack_path, load_pack
from scoring.scorer import rescore_log, score_trace, trace_of

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "scoring" / "fixtures"
SCENARIOS = ("hv_shared_flat", "vd_curfew", "mi_checkin")
STORED = 10_000


def _random_run(compiled: CompiledScenario, seed: int) -> Session:
    rng = np.random.default_rng([seed, 7])
    session = Session.start(compiled, seed, clock=lambda: 0.0, wall_clock=False)
    while not session.ended:
        choices = session.available_choices()
        timed = session.timeout_seconds is not None
        k = int(rng.integers(len(choices) + (1 if timed else 0)))
        if k == len(choices):
            session.time_out()
        else:
            session.choose(choices[k].id)
    return session


def _stored_logs(files: list[ScenarioFile], pack: PolicyPack) -> list[tuple[int, str]]:
    """Logs as ``run --json --score`` stores them: events plus the score at the time."""
    compiled = [compile_scenario(sf) for sf in files]
    out = []
    for seed in range(STORED):
        i = seed % len(compiled)
        session = _random_run(compiled[i], seed)
        log = session.to_log()
        log["policy"] = pack.identity()
        log["score"] = score_trace(trace_of(session), files[i].scenario, pack).to_dict()
        out.append((i, json.dumps(log)))
    return out


def run() -> list[Figure]:
    files = [load_scenario(FIXTURES / f"{name}.yaml") for name in SCENARIOS]
    compiled = [compile_scenario(sf) for sf in files]
    pack = load_pack(default_pack_path())
    stored = _stored_logs(files, pack)
    logs = [(i, json.loads(text)) for i, text in stored]

    # one session, cold: replay, then score with the pack's memo emptied first
    one_i, one_log = logs[0]

    def replay_one() -> None:
        replay(compiled[one_i], one_log)

    def score_one_cold() -> None:
        pack.memo.clear()
        session = replay(compiled[one_i], one_log)
        score_trace(trace_of(session), files[one_i].scenario, pack)

    replay_t = best_of(replay_one, repeat=7, number=20)
    cold_t = best_of(score_one_cold, repeat=7, number=20)

    # 1,000 sessions, warm memo: the scoring share beside replay (target ratio <= 0.5)
    sample = logs[:1000]
    sessions = [replay(compiled[i], log) for i, log in sample]
    traces = [(i, trace_of(s)) for (i, _), s in zip(sample, sessions, strict=True)]
    score_only = best_of(
        lambda: [score_trace(t, files[i].scenario, pack) for i, t in traces], repeat=3
    ) / len(traces)
    replay_many = best_of(lambda: [replay(compiled[i], log) for i, log in sample], repeat=3) / len(
        traces
    )

    # rescoring every stored log with a changed pack (new memo), from JSON text
    def replay_all() -> None:
        for i, text in stored:
            replay(compiled[i], json.loads(text))

    def rescore_all() -> None:
        new_pack = load_pack(default_pack_path())
        for i, text in stored:
            rescore_log(json.loads(text), files[i], new_pack)

    start, cpu = time.perf_counter(), time.process_time()
    replay_all()
    replay_all_t, replay_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    rescore_all()
    rescore_t, rescore_cpu = time.perf_counter() - start, time.process_time() - cpu

    return [
        Figure(
            "score one session (replay + score, cold memo)",
            cold_t * 1000,
            "ms",
            "replay one session",
            replay_t * 1000,
            notes=f"{len(one_log['events'])} events",
        ),
        Figure(
            "scoring time per session (1,000 sessions)",
            score_only * 1000,
            "ms",
            "replay per session",
            replay_many * 1000,
            target="ratio <= 0.50",
        ),
        Figure(
            f"rescore {STORED:,} stored logs with a new pack",
            rescore_t,
            "s",
            f"parse + replay {STORED:,} logs alone",
            replay_all_t,
            target="<= 5 s",
            extra={"cpu_s": rescore_cpu, "baseline_cpu_s": replay_cpu},
            notes="uses each log's stored trace; 3 scenarios, random choices and timeouts",
        ),
    ]
