"""Class sessions in the app, by keyboard alone: the instructor's projector from start to
debrief while trainees vote, and a trainee's workstation joining from the library and
voting once; checked against the records."""

from __future__ import annotations

import pytest

from simulator.app.main import App
from simulator.app.records import StoreRecords
from simulator.app.screens.classroom import VoteScreen
from simulator.app.screens.projector import ProjectorScreen
from tests.app.class_tour import projector_tour, seed, workstation_tour
from tests.app.conftest import FIXTURE_SCENARIOS
from tests.app.driver import Driver


@pytest.fixture(autouse=True)
def _fixture_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAROLESIM_SCENARIOS", str(FIXTURE_SCENARIOS))


def test_the_projector_runs_a_class_session_from_start_to_debrief_by_keyboard(
    drive: Driver, app: App, records: StoreRecords
) -> None:
    seed(records)
    steps = projector_tour(drive, "Minimal fixture")
    shown: dict[str, object] = {}
    for step in steps:
        top = drive.top
        assert isinstance(top, ProjectorScreen) or step == "class-start"
        if step == "projector-live-count":
            poll = top.view.current  # type: ignore[attr-defined]
            shown["live"] = (poll.voters, poll.distribution)  # no spread while open
        if step == "projector-distribution":
            shown["closed"] = top.view.current.distribution  # type: ignore[attr-defined]
        if step == "projector-debrief":
            shown["report"] = top.view.report  # type: ignore[attr-defined]
            shown["id"] = top.view.id  # type: ignore[attr-defined]
    assert shown["live"] == (5, {})
    store = records.store
    ines = store.person("ines")
    exported = store.classes.export(ines, int(shown["id"]))  # type: ignore[call-overload]
    first = exported["decisions"][0]
    ids = [o["id"] for o in first["options"]]
    assert [v["trainee"] for v in first["votes"]] == ["alice", "cara", "dev", "emil", "fatima"]
    assert first["hands"] == {ids[0]: 2, ids[1]: 1}
    assert shown["closed"] == first["distribution"] == {ids[0]: 2 + 3, ids[1]: 2 + 1}
    assert first["played"] == ids[0]  # the majority
    assert exported["session"]["status"] == "ended"
    assert exported["session"]["attempt"]["status"] == "completed"
    assert shown["report"] == exported["report"] and exported["report"]["decisions"]


def test_a_workstation_joins_from_the_library_and_votes_once(
    drive: Driver, app: App, records: StoreRecords
) -> None:
    seed(records)
    steps = workstation_tour(drive, "fixture-minimal")
    for step in steps:
        if step == "vote-cast":
            screen = drive.top
            assert isinstance(screen, VoteScreen)
            drive.key("a")  # a second vote is not taken, and nothing complains
            assert drive.top is screen
    store = records.store
    exported = store.classes.export(store.person("ines"), 1)
    votes = exported["decisions"][0]["votes"]
    second = exported["decisions"][0]["options"][1]["id"]
    assert [(v["trainee"], v["choice"]) for v in votes] == [("alice", second)]
    assert exported["session"]["joined"] == ["alice"]
