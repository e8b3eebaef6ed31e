"""Scripted input for driving the real app in a subprocess (tests of crash and resume).

``PAROLESIM_APP_SCRIPT`` names a text file with one command per line:

    key RETURN        a key press and release (pygame key name after K_, e.g. 1, TAB, F11)
    text Alex Doe     typed text (as a text-input event)
    frames 30         let 30 frames pass
    until NAME        wait (up to 20 s) until the top screen's class name is NAME
    mark LABEL        print "MARK LABEL" on stdout (a test waits for it)
    shot NAME         save a screenshot NAME.png (with PAROLESIM_SCREENSHOT_DIR)
    quit              close the app as the window's close button would

Blank lines and lines starting with # are ignored. After the last line the app keeps
running until it is closed (or killed).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:
    from simulator.app.main import App

ENV = "PAROLESIM_APP_SCRIPT"
UNTIL_TIMEOUT = 20.0


class ScriptError(Exception):
    pass


def key_event(name: str, down: bool = True) -> pygame.event.Event:
    code = getattr(pygame, f"K_{name}", None)
    if code is None:
        raise ScriptError(f"unknown key {name!r}: use a pygame key name such as RETURN or 1")
    kind = pygame.KEYDOWN if down else pygame.KEYUP
    return pygame.event.Event(kind, key=code, mod=0, unicode="", scancode=0)


class Script:
    def __init__(self, lines: list[str]) -> None:
        self.commands = [
            ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")
        ]
        self.pos = 0
        self.wait = 0
        self.until_started: float | None = None

    @classmethod
    def from_env(cls) -> Script | None:
        path = os.environ.get(ENV)
        if not path:
            return None
        return cls(Path(path).read_text(encoding="utf-8").splitlines())

    def events(self, app: App) -> list[pygame.event.Event]:
        """This frame's events: the real queue plus the script's next command."""
        out = pygame.event.get()
        if self.wait > 0:
            self.wait -= 1
            return out
        if self.pos >= len(self.commands):
            return out
        verb, _, arg = self.commands[self.pos].partition(" ")
        if verb == "until":
            if type(app.top).__name__ != arg:
                now = time.monotonic()
                self.until_started = self.until_started or now
                if now - self.until_started > UNTIL_TIMEOUT:
                    raise ScriptError(
                        f"the screen {arg} did not appear (still {type(app.top).__name__})"
                    )
                return out
            self.until_started = None
        self.pos += 1
        if verb == "key":
            out += [key_event(arg), key_event(arg, down=False)]
        elif verb == "text":
            out.append(pygame.event.Event(pygame.TEXTINPUT, text=arg))
        elif verb == "frames":
            self.wait = int(arg)
        elif verb == "mark":
            sys.stdout.write(f"MARK {arg}\n")
            sys.stdout.flush()
        elif verb == "shot":
            app.screenshot(arg)
        elif verb == "quit":
            out.append(pygame.event.Event(pygame.QUIT))
        elif verb != "until":
            raise ScriptError(f"unknown script command {verb!r} (line {self.pos})")
        return out
