"""Scenes at the parole office: the reception counter and an interview room.

Both use cool, quiet institutional colours so they are told apart from the warmer homes at a
glance. The office wall carries the fictional division's emblem (see ``emblem``), never a real
agency's insignia. Coordinates are the 160 x 90 scene grid.
"""

from __future__ import annotations

from simulator.art.canvas import Canvas
from simulator.art.emblem import emblem
from simulator.art.palette import (
    FLOOR_TILE,
    GLASS,
    INK,
    METAL,
    NAVY,
    PAPER,
    SLATE,
    TEAL,
    TERRACOTTA,
    WOOD_LIGHT,
    Color,
    hexc,
    mix,
    shade,
    tint,
)
from simulator.art.props import ceiling_light, chair_side, contact_shadow, plant, wall_clock
from simulator.art.scenes_home import wall_and_floor


def _tile_floor(c: Canvas, floor_y: float, color: Color) -> None:
    for k in range(-12, 30):
        x = 80 + k * 8
        c.line(80 + (x - 80) * 0.55, floor_y, 80 + (x - 80) * 1.6, 90, 0.16, shade(color, 0.12))
    y, gap = floor_y, 2.4
    while y < 90:
        c.line(0, y, 160, y, 0.16, shade(color, 0.12))
        gap *= 1.3
        y += gap


def _notice_board(c: Canvas, x: float, y: float, w: float, h: float) -> None:
    """A cork board with pinned sheets; the sheets carry ruled lines, never readable text."""
    c.rect(x, y, w, h, hexc("#8b6f55"), 0.4)
    c.rect(x + 0.8, y + 0.8, w - 1.6, h - 1.6, hexc("#c9a982"), 0.2)
    sheets = (
        (0.08, 0.1, 0.3, 0.45, PAPER),
        (0.44, 0.14, 0.24, 0.34, hexc("#e8d9a6")),
        (0.72, 0.08, 0.22, 0.5, PAPER),
        (0.12, 0.6, 0.36, 0.32, hexc("#cfe0e0")),
        (0.56, 0.62, 0.34, 0.3, PAPER),
    )
    for sx, sy, sw, sh, col in sheets:
        px, py, pw, ph = x + sx * w, y + sy * h, sw * w, sh * h
        c.rect(px, py, pw, ph, col)
        for k in range(1, 4):
            ly = py + ph * (0.12 + k * 0.2)
            c.line(
                px + pw * 0.15,
                ly,
                px + pw * (0.85 if k % 2 else 0.65),
                ly,
                0.25,
                mix(col, INK, 0.35),
            )
        c.circle(px + pw / 2, py + 0.4, 0.5, TERRACOTTA, edge=False)


