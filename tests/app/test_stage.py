"""The picture matches the words: the scene shows the setting a node declares and exactly
the people it declares present (seated when declared), for every node the library reaches;
lint holds declarations to the cast and the known settings."""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from engine.library import discover
from engine.lint import lint_paths
from engine.loader import ScenarioFile, load_scenario
from engine.session import Session
from engine.settings import SETTINGS
from simulator.app.main import App
from simulator.app.records import StoreRecords
from simulator.app.screens.play import PlayScreen
from simulator.app.services import Catalog, Profile, Stage, person_key, start_run
from simulator.art import SCENES
from tests.conftest import SCENARIOS

STAGE = Path(__file__).resolve().parent.parent / "fixtures" / "stage" / "stage-fixture.yaml"
LIBRARY = discover(SCENARIOS).scenarios
WALKS = 2


def declared(session: Session) -> tuple[str, tuple[str, ...] | None, frozenset[str]]:
    """What the nodes presented so far declare: setting, people (None: never declared),
    and who sits, read straight from the scenario file's nodes."""
    s = session.compiled.scenario
    setting, present, sitting = s.setting, None, frozenset[str]()
    for ev in session.events:
        if ev.type == "presented":
            node = s.nodes[str(ev.node)]
            setting = node.scene or setting
            present = tuple(node.present) if node.present is not None else present
            sitting = frozenset(node.sitting) if node.sitting is not None else sitting
    return setting, present, sitting


@pytest.fixture
def trainee(app: App, records: StoreRecords) -> Iterator[Profile]:
    me = records.sign_in(records.create_profile("Stage Trainee", None), None)
    app.profile = me
    yield me


def play_walk(app: App, me: Profile, sf: ScenarioFile, seed: int) -> Iterator[PlayScreen]:
    run = start_run(app.records, me, sf, "practice")
    app.run = run
    play = PlayScreen(app, run)
    app.reset(play)
    rng = random.Random(seed)
    for _ in range(200):
        app.step([], dt=0.0)
        app.draw()
        yield play
        if run.session.ended:
            return
        choices = run.session.available_choices()
        play.choose(rng.choice(choices).id)
        app.settle()


def test_the_art_draws_every_known_setting() -> None:
    assert set(SETTINGS) == set(SCENES)


def test_declared_setting_and_people_are_drawn_node_by_node(app: App, trainee: Profile) -> None:
    sf = load_scenario(STAGE)
    seen: list[tuple[str, tuple[str, ...], frozenset[str]]] = []
    for play in play_walk(app, trainee, sf, 1):
        drawn = play.drawn
        assert isinstance(drawn, Stage)
        seen.append((drawn.setting, drawn.present, drawn.sitting))
    assert seen == [
        ("workplace_office", ("manager",), frozenset()),
        ("workplace_office", ("client", "manager"), frozenset({"client"})),
        ("workplace_office", ("client",), frozenset({"client"})),
        ("workplace_office", ("client",), frozenset({"client"})),  # the ending
    ]


def test_every_node_reached_in_the_library_draws_what_it_declares(
    records: StoreRecords, tmp_path: Path
) -> None:
    app = App(records, Catalog(SCENARIOS), size=(800, 560), config_dir=tmp_path / "config")
    me = records.sign_in(records.create_profile("Stage Trainee", None), None)
    app.profile = me
    app.catalog.scenarios  # noqa: B018  (as signing in does: load, then freeze the heap)
    gc.freeze()
    for sf in LIBRARY:
        reached: set[str] = set()
        for seed in range(WALKS):
            for play in play_walk(app, me, sf, seed):
                session = play.session
                reached.add(session.node_id)
                setting, present, sitting = declared(session)
                drawn = play.drawn
                assert drawn is not None
                where = f"{sf.scenario.id} at node '{session.node_id}'"
                assert drawn.setting == setting, where
                assert drawn.setting in SCENES, where
                if present is not None:
                    first = person_key(session)
                    assert set(drawn.present) == set(present), where
                    assert first not in present or drawn.present[0] == first, where
                    assert drawn.sitting == sitting & set(present), where
                else:  # no declarations yet: the case file's person, once they have spoken
                    assert drawn.present in ((), (person_key(session),)), where
        assert len(reached) >= 3, sf.scenario.id
    pygame.quit()


def test_lint_names_unknown_settings_and_people_outside_the_cast(tmp_path: Path) -> None:
    text = STAGE.read_text(encoding="utf-8")
    bad = (
        text.replace("scene: workplace_office", "scene: garden_centre")
        .replace("present: [manager]", "present: [manger]")
        .replace(
            "present: [manager, client]\n    sitting: [client]",
            "present: [client]\n    sitting: [client, manager]",
        )
    )
    f = tmp_path / "stage.yaml"
    f.write_text(bad, encoding="utf-8")
    found = [p.format() for p in lint_paths([f])]
    assert any("nodes.office.scene" in p and "unknown setting 'garden_centre'" in p for p in found)
    assert any("'manger' is not in the cast (cast: client, manager)" in p for p in found)
    assert any("'manager' sits but is not in this node's present list" in p for p in found)
    pygame.quit()
