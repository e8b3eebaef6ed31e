"""The caseload dashboard in the app: a Caseload tab of the case file during a caseload
scenario, operated by keyboard alone (S and F change its sort and filter, announced), kept
current as alerts arrive, and readable at 200% text in both themes.

``python -m tests.app.test_caseload_dashboard OUT_DIR`` saves its screenshots (run it in a
real window under Xvfb to look at them).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pygame
import pytest

from engine.mechanics import caseload_board as board
from simulator.app.main import App
from simulator.app.records import open_records
from simulator.app.screens.briefing import BriefingScreen
from simulator.app.screens.play import PlayScreen
from simulator.app.services import Catalog
from simulator.app.settings import Settings
from simulator.app.widgets import Block
from tests.app.driver import Driver
from tests.app.test_read_aloud import listening

SCENARIO = "cl-monday-gps-police"


def open_dashboard(app: App) -> tuple[Driver, PlayScreen]:
    """Sign in, start the Monday caseload scenario and open its Caseload tab by keyboard."""
    drive = Driver(app)
    drive.create_profile("Robin Asante")
    sf = app.catalog.by_id(SCENARIO)
    drive.key("SLASH")
    drive.type(sf.scenario.title)
    drive.key("DOWN")
    drive.key("RETURN")
    assert isinstance(drive.top, BriefingScreen)
    drive.tab_to("Start practice")
    drive.key("RETURN")
    play = drive.top
    assert isinstance(play, PlayScreen)
    drive.key("c")
    for _ in range(len(play.case.tabs)):
        if play.case.tab == "caseload":
            break
        drive.key("RIGHT")
    assert play.case.tab == "caseload"
    return drive, play


def people(play: PlayScreen) -> list[Block]:
    """The dashboard's person rows, in the order shown."""
    return [b for b in play.case.doc.blocks if " risk · " in b.said]


def expected(play: PlayScreen) -> list[str]:
    s = play.session
    rows = board.rows(s.compiled.scenario, s.seed, s.vars)
    return [r.name for r in board.arrange(rows, play.board.sort, play.board.only)]


@pytest.fixture
def app(tmp_path: Path) -> App:
    records = open_records(str(tmp_path / "records.sqlite3"))
    application = App(records, Catalog(), config_dir=tmp_path / "config")
    application.start()
    application.run_frames(2)
    yield application
    pygame.quit()
    records.store.close()


def name_of(block: Block) -> str:
    return block.said.split(" · ")[0].rsplit(" ", 2)[0]


def test_the_caseload_tab_lists_everyone_and_s_and_f_sort_and_filter_it(
    app: App, tmp_path: Path
) -> None:
    speech = listening(app, tmp_path)
    drive, play = open_dashboard(app)
    rows = people(play)
    assert [name_of(b) for b in rows] == expected(play)
    assert len(rows) >= 86
    assert "ALERT: gps (OPEN)" in rows[0].said  # priority: the open alert comes first
    drive.key("f")  # filter: open alerts
    assert play.board.only == "alerts" and len(people(play)) == 1
    assert (
        speech.spoken[-1] == "Sorted by alerts, then level, then contact due; showing open alerts"
    )
    drive.key("f")  # filter: a contact due
    drive.key("s")  # sort: by surname
    assert play.board.sort == "name"
    due = [name_of(b) for b in people(play)]
    assert due == expected(play) and 0 < len(due) < len(rows)
    assert due == sorted(due, key=lambda n: (n.split()[-1], n))
    drive.key("s", mod=pygame.KMOD_SHIFT)  # Shift+S goes back: priority again
    assert play.board.sort == "priority"
    button = next(b for b in play.case.doc.blocks if b.name.startswith("Filter: "))
    click = pygame.event.Event(
        pygame.MOUSEBUTTONDOWN, button=1, pos=play.case.doc.block_rect(button).center
    )
    assert play.handle(click)  # the mouse works the same buttons
    assert play.board.only == "high"


def test_the_dashboard_keeps_up_with_the_run(app: App) -> None:
    _, play = open_dashboard(app)

    def hours() -> list[str]:
        return [b.said for b in play.case.doc.blocks if b.said.startswith("Hours left")]

    assert hours() == ["Hours left 28 of 28"]
    for choice in ("dashboard", "verify", "review", "coordinate", "risk"):
        play.choose(choice)
    assert hours() != ["Hours left 28 of 28"]
    open_alerts = [name_of(b) for b in people(play) if "(OPEN)" in b.said]
    assert open_alerts == ["Teodor Vance"]  # the GPS alert is answered; the police notice came


def main(argv: list[str] | None = None) -> int:
    """Screenshots of the dashboard at 100% and 200% text in both themes, into OUT_DIR."""
    out = Path((argv or sys.argv[1:])[0])
    for scale, theme in (
        (100, "normal"),
        (200, "normal"),
        (100, "high_contrast"),
        (200, "high_contrast"),
    ):
        base = Path(tempfile.mkdtemp(prefix="parolesim-dashboard-"))
        records = open_records(str(base / "records.sqlite3"))
        app = App(
            records,
            Catalog(),
            settings=Settings(text_scale=scale, theme=theme),
            size=(1280, 720),
            config_dir=base / "config",
        )
        app.start()
        app.run_frames(2)
        drive, _ = open_dashboard(app)
        app.run_frames(2)
        print(app.screenshot(f"dashboard-{scale}-{theme}", out), flush=True)
        drive.key("f")
        app.run_frames(2)
        print(app.screenshot(f"dashboard-alerts-{scale}-{theme}", out), flush=True)
        records.store.close()
        pygame.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
