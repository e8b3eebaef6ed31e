"""Scenes inside a parolee's home: living room, kitchen and bedroom.

All three share the same staging — a back wall seen straight on, a floor band in front — so a
trainee moving from room to room during a home visit sees one consistent place. Coordinates are
the 160 x 90 scene grid.
"""

from __future__ import annotations

from simulator.art.canvas import Canvas, ellipse_points
from simulator.art.palette import (
    CREAM,
    FABRIC_BLUE,
    FABRIC_ROSE,
    FLOOR_TILE,
    FLOOR_WOOD,
    INK,
    METAL,
    MUSTARD,
    PAPER,
    SAGE,
    TEAL,
    TERRACOTTA,
    WALL_BLUE,
    WALL_WARM,
    WOOD_DARK,
    WOOD_LIGHT,
    Color,
    hexc,
    mix,
    shade,
    tint,
)
from simulator.art.props import (
    books,
    contact_shadow,
    curtains,
    door,
    floor_lamp,
    framed_picture,
    plant,
    table_lamp,
    window,
)


def wall_and_floor(
    c: Canvas, wall: Color, floor: Color, floor_y: float, *, boards: bool = True
) -> None:
    """Back wall lit from above, skirting board and a floor darkening toward the viewer."""
    c.vgradient(0, 0, 160, floor_y, tint(wall, 0.12), shade(wall, 0.06))
    c.vgradient(0, floor_y, 160, 90 - floor_y, tint(floor, 0.08), shade(floor, 0.14))
    if boards:
        y = floor_y
        gap = 2.2
        while y < 90:
            c.line(0, y, 160, y, 0.18, shade(floor, 0.2))
            gap *= 1.32
            y += gap
    c.rect(0, floor_y - 1.6, 160, 1.6, tint(wall, 0.4), edge=False)
    c.line(0, floor_y, 160, floor_y, 0.25, shade(wall, 0.3))


def _sofa(c: Canvas, x: float, floor_y: float, w: float, color: Color) -> None:
    dark, light = shade(color, 0.16), tint(color, 0.12)
    contact_shadow(c, x + w / 2, floor_y, w / 2 + 2, 1.8, 80)
    for lx in (x + 3, x + w - 4):
        c.rect(lx, floor_y - 2, 1.2, 2, WOOD_DARK)
    c.rect(x + 2, floor_y - 22, w - 4, 14, dark, 3)
    c.rect(x + 4, floor_y - 13, w - 8, 11, color, 1.5)
    n = 2 if w < 50 else 3
    cw = (w - 14) / n
    for k in range(n):
        c.rect(x + 7 + k * cw + 0.3, floor_y - 21, cw - 0.6, 10, color, 2.2)
        c.rect(x + 7 + k * cw + 0.3, floor_y - 12, cw - 0.6, 4.5, light, 1.6)
    for ax in (x, x + w - 7):
        c.rect(ax, floor_y - 15, 7, 13, color, 2.6)
        c.rect(ax, floor_y - 15, 7, 2.6, light, 1.3, edge=False)
    c.rect(x + 8, floor_y - 19, 9, 8, MUSTARD, 2)
    c.rect(x + w - 18, floor_y - 19, 9, 8, FABRIC_ROSE, 2)


def living_room(c: Canvas) -> None:
    floor_y = 64.0
    wall_and_floor(c, WALL_WARM, FLOOR_WOOD, floor_y)
    c.glaze([(20, floor_y), (52, floor_y), (66, 90), (14, 90)], hexc("#fff4dc"), 40)
    window(c, 20, 14, 32, 34, outside="trees")
    curtains(c, 20, 14, 32, 34, hexc("#b7c3b0"))
    books_x = 4
    c.rect(books_x - 1, 22, 13, 1.2, WOOD_DARK)
    books(c, books_x, 22, 11, seed=4, max_h=5)
    c.rect(books_x - 1, 32, 13, 1.2, WOOD_DARK)
    books(c, books_x + 2, 32, 9, seed=8, max_h=5.5)
    plant(c, 60, floor_y + 3, 1.25)
    framed_picture(c, 84, 16, 16, 12, seed=2)
    framed_picture(c, 104, 19, 10, 9, seed=5)
    framed_picture(c, 118, 15, 12, 15, seed=9)
    floor_lamp(c, 147, floor_y + 4, 1.0)
    rug = [(62, 74), (140, 74), (154, 88), (48, 88)]
    c.poly(rug, hexc("#c9b8a0"), edge=False)
    c.poly([(66, 75.5), (136, 75.5), (148, 86.5), (54, 86.5)], hexc("#d8c9b2"), edge=False)
    _sofa(c, 72, floor_y + 6, 64, FABRIC_BLUE)
    contact_shadow(c, 100, 82, 20, 1.4, 70)
    c.rect(80, 75, 40, 2.2, WOOD_LIGHT, 0.6)
    for lx in (82, 116):
        c.rect(lx, 77, 1.4, 5, WOOD_DARK)
    c.rect(88, 73.4, 8, 1.6, hexc("#7d8fa3"), 0.3)
    c.rect(104, 72.2, 3, 2.8, CREAM, 0.4)
    c.rect(104.4, 72.2, 2.2, 0.6, shade(CREAM, 0.3), edge=False)


