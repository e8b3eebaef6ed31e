"""Picture caches bounded in bytes, not entries.

A scene at 1920x1080 costs eight megabytes and a verdict icon a few kilobytes, so a
count of entries says nothing about memory. Each cache keeps its most recently used
pictures up to a byte budget (cachetools' LRU cache, sized by each surface's pixels);
the app's whole art stays within the sum of the budgets whatever the window sizes,
themes and text sizes a trainee goes through.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import ClassVar

import pygame
from cachetools import LRUCache

MB = 1024 * 1024


def surface_bytes(surface: pygame.Surface) -> int:
    """The pixel memory of ``surface`` (rows times pitch)."""
    return surface.get_pitch() * surface.get_height()


class SurfaceCache:
    """Pictures by key, least recently used dropped first once ``max_bytes`` is passed."""

    _all: ClassVar[list[SurfaceCache]] = []

    def __init__(self, name: str, max_bytes: int) -> None:
        self.name = name
        self.max_bytes = max_bytes
        self._cache: LRUCache[Hashable, pygame.Surface] = LRUCache(
            maxsize=max_bytes, getsizeof=surface_bytes
        )
        SurfaceCache._all.append(self)

    def get(self, key: Hashable, make: Callable[[], pygame.Surface]) -> pygame.Surface:
        """The cached picture for ``key``, made by ``make()`` the first time; a picture
        larger than the whole budget is returned without being kept."""
        surf = self._cache.get(key)
        if surf is None:
            surf = make()
            if surface_bytes(surf) <= self.max_bytes:
                self._cache[key] = surf
        return surf

    @property
    def nbytes(self) -> int:
        return int(self._cache.currsize)

    def __len__(self) -> int:
        return len(self._cache)

    def clear(self) -> None:
        self._cache.clear()


def cache_stats() -> dict[str, int]:
    """Bytes held by each picture cache (benchmarks and tests read this)."""
    return {c.name: c.nbytes for c in SurfaceCache._all}
