"""The teaching reaches the terminal: ``play --text`` ends with the app's debrief, wrapped to
the terminal, with the accessibility timing applied and recorded; ``attempts show`` prints
a recorded attempt's debrief as text or HTML."""

from __future__ import annotations

import io
import json
from pathlib import Path

from engine.compile import compile_scenario
from engine.library import find
from engine.session import Session
from simulator.textplay import play_text
from tests.clirun import cli

MINIMAL = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "minimal.yaml"


def test_text_play_ends_with_the_full_debrief_wrapped_to_the_width() -> None:
    out = io.StringIO()
    code = play_text(find(str(MINIMAL)), seed=3, out=out, inp=io.StringIO("1\n" * 10), width=52)
    text = out.getvalue()
    assert code == 0
    debrief = text[text.index("DEBRIEF: Minimal fixture") :]
    assert "RESULT: " in debrief and "/ 100 (pass mark" in debrief
    assert 'You chose: "Knock and announce yourself."' in debrief
    assert "Cited: " in debrief and "Why: " in debrief
    assert "COMPETENCIES" in debrief
    too_wide = [line for line in text.splitlines() if len(line) > 52]
    assert too_wide == []


def test_timer_off_and_extra_time_change_the_limit_and_survive_replay() -> None:
    compiled = compile_scenario(find(str(MINIMAL)))
    standard = Session.start(compiled, 1)
    assert standard.timeout_seconds == 15
    assert "timing" not in standard.events[0].data  # logs of standard timing are unchanged
    double = Session.start(compiled, 1, extra_time=2.0)
    assert double.timeout_seconds == 30
    off = Session.start(compiled, 1, extra_time=None)
    assert off.timeout_seconds is None
    assert off.events[0].data["timing"] == {"timer": "off"}
    from engine.session import replay

    again = replay(compiled, json.loads(json.dumps(off.to_log())))
    assert again.extra_time is None and again.timeout_seconds is None


def test_a_recorded_text_attempt_shows_its_debrief_and_its_timing(tmp_path: Path) -> None:
    db = str(tmp_path / "records.sqlite3")
    assert cli("--db", db, "users", "add", "alice", "--no-password").returncode == 0
    played = cli(
        "--db", db, "play", "--text", str(MINIMAL), "--seed", "3", "--trainee", "alice",
        "--extra-time", "off", stdin="1\n" * 10,
    )  # fmt: skip
    assert played.returncode == 0, played.stderr
    assert "no timer on timed decisions" in played.stdout
    assert "DEBRIEF: Minimal fixture" in played.stdout
    shown = cli("--db", db, "attempts", "show", "1", "--user", "alice", "--width", "60")
    assert shown.returncode == 0, shown.stderr
    assert "Timing: the timer was off on timed decisions" in shown.stdout
    assert "DEBRIEF: Minimal fixture" in shown.stdout and "Cited: " in shown.stdout
    assert max(len(line) for line in shown.stdout.splitlines()) <= 60
    page = cli("--db", db, "attempts", "show", "1", "--user", "alice", "--format", "html")
    assert page.returncode == 0 and page.stdout.lstrip().lower().startswith("<!doctype html")
    missing = cli("--db", db, "attempts", "show", "9", "--user", "alice")
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert "9" in missing.stderr
