"""Scenes away from the office and the home: a manager's office at a workplace, a jail
visiting booth, a treatment centre's group room, a hearing room, the officer's own desk
with the caseload dashboard, and an office set up for an intake interview.

Drawn in the same flat, lightly shaded style as the other scenes, each with one thing that
names it at a glance (the manager's desk and shift board, the glass and handsets, the circle
of chairs, the bench with the fictional division's emblem). Coordinates are the 160 x 90
scene grid.
"""

from __future__ import annotations

from simulator.art.canvas import Canvas
from simulator.art.emblem import emblem
from simulator.art.palette import (
    CREAM,
    FABRIC_BLUE,
    FABRIC_ROSE,
    GLASS,
    INK,
    METAL,
    MUSTARD,
    NAVY,
    PAPER,
    SAGE,
    SLATE,
    TEAL,
    TERRACOTTA,
    WOOD_DARK,
    WOOD_LIGHT,
    hexc,
    shade,
    tint,
)
from simulator.art.props import (
    books,
    ceiling_light,
    chair_side,
    contact_shadow,
    door,
    framed_picture,
    plant,
    wall_clock,
    window,
)
from simulator.art.scenes_home import wall_and_floor


def _desk(c: Canvas, x: float, top_y: float, w: float, color: tuple[int, int, int]) -> None:
    """A desk seen from the front: top, front panel and a drawer line."""
    contact_shadow(c, x + w / 2, top_y + 16, w / 2 + 2, 1.6, 80)
    c.rect(x, top_y, w, 2.2, tint(color, 0.15), 0.4)
    c.rect(x + 1, top_y + 2.2, w - 2, 13.5, color, 0.3)
    c.line(x + 2, top_y + 6.5, x + w - 2, top_y + 6.5, 0.25, shade(color, 0.25))


def workplace_office(c: Canvas) -> None:
    """A manager's office off the shop floor: desk, shift board, window onto the floor."""
    floor_y = 64.0
    wall = hexc("#dcd5c6")
    wall_and_floor(c, wall, hexc("#8c8f93"), floor_y, boards=False)
    window(c, 10, 12, 44, 26, frame=hexc("#c9ccce"), sky=hexc("#b8c2c6"), panes=3)
    for k in range(3):  # racks seen through the glass
        c.rect(14 + k * 13, 26, 9, 12, hexc("#c98e4a"), 0.2, edge=False)
    c.rect(66, 10, 34, 22, PAPER, 0.6)  # the shift board
    c.rect(66, 10, 34, 3, NAVY, 0.4, edge=False)
    for row in range(5):
        y = 15 + row * 3.3
        c.line(69, y, 84, y, 0.5, INK)
        c.rect(87, y - 1, 10, 2, (MUSTARD, TEAL, FABRIC_ROSE, SAGE, FABRIC_BLUE)[row], 0.3)
    door(c, 120, 18, 22, floor_y - 18, hexc("#8a9296"))
    c.rect(124, 22, 6, 14, GLASS, 0.3)
    _desk(c, 40, 54, 62, WOOD_LIGHT)
    c.rect(48, 47, 14, 7, hexc("#3f4650"), 0.4)  # a monitor
    c.rect(54, 54, 2, 1, hexc("#3f4650"), edge=False)
    c.poly([(70, 52), (84, 52), (85, 54), (69, 54)], PAPER)
    c.rect(90, 50.5, 3.5, 3.5, hexc("#b4573f"), 0.6)  # a mug
    chair_side(c, 30, 80, SLATE, facing_right=True, s=1.2)
    plant(c, 110, floor_y + 2, 0.9)
    c.rect(104, 30, 10, 7, hexc("#f2d64b"), 0.3)  # a safety notice
    c.line(106, 33.5, 112, 33.5, 0.5, INK)


