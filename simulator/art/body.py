"""Neck, shoulders, clothing and arms of a portrait, posed by the mood.

Posture carries as much of a mood as the face does: raised shoulders for tension, crossed arms
for a guarded person, clasped hands and a lean for hope, fists for anger, a hand to the head for
distress and dropped, rounded shoulders for withdrawal. ``Torso`` holds the pose-dependent
measures; clothing styles draw on top of it. Coordinates are the 100 x 120 portrait grid.
"""

from __future__ import annotations

from simulator.art.arms import draw_arms
from simulator.art.canvas import Canvas, Point, bezier
from simulator.art.emblem import emblem
from simulator.art.face import Head, skin_tones
from simulator.art.mood import Expression
from simulator.art.palette import PAPER, Color, hexc, mix, shade, tint
from simulator.art.people import Person
from simulator.art.torso import CLOTHES, Torso


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
    draw_arms(c, person, expr, t)


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
