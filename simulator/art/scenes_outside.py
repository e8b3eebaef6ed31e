"""Scenes on the way to a contact: the apartment hallway, the street and a house from outside.

The hallway is drawn in one-point perspective (a small projection below) so it reads at once
as a corridor with the parolee's door in front; the street and the house use the flat staging
of the indoor scenes. Coordinates are the 160 x 90 scene grid.
"""

from __future__ import annotations

from simulator.art.canvas import Canvas, Point, ellipse_points
from simulator.art.palette import (
    ASPHALT,
    CREAM,
    FABRIC_BLUE,
    GLASS,
    INK,
    METAL,
    MUSTARD,
    PAPER,
    PLANT,
    PLANT_DARK,
    SAGE,
    SKY,
    SKY_LOW,
    SLATE,
    TEAL,
    TERRACOTTA,
    WOOD_DARK,
    Color,
    hexc,
    mix,
    shade,
    tint,
)
from simulator.art.props import contact_shadow, plant, window

# --- hallway perspective: walls at X = -1..1, floor Y = 0, ceiling Y = 2.1, eye at Y = 0.95.
_VP = (80.0, 40.0)
_F = 52.0
_EYE = 0.95
_CEIL = 2.1
_BACK = 5.5


def _p(x: float, y: float, z: float) -> Point:
    return (_VP[0] + _F * x / z, _VP[1] + _F * (_EYE - y) / z)


def _wall_quad(side: float, z0: float, z1: float, y0: float, y1: float) -> list[Point]:
    return [_p(side, y0, z0), _p(side, y0, z1), _p(side, y1, z1), _p(side, y1, z0)]


def _wall_door(
    c: Canvas, side: float, z0: float, z1: float, color: Color, mat: bool = False
) -> None:
    """A door set into a side wall between depths ``z0`` and ``z1``, with frame and knob."""
    frame = tint(color, 0.55)
    c.poly(_wall_quad(side, z0 - 0.06, z1 + 0.06, 0, 1.62), frame)
    c.poly(_wall_quad(side, z0, z1, 0, 1.55), color)
    zi0, zi1 = z0 + (z1 - z0) * 0.14, z1 - (z1 - z0) * 0.14
    for y0, y1 in ((0.18, 0.68), (0.82, 1.42)):
        c.poly(_wall_quad(side, zi0, zi1, y0, y1), shade(color, 0.08))
    knob_z = z0 + (z1 - z0) * 0.86
    kx, ky = _p(side, 0.78, knob_z)
    c.circle(kx, ky, 0.55 * 3.2 / knob_z, hexc("#c8b27a"))
    if mat:
        inner = side * 0.55
        c.poly(
            [
                _p(side, 0, z0 + 0.05),
                _p(side, 0, z1 - 0.05),
                _p(inner, 0, z1 - 0.05),
                _p(inner, 0, z0 + 0.05),
            ],
            hexc("#7a6a5c"),
        )
        c.poly(
            [
                _p(side * 0.97, 0, z0 + 0.12),
                _p(side * 0.97, 0, z1 - 0.12),
                _p(inner + side * 0.04, 0, z1 - 0.12),
                _p(inner + side * 0.04, 0, z0 + 0.12),
            ],
            hexc("#8e7d6d"),
            edge=False,
        )


