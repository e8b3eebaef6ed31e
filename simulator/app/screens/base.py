"""What every screen shares: its widgets, its focus chain, a header bar and a key map.

A screen is built for the current window size and theme (``build``) and rebuilt from
scratch when either changes; between rebuilds it only reacts to events and draws.
Widget callbacks never act at once: they ask the app to run the action after the
event loop, so a button can safely replace the screen that owns it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UILabel, UITextEntryLine

from simulator.app.focus import Focusable, FocusChain
from simulator.app.theme import Theme

if TYPE_CHECKING:
    from simulator.app.main import App


class Screen:
    """Base class: subclasses implement ``build`` and usually ``draw_content``."""

    title = ""
    hint = ""  # the screen's keys, shown in the header (F1 shows them in full)
    keys: tuple[str, ...] = ()  # F1: every key of this screen, one per line (else the hint)
    overlay = False  # drawn over the screens below, laid dimmed into the window
    back_on_escape = True

    def __init__(self, app: App) -> None:
        self.app = app
        self.elements: list[pygame_gui.core.UIElement] = []
        self.focus = FocusChain()
        self.focus.on_change = lambda item: app.announce(item.name)
        self.dirty = True  # something changed: the window must be drawn again in full
        self.built = False  # its widgets exist (built and not cleared since)
        self.kept_focus: str | None = None  # focused when a screen went over it (see App.pop)

    # ------------------------------------------------------------ lifecycle
    @property
    def theme(self) -> Theme:
        return self.app.theme

    @property
    def size(self) -> tuple[int, int]:
        return self.app.size

    def build(self) -> None:
        """Create widgets and lay out for ``self.size``; set the focus chain."""

    def rebuild(self) -> None:
        self.dirty = True
        current = self.focus.current
        keep = current.name if current is not None else None
        self.clear()
        self.build()
        if keep is not None:
            self.focus.focus_name(keep)

    def clear(self) -> None:
        for e in self.elements:
            e.kill()  # type: ignore[no-untyped-call]
        self.elements = []
        self.focus.set([])
        self.built = False

    def enter(self) -> None:
        """Called when the screen becomes the top of the stack (after ``build``); the
        first time, read-aloud reads the screen (title and content), as a screen reader
        reads a new page. Focus changes then say only the focused control."""
        if not getattr(self, "_read", False):
            self._read = True
            self.app.announce(self.read_aloud())

    def read_aloud(self) -> str:
        """What read-aloud says when the screen first shows: its title, then its words."""
        cur = self.focus.current
        focused = f" Focused: {cur.name}." if cur is not None else ""
        return f"{self.title}.{focused}" if self.title else focused.strip()

    def leave(self) -> None:
        """Called when the screen is removed from the stack."""

    # ------------------------------------------------------------ per frame
    def handle(self, event: pygame.event.Event) -> bool:
        """React to one event; True when it was used."""
        if event.type == pygame.KEYDOWN:
            if self.focus.handle_key(event):
                return True
            if event.key == pygame.K_ESCAPE and self.back_on_escape:
                self.app.defer(self.app.pop)
                return True
            if not self.focus.typing() and event.key in (pygame.K_DOWN, pygame.K_RIGHT):
                self.focus.move(1)
                return True
            if not self.focus.typing() and event.key in (pygame.K_UP, pygame.K_LEFT):
                self.focus.move(-1)
                return True
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            return self.focus.click(event.pos)
        return False

    def update(self, dt: float) -> None:
        """Advance timers; ``dt`` is seconds since the last frame."""

    def animating(self) -> bool:
        """Whether the screen changes with time alone (a countdown), so every frame redraws."""
        return self.focus.typing()

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the screen straight into ``surface`` (the window), then the parts that move
        by themselves (``draw_live``).

        There is no copy of the screen kept between frames: everything a screen draws is a
        blit of pictures the text and art caches already hold, so drawing again costs less
        than keeping a window-sized copy (8 MB at 1920x1080, another for each screen on the
        stack). A screen whose moving part must be restored between full redraws keeps
        just the pixels under it (``keep_under_live``).
        """
        if self.overlay:
            self.draw_content(surface)
            return
        surface.fill(self.theme.colour("background"))
        self.draw_content(surface)
        self.dirty = False
        self.keep_under_live(surface)
        self.draw_live(surface)

    def keep_under_live(self, surface: pygame.Surface) -> None:
        """Copy what ``draw_changes`` will need to restore under the moving part (the
        window as drawn, before ``draw_live``); nothing by default."""

    def overlay_area(self, window: pygame.Rect) -> pygame.Rect:
        """For an overlay: the part of ``window`` it draws on (with its focus rings); the
        app keeps the pixels under it to restore before each redraw. All of it by default."""
        return window.copy()

    def draw_content(self, surface: pygame.Surface) -> None:
        """Everything the screen draws itself (pygame_gui widgets are drawn after)."""

    def draw_changes(self, surface: pygame.Surface) -> list[pygame.Rect] | None:
        """Redraw only what changed by itself since the last frame, over the screen's
        picture; returns the rectangles to send to the display, or None when the whole
        window must be drawn (the default, for screens that have not said what moves)."""
        return None

    def draw_live(self, surface: pygame.Surface) -> None:
        """What changes with time alone (a countdown), drawn every frame over the picture."""

    # ------------------------------------------------------------ widget helpers
    def button(
        self,
        rect: pygame.Rect,
        text: str,
        action: Callable[[], None],
        *,
        primary: bool = False,
        object_id: str | None = None,
        name: str | None = None,
        focusable: bool = True,
    ) -> tuple[UIButton, Focusable]:
        oid = object_id or ("#primary" if primary else None)
        deferred = lambda: self.app.defer(action)  # noqa: E731
        b = UIButton(
            rect,
            text,
            self.app.ui,
            object_id=ObjectID(object_id=oid) if oid else None,
            command=deferred,
        )
        self._keep(b)
        f = Focusable(name or text, rect=lambda: pygame.Rect(b.rect), activate=deferred)
        return b, f

    def entry(
        self,
        rect: pygame.Rect,
        name: str,
        *,
        text: str = "",
        hidden: bool = False,
        on_enter: Callable[[], None] | None = None,
    ) -> tuple[UITextEntryLine, Focusable]:
        e = UITextEntryLine(rect, self.app.ui, initial_text=text or None)
        e.edit_position = len(text)  # typing carries on after what is there
        if hidden:
            e.set_text_hidden(True)  # type: ignore[no-untyped-call]
        self._keep(e)
        f = Focusable(
            name,
            rect=lambda: pygame.Rect(e.rect),
            entry=e,
            activate=(lambda: self.app.defer(on_enter)) if on_enter else None,
        )
        return e, f

    def label(self, rect: pygame.Rect, text: str, *, object_id: str | None = None) -> UILabel:
        lab = UILabel(
            rect, text, self.app.ui, object_id=ObjectID(object_id=object_id) if object_id else None
        )
        self._keep(lab)
        return lab

    def _keep(self, element: pygame_gui.core.UIElement) -> None:
        self.elements.append(element)
        finish_shape(element)

    def flow(
        self, widths: list[int], x0: int, x1: int, y: int, h: int
    ) -> tuple[list[pygame.Rect], int]:
        """Place boxes of ``widths`` left to right from ``x0``, wrapping before ``x1``;
        returns their rects and the y below the last row."""
        gap, row_gap = self.theme.px(0.5), self.theme.px(0.4)
        rects, x = [], x0
        for w in widths:
            if x > x0 and x + w > x1:
                x, y = x0, y + h + row_gap
            rects.append(pygame.Rect(x, y, min(w, x1 - x0), h))
            x += w + gap
        return rects, y + h

    def button_row(
        self, spec: list[tuple[str, Callable[[], None], bool]], y: int
    ) -> tuple[list[Focusable], int]:
        """Buttons (text, action, primary) left to right from the top margin at ``y``,
        wrapping as needed; their focus stops and the y below the last row."""
        m = self.theme.px(0.8)
        widths = [self.button_width(text) for text, _, _ in spec]
        rects, below = self.flow(widths, m, self.size[0] - m, y, self.button_height())
        stops = []
        for rect, (text, action, primary) in zip(rects, spec, strict=True):
            _, f = self.button(rect, text, action, primary=primary)
            stops.append(f)
        return stops, below

    def button_height(self) -> int:
        return self.theme.line_height("body") + self.theme.px(0.9)

    def button_width(self, text: str, style: str = "bold") -> int:
        return self.theme.font(style).size(text)[0] + self.theme.px(2.0)

    # ------------------------------------------------------------ shared drawing
    def header_height(self) -> int:
        return self.theme.line_height("heading") + self.theme.px(0.6)

    def draw_header(self, surface: pygame.Surface, title: str, reserve: int = 0) -> None:
        """The title bar, with the screen's key hint when it fits (else "F1: keys");
        ``reserve`` keeps that many pixels on the right free (for a countdown) instead."""
        th = self.theme
        w = surface.get_width()
        key = ("header", title, self.hint, w, reserve, th.name, th.scale)
        surface.blit(self.app.text.get(key, lambda: self._header(title, w, reserve)), (0, 0))

    def _header(self, title: str, w: int, reserve: int = 0) -> pygame.Surface:
        th = self.theme
        h = self.header_height()
        surf = pygame.Surface((w, h))
        surf.fill(th.colour("header"))
        if th.high_contrast:
            pygame.draw.line(surf, th.colour("border"), (0, h - 2), (w, h - 2), 2)
        pad = th.px(1.0)
        heading, small = th.font("heading"), th.font("small")
        hint = "" if reserve else self.hint
        if hint and heading.size(title)[0] + small.size(hint)[0] + 3 * pad > w:
            hint = "F1: keys"
        hint_w = reserve
        if hint:
            hs = small.render(hint, True, th.colour("header_text"))
            hint_w = hs.get_width()
            surf.blit(hs, (w - pad - hint_w, (h - hs.get_height()) // 2))
        ts = heading.render(
            fit(heading, title, w - hint_w - 3 * pad), True, th.colour("header_text")
        )
        surf.blit(ts, (pad, (h - ts.get_height()) // 2))
        return surf


def finish_shape(element: pygame_gui.core.UIElement) -> None:
    """Draw every state of a widget's shape now and let go of the drawing's scratch pictures.

    pygame_gui draws a rounded widget at four times its size in each direction (16x the
    pixels) to smooth the corners, and keeps those scratch pictures until the widget's
    last state has been drawn, one state per frame. Built all at once, a screen at large
    text in a large window held them for every widget together (about 9 MB per wide
    widget, over 60 MB for a screen); drawn here one widget at a time, only one widget's
    scratch pictures exist at any moment. The states are the same pictures pygame_gui
    would have drawn in the next frames.
    """
    shape = getattr(element, "drawable_shape", None)
    queue = getattr(shape, "states_to_redraw_queue", None)
    if shape is None or queue is None or not hasattr(shape, "clean_up_temp_shapes"):
        return
    while queue:
        shape.redraw_state(queue.popleft())
    shape.clean_up_temp_shapes()
    shape.need_to_clean_up = False


def fit(font: pygame.font.Font, text: str, width: int) -> str:
    """``text`` shortened with an ellipsis so it fits ``width`` pixels on one line."""
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"


class ScrollPage:
    """Widgets laid out on a page taller than its viewport; the page scrolls so that the
    focused widget is in view, and widgets not wholly inside the viewport are hidden."""

    def __init__(self, viewport: pygame.Rect) -> None:
        self.viewport = pygame.Rect(viewport)
        self.offset = 0
        self.height = 0
        self.items: list[tuple[pygame_gui.core.UIElement, pygame.Rect]] = []

    def add(self, element: pygame_gui.core.UIElement, page_rect: pygame.Rect) -> None:
        self.items.append((element, pygame.Rect(page_rect)))
        self.height = max(self.height, page_rect.bottom)

    def to_screen(self, page_rect: pygame.Rect) -> pygame.Rect:
        return page_rect.move(self.viewport.x, self.viewport.y - self.offset)

    def place(self) -> None:
        for element, r in self.items:
            screen = self.to_screen(r)
            element.set_position(screen.topleft)
            if self.viewport.contains(screen):
                element.show()  # type: ignore[no-untyped-call]
            else:
                element.hide()  # type: ignore[no-untyped-call]

    def reveal(self, page_rect: pygame.Rect, margin: int = 8) -> None:
        top = page_rect.top - margin
        bottom = page_rect.bottom + margin
        if top < self.offset:
            self.offset = max(0, top)
        elif bottom > self.offset + self.viewport.height:
            self.offset = bottom - self.viewport.height
        self.place()

    def scroll(self, dy: int) -> None:
        limit = max(0, self.height - self.viewport.height + 8)
        self.offset = max(0, min(limit, self.offset + dy))
        self.place()
