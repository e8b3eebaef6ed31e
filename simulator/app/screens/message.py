"""A dialog over the current screen: a title, a message and one or more buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from simulator.app.screens.base import Screen

if TYPE_CHECKING:
    from simulator.app.main import App

Choice = tuple[str, Callable[[], None]]


class MessageScreen(Screen):
    """A modal box. Each button closes it and then runs its action; Esc takes the button
    at index ``escape`` (the last one unless said otherwise)."""

    overlay = True

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
        self.box = pygame.Rect(0, 0, 0, 0)

    def build(self) -> None:
        th = self.theme
        w, h = self.size
        box_w = min(w - th.px(2), max(th.px(24), w * 3 // 5))
        inner = box_w - th.px(3)
        self.title_surf = self.app.text.paragraph(
            th.font("heading"), self.title_text, th.colour("text"), inner
        )
        self.body_surf = self.app.text.paragraph(
            th.font("body"), self.message, th.colour("text"), inner
        )
        bh = self.button_height()
        gap = th.px(0.6)
        widths = [
            inner if self.vertical else min(inner, self.button_width(t)) for t, _ in self.choices
        ]
        rows: list[list[int]] = [[]]
        row_w = 0
        for i, bw in enumerate(widths):
            if rows[-1] and row_w + gap + bw > inner:
                rows.append([])
                row_w = 0
            rows[-1].append(i)
            row_w += bw + gap
        box_h = (
            th.px(1.5)
            + self.title_surf.get_height()
            + th.px(0.6)
            + self.body_surf.get_height()
            + th.px(1.2)
            + len(rows) * (bh + gap)
            + th.px(0.8)
        )
        box_h = min(box_h, h - th.px(1))
        self.box = pygame.Rect((w - box_w) // 2, (h - box_h) // 2, box_w, box_h)
        y = self.box.bottom - th.px(0.8) - len(rows) * (bh + gap) + gap
        stops = []
        for row in rows:
            total = sum(widths[i] for i in row) + gap * (len(row) - 1)
            x = self.box.right - th.px(1.5) - total
            for i in row:
                text, action = self.choices[i]
                _, f = self.button(
                    pygame.Rect(x, y, widths[i], bh), text, self._closing(action), primary=i == 0
                )
                stops.append(f)
                x += widths[i] + gap
            y += bh + gap
        self.focus.set(stops)
        self.app.announce(f"{self.title_text}. {self.message}")

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

    def draw(self, surface: pygame.Surface) -> None:
        th = self.theme
        radius = th.px(0.4)
        pygame.draw.rect(surface, th.colour("surface"), self.box, border_radius=radius)
        pygame.draw.rect(surface, th.colour("border"), self.box, 3, border_radius=radius)
        x = self.box.x + th.px(1.5)
        y = self.box.y + th.px(1.5)
        surface.blit(self.title_surf, (x, y))
        y += self.title_surf.get_height() + th.px(0.6)
        surface.blit(self.body_surf, (x, y))