def apartment_hallway(c: Canvas) -> None:
    wall = hexc("#e3dccd")
    lower = hexc("#b9b39f")
    near = 0.6
    c.poly(
        [_p(-1, _CEIL, near), _p(1, _CEIL, near), _p(1, _CEIL, _BACK), _p(-1, _CEIL, _BACK)],
        hexc("#f0ece3"),
        edge=False,
    )
    c.poly(
        [_p(-1, 0, near), _p(1, 0, near), _p(1, 0, _BACK), _p(-1, 0, _BACK)],
        hexc("#9c8f80"),
        edge=False,
    )
    for side in (-1.0, 1.0):
        c.poly(
            _wall_quad(side, near, _BACK, 0, _CEIL),
            shade(wall, 0.04 if side < 0 else 0.0),
            edge=False,
        )
        c.poly(_wall_quad(side, near, _BACK, 0, 0.9), lower, edge=False)
        c.poly(_wall_quad(side, near, _BACK, 0.88, 0.93), tint(lower, 0.35), edge=False)
        c.poly(_wall_quad(side, near, _BACK, 0, 0.1), shade(lower, 0.2), edge=False)
    # runner carpet with a border
    c.poly(
        [_p(-0.55, 0, near), _p(0.55, 0, near), _p(0.55, 0, _BACK), _p(-0.55, 0, _BACK)],
        hexc("#7f8d84"),
        edge=False,
    )
    c.poly(
        [_p(-0.45, 0, near), _p(0.45, 0, near), _p(0.45, 0, _BACK), _p(-0.45, 0, _BACK)],
        hexc("#8e9c92"),
        edge=False,
    )
    back = [_p(-1, 0, _BACK), _p(1, 0, _BACK), _p(1, _CEIL, _BACK), _p(-1, _CEIL, _BACK)]
    c.poly(back, tint(wall, 0.1), edge=False)
    bx0, by0 = _p(-0.55, 1.7, _BACK)
    bx1, by1 = _p(0.55, 0.8, _BACK)
    window(c, bx0, by0, bx1 - bx0, by1 - by0, outside="city", sill=False)
    for z in (1.4, 2.6, 3.9):
        c.soft(
            [
                _p(-0.35, _CEIL, z - 0.3),
                _p(0.35, _CEIL, z - 0.3),
                _p(0.35, _CEIL, z + 0.3),
                _p(-0.35, _CEIL, z + 0.3),
            ],
            hexc("#fffbe8"),
            90,
            3 / z,
        )
        c.poly(
            [
                _p(-0.22, _CEIL, z - 0.14),
                _p(0.22, _CEIL, z - 0.14),
                _p(0.22, _CEIL, z + 0.14),
                _p(-0.22, _CEIL, z + 0.14),
            ],
            hexc("#fbf8ef"),
        )
    _wall_door(c, -1.0, 2.4, 3.0, hexc("#8a6d58"))
    _wall_door(c, -1.0, 4.1, 4.55, hexc("#8a6d58"))
    _wall_door(c, 1.0, 3.3, 3.8, hexc("#8a6d58"))
    # the parolee's door: near on the right, with a number plate, peephole and doormat
    _wall_door(c, 1.0, 1.05, 1.75, hexc("#6f7f73"), mat=True)
    c.poly(
        [_p(1.0, 1.36, 1.3), _p(1.0, 1.36, 1.5), _p(1.0, 1.25, 1.5), _p(1.0, 1.25, 1.3)],
        hexc("#c8b27a"),
    )
    c.circle(*_p(1.0, 1.12, 1.42), 0.7, INK)
    # fire extinguisher cabinet on the left wall, light switch by the door
    c.poly(_wall_quad(-1.0, 1.5, 1.8, 0.7, 1.25), hexc("#efe9dc"))
    c.poly(_wall_quad(-1.0, 1.58, 1.72, 0.78, 1.15), hexc("#b5564a"))
    c.poly(_wall_quad(1.0, 0.92, 0.98, 1.0, 1.1), PAPER)
    # wall lights between the doors, each with a soft pool of light on the wall above it
    for side, z in ((-1.0, 1.25), (-1.0, 3.55), (1.0, 2.6)):
        c.soft(_wall_quad(side, z - 0.12, z + 0.12, 1.45, 1.95), hexc("#fff3d6"), 110, 1.2 / z)
        c.poly(_wall_quad(side, z - 0.05, z + 0.05, 1.48, 1.62), hexc("#f4ead2"))
        c.poly(_wall_quad(side, z - 0.02, z + 0.02, 1.42, 1.48), hexc("#b9a77f"))


