"""Settings: text scale and theme change what is drawn at once and persist as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pygame
import pytest

from simulator.app import settings as settings_mod
from simulator.app.main import App
from simulator.app.records import StoreRecords
from simulator.app.screens.settings import SettingsScreen
from simulator.app.services import Catalog
from simulator.app.settings import Settings
from tests.app.driver import Driver


def open_settings(drive: Driver) -> SettingsScreen:
    drive.tab_to("Settings")
    drive.key("RETURN")
    screen = drive.top
    assert isinstance(screen, SettingsScreen)
    return screen


def button_font_size(app: App) -> int:
    info = app.ui.get_theme().get_font_info(["button"])
    return int(info["size"])


def test_larger_text_rescales_the_theme_and_the_widgets_and_is_saved(
    drive: Driver, app: App, tmp_path: Path
) -> None:
    open_settings(drive)
    body_before, button_before = app.theme.styles["body"].size, button_font_size(app)
    drive.tab_to("Larger text")
    drive.key("RETURN")
    drive.key("RETURN")
    assert app.settings.text_scale == 120
    assert app.theme.styles["body"].size == round(body_before * 1.2)
    assert button_font_size(app) == round(button_before * 1.2)
    assert drive.focused == "Larger text"  # focus stays put while the screen is rebuilt
    saved = json.loads((tmp_path / "config" / "settings.json").read_text())
    assert saved["text_scale"] == 120


def test_high_contrast_theme_paints_the_screen_black_and_persists(
    drive: Driver, app: App, records: StoreRecords, catalog: Catalog, tmp_path: Path
) -> None:
    open_settings(drive)
    corner = (3, app.size[1] - 3)
    assert app.window.get_at(corner)[:3] == tuple(app.theme.colour("background"))[:3]
    drive.tab_to("High contrast theme")
    drive.key("RETURN")
    drive.frames(2)
    assert app.theme.name == "high_contrast"
    assert app.window.get_at(corner)[:3] == (0, 0, 0)
    pygame.quit()
    again = App(records, catalog, config_dir=tmp_path / "config")
    assert again.settings.theme == "high_contrast" and again.theme.high_contrast


def test_text_scale_stays_between_100_and_200_percent(drive: Driver, app: App) -> None:
    open_settings(drive)
    body = app.theme.styles["body"].size
    drive.tab_to("Smaller text")
    drive.key("RETURN")
    assert app.settings.text_scale == 100
    drive.tab_to("Larger text")
    for _ in range(12):
        drive.key("RETURN")
    assert app.settings.text_scale == 200
    assert app.theme.styles["body"].size == 2 * body


def test_a_damaged_settings_file_falls_back_to_defaults_and_says_why(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        '{"text_scale": 135, "theme": "neon", "read_aloud": true}'
    )
    loaded = settings_mod.load(tmp_path)
    assert loaded.text_scale == 100 and loaded.theme == "normal" and loaded.read_aloud is True
    assert any("text_scale=135" in p for p in loaded.problems)
    assert any("theme='neon'" in p for p in loaded.problems)
    (tmp_path / "settings.json").write_text("{not json")
    assert "not valid JSON" in settings_mod.load(tmp_path).problems[0]


def test_settings_folder_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(settings_mod.CONFIG_ENV, str(tmp_path / "cfg"))
    path = settings_mod.save(Settings(text_scale=150))
    assert path == tmp_path / "cfg" / "settings.json"
    assert settings_mod.load().text_scale == 150


def test_no_timer_turns_off_the_countdown_and_is_recorded_in_the_attempt(
    drive: Driver, app: App, records: StoreRecords
) -> None:
    from simulator.app.screens.play import PlayScreen
    from tests.app.test_flow import open_minimal

    drive.create_profile("Dana Reyes")
    app.settings.extra_time = 0.0  # Settings, "Time on timed decisions": No timer
    open_minimal(drive)
    drive.key("RETURN")
    play = drive.top
    assert isinstance(play, PlayScreen) and app.run is not None
    assert play.limit is None and not play.animating()  # the timed door has no countdown
    drive.frames(60 * 20, dt=1.0)  # twenty minutes pass: time never runs out
    assert app.run.session.decisions == []
    assert app.profile is not None
    log = records.log(app.profile, app.run.attempt.id)
    assert log["events"][0]["timing"] == {"timer": "off"}
