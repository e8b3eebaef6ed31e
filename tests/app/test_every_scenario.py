"""Every scenario in the library can be played by keyboard alone, to its debrief."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from simulator.app.main import App
from simulator.app.records import open_records
from simulator.app.screens.briefing import BriefingScreen
from simulator.app.screens.debrief import DebriefScreen
from simulator.app.screens.play import PlayScreen
from simulator.app.services import Catalog
from tests.app.driver import Driver

LIBRARY = Catalog()
FIXTURES = Catalog(Path(__file__).resolve().parent.parent / "fixtures" / "scenarios")
EVERY = [(LIBRARY, sf.scenario.id) for sf in LIBRARY.scenarios] + [
    (FIXTURES, sf.scenario.id) for sf in FIXTURES.scenarios
]


@pytest.mark.parametrize(("catalog", "scenario_id"), EVERY, ids=[i for _, i in EVERY])
def test_the_scenario_plays_to_its_debrief_by_keyboard(
    catalog: Catalog, scenario_id: str, tmp_path: Path
) -> None:
    sf = catalog.by_id(scenario_id)
    records = open_records(str(tmp_path / "records.sqlite3"))
    app = App(records, catalog, config_dir=tmp_path / "config")
    try:
        app.start()
        app.run_frames(2)
        drive = Driver(app)
        drive.create_profile("Casey Morgan")
        drive.key("SLASH")
        drive.type(sf.scenario.title)
        drive.key("DOWN")
        assert drive.focused.startswith(sf.scenario.title)
        drive.key("RETURN")
        assert isinstance(drive.top, BriefingScreen)
        drive.tab_to("Start practice")
        drive.key("RETURN")
        assert isinstance(drive.top, PlayScreen)
        run = app.run
        assert run is not None
        drive.play_to_end()
        drive.frames(2)
        assert drive.focused == "See your debrief"
        drive.key("RETURN")
        debrief = drive.top
        assert isinstance(debrief, DebriefScreen)
        assert 0 <= float(debrief.report["overall"]) <= 100
        assert [d["choice"] for d in debrief.report["decisions"]] == [
            d.choice for d in run.session.decisions
        ]
    finally:
        pygame.quit()
        records.store.close()
