"""Dialogs over the current screen: a box whose content scrolls when it does not fit.

A dialog lays its content out top to bottom on a page (text, rows of buttons, labelled
text fields); the box grows to fit the page up to the window, and beyond that the page
scrolls to keep the focused control in view. At any text size nothing is cut off.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pygame
from pygame_gui.elements import UITextEntryLine

from simulator.app.focus import Focusable
from simulator.app.screens.base import Screen, ScrollPage

Action = Callable[[], None]


class DialogScreen(Screen):
    overlay = True
    _y: int = 0  # the layout cursor, in page coordinates
    _inner: int = 0  # the content width

    def content(self, inner: int) -> None:
        """Lay out the dialog with ``add_text``, ``add_buttons`` and ``add_field``."""

    # ------------------------------------------------------------ building blocks
    def add_text(
        self, text: str, style: str = "body", colour: str = "text", gap: float = 0.6
    ) -> None:
        th = self.theme
        surf = self.app.text.paragraph(th.font(style), text, th.colour(colour), self._inner)
        self._pieces.append((surf, self._y))
        self._said.append(text)
        self._y += surf.get_height() + th.px(gap)

    def add_buttons(
        self,
        buttons: list[tuple[str, Action, bool]],
        *,
        vertical: bool = False,
        right: bool = True,
    ) -> None:
        th = self.theme
        bh = self.button_height()
        widths = [
            self._inner if vertical else min(self._inner, self.button_width(t))
            for t, _, _ in buttons
        ]
        rects, bottom = self.flow(widths, 0, self._inner, self._y, bh)
        if right and not vertical:  # right-align each row, as dialogs usually are
            rows: dict[int, list[pygame.Rect]] = {}
            for r in rects:
                rows.setdefault(r.y, []).append(r)
            for row in rows.values():
                shift = self._inner - row[-1].right
                for r in row:
                    r.x += shift
        for rect, (text, action, primary) in zip(rects, buttons, strict=True):
            button, stop = self.button(rect, text, action, primary=primary)
            self._add(button, rect, stop)
        self._y = bottom + th.px(0.6)

    def add_field(
        self, label: str, *, text: str = "", hidden: bool = False, on_enter: Action | None = None
    ) -> UITextEntryLine:
        th = self.theme
        self.add_text(label, "bold", gap=0.2)
        rect = pygame.Rect(0, self._y, self._inner, self.button_height())
        entry, stop = self.entry(rect, label, text=text, hidden=hidden, on_enter=on_enter)
        self._add(entry, rect, stop)
        self._y = rect.bottom + th.px(0.6)
        return entry

    def _add(self, element: object, rect: pygame.Rect, stop: Focusable) -> None:
        self.page.add(element, rect)  # type: ignore[arg-type]
        stop.on_focus = partial(self.page.reveal, rect)
        stop.clip = lambda: self.page.viewport
        self._stops.append(stop)

    # ------------------------------------------------------------ layout and drawing
    def box_width(self) -> int:
        th = self.theme
        w = self.size[0]
        return min(w - th.px(1), max(th.px(24), w * 3 // 5))

    def build(self) -> None:
        th = self.theme
        w, h = self.size
        pad = th.px(1.2)
        box_w = self.box_width()
        self._inner = box_w - 2 * pad
        self._pieces: list[tuple[pygame.Surface, int]] = []
        self._said: list[str] = []
        self._stops: list[Focusable] = []
        self._y = 0
        self.page = ScrollPage(pygame.Rect(0, 0, self._inner, 1))
        self.content(self._inner)
        page_h = max(1, self._y - th.px(0.6))
        margin = th.px(0.5)
        box_h = min(page_h + 2 * pad, h - 2 * margin)
        self.box = pygame.Rect((w - box_w) // 2, (h - box_h) // 2, box_w, box_h)
        self.page.viewport = pygame.Rect(
            self.box.x + pad, self.box.y + pad, self._inner, box_h - 2 * pad
        )
        self.page.height = page_h
        self.page.place()
        self.focus.set(self._stops)

    def read_aloud(self) -> str:
        """The dialog's words (title, note, field labels) and what has the focus."""
        cur = self.focus.current
        said = " ".join(t.rstrip(".") + "." for t in self._said if t)
        return said + (f" Focused: {cur.name}." if cur is not None else "")

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEWHEEL:
            self.page.scroll(-event.y * self.theme.px(2))
            return True
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            step = self.page.viewport.height * 3 // 4
            self.page.scroll(-step if event.key == pygame.K_PAGEUP else step)
            return True
        return super().handle(event)

    def overlay_area(self, window: pygame.Rect) -> pygame.Rect:
        """The box, with room for a focus ring around a control at its edge."""
        ring = 2 * max(3, self.theme.px(0.18)) + 8
        return self.box.inflate(ring, ring).clip(window)

    def draw(self, surface: pygame.Surface) -> None:
        th = self.theme
        radius = th.px(0.4)
        pygame.draw.rect(surface, th.colour("surface"), self.box, border_radius=radius)
        pygame.draw.rect(surface, th.colour("border"), self.box, 3, border_radius=radius)
        view = self.page.viewport
        old = surface.get_clip()
        surface.set_clip(view)
        for surf, y in self._pieces:
            surface.blit(surf, (view.x, view.y + y - self.page.offset))
        surface.set_clip(old)
        if self.page.height > view.height:  # say there is more, not by colour alone
            more = self.page.offset + view.height < self.page.height
            text = "More below: Page Down or Tab" if more else "Top: Page Up"
            hint = th.font("small").render(text, True, th.colour("muted"))
            surface.blit(
                hint,
                (
                    self.box.right - hint.get_width() - th.px(0.6),
                    self.box.bottom - hint.get_height() - 2,
                ),
            )
