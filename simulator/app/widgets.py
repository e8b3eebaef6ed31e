"""Scrollable documents made of pre-rendered blocks: transcripts, case files, debriefs.

A :class:`DocView` holds blocks laid out once; their pictures live in the byte-bounded
text cache (a block keeps a :class:`~simulator.app.text.Rendered`, not pixels, so a long
transcript or a large debrief costs at most the cache's budget) and drawing is a handful
of blits of the visible blocks; scrolling only changes an offset. Blocks may be actions
(a choice, a "try again" link): those become focus stops, are drawn as buttons and
respond to the mouse.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pygame

from simulator.app.focus import Focusable
from simulator.app.text import Rendered, TextCache, render_lines, wrap
from simulator.app.theme import Theme


@dataclass(eq=False)
class Block:
    """One piece of a document, with its position once laid out. ``surface`` is a picture
    or a :class:`Rendered` drawn again from the text cache when it is shown."""

    surface: pygame.Surface | Rendered
    gap: int = 0  # space after the block
    indent: int = 0
    pad: int = 0  # padding inside the background box
    bg: str | None = None  # palette key for a box behind the block
    border: str | None = None  # palette key for the box outline
    action: Callable[[], None] | None = None
    name: str = ""
    inline: bool = False  # sits to the right of the block before it when there is room
    said: str = ""  # the block's words, for read-aloud (a picture's are its description)
    y: int = 0
    x: int = 0

    @property
    def height(self) -> int:
        return self.surface.get_height() + 2 * self.pad

    @property
    def width(self) -> int:
        return self.surface.get_width() + 2 * self.pad

    def picture(self) -> pygame.Surface:
        """The block's pixels (from the text cache when it keeps only a reference)."""
        s = self.surface
        return s.surface() if isinstance(s, Rendered) else s


class DocBuilder:
    """Composes blocks for a DocView of a given width from text and pictures."""

    def __init__(self, theme: Theme, cache: TextCache, width: int) -> None:
        self.theme = theme
        self.cache = cache
        self.width = max(40, width)
        self.blocks: list[Block] = []

    def text(
        self,
        text: str,
        style: str = "body",
        colour: str = "text",
        *,
        gap: float = 0.5,
        indent: float = 0,
        align: str = "left",
    ) -> Block:
        ind = self.theme.px(indent)
        surf = self.cache.paragraph_ref(
            self.theme.font(style), text, self.theme.colour(colour), self.width - ind, align=align
        )
        return self.add(Block(surf, gap=self.theme.px(gap), indent=ind, said=text))

    def heading(self, text: str, *, gap: float = 0.4) -> Block:
        return self.text(text, "heading", gap=gap)

    def bullets(self, items: list[str], *, style: str = "body", gap: float = 0.6) -> None:
        for i, item in enumerate(items):
            self.labelled("•", item, style=style, gap=gap if i == len(items) - 1 else 0.25)

    def labelled(
        self,
        label: str,
        text: str,
        *,
        style: str = "body",
        label_style: str | None = None,
        label_colour: str = "text",
        colour: str = "text",
        gap: float = 0.5,
        label_width: int | None = None,
        bg: str | None = None,
        border: str | None = None,
        pad: float = 0,
        action: Callable[[], None] | None = None,
        name: str = "",
    ) -> Block:
        """``label`` in a left column and ``text`` wrapped beside it, as one block."""
        th = self.theme
        padding = th.px(pad) if pad else 0
        lab_font, lab_colour = th.font(label_style or style), th.colour(label_colour)
        font, col, width = th.font(style), th.colour(colour), self.width

        def make() -> pygame.Surface:
            lab = render_lines(lab_font, wrap(lab_font, label, width), lab_colour)
            lw = label_width if label_width is not None else lab.get_width() + th.px(0.5)
            body_w = max(40, width - lw - 2 * padding)
            body = render_lines(font, wrap(font, text, body_w), col)
            surf = pygame.Surface(
                (width - 2 * padding, max(lab.get_height(), body.get_height())), pygame.SRCALPHA
            )
            surf.blit(lab, (0, 0))
            surf.blit(body, (lw, 0))
            return surf

        key = (
            "doc-labelled",
            id(lab_font),
            label,
            tuple(lab_colour),
            id(font),
            text,
            tuple(col),
            width,
            label_width,
            padding,
        )
        return self.add(
            Block(
                self.cache.keep(key, make),
                gap=th.px(gap),
                bg=bg,
                border=border,
                pad=padding,
                action=action,
                name=name or f"{label} {text}",
                said=text if label == "•" else f"{label} {text}",
            )
        )

    def picture(
        self, surf: pygame.Surface, *, gap: float = 0.5, name: str = "", said: str = ""
    ) -> Block:
        return self.add(Block(surf, gap=self.theme.px(gap), name=name, said=said or name))

    def drawn(
        self,
        key: tuple[object, ...],
        make: Callable[[], pygame.Surface],
        *,
        gap: float = 0.5,
        name: str = "",
        said: str = "",
    ) -> Block:
        """A picture drawn by ``make`` and kept only in the text cache under ``key`` (which
        must name everything the picture shows, the theme and the width included)."""
        pic = self.cache.keep(key, make)
        return self.add(Block(pic, gap=self.theme.px(gap), name=name, said=said or name))

    def button(
        self,
        text: str,
        action: Callable[[], None],
        *,
        gap: float = 0.5,
        primary: bool = False,
        inline: bool = False,
    ) -> Block:
        """An action drawn as a button sized to its text (``inline``: beside the last one)."""
        th = self.theme
        label = self.cache.paragraph_ref(
            th.font("bold"),
            text,
            th.colour("accent_text" if primary else "accent"),
            self.width - th.px(1.6),
        )
        return self.add(
            Block(
                label,
                gap=th.px(gap),
                pad=th.px(0.4),
                bg="accent" if primary else "surface",
                border="accent_border" if primary else "accent",
                inline=inline,
                action=action,
                name=text,
                said=f"{text}, button",
            )
        )

    def rule(self, *, gap: float = 0.5) -> Block:
        """A thin line across the document, between sections or items."""
        line = pygame.Surface((self.width, max(1, self.theme.px(0.08))))
        line.fill(self.theme.colour("border"))
        return self.add(Block(line, gap=self.theme.px(gap)))

    def spacer(self, ems: float) -> None:
        if self.blocks:
            self.blocks[-1].gap += self.theme.px(ems)

    def add(self, block: Block) -> Block:
        self.blocks.append(block)
        return block


