"""Procedurally drawn art of parolesim: scenes, portraits with moods, verdict icons, the emblem.

Nothing here loads an image file: every picture is drawn with ``pygame.draw`` in resolution-
independent design units, supersampled for smooth edges, and cached per size, so the app can
ask for any window size and pay only for the first render. Renders do not need a display.

    from simulator.art import render_scene, render_portrait, mood_for

    backdrop = render_scene("living_room", (1280, 720))
    face = render_portrait("p04", mood_for(agitation=0.8, trust=0.2, distress=0.1), (300, 360))

Returned surfaces are shared by the cache: blit them, ``copy()`` them before drawing on them.
Render from one thread at a time (drawing reuses one scratch surface per size).
"""

from simulator.art import icons, portraits, scenes
from simulator.art.cache import cache_stats
from simulator.art.icons import VERDICT_SHAPES, render_logo, render_verdict_icon
from simulator.art.mood import Mood, mood_for
from simulator.art.people import PORTRAITS, PortraitInfo
from simulator.art.portraits import render_portrait
from simulator.art.scenes import SCENES, render_scene


def clear_cache() -> None:
    """Forget every cached render (to free memory, say after the window has been resized)."""
    scenes.clear_cache()
    portraits.clear_cache()
    icons.clear_cache()


__all__ = [
    "PORTRAITS",
    "SCENES",
    "VERDICT_SHAPES",
    "Mood",
    "PortraitInfo",
    "cache_stats",
    "clear_cache",
    "mood_for",
    "render_logo",
    "render_portrait",
    "render_scene",
    "render_verdict_icon",
]
