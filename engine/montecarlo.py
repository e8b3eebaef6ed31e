"""Playing a scenario many times with a fixed, policy-blind strategy.

The scoring-validity harness (``parolesim analyze``) asks how a player who knows no
policy fares: always the first option shown, the last, the longest text, the
shortest, uniformly at random, at random among options that are not critical, or
letting every timer run out. :func:`simulate` plays such runs and returns what
scoring needs from each. It uses the vectorised simulator (:mod:`engine.vector`)
when that supports the scenario, and otherwise the interactive session loop,
which is also the reference the vectorised simulator is tested against.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.compile import CompiledScenario
from engine.mechanics.client import ClientState, state_of
from engine.model import Choice
from engine.session import DecisionRecord, Session

STRATEGIES = ("first", "last", "longest", "shortest", "random", "random_safe", "timeout")
STRATEGY_TITLES = {
    "first": "always the first option shown",
    "last": "always the last option shown",
    "longest": "always the longest option",
    "shortest": "always the shortest option",
    "random": "uniformly at random",
    "random_safe": "at random among options that are not critical",
    "timeout": "letting every timer run out (else the first shown)",
}
PICK_STREAM = 0xA11A  # the strategy's own random draws, apart from the session's streams
_VECTOR: dict[str, Any] = {}  # vectorised models by scenario content hash


@dataclass(frozen=True)
class SimRun:
    """What scoring needs from one simulated run."""

    decisions: tuple[DecisionRecord, ...]
    final_vars: dict[str, Any]
    ending: dict[str, str] | None
    talk: tuple[ClientState, ...]


Picker = Callable[[Session, list[Choice]], Choice | None]


def _picker(strategy: str, rng: np.random.Generator, avoid: frozenset[tuple[str, str]]) -> Picker:
    """The strategy as a function of the session and its open choices in shown order;
    None means: let the timer run out."""

    def pick(session: Session, shown: list[Choice]) -> Choice | None:
        if strategy == "first":
            return shown[0]
        if strategy == "last":
            return shown[-1]
        if strategy == "longest":
            return max(shown, key=lambda c: len(c.text))
        if strategy == "shortest":
            return min(shown, key=lambda c: len(c.text))
        if strategy == "timeout":
            return None if session.timeout_seconds is not None else shown[0]
        pool = shown
        if strategy == "random_safe":
            pool = [c for c in shown if (session.node_id, c.id) not in avoid] or shown
        return pool[int(rng.integers(len(pool)))]

    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy '{strategy}'; expected one of {', '.join(STRATEGIES)}")
    return pick


def play_run(
    compiled: CompiledScenario,
    seed: int,
    pick: Picker,
    *,
    max_decisions: int = 400,
) -> SimRun:
    """One run with the interactive engine, choices made by ``pick``."""
    session = Session.start(compiled, seed, clock=lambda: 0.0, wall_clock=False)
    client = compiled.scenario.client is not None
    talk = [state_of(session.vars)] if client else []
    for _ in range(max_decisions):
        if session.ended:
            break
        shown = session.available_choices()
        choice = pick(session, shown)
        if choice is None:
            session.time_out()
        else:
            session.choose(choice.id)
        if client:
            talk.append(state_of(session.vars))
    return run_of(session, tuple(talk))


def run_of(session: Session, talk: tuple[ClientState, ...] = ()) -> SimRun:
    return SimRun(tuple(session.decisions), dict(session.vars), session.ending_info(), talk)


def simulate_loop(
    compiled: CompiledScenario,
    strategy: str,
    runs: int,
    seed: int,
    *,
    avoid: frozenset[tuple[str, str]] = frozenset(),
    max_decisions: int = 400,
) -> list[SimRun]:
    """``runs`` runs through the interactive session loop (seeds ``seed``, ``seed+1``, …)."""
    out = []
    for i in range(runs):
        rng = np.random.default_rng([seed + i, PICK_STREAM])
        pick = _picker(strategy, rng, avoid)
        out.append(play_run(compiled, seed + i, pick, max_decisions=max_decisions))
    return out


def simulate(
    compiled: CompiledScenario,
    strategy: str,
    runs: int,
    seed: int,
    *,
    avoid: frozenset[tuple[str, str]] = frozenset(),
    max_decisions: int = 400,
    vectorised: bool = True,
    exact: bool = False,
) -> tuple[list[SimRun], str]:
    """Simulated runs and the simulator that played them ("vectorised" or "session loop").

    The vectorised simulator draws every run from one generator seeded with ``seed``: the
    same distributions as sessions, fifty times faster. With ``exact``, run ``i`` is the
    very run a session with seed ``seed + i`` gives (each run's own streams; several
    times slower), so any figure can be replayed run by run with the interactive engine;
    the session loop always plays that way.
    """
    if vectorised:
        try:
            vector: Any = importlib.import_module("engine.vector")
        except ImportError:  # the vectorised simulator is optional: the loop is the reference
            vector = None
        if vector is not None:
            try:
                model = _VECTOR.get(compiled.hash)
                if model is None:
                    model = _VECTOR[compiled.hash] = vector.VectorScenario(compiled)
                runs_done: list[SimRun]
                if exact:
                    runs_done = model.simulate_seeded(
                        strategy, range(seed, seed + runs), avoid=avoid, max_decisions=max_decisions
                    )
                    return runs_done, "vectorised, exact"
                runs_done = model.simulate(
                    strategy, runs, seed, avoid=avoid, max_decisions=max_decisions
                )
                return runs_done, "vectorised"
            except vector.VectorUnsupported:
                pass
    return (
        simulate_loop(compiled, strategy, runs, seed, avoid=avoid, max_decisions=max_decisions),
        "session loop",
    )
