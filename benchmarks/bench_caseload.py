"""Caseload figures: generating a 130-person caseload and carrying out a plan over it (the
coverage and the week rolled forward), each beside plain numpy doing the same amount of
array work, and one whole caseload run beside a run of a scenario without the mechanic."""

from __future__ import annotations

import numpy as np

from benchmarks.common import Figure, best_of
from engine.compile import compile_scenario
from engine.library import discover
from engine.mechanics import caseload
from engine.mechanics.caseload_spec import Caseload
from engine.session import Session

STANDARD = {"low": "kiosk", "moderate": "office", "high": "home", "intensive": "home"}
SPEC = Caseload.model_validate(
    {
        "size": [130, 130],
        "hours": 30.0,
        "mix": {"low": 0.5, "moderate": 0.32, "high": 0.18},
        "inherited": 0.3,
        "alerts": {
            "gps": {"kind": "gps", "level": "intensive", "arrives": "start", "text": "{name}"},
            "call": {"kind": "family_call", "level": "high", "arrives": "start", "text": "x"},
        },
        "plans": {
            "by_risk": {"title": "risk", "order": ["alerts", "risk", "due"], "contacts": STANDARD}
        },
    }
)
REPEAT = 200
BEST = (
    "dashboard,verify,review,coordinate,risk,verify,account,follow_up,record,misses,"
    "sourced,both,now"
)


def _plain_generate(seed: int) -> int:
    """The same number of draws and columns as a caseload, with no meaning attached."""
    rng = np.random.default_rng([seed, 1])
    n = 130
    risk = rng.choice(3, size=n, p=[0.5, 0.32, 0.18])
    level = np.where(rng.random(n) < 0.3, risk + 1, risk)
    _ = rng.random(n) < 0.4, rng.random((n, 5)) < 0.3, rng.integers(3, 40, size=n)
    _ = rng.integers(0, 7, size=n), rng.integers(0, 7, size=n), level
    return int(rng.choice(1520, size=n, replace=False)[0])


def _generation() -> Figure:
    seeds = iter(range(10**9))
    mech = best_of(lambda: [caseload.generate(SPEC, next(seeds)) for _ in range(REPEAT)], 5)
    plain = best_of(lambda: [_plain_generate(next(seeds)) for _ in range(REPEAT)], 5)
    us = 1e6 / REPEAT
    return Figure(
        "generate a 130-person caseload", mech * us, "us", "plain numpy draws", plain * us
    )


def _plan() -> Figure:
    people = caseload.generate(SPEC, 7)
    plan = SPEC.plans["by_risk"]
    rows = [r for _, r in people.alerts]

    def mechanic() -> None:
        for step in range(REPEAT):
            cov = caseload.cover(people, plan, SPEC.hours, rows, False)
            caseload.roll(people, cov, 7, step)

    cost = np.where(people.due, 0.75, 0.0)
    level = people.level.astype(np.int64)

    def plain() -> None:
        for step in range(REPEAT):
            order = np.lexsort([np.arange(len(cost)), -level])
            _ = np.cumsum(cost[order]) <= SPEC.hours
            _ = np.random.default_rng([7, step]).random(len(cost)) < 0.02

    us = 1e6 / REPEAT
    return Figure(
        "carry out a plan over 130 people and roll the week",
        best_of(mechanic, 5) * us,
        "us",
        "plain numpy sort, cumsum and draw",
        best_of(plain, 5) * us,
    )


def _whole_run() -> Figure:
    lib = {sf.scenario.id: sf for sf in discover().scenarios}
    monday = compile_scenario(lib["cl-monday-gps-police"])
    plain = compile_scenario(lib["dt-contested-result"])
    seeds = iter(range(10**9))

    def caseload_run() -> None:
        s = Session.start(monday, next(seeds), clock=lambda: 0.0, wall_clock=False)
        for choice in BEST.split(","):
            s.choose(choice)

    def plain_run() -> None:
        s = Session.start(plain, next(seeds), clock=lambda: 0.0, wall_clock=False)
        while not s.ended:
            s.choose(s.available_choices()[0].id)

    return Figure(
        "one whole caseload run (13 decisions, a new caseload)",
        best_of(caseload_run, 20) * 1e3,
        "ms",
        "a run of dt-contested-result (first options)",
        best_of(plain_run, 20) * 1e3,
    )


def run() -> list[Figure]:
    return [_generation(), _plan(), _whole_run()]
