"""Memory the app keeps is bounded in bytes (picture caches, documents, fonts, widgets),
and a cold start loads only what the sign-in screen needs.

Each test drives the real code at sizes where an entry count says nothing about memory
(1920x1080 windows, 200% text) and checks what is still held afterwards, never a time.
"""

from __future__ import annotations

import gc
import io
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pygame
import pytest

from simulator.app.main import App
from simulator.app.screens.library import LibraryScreen
from simulator.app.text import Rendered, TextCache
from simulator.app.theme import Theme
from simulator.app.widgets import DocBuilder, DocView
from simulator.art import render_portrait, render_scene, render_verdict_icon
from simulator.art.cache import MB, SurfaceCache, surface_bytes
from tests.app.driver import Driver

REPO = Path(__file__).resolve().parents[2]
LARGE_SIZES = [(1920 - 41 * i, 1080 - 23 * i) for i in range(8)]


def held_surfaces(root: object, depth: int = 4) -> Iterator[pygame.Surface]:
    """Every pygame Surface reachable from ``root`` within ``depth`` references, not
    counting what is reached through a function (its module's globals)."""
    seen: set[int] = set()
    layer: list[Any] = [root]
    for _ in range(depth):
        nxt = []
        for obj in layer:
            for ref in gc.get_referents(obj):
                skip = (type, str, bytes, int, float, types.FunctionType, types.ModuleType)
                if id(ref) in seen or isinstance(ref, skip):
                    continue
                seen.add(id(ref))
                if isinstance(ref, pygame.Surface):
                    yield ref
                else:
                    nxt.append(ref)
        layer = nxt


