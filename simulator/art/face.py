"""The face of a portrait: head shape, eyes, brows, nose, mouth, lines of age, facial hair.

Everything is placed relative to a ``Head`` (centre and radii in the 100 x 120 portrait grid)
and moved by the mood's head turn and bow, so one set of drawing code serves every person and
every mood. Eyes are drawn as an almond of white with the iris, then skin-coloured lids are laid
over it: narrowing, widening and looking down are just different lid and iris positions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulator.art.canvas import Canvas, Point, bezier, ellipse_points
from simulator.art.mood import Expression
from simulator.art.palette import INK, PAPER, Color, hexc, luminance, mix, shade, tint
from simulator.art.people import Person


@dataclass(frozen=True)
class Head:
    """Where the head sits and how the mood has turned it; feature positions derive from it."""

    cx: float
    cy: float
    rx: float
    ry_top: float
    ry_bot: float
    jaw: float
    turn: float
    pitch: float

    @property
    def eye_y(self) -> float:
        return self.cy + 1.0 + self.pitch * 6.0

    def fx(self, dx: float, depth: float = 1.0) -> float:
        """Screen x of a feature ``dx`` from the face's centre line; ``depth`` > 1 for the nose."""
        return self.cx + dx * (1 - abs(self.turn) * 0.12) + self.turn * 3.6 * depth


def head_for(person: Person, expr: Expression, cx: float = 50.0, cy: float = 45.0) -> Head:
    return Head(
        cx,
        cy + expr.pitch * 2.5,
        15.4 * person.face_w,
        18.6,
        20.4,
        person.jaw,
        expr.turn,
        expr.pitch,
    )


def face_outline(h: Head) -> list[Point]:
    """Cranium as a half ellipse, jaw as a superellipse narrowing to the chin."""
    pts: list[Point] = []
    n_exp = 2.0 + h.jaw * 1.6
    chin_drop = -h.pitch * 1.2
    for k in range(64):
        a = math.tau * k / 64
        ca, sa = math.cos(a), math.sin(a)
        if sa < 0:
            pts.append((h.cx + h.rx * ca, h.cy + h.ry_top * sa))
        else:
            x = math.copysign(abs(ca) ** (2 / n_exp), ca)
            y = abs(sa) ** (2 / n_exp)
            taper = 1 - (0.34 - h.jaw * 0.14) * y**2
            pts.append(
                (h.cx + h.rx * x * taper + h.turn * 1.2 * y, h.cy + (h.ry_bot + chin_drop) * y)
            )
    return pts


def skin_tones(person: Person) -> tuple[Color, Color, Color]:
    """Skin, its shade and its lip colour, tuned so each reads on light and deep skin alike."""
    skin = person.skin
    dark = luminance(skin) < 0.45
    lip = mix(skin, hexc("#5a2a26") if dark else hexc("#b5655e"), 0.24 if dark else 0.3)
    return skin, shade(skin, 0.13), lip


