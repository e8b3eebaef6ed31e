"""The scene catalogue and ``render_scene``: one cached illustration per (key, size, theme).

The app draws a scene once per window size, so the first render is the only costly one; later
calls return the same cached ``Surface`` (treat it as read-only — ``copy()`` it to draw on it).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import pygame

from simulator.art import scenes_agency, scenes_home, scenes_outside, scenes_work
from simulator.art.canvas import Canvas, check_size

SCENE_GRID = (160.0, 90.0)
"""Design units of every scene; the picture covers the requested size, cropping the edges."""

SCENES: dict[str, str] = {
    "apartment_hallway": "Apartment building hallway: the parolee's front door with a doormat, neighbours' doors beyond",
    "living_room": "Living room: sofa, coffee table, window with curtains, floor lamp and pictures",
    "kitchen": "Kitchen: counter and cabinets, sink under a window, stove, fridge, the edge of a table",
    "bedroom": "Bedroom: bed, nightstand with a lamp, dresser with a mirror, window with a blind, closet door",
    "office_counter": "Parole office reception: counter behind a glass window, waiting chairs, notice board",
    "interview_room": "Interview room: plain table with two chairs, door with a narrow window, wall clock",
    "street": "Residential street: sidewalk, shops and apartments, street lamp, trees, a parked car",
    "workplace": "Warehouse floor: pallet racks with boxes, safety lines, a pallet jack, the manager's office",
    "car": "Inside a state car: dashboard, steering wheel, laptop mount and the street through the windshield",
    "house_exterior": "A small house from the street: porch and front door, windows, lawn, path and fence",
}

_DRAW: dict[str, Callable[[Canvas], None]] = {
    "apartment_hallway": scenes_outside.apartment_hallway,
    "living_room": scenes_home.living_room,
    "kitchen": scenes_home.kitchen,
    "bedroom": scenes_home.bedroom,
    "office_counter": scenes_agency.office_counter,
    "interview_room": scenes_agency.interview_room,
    "street": scenes_outside.street,
    "workplace": scenes_work.workplace,
    "car": scenes_work.car,
    "house_exterior": scenes_outside.house_exterior,
}


def render_scene(key: str, size: tuple[int, int], *, high_contrast: bool = False) -> pygame.Surface:
    """The illustration for scene ``key`` at ``size`` pixels (cached; do not draw on the result).

    Raises ``KeyError`` listing the known keys when ``key`` is not a scene, and ``ValueError``
    when ``size`` is not two positive pixel counts.
    """
    if key not in _DRAW:
        raise KeyError(f"unknown scene {key!r}; known scenes: {', '.join(sorted(SCENES))}")
    return _render(key, check_size(size), bool(high_contrast))


@lru_cache(maxsize=24)
def _render(key: str, size: tuple[int, int], high_contrast: bool) -> pygame.Surface:
    canvas = Canvas(size, SCENE_GRID, ss=2, high_contrast=high_contrast)
    _DRAW[key](canvas)
    return canvas.finish()
