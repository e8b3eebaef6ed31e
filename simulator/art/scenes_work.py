"""Scenes of a field contact away from home: a warehouse workplace and the inside of a state car.

The warehouse keeps the employer's glass-fronted office in view (where an officer verifies
employment); the car is seen from the passenger seat looking through the windshield, with the
mobile data terminal every field car carries. Coordinates are the 160 x 90 scene grid.
"""

from __future__ import annotations

import random

from simulator.art.canvas import Canvas, bezier, ellipse_points
from simulator.art.palette import (
    FLOOR_CONCRETE,
    GLASS,
    INK,
    METAL,
    MUSTARD,
    PAPER,
    PLANT_DARK,
    SKY,
    SKY_LOW,
    TEAL,
    WOOD_LIGHT,
    hexc,
    mix,
    shade,
    tint,
)
from simulator.art.props import ceiling_light, contact_shadow, window

_BOX = hexc("#c9a77c")


def _boxes(c: Canvas, x: float, shelf_y: float, w: float, max_h: float, rng: random.Random) -> None:
    bx = x + 0.6
    while bx < x + w - 3:
        bw = min(rng.uniform(4.0, 7.5), x + w - bx - 0.6)
        bh = rng.uniform(0.55, 0.95) * max_h
        col = mix(_BOX, hexc("#b89671"), rng.random())
        c.rect(bx, shelf_y - bh, bw, bh, col, 0.2)
        c.rect(bx + bw * 0.42, shelf_y - bh, bw * 0.16, bh * 0.35, tint(col, 0.25), edge=False)
        if rng.random() < 0.35:
            c.rect(bx + 0.6, shelf_y - bh * 0.45, bw * 0.35, bh * 0.18, PAPER, edge=False)
        bx += bw + rng.uniform(0.3, 1.2)


