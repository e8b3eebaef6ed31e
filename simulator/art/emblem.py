"""The emblem of the fictional Model State Division of Parole.

A round seal: a shield bearing a path that leads toward a rising sun (supervision as a road back
into the community), inside a ring of small stars. It deliberately resembles no real agency's
insignia and carries no text, so it can be drawn at any size; the app sets the name beside it.
"""

from __future__ import annotations

import math

from simulator.art.canvas import Canvas, Point, bezier
from simulator.art.palette import CREAM, MUSTARD, NAVY, PAPER, PLANT, TEAL, hexc, shade, tint


def star_points(
    cx: float, cy: float, r_out: float, r_in: float, n: int = 5, rot: float = -90.0
) -> list[Point]:
    """A regular ``n``-pointed star, first point at angle ``rot`` degrees."""
    pts = []
    for k in range(n * 2):
        r = r_out if k % 2 == 0 else r_in
        a = math.radians(rot + k * 180 / n)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def shield_points(cx: float, cy: float, w: float, h: float) -> list[Point]:
    """A heater shield centred on (cx, cy): flat top, curved sides meeting in a point."""
    top = cy - h / 2
    right = bezier((cx + w / 2, top + h * 0.45), (cx + w / 2, top + h * 0.85), (cx, top + h), 10)
    left = bezier((cx, top + h), (cx - w / 2, top + h * 0.85), (cx - w / 2, top + h * 0.45), 10)
    return [(cx - w / 2, top), (cx + w / 2, top), *right, *left[1:]]


def emblem(c: Canvas, cx: float, cy: float, r: float) -> None:
    """Draw the division's seal of radius ``r`` design units centred on (cx, cy)."""
    c.circle(cx, cy, r, NAVY)
    c.circle(cx, cy, r * 0.9, tint(NAVY, 0.12), edge=False)
    for k in range(12):
        a = math.radians(k * 30 - 90)
        c.poly(
            star_points(
                cx + math.cos(a) * r * 0.79, cy + math.sin(a) * r * 0.79, r * 0.07, r * 0.03
            ),
            MUSTARD,
            edge=False,
        )
    c.circle(cx, cy, r * 0.68, MUSTARD)
    c.circle(cx, cy, r * 0.63, CREAM)
    sw, sh = r * 0.8, r * 0.95
    shield = shield_points(cx, cy + r * 0.02, sw, sh)
    c.poly(shield, TEAL)
    top = cy + r * 0.02 - sh / 2
    horizon = top + sh * 0.42
    c.poly([(cx - sw / 2, horizon), (cx + sw / 2, horizon), *shield[2:]], PLANT, edge=False)
    sun_r = sw * 0.2
    c.poly(
        [
            (cx + sun_r * math.cos(math.radians(a)), horizon + sun_r * math.sin(math.radians(a)))
            for a in range(180, 361, 15)
        ],
        hexc("#f0c987"),
        edge=False,
    )
    for k in range(5):
        a = math.radians(200 + k * 35)
        c.line(
            cx + math.cos(a) * sun_r * 1.35,
            horizon + math.sin(a) * sun_r * 1.35,
            cx + math.cos(a) * sun_r * 1.8,
            horizon + math.sin(a) * sun_r * 1.8,
            r * 0.03,
            hexc("#f0c987"),
        )
    bottom = top + sh
    c.poly(
        [
            (cx - sw * 0.05, horizon),
            (cx + sw * 0.05, horizon),
            (cx + sw * 0.22, bottom - sh * 0.08),
            (cx - sw * 0.22, bottom - sh * 0.08),
        ],
        PAPER,
        edge=False,
    )
    c.stroke(shield, r * 0.045, shade(TEAL, 0.45), closed=True)
