"""Furniture and fittings shared by several scenes, drawn in the flat house style.

Each prop takes a ``Canvas`` and a position in scene design units (160 x 90 grid); sizes are
parameters so the same window or plant can sit in a kitchen or an office.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from simulator.art.canvas import Canvas, ellipse_points
from simulator.art.palette import (
    INK,
    METAL,
    PAPER,
    PLANT,
    PLANT_DARK,
    SKY,
    SKY_LOW,
    TERRACOTTA,
    Color,
    hexc,
    mix,
    shade,
    tint,
)

LAMPSHADE = hexc("#eadcc0")
PICTURE_FRAME = hexc("#5b4a3e")


def contact_shadow(
    c: Canvas, cx: float, y: float, half_w: float, depth: float = 1.6, alpha: int = 70
) -> None:
    """A soft oval shadow on the floor under furniture standing at ``y``."""
    c.soft(ellipse_points(cx, y, half_w, depth, 24), INK, alpha, depth * 1.2)


def window(
    c: Canvas,
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    frame: Color = PAPER,
    sky: Color = SKY,
    panes: int = 2,
    sill: bool = True,
    outside: str = "trees",
    interior: Callable[[Canvas], None] | None = None,
) -> None:
    """A framed window with a glint on the glass.

    Behind the glass is ``interior`` when given (a room seen from outside), else a daylight
    view: ``outside`` is trees, city or none (sky only).
    """
    fw = max(0.9, w * 0.045)
    c.rect(x - fw, y - fw, w + 2 * fw, h + 2 * fw, shade(frame, 0.1), 0.4)
    c.vgradient(x, y, w, h, sky, SKY_LOW)
    with c.clipped(x, y, w, h):
        if interior is not None:
            interior(c)
        else:
            _view(c, x, y, w, h, outside)
    c.glaze(
        [(x + w * 0.55, y), (x + w * 0.75, y), (x + w * 0.35, y + h), (x + w * 0.15, y + h)],
        PAPER,
        60,
    )
    for k in range(1, panes):
        c.rect(x + w * k / panes - fw / 2, y, fw, h, frame)
    c.rect(x, y + h * 0.48, w, fw * 0.8, frame)
    c.rect(x - fw, y - fw, w + 2 * fw, fw, frame, edge=False)
    c.rect(x - fw, y + h, w + 2 * fw, fw, frame, edge=False)
    c.rect(x - fw, y - fw, fw, h + 2 * fw, frame, edge=False)
    c.rect(x + w, y - fw, fw, h + 2 * fw, frame, edge=False)
    if sill:
        c.rect(x - fw * 2.2, y + h + fw * 0.6, w + fw * 4.4, fw * 1.3, tint(frame, 0.3), 0.3)


def _view(c: Canvas, x: float, y: float, w: float, h: float, outside: str) -> None:
    """What a window looks out on: distant trees, a city skyline or only sky."""
    if outside == "trees":
        for k, (tx, r) in enumerate(((0.2, 0.22), (0.55, 0.3), (0.85, 0.2))):
            col = mix(PLANT, SKY_LOW, 0.45 + 0.1 * k)
            c.ellipse(x + w * tx, y + h * 0.9, w * r, h * 0.32, col, edge=False)
        c.rect(x, y + h * 0.86, w, h * 0.14, mix(PLANT, SKY_LOW, 0.35), edge=False)
    elif outside == "city":
        rng = random.Random(int(w * 100 + h))
        bx = x
        while bx < x + w:
            bw = w * rng.uniform(0.14, 0.26)
            bh = h * rng.uniform(0.25, 0.6)
            tone = mix(hexc("#8d9aa6"), SKY, rng.uniform(0.2, 0.6))
            c.rect(bx, y + h - bh, min(bw, x + w - bx), bh, tone, edge=False)
            bx += bw + w * 0.01


def curtains(c: Canvas, x: float, y: float, w: float, h: float, color: Color) -> None:
    """Two gathered curtains on a rod framing a window of width ``w`` at ``x``."""
    c.line(x - 4, y - 2, x + w + 4, y - 2, 0.7, shade(color, 0.5))
    for side in (0, 1):
        left = x - 4 if side == 0 else x + w - 5
        if side == 0:
            pts = [(left, y - 2), (left + 9, y - 2), (left + 5.5, y + h + 6), (left, y + h + 6)]
        else:
            pts = [(left, y - 2), (left + 9, y - 2), (left + 9, y + h + 6), (left + 3.5, y + h + 6)]
        c.poly(pts, color)
        for k in range(1, 4):
            fx = left + k * 2.2
            c.line(fx, y, fx - (0.6 if side == 0 else -0.6), y + h + 5, 0.35, shade(color, 0.22))


def door(
    c: Canvas,
    x: float,
    y: float,
    w: float,
    h: float,
    color: Color,
    *,
    knob_left: bool = False,
    frame: Color = PAPER,
    panels: int = 2,
) -> None:
    """A panelled interior or front door in its frame, standing on the floor at ``y + h``."""
    fw = w * 0.08
    c.rect(x - fw, y - fw, w + 2 * fw, h + fw, frame)
    c.rect(x, y, w, h, color)
    inset = w * 0.14
    ph = (h - inset * (panels + 1)) / panels
    for k in range(panels):
        py = y + inset + k * (ph + inset)
        c.rect(x + inset, py, w - 2 * inset, ph, shade(color, 0.08), 0.4)
        c.rect(x + inset, py, w - 2 * inset, ph * 0.05, shade(color, 0.2), edge=False)
    kx = x + w * (0.14 if knob_left else 0.86)
    c.circle(kx, y + h * 0.53, w * 0.045, hexc("#c8b27a"))
    c.rect(kx - w * 0.02, y + h * 0.53, w * 0.04, w * 0.09, shade(hexc("#c8b27a"), 0.2), edge=False)


def plant(c: Canvas, x: float, floor_y: float, s: float = 1.0, pot: Color = TERRACOTTA) -> None:
    """A potted leafy plant standing on ``floor_y`` (``s`` scales it; 1.0 is about knee high)."""
    contact_shadow(c, x, floor_y, 4.5 * s, 1.0 * s)
    leaves = [
        (-25, 9.0),
        (-55, 8.0),
        (-90, 10.5),
        (-120, 8.5),
        (-150, 8.5),
        (-72, 7.0),
        (-105, 7.5),
    ]
    for k, (ang, ln) in enumerate(leaves):
        col = PLANT if k % 2 else PLANT_DARK
        with c.transformed(rot=ang + 90, origin=(x, floor_y - 7 * s)):
            c.ellipse(x, floor_y - 7 * s - ln * s / 2, 1.9 * s, ln * s / 2, col)
    c.poly(
        [
            (x - 4 * s, floor_y - 8 * s),
            (x + 4 * s, floor_y - 8 * s),
            (x + 3 * s, floor_y),
            (x - 3 * s, floor_y),
        ],
        pot,
    )
    c.rect(x - 4.4 * s, floor_y - 8.6 * s, 8.8 * s, 1.6 * s, shade(pot, 0.12), 0.3)


def table_lamp(
    c: Canvas, x: float, base_y: float, s: float = 1.0, shade_col: Color = LAMPSHADE
) -> None:
    """A lamp with a drum shade whose base rests on ``base_y``; a warm glow behind it."""
    c.soft(ellipse_points(x, base_y - 9 * s, 9 * s, 7 * s, 24), hexc("#fff1cf"), 70, 4 * s)
    c.rect(x - 2.2 * s, base_y - 2 * s, 4.4 * s, 2 * s, shade(METAL, 0.2), 0.5)
    c.rect(x - 0.4 * s, base_y - 7 * s, 0.8 * s, 5.5 * s, shade(METAL, 0.3))
    c.poly(
        [
            (x - 3.2 * s, base_y - 12 * s),
            (x + 3.2 * s, base_y - 12 * s),
            (x + 4.6 * s, base_y - 6.5 * s),
            (x - 4.6 * s, base_y - 6.5 * s),
        ],
        shade_col,
    )


def floor_lamp(c: Canvas, x: float, floor_y: float, s: float = 1.0) -> None:
    """A tall reading lamp standing on ``floor_y``."""
    c.soft(ellipse_points(x, floor_y - 38 * s, 10 * s, 8 * s, 24), hexc("#fff1cf"), 60, 5 * s)
    contact_shadow(c, x, floor_y, 3.5 * s, 0.8 * s)
    c.rect(x - 3 * s, floor_y - 1.2 * s, 6 * s, 1.2 * s, shade(METAL, 0.35), 0.5)
    c.rect(x - 0.45 * s, floor_y - 36 * s, 0.9 * s, 35 * s, shade(METAL, 0.35))
    c.poly(
        [
            (x - 3.5 * s, floor_y - 44 * s),
            (x + 3.5 * s, floor_y - 44 * s),
            (x + 5.5 * s, floor_y - 36 * s),
            (x - 5.5 * s, floor_y - 36 * s),
        ],
        hexc("#eadcc0"),
    )


def framed_picture(
    c: Canvas,
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    frame: Color = PICTURE_FRAME,
    seed: int = 1,
) -> None:
    """A framed abstract landscape (hills, sun) — decoration without any text."""
    rng = random.Random(seed)
    c.rect(x, y, w, h, frame, 0.2)
    m = min(w, h) * 0.1
    ix, iy, iw, ih = x + m, y + m, w - 2 * m, h - 2 * m
    sky = mix(hexc("#dfe7e4"), hexc("#f1dcc6"), rng.random())
    c.rect(ix, iy, iw, ih, sky, edge=False)
    c.circle(
        ix + iw * rng.uniform(0.25, 0.75),
        iy + ih * 0.38,
        min(iw, ih) * 0.14,
        hexc("#e7b77a"),
        edge=False,
    )
    hill = mix(hexc("#8faa8c"), hexc("#6e8ea5"), rng.random())
    c.poly(
        [
            (ix, iy + ih * 0.75),
            (ix + iw * 0.35, iy + ih * 0.5),
            (ix + iw * 0.7, iy + ih * 0.72),
            (ix + iw, iy + ih * 0.6),
            (ix + iw, iy + ih),
            (ix, iy + ih),
        ],
        hill,
        edge=False,
    )
    c.poly(
        [
            (ix, iy + ih * 0.88),
            (ix + iw * 0.6, iy + ih * 0.7),
            (ix + iw, iy + ih * 0.85),
            (ix + iw, iy + ih),
            (ix, iy + ih),
        ],
        shade(hill, 0.2),
        edge=False,
    )


def books(c: Canvas, x: float, shelf_y: float, w: float, seed: int = 3, max_h: float = 6.0) -> None:
    """A row of book spines in muted colours standing on a shelf at ``shelf_y``."""
    rng = random.Random(seed)
    colours = [
        hexc("#7d8fa3"),
        hexc("#b98b6e"),
        hexc("#9aa88b"),
        hexc("#d1b27c"),
        hexc("#8c7a93"),
        hexc("#c9c2b4"),
        hexc("#5f6f66"),
    ]
    bx = x
    while bx < x + w - 1.0:
        bw = rng.uniform(0.9, 1.6)
        bh = rng.uniform(0.7, 1.0) * max_h
        col = rng.choice(colours)
        if rng.random() < 0.12 and bx + bh < x + w:
            c.rect(bx, shelf_y - bw, bh, bw, col)
            bx += bh + 0.2
            continue
        c.rect(bx, shelf_y - bh, bw, bh, col)
        c.rect(bx, shelf_y - bh * 0.8, bw, bh * 0.06, tint(col, 0.35), edge=False)
        bx += bw + 0.12


def chair_side(
    c: Canvas, x: float, floor_y: float, color: Color, *, facing_right: bool = True, s: float = 1.0
) -> None:
    """A simple chair seen from the side: seat, back and two legs."""
    d = 1 if facing_right else -1
    contact_shadow(c, x, floor_y, 5 * s, 0.8 * s, 55)
    leg = shade(color, 0.3)
    c.line(x - 4 * d * s, floor_y - 9 * s, x - 4.3 * d * s, floor_y, 0.8 * s, leg)
    c.line(x + 4 * d * s, floor_y - 9 * s, x + 4.3 * d * s, floor_y, 0.8 * s, leg)
    c.rect(x - 5 * s, floor_y - 10 * s, 10 * s, 1.6 * s, color, 0.5)
    bx = x - 5 * d * s - (0 if facing_right else 1.4 * s)
    c.poly(
        [
            (bx, floor_y - 10 * s),
            (bx + 1.4 * s, floor_y - 10 * s),
            (bx + 1.4 * s - d * 1.0 * s, floor_y - 22 * s),
            (bx - d * 1.0 * s, floor_y - 22 * s),
        ],
        color,
    )


def wall_clock(
    c: Canvas, x: float, y: float, r: float, hour: float = 10.0, minute: float = 10.0
) -> None:
    """A round wall clock (an institutional touch) showing the given time."""
    c.circle(x, y, r, hexc("#4a4f57"))
    c.circle(x, y, r * 0.86, PAPER)
    for k in range(12):
        a = math.radians(k * 30)
        c.line(
            x + math.sin(a) * r * 0.7,
            y - math.cos(a) * r * 0.7,
            x + math.sin(a) * r * 0.8,
            y - math.cos(a) * r * 0.8,
            r * 0.06,
            INK,
        )
    ha = math.radians((hour % 12 + minute / 60) * 30)
    ma = math.radians(minute * 6)
    c.line(x, y, x + math.sin(ha) * r * 0.45, y - math.cos(ha) * r * 0.45, r * 0.1, INK)
    c.line(x, y, x + math.sin(ma) * r * 0.68, y - math.cos(ma) * r * 0.68, r * 0.07, INK)
    c.circle(x, y, r * 0.07, TERRACOTTA, edge=False)


def ceiling_light(c: Canvas, x: float, y: float, w: float) -> None:
    """A flush ceiling light panel with a soft glow below it."""
    c.soft(ellipse_points(x, y + 2, w * 0.9, w * 0.35, 20), hexc("#fff6df"), 60, w * 0.3)
    c.rect(x - w / 2, y - 0.6, w, 1.5, hexc("#f6f3ea"), 0.6)
