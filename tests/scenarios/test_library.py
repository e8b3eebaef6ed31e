"""What every library scenario must do, whatever its family: replay exactly."""

from __future__ import annotations

import json

import pytest

from engine.compile import compile_scenario
from engine.library import discover
from engine.loader import ScenarioFile
from engine.mechanics.trajectory import client_trajectory
from engine.session import Session, replay
from engine.twists import check_twists
from tests.scenarios.walks import walk_to_end

LIBRARY = sorted(discover().scenarios, key=lambda sf: sf.scenario.id)


@pytest.mark.parametrize("seed", [7, 17, 99])
@pytest.mark.parametrize("sf", LIBRARY, ids=lambda sf: sf.scenario.id)
def test_a_random_walk_replays_from_its_json_log_to_the_same_state(
    sf: ScenarioFile, seed: int
) -> None:
    compiled = compile_scenario(sf)
    original = walk_to_end(Session.start(compiled, seed, clock=lambda: 0.0, wall_clock=False), seed)
    log = json.loads(json.dumps(original.to_log()))
    again = replay(compiled, log)
    assert again.node_id == original.node_id and again.ended
    assert again.vars == original.vars
    assert again.transcript == original.transcript
    assert again.decisions == original.decisions
    assert again.reactions == original.reactions
    if sf.scenario.client is not None:
        assert client_trajectory(compiled, log) == client_trajectory(compiled, again)


@pytest.mark.parametrize("sf", LIBRARY, ids=lambda sf: sf.scenario.id)
def test_every_scenario_declares_what_its_briefing_keeps_back(sf: ScenarioFile) -> None:
    """A scenario whose seed changes what the trainee meets says what that is (``twists:``),
    so lint can keep it out of the briefing; an undeclared twist is a giveaway nobody checks."""
    seeded = [name for name, draw in sf.scenario.persona.items() if draw.kind in ("choice", "flag")]
    assert not seeded or sf.scenario.twists, (
        f"{sf.file}: persona {', '.join(seeded)} changes what the trainee meets, but the "
        "scenario declares no twists: list them under 'twists:' (see the authoring guide)"
    )
    assert [p.format() for p in check_twists(sf)] == []
