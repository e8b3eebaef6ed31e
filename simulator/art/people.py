"""The cast of fictional people a scenario can show, and how each one looks.

``PORTRAITS`` is the catalogue scenario authors pick from (key -> a one-line neutral
description); ``PEOPLE`` holds the appearance the portrait painter draws. Parolees are ordinary
people of many ages and backgrounds, drawn with the same care as the officers; nothing in their
look hints at an offence.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.art.palette import Color, hexc

# Skin tones, light to deep.
SKIN = {
    "s1": hexc("#f2d5c4"),
    "s2": hexc("#e9c0a2"),
    "s3": hexc("#d9a582"),
    "s4": hexc("#c48d66"),
    "s5": hexc("#b07a53"),
    "s6": hexc("#91603f"),
    "s7": hexc("#74472f"),
    "s8": hexc("#5a3626"),
}


BROWN_EYES = hexc("#4a3426")


@dataclass(frozen=True)
class PortraitInfo:
    """Catalogue entry: who the portrait shows, in words a scenario author can choose by."""

    key: str
    description: str
    role: str  # "parolee" (any member of the public) or "officer"


@dataclass(frozen=True)
class Person:
    """Everything the painter needs to draw one person; moods only change expression and pose."""

    skin: Color
    hair: str  # style name, see simulator.art.hair.STYLES
    hair_color: Color
    clothing: str  # style name, see simulator.art.body.CLOTHES
    cloth: Color
    cloth2: Color  # second colour: shirt under a cardigan, hood lining, collar
    iris: Color = BROWN_EYES
    face_w: float = 1.0  # head width relative to the neutral head
    jaw: float = 0.4  # 0 narrow and round .. 1 broad and square
    build: float = 1.0  # shoulder width relative to the neutral build
    age: int = 30  # adds lines around eyes and mouth from the 40s on
    brow: float = 1.0  # eyebrow thickness
    brow_color: Color | None = None
    facial_hair: str = ""  # "", stubble, beard, moustache, goatee
    glasses: str = ""  # "", round, square
    earrings: bool = False
    badge: bool = False  # an officer's ID badge on a lanyard
    lip: float = 1.0  # lip fullness


PEOPLE: dict[str, Person] = {
    "p01": Person(
        SKIN["s7"],
        "twists",
        hexc("#1f1a17"),
        "hoodie",
        hexc("#6f8072"),
        hexc("#d9d2c3"),
        jaw=0.45,
        build=1.05,
        age=24,
    ),
    "p02": Person(
        SKIN["s1"],
        "pixie",
        hexc("#b9b6b1"),
        "cardigan",
        hexc("#9c6f6a"),
        hexc("#ece4d6"),
        iris=hexc("#5c7386"),
        face_w=0.96,
        jaw=0.3,
        build=0.9,
        age=47,
        brow=0.8,
        brow_color=hexc("#8e8780"),
        earrings=True,
    ),
    "p03": Person(
        SKIN["s2"],
        "receding",
        hexc("#9c938a"),
        "work_jacket",
        hexc("#7b6a4f"),
        hexc("#5f7181"),
        iris=hexc("#6d7d6a"),
        face_w=1.06,
        jaw=0.8,
        build=1.15,
        age=56,
        facial_hair="beard",
    ),
    "p04": Person(
        SKIN["s4"],
        "ponytail",
        hexc("#2b1d16"),
        "zip_jacket",
        hexc("#4f6a8a"),
        hexc("#e9e4da"),
        face_w=0.94,
        jaw=0.25,
        build=0.88,
        age=23,
        earrings=True,
        lip=1.1,
    ),
    "p05": Person(
        SKIN["s2"],
        "side_part",
        hexc("#1d1b1a"),
        "sweater",
        hexc("#8aa39b"),
        hexc("#f0ece4"),
        iris=hexc("#2e2420"),
        face_w=0.98,
        jaw=0.5,
        build=0.97,
        age=34,
        glasses="square",
        brow=0.9,
    ),
    "p06": Person(
        SKIN["s8"],
        "short_natural",
        hexc("#d6d3cd"),
        "blouse",
        hexc("#7d6b8f"),
        hexc("#e9e3ef"),
        face_w=1.0,
        jaw=0.35,
        build=0.95,
        age=63,
        glasses="round",
        brow=0.8,
        brow_color=hexc("#8f8a84"),
        earrings=True,
        lip=1.1,
    ),
    "p07": Person(
        SKIN["s5"],
        "crop",
        hexc("#231c18"),
        "polo",
        hexc("#3f5f73"),
        hexc("#33495a"),
        face_w=1.03,
        jaw=0.7,
        build=1.1,
        age=42,
        facial_hair="beard",
        brow=1.25,
    ),
    "p08": Person(
        SKIN["s1"],
        "bald_sides",
        hexc("#c9c3ba"),
        "button_shirt",
        hexc("#b9c7d4"),
        hexc("#98a9ba"),
        iris=hexc("#6a7f93"),
        face_w=1.04,
        jaw=0.6,
        build=1.0,
        age=66,
        facial_hair="moustache",
        brow_color=hexc("#a39c93"),
    ),
    "p09": Person(
        SKIN["s6"],
        "braids",
        hexc("#2a1f1b"),
        "denim_jacket",
        hexc("#5d7896"),
        hexc("#e7d8c4"),
        face_w=0.95,
        jaw=0.3,
        build=0.9,
        age=31,
        earrings=True,
        lip=1.15,
    ),
    "p10": Person(
        SKIN["s1"],
        "messy",
        hexc("#8a5a3c"),
        "flannel",
        hexc("#8f5c54"),
        hexc("#4b4f5a"),
        iris=hexc("#5f7a5a"),
        face_w=0.97,
        jaw=0.45,
        build=1.0,
        age=27,
        facial_hair="stubble",
    ),
    "p11": Person(
        SKIN["s5"],
        "long_braid",
        hexc("#5a5450"),
        "fleece",
        hexc("#a8674c"),
        hexc("#e3d6bf"),
        face_w=1.06,
        jaw=0.55,
        build=0.95,
        age=52,
        brow=0.9,
        earrings=True,
    ),
    "p12": Person(
        SKIN["s3"],
        "curly_top",
        hexc("#3a2a22"),
        "tshirt",
        hexc("#c49a5a"),
        hexc("#c49a5a"),
        face_w=1.0,
        jaw=0.55,
        build=1.0,
        age=38,
        facial_hair="goatee",
    ),
    "officer_partner": Person(
        SKIN["s3"],
        "bun",
        hexc("#4a3326"),
        "polo_badge",
        hexc("#2f3f56"),
        hexc("#d9b865"),
        face_w=0.96,
        jaw=0.35,
        build=0.95,
        age=36,
        badge=True,
    ),
    "supervisor": Person(
        SKIN["s7"],
        "crop_textured",
        hexc("#bdb8b1"),
        "shirt_tie",
        hexc("#dfe6ec"),
        hexc("#4a5d78"),
        face_w=1.04,
        jaw=0.7,
        build=1.1,
        age=55,
        glasses="square",
        badge=True,
        brow_color=hexc("#6f6964"),
    ),
}

PORTRAITS: dict[str, PortraitInfo] = {
    info.key: info
    for info in (
        PortraitInfo(
            "p01", "man in his 20s, dark brown skin, short twists, sage hoodie", "parolee"
        ),
        PortraitInfo("p02", "woman in her 40s, short grey hair, rose cardigan", "parolee"),
        PortraitInfo(
            "p03", "man in his 50s, receding grey hair and beard, canvas work jacket", "parolee"
        ),
        PortraitInfo(
            "p04", "woman in her 20s, long dark hair in a ponytail, blue zip jacket", "parolee"
        ),
        PortraitInfo("p05", "man in his 30s, neat black hair, glasses, green sweater", "parolee"),
        PortraitInfo(
            "p06",
            "woman in her 60s, short grey natural hair, round glasses, violet blouse",
            "parolee",
        ),
        PortraitInfo(
            "p07", "man in his 40s, short dark hair, full dark beard, navy polo shirt", "parolee"
        ),
        PortraitInfo(
            "p08", "man in his 60s, bald with grey sides, moustache, light blue shirt", "parolee"
        ),
        PortraitInfo("p09", "woman in her 30s, long box braids, denim jacket", "parolee"),
        PortraitInfo(
            "p10", "man in his 20s, tousled auburn hair, stubble, plaid overshirt", "parolee"
        ),
        PortraitInfo("p11", "woman in her 50s, long greying braid, rust fleece", "parolee"),
        PortraitInfo("p12", "man in his 30s, short curly hair, goatee, mustard t-shirt", "parolee"),
        PortraitInfo(
            "officer_partner",
            "parole officer, woman in her 30s, hair in a bun, navy polo, ID badge",
            "officer",
        ),
        PortraitInfo(
            "supervisor",
            "field training officer, man in his 50s, grey hair, shirt and tie, ID badge",
            "officer",
        ),
    )
}