def draw_face(c: Canvas, person: Person, expr: Expression, h: Head) -> None:
    """Ears, face and every feature for ``expr``; hair is drawn by the caller around this."""
    skin, skin_shade, lip = skin_tones(person)
    for side in (-1, 1):
        ex = h.cx + side * (h.rx - 0.6) - h.turn * 1.6
        c.ellipse(ex, h.cy + 5.5, 2.7, 4.3, skin_shade if side * h.turn > 0.1 else skin)
        c.ellipse(ex + side * 0.5, h.cy + 5.6, 1.2, 2.6, shade(skin, 0.22), edge=False)
        if person.earrings:
            c.circle(ex + side * 0.2, h.cy + 10.2, 0.9, hexc("#d8c07f"))
    outline = face_outline(h)
    c.poly(outline, skin_shade)
    with c.transformed(dx=-1.3 + h.turn * 0.5):
        c.poly(outline, skin, edge=False)
    blush = round(36 * max(0.0, luminance(skin) - 0.35) / 0.45)
    for side in (-1, 1):
        if blush > 4:
            c.soft(
                ellipse_points(h.fx(side * 8.0), h.eye_y + 6.2, 3.0, 1.8, 16),
                hexc("#d98a7a"),
                blush,
                1.6,
            )
    if expr.flush > 0:
        for side in (-1, 1):
            c.soft(
                ellipse_points(h.fx(side * 7.5), h.eye_y + 7, 3.4, 2.0, 16),
                hexc("#c0504a"),
                round(70 * expr.flush),
                1.6,
            )
    _age_lines(c, person, expr, h, skin)
    _eyes(c, person, expr, h, skin)
    _nose(c, h, skin)
    _facial_hair(c, person, expr, h)
    _mouth(c, person, expr, h, lip)
    _moustache(c, person, expr, h)
    _brows(c, person, expr, h)
    if person.glasses:
        _glasses(c, person, h)
    if expr.tear:
        tx, ty = h.fx(-6.2) - 0.8, h.eye_y + 4.0
        c.poly(
            [
                (tx, ty - 2.2),
                (tx + 1.1, ty + 0.4),
                *ellipse_points(tx, ty + 0.6, 1.1, 1.2, 10, 0, 180),
            ],
            hexc("#bcd7e8"),
        )
        c.circle(tx - 0.3, ty + 0.2, 0.35, PAPER, edge=False)


def _eyes(c: Canvas, person: Person, e: Expression, h: Head, skin: Color) -> None:
    half_w = 3.1
    up = 2.1 * e.eye_open
    low = 1.5 * (1 - e.lower_lid * 0.8)
    lid = shade(skin, 0.06)
    for side in (-1, 1):
        cx = h.fx(side * 6.3)
        cy = h.eye_y
        w = half_w * (1 - 0.12 * max(0.0, side * -e.turn))
        left, right = (cx - w, cy + 0.2), (cx + w, cy + 0.2)
        inner_lift = 0.25 * side
        upper = bezier(left, (cx - side * 0.4, cy - up * 1.6 - inner_lift), right, 14)
        lower = bezier(right, (cx, cy + low * 1.6), left, 14)
        c.poly([*upper, *lower[1:-1]], hexc("#f4f0ea"), edge=False)
        ix = cx + e.gaze[0] * 1.3
        iy = cy + 0.1 + e.gaze[1] * 1.1
        c.circle(ix, iy, 1.55, person.iris, edge=False)
        c.circle(ix, iy, 0.75, INK, edge=False)
        c.circle(ix + 0.5, iy - 0.55, 0.33, PAPER, edge=False)
        cover_top = [*upper, (right[0] + 0.8, cy - 4.5), (left[0] - 0.8, cy - 4.5)]
        c.poly(cover_top, skin, edge=False)
        cover_bottom = [*lower, (left[0] - 0.8, cy + 4.0), (right[0] + 0.8, cy + 4.0)]
        c.poly(cover_bottom, skin, edge=False)
        if e.eye_open < 0.8:
            c.poly(
                [*upper, *bezier(right, (cx, cy - up * 1.6 - 1.4), left, 10)[1:-1]], lid, edge=False
            )
        c.stroke(upper, 0.9 if c.hc else 0.62, INK if c.hc else mix(INK, person.hair_color, 0.2))
        c.stroke(lower[3:-3], 0.25, shade(skin, 0.25))
        crease = bezier(
            (left[0] + 0.4, cy - up - 0.6),
            (cx, cy - up * 1.6 - 1.6),
            (right[0] - 0.4, cy - up - 0.6),
            8,
        )
        if e.eye_open >= 0.8:
            c.stroke(crease, 0.22, shade(skin, 0.2))


