"""The scene catalogue and ``render_scene``: one cached illustration per (key, size, theme).

The app draws a scene once per window size, so the first render is the only costly one; later
calls return the same cached ``Surface`` (treat it as read-only — ``copy()`` it to draw on it).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pygame

from simulator.art import scenes_agency, scenes_home, scenes_outside, scenes_places, scenes_work
from simulator.art.cache import MB, SurfaceCache
from simulator.art.canvas import Canvas, check_size

SCENE_GRID = (160.0, 90.0)
"""Design units of every scene; the picture covers the requested size, cropping the edges."""

SCENES: dict[str, str] = {
    "apartment_hallway": "Apartment hallway: the parolee's door with a doormat, neighbours' doors",
    "living_room": "Living room: sofa, coffee table, curtained window, floor lamp, pictures",
    "kitchen": "Kitchen: counter and cabinets, sink under a window, stove, fridge, a table edge",
    "bedroom": "Bedroom: bed, nightstand and lamp, dresser with mirror, window, closet door",
    "office_counter": "Parole office reception: counter behind glass, waiting chairs, notice board",
    "interview_room": "Interview room: plain table, two chairs, door with a narrow window, clock",
    "street": "Street: sidewalk, shop with an awning, apartments, lamp post, trees, a parked car",
    "workplace": "Warehouse floor: pallet racks with boxes, safety lines, the manager's office",
    "car": "Inside a state car: dashboard, wheel, laptop mount, the street through the windshield",
    "house_exterior": "A small house seen from the street: porch, front door, windows, lawn, fence",
    "workplace_office": "A manager's office: desk and monitor, shift board, window onto the floor",
    "jail_visiting": "Jail visiting: booths behind glass, a handset each side, fixed stools",
    "treatment_centre": "Treatment centre group room: a circle of chairs, whiteboard, window",
    "hearing_room": "Hearing room: the raised bench under the emblem, two tables, witness chair",
    "caseload_desk": "Officer's desk: two monitors with the caseload dashboard, phone, files",
    "intake_office": "Intake office: desk with the assessment form, visitor's chair beside it, "
    "binders, a leaflet rack of services",
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
    "workplace_office": scenes_places.workplace_office,
    "jail_visiting": scenes_places.jail_visiting,
    "treatment_centre": scenes_places.treatment_centre,
    "hearing_room": scenes_places.hearing_room,
    "caseload_desk": scenes_places.caseload_desk,
    "intake_office": scenes_places.intake_office,
}


def render_scene(key: str, size: tuple[int, int], *, high_contrast: bool = False) -> pygame.Surface:
    """The illustration for scene ``key`` at ``size`` pixels (cached; do not draw on the result).

    Raises ``KeyError`` listing the known keys when ``key`` is not a scene, and ``ValueError``
    when ``size`` is not two positive pixel counts.
    """
    if key not in _DRAW:
        raise KeyError(f"unknown scene {key!r}; known scenes: {', '.join(sorted(SCENES))}")
    size = check_size(size)
    hc = bool(high_contrast)
    return _CACHE.get((key, size, hc), lambda: _render(key, size, hc))


def _supersampling(size: tuple[int, int]) -> float:
    """Twice the resolution for small pictures, less for large ones (whose pixels are finer
    anyway) so that drawing stays near two million pixels and a first render stays quick."""
    return max(1.25, min(2.0, math.sqrt(_SUPERSAMPLED_PIXELS / (size[0] * size[1]))))


_SUPERSAMPLED_PIXELS = 2_000_000


# the scene in view at 1920x1080 (8 MB), or a few at smaller sizes
_CACHE = SurfaceCache("scenes", 12 * MB)


def _render(key: str, size: tuple[int, int], high_contrast: bool) -> pygame.Surface:
    canvas = Canvas(size, SCENE_GRID, ss=_supersampling(size), high_contrast=high_contrast)
    _DRAW[key](canvas)
    return canvas.finish()


def clear_cache() -> None:
    """Forget cached renders of this module."""
    _CACHE.clear()
