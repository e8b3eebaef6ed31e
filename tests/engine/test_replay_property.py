"""Property: any random walk through any scenario in the library replays exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.compile import compile_scenario
from engine.library import discover
from engine.loader import load_scenario
from engine.session import Session, replay

ROOT = Path(__file__).resolve().parents[2]
FILES = [sf.path for sf in discover(ROOT / "scenarios").scenarios] + sorted(
    (ROOT / "tests" / "fixtures" / "scenarios").glob("*.yaml")
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), picks=st.lists(st.integers(0, 1000), max_size=120))
def test_random_walk_replays_to_the_same_state_and_transcript(
    path: Path, seed: int, picks: list[int]
) -> None:
    c = compile_scenario(load_scenario(path))
    s = Session.start(c, seed)
    for pick in picks:
        if s.ended:
            break
        choices = s.available_choices()
        timed = s.timeout_seconds is not None
        k = pick % (len(choices) + (1 if timed else 0))
        if k == len(choices):
            s.time_out()
        else:
            s.choose(choices[k].id)
        if pick % 7 == 0:
            s.note(f"note {pick}")
    r = replay(c, s.to_log())
    assert r.node_id == s.node_id
    assert r.vars == s.vars
    assert r.transcript == s.transcript
    assert r.decisions == s.decisions
    assert r.to_log() == s.to_log()
