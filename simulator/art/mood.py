"""Moods a portrait can show, how the engine's state picks one, and what each looks like.

The app normalises three engine variables by their declared ranges to 0..1 and calls
``mood_for(agitation, trust, distress)``; the trainee then sees a face and posture, never the
numbers. The mapping, first rule that holds wins:

====================================================  ==========
condition                                             mood
====================================================  ==========
agitation >= 0.75                                     angry
distress >= 0.7 and agitation < 0.5                   withdrawn when trust < 0.35, else distressed
agitation >= 0.5                                      tense
distress >= 0.45                                      distressed
trust >= 0.65 and agitation < 0.3                     hopeful
trust < 0.35                                          guarded
otherwise                                             calm
====================================================  ==========

So more agitation never makes a face calmer, high distress reads as distress (or as shutting
down when the person does not trust the officer), and trust shows only once agitation is low.
``EXPRESSIONS`` holds the face and posture each mood is drawn with: eyebrows, eyes and mouth
for the face, and shoulders, head and arms for the body, so a mood reads even at thumbnail
size and never by colour alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class Mood(StrEnum):
    """What a portrait shows; the string values are the names scenario authors and the app use."""

    CALM = "calm"
    GUARDED = "guarded"
    TENSE = "tense"
    ANGRY = "angry"
    DISTRESSED = "distressed"
    HOPEFUL = "hopeful"
    WITHDRAWN = "withdrawn"


def _unit(name: str, value: float) -> float:
    v = float(value)
    if math.isnan(v):
        raise ValueError(f"{name} must be a number from 0 to 1, got NaN")
    return min(1.0, max(0.0, v))


def mood_for(agitation: float, trust: float, distress: float) -> Mood:
    """The mood for engine state normalised to 0..1 (values outside are clamped; see module doc)."""
    a = _unit("agitation", agitation)
    t = _unit("trust", trust)
    d = _unit("distress", distress)
    if a >= 0.75:
        return Mood.ANGRY
    if d >= 0.7 and a < 0.5:
        return Mood.WITHDRAWN if t < 0.35 else Mood.DISTRESSED
    if a >= 0.5:
        return Mood.TENSE
    if d >= 0.45:
        return Mood.DISTRESSED
    if t >= 0.65 and a < 0.3:
        return Mood.HOPEFUL
    if t < 0.35:
        return Mood.GUARDED
    return Mood.CALM


@dataclass(frozen=True)
class Expression:
    """Face and posture settings of one mood (units: fractions of the neutral face's measures)."""

    brow_inner: float = 0.0  # + raises the inner ends (worry), - lowers them (frown)
    brow_outer: float = 0.0
    brow_knit: float = 0.0  # 0..1, pulls the inner ends together
    eye_open: float = 1.0  # upper lid: 1 normal, < 1 heavy or narrowed, > 1 wide
    lower_lid: float = 0.1  # 0..1, raises the lower lid (squint, glare, smile)
    gaze: tuple[float, float] = (0.0, 0.0)  # iris offset, -1..1 in x and y
    mouth_curve: float = 0.0  # -1 frown .. +1 smile
    mouth_open: float = 0.0  # 0..1
    mouth_width: float = 1.0
    teeth: bool = False
    tear: bool = False
    flush: float = 0.0  # 0..1 colour in the cheeks (always alongside a shape change)
    tilt: float = 0.0  # head roll in degrees
    pitch: float = 0.0  # -1 chin up .. 1 head bowed
    turn: float = 0.0  # -1 .. 1 head turned to the viewer's left/right
    lean: float = 1.0  # > 1 leaning toward the viewer
    shoulders: float = 0.0  # > 0 raised (tension), < 0 dropped (slump)
    slump: float = 0.0  # 0..1 rounded, narrowed shoulders
    arms: str = "down"  # down, crossed, clasped, fists, fists_low, hand_to_head


EXPRESSIONS: dict[Mood, Expression] = {
    Mood.CALM: Expression(mouth_curve=0.35, lower_lid=0.2),
    Mood.GUARDED: Expression(
        brow_inner=-0.45,
        brow_outer=-0.1,
        brow_knit=0.25,
        eye_open=0.72,
        lower_lid=0.35,
        gaze=(0.7, 0.05),
        mouth_curve=-0.15,
        mouth_width=0.82,
        turn=0.35,
        pitch=0.15,
        tilt=-3,
        shoulders=1.0,
        arms="crossed",
    ),
    Mood.TENSE: Expression(
        brow_inner=-0.25,
        brow_outer=0.15,
        brow_knit=0.8,
        eye_open=1.18,
        lower_lid=0.05,
        mouth_curve=-0.35,
        mouth_width=1.05,
        shoulders=5.0,
        pitch=-0.05,
        arms="fists_low",
    ),
    Mood.ANGRY: Expression(
        brow_inner=-1.0,
        brow_outer=0.35,
        brow_knit=0.7,
        eye_open=0.9,
        lower_lid=0.45,
        mouth_curve=-0.7,
        mouth_open=0.5,
        mouth_width=1.05,
        teeth=True,
        flush=0.6,
        lean=1.07,
        shoulders=2.0,
        pitch=0.12,
        arms="fists",
    ),
    Mood.DISTRESSED: Expression(
        brow_inner=1.0,
        brow_outer=-0.35,
        brow_knit=0.35,
        eye_open=1.05,
        lower_lid=0.25,
        gaze=(-0.2, 0.45),
        mouth_curve=-0.75,
        mouth_open=0.22,
        mouth_width=0.9,
        tear=True,
        tilt=7,
        pitch=0.2,
        shoulders=1.5,
        arms="hand_to_head",
    ),
    Mood.HOPEFUL: Expression(
        brow_inner=0.55,
        brow_outer=0.45,
        eye_open=1.12,
        lower_lid=0.3,
        gaze=(0.0, -0.15),
        mouth_curve=0.9,
        mouth_open=0.32,
        mouth_width=1.08,
        teeth=True,
        tilt=-4,
        pitch=-0.12,
        lean=1.04,
        arms="clasped",
    ),
    Mood.WITHDRAWN: Expression(
        brow_inner=0.25,
        brow_outer=-0.3,
        eye_open=0.42,
        lower_lid=0.05,
        gaze=(-0.35, 1.0),
        mouth_curve=-0.3,
        mouth_width=0.72,
        pitch=1.0,
        turn=-0.25,
        tilt=2,
        lean=0.97,
        shoulders=-2.5,
        slump=1.0,
        arms="down",
    ),
}