def jail_visiting(c: Canvas) -> None:
    """A visiting booth: a counter and stools, glass to the ceiling, a handset each side."""
    wall = hexc("#c9cfc9")
    wall_and_floor(c, wall, hexc("#9b9d98"), 70.0, boards=False)
    for k in range(6):  # painted block wall
        c.line(0, 8 + k * 10, 160, 8 + k * 10, 0.2, shade(wall, 0.12))
    for x in (0, 52, 106, 160):  # booth partitions
        c.rect(x - 2, 14, 4, 56, hexc("#7f8a86"), 0.3)
    for x0 in (2, 56, 110):
        c.rect(x0, 16, 48, 34, tint(GLASS, 0.2), 0.4)  # the glass
        c.rect(x0, 16, 48, 34, hexc("#c7d6da"), 0.4, edge=False)
        c.rect(x0 + 4, 20, 40, 26, hexc("#b3bfbd"), 0.2, edge=False)  # the room beyond
        c.line(x0 + 6, 20, x0 + 14, 44, 0.35, tint(GLASS, 0.5))
        c.rect(x0 + 40, 24, 3.2, 9, INK, 0.8)  # handset on the far side
    c.rect(0, 50, 160, 4, hexc("#8b9390"), 0.2)  # the counter
    c.rect(0, 54, 160, 16, shade(hexc("#8b9390"), 0.15), edge=False)
    for x0 in (2, 56, 110):
        c.rect(x0 + 5, 38, 3.5, 11, INK, 0.9)  # handset on this side
        c.stroke([(x0 + 6.7, 49), (x0 + 8, 52), (x0 + 11, 51)], 0.4, INK)
        contact_shadow(c, x0 + 24, 84, 7, 1.0, 60)
        c.rect(x0 + 21, 70, 6, 14, METAL, 0.8)  # a fixed stool
        c.ellipse(x0 + 24, 70, 6, 1.6, shade(METAL, 0.2))
    ceiling_light(c, 80, 0, 40)


def treatment_centre(c: Canvas) -> None:
    """A group room at a treatment centre: a circle of chairs, a whiteboard, a window."""
    floor_y = 62.0
    wall = hexc("#e4e2d3")
    wall_and_floor(c, wall, hexc("#b99a77"), floor_y)
    window(c, 108, 12, 40, 26, sky=hexc("#cfe1e8"))
    c.rect(14, 12, 48, 26, PAPER, 0.6)  # whiteboard
    c.rect(14, 38, 48, 1.6, METAL, 0.3)
    c.stroke([(20, 18), (34, 18)], 0.5, TEAL)
    c.stroke([(20, 23), (44, 23)], 0.5, INK)
    c.stroke([(20, 28), (38, 28)], 0.5, INK)
    c.circle(52, 24, 5, hexc("#d98f6b"), edge=False)
    c.circle(52, 24, 3.6, PAPER, edge=False)
    framed_picture(c, 74, 14, 18, 13, seed=5)
    wall_clock(c, 100, 10, 4.0, 3, 10)
    colours = (FABRIC_BLUE, MUSTARD, SAGE, FABRIC_ROSE, TEAL, FABRIC_BLUE)
    for i, (x, floor) in enumerate(((30, 78), (58, 72), (102, 72), (130, 78), (80, 86))):
        chair_side(c, x, floor, colours[i], facing_right=x < 80, s=1.15)
    contact_shadow(c, 80, 74, 9, 1.2, 60)
    c.ellipse(80, 68, 9, 2.4, WOOD_LIGHT)  # a low table with tissues and a jug
    c.rect(78.5, 68.5, 3, 6, shade(WOOD_LIGHT, 0.3), edge=False)
    c.rect(75, 64.5, 4, 3, PAPER, 0.4)
    c.rect(83, 63.5, 3, 4.5, tint(GLASS, 0.3), 0.5)
    plant(c, 152, floor_y + 4, 1.1)