def test_every_picture_cache_stays_within_its_byte_budget() -> None:
    """Scenes at eight large window sizes, portraits and icons at many sizes, in both
    themes: each cache (the supersampling scratch included) ends within its budget, and
    no entry-bounded memo (``functools.lru_cache``) in the art or app code holds pictures."""
    for hc in (False, True):
        for size in LARGE_SIZES:
            render_scene("living_room", size, high_contrast=hc)
        for h in range(300, 1100, 100):
            render_portrait("p01", "calm", (h * 5 // 6, h), high_contrast=hc)
        for side in range(16, 400, 12):
            render_verdict_icon("violation", side, high_contrast=hc)
    caches = {c.name: c for c in SurfaceCache._all}
    assert {"scenes", "portraits", "icons", "scratch"} <= set(caches)
    for cache in caches.values():
        assert cache.nbytes <= cache.max_bytes, cache.name
    assert caches["scenes"].nbytes > 0 and caches["portraits"].nbytes > 0
    memos = [
        value
        for name, module in sorted(sys.modules.items())
        if name.startswith(("simulator.art", "simulator.app"))
        for value in vars(module).values()
        if callable(getattr(value, "cache_info", None))
    ]
    assert memos  # the scan found the art code's memos (of shapes and numbers)
    held = {m.__name__: sum(surface_bytes(s) for s in held_surfaces(m)) for m in memos}
    assert sum(held.values()) <= 1 * MB, held


def test_a_long_document_keeps_its_pixels_only_in_the_text_cache() -> None:
    """A debrief-length document at 200% text, 1,800 pixels wide, laid out against a 2 MB
    text cache: the blocks hold references, the cache stays within 2 MB, and a part scrolled
    away and back is drawn again pixel for pixel as it was."""
    pygame.font.init()
    theme = Theme("normal", 2.0)
    cache = TextCache(max_bytes=2 * MB)
    b = DocBuilder(theme, cache, 1800)
    for i in range(120):
        b.heading(f"Decision {i + 1}")
        b.labelled("You chose:", f"Option {i} " * 30, label_style="bold")
        b.text(f"Feedback for decision {i}: " + "the policy says so, and here is why. " * 8)
        b.button(f"Try again from decision {i + 1}", lambda: None)
    held = [blk.surface for blk in b.blocks]
    assert all(isinstance(s, Rendered) for s in held)
    total = sum(s.get_width() * s.get_height() * 4 for s in held)
    assert total > 20 * MB  # the document's pictures would not fit the cache
    assert cache.nbytes <= 2 * MB
    view = DocView(theme, pygame.Rect(0, 0, 1800, 1000))
    view.set_blocks(b.blocks)
    first = pygame.Surface((1800, 1000))
    view.draw(first)
    view.scroll_to_end()
    view.draw(pygame.Surface((1800, 1000)))
    view.scroll(-view.offset)
    again = pygame.Surface((1800, 1000))
    view.draw(again)
    assert cache.nbytes <= 2 * MB
    assert pygame.image.tobytes(first, "RGB") == pygame.image.tobytes(again, "RGB")


@pytest.mark.parametrize("window", [(1920, 1080)])
def test_text_size_changes_keep_only_the_fonts_in_use(app: App, window: tuple[int, int]) -> None:
    """pygame_gui loads a font per size; after trying five text sizes in both themes only
    the current theme's sizes (and pygame_gui's two defaults) stay loaded."""
    app.resize(window)
    for i, scale in enumerate((100, 125, 150, 175, 200)):
        app.settings.theme = "high_contrast" if i % 2 else "normal"
        app.settings.text_scale = scale
        app.apply_settings()
        app.run_frames(2)
    theme: Any = app.ui.get_theme()  # pygame_gui's concrete theme, with its font tables
    in_use = {res.font_id for per in theme.ele_font_res.values() for res in per.values()}
    loaded = set(theme.get_font_dictionary().loaded_fonts)
    assert loaded - in_use <= {"noto_sans_regular_aa_14", "fira_code_symbols_regular_aa_14"}
    assert any(f.endswith(f"_{round(20 * app.type_scale())}") for f in loaded)


def test_theme_fonts_are_read_from_the_font_file_not_copied_per_size(app: App) -> None:
    """Every text size pygame_gui loads for the theme reads Noto Sans from its file: after
    five text sizes in both themes there are no more in-memory copies of a font file than
    before (pygame_gui's default fonts); each copy is about 0.6 MB, one was kept per size."""

    def copies() -> list[io.BytesIO]:
        gc.collect()
        return [o for o in gc.get_objects() if isinstance(o, io.BytesIO)]

    before = len(copies())
    for i, scale in enumerate((100, 125, 150, 175, 200)):
        app.settings.theme = "high_contrast" if i % 2 else "normal"
        app.settings.text_scale = scale
        app.apply_settings()
        app.run_frames(2)
    after = copies()
    assert len(after) <= before, [c.getbuffer().nbytes for c in after]
    theme: Any = app.ui.get_theme()
    assert len(theme.get_font_dictionary().loaded_fonts) > 2  # the theme's sizes are loaded


def test_a_screen_built_at_large_text_keeps_no_scratch_shapes(app: App) -> None:
    """pygame_gui smooths a rounded widget by drawing it 4x larger each way; built at 200%
    in a 1920x1080 window, no widget of the screen still holds those scratch pictures, and
    every state of every widget is already drawn."""
    app.resize((1920, 1080))
    app.settings.text_scale = 200
    app.apply_settings()
    screen = app.top
    shapes: list[Any] = [getattr(e, "drawable_shape", None) for e in screen.elements]
    shapes = [shape for shape in shapes if shape is not None]
    assert len(shapes) >= 3
    for shape in shapes:
        assert not shape.states_to_redraw_queue
        assert getattr(shape, "temp_additive_shape", None) is None
        assert getattr(shape, "temp_subtractive_shape", None) is None


def test_opening_the_store_waits_for_no_scenario_engine_or_scorer(tmp_path: Path) -> None:
    """The sign-in screen needs the records store, not the scenario engine, the scorer or
    numpy: opening an existing store loads none of them (they load behind the first frame,
    or when a report is first derived), so a cold start does not pay for them."""
    from simulator.app.records import open_records

    open_records(str(tmp_path / "records.sqlite3")).store.close()  # created: now it exists
    code = (
        "import sys\n"
        "from simulator.app.records import open_records\n"
        f"open_records({str(tmp_path / 'records.sqlite3')!r}).store.close()\n"
        "heavy = ('scoring.scorer', 'scoring.pack', 'engine.loader', 'engine.lint',"
        " 'engine.session', 'numpy', 'pydantic', 'alembic')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def _peak_rise_kb(action: Callable[[], None]) -> int:
    """How far the process's peak resident memory rises above what it holds now while
    ``action`` runs (Linux: the peak is reset through /proc first)."""

    def status(field: str) -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise AssertionError(f"no {field} in /proc/self/status")

    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    before = status("VmRSS")
    action()
    return status("VmHWM") - before


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
def test_building_a_screen_at_200_percent_in_a_large_window_allocates_little(
    app: App, drive: Driver
) -> None:
    """Every widget of the library built at 200% text in a 1920x1080 window is drawn at
    its own size: the peak rises by less than 24 MB while the theme and the screen are
    rebuilt (17 MB measured; with pygame_gui's 4x-each-way smoothing of rounded widgets
    it rose by 55 MB)."""
    drive.create_profile("Memory Trainee")
    assert isinstance(drive.top, LibraryScreen)
    app.resize((1920, 1080))
    app.run_frames(2)

    def rebuild() -> None:
        app.settings.text_scale = 200
        app.apply_settings()
        app.run_frames(2)

    rise = _peak_rise_kb(rebuild)
    assert rise < 24 * 1024, f"peak rose {rise // 1024} MB"
    assert app.top.elements  # a real screen with widgets was built


def test_a_dialog_lies_on_the_dimmed_screen_without_a_copy_of_the_window(app: App) -> None:
    """A dialog over a 1920x1080 screen: outside its box the window shows the screen
    below dimmed by the theme's scrim (as a translucent layer would), the app holds no
    copy of the window (as it kept before), and closing the dialog shows the
    screen below as it was."""
    from simulator.app.main import dim
    from simulator.app.screens.message import MessageScreen

    app.resize((1920, 1080))
    app.run_frames(3)
    window = app.window
    before = window.copy()
    below = pygame.Surface(window.get_size())  # the screen and its widgets, no focus ring
    app.top.draw(below)
    app.ui.draw_ui(below)
    app.push(MessageScreen(app, "Notice", "The dialog sits on the screen below."))
    app.run_frames(3)
    box = app.top.overlay_area(window.get_rect())
    assert 0 < box.width * box.height < window.get_width() * window.get_height() // 2
    expected = below.copy()
    dim(expected, app.theme.colour("scrim"))
    shown = pygame.surfarray.array3d(window)
    want = pygame.surfarray.array3d(expected)
    outside = np.ones(shown.shape[:2], dtype=bool)
    outside[box.left : box.right, box.top : box.bottom] = False
    assert (shown[outside] == want[outside]).all()
    assert (shown[~outside] != want[~outside]).any()  # the dialog is drawn in its box
    large = [
        s
        for s in held_surfaces(app, depth=6)
        if s is not window and s.get_size() == window.get_size()
    ]
    assert large == []
    app.pop()
    app.run_frames(3)
    assert pygame.image.tobytes(window, "RGB") == pygame.image.tobytes(before, "RGB")


def test_dimming_matches_a_translucent_scrim_layer() -> None:
    """``dim`` darkens in place the way blitting a full-window layer of the scrim colour
    would (to within rounding), in both themes."""
    from simulator.app.main import dim

    pygame.font.init()
    for name in ("normal", "high_contrast"):
        scrim = Theme(name, 1.0).colour("scrim")
        base = pygame.Surface((64, 64))
        for x in range(64):
            for y in range(64):
                base.set_at((x, y), (x * 4, y * 4, (x * y) % 256))
        layer = pygame.Surface((64, 64), pygame.SRCALPHA)
        layer.fill(scrim)
        blended = base.copy()
        blended.blit(layer, (0, 0))
        dimmed = base.copy()
        dim(dimmed, scrim)
        a = pygame.surfarray.array3d(blended).astype(int)
        b = pygame.surfarray.array3d(dimmed).astype(int)
        assert np.abs(a - b).max() <= 2, name


def test_a_theme_or_text_size_change_lets_go_of_the_old_layouts_pictures(app: App) -> None:
    """Pictures drawn for one theme and layout are not kept after the trainee changes the
    theme or the text size (the new screens ask for other sizes); the new screen's own
    pictures are drawn again as needed."""
    from simulator import art as art_pkg

    for size in LARGE_SIZES[:4]:
        render_scene("living_room", size)
        render_portrait("p01", "calm", (size[1] * 5 // 12, size[1] // 2))
    stats = art_pkg.cache_stats()
    assert stats["scenes"] > 0 and stats["portraits"] > 0
    app.settings.theme = "high_contrast"
    app.settings.text_scale = 150
    assert app.apply_settings()
    stats = art_pkg.cache_stats()
    assert stats["scenes"] == 0 and stats["portraits"] == 0
    again = render_scene("living_room", LARGE_SIZES[0])
    assert again.get_size() == LARGE_SIZES[0]
    assert art_pkg.cache_stats()["scenes"] == surface_bytes(again)