class DocView:
    """A scrolling viewport over blocks; draws only the visible ones."""

    def __init__(self, theme: Theme, rect: pygame.Rect, *, name: str = "document") -> None:
        self.theme = theme
        self.rect = pygame.Rect(rect)
        self.name = name
        self.blocks: list[Block] = []
        self._bottoms: list[int] = []  # each block's bottom, ascending: find the first visible
        self.offset = 0
        self.content_height = 0
        self.on_scroll: Callable[[], None] | None = None

    # ------------------------------------------------------------ content
    def spoken(self) -> str:
        """Everything the document says, in reading order (for read-aloud)."""
        parts = [b.said.strip() for b in self.blocks if b.said.strip()]
        # a heading or label without a full stop still ends its sentence when spoken
        return " ".join(p if p[-1] in '.!?:;…”"' else p + "." for p in parts)

    def set_blocks(self, blocks: list[Block], *, keep_offset: bool = False) -> None:
        self.blocks = []
        self._bottoms = []
        self.content_height = 0
        self.extend(blocks)
        if not keep_offset:
            self.offset = 0
        self.offset = self._clamp(self.offset)

    def extend(self, blocks: list[Block]) -> None:
        """Append blocks below the existing ones (earlier blocks are not touched)."""
        y = self.content_height
        hgap = self.theme.px(0.5)
        for b in blocks:
            prev = self.blocks[-1] if self.blocks else None
            if (
                b.inline
                and prev is not None
                and prev.x + prev.width + hgap + b.width <= (self.rect.width)
            ):
                b.x, b.y = prev.x + prev.width + hgap, prev.y
                y = max(y, b.y + b.height + b.gap)
            else:
                b.x, b.y = b.indent, y
                y = b.y + b.height + b.gap
            self.blocks.append(b)
            # running maximum, so the list stays sorted for the visible-block search
            self._bottoms.append(max(b.y + b.height, self._bottoms[-1] if self._bottoms else 0))
        self.content_height = y

    @property
    def max_offset(self) -> int:
        return max(0, self.content_height - self.rect.height)

    def _clamp(self, value: int) -> int:
        return max(0, min(self.max_offset, value))

    # ------------------------------------------------------------ scrolling
    def scroll(self, dy: int) -> None:
        new = self._clamp(self.offset + dy)
        if new != self.offset:
            self.offset = new
            if self.on_scroll is not None:
                self.on_scroll()

    def scroll_to_end(self) -> None:
        self.scroll(self.max_offset - self.offset)

    def ensure_visible(self, block: Block) -> None:
        margin = self.theme.px(0.4)
        top = block.y - margin
        bottom = block.y + block.height + margin
        if top < self.offset:
            self.scroll(top - self.offset)
        elif bottom > self.offset + self.rect.height:
            self.scroll(bottom - self.offset - self.rect.height)

    def handle_scroll_key(self, event: pygame.event.Event) -> bool:
        """Page Up/Down, Home/End and (when ``arrows``) Up/Down scroll the view."""
        if event.type != pygame.KEYDOWN:
            return False
        line = self.theme.line_height()
        page = max(line, self.rect.height - line * 2)
        moves = {
            pygame.K_PAGEUP: -page,
            pygame.K_PAGEDOWN: page,
            pygame.K_HOME: -self.content_height,
            pygame.K_END: self.content_height,
        }
        if event.key in moves:
            self.scroll(moves[event.key])
            return True
        return False

    def handle_arrow_key(self, event: pygame.event.Event) -> bool:
        """Up/Down scroll by a line while there is more to see that way (then they are
        left to move focus on), plus the page keys."""
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN):
            up = event.key == pygame.K_UP
            if (up and self.offset <= 0) or (not up and self.offset >= self.max_offset):
                return False
            line = self.theme.line_height()
            self.scroll(-line if up else line)
            return True
        return self.handle_scroll_key(event)

    def handle_wheel(self, event: pygame.event.Event, mouse: tuple[int, int]) -> bool:
        if event.type == pygame.MOUSEWHEEL and self.rect.collidepoint(mouse):
            self.scroll(-event.y * self.theme.line_height() * 2)
            return True
        return False

    # ------------------------------------------------------------ geometry
    def block_rect(self, block: Block) -> pygame.Rect:
        return pygame.Rect(
            self.rect.x + block.x, self.rect.y + block.y - self.offset, block.width, block.height
        )

    def focusables(self, on_focus: Callable[[Block], None] | None = None) -> list[Focusable]:
        """A focus stop for each action block; focusing one scrolls it into view."""
        out = []
        for b in self.blocks:
            if b.action is None:
                continue

            def focus(b: Block = b) -> None:
                self.ensure_visible(b)
                if on_focus is not None:
                    on_focus(b)

            out.append(
                Focusable(
                    b.name,
                    rect=partial(self.block_rect, b),
                    activate=b.action,
                    on_focus=focus,
                    clip=lambda: self.rect,
                )
            )
        return out

    # ------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface, *, selected: Block | None = None) -> None:
        th = self.theme
        old = surface.get_clip()
        surface.set_clip(self.rect.clip(old))
        top, bottom = self.offset, self.offset + self.rect.height
        radius = max(4, th.px(0.3))
        for b in self.blocks[bisect_left(self._bottoms, top) :]:
            if b.y > bottom:
                break
            r = self.block_rect(b)
            if b.bg is not None:
                # the focused choice is tinted too (the ring is the main sign); filled
                # buttons keep their fill so their text stays readable
                fill = "selected_bg" if b is selected and b.bg == "surface" else b.bg
                pygame.draw.rect(surface, th.colour(fill), r, border_radius=radius)
            if b.border is not None:
                width = 3 if b is selected else 2
                pygame.draw.rect(surface, th.colour(b.border), r, width, border_radius=radius)
            surface.blit(b.picture(), (r.x + b.pad, r.y + b.pad))
        surface.set_clip(old)
        self._draw_scrollbar(surface)

    def _draw_scrollbar(self, surface: pygame.Surface) -> None:
        if self.max_offset <= 0:
            return
        th = self.theme
        w = max(6, th.px(0.35))
        track = pygame.Rect(self.rect.right + w // 2, self.rect.y, w, self.rect.height)
        pygame.draw.rect(surface, th.colour("bar_track"), track, border_radius=w // 2)
        visible = self.rect.height / self.content_height
        h = max(w * 3, round(track.height * visible))
        y = track.y + round((track.height - h) * self.offset / self.max_offset)
        pygame.draw.rect(surface, th.colour("muted"), (track.x, y, w, h), border_radius=w // 2)