def hearing_room(c: Canvas) -> None:
    """A hearing room: the hearing officer's raised bench under the division's emblem,
    two tables facing it and a witness chair at the side."""
    floor_y = 60.0
    wall = hexc("#d8cdb9")
    wall_and_floor(c, wall, hexc("#8b6f55"), floor_y)
    for x in range(0, 161, 16):  # wood panelling below the rail
        c.rect(x, 34, 15.2, floor_y - 34, tint(WOOD_DARK, 0.25), 0.3)
    c.rect(0, 33, 160, 1.4, WOOD_DARK, edge=False)
    emblem(c, 80, 14, 8.5)
    c.rect(58, 29, 44, 3, shade(WOOD_DARK, 0.1), 0.4)  # the bench
    c.rect(56, 32, 48, 24, WOOD_DARK, 0.4)
    c.rect(60, 36, 40, 16, tint(WOOD_DARK, 0.12), 0.3, edge=False)
    c.rect(76, 24, 8, 6, hexc("#3f4650"), 0.3)  # the hearing officer's monitor
    for x in (8, 152):  # notice frames either side of the bench
        c.rect(x - 4, 12, 8, 11, PAPER, 0.3)
        c.rect(x - 4, 12, 8, 2, NAVY, 0.2, edge=False)
    chair_side(c, 28, 66, SLATE, facing_right=True, s=1.0)  # the witness chair
    c.rect(22, 52, 14, 2, WOOD_LIGHT, 0.3)
    for x in (34, 92):  # counsel and officer tables
        contact_shadow(c, x + 17, 84, 20, 1.6, 90)
        c.poly([(x, 70), (x + 34, 70), (x + 38, 76), (x - 4, 76)], WOOD_LIGHT)
        c.rect(x - 4, 76, 42, 2, shade(WOOD_LIGHT, 0.3), 0.3)
        c.rect(x, 78, 1.4, 8, shade(WOOD_DARK, 0.2), edge=False)
        c.rect(x + 32, 78, 1.4, 8, shade(WOOD_DARK, 0.2), edge=False)
        c.poly([(x + 6, 71), (x + 16, 71), (x + 16.8, 74), (x + 5.2, 74)], PAPER)
    c.rect(98, 71, 3, 2.5, hexc("#2e2f33"), 0.3)  # a recorder


def caseload_desk(c: Canvas) -> None:
    """An officer's desk in the unit office: two monitors with the caseload dashboard (one
    row flagged red for an alert), the desk phone, stacked case files and the week's
    calendar on the wall behind."""
    floor_y = 62.0
    wall_and_floor(c, hexc("#d6dad3"), hexc("#9b9a94"), floor_y, boards=False)
    window(c, 118, 10, 34, 24, frame=hexc("#c9ccce"), sky=hexc("#c3d2da"), panes=2)
    c.rect(10, 9, 30, 22, PAPER, 0.4)  # the week's calendar: seven days, one circled
    c.rect(10, 9, 30, 4, NAVY, 0.3, edge=False)
    for k in range(7):
        x = 11.5 + k * 4
        c.rect(x, 15, 3.4, 14, tint(SLATE, 0.85), 0.15, edge=False)
        for row in range(3):
            c.rect(x + 0.5, 17 + row * 4, 2.4, 0.6, shade(PAPER, 0.35), edge=False)
    c.ellipse(13.2, 18.5, 2.6, 2.3, FABRIC_ROSE)
    wall_clock(c, 58, 14, 4.5)
    _desk(c, 8, 50, 144, WOOD_LIGHT)
    for mx in (34.0, 82.0):  # the two monitors, each showing the dashboard table
        c.rect(mx + 19, 44, 4, 6, hexc("#3f4650"), edge=False)
        c.rect(mx + 14, 49, 14, 1.4, hexc("#3f4650"), edge=False)
        c.rect(mx, 20, 42, 25, hexc("#2f353d"), 0.5)
        c.rect(mx + 1.5, 21.5, 39, 22, hexc("#eef2f4"), edge=False)
        c.rect(mx + 1.5, 21.5, 39, 3, NAVY, edge=False)
        for row in range(7):
            y = 25.5 + row * 2.6
            fill = (
                hexc("#e8b4ad")
                if (row == 1 and mx < 50)
                else (hexc("#dfe6ea") if row % 2 else hexc("#f6f8f9"))
            )
            c.rect(mx + 1.5, y, 39, 2.4, fill, edge=False)
            cols = ((3, 11), (16, 5), (23, 6), (31, 7)) if mx < 50 else ((3, 11), (16, 5))
            for col, w in cols:
                c.rect(mx + col, y + 0.9, w, 0.6, shade(SLATE, 0.1), edge=False)
        if mx > 50:  # the second screen: bars of contacts by level
            for k, (h, colr) in enumerate(((6, SAGE), (9, MUSTARD), (4, tint(TERRACOTTA, 0.2)))):
                c.rect(mx + 28 + k * 4, 41 - h, 3, h, colr, edge=False)
    c.rect(8, 47, 20, 3, tint(WOOD_DARK, 0.1), 0.3)  # stacked case files
    for k, colr in enumerate((MUSTARD, TEAL, FABRIC_BLUE, MUSTARD)):
        c.rect(9 + k * 0.6, 45.7 - k * 1.3, 17, 1.3, colr, 0.2)
    c.rect(130, 45, 12, 5, hexc("#3a3d42"), 0.4)  # the desk phone, its message light on
    c.rect(131, 42.5, 10, 2.6, hexc("#2c2f33"), 0.3)
    c.circle(139.5, 46.5, 0.9, hexc("#e0533f"), edge=False)
    c.rect(60, 51.5, 40, 3, hexc("#cfd3d6"), 0.3)  # keyboard
    c.rect(112, 46, 4, 4.5, CREAM, 0.3)  # a mug
    plant(c, 152, floor_y + 4, 0.9)
    chair_side(c, 80, 80, SLATE, facing_right=False, s=1.2)


