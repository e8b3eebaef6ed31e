"""Read-aloud through espeak-ng: off by default, never blocks the frame loop."""

from __future__ import annotations

import shutil
import stat
import time
from pathlib import Path

import pytest

from simulator.app.speech import Speech


def slow_speaker(tmp_path: Path) -> Path:
    """A stand-in for espeak-ng that records what it was given and takes its time."""
    script = tmp_path / "speaker"
    script.write_text(
        f'#!/bin/sh\ncat >> "{tmp_path}/said.txt"\necho >> "{tmp_path}/said.txt"\nexec sleep 30\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_speech_is_silent_when_disabled_or_when_espeak_is_missing() -> None:
    assert Speech(enabled=False).say("Hello") is False
    missing = Speech(enabled=True)
    missing.program = None
    assert not missing.available and missing.say("Hello") is False


def test_speaking_returns_while_the_voice_is_still_talking(tmp_path: Path) -> None:
    speech = Speech(enabled=True, program=str(slow_speaker(tmp_path)))
    assert speech.say("The scenario has ended.")
    assert speech.busy()  # say() came back while the speaker is still running
    first = speech._proc
    assert speech.say("Choice 1: knock and announce yourself.")
    assert first is not None and first.wait(timeout=5) is not None  # interrupted
    said = tmp_path / "said.txt"
    for _ in range(200):  # the new utterance reaches the voice (checked up to 10 s)
        if said.exists() and "Choice 1: knock and announce yourself." in said.read_text():
            break
        time.sleep(0.05)
    assert "Choice 1: knock and announce yourself." in said.read_text()
    assert speech.busy()
    speech.stop()
    assert not speech.busy()


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_ng_is_found_and_runs_when_installed() -> None:
    speech = Speech(enabled=True)
    assert speech.available
    assert speech.say("Read aloud is on.")
    assert speech._proc is not None and speech._proc.wait(timeout=20) is not None
