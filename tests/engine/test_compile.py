"""Compilation: one shared transitions machine per scenario version, no per-session binding."""

from __future__ import annotations

from pathlib import Path

from engine.compile import compile_scenario
from engine.loader import load_scenario
from engine.session import Session
from tests.engine.helpers import FIXTURES, compiled


def test_one_machine_serves_every_session_of_a_version() -> None:
    c = compiled("minimal")
    again = compile_scenario(load_scenario(FIXTURES / "minimal.yaml"))
    assert again is c
    sessions = [Session.start(c, seed=i) for i in range(100)]
    assert all(s.compiled.machine is c.machine for s in sessions)
    assert c.machine.models == []  # sessions are dispatched, never add_model-ed


def test_machine_has_no_auto_transitions() -> None:
    c = compiled("minimal")
    assert not any(name.startswith("to_") for name in c.machine.events)
    assert set(c.machine.states) == set(c.scenario.nodes)


def test_hundred_concurrent_sessions_keep_their_own_state() -> None:
    c = compiled("minimal")
    sessions = [Session.start(c, seed=i) for i in range(100)]
    for i, s in enumerate(sessions):
        if i % 2:
            s.choose("knock")
    assert {s.node_id for s in sessions[::2]} == {"door"}
    assert all(s.node_id != "door" for s in sessions[1::2])


def test_the_same_scenario_text_at_another_path_logs_its_own_path(tmp_path: Path) -> None:
    source = FIXTURES / "minimal.yaml"
    copy = tmp_path / "minimal.yaml"
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    first, second = compile_scenario(load_scenario(source)), compile_scenario(load_scenario(copy))
    assert str(first.file.path) == str(source) and str(second.file.path) == str(copy)
