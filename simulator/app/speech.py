"""Optional read-aloud through espeak-ng, run in a subprocess so the frame loop never waits.

Off by default and never required: when espeak-ng is not installed the setting says so
and nothing else changes. A new utterance interrupts the one still playing, the way a
screen reader does when focus moves.
"""

from __future__ import annotations

import shutil
import subprocess

MAX_CHARS = 40_000  # a whole debrief; a new utterance interrupts it


class Speech:
    """Speaks text when enabled and espeak-ng is available."""

    def __init__(self, enabled: bool = False, *, program: str | None = None) -> None:
        self.program = program if program is not None else shutil.which("espeak-ng")
        self.enabled = enabled
        self._proc: subprocess.Popen[bytes] | None = None
        self._stopping: list[subprocess.Popen[bytes]] = []
        self.spoken: list[str] = []  # what was sent, newest last (kept short; tests read it)

    @property
    def available(self) -> bool:
        return self.program is not None

    def say(self, text: str) -> bool:
        """Start speaking ``text`` (interrupting); False when disabled or unavailable."""
        text = " ".join(text.split())[:MAX_CHARS]
        if not (self.enabled and self.available and text):
            return False
        self.stop()
        assert self.program is not None
        try:
            self._proc = subprocess.Popen(
                [self.program, "--stdin", "-s", "165"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            assert self._proc.stdin is not None
            self._proc.stdin.write(text.encode("utf-8"))
            self._proc.stdin.close()
        except OSError:
            self._proc = None
            return False
        self.spoken = [*self.spoken[-19:], text]
        return True

    def busy(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        """Interrupt the current utterance; never waits (stopped processes are reaped later)."""
        proc = self._proc
        self._proc = None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            self._stopping.append(proc)
        self._stopping = [p for p in self._stopping if p.poll() is None]
