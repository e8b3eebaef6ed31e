"""The trainee app: one window, a stack of screens and a frame loop a test can drive.

``App.step(events, dt)`` runs exactly one frame (events in, one redraw out) and
``App.run_frames(n)`` runs several without sleeping, so tests post key events and step
the real app headless. ``run_app`` is what ``parolesim`` with no command opens.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, Literal, TypeVar

import pygame
import pygame_gui
from pygame_gui.core.surface_cache import SurfaceCache

from simulator.app import settings as settings_mod
from simulator.app.screens.base import Screen
from simulator.app.services import Catalog, Profile, Records, Run
from simulator.app.settings import Settings
from simulator.app.speech import Speech
from simulator.app.text import TextCache
from simulator.app.theme import Theme
from simulator.errors import CommandError

T = TypeVar("T")
S = TypeVar("S", bound=Screen)
DEFAULT_SIZE = (1280, 720)
MIN_SIZE = (800, 560)
IDLE_REDRAW_SECONDS = 0.5
# Rendered text kept for reuse: more than the text a full 1920x1080 screen can show (a
# document is drawn from here, so what is in view must fit; the rest is drawn again).
TEXT_CACHE_BYTES = 10 * 1024 * 1024
SCREENSHOT_ENV = "PAROLESIM_SCREENSHOT_DIR"
TYPING_KEYS_KEPT = (
    pygame.K_TAB,
    pygame.K_RETURN,
    pygame.K_KP_ENTER,
    pygame.K_ESCAPE,
    pygame.K_UP,
    pygame.K_DOWN,
)
# A held key repeats; only these may act on a repeat (moving and scrolling, editing in a
# text field). Enter, Space, digits and Esc act once per press, so a held key never
# chooses, confirms or leaves anything.
REPEATING_KEYS = frozenset(
    (
        pygame.K_UP,
        pygame.K_DOWN,
        pygame.K_LEFT,
        pygame.K_RIGHT,
        pygame.K_PAGEUP,
        pygame.K_PAGEDOWN,
        pygame.K_BACKSPACE,
        pygame.K_DELETE,
    )
)
INPUT_EVENTS = (
    pygame.KEYDOWN,
    pygame.TEXTINPUT,
    pygame.MOUSEBUTTONDOWN,
    pygame.MOUSEBUTTONUP,
    pygame.MOUSEWHEEL,
)


class App:
    """The window, the theme, the screen stack and the frame loop."""

    def __init__(
        self,
        records: Records,
        catalog: Catalog,
        *,
        settings: Settings | None = None,
        size: tuple[int, int] = DEFAULT_SIZE,
        config_dir: Path | None = None,
    ) -> None:
        software_window()
        pygame.display.init()
        pygame.font.init()
        self.records = records
        self.catalog = catalog
        self.config_dir = config_dir
        self.settings = settings if settings is not None else settings_mod.load(config_dir)
        self.windowed_size = (max(size[0], MIN_SIZE[0]), max(size[1], MIN_SIZE[1]))
        self.window = self._open_window(self.settings.fullscreen)
        pygame.display.set_caption("parolesim — Model State Division of Parole")
        self.theme = Theme(self.settings.theme, self.type_scale())
        self.ui = self._new_manager()
        self.text = TextCache(TEXT_CACHE_BYTES)
        self.speech = Speech(self.settings.read_aloud)
        self.stack: list[Screen] = []
        # the window's pixels under the top overlay's box, as laid (screens below, dimmed)
        self.under: tuple[pygame.Rect, pygame.Surface] | None = None
        self.profile: Profile | None = None
        self.run: Run | None = None
        self.running = True
        self.frames = 0
        self.frame_times: list[float] = []
        self._deferred: list[Callable[[], None]] = []
        self._last_draw = -1e9
        self._clock_last = time.perf_counter()
        self._redraw = True
        self._held: set[int] = set()  # keys down now (a KEYDOWN without its KEYUP yet)
        self._stale: set[int] = set()  # keys already down when the top screen was shown
        self._shown_mid_batch = False  # the top screen changed while handling this batch
        self._drop_text = False  # the TEXTINPUT of a dropped KEYDOWN is dropped too
        self._swallow_text = ""  # the text of a key a screen used as a command
        self._collect = False  # a screen or theme was dropped: collect its cycles
        self.notice = ""  # one-line message shown by the next screen that has room for it

    # ------------------------------------------------------------ window and theme
    @property
    def size(self) -> tuple[int, int]:
        return self.window.get_size()

    def _open_window(self, fullscreen: bool) -> pygame.Surface:
        if fullscreen:
            return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        return pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)

    def _new_manager(self) -> pygame_gui.UIManager:
        ui = pygame_gui.UIManager(
            self.size, theme_path=self.theme.data, enable_live_theme_updates=False
        )
        ui.get_theme().shape_cache = OneSheetShapeCache()  # type: ignore[no-untyped-call]
        return ui

    def toggle_fullscreen(self) -> None:
        self.settings.fullscreen = not self.settings.fullscreen
        self.window = self._open_window(self.settings.fullscreen)
        self._save_settings()
        self.relayout()

    def resize(self, size: tuple[int, int]) -> None:
        if self.settings.fullscreen:
            return
        self.windowed_size = (max(size[0], MIN_SIZE[0]), max(size[1], MIN_SIZE[1]))
        current = pygame.display.get_surface()
        if current is None or current.get_size() != self.windowed_size:
            # below the smallest layout, or a size SDL has not applied: set it ourselves
            current = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)
        self.window = current
        self.relayout()

    def type_scale(self) -> float:
        """Type size: the trainee's text size times a factor for large windows, so a
        1920x1080 window shows larger type instead of the 1280x720 layout with wide
        margins (1.0 up to 1280x720, 1.5 from 1920x1080; in steps of a tenth)."""
        w, h = self.size if hasattr(self, "window") else self.windowed_size
        factor = min(w / DEFAULT_SIZE[0], h / DEFAULT_SIZE[1])
        factor = max(1.0, min(1.5, int(factor * 10) / 10))
        return round(self.settings.scale * factor, 2)

    def relayout(self) -> None:
        """Rebuild the screens on the stack for the current size and theme."""
        if self.theme.scale != self.type_scale():
            self._new_theme()
            return
        self.ui.set_window_resolution(self.size)
        self._rebuild_stack()

    def _new_theme(self) -> None:
        """Load the theme at the current type size into the one UI manager (a new manager
        per change would cost about 11 MB each, most of which is never given back)."""
        self.release()
        for screen in self.stack:
            screen.clear()
        self.theme = Theme(self.settings.theme, self.type_scale())
        self.ui.get_theme().load_theme(self.theme.data)
        drop_unused_fonts(self.ui)
        self.ui.rebuild_all_from_changed_theme_data()
        self.ui.set_window_resolution(self.size)
        self.text.clear()
        forget_pictures()
        self._rebuild_stack()

    def apply_settings(self) -> bool:
        """Take a changed theme or text size into effect at once, and keep it; True when
        the screens were rebuilt for a new theme or text size."""
        self.speech.enabled = self.settings.read_aloud
        rebuilt = False
        if (self.theme.name, self.theme.scale) != (self.settings.theme, self.type_scale()):
            rebuilt = True
            self._new_theme()
        self._save_settings()
        return rebuilt

    def _rebuild_stack(self) -> None:
        # Screens below an overlay are seen only dimmed under it; lay them again at the new
        # size so the overlay sits on the right layout.
        current = self.stack[-1].focus.current if self.stack else None
        keep = current.name if current is not None else None
        for screen in self.stack:
            screen.clear()
        if self.stack:
            self._show_top()
            if keep is not None:
                self.top.focus.focus_name(keep)
        self._redraw = True

    def _show_top(self) -> None:
        """Build the top screen; under an overlay, first lay the screens below it."""
        top = self.top
        self.under = None
        if top.overlay:
            self._lay_backdrop(len(self.stack) - 1)
        self._build(top)
        if top.overlay:
            area = top.overlay_area(self.window.get_rect())
            self.under = (area, self.window.subsurface(area).copy())

    def _lay_backdrop(self, upto: int) -> None:
        """Draw into the window, dimmed, what an overlay at ``stack[upto]`` sits on: the
        screens from the last full screen up to it, each with its widgets, then dimmed.

        The window keeps that picture between frames; only the pixels under the overlay's
        box are copied (``under``) to restore them before the overlay draws again. A copy
        of the whole window per overlay was 8 MB at 1920x1080, at the moments (signing
        in, scoring) when the most is allocated anyway.
        """
        if upto == 0:  # a box with nothing under it yet (connecting at start)
            self.window.fill(self.theme.colour("background"))
            return
        start = upto - 1
        while start > 0 and self.stack[start].overlay:
            start -= 1
        for screen in self.stack[max(start, 0) : upto]:
            if not screen.built:
                self._build(screen)
            screen.draw(self.window)
            self.ui.update(0.0)  # pygame_gui refreshes what it draws in update
            self.ui.draw_ui(self.window)
            dim(self.window, self.theme.colour("scrim"))
            screen.clear()

    def _save_settings(self) -> None:
        try:
            settings_mod.save(self.settings, self.config_dir)
        except OSError as exc:
            self.notice = (
                f"Settings could not be saved ({exc.strerror}); they last until you close."
            )

    # ------------------------------------------------------------ screen stack
    @property
    def top(self) -> Screen:
        return self.stack[-1]

    def push(self, screen: Screen) -> None:
        if self.stack:
            below = self.top
            current = below.focus.current
            below.kept_focus = current.name if current is not None else None
            if not screen.overlay:
                below.clear()  # (under an overlay it is drawn once more, then cleared)
        self.stack.append(screen)
        self._show_top()
        self._shown()
        screen.enter()
        self._redraw = True

    def pop(self) -> None:
        if len(self.stack) <= 1:
            return
        old = self.stack.pop()
        old.clear()
        old.leave()
        self.release()
        self._show_top()
        top = self.top
        # back where it was: the control that opened a dialog or a busy box has the focus
        top.focus.set(top.focus.items, keep=top.kept_focus)
        self._shown()
        top.enter()
        self._redraw = True

    def replace(self, screen: Screen) -> None:
        """Swap the top screen for ``screen``."""
        if self.stack:
            old = self.stack.pop()
            old.clear()
            old.leave()
            self.release()
        self.push(screen)

    def reset(self, screen: Screen) -> None:
        """Make ``screen`` the only screen (e.g. back to the library after a run)."""
        while self.stack:
            old = self.stack.pop()
            old.clear()
            old.leave()
            self.release()
        self.push(screen)

    def release(self) -> None:
        """Let go of what a dropped screen (or an old theme) holds. A screen sits in reference
        cycles (its focus stops call back into it) that only the cyclic collector frees, and
        that runs by object count, not by the pictures and widgets the cycles keep alive: so
        the heap is collected at the end of the frame. Signing in freezes the library and
        modules out of every collection (``gc.freeze``), so such a collection takes
        milliseconds."""
        self._collect = True

    def _shown(self) -> None:
        """A screen has just come to the top: nothing typed, clicked or held before this
        moment may act on it. Queued input is dropped, and a key still held down acts
        again only after it is released and pressed anew."""
        self._stale = set(self._held)
        self._shown_mid_batch = True
        pygame.event.clear(INPUT_EVENTS, pump=False)

    def _admit(self, event: pygame.event.Event) -> bool:
        """Whether ``event`` may reach the screen (see ``_shown``); keeps the held keys."""
        if event.type == pygame.KEYUP:
            self._held.discard(event.key)
            self._stale.discard(event.key)
            return True
        if event.type == pygame.KEYDOWN:
            repeat = event.key in self._held
            self._held.add(event.key)
            keep_repeat = event.key in REPEATING_KEYS or (
                bool(self.stack)
                and self.top.focus.typing()
                and event.key not in TYPING_KEYS_KEPT
                and event.key != pygame.K_SPACE
            )
            admitted = not (
                self._shown_mid_batch or event.key in self._stale or (repeat and not keep_repeat)
            )
            self._drop_text = not admitted
            self._swallow_text = ""
            return admitted
        if event.type == pygame.TEXTINPUT:
            drop, self._drop_text = self._drop_text, False
            swallow, self._swallow_text = self._swallow_text, ""
            return not (drop or self._shown_mid_batch or (swallow and event.text == swallow))
        if event.type in INPUT_EVENTS:
            return not self._shown_mid_batch
        return True

    # ------------------------------------------------------------ slow work
    def work(
        self,
        label: str,
        job: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[str], None] | None = None,
    ) -> None:
        """Run ``job`` off the frame loop behind a busy box that swallows input, then
        ``done(result)`` on the frame loop (``failed(message)`` on a ServiceError)."""
        from simulator.app.screens.busy import BusyScreen

        self.push(BusyScreen(self, label, job, done, failed))

    def open(
        self,
        label: str,
        load: Callable[[], T],
        make: Callable[[T], S],
        *,
        place: Literal["push", "replace", "reset"] = "push",
        failed: str | Callable[[str], Screen] = "That could not be opened",
        shown: Callable[[S], None] | None = None,
    ) -> None:
        """Show a screen whose data comes from the records: ``load()`` runs off the frame
        loop behind the busy box (a read through a records server is a network call), then
        the screen ``make(data)`` builds is pushed, put in place of the top screen, or made
        the only screen, and ``shown(screen)`` runs. On a ServiceError, ``failed`` is
        either the title of the error message shown over the current screen, or builds
        the screen that shows the error in its place (as the review queue does)."""

        def show(data: T) -> None:
            screen = make(data)
            self._place(screen, place)
            if shown is not None:
                shown(screen)

        def refused(message: str) -> None:
            if isinstance(failed, str):
                self.show_error(failed, message)
            else:
                self._place(failed(message), place)

        self.work(label, load, show, refused)

    def _place(self, screen: Screen, place: Literal["push", "replace", "reset"]) -> None:
        {"push": self.push, "replace": self.replace, "reset": self.reset}[place](screen)

    @property
    def busy(self) -> bool:
        from simulator.app.screens.busy import BusyScreen

        return any(isinstance(s, BusyScreen) and not s.finished for s in self.stack)

    def settle(self, timeout: float = 30.0) -> None:
        """Step frames until no slow work is running (tests and scripts wait with this)."""
        deadline = time.perf_counter() + timeout
        while self.busy and self.running and time.perf_counter() < deadline:
            time.sleep(0.005)
            self.step(dt=1 / 60)

    def _build(self, screen: Screen) -> None:
        screen.build()
        screen.built = True
        screen.dirty = True

    def defer(self, action: Callable[[], None]) -> None:
        """Run ``action`` after this frame's events (widgets call back through here)."""
        self._deferred.append(action)

    def finish_run(self, run: Run) -> dict[str, object]:
        """Score the ended run and close its attempt (the scorer decides, not the app)."""
        from simulator.app import scorer

        return scorer.finish_run(self.records, run)

    def announce(self, text: str) -> None:
        """Read ``text`` aloud when read-aloud is on."""
        self.speech.say(text)

    def show_keys(self) -> None:
        """F1: the keys of the current screen, in full (the header may only fit "F1: keys")."""
        from simulator.app.screens.message import MessageScreen

        top = self.top
        if isinstance(top, MessageScreen) and top.title_text == "Keys":
            return
        if top.keys:
            hints = list(top.keys)
        else:
            hints = [h.strip() for h in top.hint.split("·") if h.strip()] if top.hint else []
            hints += ["Tab and Shift+Tab: move between controls"]
        hints += ["F1: these keys", "F11: full screen on or off"]
        self.push(MessageScreen(self, "Keys", "\n".join(hints)))

    def confirm(self, title: str, message: str, yes: str, action: Callable[[], None]) -> None:
        """Ask before something that cannot be undone from here (signing out, quitting);
        Esc and the second button keep things as they are."""
        from simulator.app.screens.message import MessageScreen

        self.push(MessageScreen(self, title, message, [(yes, action), ("Stay", lambda: None)]))

    def show_error(self, title: str, message: str) -> None:
        from simulator.app.screens.message import MessageScreen

        self.push(MessageScreen(self, title, message))

    # ------------------------------------------------------------ frames
    def step(
        self, events: Iterable[pygame.event.Event] | None = None, dt: float | None = None
    ) -> bool:
        """Run one frame: handle ``events`` (default: the pygame queue), update, draw.

        ``dt`` is the time to advance timers by (default: real time since the last frame).
        Returns False once the app should close.
        """
        start = time.perf_counter()
        if not self.running:
            return False
        if dt is None:
            dt = min(0.25, start - self._clock_last)
        self._clock_last = start
        evs = list(pygame.event.get() if events is None else events)
        self._shown_mid_batch = False
        for event in evs:
            if not self.running:
                break
            if self._admit(event):
                self._dispatch(event)
                self._run_deferred()
        self._shown_mid_batch = False
        if evs and self.stack:
            self.top.dirty = True  # whatever an event changed is redrawn this frame
        self._run_deferred()
        if not self.running or not self.stack:
            return False
        top = self.top
        top.update(dt)
        self._run_deferred()
        top = self.top
        self.ui.update(dt)
        now = time.perf_counter()
        idle = now - self._last_draw > IDLE_REDRAW_SECONDS
        whole = evs or self._redraw or (top.dirty and not top.overlay) or idle
        if whole:
            self.draw()
            pygame.display.flip()
            self._last_draw = now
            self._redraw = False
        elif top.animating():
            # only what moves by itself (a countdown) is drawn and sent to the screen
            changed = top.draw_changes(self.window)
            if changed is None:
                self.draw()
                pygame.display.flip()
            elif changed:
                pygame.display.update(changed)
        if self._collect:
            self._collect = False
            gc.collect()
            trim_heap()
        self.frames += 1
        self.frame_times.append(time.perf_counter() - start)
        if len(self.frame_times) > 10_000:
            del self.frame_times[:5_000]
        return self.running

    def run_frames(self, n: int, dt: float = 1 / 60) -> None:
        """Step ``n`` frames with the queued events and a fixed ``dt``, without sleeping."""
        for _ in range(n):
            if not self.step(dt=dt):
                break

    def draw(self) -> None:
        surface = self.window
        top = self.top
        if top.overlay and self.under is not None:
            area, pixels = self.under
            surface.blit(pixels, area.topleft)
        top.draw(surface)
        self.ui.draw_ui(surface)
        top.focus.draw(surface, self.theme)

    def _dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit()
            return
        if event.type == pygame.VIDEORESIZE:
            self.resize((event.w, event.h))
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.toggle_fullscreen()
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F1 and self.stack:
            self.show_keys()
            return
        if not self.stack:
            return
        top = self.top
        typing = top.focus.typing()
        if typing and (
            event.type == pygame.TEXTINPUT
            or (event.type == pygame.KEYDOWN and event.key not in TYPING_KEYS_KEPT)
        ):
            self.ui.process_events(event)
            return
        if event.type == pygame.TEXTINPUT:
            return
        if top.handle(event):
            if event.type == pygame.KEYDOWN:
                # a key the screen used (like "/" to focus search) types nothing into the
                # field it may have just focused: its own text event is dropped
                self._swallow_text = getattr(event, "unicode", "") or ""
        else:
            self.ui.process_events(event)

    def _run_deferred(self) -> None:
        for _ in range(20):
            if not self._deferred:
                return
            actions, self._deferred = self._deferred, []
            for action in actions:
                action()

    def quit(self) -> None:
        """Close. Every event of a run in progress is already recorded, so it can resume."""
        self.running = False
        self.speech.stop()

    def screenshot(self, name: str, folder: Path | None = None) -> Path | None:
        """Save the window as ``NAME.png`` in ``folder`` or ``$PAROLESIM_SCREENSHOT_DIR``."""
        target = folder or (
            Path(os.environ[SCREENSHOT_ENV]) if SCREENSHOT_ENV in os.environ else None
        )
        if target is None:
            return None
        target.mkdir(parents=True, exist_ok=True)
        self.ui.update(0.0)  # pygame_gui refreshes its draw list in update
        self.draw()
        path = target / f"{name}.png"
        pygame.image.save(self.window, str(path))
        return path

    def start(self, scenario: str | None = None) -> None:
        """Show the first screen: sign-in (then ``scenario``'s briefing when one was named)."""
        from simulator.app.screens.signin import SignInScreen, read_profiles

        if not self.records.remote:  # a local file answers at once
            self.reset(SignInScreen(self, then_scenario=scenario))
            return
        # Through a records server the list is a network call: read it behind the busy
        # box, so a slow or silent server leaves a window that says so, not a frozen one.
        self.open(
            "Connecting to the records server…",
            partial(read_profiles, self),
            lambda found: SignInScreen(self, then_scenario=scenario, profiles=found),
            place="reset",
        )


