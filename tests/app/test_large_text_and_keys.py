"""Large text never hides a control or the decision, and the keyboard never surprises:
"/" searches without typing itself, Esc asks before signing out or quitting, and F1
lists the keys the screen really has."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from simulator.app.main import App
from simulator.app.records import StoreRecords
from simulator.app.screens.library import LibraryScreen
from simulator.app.screens.message import MessageScreen
from simulator.app.screens.play import PlayScreen
from simulator.app.screens.settings import SettingsScreen
from simulator.app.screens.signin import SignInScreen
from simulator.app.script import key_event
from simulator.app.services import Catalog
from simulator.app.settings import Settings
from tests.app.driver import Driver
from tests.app.test_flow import open_minimal


@pytest.fixture
def big(records: StoreRecords, catalog: Catalog, tmp_path: Path) -> Iterator[Driver]:
    app = App(
        records,
        catalog,
        settings=Settings(text_scale=200),
        size=(1280, 720),
        config_dir=tmp_path / "config",
    )
    app.start()
    app.run_frames(2)
    yield Driver(app)
    pygame.quit()


def test_at_200_percent_settings_says_when_controls_are_out_of_view(big: Driver) -> None:
    big.tab_to("Settings")
    big.key("RETURN")
    screen = big.top
    assert isinstance(screen, SettingsScreen)
    hidden = [e for e in screen.elements if not e.visible]
    assert hidden, "at 200 % on 1280x720 the settings no longer fit; this test needs them not to"
    assert screen.more() == (False, True)  # and the cue says so, in words
    for _ in range(len(screen.focus.items)):  # every control is reachable and shown
        cur = screen.focus.current
        assert cur is not None
        button = next(e for e in screen.elements if pygame.Rect(e.rect) == cur.rect())
        assert button.visible, f"{cur.name} has the focus but is not shown"
        big.key("TAB")
    big.key("PAGEDOWN")
    assert screen.more()[0]


def test_at_200_percent_the_prompt_and_two_choices_are_in_view(big: Driver) -> None:
    big.create_profile("Dana Reyes")
    open_minimal(big)
    big.key("RETURN")
    play = big.top
    assert isinstance(play, PlayScreen)
    view = play.choices
    shown = [b for b in view.blocks if b.y - view.offset + b.height <= view.rect.height]
    assert shown[0].said == "What do you do?"
    assert len([b for b in shown if b.action is not None]) >= 2
    assert view.rect.bottom <= big.app.size[1]
    assert not view.rect.colliderect(play.transcript.rect)


def test_slash_focuses_search_without_typing_a_slash(drive: Driver, app: App) -> None:
    drive.create_profile("Lee Park")
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SLASH, mod=0, unicode="/"))
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="/"))
    pygame.event.post(key_event("SLASH", down=False))
    drive.frames(2)
    library = drive.top
    assert isinstance(library, LibraryScreen)
    assert drive.focused == "Search titles"
    assert library.search.get_text() == ""
    drive.type("Min")
    assert library.search.get_text() == "Min"


def test_escape_asks_before_signing_out_or_quitting(drive: Driver, app: App) -> None:
    drive.create_profile("Lee Park")
    drive.key("ESCAPE")
    ask = drive.top
    assert isinstance(ask, MessageScreen) and ask.title_text == "Sign out?"
    drive.key("ESCAPE")  # Esc keeps things as they are
    assert isinstance(drive.top, LibraryScreen) and app.profile is not None
    drive.key("ESCAPE")
    drive.key("RETURN")  # "Sign out"
    assert isinstance(drive.top, SignInScreen) and app.profile is None
    drive.key("ESCAPE")
    assert isinstance(drive.top, MessageScreen) and drive.top.title_text == "Quit parolesim?"
    drive.key("ESCAPE")
    assert app.running and isinstance(drive.top, SignInScreen)
    drive.key("ESCAPE")
    drive.key("RETURN")
    assert not app.running


def test_f1_in_play_lists_the_keys_play_really_has(drive: Driver, app: App) -> None:
    drive.create_profile("Lee Park")
    open_minimal(drive)
    drive.key("RETURN")
    drive.key("F1")
    keys = drive.top
    assert isinstance(keys, MessageScreen) and keys.title_text == "Keys"
    assert "Tab or C: open or close the case file" in keys.message
    assert "Up/Down: move between the choices" in keys.message
    assert "Page Up/Page Down" in keys.message
    assert "Tab and Shift+Tab: move between controls" not in keys.message


def test_a_large_window_gets_larger_type_and_a_resize_back_restores_it(
    records: StoreRecords, catalog: Catalog, tmp_path: Path
) -> None:
    app = App(records, catalog, size=(1920, 1080), config_dir=tmp_path / "config")
    app.start()
    app.run_frames(2)
    big_body = app.theme.line_height("body")
    assert app.theme.scale == 1.5
    app.resize((1280, 720))
    assert app.theme.scale == 1.0
    assert app.theme.line_height("body") < big_body
    app.settings.text_scale = 200
    app.apply_settings()
    app.resize((1920, 1080))
    assert app.theme.scale == 3.0  # the trainee's 200 % on top of the window's 1.5
    pygame.quit()


def test_the_focused_library_card_shows_its_title_at_200_percent(big: Driver) -> None:
    big.create_profile("Dana Reyes")
    library = big.top
    assert isinstance(library, LibraryScreen)
    for _ in range(len(library.card_stops)):
        cur = big.app.top.focus.current
        if cur in library.card_stops:
            i = library.card_stops.index(cur)
            card = library._card_screen_rect(i)
            assert library.grid_rect.top <= card.top, f"{cur.name}: its title is above the grid"
        big.key("TAB")


def test_a_running_countdown_redraws_only_its_bar(drive: Driver, app: App) -> None:
    drive.create_profile("Lee Park")
    open_minimal(drive)
    drive.key("RETURN")
    play = drive.top
    assert isinstance(play, PlayScreen) and play.animating()  # the door is timed
    app.step([], dt=1 / 60)  # the whole window once
    before = play.remaining
    changed = play.draw_changes(app.window)
    assert changed is not None and len(changed) == 1
    w, h = app.size
    assert changed[0].width * changed[0].height < w * h // 10  # a strip, not the window
    app.step([], dt=0.5)
    assert play.remaining is not None and before is not None and play.remaining < before