def _brows(c: Canvas, person: Person, e: Expression, h: Head) -> None:
    col = person.brow_color or mix(person.hair_color, INK, 0.15)
    thick = 0.75 * person.brow * (1.2 if c.hc else 1.0)
    base = h.eye_y - 4.9 - (e.eye_open - 1) * 1.2
    for side in (-1, 1):
        inner_x = h.fx(side * (2.6 - e.brow_knit * 0.9))
        outer_x = h.fx(side * 9.6)
        inner = (inner_x, base - e.brow_inner * 2.0 + e.brow_knit * 0.5)
        outer = (outer_x, base + 0.9 - e.brow_outer * 1.5)
        arch = (
            (inner[0] + outer[0]) / 2 + side * 0.8,
            min(inner[1], outer[1]) - 1.2 - e.brow_outer * 0.3,
        )
        mid = bezier(inner, arch, outer, 10)
        top = [(x, y - thick * (1.15 - 0.6 * k / 10)) for k, (x, y) in enumerate(mid)]
        bot = [(x, y + thick * (1.0 - 0.6 * k / 10)) for k, (x, y) in enumerate(mid)]
        c.poly([*top, *bot[::-1]], col, edge=False)
        if e.brow_knit > 0.5:
            c.stroke(
                [(h.fx(side * 1.0), base - 0.2), (h.fx(side * 1.4), base + 1.8)],
                0.22,
                shade(person.skin, 0.2),
            )


def _nose(c: Canvas, h: Head, skin: Color) -> None:
    ny = h.eye_y + 7.4 - h.pitch * 0.8
    nx = h.fx(0, 1.4)
    c.poly(
        [(nx + 0.2, h.eye_y + 1.5), (nx + 1.5, ny - 0.8), (nx + 0.8, ny), (nx - 0.2, ny - 1.2)],
        shade(skin, 0.07),
        edge=False,
    )
    c.stroke(
        bezier((nx - 2.4, ny - 0.6), (nx, ny + 1.5), (nx + 2.4, ny - 0.6), 10),
        0.55,
        shade(skin, 0.3),
    )
    for side in (-1, 1):
        c.stroke(
            bezier(
                (nx + side * 2.4, ny - 0.6),
                (nx + side * 3.0, ny - 1.6),
                (nx + side * 2.0, ny - 2.4),
                6,
            ),
            0.35,
            shade(skin, 0.22),
        )


def _mouth(c: Canvas, person: Person, e: Expression, h: Head, lip: Color) -> None:
    my = h.eye_y + 12.6 - h.pitch * 1.4
    mx = h.fx(0, 1.1)
    hw = 4.2 * e.mouth_width
    lift = e.mouth_curve * 1.5
    left, right = (mx - hw, my - lift), (mx + hw, my - lift)
    sag = e.mouth_curve * 1.6
    line_col = INK if c.hc else mix(lip, INK, 0.45)
    if e.mouth_open > 0.05 and e.teeth and e.mouth_curve < 0:
        _snarl(c, e, mx, my, hw, lip, line_col)
        return
    if e.mouth_open > 0.05:
        upper = bezier(left, (mx, my + sag * 0.35 - 0.6), right, 14)
        lower = bezier(right, (mx, my + sag + e.mouth_open * 6.0), left, 14)
        c.poly([*upper, *lower[1:-1]], hexc("#5b2f2d"), edge=False)
        if e.teeth:
            t_low = bezier(right, (mx, my + sag * 0.35 + 1.2 + e.mouth_open * 1.0), left, 14)
            c.poly([*upper, *t_low[1:-1]], hexc("#f3efe8"), edge=False)
        c.stroke([*upper, *lower[1:]], 0.45, line_col, closed=True)
        lip_low = bezier(
            (right[0] - 1.2, right[1] + 0.8),
            (mx, my + sag + e.mouth_open * 6.0 + 1.6 * person.lip),
            (left[0] + 1.2, left[1] + 0.8),
            10,
        )
        c.stroke(lip_low[2:-2], 0.8 * person.lip, lip)
        return
    mid = bezier(left, (mx, my + sag), right, 14)
    upper_lip = bezier(
        (left[0] + 0.6, left[1] - 0.1),
        (mx, my + sag - 1.3 * person.lip),
        (right[0] - 0.6, right[1] - 0.1),
        12,
    )
    c.poly([*upper_lip, *mid[::-1][1:-1]], mix(lip, person.skin, 0.25), edge=False)
    low = bezier(
        (left[0] + 0.9, left[1] + 0.4),
        (mx, my + sag + 2.2 * person.lip),
        (right[0] - 0.9, right[1] + 0.4),
        12,
    )
    c.poly([*mid[1:-1], *low[::-1]], lip, edge=False)
    c.stroke(mid, 0.75 if c.hc else 0.5, line_col)
    if e.mouth_curve > 0.2:
        for side in (-1, 1):
            cx, cy = left if side < 0 else right
            c.stroke([(cx, cy), (cx + side * 0.7, cy - 0.35)], 0.35, line_col)