def intake_office(c: Canvas) -> None:
    """An officer's office set up for an intake interview: the desk with the assessment form
    and a monitor, the visitor's chair at the corner of the desk (beside, not across), a
    bookcase of binders, a leaflet rack of services and a window with blinds."""
    floor_y = 62.0
    wall = hexc("#dfe3dc")
    wall_and_floor(c, wall, hexc("#9c8a74"), floor_y)
    window(c, 112, 10, 36, 26, frame=hexc("#c9ccce"), sky=hexc("#cddfe6"), panes=2)
    for k in range(7):  # blinds half down
        c.rect(112.6, 11 + k * 1.8, 34.8, 1.0, tint(METAL, 0.5), 0.2, edge=False)
    c.rect(8, 16, 24, floor_y - 16, WOOD_DARK, 0.4)  # bookcase of binders
    for k, shelf in enumerate((28.0, 42.0, 56.0)):
        c.rect(9, shelf, 22, 1.2, shade(WOOD_DARK, 0.25), edge=False)
        books(c, 10, shelf, 20, seed=11 + k, max_h=9.0)
    c.rect(40, 14, 20, 24, hexc("#c7b08d"), 0.3)  # leaflet rack: services and programmes
    for row in range(3):
        for col in range(3):
            colour = (TEAL, MUSTARD, FABRIC_ROSE, SAGE, FABRIC_BLUE, PAPER)[(row + col * 2) % 6]
            c.rect(41.5 + col * 6.2, 16 + row * 7.4, 5, 6, colour, 0.3)
    framed_picture(c, 72, 14, 16, 12, seed=8)
    wall_clock(c, 98, 12, 4.0, 2, 9)
    table = hexc("#b89b76")
    _desk(c, 62, 58, 54, table)  # the desk, its corner toward the visitor's chair
    c.rect(92, 46, 16, 11, hexc("#3f4650"), 0.4)  # monitor
    c.rect(93.2, 47.2, 13.6, 8.6, hexc("#6f8fa8"), edge=False)
    c.rect(98.5, 57, 3, 1.4, METAL, 0.3)
    c.poly([(70, 56.2), (84, 56.2), (85, 58), (69, 58)], PAPER)  # the assessment form
    for k in range(3):
        c.stroke([(71.5, 56.7 + k * 0.45), (82 - k * 2, 56.7 + k * 0.45)], 0.15, NAVY)
    c.rect(86, 55.6, 4, 2.4, tint(GLASS, 0.2), 0.3)  # a cup of water for the visitor
    chair_side(c, 125, 80, SLATE, facing_right=False, s=1.2)  # officer's chair
    chair_side(c, 48, 82, FABRIC_BLUE, facing_right=True, s=1.2)  # visitor's chair, beside
    plant(c, 152, floor_y + 6, 1.0)
    ceiling_light(c, 80, 0, 34)
