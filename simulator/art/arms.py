"""Arms and hands of a portrait: the gestures that carry a mood's posture.

Calm arms hang at the sides; a guarded person crosses them; tension clenches the fists at the
hips, anger brings them up in front of the chest; hope clasps the hands; distress raises one
hand to the temple. Each arm is a few ``Part`` shapes drawn in two passes so that, in the
high-contrast theme, a hand or forearm is outlined as one silhouette over the clothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.art.canvas import Canvas, Point, bezier, ellipse_points
from simulator.art.face import Head, skin_tones
from simulator.art.mood import Expression
from simulator.art.palette import HC_EDGE, Color, shade
from simulator.art.people import Person
from simulator.art.torso import Torso


@dataclass(frozen=True)
class Part:
    """One filled shape of a limb: a polygon, or a stroke when ``width`` > 0."""

    pts: tuple[Point, ...]
    color: Color
    width: float = 0.0


def _draw(c: Canvas, parts: Sequence[Part]) -> None:
    if c.hc:
        e = 2 * c.edge_px / c.unit
        for p in parts:
            if p.width:
                c.stroke(p.pts, p.width + e, HC_EDGE)
            else:
                c.poly(p.pts, HC_EDGE, edge=False)
                c.stroke(p.pts, e, HC_EDGE, closed=True)
    for p in parts:
        if p.width:
            c.stroke(p.pts, p.width, p.color)
        else:
            c.poly(p.pts, p.color, edge=False)


def _rot(points: Sequence[Point], origin: Point, degrees: float) -> tuple[Point, ...]:
    ca, sa = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    ox, oy = origin
    return tuple(
        (ox + (x - ox) * ca - (y - oy) * sa, oy + (x - ox) * sa + (y - oy) * ca) for x, y in points
    )


def _forearm(person: Person, t: Torso, a: Point, b: Point, width: float) -> list[Part]:
    skin, _, _ = skin_tones(person)
    col = shade(person.cloth if t.long_sleeves else skin, 0.05)
    parts = [Part((a, b), col, width)]
    if t.long_sleeves:
        dx, dy = b[0] - a[0], b[1] - a[1]
        n = max(1e-6, math.hypot(dx, dy))
        cx, cy = b[0] - dx / n * 1.6, b[1] - dy / n * 1.6
        ux, uy = -dy / n * width * 0.46, dx / n * width * 0.46
        parts.append(Part(((cx - ux, cy - uy), (cx + ux, cy + uy)), shade(person.cloth, 0.22), 1.0))
    return parts


def _open_hand(skin: Color, at: Point, angle: float) -> list[Part]:
    """A hand seen from the back, fingers pointing along ``angle`` (degrees), thumb on top."""
    x, y = at
    palm = _rot(ellipse_points(x, y, 4.0, 3.1, 20)[:-1], at, angle)
    thumb = _rot(ellipse_points(x - 0.8, y - 2.6, 2.5, 1.2, 14)[:-1], at, angle)
    return [Part(thumb, skin), Part(palm, skin)]


def _finger_lines(c: Canvas, shade_col: Color, at: Point, angle: float) -> None:
    x, y = at
    for k in range(3):
        c.stroke(
            _rot([(x + 1.0, y - 1.6 + k * 1.5), (x + 3.4, y - 1.5 + k * 1.5)], at, angle),
            0.25,
            shade_col,
        )


def _fist(c: Canvas, person: Person, parts: list[Part], at: Point) -> None:
    skin, skin_shade, _ = skin_tones(person)
    x, y = at
    parts.append(Part(tuple(ellipse_points(x, y, 4.3, 3.7, 24)[:-1]), skin))
    _draw(c, parts)
    for k in range(3):
        c.line(x - 2.4 + k * 2.4, y - 3.2, x - 2.4 + k * 2.4, y - 1.4, 0.3, skin_shade)
    c.stroke(
        bezier((x - 3.6, y + 0.9), (x, y - 0.2), (x + 3.4, y + 0.7), 6), 0.35, shade(skin, 0.25)
    )


def draw_arms(c: Canvas, person: Person, e: Expression, t: Torso) -> None:
    """The arm seams of the sleeves, then the gesture for the mood (all but a raised hand)."""
    skin, skin_shade, _ = skin_tones(person)
    for side in (-1, 1):
        sx, sy = t.shoulder(side)
        seam = bezier(
            (sx - side * 6.5, sy + 12), (sx - side * 7.5, sy + 26), (sx - side * 6.0, 124), 8
        )
        c.stroke(seam, 0.45, shade(person.cloth, 0.22))
        if not t.long_sleeves:
            hem = bezier(
                (sx - side * 6.2, sy + 13.5),
                (sx - side * 2, sy + 15.5),
                (sx + side * 3.6, sy + 14.5),
                6,
            )
            c.stroke(hem, 0.9, shade(person.cloth, 0.14))
    if e.arms == "crossed":
        y = t.y0 + 18
        back_hand = (t.cx - t.sw + 9.5, y - 3.0)
        _draw(
            c,
            [
                *_forearm(person, t, (t.cx + t.sw - 4, y + 2), (t.cx - t.sw + 12, y - 2.2), 9.0),
                *_open_hand(skin, back_hand, 200),
            ],
        )
        front_hand = (t.cx + t.sw - 9.0, y + 0.6)
        _draw(
            c,
            [
                *_forearm(person, t, (t.cx - t.sw + 3, y + 5.5), (t.cx + t.sw - 12, y + 1.2), 9.5),
                *_open_hand(skin, front_hand, -15),
            ],
        )
        _finger_lines(c, skin_shade, front_hand, -15)
    elif e.arms == "clasped":
        y = t.y0 + 22
        for side in (-1, 1):
            _draw(
                c,
                _forearm(
                    person, t, (t.cx + side * (t.sw - 3), y + 4), (t.cx + side * 5.5, y + 1.5), 8.5
                ),
            )
        left = tuple(ellipse_points(t.cx - 2.4, y + 0.8, 4.4, 4.0, 22)[:-1])
        right = tuple(ellipse_points(t.cx + 2.4, y + 0.4, 4.4, 4.1, 22)[:-1])
        thumbs = tuple(ellipse_points(t.cx + 0.2, y - 3.4, 2.0, 1.4, 14)[:-1])
        _draw(c, [Part(left, skin), Part(right, skin), Part(thumbs, skin)])
        for k in range(4):
            x = t.cx - 3.2 + k * 2.1
            c.stroke([(x, y + 4.2), (x + 0.3, y + 1.4)], 0.28, skin_shade)
        c.stroke([(t.cx + 0.1, y - 2.4), (t.cx + 0.1, y + 1.0)], 0.3, skin_shade)
    elif e.arms == "fists":
        y = t.y0 + 21
        for side in (-1, 1):
            fist = (t.cx + side * 14.5, y + 1.5)
            _fist(
                c,
                person,
                _forearm(
                    person, t, (t.cx + side * (t.sw - 2), y + 16), (t.cx + side * 13, y + 3.5), 9.0
                ),
                fist,
            )
    elif e.arms == "fists_low":
        for side in (-1, 1):
            fist = (t.cx + side * (t.sw - 1.5), t.y0 + 33.5)
            _fist(
                c,
                person,
                _forearm(
                    person,
                    t,
                    (t.cx + side * (t.sw - 3.5), t.y0 + 18),
                    (fist[0], fist[1] - 2.5),
                    8.5,
                ),
                fist,
            )


def draw_raised_hand(c: Canvas, person: Person, t: Torso, h: Head) -> None:
    """A hand pressed to the temple in distress, elbow in front of the chest, over face and hair."""
    skin, skin_shade, _ = skin_tones(person)
    elbow = (t.cx - t.sw * 0.35, t.y0 + 27)
    wrist = (h.cx - h.rx + 0.8, h.cy + 6.5)
    palm = (h.cx - h.rx + 2.6, h.cy - 1.0)
    parts = _forearm(person, t, elbow, (wrist[0] - 0.6, wrist[1] + 7.0), 9.0)
    parts.append(Part(((wrist[0] - 0.6, wrist[1] + 7.0), wrist), skin, 5.2))
    parts.append(Part(tuple(ellipse_points(palm[0], palm[1] + 3.0, 3.8, 5.2, 22)[:-1]), skin))
    for k in range(4):
        a = (palm[0] - 2.2 + k * 1.6, palm[1] - 0.5)
        b = (palm[0] - 0.2 + k * 2.0, palm[1] - 6.8 + abs(k - 1.5) * 0.9)
        parts.append(Part((a, b), skin, 1.8))
    _draw(c, parts)
    for k in range(3):
        x = palm[0] - 1.1 + k * 1.8
        c.stroke(
            [(x, palm[1] - 0.5), (x + 0.6, palm[1] - 4.8 + abs(k - 1) * 0.8)], 0.25, skin_shade
        )
