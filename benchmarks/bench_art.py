"""Cost of the procedural art: first render and cached lookup of scenes and portraits.

The app renders a scene once per window size and a portrait once per mood change, so the first
render must stay short (a 1280x720 scene well under 50 ms) and the cached lookup must cost about
as little as filling a surface. Each figure is printed beside ``Surface.fill`` of the same size,
measured in the same run.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame

from benchmarks.common import Figure, best_of
from simulator.art import (
    SCENES,
    Mood,
    clear_cache,
    render_portrait,
    render_scene,
    render_verdict_icon,
)

SCENE_SIZE = (1280, 720)
PORTRAIT_SIZE = (300, 360)


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _fill_baseline(size: tuple[int, int], alpha: bool = False) -> float:
    surface = pygame.Surface(size, pygame.SRCALPHA if alpha else 0)
    return _ms(best_of(lambda: surface.fill((40, 60, 80, 255)), repeat=7, number=20))


def _first(render: object) -> float:
    def once() -> None:
        clear_cache()
        render()  # type: ignore[operator]

    return _ms(best_of(once, repeat=3))


def run() -> list[Figure]:
    figures: list[Figure] = []
    fill_scene = _fill_baseline(SCENE_SIZE)
    per_scene = {key: _first(lambda key=key: render_scene(key, SCENE_SIZE)) for key in SCENES}
    slowest = max(per_scene, key=per_scene.__getitem__)
    figures.append(
        Figure(
            f"scene first render {SCENE_SIZE[0]}x{SCENE_SIZE[1]}, slowest ({slowest})",
            per_scene[slowest],
            "ms",
            f"Surface.fill {SCENE_SIZE[0]}x{SCENE_SIZE[1]}",
            fill_scene,
            target="< 50 ms",
            extra=per_scene,
        )
    )
    figures.append(
        Figure(
            "scene first render, mean of 10 scenes",
            sum(per_scene.values()) / len(per_scene),
            "ms",
            f"Surface.fill {SCENE_SIZE[0]}x{SCENE_SIZE[1]}",
            fill_scene,
        )
    )
    render_scene("living_room", SCENE_SIZE)
    cached_scene = _ms(
        best_of(lambda: render_scene("living_room", SCENE_SIZE), repeat=7, number=200)
    )
    figures.append(
        Figure(
            "scene cached lookup",
            cached_scene,
            "ms",
            f"Surface.fill {SCENE_SIZE[0]}x{SCENE_SIZE[1]}",
            fill_scene,
        )
    )
    fill_portrait = _fill_baseline(PORTRAIT_SIZE, alpha=True)
    per_mood = {m.value: _first(lambda m=m: render_portrait("p07", m, PORTRAIT_SIZE)) for m in Mood}
    slowest_mood = max(per_mood, key=per_mood.__getitem__)
    figures.append(
        Figure(
            f"portrait first render 300x360, slowest ({slowest_mood})",
            per_mood[slowest_mood],
            "ms",
            f"Surface.fill {PORTRAIT_SIZE[0]}x{PORTRAIT_SIZE[1]} (alpha)",
            fill_portrait,
            extra=per_mood,
        )
    )
    render_portrait("p07", Mood.TENSE, PORTRAIT_SIZE)
    cached_portrait = _ms(
        best_of(lambda: render_portrait("p07", Mood.TENSE, PORTRAIT_SIZE), repeat=7, number=200)
    )
    figures.append(
        Figure(
            "portrait cached lookup",
            cached_portrait,
            "ms",
            f"Surface.fill {PORTRAIT_SIZE[0]}x{PORTRAIT_SIZE[1]} (alpha)",
            fill_portrait,
        )
    )
    icon = _first(lambda: render_verdict_icon("critical", 64))
    figures.append(
        Figure(
            "verdict icon first render 64x64",
            icon,
            "ms",
            "Surface.fill 64x64",
            _fill_baseline((64, 64), alpha=True),
        )
    )
    return figures
