"""What the family tests share: the library's scenarios, the model pack, starting a run
with a frozen clock, and random walks."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from engine.compile import compile_scenario
from engine.library import discover
from engine.loader import ScenarioFile
from engine.session import Session
from scoring.pack import PolicyPack, find_pack, load_pack

ROOT = Path(__file__).resolve().parents[2]


def library_of(keep: Callable[[str], bool]) -> dict[str, ScenarioFile]:
    """The library's scenarios whose id ``keep`` accepts (the library must lint clean)."""
    lib = discover(ROOT / "scenarios")
    assert lib.problems == ()
    return {sf.scenario.id: sf for sf in lib.scenarios if keep(sf.scenario.id)}


def model_pack() -> PolicyPack:
    return load_pack(find_pack("model-state-parole"))


def start(library: Mapping[str, ScenarioFile], sid: str, seed: int) -> Session:
    """A run of ``sid`` at ``seed`` on a frozen clock (times in its log are all 0)."""
    return Session.start(compile_scenario(library[sid]), seed, clock=lambda: 0.0, wall_clock=False)


def play_scripted(
    library: Mapping[str, ScenarioFile],
    sid: str,
    seed: int,
    persona: Mapping[str, Any],
    choices: Sequence[str],
) -> Session:
    """Play ``choices`` ("timeout" lets the timer run out) at ``seed``, first checking that
    the seed draws the ``persona`` the script was written for."""
    session = start(library, sid, seed)
    for key, value in persona.items():
        drawn = session.persona[key]
        assert drawn == value, f"seed {seed} draws {key}={drawn}"
    for choice in choices:
        if choice == "timeout":
            session.time_out()
        else:
            session.choose(choice)
    return session


def walk(library: Mapping[str, ScenarioFile], sid: str, seed: int) -> Session:
    """A random walk, as `parolesim run --auto random` takes it (timeouts included)."""
    return walk_to_end(start(library, sid, seed), seed)


def walk_to_end(session: Session, seed: int) -> Session:
    """Play ``session`` to an ending at random, as ``run --auto random`` plays (timeouts
    included), from a picking stream of its own seed."""
    picker = np.random.default_rng([seed, 0x5EED])
    while not session.ended:
        choices = session.available_choices()
        k = int(picker.integers(len(choices) + (session.timeout_seconds is not None)))
        if k == len(choices):
            session.time_out()
        else:
            session.choose(choices[k].id)
    return session
