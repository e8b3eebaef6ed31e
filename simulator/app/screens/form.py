"""A small form over the current screen: labelled text fields, a submit and a cancel.

Used for creating a profile and for a profile's password. The submit callback returns
either an error message to show under the fields, or what to do once the form closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UITextEntryLine

from simulator.app.screens.dialog import DialogScreen

if TYPE_CHECKING:
    from simulator.app.main import App

Field = tuple[str, bool]  # label, hidden (a password)


class FormScreen(DialogScreen):
    def __init__(
        self,
        app: App,
        title: str,
        note: str,
        fields: list[Field],
        submit: str,
        on_submit: Callable[[list[str]], str | Callable[[], None]],
        busy: str = "Working…",
    ) -> None:
        super().__init__(app)
        self.title_text = title
        self.note = note
        self.fields = fields
        self.submit_text = submit
        self.on_submit = on_submit
        self.busy = busy
        self.values = ["" for _ in fields]
        self.error = ""
        self.entries: list[UITextEntryLine] = []

    def content(self, inner: int) -> None:
        self.add_text(self.title_text, "heading", gap=0.4)
        if self.note:
            self.add_text(self.note, gap=0.8)
        self.entries = [
            self.add_field(label, text=self.values[i], hidden=hidden, on_enter=self.submit)
            for i, (label, hidden) in enumerate(self.fields)
        ]
        if self.error:
            self.add_text(self.error, "bold", "bad")
        self.add_buttons(
            [(self.submit_text, self.submit, True), ("Cancel", self.app.pop, False)], right=False
        )

    def submit(self) -> None:
        """Check the values off the frame loop (a password hash takes most of a second),
        then close and carry on, or show what is wrong."""
        self.values = [e.get_text() for e in self.entries]
        values = list(self.values)
        self.app.work(self.busy, lambda: self.on_submit(values), self._submitted)

    def _submitted(self, result: str | Callable[[], None]) -> None:
        if callable(result):
            if self.app.top is self:
                self.app.pop()
            result()
            return
        self.error = result
        # a refused password is cleared, so the next try starts from an empty field
        self.values = [
            "" if hidden else v for v, (_, hidden) in zip(self.values, self.fields, strict=True)
        ]
        self.rebuild()
        self.app.announce(result)

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_TEXT_ENTRY_CHANGED:
            self.values = [e.get_text() for e in self.entries]
            return False
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.defer(self.app.pop)
            return True
        return super().handle(event)
