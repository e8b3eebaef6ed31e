"""The window: `parolesim` opens it on the embedded store, it resizes, F11 goes full screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pygame

from simulator.app.main import App
from simulator.app.screens.library import LibraryScreen
from tests.app.conftest import FIXTURE_SCENARIOS
from tests.app.driver import Driver

ROOT = Path(__file__).resolve().parent.parent.parent


def test_parolesim_with_no_command_opens_the_app_on_a_new_embedded_store(tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    script.write_text("until SignInScreen\nmark signin\nquit\n")
    env = dict(os.environ)
    env.pop("PAROLESIM_DATABASE_URL", None)
    env.update(
        PYTHONPATH=str(ROOT),
        SDL_VIDEODRIVER="dummy",
        SDL_AUDIODRIVER="dummy",
        PAROLESIM_DATA_DIR=str(tmp_path / "data"),
        PAROLESIM_CONFIG_DIR=str(tmp_path / "cfg"),
        PAROLESIM_SCENARIOS=str(FIXTURE_SCENARIOS),
        PAROLESIM_APP_SCRIPT=str(script),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "simulator"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "MARK signin" in proc.stdout
    assert (tmp_path / "data" / "records.sqlite3").is_file()


def test_a_resized_window_lays_the_screen_out_again_and_keeps_the_focus(
    drive: Driver, app: App
) -> None:
    drive.create_profile("Jesse Park")
    assert isinstance(drive.top, LibraryScreen)
    drive.tab_to("Settings")
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1000, h=700, size=(1000, 700)))
    drive.frames(2)
    assert app.size == (1000, 700)
    assert drive.focused == "Settings"
    assert all(stop.rect().right <= 1000 for stop in drive.top.focus.items[:5])
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=300, h=200, size=(300, 200)))
    drive.frames(2)
    assert app.size == (800, 560)  # never smaller than the smallest supported window


def test_f11_switches_full_screen_and_remembers_it(drive: Driver, app: App, tmp_path: Path) -> None:
    drive.key("F11")
    assert app.settings.fullscreen
    saved = json.loads((tmp_path / "config" / "settings.json").read_text())
    assert saved["fullscreen"] is True
    drive.key("F11")
    assert not app.settings.fullscreen and app.size == (1280, 720)


def test_f1_lists_the_keys_of_the_screen(drive: Driver) -> None:
    drive.key("F1")
    assert drive.top.title_text == "Keys"  # type: ignore[attr-defined]
    assert "Esc: quit" in drive.top.message  # type: ignore[attr-defined]
    drive.key("ESCAPE")
    assert type(drive.top).__name__ == "SignInScreen"


def test_play_with_a_scenario_opens_its_briefing_after_sign_in(tmp_path: Path) -> None:
    from simulator.app.records import open_records

    db = tmp_path / "records.sqlite3"
    records = open_records(str(db))
    records.create_profile("Toni Ferreira", None)
    records.store.close()
    script = tmp_path / "script.txt"
    script.write_text("until SignInScreen\nkey RETURN\nuntil BriefingScreen\nmark briefing\nquit\n")
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT),
        SDL_VIDEODRIVER="dummy",
        SDL_AUDIODRIVER="dummy",
        PAROLESIM_CONFIG_DIR=str(tmp_path / "cfg"),
        PAROLESIM_APP_SCRIPT=str(script),
    )
    path = FIXTURE_SCENARIOS / "minimal.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "simulator", "--db", str(db), "play", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "MARK briefing" in proc.stdout
