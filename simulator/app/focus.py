"""Keyboard focus: an ordered chain of things the trainee can reach with Tab and arrows.

pygame_gui buttons do not take keyboard focus, so each screen lists what can be focused
(buttons, text fields, choices, links inside a scrolled document) and the chain moves
between them, activates the focused one with Enter or Space and draws a ring around it
that shows in both themes (a thick bright band inside a dark outline).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pygame
from pygame_gui.elements import UITextEntryLine

from simulator.app.theme import Theme

Action = Callable[[], None]


@dataclass(eq=False)
class Focusable:
    """One focus stop. ``rect`` is where it is on screen now (it may scroll)."""

    name: str
    rect: Callable[[], pygame.Rect]
    activate: Action | None = None
    entry: UITextEntryLine | None = None  # takes typing while focused
    on_key: Callable[[pygame.event.Event], bool] | None = None
    on_focus: Action | None = None
    clip: Callable[[], pygame.Rect | None] = field(default=lambda: None)


class FocusChain:
    """The focus order of one screen and which stop is focused."""

    def __init__(self) -> None:
        self.items: list[Focusable] = []
        self.index = -1
        self.on_change: Callable[[Focusable], None] | None = None

    @property
    def current(self) -> Focusable | None:
        if 0 <= self.index < len(self.items):
            return self.items[self.index]
        return None

    def set(self, items: list[Focusable], keep: str | None = None) -> None:
        """Replace the stops; focus the one named ``keep`` if it is still there, else the first."""
        self._blur()
        self.items = list(items)
        self.index = -1
        if not self.items:
            return
        names = [i.name for i in self.items]
        self.focus_index(names.index(keep) if keep in names else 0, announce=False)

    def focus(self, item: Focusable, *, announce: bool = True) -> None:
        if item in self.items:
            self.focus_index(self.items.index(item), announce=announce)

    def focus_name(self, name: str) -> bool:
        for i, item in enumerate(self.items):
            if item.name == name:
                self.focus_index(i)
                return True
        return False

    def focus_index(self, index: int, *, announce: bool = True) -> None:
        if not self.items:
            return
        self._blur()
        self.index = index % len(self.items)
        item = self.items[self.index]
        if item.entry is not None:
            item.entry.focus()  # type: ignore[no-untyped-call]
            manager = item.entry.ui_manager
            manager.set_focus_set(item.entry)
        if item.on_focus is not None:
            item.on_focus()
        if announce and self.on_change is not None:
            self.on_change(item)

    def move(self, step: int) -> None:
        if self.items:
            self.focus_index((max(self.index, 0) + step) % len(self.items))

    def _blur(self) -> None:
        item = self.current
        if item is not None and item.entry is not None:
            item.entry.unfocus()  # type: ignore[no-untyped-call]
            manager = item.entry.ui_manager
            manager.set_focus_set(None)

    def typing(self) -> bool:
        """Whether the focused stop is a text field (letters and Space go to it)."""
        item = self.current
        return item is not None and item.entry is not None

    def handle_key(self, event: pygame.event.Event) -> bool:
        """Tab / Shift+Tab move; Enter (and Space outside text fields) activate."""
        if event.type != pygame.KEYDOWN:
            return False
        item = self.current
        if item is not None and item.on_key is not None and item.on_key(event):
            return True
        if event.key == pygame.K_TAB:
            self.move(-1 if event.mod & pygame.KMOD_SHIFT else 1)
            return True
        activate_keys: tuple[int, ...] = (pygame.K_RETURN, pygame.K_KP_ENTER)
        if not self.typing():
            activate_keys += (pygame.K_SPACE,)
        if event.key in activate_keys and item is not None and item.activate is not None:
            item.activate()
            return True
        return False

    def click(self, pos: tuple[int, int]) -> bool:
        """Focus and activate the stop under the mouse (for widgets pygame_gui does not own)."""
        for item in self.items:
            if item.entry is not None:
                continue
            rect = item.rect()
            clip = item.clip()
            if clip is not None:
                rect = rect.clip(clip)
            if rect.collidepoint(pos) and item.activate is not None:
                self.focus(item, announce=False)
                item.activate()
                return True
        return False

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        item = self.current
        if item is None:
            return
        rect = item.rect()
        if rect.width <= 0 or rect.height <= 0:
            return
        draw_ring(surface, theme, rect, item.clip())


def draw_ring(
    surface: pygame.Surface, theme: Theme, rect: pygame.Rect, clip: pygame.Rect | None = None
) -> None:
    """The focus ring: a dark outline, a bright band, a dark inner line (visible on any fill)."""
    band = max(3, theme.px(0.18))
    outer = rect.inflate(band * 2 + 4, band * 2 + 4)
    old = surface.get_clip()
    if clip is not None:
        surface.set_clip(clip.inflate(band * 2 + 4, band * 2 + 4).clip(old))
    radius = band + 4
    pygame.draw.rect(surface, theme.colour("focus_outline"), outer, 2, border_radius=radius)
    pygame.draw.rect(
        surface, theme.colour("focus"), outer.inflate(-4, -4), band, border_radius=radius
    )
    pygame.draw.rect(
        surface,
        theme.colour("focus_outline"),
        outer.inflate(-4 - band * 2, -4 - band * 2),
        1,
        border_radius=max(0, radius - band),
    )
    surface.set_clip(old)