def _tree(c: Canvas, x: float, ground: float, s: float) -> None:
    contact_shadow(c, x, ground, 5 * s, 1.0 * s, 60)
    c.poly(
        [
            (x - 0.9 * s, ground),
            (x + 0.9 * s, ground),
            (x + 0.6 * s, ground - 16 * s),
            (x - 0.6 * s, ground - 16 * s),
        ],
        WOOD_DARK,
    )
    for dx, dy, r, col in (
        (-5, -20, 7, PLANT_DARK),
        (5, -21, 7.5, PLANT_DARK),
        (0, -27, 8.5, PLANT),
        (-3, -18, 5, PLANT),
        (4, -16, 5, PLANT),
    ):
        c.circle(x + dx * s, ground + dy * s, r * s, col)


def _car_side(c: Canvas, x: float, ground: float, color: Color, s: float = 1.0) -> None:
    """A parked hatchback seen from the side, nose to the right."""
    contact_shadow(c, x + 14 * s, ground, 15 * s, 1.0 * s, 90)
    body = [
        (x, ground - 3 * s),
        (x + 1 * s, ground - 8 * s),
        (x + 7 * s, ground - 9 * s),
        (x + 11 * s, ground - 14 * s),
        (x + 20 * s, ground - 14 * s),
        (x + 25 * s, ground - 9 * s),
        (x + 29 * s, ground - 8 * s),
        (x + 29 * s, ground - 3 * s),
    ]
    c.poly(body, color)
    c.poly(
        [
            (x + 8 * s, ground - 9 * s),
            (x + 11.6 * s, ground - 13 * s),
            (x + 15 * s, ground - 13 * s),
            (x + 15 * s, ground - 9 * s),
        ],
        GLASS,
    )
    c.poly(
        [
            (x + 16 * s, ground - 9 * s),
            (x + 16 * s, ground - 13 * s),
            (x + 19.5 * s, ground - 13 * s),
            (x + 23.5 * s, ground - 9 * s),
        ],
        GLASS,
    )
    c.rect(x + 27.5 * s, ground - 7.5 * s, 1.5 * s, 1.2 * s, hexc("#f1e3b5"), 0.3)
    c.line(x + 2 * s, ground - 5.5 * s, x + 27 * s, ground - 5.5 * s, 0.25 * s, shade(color, 0.25))
    for wx in (x + 6 * s, x + 23 * s):
        c.circle(wx, ground - 2.6 * s, 2.8 * s, hexc("#2f3236"))
        c.circle(wx, ground - 2.6 * s, 1.3 * s, METAL)


