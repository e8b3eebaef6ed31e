"""Every screen, at every text size and window size we support, keeps its widgets apart
and on screen, so nothing a trainee needs is hidden or drawn over."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pygame
import pytest
from pygame_gui.core import UIElement

from simulator.app.main import App
from simulator.app.records import open_records
from simulator.app.settings import Settings
from tests.app.driver import Driver
from tests.app.tour import tour, tour_catalog


def widgets(app: App) -> list[UIElement]:
    return [
        s
        for s in app.ui.get_sprite_group().sprites()
        if isinstance(s, UIElement)
        and s.visible
        and type(s).__name__ in ("UIButton", "UITextEntryLine", "UILabel")
    ]


def problems_on_screen(app: App, name: str) -> list[str]:
    w, h = app.size
    found = []
    elements = widgets(app)
    for e in elements:
        r = pygame.Rect(e.rect)
        if r.left < 0 or r.top < 0 or r.right > w or r.bottom > h:
            found.append(
                f"{name}: {type(e).__name__} {getattr(e, 'text', '')!r} at {r} is off screen"
            )
    for a, b in combinations(elements, 2):
        if pygame.Rect(a.rect).colliderect(b.rect):
            ta, tb = getattr(a, "text", ""), getattr(b, "text", "")
            found.append(f"{name}: {ta!r} {a.rect} overlaps {tb!r} {b.rect}")
    for stop in app.top.focus.items:
        r = stop.rect()
        clip = stop.clip()
        if clip is None and not pygame.Rect(0, 0, w, h).contains(r):
            found.append(f"{name}: focus stop {stop.name!r} at {r} is not fully on screen")
    return found


@pytest.mark.parametrize(
    ("scale", "size"),
    [
        (100, (1280, 720)),
        (150, (1280, 720)),
        (200, (1280, 720)),
        (200, (800, 560)),
        (100, (1920, 1080)),
    ],
)
def test_no_screen_has_overlapping_or_off_screen_widgets(
    scale: int, size: tuple[int, int], tmp_path: Path
) -> None:
    records = open_records(str(tmp_path / "records.sqlite3"))
    app = App(
        records,
        tour_catalog(),
        settings=Settings(text_scale=scale),
        size=size,
        config_dir=tmp_path / "config",
    )
    try:
        app.start()
        app.run_frames(2)
        found: list[str] = []
        for name in tour(Driver(app)):
            app.run_frames(1)
            found += problems_on_screen(app, name)
        assert found == []
    finally:
        pygame.quit()
        records.store.close()