def _snarl(
    c: Canvas, e: Expression, mx: float, my: float, hw: float, lip: Color, line_col: Color
) -> None:
    """An angry, open mouth: squared off, corners pulled down, both rows of teeth showing."""
    depth = 1.6 + e.mouth_open * 3.0
    top = [
        (mx - hw, my + 0.9),
        (mx - hw * 0.62, my - 1.0),
        (mx + hw * 0.62, my - 1.0),
        (mx + hw, my + 0.9),
    ]
    bottom = [(mx + hw * 0.72, my + depth), (mx - hw * 0.72, my + depth)]
    c.poly([*top, *bottom], hexc("#5b2f2d"), edge=False)
    c.poly(
        [top[1], top[2], (mx + hw * 0.62, my + 0.2), (mx - hw * 0.62, my + 0.2)],
        hexc("#f3efe8"),
        edge=False,
    )
    c.poly(
        [(mx - hw * 0.6, my + depth - 0.9), (mx + hw * 0.6, my + depth - 0.9), *bottom],
        hexc("#e9e3da"),
        edge=False,
    )
    c.stroke([*top, *bottom], 0.45, line_col, closed=True)
    c.stroke([(mx - hw * 0.55, my + depth + 1.0), (mx + hw * 0.55, my + depth + 1.0)], 0.9, lip)


def _age_lines(c: Canvas, person: Person, e: Expression, h: Head, skin: Color) -> None:
    if person.age < 45:
        return
    col = shade(skin, 0.16)
    w = 0.22 + (person.age - 45) * 0.004
    for side in (-1, 1):
        x = h.fx(side * 9.6)
        y = h.eye_y + 0.4
        c.stroke([(x, y - 0.7), (x + side * 1.3, y - 1.1)], w, col)
        c.stroke([(x, y + 0.6), (x + side * 1.3, y + 1.0)], w, col)
        c.stroke(
            bezier(
                (h.fx(side * 2.4, 1.4), h.eye_y + 6.0),
                (h.fx(side * 5.2, 1.2), h.eye_y + 8.5),
                (h.fx(side * 5.4), h.eye_y + 12.0),
                8,
            ),
            w,
            col,
        )
    if person.age >= 50:
        for k in (0, 1):
            y = h.eye_y - 10.5 - k * 2.2 - e.brow_inner * 0.6
            c.stroke(
                bezier((h.fx(-5 + k), y), (h.fx(0), y - 0.8), (h.fx(5 - k), y), 8), w * 0.8, col
            )


