"""The measures of a portrait's upper body in a given pose, shared by clothing and arms.

``Torso`` is where the shoulders sit (raised by tension, dropped by a slump) and how wide they
are; ``CLOTHES`` says for each garment which neckline it has and whether its sleeves are long,
which decides whether a forearm is drawn as sleeve or as skin.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.art.canvas import Point
from simulator.art.mood import Expression
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
