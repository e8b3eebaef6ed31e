"""A trainee at the keyboard: sign in, pick a scenario, play it, read the debrief, go back."""

from __future__ import annotations

import pygame

from simulator.app.main import App
from simulator.app.records import StoreRecords
from simulator.app.screens.briefing import BriefingScreen
from simulator.app.screens.debrief import DebriefScreen
from simulator.app.screens.library import LibraryScreen
from simulator.app.screens.play import PlayScreen
from simulator.app.screens.signin import SignInScreen
from simulator.app.services import Catalog
from tests.app.driver import Driver


def open_minimal(drive: Driver) -> None:
    """From the library: search for the minimal fixture and open its briefing."""
    drive.key("SLASH")
    drive.type("Minimal")
    drive.key("DOWN")
    assert drive.focused.startswith("Minimal fixture")
    drive.key("RETURN")
    assert isinstance(drive.top, BriefingScreen)


def test_a_trainee_plays_a_whole_scenario_by_keyboard_and_reads_the_debrief(
    drive: Driver, app: App, records: StoreRecords
) -> None:
    assert isinstance(drive.top, SignInScreen)
    drive.create_profile("Dana Reyes")
    assert isinstance(drive.top, LibraryScreen)
    assert app.profile is not None and app.profile.display_name == "Dana Reyes"
    open_minimal(drive)
    assert drive.focused == "Start practice"
    drive.key("RETURN")
    assert isinstance(drive.top, PlayScreen)
    run = app.run
    assert run is not None
    assert "You arrive at the door." in [line.text for line in run.session.transcript]
    # options are shown in an order drawn from the attempt's seed: the first shown is focused
    first = run.session.available_choices()[0]
    assert drive.focused.startswith(f"Choice 1: {first.text}")

    presses = drive.play_to_end()

    assert presses >= 2 and run.session.ended
    assert drive.focused == "See your debrief"
    drive.key("RETURN")
    debrief = drive.top
    assert isinstance(debrief, DebriefScreen)
    stored = [a for a in records.attempts(app.profile) if a.id == run.attempt.id]
    assert stored[0].status == "completed"
    assert stored[0].overall == debrief.report["overall"]
    decisions = debrief.report["decisions"]
    assert next(d["choice"] for d in decisions) == first.id
    names = [f.name for f in debrief.focus.items]
    assert "Try again from decision 1" in names
    drive.key("ESCAPE")
    assert isinstance(drive.top, LibraryScreen)
    assert drive.top.standing["fixture-minimal"].completed == 1


def test_choices_are_taken_by_number_arrows_and_enter_or_the_mouse(drive: Driver, app: App) -> None:
    drive.create_profile("Sam Whitfield")
    open_minimal(drive)
    drive.key("RETURN")
    run = app.run
    assert run is not None
    second = run.session.available_choices()[1]  # as shown: the order is shuffled per attempt
    drive.key("DOWN")
    assert drive.focused.startswith(f"Choice 2: {second.text}")
    drive.key("RETURN")
    assert run.session.decisions[0].choice == second.id
    # the next decision: click its first choice with the mouse
    play = drive.top
    assert isinstance(play, PlayScreen)
    first = play.choices.focusables()[0]
    centre = first.rect().center
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=centre))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, button=1, pos=centre))
    drive.frames(3)
    assert len(run.session.decisions) == 2


def test_a_timed_decision_runs_out_and_the_engine_takes_its_default(
    drive: Driver, app: App
) -> None:
    drive.create_profile("Ari Novak")
    open_minimal(drive)
    drive.key("RETURN")
    run = app.run
    assert run is not None and run.session.timeout_seconds == 15
    play = drive.top
    assert isinstance(play, PlayScreen)
    drive.frames(28, dt=0.5)  # 14 s: not yet
    assert run.session.decisions == [] and play.remaining is not None and play.remaining > 0
    drive.frames(4, dt=0.5)
    assert run.session.decisions[0].timed_out
    assert run.session.decisions[0].choice == "wait"
    assert "Time ran out." in [line.text for line in run.session.transcript]
    # the default it took is not shown as the trainee's own choice
    labels = [k[2] for k in app.text._items if k[0] == "labelled"]
    assert "Taken when time ran out:" in labels


def test_extra_time_setting_lengthens_the_countdown(drive: Driver, app: App) -> None:
    app.settings.extra_time = 2.0
    drive.create_profile("Lee Hart")
    open_minimal(drive)
    drive.key("RETURN")
    run = app.run
    assert run is not None
    drive.frames(40, dt=0.5)  # 20 s of the 30 allowed
    assert run.session.decisions == []
    drive.frames(22, dt=0.5)
    assert run.session.decisions[0].timed_out


def test_pause_stops_the_countdown_and_the_case_file_opens_with_c(drive: Driver, app: App) -> None:
    drive.create_profile("Kim Osei")
    open_minimal(drive)
    drive.key("RETURN")
    play = drive.top
    assert isinstance(play, PlayScreen)
    drive.key("c")
    assert play.case_open
    drive.key("RIGHT")
    assert play.case.tab == "conditions"
    drive.key("TAB")
    assert not play.case_open
    drive.key("ESCAPE")
    assert type(drive.top).__name__ == "PauseScreen"
    before = play.remaining
    drive.frames(60, dt=0.5)
    assert play.remaining == before
    drive.key("ESCAPE")
    assert drive.top is play
    assert app.run is not None and app.run.session.decisions == []


def test_the_portrait_mood_follows_the_engine_state_by_the_declared_ranges(
    catalog: Catalog,
) -> None:
    from engine.session import Session
    from simulator.app import art, services

    compiled = services.compiled(catalog.by_id("fixture-minimal"))
    moods = {}
    for seed in range(60):  # the persona draw sets agitation between 0 and 10
        session = Session.start(compiled, seed)
        agitation, trust, distress = services.mood_levels(session)
        assert agitation == session.vars["agitation"] / 10 and trust == 0.5 and distress == 0
        moods[round(agitation, 1)] = art.mood(agitation, trust, distress).value
    assert {m for a, m in moods.items() if a >= 0.8} == {"angry"}
    assert {m for a, m in moods.items() if a <= 0.4} == {"calm"}