def forget_pictures() -> None:
    """Drop the cached scenes, portraits and icons after a theme or type-size change.

    They were drawn for the old layout's sizes (or the other theme's colours), so the next
    screens ask for other sizes, and the old ones would otherwise sit in the caches up to
    their budgets (about 20 MB) while the new ones are drawn. Nothing is loaded when no
    picture was ever drawn (the art module brings numpy, which a cold start avoids).
    """
    art = sys.modules.get("simulator.art")
    if art is not None:
        art.clear_cache()


def dim(surface: pygame.Surface, scrim: pygame.Color) -> None:
    """Darken ``surface`` in place as if ``scrim`` (a colour with alpha) were laid over it.

    Two fills (scale every pixel by 1 - alpha, add the scrim's share) instead of blitting a
    window-sized transparent surface, which at 1920x1080 is another 8 MB at the moment a
    dialog opens over a large screen.
    """
    a = scrim.a
    keep = 255 - a
    surface.fill((keep, keep, keep), special_flags=pygame.BLEND_MULT)
    share = tuple((c * a + 127) // 255 for c in (scrim.r, scrim.g, scrim.b))
    surface.fill(share, special_flags=pygame.BLEND_ADD)


class OneSheetShapeCache(SurfaceCache):
    """pygame_gui's cache of small widget backgrounds, kept to one 4 MB sheet.

    pygame_gui packs the backgrounds of small widgets into 1024x1024 sheets and grows to
    three (12 MB) as sizes and themes change, keeping them all; a screen here has a dozen
    widgets, which fit one sheet at any text size. A background that does not fit is
    simply drawn for its widget instead of shared.
    """

    def _expand_lt_cache(self) -> None:
        if self.cache_surfaces:
            self.low_on_space = True
        else:
            super()._expand_lt_cache()  # type: ignore[no-untyped-call]


def drop_unused_fonts(ui: pygame_gui.UIManager) -> int:
    """Let go of the pygame_gui fonts the loaded theme no longer uses; returns how many.

    pygame_gui keeps every font it has loaded, at every size, for the life of the manager
    (each with its own copy of the font file, about 0.6 MB, plus its glyphs): a trainee
    who tries a few text sizes and window sizes collected 31 of them. Only the sizes the
    current theme names, and pygame_gui's own defaults, are kept.
    """
    theme = ui.get_theme()
    font_dict = theme.get_font_dictionary()
    fonts = getattr(font_dict, "loaded_fonts", None)
    used = getattr(theme, "ele_font_res", None)
    if not isinstance(fonts, dict) or not isinstance(used, dict):
        return 0
    keep = {id(res) for per_locale in used.values() for res in per_locale.values()}
    defaults = {font_dict.get_default_font(), font_dict.get_default_symbol_font()}
    unused = [
        key
        for key, res in fonts.items()
        if id(res) not in keep and getattr(res, "loaded_font", None) not in defaults
    ]
    for key in unused:
        del fonts[key]
    return len(unused)


def software_window() -> None:
    """Draw the window with SDL's plain framebuffer, not through an OpenGL renderer.

    The app draws everything itself into one surface; SDL's default on X11 would load an
    OpenGL driver just to copy that surface to the screen, which costs about 100 MB
    (measured under Xvfb: a bare window peaks at 127 MB with it, 30 MB without). Set
    before the display starts; a value the user set in the environment is kept.
    """
    os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")


M_MMAP_THRESHOLD = -3  # glibc mallopt parameter
MMAP_THRESHOLD = 128 * 1024
_libc: Any = None  # glibc, once give_back_freed_pictures has found it


def trim_heap() -> None:
    """Hand the heap's free pages back to the system (glibc's ``malloc_trim``) after a
    screen or theme was dropped: the widgets, glyphs and text of a large screen are many
    small blocks, and without this their freed pages stay counted against the process
    until the heap's top happens to be free. A no-op where the C library is not glibc."""
    if _libc is not None:
        _libc.malloc_trim(0)


def give_back_freed_pictures() -> bool:
    """Ask glibc to allocate every block over 128 kB (a rendered picture, a scene, the
    pixels under a dialog) with its own mapping, so it goes back to the system when freed.

    By default glibc raises that threshold after the first large free, and later pictures
    land in the heap, where the holes they leave keep the process's memory high for the
    rest of the run (measured: about 50 MB over an eight-scenario session). False where
    the C library is not glibc; nothing changes there.
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name:
        return False
    global _libc
    try:
        libc = ctypes.CDLL(name)
        done = bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
        libc.malloc_trim  # noqa: B018 (glibc has it; another C library raises here)
    except (OSError, AttributeError):
        return False
    _libc = libc
    return done


def _require_a_display() -> None:
    """Refuse to open an invisible window when there is no screen to show it on.

    Without a display SDL falls back to its off-screen driver and the app would
    run where nobody can see it; a trainee at a terminal needs the text mode.
    """
    import os

    requested = os.environ.get("SDL_VIDEODRIVER", "")
    software_window()
    pygame.display.init()
    driver = pygame.display.get_driver()
    if driver in ("offscreen", "dummy") and requested not in ("offscreen", "dummy"):
        pygame.display.quit()
        raise CommandError(
            "no screen to open the app on (no X11 or Wayland display was found). "
            "Run it from a desktop session, or play in the terminal with "
            "'parolesim play --text SCENARIO' (see 'parolesim list')"
        )


def run_app(db_url: str | None = None, scenario: str | None = None) -> int:
    """Open the trainee app (``parolesim``); returns the process exit code."""
    from simulator.app.records import open_records
    from simulator.app.script import Script

    _require_a_display()
    give_back_freed_pictures()
    records = open_records(db_url)
    catalog = Catalog()
    app = App(records, catalog)
    script = Script.from_env()
    app.start(scenario)
    clock = pygame.time.Clock()
    first = True
    while True:
        events = script.events(app) if script is not None else None
        if not app.step(events):
            break
        if first:  # the sign-in screen is up: read the scenarios while the trainee signs in
            catalog.preload()
            first = False
        clock.tick(60)
    pygame.quit()
    return 0
