"""Running a keyboard tour of the app on a fresh store: as a program that saves a
screenshot at each step, or as a test that collects overlapping and off-screen widgets."""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pygame

from simulator.app.main import App
from simulator.app.records import StoreRecords, open_records
from simulator.app.settings import Settings
from tests.app.driver import Driver
from tests.app.test_layout import problems_on_screen
from tests.app.tour import tour_catalog

T = TypeVar("T")


def _app(base: Path, records: StoreRecords, scale: int, theme: str, size: tuple[int, int]) -> App:
    app = App(
        records,
        tour_catalog(),
        settings=Settings(text_scale=scale, theme=theme),
        size=size,
        config_dir=base / "config",
    )
    app.start()
    app.run_frames(2)
    return app


def screenshots(
    prog: str,
    argv: list[str] | None,
    seed: Callable[[StoreRecords], T],
    tour: Callable[[Driver, T], Iterator[str]],
) -> int:
    """``prog OUT_DIR [--scale N] [--theme T] [--size WxH]``: seed a store, walk the tour and
    save a screenshot at each step (printing each file's path)."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--theme", default="normal")
    parser.add_argument("--size", default="1280x720")
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="parolesim-tour-"))
    os.environ.setdefault("PAROLESIM_REPORTS_DIR", str(base / "reports"))
    w, h = (int(v) for v in args.size.split("x"))
    records = open_records(str(base / "records.sqlite3"))
    seeded = seed(records)
    app = _app(base, records, args.scale, args.theme, (w, h))
    tag = f"{args.scale}-{args.theme}"
    print(f"driver: {pygame.display.get_driver()}", flush=True)
    for i, name in enumerate(tour(Driver(app), seeded), 1):
        app.run_frames(2)
        print(app.screenshot(f"{i:02d}-{name}-{tag}", args.out), flush=True)
    records.store.close()
    return 0


def layout_problems(
    base: Path,
    seed: Callable[[StoreRecords], T],
    tour: Callable[[Driver, T], Iterator[str]],
    *,
    scale: int,
    size: tuple[int, int],
    theme: str = "normal",
) -> list[str]:
    """Every overlapping or off-screen widget at each step of the tour."""
    records = open_records(str(base / "records.sqlite3"))
    seeded = seed(records)
    app = _app(base, records, scale, theme, size)
    try:
        found: list[str] = []
        for name in tour(Driver(app), seeded):
            app.run_frames(1)
            found += problems_on_screen(app, name)
        return found
    finally:
        pygame.quit()
        records.store.close()
