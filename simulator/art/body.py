"""Neck, shoulders, clothing and arms of a portrait, posed by the mood.

Posture carries as much of a mood as the face does: raised shoulders for tension, crossed arms
for a guarded person, clasped hands and a lean for hope, fists for anger, a hand to the head for
distress and dropped, rounded shoulders for withdrawal. ``Torso`` holds the pose-dependent
measures; clothing styles draw on top of it. Coordinates are the 100 x 120 portrait grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulator.art.canvas import Canvas, Point, bezier
from simulator.art.emblem import emblem
from simulator.art.face import Head, skin_tones
from simulator.art.mood import Expression
from simulator.art.palette import PAPER, Color, hexc, mix, shade, tint
from simulator.art.people import Person

CLOTHES = {
    # name: (neckline, long sleeves)
    "hoodie": ("hood", True),
    "cardigan": ("open", True),
    "work_jacket": ("jacket", True),
    "zip_jacket": ("zip", True),
    "sweater": ("crew", True),
    "blouse": ("v", True),
    "polo": ("polo", False),
    "polo_badge": ("polo", False),
    "button_shirt": ("collar", True),
    "shirt_tie": ("tie", True),
    "denim_jacket": ("jacket", True),
    "flannel": ("collar", True),
    "fleece": ("zip", True),
    "tshirt": ("crew", False),
}


@dataclass(frozen=True)
class Torso:
    cx: float
    y0: float  # shoulder line
    sw: float  # half width at the shoulder tips
    neck_w: float
    long_sleeves: bool

    def shoulder(self, side: int) -> Point:
        return (self.cx + side * self.sw, self.y0 + 6.0)


def torso_for(person: Person, expr: Expression) -> Torso:
    long_sleeves = CLOTHES[person.clothing][1]
    y0 = 74.5 - expr.shoulders + expr.slump * 1.5
    sw = 31.0 * person.build * (1 - 0.07 * expr.slump)
    return Torso(50.0, y0, sw, 5.6 + 0.8 * person.build, long_sleeves)


def draw_neck(c: Canvas, person: Person, t: Torso, h: Head) -> None:
    skin, skin_shade, _ = skin_tones(person)
    top = h.cy + 8.0
    c.poly(
        [
            (t.cx - t.neck_w, top),
            (t.cx + t.neck_w, top),
            (t.cx + t.neck_w + 0.6, t.y0 + 6),
            (t.cx - t.neck_w - 0.6, t.y0 + 6),
        ],
        skin_shade,
        edge=False,
    )
    c.poly(
        [
            (t.cx - t.neck_w + 1.4, h.cy + h.ry_bot + 3.0),
            (t.cx + t.neck_w - 1.6, h.cy + h.ry_bot + 3.0),
            (t.cx + t.neck_w - 1.0, t.y0 + 6),
            (t.cx - t.neck_w + 0.8, t.y0 + 6),
        ],
        mix(skin, skin_shade, 0.35),
        edge=False,
    )


def _silhouette(t: Torso, neck_dip: float) -> list[Point]:
    l_sh, r_sh = t.shoulder(-1), t.shoulder(1)
    nl, nr = (t.cx - t.neck_w - 1.0, t.y0 - 3.0), (t.cx + t.neck_w + 1.0, t.y0 - 3.0)
    left = bezier(nl, (t.cx - t.sw * 0.75, t.y0 - 3.5), l_sh, 10)
    right = bezier(r_sh, (t.cx + t.sw * 0.75, t.y0 - 3.5), nr, 10)
    neck = bezier(nr, (t.cx, t.y0 + neck_dip), nl, 10)
    return [
        *left,
        (l_sh[0] - 3.0, t.y0 + 22),
        (l_sh[0] - 4.0, 124.0),
        (r_sh[0] + 4.0, 124.0),
        (r_sh[0] + 3.0, t.y0 + 22),
        *right,
        *neck[1:-1],
    ]


def draw_body(c: Canvas, person: Person, expr: Expression, t: Torso) -> None:
    """Clothing over the torso and the arms that lie in front of it (all but a raised hand)."""
    neckline, _ = CLOTHES[person.clothing]
    cloth, cloth2 = person.cloth, person.cloth2
    dip = {"crew": 4.0, "v": 12.0, "open": 5.0, "zip": 3.0, "jacket": 6.0, "hood": 4.0}.get(
        neckline, 3.0
    )
    body = _silhouette(t, dip)
    c.poly(body, cloth)
    if person.clothing == "flannel":
        with c.masked(body):
            _plaid(c, t, cloth)
    if neckline == "open":
        _open_front(c, t, cloth, cloth2)
    elif neckline in ("zip", "jacket"):
        _jacket(
            c,
            t,
            cloth,
            cloth2,
            denim=person.clothing == "denim_jacket",
            work=person.clothing == "work_jacket",
        )
    elif neckline == "hood":
        _hood(c, t, cloth, cloth2)
    elif neckline in ("collar", "polo", "tie"):
        _collar(c, t, cloth, cloth2, neckline)
    elif neckline == "crew":
        c.stroke(
            bezier(
                (t.cx - t.neck_w - 1, t.y0 - 3),
                (t.cx, t.y0 + dip + 0.5),
                (t.cx + t.neck_w + 1, t.y0 - 3),
                10,
            ),
            1.4,
            shade(cloth, 0.14),
        )
    elif neckline == "v":
        c.stroke(
            [(t.cx - t.neck_w - 1, t.y0 - 3), (t.cx, t.y0 + dip), (t.cx + t.neck_w + 1, t.y0 - 3)],
            0.9,
            shade(cloth, 0.18),
        )
    if person.clothing == "polo_badge":
        emblem(c, t.cx - t.sw * 0.45, t.y0 + 14, 3.2)
    if person.badge:
        _badge(c, t, person)
    _arms(c, person, expr, t)


def _open_front(c: Canvas, t: Torso, cloth: Color, inner: Color) -> None:
    c.poly(
        [
            (t.cx - t.neck_w - 1, t.y0 - 3),
            (t.cx + t.neck_w + 1, t.y0 - 3),
            (t.cx + 7, 124),
            (t.cx - 7, 124),
        ],
        inner,
    )
    c.stroke(
        bezier(
            (t.cx - t.neck_w - 1, t.y0 - 3), (t.cx, t.y0 + 5), (t.cx + t.neck_w + 1, t.y0 - 3), 10
        ),
        0.8,
        shade(inner, 0.15),
    )
    for side in (-1, 1):
        c.poly(
            [
                (t.cx + side * (t.neck_w + 1.5), t.y0 - 3.5),
                (t.cx + side * (t.neck_w + 3.5), t.y0 - 3),
                (t.cx + side * 9.5, 124),
                (t.cx + side * 6.0, 124),
            ],
            shade(cloth, 0.1),
        )
    for k in range(4):
        c.circle(t.cx - 7.6 + k * 0.2, t.y0 + 12 + k * 8, 0.8, tint(cloth, 0.4))


def _jacket(c: Canvas, t: Torso, cloth: Color, inner: Color, *, denim: bool, work: bool) -> None:
    c.poly(
        [
            (t.cx - t.neck_w, t.y0 - 2),
            (t.cx + t.neck_w, t.y0 - 2),
            (t.cx + 2.0, t.y0 + 8),
            (t.cx - 2.0, t.y0 + 8),
        ],
        inner,
        edge=False,
    )
    c.line(t.cx + 0.5, t.y0 + 6, t.cx + 0.5, 124, 0.5, shade(cloth, 0.3))
    for side in (-1, 1):
        collar = [
            (t.cx + side * (t.neck_w + 1.2), t.y0 - 4.5),
            (t.cx + side * (t.neck_w + 4.5), t.y0 - 2.5),
            (t.cx + side * 9.0, t.y0 + 5.0),
            (t.cx + side * 1.0, t.y0 + 7.0),
        ]
        c.poly(collar, tint(cloth, 0.1) if not work else hexc("#5b4a36"))
        px = t.cx + side * t.sw * 0.5
        c.rect(px - 5, t.y0 + 17, 10, 7, shade(cloth, 0.08), 0.8)
        c.line(px - 5, t.y0 + 19, px + 5, t.y0 + 19, 0.3, shade(cloth, 0.3))
        if denim:
            c.stroke(
                [(t.cx + side * 2.0, t.y0 + 13), (t.cx + side * t.sw * 0.9, t.y0 + 12)],
                0.3,
                hexc("#d7b37a"),
            )
            c.circle(px, t.y0 + 20.5, 0.6, hexc("#b89a63"))


def _hood(c: Canvas, t: Torso, cloth: Color, lining: Color) -> None:
    for side in (-1, 1):
        c.poly(
            [
                (t.cx + side * (t.neck_w - 1), t.y0 - 5.5),
                (t.cx + side * (t.neck_w + 9), t.y0 - 4),
                (t.cx + side * (t.neck_w + 8), t.y0 + 4),
                (t.cx + side * 2.0, t.y0 + 6.5),
            ],
            shade(cloth, 0.12),
        )
    c.stroke(
        bezier(
            (t.cx - t.neck_w - 1, t.y0 - 3), (t.cx, t.y0 + 5.5), (t.cx + t.neck_w + 1, t.y0 - 3), 10
        ),
        1.0,
        shade(lining, 0.1),
    )
    for side in (-1, 1):
        c.stroke([(t.cx + side * 2.8, t.y0 + 4), (t.cx + side * 3.2, t.y0 + 18)], 0.55, lining)
        c.circle(t.cx + side * 3.2, t.y0 + 18.5, 0.7, lining)
    c.rect(t.cx - 10, t.y0 + 28, 20, 11, shade(cloth, 0.08), 2.0)


def _plaid(c: Canvas, t: Torso, cloth: Color) -> None:
    """Broad dark bands crossed with thin light threads: a flannel check."""
    for k in range(-6, 7):
        x = t.cx + k * 6.5
        c.line(x, t.y0 - 8, x, 126, 1.8, shade(cloth, 0.18))
        c.line(x + 3.2, t.y0 - 8, x + 3.2, 126, 0.3, tint(cloth, 0.3))
    for k in range(8):
        y = t.y0 - 4 + k * 6.5
        c.line(t.cx - t.sw - 6, y, t.cx + t.sw + 6, y, 1.6, shade(cloth, 0.18))
        c.line(t.cx - t.sw - 6, y + 3.2, t.cx + t.sw + 6, y + 3.2, 0.3, tint(cloth, 0.3))


def _collar(c: Canvas, t: Torso, cloth: Color, trim: Color, kind: str) -> None:
    depth = 12.0 if kind == "polo" else 124.0
    c.line(t.cx, t.y0 + 2, t.cx, t.y0 + depth if depth < 100 else 124, 0.4, shade(cloth, 0.28))
    n = 2 if kind == "polo" else 5
    for k in range(n):
        c.circle(t.cx + 1.0, t.y0 + 5 + k * 7, 0.6, tint(cloth, 0.45))
    collar_col = trim if kind == "polo" else tint(cloth, 0.12)
    for side in (-1, 1):
        c.poly(
            [
                (t.cx + side * (t.neck_w + 1.5), t.y0 - 5.0),
                (t.cx + side * (t.neck_w + 4.5), t.y0 - 3.0),
                (t.cx + side * 6.5, t.y0 + 5.5),
                (t.cx + side * 0.6, t.y0 + 2.5),
            ],
            collar_col,
        )
    if kind == "tie":
        c.poly(
            [
                (t.cx - 1.6, t.y0 + 1.5),
                (t.cx + 1.6, t.y0 + 1.5),
                (t.cx + 1.1, t.y0 + 4.5),
                (t.cx - 1.1, t.y0 + 4.5),
            ],
            trim,
        )
        c.poly(
            [
                (t.cx - 1.1, t.y0 + 4.5),
                (t.cx + 1.1, t.y0 + 4.5),
                (t.cx + 3.0, t.y0 + 30),
                (t.cx, t.y0 + 33),
                (t.cx - 3.0, t.y0 + 30),
            ],
            trim,
        )
        for k in range(3):
            y = t.y0 + 9 + k * 7
            c.line(t.cx - 1.5, y + 1.5, t.cx + 1.5, y - 0.5, 0.35, tint(trim, 0.3))


def _badge(c: Canvas, t: Torso, person: Person) -> None:
    strap = hexc("#35465e") if person.clothing != "polo_badge" else hexc("#c9a24e")
    x, y = t.cx + t.sw * 0.42, t.y0 + 22
    for side in (-1, 1):
        c.stroke(
            bezier(
                (t.cx + side * (t.neck_w + 0.5), t.y0 - 3),
                (t.cx + side * 6 + 2, t.y0 + 10),
                (x, y - 3.0),
                8,
            ),
            0.7,
            strap,
        )
    c.rect(x - 3.8, y - 2.5, 7.6, 10.5, PAPER, 0.7)
    c.rect(x - 3.8, y - 2.5, 7.6, 2.4, hexc("#34435c"), 0.5)
    c.rect(x - 2.6, y + 0.8, 2.8, 3.4, mix(person.skin, PAPER, 0.3), 0.3)
    for k in range(3):
        c.line(x + 1.0, y + 1.2 + k * 1.3, x + 2.8, y + 1.2 + k * 1.3, 0.3, shade(PAPER, 0.4))
    c.line(x - 2.6, y + 6, x + 2.6, y + 6, 0.5, shade(PAPER, 0.3))


def _sleeve_and_hand(
    c: Canvas, person: Person, t: Torso, a: Point, b: Point, width: float, *, fist: bool = False
) -> None:
    """A forearm from elbow ``a`` to wrist ``b`` and the hand beyond it."""
    skin, skin_shade, _ = skin_tones(person)
    arm_col = person.cloth if t.long_sleeves else skin
    c.stroke([a, b], width, shade(arm_col, 0.05))
    if t.long_sleeves:
        dx, dy = b[0] - a[0], b[1] - a[1]
        n = max(1e-6, (dx * dx + dy * dy) ** 0.5)
        cx, cy = b[0] - dx / n * 1.5, b[1] - dy / n * 1.5
        c.stroke(
            [
                (cx - dy / n * width * 0.45, cy + dx / n * width * 0.45),
                (cx + dy / n * width * 0.45, cy - dx / n * width * 0.45),
            ],
            1.0,
            shade(arm_col, 0.2),
        )
    hx, hy = b[0] + (b[0] - a[0]) * 0.12, b[1] + (b[1] - a[1]) * 0.12
    if fist:
        c.rect(hx - 4.2, hy - 3.6, 8.4, 7.2, skin, 2.6)
        for k in range(3):
            c.line(hx - 2.6 + k * 2.6, hy - 3.3, hx - 2.6 + k * 2.6, hy - 1.4, 0.3, skin_shade)
        c.stroke(
            bezier((hx - 3.8, hy + 0.8), (hx, hy - 0.2), (hx + 3.5, hy + 0.6), 6),
            0.35,
            shade(skin, 0.25),
        )
    else:
        ang = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
        with c.transformed(rot=ang, origin=(hx, hy)):
            c.ellipse(hx, hy, 3.9, 3.1, skin)
            c.ellipse(hx - 0.6, hy - 2.6, 2.4, 1.2, skin)
            for k in range(3):
                c.line(
                    hx + 1.0 + k * 0.2,
                    hy - 2.2 + k * 1.6,
                    hx + 3.4,
                    hy - 2.0 + k * 1.6,
                    0.25,
                    skin_shade,
                )


def _arms(c: Canvas, person: Person, e: Expression, t: Torso) -> None:
    skin, skin_shade, _ = skin_tones(person)
    cloth = person.cloth
    for side in (-1, 1):
        sx, sy = t.shoulder(side)
        c.stroke(
            bezier(
                (sx - side * 6.5, sy + 12), (sx - side * 7.5, sy + 26), (sx - side * 6.0, 124), 8
            ),
            0.45,
            shade(cloth, 0.22),
        )
        if not t.long_sleeves:
            c.stroke(
                bezier(
                    (sx - side * 6.2, sy + 13.5),
                    (sx - side * 2, sy + 15.5),
                    (sx + side * 3.6, sy + 14.5),
                    6,
                ),
                0.9,
                shade(cloth, 0.14),
            )
    if e.arms == "crossed":
        y = t.y0 + 18
        _sleeve_and_hand(c, person, t, (t.cx + t.sw - 4, y + 2), (t.cx - t.sw + 11, y - 2.5), 9.0)
        _sleeve_and_hand(c, person, t, (t.cx - t.sw + 3, y + 5.5), (t.cx + t.sw - 11, y + 0.5), 9.5)
    elif e.arms == "clasped":
        y = t.y0 + 22
        for side in (-1, 1):
            c.stroke(
                [(t.cx + side * (t.sw - 3), y + 3), (t.cx + side * 6, y + 1)],
                8.5,
                shade(cloth if t.long_sleeves else skin, 0.04),
            )
        c.ellipse(t.cx - 2.0, y + 0.5, 5.0, 4.2, skin)
        c.ellipse(t.cx + 2.2, y + 0.2, 5.0, 4.3, skin)
        for k in range(3):
            c.stroke(
                [(t.cx - 1.8 + k * 1.9, y - 3.6), (t.cx - 1.3 + k * 1.9, y - 0.8)], 0.3, skin_shade
            )
    elif e.arms == "fists":
        y = t.y0 + 21
        for side in (-1, 1):
            _sleeve_and_hand(
                c,
                person,
                t,
                (t.cx + side * (t.sw - 2), y + 16),
                (t.cx + side * 13, y),
                9.0,
                fist=True,
            )


def draw_raised_hand(c: Canvas, person: Person, t: Torso, h: Head) -> None:
    """A hand pressed to the temple in distress, elbow in front of the chest, over face and hair."""
    skin, skin_shade, _ = skin_tones(person)
    elbow = (t.cx - t.sw * 0.35, t.y0 + 27)
    wrist = (h.cx - h.rx + 0.8, h.cy + 6.5)
    arm_col = person.cloth if t.long_sleeves else skin
    c.stroke([elbow, (wrist[0] - 0.6, wrist[1] + 7.0)], 9.0, shade(arm_col, 0.04))
    if t.long_sleeves:
        c.stroke(
            [(wrist[0] - 4.5, wrist[1] + 7.6), (wrist[0] + 3.4, wrist[1] + 6.4)],
            1.0,
            shade(arm_col, 0.2),
        )
    c.stroke([(wrist[0] - 0.6, wrist[1] + 7.0), wrist], 5.2, skin)
    palm = (h.cx - h.rx + 2.6, h.cy - 1.0)
    c.ellipse(palm[0], palm[1] + 3.0, 3.8, 5.2, skin)
    for k in range(4):
        a = (palm[0] - 2.2 + k * 1.6, palm[1] - 0.5)
        b = (palm[0] - 0.2 + k * 2.0, palm[1] - 6.8 + abs(k - 1.5) * 0.9)
        c.stroke([a, b], 1.8, skin)
    for k in range(3):
        x = palm[0] - 1.1 + k * 1.8
        c.stroke(
            [(x, palm[1] - 0.5), (x + 0.6, palm[1] - 4.8 + abs(k - 1) * 0.8)], 0.25, skin_shade
        )