def _facial_hair(c: Canvas, person: Person, e: Expression, h: Head) -> None:
    kind = person.facial_hair
    if not kind:
        return
    col = person.hair_color
    my = h.eye_y + 12.6 - h.pitch * 1.4
    mx = h.fx(0, 1.1)
    if kind == "stubble":
        jaw = [(h.cx + (x - h.cx) * 0.94, y - 0.6) for x, y in face_outline(h) if y > my - 1.0]
        c.soft(
            [*jaw, (h.fx(5.5), my + 2.2), (h.fx(0), my + 3.2), (h.fx(-5.5), my + 2.2)], col, 34, 0.8
        )
        c.soft(
            [
                *bezier((mx - 4.6, my), (mx, my - 4.0), (mx + 4.6, my), 8),
                *bezier((mx + 3.8, my - 0.8), (mx, my - 2.0), (mx - 3.8, my - 0.8), 8),
            ],
            col,
            40,
            0.6,
        )
        return
    if kind == "beard":
        outer = [
            (h.cx + (x - h.cx) * 1.04, h.cy + (y - h.cy) * 1.05)
            for x, y in face_outline(h)
            if y > h.cy + 1.0
        ]
        right = bezier(
            (h.cx + h.rx - 0.4, h.cy + 1.0), (h.fx(10.5), my - 0.5), (h.fx(5.2), my + 0.4), 10
        )
        under = bezier(
            (h.fx(5.2), my + 0.4), (mx, my + 4.8 + e.mouth_open * 5.0), (h.fx(-5.2), my + 0.4), 10
        )
        left = bezier(
            (h.fx(-5.2), my + 0.4), (h.fx(-10.5), my - 0.5), (h.cx - h.rx + 0.4, h.cy + 1.0), 10
        )
        inner = [*right, *under[1:], *left[1:]]
        c.poly([*outer, *inner[::-1]], mix(col, person.skin, 0.1))
    if kind == "goatee":
        c.poly(
            [
                *bezier((mx - 3.2, my + 3.2), (mx, my + 8.5), (mx + 3.2, my + 3.2), 10),
                (mx + 1.5, my + 2.6),
                (mx - 1.5, my + 2.6),
            ],
            col,
        )


def _moustache(c: Canvas, person: Person, e: Expression, h: Head) -> None:
    if person.facial_hair not in ("beard", "moustache", "goatee"):
        return
    my = h.eye_y + 12.6 - h.pitch * 1.4
    mx = h.fx(0, 1.1)
    lift = e.mouth_curve * 1.5
    top = bezier((mx - 5.4, my - lift + 0.5), (mx, my - 5.4), (mx + 5.4, my - lift + 0.5), 12)
    bottom = bezier(
        (mx + 4.6, my - lift - 0.5),
        (mx, my - 2.0 - max(0.0, e.mouth_open) * 0.6),
        (mx - 4.6, my - lift - 0.5),
        12,
    )
    c.poly([*top, *bottom], mix(person.hair_color, person.skin, 0.06))


def _glasses(c: Canvas, person: Person, h: Head) -> None:
    frame = hexc("#3b3633") if person.glasses == "square" else hexc("#8a6a4f")
    for side in (-1, 1):
        cx, cy = h.fx(side * 6.3), h.eye_y + 0.2
        if person.glasses == "round":
            ring = ellipse_points(cx, cy, 4.0, 3.6, 28)
        else:
            ring = [
                (cx - 4.4, cy - 3.0),
                (cx + 4.4, cy - 3.0),
                (cx + 4.0, cy + 2.9),
                (cx - 4.0, cy + 2.9),
            ]
        c.glaze(ring, tint(hexc("#cfe0ea"), 0.2), 45)
        c.stroke(ring, 0.6, frame, closed=True)
        c.stroke(
            [(cx + side * 4.3, cy - 1.2), (h.cx + side * (h.rx - 0.3) - h.turn * 1.6, cy - 1.6)],
            0.55,
            frame,
        )
    c.stroke(
        bezier(
            (h.fx(-2.2), h.eye_y - 0.6),
            (h.fx(0, 1.3), h.eye_y - 1.8),
            (h.fx(2.2), h.eye_y - 0.6),
            6,
        ),
        0.55,
        frame,
    )
