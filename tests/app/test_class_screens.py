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


def test_votes_cast_by_another_program_on_the_same_file_reach_the_projector(
    records: StoreRecords,
) -> None:
    """The embedded SQLite store runs a class session on one machine: a hot seat (or
    `parolesim class vote`) writes through a store of its own, and the projector's follower
    sees it by looking every half second."""
    import time

    from simulator.app.classroom import ClassService, Follower
    from simulator.store import Store

    seed(records)
    ines = next(p for p in records.profiles() if p.username == "ines")
    service = ClassService(records, records.sign_in(ines, "class-tour-pass-1"))
    view = service.open_voting(service.start("Class 26-1", "fixture-minimal").id)
    follower = Follower(service, view.id, story=True)
    try:
        with Store.open(records.store.location) as elsewhere:
            alice = elsewhere.sign_in("alice")
            elsewhere.classes.vote(alice, view.id, "A")
        deadline = time.monotonic() + 10
        seen = None
        while time.monotonic() < deadline:
            latest = follower.take()
            if latest is not None and latest.current is not None and latest.current.voters:
                seen = latest
                break
            time.sleep(0.05)
        assert seen is not None and seen.voted == ("alice",)
    finally:
        follower.stop()


def test_a_hot_seat_on_one_machine_and_the_instructor_returns_to_the_projector(
    drive: Driver, app: App, records: StoreRecords
) -> None:
    """The embedded store: the instructor starts a session and leaves the projector, a
    trainee signs in at the same machine and votes, and the instructor returns to the open
    session from the staff home with the vote counted."""
    from simulator.app.screens.classroom import StartClassScreen
    from tests.app.class_tour import PASSWORD, sign_in_as, until

    seed(records)
    sign_in_as(drive, "Inés Varga", PASSWORD)
    drive.tab_to("Class session")
    drive.key("RETURN")
    drive.tab_to("Start Minimal fixture with Class 26-1")
    drive.key("RETURN")
    drive.key("v")
    assert isinstance(drive.top, ProjectorScreen)
    drive.key("ESCAPE")
    sign_in_as(drive, "Alice Nguyen", None)
    drive.tab_to("Join class session")
    drive.key("RETURN")
    voting = drive.top
    assert isinstance(voting, VoteScreen)
    drive.key("a")
    until(drive, lambda: 1 in voting.view.my_votes, "alice's vote")
    sign_in_as(drive, "Inés Varga", PASSWORD)
    drive.tab_to("Class session")
    drive.key("RETURN")
    assert isinstance(drive.top, StartClassScreen)
    drive.tab_to("Return to Minimal fixture with Class 26-1")
    drive.key("RETURN")
    projector = drive.top
    assert isinstance(projector, ProjectorScreen)
    poll = projector.view.current
    assert poll is not None and (poll.state, poll.voters) == ("open", 1)
