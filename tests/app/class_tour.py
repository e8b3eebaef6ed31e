"""A keyboard-only tour of a class session in the app: the instructor signs in, starts a
session from the staff home, opens voting, sees the live count as trainees vote, enters a
show of hands, closes voting (the distribution shows), plays the majority, plays the rest
and ends on the debrief; a trainee's workstation joins from the library and votes. Run as a
program it saves screenshots:

    python -m tests.app.class_tour OUT_DIR [--scale 100] [--theme normal] [--size 1920x1080]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from simulator.app.records import StoreRecords
from simulator.app.screens.classroom import StartClassScreen, VoteScreen
from simulator.app.screens.form import FormScreen
from simulator.app.screens.fto_home import StaffHomeScreen
from simulator.app.screens.library import LibraryScreen
from simulator.app.screens.projector import ProjectorScreen
from simulator.app.screens.signin import SignInScreen
from tests.app.driver import Driver

PASSWORD = "class-tour-pass-1"
TRAINEES = (
    ("alice", "Alice Nguyen"),
    ("cara", "Cara Lindqvist"),
    ("dev", "Dev Okonkwo"),
    ("emil", "Emil Sorensen"),
    ("fatima", "Fatima Haddad"),
    ("gus", "Gus Moreno"),
    ("hana", "Hana Kowalczyk"),
    ("ivo", "Ivo Petrov"),
)


def seed(records: StoreRecords) -> None:
    """Instructor Inés Varga teaches Class 26-1 of eight trainees."""
    store = records.store
    admin = store.add_person(
        None, "rae", role="admin", display_name="Rae Okafor", password=PASSWORD
    )
    store.add_person(admin, "ines", role="instructor", display_name="Inés Varga", password=PASSWORD)
    store.add_cohort(admin, "Class 26-1")
    store.enrol(admin, "Class 26-1", "ines", role="instructor")
    for username, name in TRAINEES:
        store.add_person(admin, username, display_name=name)
        store.enrol(admin, "Class 26-1", username)


def until(d: Driver, check: Callable[[], bool], what: str, frames: int = 600) -> None:
    """Step frames until ``check`` holds (the follower reads in the background)."""
    for _ in range(frames):
        if check():
            return
        d.frames(1)
        import time

        time.sleep(0.005)
    raise AssertionError(f"the screen never showed {what}")


def sign_in_as(d: Driver, name: str, password: str | None) -> None:
    d.app.reset(SignInScreen(d.app))
    d.frames(2)
    d.tab_to(f"Sign in as {name}")
    d.key("RETURN")
    if password is not None:
        assert isinstance(d.top, FormScreen), type(d.top).__name__
        d.type(password)
        d.key("RETURN")


def projector_tour(d: Driver, scenario_title: str) -> Iterator[str]:
    store = d.app.records.store  # type: ignore[attr-defined]
    sign_in_as(d, "Inés Varga", PASSWORD)
    assert isinstance(d.top, StaffHomeScreen), type(d.top).__name__
    d.tab_to("Class session")
    d.key("RETURN")
    assert isinstance(d.top, StartClassScreen), type(d.top).__name__
    yield "class-start"
    d.tab_to(f"Start {scenario_title} with Class 26-1")
    d.key("RETURN")
    projector = d.top
    assert isinstance(projector, ProjectorScreen), type(projector).__name__
    yield "projector-decision"
    d.key("v")
    sid = projector.view.id
    voters = [store.person(u) for u, _ in TRAINEES]
    for who in voters[:5]:
        store.classes.join(who, sid)
    first = projector.view.current
    assert first is not None and first.state == "open"
    for i, who in enumerate(voters[:5]):
        store.classes.vote(who, sid, "A" if i % 3 else "B")
    until(
        d,
        lambda: projector.view.current is not None and projector.view.current.voters == 5,
        "five votes",
    )
    yield "projector-live-count"
    d.key("h")
    assert isinstance(d.top, FormScreen), type(d.top).__name__
    d.type("2")
    d.key("TAB")
    d.type("1")
    d.key("RETURN")
    assert d.top is projector
    d.key("c")
    until(
        d,
        lambda: projector.view.current is not None and projector.view.current.state == "closed",
        "the closed vote",
    )
    yield "projector-distribution"
    d.key("m")
    guard = 0
    while projector.view.current is not None and guard < 30:
        guard += 1
        d.key("c")
        d.key("1")
    yield "projector-ending"
    d.key("e")
    until(d, lambda: projector.view.status == "ended", "the debrief")
    yield "projector-debrief"


def workstation_tour(d: Driver, scenario_id: str) -> Iterator[str]:
    """Alice at her workstation while Inés has voting open on the first decision."""
    store = d.app.records.store  # type: ignore[attr-defined]
    ines = store.person("ines")
    view = store.classes.start(ines, "Class 26-1", scenario_id, seed=5)
    store.classes.open_voting(ines, view.id)
    sign_in_as(d, "Alice Nguyen", None)
    assert isinstance(d.top, LibraryScreen), type(d.top).__name__
    yield "library-join-class"
    d.tab_to("Join class session")
    d.key("RETURN")
    screen = d.top
    assert isinstance(screen, VoteScreen), type(screen).__name__
    yield "vote-open"
    d.key("b")
    until(d, lambda: 1 in screen.view.my_votes, "alice's vote")
    yield "vote-cast"
    store.classes.close_voting(ines, view.id)
    until(
        d,
        lambda: screen.view.current is not None and screen.view.current.state == "closed",
        "the closed vote",
    )
    yield "vote-closed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.app.class_tour")
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--theme", default="normal")
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--scenario", default="hv-plain-view-children")
    parser.add_argument("--part", choices=("projector", "workstation"), default="projector")
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="parolesim-class-tour-"))
    from simulator.app.main import App
    from simulator.app.records import open_records
    from simulator.app.settings import Settings
    from tests.app.tour import tour_catalog

    w, h = (int(v) for v in args.size.split("x"))
    records = open_records(str(base / "records.sqlite3"))
    seed(records)
    catalog = tour_catalog()
    title = next(sf.scenario.title for sf in catalog.scenarios if sf.scenario.id == args.scenario)
    app = App(
        records,
        catalog,
        settings=Settings(text_scale=args.scale, theme=args.theme),
        size=(w, h),
        config_dir=base / "config",
    )
    app.start()
    app.run_frames(2)
    import pygame

    print(f"driver: {pygame.display.get_driver()}", flush=True)
    tag = f"{args.scale}-{args.theme}"
    d = Driver(app)
    steps = (
        projector_tour(d, title) if args.part == "projector" else workstation_tour(d, args.scenario)
    )
    for i, name in enumerate(steps, 1):
        app.run_frames(2)
        print(app.screenshot(f"{i:02d}-{name}-{tag}", args.out), flush=True)
    records.store.close()
    os._exit(0)  # the followers' threads are daemons; leave without waiting on them


if __name__ == "__main__":
    sys.exit(main())
