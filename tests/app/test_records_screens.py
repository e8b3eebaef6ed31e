"""Passwords at sign-in, the progress screen and the exported HTML report."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.app.main import App
from simulator.app.screens.debrief import DebriefScreen
from simulator.app.screens.form import FormScreen
from simulator.app.screens.library import LibraryScreen
from simulator.app.screens.progress import ProgressScreen
from simulator.app.screens.signin import SignInScreen
from tests.app.driver import Driver
from tests.app.test_flow import open_minimal


def test_a_profile_with_a_password_asks_for_it_and_refuses_a_wrong_one(
    drive: Driver, app: App
) -> None:
    drive.create_profile("Robin Sato", password="lantern-harbour-42")
    assert isinstance(drive.top, LibraryScreen)
    drive.tab_to("Sign out")
    drive.key("RETURN")
    assert isinstance(drive.top, SignInScreen)
    assert drive.focused == "Sign in as Robin Sato"
    drive.key("RETURN")
    form = drive.top
    assert isinstance(form, FormScreen) and drive.focused == "Password"
    drive.type("wrong-guess")
    drive.key("RETURN")
    assert drive.top is form and "does not match" in form.error
    assert app.profile is None
    assert form.entries[0].get_text() == ""  # the refused password is cleared
    drive.type("lantern-harbour-42")
    drive.key("RETURN")
    assert isinstance(drive.top, LibraryScreen)
    assert app.profile is not None and app.profile.display_name == "Robin Sato"


def finish_minimal(drive: Driver) -> DebriefScreen:
    open_minimal(drive)
    drive.key("RETURN")
    drive.play_to_end()
    drive.key("RETURN")
    debrief = drive.top
    assert isinstance(debrief, DebriefScreen)
    return debrief


def test_progress_lists_attempts_and_draws_the_competency_trend(drive: Driver) -> None:
    drive.create_profile("Alex Kim")
    debrief = finish_minimal(drive)
    drive.tab_to("Progress")
    drive.key("RETURN")
    progress = drive.top
    assert isinstance(progress, ProgressScreen) and progress.summary is not None
    (attempt,) = progress.summary.attempts
    assert attempt.status == "completed" and attempt.overall == debrief.report["overall"]
    names = [b.name for b in progress.doc.blocks]
    said = progress.doc.spoken()
    observed = [c for c in debrief.report["competencies"] if c.get("score") is not None]
    # one week of data: this week's score per competency, not a trend of single points
    assert "competency trend chart" not in names
    for c in observed:
        assert f"{c['title']}: " in said
    assert ("Competencies, week of" in said) == bool(observed)
    assert ("once you have practised in a second week" in said) == bool(observed)
    assert any(n.startswith("Open the debrief of Minimal fixture") for n in names)


def test_the_debrief_exports_the_html_report_and_says_where(
    drive: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAROLESIM_REPORTS_DIR", str(tmp_path / "reports"))
    drive.create_profile("Morgan Diaz")
    debrief = finish_minimal(drive)
    drive.tab_to("Export report")
    drive.key("RETURN")
    (report,) = (tmp_path / "reports").glob("*.html")
    assert debrief.message == f"Report saved to {report}"
    html = report.read_text()
    assert "<html" in html.lower() and "Minimal fixture" in html
