"""A message over the current screen: a title, some text and one or more buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from simulator.app.screens.dialog import DialogScreen

if TYPE_CHECKING:
    from simulator.app.main import App

Choice = tuple[str, Callable[[], None]]


class MessageScreen(DialogScreen):
    """Each button closes the message and then runs its action; Esc takes the button at
    index ``escape`` (the last one unless said otherwise)."""

    def __init__(
        self,
        app: App,
        title: str,
        message: str,
        buttons: list[Choice] | None = None,
        *,
        vertical: bool = False,
        escape: int = -1,
    ) -> None:
        super().__init__(app)
        self.vertical = vertical
        self.escape = escape
        self.title_text = title
        self.message = message
        self.choices: list[Choice] = buttons or [("OK", lambda: None)]

    def content(self, inner: int) -> None:
        self.add_text(self.title_text, "heading", gap=0.4)
        self.add_text(self.message, gap=1.0)
        self.add_buttons(
            [
                (text, self._closing(action), i == 0)
                for i, (text, action) in enumerate(self.choices)
            ],
            vertical=self.vertical,
        )

    def _closing(self, action: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            if self.app.stack and self.app.top is self:
                self.app.pop()
            action()

        return run

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.defer(self._closing(self.choices[self.escape][1]))
            return True
        return super().handle(event)
