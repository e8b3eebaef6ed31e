"""``python -m simulator.art.gallery OUTDIR``: render every picture to PNG files for review.

Writes each scene at 1280x720 and 640x360 in both themes, a labelled contact sheet per person
showing every mood in both themes, an overview of the whole cast by mood, and the verdict icons
with the emblem. Works headless (it sets ``SDL_VIDEODRIVER=dummy`` when no driver is chosen).
Labels use Noto Sans as shipped by pygame_gui.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import resources
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame

from simulator.art.icons import VERDICT_COLORS, render_logo, render_verdict_icon
from simulator.art.mood import Mood
from simulator.art.palette import INK
from simulator.art.people import PORTRAITS
from simulator.art.portraits import render_portrait
from simulator.art.scenes import SCENES, render_scene

SCENE_SIZES = ((1280, 720), (640, 360))
PORTRAIT_SIZE = (300, 360)
BACKGROUND = (221, 224, 219)


def _font(px: int) -> pygame.font.Font:
    pygame.font.init()
    path = resources.files("pygame_gui.data").joinpath("NotoSans-Regular.ttf")
    with resources.as_file(path) as real:
        return pygame.font.Font(str(real), px)


def _label(sheet: pygame.Surface, font: pygame.font.Font, text: str, pos: tuple[int, int]) -> None:
    sheet.blit(font.render(text, True, INK), pos)


def _suffix(hc: bool) -> str:
    return "_hc" if hc else ""


def write_scenes(out: Path) -> list[Path]:
    written = []
    (out / "scenes").mkdir(parents=True, exist_ok=True)
    font = _font(16)
    thumbs = pygame.Surface((3 * 330 + 10, 4 * 215 + 10))
    thumbs.fill(BACKGROUND)
    for n, key in enumerate(SCENES):
        for hc in (False, True):
            for w, h in SCENE_SIZES:
                path = out / "scenes" / f"{key}_{w}x{h}{_suffix(hc)}.png"
                pygame.image.save(render_scene(key, (w, h), high_contrast=hc), path)
                written.append(path)
        x, y = 10 + (n % 3) * 330, 10 + (n // 3) * 215
        thumbs.blit(render_scene(key, (320, 180)), (x, y))
        _label(thumbs, font, key, (x, y + 182))
    path = out / "scenes_overview.png"
    pygame.image.save(thumbs, path)
    return [*written, path]


def write_portraits(out: Path) -> list[Path]:
    written = []
    (out / "portraits").mkdir(parents=True, exist_ok=True)
    font = _font(18)
    pw, ph = PORTRAIT_SIZE
    moods = list(Mood)
    for key, info in PORTRAITS.items():
        for hc in (False, True):
            sheet = pygame.Surface((4 * pw, 2 * (ph + 30) + 30))
            sheet.fill(BACKGROUND)
            _label(sheet, font, f"{key}: {info.description}", (10, 4))
            for i, mood in enumerate(moods):
                x, y = (i % 4) * pw, 30 + (i // 4) * (ph + 30)
                sheet.blit(render_portrait(key, mood, PORTRAIT_SIZE, high_contrast=hc), (x, y))
                _label(sheet, font, mood.value, (x + 10, y + ph + 2))
            path = out / "portraits" / f"{key}{_suffix(hc)}.png"
            pygame.image.save(sheet, path)
            written.append(path)
    tw, th = 120, 144
    grid = pygame.Surface((90 + len(moods) * tw, 24 + len(PORTRAITS) * th))
    grid.fill(BACKGROUND)
    small = _font(14)
    for i, mood in enumerate(moods):
        _label(grid, small, mood.value, (90 + i * tw + 8, 4))
    for r, key in enumerate(PORTRAITS):
        _label(grid, small, key, (6, 24 + r * th + th // 2))
        for i, mood in enumerate(moods):
            grid.blit(render_portrait(key, mood, (tw, th)), (90 + i * tw, 24 + r * th))
    path = out / "portraits_overview.png"
    pygame.image.save(grid, path)
    return [*written, path]


def write_icons(out: Path) -> list[Path]:
    font = _font(14)
    sheet = pygame.Surface((5 * 150 + 300, 2 * 190 + 20))
    sheet.fill(BACKGROUND)
    for row, hc in enumerate((False, True)):
        for i, verdict in enumerate(VERDICT_COLORS):
            x, y = 10 + i * 150, 10 + row * 190
            sheet.blit(render_verdict_icon(verdict, 96, high_contrast=hc), (x + 20, y))
            sheet.blit(render_verdict_icon(verdict, 32, high_contrast=hc), (x + 20, y + 104))
            sheet.blit(render_verdict_icon(verdict, 20, high_contrast=hc), (x + 60, y + 110))
            _label(sheet, font, verdict, (x + 20, y + 145))
    sheet.blit(render_logo(256), (5 * 150 + 30, 20))
    sheet.blit(render_logo(64, high_contrast=True), (5 * 150 + 30, 300))
    sheet.blit(render_logo(32), (5 * 150 + 110, 316))
    path = out / "icons.png"
    pygame.image.save(sheet, path)
    return [path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m simulator.art.gallery", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "outdir", type=Path, help="folder to write the PNG files to (created if missing)"
    )
    parser.add_argument(
        "--only",
        choices=("scenes", "portraits", "icons"),
        action="append",
        help="render only these groups (repeatable)",
    )
    args = parser.parse_args(argv)
    groups = args.only or ["scenes", "portraits", "icons"]
    writers = {"scenes": write_scenes, "portraits": write_portraits, "icons": write_icons}
    args.outdir.mkdir(parents=True, exist_ok=True)
    total = 0
    for group in groups:
        files = writers[group](args.outdir)
        total += len(files)
        print(f"{group}: {len(files)} files", file=sys.stderr)
    print(f"wrote {total} PNG files to {args.outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
