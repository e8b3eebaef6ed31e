"""A real window under Xvfb: every screen, at 100 % and 200 % text and in high contrast,
saved as a screenshot for people to look at (in ``screenshots/`` or
``$PAROLESIM_SCREENSHOT_DIR``; never committed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
VARIANTS = [("100", "normal"), ("200", "normal"), ("100", "high_contrast")]

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed"),
]


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as fd:
        number = fd.readline().strip()
    assert number, "Xvfb did not report its display number"
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def shots_dir() -> Path:
    return Path(os.environ.get("PAROLESIM_SCREENSHOT_DIR") or ROOT / "screenshots")


def captured(display: str, tour: str, args: list[str], size: tuple[int, int]) -> list[Path]:
    """Run ``python -m tests.app.TOUR OUT ARGS`` in a real X window; its screenshots, each
    checked to be the window's size and not blank."""
    env = {k: v for k, v in os.environ.items() if k != "SDL_VIDEODRIVER"}
    env.update(DISPLAY=display, PYTHONPATH=str(ROOT), SDL_AUDIODRIVER="dummy")
    out = shots_dir() / ("xvfb" if tour == "tour" else f"xvfb-{tour}")
    proc = subprocess.run(
        [sys.executable, "-m", f"tests.app.{tour}", str(out), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "driver: x11" in proc.stdout
    paths = [Path(line) for line in proc.stdout.splitlines() if line.endswith(".png")]
    w, h = size
    for path in paths:
        picture = pygame.image.load(str(path))
        assert picture.get_size() == size
        colours = {tuple(picture.get_at((x, y))) for x in range(0, w, 40) for y in range(0, h, 40)}
        assert len(colours) > 3, f"{path.name} looks blank"
    return paths


@pytest.mark.parametrize(("scale", "theme"), VARIANTS)
def test_every_screen_is_captured_in_a_real_window(display: str, scale: str, theme: str) -> None:
    paths = captured(display, "tour", ["--scale", scale, "--theme", theme], (1280, 720))
    assert len(paths) >= 15


@pytest.mark.parametrize(
    ("part", "size", "theme"),
    [
        ("projector", "1920x1080", "normal"),
        ("projector", "1920x1080", "high_contrast"),
        ("workstation", "1280x720", "normal"),
    ],
)
def test_class_session_screens_are_captured_in_a_real_window(
    display: str, part: str, size: str, theme: str
) -> None:
    w, h = (int(v) for v in size.split("x"))
    args = ["--part", part, "--size", size, "--theme", theme]
    assert len(captured(display, "class_tour", args, (w, h))) >= 4
