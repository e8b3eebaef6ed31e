"""``render_portrait``: a person in a mood, as a transparent picture cached per (key, mood, size).

A portrait is drawn back to front: hair behind the head, neck, clothing and arms, hair lying on
the shoulders, the face, the hair framing it, and a hand raised to the head when the mood asks
for it. The mood's lean scales the figure toward the viewer and its head tilt rotates the head
about the neck, so expression and posture change together.

The high-contrast theme keeps each person's own skin, hair and clothing colours — pushing them
toward black or white would erase the faces of people with deep or very light skin — and
instead outlines every shape and draws eyes, brows and mouth with heavier, darker lines.
"""

from __future__ import annotations

import math

import pygame

from simulator.art.arms import draw_raised_hand
from simulator.art.body import draw_body, draw_neck
from simulator.art.cache import MB, SurfaceCache
from simulator.art.canvas import Canvas, check_size
from simulator.art.face import draw_face, head_for
from simulator.art.hair import STYLES
from simulator.art.mood import EXPRESSIONS, Mood
from simulator.art.people import PEOPLE, PORTRAITS
from simulator.art.torso import torso_for

PORTRAIT_GRID = (100.0, 120.0)
"""Design units of a portrait; the figure is fitted inside the requested size, bottom aligned."""
_SUPERSAMPLED_PIXELS = 1_000_000
"""Drawing budget: 3x supersampling at the usual ~300 x 360, less for large portraits."""
_ZOOM = 1.25
"""Head-and-chest framing: the figure is drawn larger than the grid, cropped at the waist."""


def _mood(mood: Mood | str) -> Mood:
    try:
        return Mood(mood)
    except ValueError:
        known = ", ".join(m.value for m in Mood)
        raise ValueError(f"unknown mood {mood!r}; known moods: {known}") from None


def render_portrait(
    key: str, mood: Mood | str, size: tuple[int, int], *, high_contrast: bool = False
) -> pygame.Surface:
    """Person ``key`` showing ``mood`` at ``size`` pixels, transparent around the figure.

    The result is cached and shared: treat it as read-only (``copy()`` it to draw on it).
    Raises ``KeyError`` listing the known portrait keys for an unknown ``key`` and
    ``ValueError`` for an unknown mood or a bad size.
    """
    if key not in PEOPLE:
        raise KeyError(f"unknown portrait {key!r}; known portraits: {', '.join(sorted(PORTRAITS))}")
    m, sz, hc = _mood(mood), check_size(size), bool(high_contrast)
    return _CACHE.get((key, m, sz, hc), lambda: _render(key, m, sz, hc))


_CACHE = SurfaceCache("portraits", 8 * MB)  # the moods of the people in view at 1080p


def _render(key: str, mood: Mood, size: tuple[int, int], high_contrast: bool) -> pygame.Surface:
    person = PEOPLE[key]
    expr = EXPRESSIONS[mood]
    c = Canvas(
        size,
        PORTRAIT_GRID,
        ss=max(1.5, min(3.0, math.sqrt(_SUPERSAMPLED_PIXELS / (size[0] * size[1])))),
        alpha=True,
        high_contrast=high_contrast,
        fit="contain",
        anchor=(0.5, 1.0),
        adjust_colors=False,
    )
    back, drape, front = STYLES[person.hair]
    head = head_for(person, expr)
    torso = torso_for(person, expr)
    head_dy = expr.slump * 2.0
    with (
        c.transformed(scale=_ZOOM, origin=(50.0, 76.0)),
        c.transformed(dy=(expr.lean - 1) * 30, scale=expr.lean, origin=(50.0, 62.0)),
    ):
        with c.transformed(dy=head_dy, rot=expr.tilt, origin=(50.0, 68.0)):
            if back:
                back(c, head, person.hair_color)
            draw_neck(c, person, torso, head)
        draw_body(c, person, expr, torso)
        with c.transformed(dy=head_dy, rot=expr.tilt, origin=(50.0, 68.0)):
            if drape:
                drape(c, head, person.hair_color)
            draw_face(c, person, expr, head)
            if front:
                front(c, head, person.hair_color)
        if expr.arms == "hand_to_head":
            draw_raised_hand(c, person, torso, head)
    return c.finish()


def clear_cache() -> None:
    """Forget cached renders of this module."""
    _CACHE.clear()
