"""The app's pictures, all from ``simulator.art`` (scenes, portraits, icons, the emblem).

One adapter so the screens ask for "the scene of this session at this size" and never
care how it is drawn; ``simulator.art`` caches every render per size.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pygame

from simulator.art import (
    PORTRAITS,
    SCENES,
    Mood,
    mood_for,
    render_logo,
    render_portrait,
    render_scene,
    render_verdict_icon,
)

if TYPE_CHECKING:
    from engine.model import Scenario

FALLBACK_SCENE = "interview_room"
__all__ = ["Mood", "cast_portrait", "logo", "mood", "portrait", "scene", "verdict_icon"]


def scene(key: str, size: tuple[int, int], high_contrast: bool) -> pygame.Surface:
    """The scene ``key`` covering ``size`` (an unknown key shows a plain interview room)."""
    return render_scene(key if key in SCENES else FALLBACK_SCENE, size, high_contrast=high_contrast)


def mood(agitation: float, trust: float, distress: float) -> Mood:
    return mood_for(agitation, trust, distress)


def portrait_key(scenario: Scenario) -> str:
    """The case file's portrait, or a parolee portrait chosen steadily from the scenario id."""
    key = scenario.case_file.person.portrait
    if key in PORTRAITS:
        return key
    parolees = sorted(k for k, info in PORTRAITS.items() if info.role == "parolee") or sorted(
        PORTRAITS
    )
    digest = hashlib.sha256(scenario.id.encode("utf-8")).digest()
    return parolees[digest[0] % len(parolees)]


def portrait(
    scenario: Scenario, mood: Mood, size: tuple[int, int], high_contrast: bool
) -> pygame.Surface:
    return render_portrait(portrait_key(scenario), mood, size, high_contrast=high_contrast)


def cast_portrait_key(scenario: Scenario, cast_key: str, person: str) -> str:
    """The portrait for a cast member: the case file's person has theirs; anyone else gets
    one of the other civilian portraits, chosen steadily from the scenario and cast key."""
    own = portrait_key(scenario)
    if cast_key == person:
        return own
    others = sorted(k for k, info in PORTRAITS.items() if info.role == "parolee" and k != own)
    digest = hashlib.sha256(f"{scenario.id}/{cast_key}".encode()).digest()
    return others[digest[0] % len(others)]


def cast_portrait(
    scenario: Scenario,
    cast_key: str,
    person: str,
    mood: Mood,
    size: tuple[int, int],
    high_contrast: bool,
) -> pygame.Surface:
    key = cast_portrait_key(scenario, cast_key, person)
    return render_portrait(key, mood, size, high_contrast=high_contrast)


def verdict_icon(verdict: str, size: int, high_contrast: bool) -> pygame.Surface:
    """The icon for a verdict; "unscored" (no rule applied) gets an empty square of that size."""
    try:
        return render_verdict_icon(verdict, size, high_contrast=high_contrast)
    except KeyError:
        return pygame.Surface((size, size), pygame.SRCALPHA)


def logo(size: tuple[int, int], high_contrast: bool) -> pygame.Surface:
    return render_logo(min(size), high_contrast=high_contrast)
