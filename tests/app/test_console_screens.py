"""The instructor console by keyboard alone under the dummy driver: what it shows matches
the records, its filters change what is listed, an assignment made in it reaches the store
and the trainee's library, only cohorts the instructor teaches appear, and every screen
keeps its widgets apart at 200% text in both themes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pygame
import pytest

from simulator.app.main import App
from simulator.app.records import StoreRecords, open_records
from simulator.app.screens.console import ConsoleScreen, TraineeScreen, open_console
from simulator.app.screens.console_analytics import AnalyticsScreen
from simulator.app.screens.library import LibraryScreen
from simulator.app.services import Profile
from tests.app.console_tour import DUE, console_tour, seed
from tests.app.driver import Driver
from tests.app.tour import tour_catalog
from tests.app.tour_run import layout_problems
from tests.store.conftest import _quick_password_hashes

__all__ = ["_quick_password_hashes"]


@pytest.fixture
def console_app(tmp_path: Path) -> tuple[App, StoreRecords]:
    records = open_records(str(tmp_path / "records.sqlite3"))
    seed(records)
    app = App(records, tour_catalog(), config_dir=tmp_path / "config")
    app.start()
    app.run_frames(2)
    yield app, records
    pygame.quit()
    records.store.close()


def test_an_instructor_runs_the_console_by_keyboard_and_assigns_a_scenario(
    console_app: tuple[App, StoreRecords],
) -> None:
    app, records = console_app
    store = records.store
    seen: dict[str, object] = {}
    for step in console_tour(Driver(app)):
        seen[step] = app.top
        if step == "console":
            console = app.top
            assert isinstance(console, ConsoleScreen)
            assert [c.name for c in console.cohorts] == ["Class 26-1"]  # not Class 26-2
            names = [f.name for f in console.focus.items]
            assert [n.split(":")[0] for n in names if n.startswith("Trainee ")] == [
                "Trainee alice",
                "Trainee bob",
                "Trainee carl",
            ]
            said = console.doc.spoken()
            assert "completed by 1 of 3 · not completed: alice, carl" in said
            assert len(console.shown()) == 5
        if step == "console-scenario":
            console = app.top
            assert isinstance(console, ConsoleScreen)
            assert {r.attempt.scenario.id for r in console.shown()} == {"hv-routine-visitor"}
            assert len(console.shown()) == 4
        if step == "console-trainee":
            trainee = app.top
            assert isinstance(trainee, TraineeScreen)
            assert [a.scenario_id for a in trainee.trainee.attempts] == ["hv-routine-visitor"] * 2
            assert "Field safety and contact planning 2" in trainee.doc.spoken()
        if step == "console-analytics":
            charts = app.top
            assert isinstance(charts, AnalyticsScreen)
            assert charts.found.attempts == 5
            assert any(b.name == "score distribution chart" for b in charts.doc.blocks)
            assert (
                "Read the case file and the last three notes before you leave.: "
                "2 chose it, 50%, exemplary" in charts.doc.spoken()
            )
        if step == "console-last-week":
            console = app.top
            assert isinstance(console, ConsoleScreen)
            assert console.since == datetime.now(UTC).date() - timedelta(days=6)
    ines = store.person("ines")
    assigned = {a.scenario_id: a for a in store.assignments.for_cohort(ines, "Class 26-1")}
    week = datetime.now(UTC).date() + timedelta(days=7)
    assert assigned["hv-routine-visitor"].due_on == week  # the form's suggested date
    assert assigned["hv-weapon-disengage"].due_on == DUE
    library = seen["library-assigned-first"]
    assert isinstance(library, LibraryScreen)
    first, second = library.cards[0].scenario.id, library.cards[1].scenario.id
    assert (first, second) == ("hv-weapon-disengage", "hv-routine-visitor")  # to do, then done
    assert library._status(library.cards[0]).startswith(f"Assigned, due {DUE:%d %b}")


def test_an_instructor_sees_only_the_cohorts_they_teach_and_a_refusal_is_audited(
    console_app: tuple[App, StoreRecords],
) -> None:
    app, records = console_app
    store = records.store
    gail = store.person("gail")
    app.profile = records.sign_in(
        Profile(gail.id, "gail", "Gail Porter", True, "instructor"), "cohort-pass-1"
    )
    open_console(app)  # read off the frame loop, as from the review queue
    app.settle()
    console = app.top
    assert isinstance(console, ConsoleScreen)
    assert [c.name for c in console.cohorts] == ["Class 26-2"]
    assert [r.trainee.username for r in console.records] == ["dana"]
    from simulator.app.services import ServiceError

    with pytest.raises(ServiceError, match="may not see the analytics of Class 26-1"):
        console.service.cohort_records("Class 26-1", None, None)
    entry = store.audit_log(store.person("rae"), limit=1, denied_only=True)[0]
    assert (entry.actor, entry.action) == ("gail", "teach_cohort")


def test_the_console_reads_the_same_through_a_records_server(
    console_app: tuple[App, StoreRecords],
) -> None:
    app, records = console_app
    from tests.remote.serving import serving

    with serving(records.store) as server:
        remote = open_records(None, server)
        try:
            ines = records.store.person("ines")
            app.records = remote
            app.profile = remote.sign_in(
                Profile(ines.id, "ines", "Inés Varga", True, "instructor"), "cohort-pass-1"
            )
            open_console(app)  # the same screen, over the server's client
            app.settle()
            console = app.top
            assert isinstance(console, ConsoleScreen) and not console.error
            assert len(console.records) == 5
            assert [a.pending for a in console.assigned] == [("alice", "carl")]
            assert [
                t.username for t in console.service.trainees(console.cohort, console.shown())
            ] == [
                "alice",
                "bob",
                "carl",
            ]
        finally:
            remote.store.close()


@pytest.mark.parametrize(
    ("size", "theme"), [((1280, 720), "normal"), ((800, 560), "high_contrast")]
)
def test_the_console_keeps_widgets_apart_at_200_percent(
    size: tuple[int, int], theme: str, tmp_path: Path
) -> None:
    assert layout_problems(tmp_path, seed, console_tour, scale=200, size=size, theme=theme) == []
