"""Read-aloud carries the teaching, not only focus names: screen titles, form labels, the
briefing, the case file and the whole debrief are spoken, in the words the screen shows."""

from __future__ import annotations

import stat
from pathlib import Path

from simulator.app.main import App
from simulator.app.screens.debrief import DebriefScreen
from simulator.app.speech import Speech
from tests.app.driver import Driver
from tests.app.test_flow import open_minimal


def listening(app: App, tmp_path: Path) -> Speech:
    """Read-aloud on, with a voice that takes the words and says nothing."""
    voice = tmp_path / "voice"
    voice.write_text("#!/bin/sh\ncat > /dev/null\n")
    voice.chmod(voice.stat().st_mode | stat.S_IEXEC)
    app.settings.read_aloud = True  # signing in applies the saved settings
    app.speech = Speech(enabled=True, program=str(voice))
    return app.speech


def heard(speech: Speech) -> str:
    return "\n".join(speech.spoken)


def test_read_aloud_speaks_forms_briefing_case_file_play_and_the_whole_debrief(
    drive: Driver, app: App, tmp_path: Path
) -> None:
    speech = listening(app, tmp_path)
    drive.tab_to("New profile")
    drive.key("RETURN")
    assert "New trainee profile." in heard(speech) and "Your name." in heard(speech)
    assert "Password (optional)." in heard(speech)
    drive.type("Dana Reyes")
    drive.key("RETURN")
    drive.frames(2)
    open_minimal(drive)
    briefing = heard(speech).split("Briefing: Minimal fixture.")[-1]
    assert "Learning objectives" in briefing
    assert "Case file, " in briefing
    assert len(briefing.split("Case file, ", 1)[1]) > 80  # the tab read in full
    drive.key("RETURN")  # start practice
    drive.key("c")
    assert speech.spoken[-1].startswith("Case file, ")
    assert len(speech.spoken[-1]) > 80  # the tab's content, not just its name
    drive.key("ESCAPE")
    drive.play_to_end()
    assert "You says" not in heard(speech)
    drive.tab_to("See your debrief")
    drive.key("RETURN")
    assert isinstance(drive.top, DebriefScreen)
    debrief = speech.spoken[-1]
    report = drive.top.report
    assert debrief.startswith("Debrief: Minimal fixture.")
    assert f"Score {float(report['overall']):.0f} out of 100" in debrief
    assert ("NOT PASSED" if not report["passed"] else "PASSED") in debrief
    first = report["decisions"][0]
    assert "Decision 1: " in debrief and str(first["text"]) in debrief
    if first.get("policy"):
        assert f"Policy: {first['policy']['id']}" in debrief
    if first.get("better_choice"):
        assert "Better choice:" in debrief
    assert "out of 100" in debrief.split("Competencies", 1)[-1]


def test_the_officers_own_words_are_read_as_you_said() -> None:
    from engine.compile import compile_scenario
    from engine.library import find
    from engine.session import Session, TranscriptLine
    from simulator.app.screens.play_parts import spoken

    session = Session.start(
        compile_scenario(
            find(str(Path(__file__).parent.parent / "fixtures/scenarios/minimal.yaml"))
        ),
        1,
    )
    lines = [
        TranscriptLine("officer", "I'm here for the home visit.", "door", "officer"),
        TranscriptLine("client", "Come in.", "door"),
    ]
    said = spoken(session, lines)
    assert "You said: I'm here for the home visit." in said
    assert "Sam Ortega says: Come in." in said
    assert "You says" not in said
