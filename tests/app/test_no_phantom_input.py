"""No attempt the trainee never made: input from before a screen showed, or a held key's
repeats, never choose, start or confirm anything on the screens that follow."""

from __future__ import annotations

import time
from pathlib import Path

import pygame

from simulator.app.main import App
from simulator.app.records import StoreRecords
from simulator.app.screens.briefing import BriefingScreen
from simulator.app.screens.form import FormScreen
from simulator.app.screens.play import PlayScreen
from simulator.app.script import key_event
from simulator.app.services import Catalog
from tests.app.driver import Driver

PASSWORD = "correct horse battery"


def held(name: str) -> pygame.event.Event:
    """One KEYDOWN of a key that stays down: the first press, or a repeat of it."""
    return key_event(name)


def test_a_held_enter_through_a_blocked_sign_in_never_starts_or_plays_a_run(
    records: StoreRecords, catalog: Catalog, tmp_path: Path
) -> None:
    me = records.create_profile("Dana Reyes", PASSWORD)
    app = App(records, catalog, config_dir=tmp_path / "config")
    app.start("fixture-minimal")  # sign in, then straight to this scenario's briefing
    app.run_frames(2)
    drive = Driver(app)
    drive.tab_to("Sign in as Dana Reyes")
    drive.key("RETURN")
    assert isinstance(app.top, FormScreen)
    drive.type(PASSWORD)

    # Enter goes down and stays down; the frame loop is blocked meanwhile, and the key
    # repeats pile up in the queue along with digits that would pick choices.
    pygame.event.post(held("RETURN"))
    app.step(dt=1 / 60)
    time.sleep(0.6)  # a blocked frame on a loaded machine
    for _ in range(12):
        pygame.event.post(held("RETURN"))
        pygame.event.post(held("1"))
    frames_while_busy = 0
    deadline = time.perf_counter() + 30
    while app.busy and time.perf_counter() < deadline:
        frames_while_busy += 1
        pygame.event.post(held("RETURN"))
        app.step(dt=1 / 60)
        time.sleep(0.005)
    assert frames_while_busy > 0, "signing in ran inside one frame, not off the frame loop"
    # the briefing is up; the key is still held and keeps repeating for a while
    for _ in range(40):
        pygame.event.post(held("RETURN"))
        app.step(dt=1 / 60)
    assert isinstance(app.top, BriefingScreen)
    assert app.run is None
    assert records.attempts(me) == []

    # released and pressed again, Enter works: the start was held back, not broken
    pygame.event.post(key_event("RETURN", down=False))
    app.step(dt=1 / 60)
    drive.key("RETURN")
    assert isinstance(app.top, PlayScreen)
    run = app.run
    assert run is not None and run.session.decisions == []
    pygame.quit()


def open_minimal_briefing(drive: Driver) -> None:
    drive.key("SLASH")
    drive.type("Minimal")
    drive.key("DOWN")
    drive.key("RETURN")
    assert isinstance(drive.top, BriefingScreen)


def test_a_held_digit_chooses_once_and_its_repeats_choose_nothing(drive: Driver, app: App) -> None:
    drive.create_profile("Sam Whitfield")
    open_minimal_briefing(drive)
    drive.key("RETURN")
    run = app.run
    assert run is not None and isinstance(app.top, PlayScreen)
    for _ in range(10):  # 1 pressed and held: one choice, then repeats
        pygame.event.post(held("1"))
        app.step(dt=1 / 60)
    assert len(run.session.decisions) == 1
    pygame.event.post(key_event("1", down=False))
    app.step(dt=1 / 60)
    drive.key("1")
    assert len(run.session.decisions) == 2


def test_keys_and_clicks_typed_ahead_of_a_screen_do_not_act_on_it(drive: Driver, app: App) -> None:
    drive.create_profile("Lee Park")
    drive.key("SLASH")
    drive.type("Minimal")
    drive.key("DOWN")
    # Enter opens the briefing; a second Enter and a click, already in the same batch of
    # input, arrived before the briefing was ever drawn: neither may start a run
    app.step(
        [
            key_event("RETURN"),
            key_event("RETURN", down=False),
            key_event("RETURN"),
            key_event("RETURN", down=False),
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=(10, 10)),
        ],
        dt=1 / 60,
    )
    app.settle()  # the briefing reads the trainee's unfinished attempts off the frame loop
    assert isinstance(app.top, BriefingScreen)
    assert not app.busy and app.run is None
    assert drive.focused == "Start practice"
    drive.key("RETURN")  # a press made after it showed does act
    assert isinstance(app.top, PlayScreen)
