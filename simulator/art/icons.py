"""Verdict icons for the debrief and the emblem for the title and sign-in screens.

Each verdict has its own silhouette — star, check mark, warning triangle, octagon, ringed X —
so a trainee who cannot tell the colours apart still reads the verdict from the shape.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pygame

from simulator.art.cache import MB, SurfaceCache
from simulator.art.canvas import Canvas, Point, ellipse_points
from simulator.art.emblem import emblem, star_points
from simulator.art.palette import HC_EDGE, PAPER, Color, hexc

ICON_GRID = (100.0, 100.0)

VERDICT_COLORS: dict[str, Color] = {
    "exemplary": hexc("#d3a13f"),
    "acceptable": hexc("#4a8a68"),
    "deviation": hexc("#dba23a"),
    "violation": hexc("#c4614b"),
    "critical": hexc("#8e2f3a"),
}

VERDICT_COLORS_HC: dict[str, Color] = {
    "exemplary": hexc("#8a5a00"),
    "acceptable": hexc("#0f5c33"),
    "deviation": hexc("#9a5200"),
    "violation": hexc("#a11d12"),
    "critical": hexc("#4d0711"),
}
"""Darker fills for the high-contrast theme, so the white marks inside stand out."""

VERDICT_SHAPES: dict[str, str] = {
    "exemplary": "star",
    "acceptable": "check mark",
    "deviation": "triangle with an exclamation mark",
    "violation": "octagon with a cross",
    "critical": "filled X inside a double ring",
}


def _outlined_stroke(c: Canvas, pts: list[Point], width: float, color: Color) -> None:
    """A thick stroke; in the high-contrast theme it gets a dark border like filled shapes."""
    if c.hc:
        c.stroke(pts, width + 2 * c.edge_px / c.unit, HC_EDGE)
    c.stroke(pts, width, color)


def _exemplary(c: Canvas, col: Color) -> None:
    c.poly(star_points(50, 53, 46, 19), col)
    c.poly(star_points(50, 53, 24, 10), PAPER, edge=False)


def _acceptable(c: Canvas, col: Color) -> None:
    _outlined_stroke(c, [(14, 52), (40, 78), (87, 22)], 17, col)


def _deviation(c: Canvas, col: Color) -> None:
    c.poly([(50, 6), (96, 90), (4, 90)], col)
    c.poly([(45, 34), (55, 34), (53, 64), (47, 64)], PAPER, edge=False)
    c.circle(50, 76, 5.5, PAPER, edge=False)


def _violation(c: Canvas, col: Color) -> None:
    c.poly(
        [
            (
                50 + 47 * math.cos(math.radians(22.5 + k * 45)),
                50 + 47 * math.sin(math.radians(22.5 + k * 45)),
            )
            for k in range(8)
        ],
        col,
    )
    c.stroke([(32, 32), (68, 68)], 11, PAPER)
    c.stroke([(68, 32), (32, 68)], 11, PAPER)


def _critical(c: Canvas, col: Color) -> None:
    ring = ellipse_points(50, 50, 44, 44, 72)
    c.stroke(ring, 7, col, closed=True)
    c.stroke(ellipse_points(50, 50, 33, 33, 60), 5, col, closed=True)
    arm = 5.2
    for a in (45, 135):
        r = math.radians(a)
        dx, dy = math.cos(r) * 24, math.sin(r) * 24
        nx, ny = -math.sin(r) * arm, math.cos(r) * arm
        c.poly(
            [
                (50 - dx + nx, 50 - dy + ny),
                (50 + dx + nx, 50 + dy + ny),
                (50 + dx - nx, 50 + dy - ny),
                (50 - dx - nx, 50 - dy - ny),
            ],
            col,
        )
    if c.hc:
        c.stroke(ring, 1.0, HC_EDGE, closed=True)


_DRAW: dict[str, Callable[[Canvas, Color], None]] = {
    "exemplary": _exemplary,
    "acceptable": _acceptable,
    "deviation": _deviation,
    "violation": _violation,
    "critical": _critical,
}


def _side(size: int) -> int:
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        raise ValueError(f"size must be a positive number of pixels, got {size!r}")
    return size


def render_verdict_icon(verdict: str, size: int, *, high_contrast: bool = False) -> pygame.Surface:
    """A ``size`` x ``size`` transparent icon for ``verdict`` (cached; treat as read-only).

    Raises ``KeyError`` listing the verdicts for an unknown one.
    """
    if verdict not in _DRAW:
        raise KeyError(f"unknown verdict {verdict!r}; known verdicts: {', '.join(_DRAW)}")
    side, hc = _side(size), bool(high_contrast)
    return _CACHE.get(("icon", verdict, side, hc), lambda: _icon(verdict, side, hc))


_CACHE = SurfaceCache("icons", 4 * MB)


def _icon(verdict: str, size: int, high_contrast: bool) -> pygame.Surface:
    c = Canvas(
        (size, size),
        ICON_GRID,
        ss=4,
        alpha=True,
        high_contrast=high_contrast,
        fit="contain",
        adjust_colors=False,
    )
    _DRAW[verdict](c, (VERDICT_COLORS_HC if high_contrast else VERDICT_COLORS)[verdict])
    return c.finish()


def render_logo(size: int, *, high_contrast: bool = False) -> pygame.Surface:
    """The Model State Division of Parole emblem, ``size`` pixels square, transparent corners.

    It carries no text so the app can set the name in its own font beside or under it.
    """
    side, hc = _side(size), bool(high_contrast)
    return _CACHE.get(("logo", side, hc), lambda: _logo(side, hc))


def _logo(size: int, high_contrast: bool) -> pygame.Surface:
    c = Canvas(
        (size, size), ICON_GRID, ss=4, alpha=True, high_contrast=high_contrast, fit="contain"
    )
    emblem(c, 50, 50, 48)
    return c.finish()


def clear_cache() -> None:
    """Forget cached renders of this module."""
    _CACHE.clear()
