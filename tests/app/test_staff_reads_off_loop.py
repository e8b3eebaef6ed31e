"""Staff screens read the records off the frame loop: while the store cannot answer (here a
real SQLite write lock held by another connection, as another workstation's long write
would), the window keeps stepping and drawing the busy box, keys pressed meanwhile do
nothing, and the screen appears once the read finishes."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pygame

from simulator.app.main import App
from simulator.app.records import StoreRecords
from simulator.app.screens.busy import BusyScreen
from simulator.app.screens.fto_dor import DorFormScreen
from simulator.app.screens.fto_home import StaffHomeScreen, open_home
from simulator.app.screens.fto_review import AttemptReviewScreen
from simulator.app.screens.message import MessageScreen
from simulator.app.screens.signin import SignInScreen
from simulator.app.script import key_event
from simulator.app.services import Profile
from tests.app.driver import Driver
from tests.app.fto_tour import PASSWORD, seed


@contextmanager
def write_lock(database: Path) -> Iterator[None]:
    """Hold SQLite's write lock from a connection of our own until the block ends. The
    review screens' reads of a trainee's records are audited in a write, so they wait."""
    holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("COMMIT")
        holder.close()


def sign_in_fred(app: App, records: StoreRecords) -> None:
    fred = records.store.person("fred")
    app.profile = records.sign_in(Profile(fred.id, "fred", "Fred Amankwah", True, "fto"), PASSWORD)


def on_the_queue(app: App, records: StoreRecords) -> int:
    """Fred on his review queue (read with nothing in the way), focused on the newest
    attempt's row; returns that attempt's id."""
    attempt_id = seed(records)
    sign_in_fred(app, records)
    open_home(app)
    app.settle()
    home = app.top
    assert isinstance(home, StaffHomeScreen) and not home.error
    row = next(
        f.name for f in home.focus.items if f.name.startswith(f"Review attempt {attempt_id}")
    )
    Driver(app).tab_to(row)
    return attempt_id


def busy_squares(app: App) -> tuple[tuple[int, ...], ...]:
    """The colours of the busy box's three squares as the window shows them now."""
    box = app.top
    assert isinstance(box, BusyScreen)
    th = app.theme
    side = th.px(0.6)
    y = box.page.viewport.bottom - side - th.px(0.1) + side // 2
    return tuple(
        tuple(app.window.get_at((box.page.viewport.x + i * 2 * side + side // 2, y)))
        for i in range(3)
    )


def step_while_locked(app: App, frames: int) -> set[tuple[tuple[int, ...], ...]]:
    """Step ``frames`` frames in real time, pressing keys that would act on any screen,
    and collect what the busy box's squares showed."""
    seen = set()
    for n in range(frames):
        for name in ("ESCAPE", "RETURN", "TAB", "1") if n % 5 == 0 else ():
            pygame.event.post(key_event(name))
            pygame.event.post(key_event(name, down=False))
        app.step(dt=1 / 60)
        if app.top.elapsed > 0.2:  # type: ignore[attr-defined]
            seen.add(busy_squares(app))
        time.sleep(0.01)
    return seen


def test_a_staff_screen_loads_behind_the_busy_box_while_the_store_is_locked(
    app: App, records: StoreRecords, tmp_path: Path
) -> None:
    attempt_id = on_the_queue(app, records)

    with write_lock(tmp_path / "records.sqlite3"):
        pygame.event.post(key_event("RETURN"))
        pygame.event.post(key_event("RETURN", down=False))
        frames = app.frames
        seen = step_while_locked(app, 60)
        # the read is still waiting for the lock, and the window kept drawing frames
        assert isinstance(app.top, BusyScreen) and app.busy
        assert app.frames - frames == 60
        assert len(seen) > 1, "the busy box's squares never moved: the window froze"
        assert [type(s) for s in app.stack] == [StaffHomeScreen, BusyScreen]
    app.settle()
    # the review shows; Esc, Enter, Tab and 1 pressed during the wait did nothing to it
    review = app.top
    assert isinstance(review, AttemptReviewScreen)
    assert review.review.attempt.id == attempt_id
    assert [type(s) for s in app.stack] == [StaffHomeScreen, AttemptReviewScreen]
    assert review.focus.current is not None and review.focus.current.name == "Write DOR"
    fred = records.store.person("fred")
    assert records.store.reviews.attempt(fred, attempt_id).latest_marks() == {}


def test_a_mark_saved_while_the_store_is_locked_waits_and_then_shows(
    app: App, records: StoreRecords, tmp_path: Path
) -> None:
    attempt_id = on_the_queue(app, records)
    drive = Driver(app)
    drive.key("RETURN")
    assert isinstance(app.top, AttemptReviewScreen)
    drive.tab_to(next(f.name for f in app.top.focus.items if f.name.startswith("Decision 1:")))
    drive.key("RETURN")
    drive.tab_to("Agree")

    with write_lock(tmp_path / "records.sqlite3"):
        pygame.event.post(key_event("RETURN"))
        pygame.event.post(key_event("RETURN", down=False))
        seen = step_while_locked(app, 40)
        assert isinstance(app.top, BusyScreen) and len(seen) > 1
    app.settle()
    review = app.top
    assert isinstance(review, AttemptReviewScreen)
    assert [type(s) for s in app.stack] == [StaffHomeScreen, AttemptReviewScreen]
    fred = records.store.person("fred")
    marks = records.store.reviews.attempt(fred, attempt_id).latest_marks()
    assert list(marks) == [1] and marks[1].agrees  # one mark: the keys in the wait added none
    assert review.review.latest_marks()[1].agrees  # and the screen shows it


def test_a_records_server_that_went_away_is_reported_on_the_refreshed_queue(
    app: App, records: StoreRecords
) -> None:
    from simulator.app.records import open_records
    from tests.remote.serving import serving

    seed(records)
    with serving(records.store) as server:
        remote = open_records(None, server)
        app.records = remote
        sign_in_fred(app, remote)
        open_home(app)
        app.settle()
        home = app.top
        assert isinstance(home, StaffHomeScreen) and len(home.items) == 2
    try:  # the server has stopped; Refresh reads the queue again
        Driver(app).tab_to("Refresh")
        pygame.event.post(key_event("RETURN"))
        pygame.event.post(key_event("RETURN", down=False))
        app.step(dt=1 / 60)  # a refused connection may be reported within this frame
        app.settle()
        home = app.top
        assert isinstance(home, StaffHomeScreen)
        assert home.items == () and server in home.error
        assert [type(s) for s in app.stack] == [StaffHomeScreen]
        Driver(app).key("ESCAPE")  # sign out: the sign-in list cannot be read either
        signin = app.top
        assert isinstance(signin, SignInScreen) and app.profile is None
        assert signin.profiles == [] and server in signin.error
    finally:
        remote.store.close()


def test_the_focus_comes_back_to_the_button_whose_save_was_refused_behind_the_busy_box(
    app: App, records: StoreRecords
) -> None:
    on_the_queue(app, records)
    drive = Driver(app)
    drive.key("RETURN")
    drive.tab_to("Write DOR")
    drive.key("RETURN")
    assert isinstance(app.top, DorFormScreen)
    drive.tab_to("Sign as FTO")
    drive.key("RETURN")  # a suggested 2 has no narrative yet: the save is refused
    refusal = app.top
    assert isinstance(refusal, MessageScreen) and refusal.title_text == "The DOR was not saved"
    drive.key("ESCAPE")
    dor = app.top
    assert isinstance(dor, DorFormScreen) and dor.draft.evaluation is None
    assert drive.focused == "Sign as FTO"  # not thrown back to the first button