def _rack(
    c: Canvas, x: float, w: float, floor_y: float, levels: tuple[float, ...], seed: int
) -> None:
    """A pallet rack: uprights, beams at ``levels`` (heights above the floor) and boxes on each."""
    rng = random.Random(seed)
    upright = hexc("#5d7388")
    beam = hexc("#d08b52")
    contact_shadow(c, x + w / 2, floor_y, w / 2 + 1, 1.2, 70)
    tops = [floor_y, *(floor_y - lv for lv in levels)]
    for k in range(len(tops) - 1):
        _boxes(c, x, tops[k] - (1.5 if k else 0), w, (tops[k] - tops[k + 1]) - 3, rng)
    for lv in levels[:-1]:
        c.rect(x, floor_y - lv - 0.8, w, 1.6, beam)
    for ux in (x - 1.2, x + w):
        c.rect(ux, floor_y - levels[-1], 1.2, levels[-1], upright)
        for k in range(int(levels[-1] // 3)):
            c.circle(ux + 0.6, floor_y - 2 - k * 3, 0.18, shade(upright, 0.4), edge=False)


def workplace(c: Canvas) -> None:
    floor_y = 62.0
    wall = hexc("#b9c4c9")
    c.vgradient(0, 0, 160, floor_y, tint(wall, 0.1), shade(wall, 0.05))
    for x in range(0, 161, 3):
        c.line(x, 0, x, floor_y, 0.25, shade(wall, 0.1))
    for wx in range(8, 160, 30):
        c.rect(wx, 6, 20, 6, mix(SKY, PAPER, 0.3), 0.2)
        c.line(wx + 10, 6, wx + 10, 12, 0.4, shade(wall, 0.2))
    c.rect(0, 0, 160, 3.2, shade(wall, 0.3), edge=False)
    for x in (20, 60, 100, 140):
        ceiling_light(c, x, 3.5, 10)
    c.vgradient(
        0, floor_y, 160, 90 - floor_y, tint(FLOOR_CONCRETE, 0.1), shade(FLOOR_CONCRETE, 0.12)
    )
    # loading door on the left
    c.rect(2, 18, 26, floor_y - 18, shade(wall, 0.2), 0.2)
    c.rect(3.5, 19.5, 23, floor_y - 21, hexc("#9aa3a8"))
    for y in range(21, int(floor_y), 3):
        c.line(3.5, y, 26.5, y, 0.3, shade(METAL, 0.25))
    for k in range(6):
        c.poly(
            [
                (2 + k * 4.3, floor_y - 2),
                (4.2 + k * 4.3, floor_y - 2),
                (6.4 + k * 4.3, floor_y),
                (4.2 + k * 4.3, floor_y),
            ],
            MUSTARD if k % 2 == 0 else INK,
            edge=False,
        )
    _rack(c, 33, 38, floor_y, (14, 28, 42), seed=2)
    _rack(c, 75, 30, floor_y, (14, 28, 42), seed=5)
    # the manager's office: glass front, desk, a door
    ox, ow = 112.0, 46.0
    contact_shadow(c, ox + ow / 2, floor_y, ow / 2, 1.2, 70)
    c.rect(ox, 26, ow, floor_y - 26, hexc("#e4ddcf"))
    c.rect(ox - 1, 24, ow + 2, 2.5, shade(hexc("#e4ddcf"), 0.25))

    def office_inside(c: Canvas) -> None:
        c.vgradient(ox + 3, 31, 26, 16, hexc("#eef0ea"), hexc("#dcdcd2"))
        c.rect(ox + 4, 34, 4, 13, hexc("#9aa7ae"), edge=False)
        c.rect(ox + 9, 33, 9, 6, PAPER, 0.2)
        c.rect(ox + 11, 38, 16, 1.2, WOOD_LIGHT, edge=False)
        c.rect(ox + 19, 32.5, 7, 5, hexc("#3f4650"), 0.3)
        c.rect(ox + 22, 37.5, 1, 0.6, hexc("#3f4650"), edge=False)

    window(c, ox + 3, 31, 26, 16, frame=PAPER, sill=False, interior=office_inside)
    c.rect(ox + 33, 33, 10, floor_y - 33, TEAL, 0.3)
    c.rect(ox + 35, 35, 6, 6, mix(TEAL, GLASS, 0.6), 0.3)
    c.circle(ox + 34.5, 48, 0.6, METAL)
    c.rect(ox + 3, 50, 26, 8, shade(hexc("#e4ddcf"), 0.06), 0.3)
    # floor: safety lanes, a pallet jack and a stack of pallets
    c.poly([(0, 70), (160, 70), (160, 71.3), (0, 71.3)], MUSTARD, edge=False)
    c.poly([(0, 84), (160, 84), (160, 85.6), (0, 85.6)], MUSTARD, edge=False)
    for k in range(10):
        x = 40 + k * 6
        c.poly(
            [(x, 64.5), (x + 3, 64.5), (x + 1, 69), (x - 2, 69)], tint(MUSTARD, 0.35), edge=False
        )
    pallet = hexc("#b69570")
    contact_shadow(c, 20, 80, 11, 1.2, 80)
    for k in range(4):
        py = 79 - k * 2.4
        c.rect(9, py - 0.9, 22, 0.9, pallet)
        for bx in (9.5, 19.2, 28.8):
            c.rect(bx, py - 2.4, 1.7, 1.5, shade(pallet, 0.25))
    c.rect(11, 67, 8, 5.5, _BOX, 0.2)
    c.rect(19.5, 68.4, 9, 4.1, shade(_BOX, 0.06), 0.2)
    jack = hexc("#c2644b")
    contact_shadow(c, 134, 80, 12, 1.0, 70)
    c.rect(124, 76.5, 22, 1.6, shade(METAL, 0.35), 0.4)
    c.rect(142, 72, 5, 6, jack, 0.8)
    c.stroke([(144.5, 72), (141, 60)], 0.8, shade(METAL, 0.35))
    c.rect(138.5, 59, 5, 1.4, INK, 0.6)
    for wheel_x in (126.0, 144.5):
        c.circle(wheel_x, 79, 1.2, INK)


def car(c: Canvas) -> None:
    # the view ahead through the windshield
    c.vgradient(0, 0, 160, 46, SKY, SKY_LOW)
    horizon = 35.0
    for x, w, h, col in (
        (0, 30, 18, hexc("#c9b6a1")),
        (28, 22, 25, hexc("#aeb8bd")),
        (104, 26, 22, hexc("#cbbba5")),
        (128, 32, 16, hexc("#b3a59a")),
    ):
        c.rect(x, horizon - h, w, h, col, edge=False)
        for wy in range(int(horizon - h + 3), int(horizon - 3), 5):
            for wx in range(int(x + 2), int(x + w - 3), 5):
                c.rect(wx, wy, 2.6, 2.8, mix(GLASS, col, 0.3), edge=False)
    for tree_x, r in ((58.0, 6.0), (100.0, 5.5)):
        c.circle(tree_x, horizon - 5, r, mix(PLANT_DARK, SKY_LOW, 0.3), edge=False)
    c.poly([(0, horizon), (160, horizon), (160, 62), (0, 62)], hexc("#b5b0a6"), edge=False)
    c.poly([(75, horizon), (85, horizon), (178, 58), (-18, 58)], hexc("#7a7d80"), edge=False)
    for side in (-1, 1):
        edge_line = [(80 + side * 4.6, horizon), (80 + side * 5.0, horizon), (80 + side * 93, 58)]
        c.poly([*edge_line, (80 + side * 90, 58)], hexc("#d9d6cf"), edge=False)
    for k in range(5):
        t0, t1 = 0.05 + k * 0.2, 0.13 + k * 0.2
        w0, w1 = 0.25 + t0 * 1.2, 0.25 + t1 * 1.2
        y0, y1 = horizon + t0 * 23, horizon + t1 * 23
        c.poly(
            [(80 - w0, y0), (80 + w0, y0), (80 + w1, y1), (80 - w1, y1)],
            hexc("#e6dcb8"),
            edge=False,
        )
    c.rect(85, horizon - 5, 10, 4.6, hexc("#8ea0b3"), 1.0)
    c.rect(86.3, horizon - 4.2, 3.0, 1.8, GLASS, 0.3)
    c.rect(85.5, horizon - 0.8, 1.6, 0.8, hexc("#2f3236"), edge=False)
    c.rect(92.9, horizon - 0.8, 1.6, 0.8, hexc("#2f3236"), edge=False)
    # the car's frame: roof, pillars, mirror
    interior = hexc("#4b4f55")
    c.poly([(-2, -2), (162, -2), (162, 6), (120, 8), (40, 8), (-2, 6)], hexc("#6d6f72"))
    c.poly([(-2, -2), (10, -2), (26, 62), (-2, 62)], interior)
    c.poly([(162, -2), (150, -2), (134, 62), (162, 62)], interior)
    c.glaze([(30, 8), (60, 8), (40, 50), (22, 50)], PAPER, 35)
    c.rect(72, 8, 16, 5, hexc("#3a3d42"), 1.2)
    c.rect(73, 8.8, 14, 3.4, hexc("#8d9aa6"), 0.8)
    c.rect(79.4, 6, 1.2, 2.4, hexc("#3a3d42"), edge=False)
    # dashboard
    dash = hexc("#5a5e64")
    c.poly([(-2, 54), *bezier((-2, 54), (80, 44), (162, 54), 16)[1:], (162, 90), (-2, 90)], dash)
    c.poly(
        [
            (-2, 57.5),
            *bezier((-2, 57.5), (80, 48), (162, 57.5), 16)[1:],
            (162, 59.5),
            *bezier((162, 59.5), (80, 50), (-2, 59.5), 16)[1:],
        ],
        tint(dash, 0.12),
        edge=False,
    )
    c.rect(62, 58, 36, 32, shade(dash, 0.15), 1.5)
    for k in range(2):
        c.rect(66 + k * 16, 60, 12, 4, hexc("#3a3d42"), 0.8)
        for j in range(4):
            c.line(67 + k * 16, 61 + j * 0.8, 77 + k * 16, 61 + j * 0.8, 0.2, hexc("#6d7177"))
    c.rect(68, 67, 24, 7, hexc("#2f3236"), 0.8)
    c.rect(70, 68.5, 12, 4, hexc("#5c8097"), 0.3)
    for k in range(3):
        c.circle(85 + k * 2.5, 70.5, 0.8, METAL)
    # glove box on the passenger side, the driver's wheel and cluster on the left
    c.rect(108, 63, 34, 12, tint(dash, 0.05), 2)
    c.rect(121, 66.5, 8, 1.4, shade(dash, 0.35), 0.6)
    c.poly([(8, 54), (48, 54), (46, 60), (10, 60)], hexc("#2f3236"))
    for gx in (20, 36):
        c.circle(gx, 57, 3.2, hexc("#3e4248"))
        c.circle(gx, 57, 2.6, hexc("#25282c"), edge=False)
        c.line(gx, 57, gx + 1.6, 55.5, 0.3, hexc("#e0a36a"))
    c.soft(ellipse_points(28, 86, 26, 6, 24), INK, 60, 3)
    wheel_c, wheel_r = (28.0, 76.0), 22.0
    ring = ellipse_points(wheel_c[0], wheel_c[1], wheel_r, wheel_r * 0.8, 48)
    c.stroke(ring, 3.4, hexc("#2b2e33"), closed=True)
    c.poly(
        [
            (wheel_c[0] - 7, wheel_c[1] - 2),
            (wheel_c[0] + 7, wheel_c[1] - 2),
            (wheel_c[0] + 5, wheel_c[1] + 6),
            (wheel_c[0] - 5, wheel_c[1] + 6),
        ],
        hexc("#34373c"),
    )
    c.stroke(
        [(wheel_c[0] - wheel_r + 1, wheel_c[1] + 1), (wheel_c[0] - 7, wheel_c[1] + 1)],
        2.4,
        hexc("#2b2e33"),
    )
    c.stroke(
        [(wheel_c[0] + wheel_r - 1, wheel_c[1] + 1), (wheel_c[0] + 7, wheel_c[1] + 1)],
        2.4,
        hexc("#2b2e33"),
    )
    # the laptop mount of the mobile data terminal, screen turned toward the driver
    c.rect(97, 78, 3, 14, hexc("#2f3236"))
    c.poly([(86, 62), (112, 60), (113, 77), (87, 79)], hexc("#2b2e33"))
    c.poly([(88, 63.5), (110.5, 61.7), (111.4, 75.5), (88.8, 77.2)], hexc("#6f8fa4"))
    for k in range(4):
        y = 65 + k * 2.6
        c.line(90.5, y + 0.6, 104 - (k % 2) * 4, y - 0.4, 0.45, tint(hexc("#6f8fa4"), 0.45))
    c.poly([(84, 79), (114, 77), (116, 81), (85, 83.5)], hexc("#3a3d42"))
