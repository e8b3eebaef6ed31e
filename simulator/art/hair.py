"""Hairstyles of the portrait cast, each in up to three layers around the head and body.

``back`` is drawn before the body (volume behind the head, a bun, a tail behind the neck),
``drape`` after the body but before the face (braids lying over a shoulder), ``front`` after the
face (the hair framing the forehead). Hairlines follow the head's bow and turn so a lowered head
shows more hair, as it does in life.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from simulator.art.canvas import Canvas, Point, bezier, ellipse_points
from simulator.art.face import Head
from simulator.art.palette import Color, luminance, mix, shade, tint

Layer = Callable[[Canvas, Head, Color], None]


def _cap(h: Head, grow: float, top: float, temple_y: float) -> list[Point]:
    """The outer edge of the hair over the crown, from the left temple to the right temple."""
    rx, ry = h.rx + grow, h.ry_top + top
    a0 = (
        math.degrees(math.asin(max(-1.0, min(1.0, (temple_y - h.cy) / ry))))
        if temple_y < h.cy
        else 0.0
    )
    return ellipse_points(h.cx, h.cy, rx, ry, 28, 180 - a0, 360 + a0)


def _hairline(
    h: Head,
    temple_y: float,
    center_y: float,
    grow: float = 0.2,
    dip: float = 0.0,
    *,
    square: bool = False,
) -> list[Point]:
    """Forehead edge of the hair from the right temple back to the left one.

    ``square`` gives the corner at each temple of a short cut; otherwise the edge is one arc.
    """
    y = center_y + h.pitch * 5.5
    right = (h.cx + h.rx + grow, temple_y)
    left = (h.cx - h.rx - grow, temple_y)
    mid = (h.fx(0), y + dip)
    if square:
        rc, lc = (h.fx(h.rx - 2.4), y + 1.6), (h.fx(-h.rx + 2.4), y + 1.6)
        a = [right, *bezier(rc, (h.fx(h.rx * 0.45), y - 0.6), mid, 8)]
        b = [*bezier(mid, (h.fx(-h.rx * 0.45), y - 0.6), lc, 8)[1:], left]
        return [*a, *b]
    a = bezier(right, (h.fx(h.rx * 0.8), y - 1.5), mid, 10)
    b = bezier(mid, (h.fx(-h.rx * 0.8), y - 1.5), left, 10)
    return [*a, *b[1:]]


def _front_cap(
    c: Canvas,
    h: Head,
    col: Color,
    grow: float,
    top: float,
    temple_dy: float,
    center_dy: float,
    dip: float = 0.0,
    *,
    square: bool = False,
) -> list[Point]:
    temple_y = h.cy + temple_dy
    pts = [
        *_cap(h, grow, top, temple_y),
        *_hairline(h, temple_y, h.cy + center_dy, grow, dip, square=square),
    ]
    c.poly(pts, col)
    return pts


def _bumps(c: Canvas, pts: list[Point], r: float, col: Color, every: int = 1) -> None:
    for x, y in pts[::every]:
        c.circle(x, y, r, col, edge=False)


def _grain(col: Color, amount: float) -> Color:
    """A colour for strands drawn on hair: lighter on dark hair, darker on light or grey hair."""
    return shade(col, amount + 0.06) if luminance(col) > 0.5 else tint(col, amount)


def _curl_marks(
    c: Canvas, h: Head, col: Color, y0: float, y1: float, grow: float, spacing: float = 2.4
) -> None:
    """Small curl marks scattered over the crown: the grain of textured or curly hair."""
    rng = random.Random(round(h.rx * 100 + spacing * 10))
    y = y0 + spacing * 0.5
    row = 0
    while y < y1:
        half = math.sqrt(max(0.0, 1 - ((y - h.cy) / (h.ry_top + grow)) ** 2)) * (h.rx + grow - 1.6)
        x = h.cx - half + (spacing / 2 if row % 2 else 0) + spacing * 0.3
        while x < h.cx + half - spacing * 0.3:
            jx, jy = rng.uniform(-0.4, 0.4) * spacing, rng.uniform(-0.3, 0.3) * spacing
            a0 = rng.uniform(150, 230)
            arc = ellipse_points(x + jx, y + jy, spacing * 0.3, spacing * 0.24, 6, a0, a0 + 190)
            c.stroke(arc, 0.26, col)
            x += spacing
        y += spacing * 0.85
        row += 1


# --- styles ----------------------------------------------------------------------------


def crop_front(c: Canvas, h: Head, col: Color) -> None:
    """A short, neat cut with squared temples."""
    _front_cap(c, h, col, 0.9, 1.8, 2.0, -10.4, square=True)
    _texture_strokes(c, h, tint(col, 0.18))


def crop_textured_front(c: Canvas, h: Head, col: Color) -> None:
    """Close-cropped textured hair: a soft, slightly uneven edge and a fine grain."""
    pts = _front_cap(c, h, col, 1.0, 2.0, 2.0, -10.4, square=True)
    _bumps(c, pts[: len(pts) // 2], 0.8, col, 1)
    _curl_marks(
        c, h, _grain(col, 0.1), h.cy - h.ry_top - 1.0, h.cy - 12.0 + h.pitch * 5.5, 0.6, 1.8
    )


def _texture_strokes(c: Canvas, h: Head, col: Color) -> None:
    for k in range(-2, 3):
        c.stroke(
            bezier(
                (h.fx(k * 3.0), h.cy - 11.5 + h.pitch * 5.5),
                (h.fx(k * 3.6), h.cy - 16),
                (h.cx + k * 3.4, h.cy - h.ry_top - 0.8),
                6,
            ),
            0.28,
            col,
        )


def receding_front(c: Canvas, h: Head, col: Color) -> None:
    """Short hair whose hairline has drawn back at the temples."""
    temple_y = h.cy + 2.0
    c.poly([*_cap(h, 0.6, 0.8, temple_y), *_hairline(h, temple_y, h.cy - 15.5, 0.2, dip=3.0)], col)
    crop_sides(c, h, col)


def crop_sides(c: Canvas, h: Head, col: Color) -> None:
    """Short hair at the temples and above the ears, for cuts that leave the crown bare or thin."""
    for side in (-1, 1):
        x = h.cx + side * (h.rx + 0.5)
        c.poly(
            [
                (x + side * 0.4, h.cy - 7.0),
                (x - side * 1.8, h.cy - 5.0),
                (x - side * 1.6, h.cy + 3.5),
                (x - side * 0.3, h.cy + 4.0),
                (x + side * 0.5, h.cy),
            ],
            col,
        )


def bald_sides_front(c: Canvas, h: Head, col: Color) -> None:
    crop_sides(c, h, col)
    c.stroke(
        bezier(
            (h.cx - h.rx * 0.5, h.cy - 15.0 + h.pitch * 2),
            (h.cx, h.cy - 16.5 + h.pitch * 2),
            (h.cx + h.rx * 0.5, h.cy - 15.0 + h.pitch * 2),
            8,
        ),
        0.3,
        tint(col, 0.3),
    )


def side_part_front(c: Canvas, h: Head, col: Color) -> None:
    temple_y = h.cy + 2.5
    part_x = h.fx(-5.0)
    y = h.cy - 12.0 + h.pitch * 5.5
    pts = [
        *_cap(h, 1.2, 3.6, temple_y),
        (h.cx + h.rx + 0.3, temple_y),
        *bezier((h.cx + h.rx - 1.0, h.cy - 6.0), (h.fx(6), y + 1.5), (part_x, y - 1.0), 10),
        (h.cx - h.rx - 0.3, temple_y),
    ]
    c.poly(pts, col)
    c.poly(
        [
            (part_x, y - 1.2),
            *bezier((part_x, y - 1.2), (h.fx(6.5), y - 5.5), (h.cx + h.rx + 1.2, h.cy - 7.0), 8),
            (h.cx + h.rx - 1.5, h.cy - 6.0),
            *bezier((h.fx(8), y + 1.0), (h.fx(1), y + 2.0), (part_x, y - 0.4), 6),
        ],
        tint(col, 0.08),
        edge=False,
    )
    for k in range(3):
        c.stroke(
            bezier(
                (part_x + 1.5 + k * 2.6, y - 2.5),
                (h.fx(4 + k * 2.5), y - 4.6 + k * 0.6),
                (h.cx + h.rx - 1 + k * 0.4, h.cy - 8 + k * 1.5),
                6,
            ),
            0.3,
            tint(col, 0.28),
        )
    crop_sides(c, h, col)


def twists_front(c: Canvas, h: Head, col: Color) -> None:
    pts = _front_cap(c, h, col, 2.0, 3.6, 2.0, -10.6)
    _bumps(c, pts, 1.7, col, 2)
    _curl_marks(
        c, h, _grain(col, 0.18), h.cy - h.ry_top - 2.5, h.cy - 11.5 + h.pitch * 5.5, 1.5, 2.6
    )


def short_natural_front(c: Canvas, h: Head, col: Color) -> None:
    pts = _front_cap(c, h, col, 2.0, 3.4, 3.0, -11.0, square=True)
    _bumps(c, pts[:28], 1.3, col, 2)
    _curl_marks(
        c, h, _grain(col, 0.05), h.cy - h.ry_top - 2.5, h.cy - 12.5 + h.pitch * 5.5, 1.5, 2.0
    )


def curly_top_front(c: Canvas, h: Head, col: Color) -> None:
    temple_y = h.cy + 2.0
    c.poly(
        [*_cap(h, 0.6, 0.8, temple_y), *_hairline(h, temple_y, h.cy - 10.6)],
        mix(col, shade(col, 0.3), 0.5),
    )
    top = _cap(h, 2.4, 5.0, h.cy - 9.0)
    c.poly([*top, *bezier(top[-1], (h.fx(0), h.cy - 9.5 + h.pitch * 5.5), top[0], 8)], col)
    _bumps(c, top, 1.9, col, 2)
    _curl_marks(
        c, h, _grain(col, 0.2), h.cy - h.ry_top - 4.0, h.cy - 12.0 + h.pitch * 5.5, 3.0, 2.6
    )


def messy_front(c: Canvas, h: Head, col: Color) -> None:
    """Tousled, medium-short hair: uneven tufts on top and a fringe pushed to one side."""
    temple_y = h.cy + 2.5
    y = h.cy - 11.0 + h.pitch * 5.5
    cap = _cap(h, 1.6, 3.0, temple_y)
    c.poly([*cap, *_hairline(h, temple_y, h.cy - 11.0, 1.6, square=True)], col)
    for k, a in enumerate(range(196, 350, 22)):
        r = 2.6 + (k % 3) * 0.5
        ax, ay = math.cos(math.radians(a)), math.sin(math.radians(a))
        c.circle(
            h.cx + ax * (h.rx + 1.6 - r * 0.6),
            h.cy + ay * (h.ry_top + 3.0 - r * 0.6),
            r,
            col,
            edge=False,
        )
    c.poly(
        [
            (h.fx(-10), y - 2),
            *bezier((h.fx(-10), y - 2), (h.fx(-2), y + 4.2), (h.fx(7), y + 1.8), 8),
            (h.fx(9), y - 3),
            (h.fx(0), y - 4),
        ],
        col,
        edge=False,
    )
    for k in range(4):
        c.stroke(
            bezier(
                (h.fx(-8 + k * 4), h.cy - 21),
                (h.fx(-6 + k * 4), h.cy - 16),
                (h.fx(-3 + k * 4), y + 1.5),
                6,
            ),
            0.3,
            tint(col, 0.22),
        )


def pixie_front(c: Canvas, h: Head, col: Color) -> None:
    temple_y = h.cy + 4.0
    y = h.cy - 10.5 + h.pitch * 5.5
    cap = _cap(h, 1.6, 3.0, temple_y)
    sweep = bezier((h.cx + h.rx + 1.2, h.cy - 3.0), (h.fx(4), y + 3.5), (h.fx(-7), y - 1.0), 10)
    c.poly(
        [
            *cap,
            (h.cx + h.rx + 1.4, temple_y),
            *sweep,
            (h.cx - h.rx - 0.2, h.cy - 4.0),
            (h.cx - h.rx - 0.8, temple_y),
        ],
        col,
    )
    for k in range(3):
        c.stroke(
            bezier(
                (h.fx(-8 + k * 3), h.cy - 18),
                (h.fx(2 + k * 2), y - 3),
                (h.fx(9 + k), y + 1.0 + k),
                8,
            ),
            0.3,
            tint(col, 0.3),
        )


def sleek_front(c: Canvas, h: Head, col: Color) -> None:
    _front_cap(c, h, col, 0.9, 1.4, 4.0, -11.0, dip=0.6)
    for side in (-1, 1):
        c.stroke(
            bezier(
                (h.fx(side * 1.0), h.cy - 11 + h.pitch * 5.5),
                (h.fx(side * 9), h.cy - 15),
                (h.cx + side * (h.rx + 0.4), h.cy - 1),
                8,
            ),
            0.3,
            tint(col, 0.22),
        )


def bun_back(c: Canvas, h: Head, col: Color) -> None:
    c.circle(h.cx + 2, h.cy - h.ry_top - 1.5 + h.pitch * 2, 5.6, col)
    c.stroke(
        ellipse_points(h.cx + 2, h.cy - h.ry_top - 1.5 + h.pitch * 2, 3.2, 3.0, 12, 200, 330),
        0.3,
        tint(col, 0.25),
    )


def ponytail_back(c: Canvas, h: Head, col: Color) -> None:
    x = h.cx + h.rx - 1.5
    c.poly(
        [
            (x - 3, h.cy + 2),
            (x + 2, h.cy),
            *bezier((x + 2, h.cy), (x + 7, h.cy + 18), (x + 2.5, h.cy + 34), 10),
            (x - 0.5, h.cy + 30),
            (x - 1, h.cy + 14),
        ],
        col,
    )


def long_back(c: Canvas, h: Head, col: Color, length: float = 40.0, spread: float = 5.0) -> None:
    top = ellipse_points(h.cx, h.cy, h.rx + 3.0, h.ry_top + 3.2, 24, 180, 360)
    c.poly(
        [(h.cx - h.rx - spread, h.cy + length), *top, (h.cx + h.rx + spread, h.cy + length)], col
    )


def braids_back(c: Canvas, h: Head, col: Color) -> None:
    long_back(c, h, col, 46.0, 7.0)
    for k in range(-7, 8):
        x = h.cx + k * 2.4
        if abs(k) < 5:
            continue
        c.stroke([(x, h.cy), (x + k * 0.35, h.cy + 46)], 0.3, tint(col, 0.2))


def braids_front(c: Canvas, h: Head, col: Color) -> None:
    _front_cap(c, h, col, 1.2, 2.6, 8.0, -11.2, dip=0.5)
    for side in (-1, 1):
        x = h.cx + side * (h.rx + 0.6)
        c.poly(
            [
                (x - side * 1.5, h.cy - 6),
                (x + side * 2.6, h.cy - 4),
                (x + side * 3.8, h.cy + 26),
                (x + side * 0.2, h.cy + 26),
            ],
            col,
        )
        for k in range(3):
            bx = x + side * (0.3 + k * 1.2)
            c.stroke([(bx, h.cy - 3 + k), (bx + side * 0.8, h.cy + 25)], 0.28, tint(col, 0.22))
    for k in range(-4, 5):
        c.stroke(
            bezier(
                (h.fx(k * 2.2), h.cy - 11.5 + h.pitch * 5.5),
                (h.fx(k * 3.0), h.cy - 17),
                (h.cx + k * 1.5, h.cy - h.ry_top - 2.4),
                6,
            ),
            0.3,
            tint(col, 0.22),
        )


def long_braid_drape(c: Canvas, h: Head, col: Color) -> None:
    x, y = h.cx - h.rx + 1.0, h.cy + 14.0
    for k in range(9):
        bx = x - 1.0 - k * 0.55
        by = y + k * 4.3
        c.ellipse(bx, by, 2.6 - k * 0.08, 2.6, col)
        c.stroke(
            bezier((bx - 2.0, by - 1.2), (bx, by + 0.2), (bx + 2.0, by - 1.2), 5),
            0.3,
            tint(col, 0.22),
        )
    c.rect(x - 7.0, y + 37.5, 3.6, 1.6, tint(col, 0.5), 0.5)
    c.poly([(x - 7.2, y + 39), (x - 3.4, y + 39), (x - 3.8, y + 44), (x - 6.8, y + 44)], col)


def long_braid_back(c: Canvas, h: Head, col: Color) -> None:
    c.ellipse(h.cx, h.cy - 1, h.rx + 2.4, h.ry_top + 2.6, col)


STYLES: dict[str, tuple[Layer | None, Layer | None, Layer | None]] = {
    # name: (back, drape, front)
    "crop": (None, None, crop_front),
    "crop_textured": (None, None, crop_textured_front),
    "receding": (None, None, receding_front),
    "bald_sides": (None, None, bald_sides_front),
    "side_part": (None, None, side_part_front),
    "twists": (None, None, twists_front),
    "short_natural": (None, None, short_natural_front),
    "curly_top": (None, None, curly_top_front),
    "messy": (None, None, messy_front),
    "pixie": (None, None, pixie_front),
    "ponytail": (ponytail_back, None, sleek_front),
    "bun": (bun_back, None, sleek_front),
    "braids": (braids_back, None, braids_front),
    "long_braid": (long_braid_back, long_braid_drape, sleek_front),
}