def kitchen(c: Canvas) -> None:
    wall = hexc("#e4e0d2")
    counter_y, floor_y = 50.0, 80.0
    wall_and_floor(c, wall, FLOOR_TILE, floor_y, boards=False)
    for k in range(0, 170, 9):
        c.line(k - 8, floor_y, k * 1.4 - 30, 90, 0.2, shade(FLOOR_TILE, 0.15))
    c.line(0, 85, 160, 85, 0.2, shade(FLOOR_TILE, 0.15))
    tile = hexc("#d7e0dc")
    c.rect(0, 33, 124, counter_y - 33, tile, edge=False)
    for ty in range(33, 50, 4):
        c.line(0, ty, 124, ty, 0.15, shade(tile, 0.12))
    for tx in range(0, 124, 6):
        c.line(tx, 33, tx, counter_y, 0.15, shade(tile, 0.12))
    window(c, 50, 8, 28, 22, outside="trees", sill=False)
    cab = hexc("#8ea59a")
    for x0, x1 in ((2, 44), (84, 122)):
        c.rect(x0, 4, x1 - x0, 22, shade(cab, 0.08), 0.5)
        n = round((x1 - x0) / 14)
        dw = (x1 - x0) / n
        for k in range(n):
            c.rect(x0 + k * dw + 0.5, 4.5, dw - 1, 21, cab, 0.6)
            hx = x0 + k * dw + (dw - 3.5 if k < n / 2 else 2.5)
            c.rect(hx, 20, 1, 4, METAL, 0.4)
    # range hood over the stove
    c.poly([(12, 26), (34, 26), (36, 31), (10, 31)], METAL)
    c.rect(10, 31, 26, 1.2, shade(METAL, 0.25), edge=False)
    fridge = hexc("#e9ebe8")
    contact_shadow(c, 139, floor_y, 13, 1.4, 70)
    c.rect(126, 8, 26, floor_y - 8, fridge, 1.5)
    c.rect(126, 34, 26, 0.8, shade(fridge, 0.25), edge=False)
    for hy, hh in ((22, 9), (38, 12)):
        c.rect(128.5, hy, 1.3, hh, shade(METAL, 0.15), 0.6)
    c.rect(140, 14, 5, 6, hexc("#e7b77a"), 0.3)
    c.rect(146, 16, 3.5, 4, hexc("#a9c4cf"), 0.3)
    contact_shadow(c, 62, floor_y, 60, 1.4, 60)
    c.rect(2, counter_y + 2, 120, floor_y - counter_y - 2, shade(cab, 0.1))
    n = 8
    dw = 120 / n
    for k in range(n):
        x = 2 + k * dw
        if 1 <= k <= 2:
            continue
        c.rect(x + 0.6, counter_y + 3.5, dw - 1.2, floor_y - counter_y - 6, cab, 0.6)
        c.rect(x + dw / 2 - 2, counter_y + 5, 4, 0.9, METAL, 0.4)
    oven = hexc("#4f5459")
    c.rect(2 + dw + 0.6, counter_y + 3, 2 * dw - 1.2, floor_y - counter_y - 5, oven, 0.8)
    c.rect(2 + dw + 3, counter_y + 9, 2 * dw - 6, 14, shade(oven, 0.35), 0.8)
    c.rect(2 + dw + 3, counter_y + 6, 2 * dw - 6, 1, METAL, 0.4)
    for k in range(4):
        c.circle(2 + dw + 4 + k * (2 * dw - 8) / 3, counter_y + 4.3, 0.7, METAL)
    c.rect(0, counter_y - 1, 124, 3, hexc("#cfc6b4"), 0.4)
    c.rect(0, counter_y - 1, 124, 0.8, tint(hexc("#cfc6b4"), 0.5), edge=False)
    for bx in (18, 28):
        c.ellipse(bx, counter_y - 1.3, 4, 0.9, shade(METAL, 0.5))
    c.ellipse(64, counter_y - 0.6, 9, 1.3, shade(METAL, 0.35))
    c.stroke(
        [(64, counter_y - 1), (64, counter_y - 7), (68, counter_y - 7), (68, counter_y - 5.5)],
        0.9,
        METAL,
    )
    c.rect(19, counter_y - 8, 7, 6.5, hexc("#c4795b"), 2)
    c.rect(25, counter_y - 6.5, 2.5, 1, hexc("#c4795b"), 0.4)
    c.ellipse(96, counter_y - 2.5, 6, 2.6, CREAM)
    for fx, col in ((93.5, MUSTARD), (96.5, TERRACOTTA), (98.5, SAGE), (95, hexc("#c9a94f"))):
        c.circle(fx, counter_y - 4.6, 1.7, col)
    c.rect(106, counter_y - 9, 8, 8, WOOD_LIGHT, 1)
    c.circle(110, counter_y - 7.5, 0.6, shade(WOOD_LIGHT, 0.3), edge=False)
    plant(c, 74, counter_y - 1, 0.45, pot=hexc("#e9e2d6"))
    # the near edge of the table the officer stands beside
    c.poly([(-2, 82), (44, 82), (50, 91), (-2, 91)], WOOD_LIGHT)
    c.poly([(-2, 82), (44, 82), (44.6, 83), (-2, 83)], tint(WOOD_LIGHT, 0.25), edge=False)
    c.rect(28, 78.5, 4.4, 5, PAPER, 0.7)
    c.stroke([(32.3, 79.6), (33.8, 79.8), (33.8, 81.7), (32.3, 82)], 0.55, PAPER)
    c.poly([(12, 85), (22, 84.2), (23.5, 87.5), (13.2, 88.4)], hexc("#e9e2d6"))


