"""Killing the app mid-attempt loses nothing: the next start offers to resume it."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pygame

from simulator.app.main import App
from simulator.app.records import StoreRecords, open_records
from simulator.app.screens.briefing import BriefingScreen
from simulator.app.screens.library import LibraryScreen
from simulator.app.screens.message import MessageScreen
from simulator.app.screens.play import PlayScreen
from simulator.app.services import Catalog
from tests.app.conftest import FIXTURE_SCENARIOS
from tests.app.driver import Driver

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = """
until SignInScreen
key RETURN
until LibraryScreen
key SLASH
text Minimal
key DOWN
key RETURN
until BriefingScreen
key RETURN
until PlayScreen
frames 3
key 1
frames 3
mark chose
"""


def wait_for_mark(proc: subprocess.Popen[str], mark: str, timeout: float = 60.0) -> None:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
            seen.append(line)
            if line.strip() == f"MARK {mark}":
                return
    proc.kill()
    err = proc.stderr.read() if proc.stderr else ""
    raise AssertionError(f"the app never reached {mark!r}; stdout {seen!r}; stderr {err[-2000:]}")


def test_an_attempt_killed_mid_run_is_offered_for_resume_and_continues(tmp_path: Path) -> None:
    db = tmp_path / "records.sqlite3"
    records = open_records(str(db))
    records.create_profile("Pat Quinn", None)
    records.store.close()
    script = tmp_path / "script.txt"
    script.write_text(SCRIPT)
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT),
        SDL_VIDEODRIVER="dummy",
        SDL_AUDIODRIVER="dummy",
        PAROLESIM_APP_SCRIPT=str(script),
        PAROLESIM_SCENARIOS=str(FIXTURE_SCENARIOS),
        PAROLESIM_CONFIG_DIR=str(tmp_path / "config"),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--db", str(db)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_mark(proc, "chose")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    records = open_records(str(db))
    profile = records.profiles()[0]
    me = records.sign_in(profile, None)
    (killed,) = records.attempts(me)
    assert killed.status == "in_progress"
    logged = records.log(me, killed.id)["events"]
    chosen = [e["choice"] for e in logged if e["type"] == "chose"]
    assert len(chosen) == 1 and chosen[0] in ("knock", "wait")  # the first shown this attempt

    app = App(records, Catalog(FIXTURE_SCENARIOS), config_dir=tmp_path / "config")
    try:
        app.start()
        app.run_frames(2)
        drive = Driver(app)
        drive.key("RETURN")  # sign in as Pat Quinn
        offer = drive.top
        assert isinstance(offer, MessageScreen)
        assert "Minimal fixture" in offer.message
        assert drive.focused == "Resume it"
        drive.key("RETURN")
        assert isinstance(drive.top, PlayScreen)
        run = app.run
        assert run is not None and run.attempt.id == killed.id
        assert [d.choice for d in run.session.decisions] == chosen
        assert "You arrive at the door." in [line.text for line in run.session.transcript]
        drive.play_to_end()
        (done,) = records.attempts(me)
        assert done.id == killed.id and done.status == "completed"
    finally:
        pygame.quit()
        records.store.close()


def test_a_scenario_named_at_start_shows_its_briefing_under_the_offer_to_resume(
    records: StoreRecords, catalog: Catalog, tmp_path: Path
) -> None:
    me = records.sign_in(records.create_profile("Pat Quinn", None), None)
    unfinished = records.start_attempt(me, catalog.by_id("fixture-minimal"), 7, "practice")
    app = App(records, catalog, config_dir=tmp_path / "config")
    try:
        app.start("fixture-minimal")  # as `parolesim fixture-minimal`
        app.run_frames(2)
        drive = Driver(app)
        drive.key("RETURN")  # sign in as Pat Quinn
        # the library, the briefing (read off the frame loop) and the offer over both
        assert [type(s) for s in app.stack] == [LibraryScreen, BriefingScreen, MessageScreen]
        assert not app.busy
        briefing = app.stack[1]
        assert isinstance(briefing, BriefingScreen)
        assert [a.id for a in briefing.unfinished] == [unfinished.id]
        drive.tab_to("Not now")
        drive.key("RETURN")
        assert drive.top is briefing and drive.focused == "Resume where you left off"
    finally:
        pygame.quit()
