"""Drive the real app frame by frame with posted key events, as a trainee at the keyboard."""

from __future__ import annotations

import pygame

from simulator.app.main import App
from simulator.app.screens.base import Screen
from simulator.app.script import key_event


class Driver:
    def __init__(self, app: App) -> None:
        self.app = app

    def key(self, name: str, *, mod: int = 0, frames: int = 2) -> None:
        down = key_event(name)
        down.mod = mod
        pygame.event.post(down)
        pygame.event.post(key_event(name, down=False))
        self.app.run_frames(frames)
        self.app.settle()

    def keys(self, *names: str) -> None:
        for name in names:
            self.key(name)

    def type(self, text: str) -> None:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
        self.app.run_frames(2)

    def frames(self, n: int, dt: float = 1 / 60) -> None:
        self.app.run_frames(n, dt)
        self.app.settle()

    @property
    def top(self) -> Screen:
        return self.app.top

    @property
    def focused(self) -> str:
        cur = self.app.top.focus.current
        return cur.name if cur is not None else ""

    def tab_to(self, name: str, limit: int = 40) -> None:
        """Press Tab until the focus is on ``name`` (fails after ``limit`` presses)."""
        for _ in range(limit):
            if self.focused == name:
                return
            self.key("TAB")
        raise AssertionError(f"Tab never reached {name!r}; focus is on {self.focused!r}")

    def create_profile(self, name: str, password: str = "") -> None:
        """From the sign-in screen: New profile, type the name (and password), create."""
        self.tab_to("New profile")
        self.key("RETURN")
        self.type(name)
        if password:
            self.key("TAB")
            self.type(password)
        self.key("RETURN")
        self.frames(2)

    def play_to_end(self, limit: int = 200) -> int:
        """Press 1 at every decision until the scenario ends; returns how many presses."""
        run = self.app.run
        assert run is not None, "no run in progress"
        for n in range(limit):
            if run.session.ended:
                return n
            self.key("1")
        raise AssertionError("the scenario did not end by always taking choice 1")