def street(c: Canvas) -> None:
    c.vgradient(0, 0, 160, 70, SKY, SKY_LOW)
    c.ellipse(30, 14, 14, 3, PAPER, edge=False)
    c.ellipse(118, 9, 18, 3.5, PAPER, edge=False)
    kerb = 66.0
    # background row of buildings
    for x, w, h, col in (
        (-4, 30, 40, hexc("#c9b6a1")),
        (90, 26, 46, hexc("#b9c2c6")),
        (136, 30, 38, hexc("#d3c3ae")),
    ):
        c.rect(x, kerb - 6 - h, w, h + 6, col)
        for row_y in range(int(kerb - h), int(kerb - 14), 8):
            for col_x in range(int(x + 3), int(x + w - 4), 7):
                c.rect(col_x, row_y, 4, 5, mix(GLASS, col, 0.25), 0.3)
    # shop with an awning and a cafe table
    shop = hexc("#e6d9c4")
    c.rect(24, kerb - 36, 46, 36, shop)
    c.rect(24, kerb - 38, 46, 3, shade(shop, 0.2))
    c.rect(28, kerb - 24, 24, 20, GLASS)
    c.glaze([(36, kerb - 24), (41, kerb - 24), (33, kerb - 4), (28, kerb - 4)], PAPER, 70)
    c.rect(55, kerb - 24, 11, 24, TEAL, 0.3)
    c.circle(57.5, kerb - 12, 0.5, MUSTARD)
    awn = [(26, kerb - 30), (68, kerb - 30), (71, kerb - 24), (23, kerb - 24)]
    c.poly(awn, TERRACOTTA)
    for k in range(7):
        ax = 23 + k * 48 / 7
        c.poly(
            [
                (ax + 3, kerb - 30),
                (ax + 6.4, kerb - 30),
                (ax + 6.9, kerb - 24),
                (ax + 3.4, kerb - 24),
            ],
            tint(TERRACOTTA, 0.45),
            edge=False,
        )
    c.rect(28, kerb - 33.5, 38, 2, shade(shop, 0.12), 0.3)
    # apartment block with a stoop
    block = hexc("#a98f7a")
    c.rect(68, kerb - 56, 26, 56, block)
    for wy in (kerb - 50, kerb - 38, kerb - 26):
        for wx in (71.5, 83.5):
            window(c, wx, wy, 7, 8, frame=hexc("#efe6d6"), sill=False, outside="none")
    c.rect(77, kerb - 13, 8, 13, WOOD_DARK, 0.3)
    c.rect(74, kerb - 1.5, 14, 1.5, hexc("#bdb6ab"))
    # sidewalk, kerb, road with a crosswalk
    c.vgradient(0, kerb, 160, 8, hexc("#cfcac0"), hexc("#bfb9ae"))
    for k in range(0, 170, 10):
        c.line(k, kerb, k - 3, kerb + 8, 0.2, hexc("#aaa398"))
    c.rect(0, kerb + 8, 160, 1.5, hexc("#9e988f"), edge=False)
    c.vgradient(0, kerb + 9.5, 160, 16, ASPHALT, shade(ASPHALT, 0.2))
    for k in range(6):
        cx = 112 + k * 7
        c.poly(
            [(cx, kerb + 10), (cx + 4, kerb + 10), (cx + 6, 90), (cx + 1.5, 90)],
            hexc("#d9d6cf"),
            edge=False,
        )
    for k in range(0, 110, 18):
        c.rect(k, kerb + 16.5, 10, 0.9, hexc("#d8c27a"), edge=False)
    _tree(c, 12, kerb + 3, 1.0)
    _tree(c, 104, kerb + 3, 1.15)
    # street lamp
    c.rect(128, kerb - 42, 1.4, 44, SLATE)
    c.stroke([(128.7, kerb - 42), (129, kerb - 45), (134, kerb - 46)], 1.2, SLATE)
    c.poly([(132, kerb - 46.5), (138, kerb - 46.5), (137, kerb - 44.5), (133, kerb - 44.5)], SLATE)
    c.rect(127, kerb + 1, 3.4, 1.5, shade(SLATE, 0.2), 0.4)
    c.rect(46, kerb + 2, 1.2, 4, SLATE)
    c.circle(46.6, kerb + 1.6, 1.6, hexc("#c8b27a"))
    _car_side(c, 52, kerb + 14, FABRIC_BLUE, 1.1)


