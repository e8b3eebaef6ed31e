"""Text on screen: word wrapping and paragraphs rendered once into cached surfaces.

Everything the app writes that is not a pygame_gui widget goes through here, so a line
of a transcript or a debrief paragraph is shaped and rasterised once and then only
blitted; frame time does not grow with the length of what has been said.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame
from cachetools import LRUCache

from simulator.art.cache import MB, surface_bytes

Colour = pygame.Color | tuple[int, int, int] | tuple[int, int, int, int]


def wrap(
    font: pygame.font.Font, text: str, width: int, *, first_width: int | None = None
) -> list[str]:
    """``text`` broken into lines no wider than ``width`` pixels (words kept whole if they fit).

    Explicit newlines start new lines; a word wider than the line is split by characters.
    ``first_width`` narrows the first line (text that follows a label on the same line).
    """
    width = max(1, width)
    out: list[str] = []
    for para in text.split("\n"):
        words = para.split(" ")
        line = ""
        for word in words:
            candidate = word if not line else f"{line} {word}"
            limit = width if out or first_width is None else max(1, first_width)
            if font.size(candidate)[0] <= limit:
                line = candidate
                continue
            if line:
                out.append(line)
                line = ""
            limit = width if out or first_width is None else max(1, first_width)
            if line == "" and not out and first_width is not None and font.size(word)[0] > limit:
                out.append("")  # the word does not fit beside the label: start below it
                limit = width
            while font.size(word)[0] > limit and len(word) > 1:
                lo, hi = 1, len(word) - 1  # longest prefix that fits, by bisection
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    if font.size(word[:mid])[0] <= limit:
                        lo = mid
                    else:
                        hi = mid - 1
                out.append(word[:lo])
                word = word[lo:]
                limit = width
            line = word
        out.append(line)
    return out


def render_lines(
    font: pygame.font.Font,
    lines: Sequence[str],
    colour: Colour,
    *,
    line_height: int | None = None,
    align: str = "left",
    width: int | None = None,
) -> pygame.Surface:
    """``lines`` stacked into one transparent surface (``width`` pads for centre/right)."""
    lh = line_height or font.get_linesize()
    rendered = [font.render(line, True, colour) for line in lines]
    w = max([r.get_width() for r in rendered] + [1 if align == "left" else width or 1])
    surf = pygame.Surface((w, max(1, lh * len(rendered))), pygame.SRCALPHA)
    for i, r in enumerate(rendered):
        x = 0
        if align == "center":
            x = (w - r.get_width()) // 2
        elif align == "right":
            x = w - r.get_width()
        surf.blit(r, (x, i * lh))
    return surf


class Rendered:
    """A picture whose pixels live only in a :class:`TextCache`: its size is fixed when it is
    first drawn, and ``make`` draws it again after the cache has let it go.

    Documents (a transcript, a debrief at large text in a large window) hold these rather
    than surfaces, so what they keep alive is bounded by the cache's bytes, not by the
    length of the document. It answers ``get_size``/``get_width``/``get_height`` like the
    surface it stands for.
    """

    __slots__ = ("cache", "key", "make", "size")

    def __init__(
        self,
        cache: TextCache,
        key: tuple[object, ...],
        make: Callable[[], pygame.Surface],
        size: tuple[int, int],
    ) -> None:
        self.cache = cache
        self.key = key
        self.make = make
        self.size = size

    def surface(self) -> pygame.Surface:
        """The pixels: from the cache, or drawn again."""
        return self.cache.get(self.key, self.make)

    def get_size(self) -> tuple[int, int]:
        return self.size

    def get_width(self) -> int:
        return self.size[0]

    def get_height(self) -> int:
        return self.size[1]


class TextCache:
    """Rendered paragraphs keyed by (font, text, colour, width), kept up to ``max_bytes`` of
    pixels; the least recently used go first. A full-width paragraph at large text costs
    hundreds of kilobytes, so the bound is in bytes, not entries."""

    def __init__(self, max_bytes: int = 24 * MB) -> None:
        self.max_bytes = max_bytes
        self._items: LRUCache[tuple[object, ...], pygame.Surface] = LRUCache(
            maxsize=max_bytes, getsizeof=surface_bytes
        )
        self.hits = 0
        self.misses = 0

    def paragraph(
        self,
        font: pygame.font.Font,
        text: str,
        colour: Colour,
        width: int,
        *,
        align: str = "left",
    ) -> pygame.Surface:
        return self.get(*self._paragraph(font, text, colour, width, align))

    def paragraph_ref(
        self,
        font: pygame.font.Font,
        text: str,
        colour: Colour,
        width: int,
        *,
        align: str = "left",
    ) -> Rendered:
        """The paragraph as a :class:`Rendered` (for a document to keep instead of pixels)."""
        return self.keep(*self._paragraph(font, text, colour, width, align))

    @staticmethod
    def _paragraph(
        font: pygame.font.Font, text: str, colour: Colour, width: int, align: str
    ) -> tuple[tuple[object, ...], Callable[[], pygame.Surface]]:
        key = ("para", id(font), text, tuple(pygame.Color(colour)), width, align)
        return key, lambda: render_lines(
            font, wrap(font, text, width), colour, align=align, width=width
        )

    def keep(self, key: tuple[object, ...], make: Callable[[], pygame.Surface]) -> Rendered:
        """A :class:`Rendered` for ``key``: drawn now (or found) to learn its size; its
        pixels stay only as long as the cache keeps them."""
        surf = self._items.get(key)
        if surf is None:
            surf = self.get(key, make)
        return Rendered(self, key, make, surf.get_size())

    def get(self, key: tuple[object, ...], make: Callable[[], pygame.Surface]) -> pygame.Surface:
        """The cached surface for ``key``, made by ``make()`` the first time."""
        surf = self._items.get(key)
        if surf is not None:
            self.hits += 1
            return surf
        self.misses += 1
        surf = make()
        if surface_bytes(surf) <= self.max_bytes:
            self._items[key] = surf
        return surf

    @property
    def nbytes(self) -> int:
        return int(self._items.currsize)

    def labelled(
        self,
        label_font: pygame.font.Font,
        label: str,
        label_colour: Colour,
        font: pygame.font.Font,
        text: str,
        colour: Colour,
        width: int,
    ) -> Rendered:
        """``label`` then ``text`` wrapped beside it (see :func:`render_labelled`), as a
        :class:`Rendered` for a document to keep instead of pixels."""
        key = (
            "labelled",
            id(label_font),
            label,
            tuple(pygame.Color(label_colour)),
            id(font),
            text,
            tuple(pygame.Color(colour)),
            width,
        )
        return self.keep(
            key,
            lambda: render_labelled(label_font, label, label_colour, font, text, colour, width),
        )

    def clear(self) -> None:
        self._items.clear()


def render_labelled(
    label_font: pygame.font.Font,
    label: str,
    label_colour: Colour,
    font: pygame.font.Font,
    text: str,
    colour: Colour,
    width: int,
) -> pygame.Surface:
    """``label`` in bold followed on the same line by ``text``, wrapped to ``width``."""
    lab = label_font.render(label, True, label_colour)
    lw = lab.get_width() + font.size(" ")[0]
    lines = wrap(font, text, width, first_width=width - lw)
    lh = max(font.get_linesize(), label_font.get_linesize())
    surf = pygame.Surface((width, lh * max(1, len(lines))), pygame.SRCALPHA)
    surf.blit(lab, (0, max(0, font.get_ascent() - label_font.get_ascent())))  # one baseline
    for i, line in enumerate(lines):
        surf.blit(font.render(line, True, colour), (lw if i == 0 else 0, i * lh))
    return surf