def bedroom(c: Canvas) -> None:
    floor_y = 66.0
    bed_y = 73.0
    wall_and_floor(c, WALL_BLUE, hexc("#b8997c"), floor_y)
    window(c, 42, 10, 34, 30, outside="city")
    c.vgradient(42, 10, 34, 9, hexc("#e9e2d4"), hexc("#ddd4c3"))
    for ly in range(11, 19, 2):
        c.line(42, ly, 76, ly, 0.2, hexc("#c9bea9"))
    framed_picture(c, 86, 20, 10, 12, seed=11)
    door(c, 138, 20, 18, floor_y - 20, hexc("#e8e1d4"), knob_left=True)
    c.poly([(24, 80), (100, 80), (108, 89), (16, 89)], hexc("#b4a5b5"), edge=False)
    c.poly([(27, 81.2), (97, 81.2), (103.5, 87.8), (20.5, 87.8)], hexc("#c2b4c2"), edge=False)
    # nightstand and lamp
    contact_shadow(c, 8, floor_y + 5, 7, 1, 60)
    c.rect(1, 53, 13, floor_y + 5 - 53, WOOD_LIGHT, 0.6)
    c.rect(2, 58, 11, 0.6, shade(WOOD_LIGHT, 0.3), edge=False)
    c.rect(6.5, 55.5, 2, 0.8, METAL, 0.3)
    table_lamp(c, 7.5, 53, 0.85)
    # the bed, seen from the side: headboard left, footboard right
    contact_shadow(c, 58, bed_y, 42, 2, 80)
    frame = WOOD_DARK
    c.rect(16, 36, 5, bed_y - 36, frame, 1.5)
    c.rect(96, 52, 4, bed_y - 52, frame, 1)
    c.rect(19, 63, 79, 5, shade(frame, 0.05), 0.6)
    c.rect(20, 54, 76, 10, PAPER, 1.2)
    c.rect(21, 44, 14, 10, CREAM, 3.5)
    c.rect(23, 45.5, 13, 9, tint(FABRIC_ROSE, 0.3), 3.5)
    duvet = hexc("#8ca0b3")
    c.poly([(38, 52), (97, 52), (97.5, 68.5), (37, 68.5)], duvet)
    c.rect(37.6, 51.5, 59.5, 3.2, tint(duvet, 0.2), 1.5)
    for fx in (54, 70, 86):
        c.line(fx, 56, fx + 1.2, 68, 0.3, shade(duvet, 0.16))
    c.rect(37, 67, 60.5, 1.5, shade(duvet, 0.12), edge=False)
    # dresser with a mirror
    dresser = hexc("#c7a88a")
    c.rect(109, 32, 16, 14, WOOD_DARK, 0.4)
    c.rect(110, 33, 14, 12, mix(WALL_BLUE, PAPER, 0.5), 0.2)
    c.glaze([(115, 33), (118, 33), (113, 45), (110, 45)], PAPER, 90)
    contact_shadow(c, 117, floor_y + 3, 13, 1.2, 70)
    c.rect(105, 48, 24, floor_y + 3 - 48, dresser, 0.6)
    for k in range(3):
        dy = 49.5 + k * 6.3
        c.rect(106.2, dy, 21.6, 5.4, tint(dresser, 0.1), 0.4)
        c.rect(115.5, dy + 2.2, 3, 0.8, WOOD_DARK, 0.3)
    c.rect(107, 44, 3, 4, TEAL, 0.5)
    c.rect(125, 42, 2.2, 6, SAGE, 0.4)
    c.circle(126.1, 41.6, 1.7, tint(SAGE, 0.3))
    c.soft(ellipse_points(133, floor_y + 10, 5, 1, 12), INK, 50, 1)
    c.rect(129, floor_y + 4, 8, 6, hexc("#d6c4a8"), 1.2)
    c.rect(129, floor_y + 4, 8, 1.2, shade(hexc("#d6c4a8"), 0.15), edge=False)
