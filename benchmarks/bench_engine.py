"""Engine figures: per-choice step, loading a 1,000-node scenario, linting the library, replay."""

from __future__ import annotations

import time
from pathlib import Path

import yaml
from transitions import Machine

from benchmarks.common import Figure, best_of
from benchmarks.generate import chain_scenario
from engine.compile import build
from engine.library import scenarios_root
from engine.lint import lint_paths, scenario_files
from engine.loader import load_scenario_text
from engine.session import Session, replay
from engine.yamlload import paused_gc

STEPS = 200


class _RawModel:
    state = "d0"


def _per_choice() -> list[Figure]:
    sf = load_scenario_text(chain_scenario(STEPS, chance_every=0), "chain.yaml")
    compiled = build(sf)

    def engine_walk() -> None:
        s = Session.start(compiled, 1, clock=lambda: 0.0, wall_clock=False)
        for _ in range(STEPS):
            s.choose("listen")

    graph = {f"d{i}": {"listen": f"d{i + 1}"} for i in range(STEPS)}

    def dict_walk() -> None:
        state = "d0"
        env = {"trust": 0, "agitation": 4.0}
        for _ in range(STEPS):
            env["trust"] += 1
            state = graph[state]["listen"]

    raw = Machine(
        model=None,
        states=[f"d{i}" for i in range(STEPS + 1)],
        initial="d0",
        auto_transitions=False,
    )
    for i in range(STEPS):
        raw.add_transition(f"d{i}:listen", f"d{i}", f"d{i + 1}")

    def raw_walk() -> None:
        m = _RawModel()
        m.state = "d0"
        for i in range(STEPS):
            raw.events[f"d{i}:listen"].trigger(m)

    engine = best_of(engine_walk, repeat=15) / STEPS
    plain = best_of(dict_walk, repeat=15) / STEPS
    trig = best_of(raw_walk, repeat=15) / STEPS
    us = 1e6
    return [
        Figure(
            "one choice (guards, effects, events, transcript)",
            engine * us,
            "us",
            "raw transitions trigger",
            trig * us,
            "<= 2x raw trigger",
        ),
        Figure("one choice", engine * us, "us", "plain dict walk", plain * us),
    ]


def _load_1000() -> Figure:
    text = chain_scenario(1000)

    def full() -> None:
        sf = load_scenario_text(text, "big.yaml")
        with paused_gc():
            build(sf)

    def parse_only() -> None:
        yaml.load(text, Loader=yaml.CSafeLoader)

    return Figure(
        "load + validate + lint + compile, 1,000-node scenario",
        best_of(full, repeat=3),
        "s",
        "yaml.load (C) of the same text",
        best_of(parse_only, repeat=3),
        "<= 0.3 s",
    )


def _lint_library() -> Figure:
    root = scenarios_root()
    files, _ = scenario_files([root])

    def lint() -> None:
        lint_paths([root])

    def read() -> None:
        for f in files:
            yaml.load(Path(f).read_text(), Loader=yaml.CSafeLoader)

    return Figure(
        f"lint of the whole library ({len(files)} files)",
        best_of(lint, repeat=3),
        "s",
        "read + yaml.load (C) of the same files",
        best_of(read, repeat=3),
    )


def _replay_50() -> Figure:
    sf = load_scenario_text(chain_scenario(50), "chain50.yaml")
    compiled = build(sf)
    s = Session.start(compiled, 3, clock=lambda: 0.0, wall_clock=False)
    while not s.ended:
        s.choose(s.available_choices()[0].id)
    log = s.to_log()

    raw = Machine(
        model=None, states=[f"d{i}" for i in range(51)], initial="d0", auto_transitions=False
    )
    for i in range(50):
        raw.add_transition(f"d{i}:listen", f"d{i}", f"d{i + 1}")

    def raw_walk() -> None:
        m = _RawModel()
        for i in range(50):
            raw.events[f"d{i}:listen"].trigger(m)

    return Figure(
        "replay of a 50-decision session",
        best_of(lambda: replay(compiled, log), repeat=7) * 1e3,
        "ms",
        "50 raw transitions triggers",
        best_of(raw_walk, repeat=15) * 1e3,
        "<= 5 ms",
    )


def run() -> list[Figure]:
    start = time.perf_counter()
    figures = [*_per_choice(), _load_1000(), _lint_library(), _replay_50()]
    figures[-1].notes = f"group took {time.perf_counter() - start:.1f} s"
    return figures
