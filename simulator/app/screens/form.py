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

from simulator.app.focus import Focusable
from simulator.app.screens.base import Screen

if TYPE_CHECKING:
    from simulator.app.main import App

Field = tuple[str, bool]  # label, hidden (a password)


class FormScreen(Screen):
    overlay = True

    def __init__(
        self,
        app: App,
        title: str,
        note: str,
        fields: list[Field],
        submit: str,
        on_submit: Callable[[list[str]], str | Callable[[], None]],
    ) -> None:
        super().__init__(app)
        self.title_text = title
        self.note = note
        self.fields = fields
        self.submit_text = submit
        self.on_submit = on_submit
        self.values = ["" for _ in fields]
        self.error = ""
        self.entries: list[UITextEntryLine] = []

    def build(self) -> None:
        th = self.theme
        w, h = self.size
        bw_total = min(w - th.px(2), max(th.px(26), w // 2))
        inner = bw_total - th.px(3)
        bh = self.button_height()
        self.pieces: list[tuple[pygame.Surface, int]] = []
        y = th.px(1.5)
        title = self.app.text.paragraph(
            th.font("heading"), self.title_text, th.colour("text"), inner
        )
        self.pieces.append((title, y))
        y += title.get_height() + th.px(0.4)
        if self.note:
            note = self.app.text.paragraph(th.font("body"), self.note, th.colour("text"), inner)
            self.pieces.append((note, y))
            y += note.get_height() + th.px(0.8)
        field_ys = []
        for label, _ in self.fields:
            ls = th.font("bold").render(label, True, th.colour("text"))
            self.pieces.append((ls, y))
            y += ls.get_height() + th.px(0.2)
            field_ys.append(y)
            y += bh + th.px(0.6)
        self.error_y = y
        if self.error:
            es = self.app.text.paragraph(th.font("bold"), self.error, th.colour("bad"), inner)
            self.pieces.append((es, y))
            y += es.get_height() + th.px(0.6)
        buttons_y = y
        y += bh + th.px(1.2)
        box_h = min(y, h - th.px(1))
        self.box = pygame.Rect(
            (w - bw_total) // 2, max(th.px(0.5), (h - box_h) // 2), bw_total, box_h
        )
        x0 = self.box.x + th.px(1.5)
        stops: list[Focusable] = []
        self.entries = []
        for i, ((label, hidden), fy) in enumerate(zip(self.fields, field_ys, strict=True)):
            e, f = self.entry(
                pygame.Rect(x0, self.box.y + fy, inner, bh),
                label,
                text=self.values[i],
                hidden=hidden,
                on_enter=self.submit,
            )
            self.entries.append(e)
            stops.append(f)
        x = x0
        for text, action, primary in (
            (self.submit_text, self.submit, True),
            ("Cancel", self.app.pop, False),
        ):
            bw = self.button_width(text)
            _, f = self.button(
                pygame.Rect(x, self.box.y + buttons_y, bw, bh), text, action, primary=primary
            )
            stops.append(f)
            x += bw + th.px(0.6)
        self.focus.set(stops)

    def submit(self) -> None:
        self.values = [e.get_text() for e in self.entries]
        result = self.on_submit(self.values)
        if callable(result):
            if self.app.top is self:
                self.app.pop()
            result()
            return
        self.error = result
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

    def draw(self, surface: pygame.Surface) -> None:
        th = self.theme
        radius = th.px(0.4)
        pygame.draw.rect(surface, th.colour("surface"), self.box, border_radius=radius)
        pygame.draw.rect(surface, th.colour("border"), self.box, 3, border_radius=radius)
        for surf, y in self.pieces:
            surface.blit(surf, (self.box.x + th.px(1.5), self.box.y + y))