def house_exterior(c: Canvas) -> None:
    c.vgradient(0, 0, 160, 66, SKY, SKY_LOW)
    c.ellipse(126, 12, 16, 3.2, PAPER, edge=False)
    c.ellipse(20, 20, 12, 2.5, PAPER, edge=False)
    ground = 64.0
    for x, r in ((-6.0, 16.0), (20.0, 11.0), (140.0, 14.0), (165.0, 16.0)):
        c.circle(x, ground - 4, r, mix(PLANT_DARK, SKY_LOW, 0.35), edge=False)
    c.vgradient(0, ground, 160, 26, hexc("#9db58f"), hexc("#7f9c74"))
    siding = hexc("#d9cdb8")
    hx, hw = 40.0, 80.0
    contact_shadow(c, hx + hw / 2, ground + 1, hw / 2 + 4, 1.5, 70)
    c.rect(hx, ground - 34, hw, 34, siding)
    for siding_y in range(int(ground - 33), int(ground), 3):
        c.line(hx, siding_y, hx + hw, siding_y, 0.18, shade(siding, 0.12))
    roof = hexc("#6d6a72")
    c.poly([(hx - 6, ground - 33), (hx + hw + 6, ground - 33), (hx + hw / 2, ground - 58)], roof)
    c.poly(
        [
            (hx - 6, ground - 33),
            (hx + hw + 6, ground - 33),
            (hx + hw + 6, ground - 31.5),
            (hx - 6, ground - 31.5),
        ],
        shade(roof, 0.25),
    )
    c.rect(hx + 58, ground - 58, 6, 16, hexc("#a9766a"))
    c.rect(hx + 57, ground - 59.5, 8, 2, shade(hexc("#a9766a"), 0.25))
    c.circle(hx + hw / 2, ground - 43, 3.2, CREAM)
    c.circle(hx + hw / 2, ground - 43, 2.3, GLASS)
    for wx in (hx + 8, hx + 56):
        window(c, wx, ground - 27, 16, 14, frame=PAPER, outside="none")
        c.rect(wx - 3.5, ground - 28, 2.5, 16, SAGE, 0.3)
        c.rect(wx + 17, ground - 28, 2.5, 16, SAGE, 0.3)
    # porch: roof on posts, steps, front door
    porch = hexc("#efe8da")
    c.rect(hx + 29, ground - 3, 22, 3, shade(porch, 0.1))
    c.rect(hx + 31, ground - 0.5, 18, 2.5, shade(porch, 0.18))
    c.rect(hx + 33, ground + 1.8, 14, 2.2, shade(porch, 0.26))
    c.rect(hx + 34, ground - 25, 12, 22, TEAL, 0.4)
    c.rect(hx + 36, ground - 23, 8, 7, mix(TEAL, GLASS, 0.6), 0.3)
    c.rect(hx + 36, ground - 14, 8, 9, shade(TEAL, 0.12), 0.3)
    c.circle(hx + 44.5, ground - 13, 0.6, hexc("#c8b27a"))
    c.circle(hx + 31.5, ground - 20, 1.0, hexc("#f3e2ae"))
    c.poly(
        [
            (hx + 26, ground - 29),
            (hx + 54, ground - 29),
            (hx + 52, ground - 33),
            (hx + 28, ground - 33),
        ],
        shade(roof, 0.1),
    )
    for px in (hx + 28, hx + 51):
        c.rect(px, ground - 29, 1.5, 26, porch)
    c.rect(hx + 18, ground - 8, 9, 1.2, porch, edge=False)
    # path, fence, mailbox, shrubs
    c.poly(
        [(hx + 33, ground + 4), (hx + 47, ground + 4), (hx + 58, 90), (hx + 22, 90)],
        hexc("#cfc6b6"),
        edge=False,
    )
    for k in range(4):
        y = ground + 7 + k * 5.5
        c.line(hx + 33 - k * 3, y, hx + 47 + k * 3, y, 0.2, hexc("#b5ab98"))
    for side in (0, 1):
        x0 = -2 if side == 0 else hx + 60
        x1 = hx + 20 if side == 0 else 162
        c.rect(x0, 76, x1 - x0, 1.2, PAPER, edge=False)
        c.rect(x0, 80, x1 - x0, 1.2, PAPER, edge=False)
        px = x0 + 1
        while px < x1 - 1:
            c.poly([(px, 86), (px, 73), (px + 1, 71.8), (px + 2, 73), (px + 2, 86)], PAPER)
            px += 4
    for sx, r in ((hx + 6, 5.0), (hx + 16, 4.0), (hx + 64, 4.5), (hx + 74, 5.5)):
        c.circle(sx, ground - 1, r, PLANT_DARK)
        c.circle(sx - r * 0.3, ground - 2, r * 0.6, PLANT)
    c.rect(hx + 62, 69, 1.2, 9, WOOD_DARK)
    c.rect(hx + 59.5, 65.5, 6.5, 4.5, SLATE, 1.5)
    c.rect(hx + 64.8, 63.8, 0.6, 3, TERRACOTTA)
    plant(c, hx + 28, ground - 3, 0.5)
    c.soft(ellipse_points(hx + hw / 2, ground + 3, 6, 1, 12), INK, 30, 1)