def office_counter(c: Canvas) -> None:
    floor_y = 70.0
    wall = hexc("#d5dbdb")
    wall_and_floor(c, wall, FLOOR_TILE, floor_y, boards=False)
    _tile_floor(c, floor_y, FLOOR_TILE)
    c.rect(0, 0, 160, 3, hexc("#eef0ec"), edge=False)
    for x in (30, 80, 130):
        ceiling_light(c, x, 3.2, 16)
    # back office seen through the glass
    gx0, gx1, gy0, gy1 = 36.0, 124.0, 20.0, 52.0
    c.rect(gx0 - 3, gy0 - 4, gx1 - gx0 + 6, 62 - gy0 + 4, hexc("#b8c2c6"))
    with c.clipped(gx0, gy0, gx1 - gx0, gy1 - gy0):
        c.vgradient(gx0, gy0, gx1 - gx0, gy1 - gy0, hexc("#e9ece6"), hexc("#dcdfd8"))
        for fx in (42.0, 50.0):
            c.rect(fx, 32, 7, 22, hexc("#9aa7ae"), 0.3)
            for dy in (34, 41, 48):
                c.rect(fx + 2.5, dy, 2, 0.6, shade(METAL, 0.4), edge=False)
        c.rect(62, 44, 30, 2, WOOD_LIGHT, 0.3)
        c.rect(70, 35, 13, 8.5, hexc("#3f4650"), 0.6)
        c.rect(71, 36, 11, 6.5, hexc("#7d97a8"), 0.3)
        c.rect(75.5, 43, 2, 1.5, hexc("#3f4650"), edge=False)
        c.rect(98, 26, 20, 14, hexc("#c4ccc8"), 0.3)
        c.rect(101, 28.5, 14, 9, PAPER, 0.2)
        plant(c, 112, 54, 0.6, pot=hexc("#d9d3c6"))
    c.glaze([(gx0 + 10, gy0), (gx0 + 22, gy0), (gx0 + 6, gy1), (gx0 - 6, gy1)], PAPER, 70)
    c.glaze([(gx0 + 56, gy0), (gx0 + 62, gy0), (gx0 + 46, gy1), (gx0 + 40, gy1)], PAPER, 55)
    c.glaze([(gx0, gy0), (gx1, gy0), (gx1, gy1), (gx0, gy1)], GLASS, 40)
    frame = hexc("#8d979c")
    for fx in (gx0 - 1, 79.4, gx1 - 0.6):
        c.rect(fx, gy0, 1.6, gy1 - gy0, frame)
    c.rect(gx0 - 1, gy0 - 1.6, gx1 - gx0 + 2, 1.6, frame)
    for hx in (58, 102):
        c.circle(hx, 40, 2.2, tint(GLASS, 0.2))
        for k in range(6):
            c.circle(hx + (k % 3 - 1) * 0.9, 39.5 + (k // 3) * 1.0, 0.25, SLATE, edge=False)
    emblem(c, 80, 11, 5.5)
    # the counter itself, with pass-through trays
    counter = hexc("#6e7f8c")
    contact_shadow(c, 80, floor_y + 2, 50, 1.6, 80)
    c.rect(30, 51, 100, floor_y + 2 - 51, counter, 0.6)
    for k in range(5):
        c.rect(33 + k * 19.2, 56, 17, floor_y - 56, tint(counter, 0.08), 0.5)
    c.rect(28, 50, 104, 3, hexc("#cdc6b7"), 0.4)
    for tx in (52, 96):
        c.rect(tx, 51.4, 12, 1.2, shade(counter, 0.4), 0.3)
    c.rect(112, 47, 8, 3, PAPER, 0.3)
    c.rect(113, 45, 6, 2.2, tint(PAPER, 0.5), 0.3)
    c.rect(40, 46.5, 3, 3.5, TEAL, 0.4)
    # secure door on the left with a keypad, waiting chairs on the right
    c.rect(4, 26, 18, floor_y - 26, hexc("#9aa7ae"))
    c.rect(5.5, 27.5, 15, floor_y - 27.5, hexc("#b7c1c5"), 0.3)
    c.rect(10, 32, 5, 12, GLASS, 0.3)
    c.rect(22.5, 44, 3, 4.5, hexc("#3f4650"), 0.4)
    c.rect(23.2, 45, 1.6, 1.2, hexc("#8fc1a4"), edge=False)
    c.rect(7, 48, 1.2, 4, METAL, 0.3)
    _notice_board(c, 132, 22, 24, 18)
    for k in range(3):
        x = 134 + k * 9
        contact_shadow(c, x + 4, floor_y + 14, 4.5, 0.8, 60)
        c.rect(x, floor_y + 4, 8, 2.2, NAVY, 0.8)
        c.rect(x + 0.5, floor_y - 4, 7, 8.5, NAVY, 1)
        c.line(x + 1, floor_y + 6, x + 1, floor_y + 14, 0.6, METAL)
        c.line(x + 7, floor_y + 6, x + 7, floor_y + 14, 0.6, METAL)


def interview_room(c: Canvas) -> None:
    floor_y = 66.0
    wall = hexc("#d3d8cf")
    wall_and_floor(c, wall, hexc("#a7a59c"), floor_y, boards=False)
    _tile_floor(c, floor_y, hexc("#a7a59c"))
    c.rect(0, 40, 160, floor_y - 41.6, shade(wall, 0.07), edge=False)
    c.rect(0, 39.5, 160, 0.8, tint(wall, 0.4), edge=False)
    for k in range(4):
        c.rect(14 + k * 9, 10, 7.5, 22, hexc("#9fb0a8"), 0.8)
    ceiling_light(c, 80, 0, 30)
    wall_clock(c, 80, 18, 5.5, 10, 10)
    c.poly([(151, 2), (157, 2), (156, 5), (152, 5)], hexc("#e8e6e0"))
    c.circle(154, 5.5, 1.6, hexc("#3f4650"))
    c.circle(154, 5.5, 0.6, hexc("#6c8fb0"), edge=False)
    c.rect(124, 20, 20, floor_y - 20, hexc("#9aa7ae"))
    c.rect(125.5, 21.5, 17, floor_y - 21.5, hexc("#b9c3c4"), 0.3)
    c.rect(128.5, 25, 3.5, 18, GLASS, 0.3)
    c.line(128.5, 34, 132, 30, 0.2, PAPER)
    c.rect(139, 43, 2.5, 1, METAL, 0.3)
    table = hexc("#c9bba4")
    contact_shadow(c, 80, 80, 34, 2, 90)
    c.poly([(52, 58), (108, 58), (118, 66), (42, 66)], table)
    c.rect(42, 66, 76, 2.2, shade(table, 0.25), 0.4)
    for lx in (44.5, 114.5):
        c.rect(lx, 68, 1.6, 12, shade(METAL, 0.3))
    c.poly([(56.5, 61), (69, 61), (70, 64.5), (55, 64.5)], hexc("#d8c690"))
    c.poly([(58, 60.6), (68.5, 60.6), (69.2, 63.9), (57, 63.9)], PAPER, edge=False)
    c.rect(92, 58.8, 3, 3.6, PAPER, 0.4)
    c.rect(96, 61, 7, 1.4, NAVY, 0.5)
    chair_side(c, 31, 82, SLATE, facing_right=True, s=1.25)
    chair_side(c, 129, 82, SLATE, facing_right=False, s=1.25)
    c.rect(2, 52, 10, floor_y + 4 - 52, hexc("#b9c3c4"), 0.4)
    c.rect(3, 54, 8, 0.6, shade(METAL, 0.3), edge=False)
