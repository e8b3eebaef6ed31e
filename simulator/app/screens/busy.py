"""A busy state over the current screen while slow work runs off the frame loop.

Hashing a password, loading the library, starting or scoring a run and writing files
can take most of a second on a loaded machine. Done inside a frame, the window freezes
and the keys pressed meanwhile (or repeated by a held key) land on whatever screen comes
next. So the work runs on a worker thread, the frame loop keeps drawing this box, every
key and click is swallowed while it shows, and its result is handed back on the frame
loop once the box has closed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

import pygame

from simulator.app.screens.dialog import DialogScreen
from simulator.app.services import ServiceError

if TYPE_CHECKING:
    from simulator.app.main import App

T = TypeVar("T")
SHOW_AFTER = 0.15  # seconds: quicker work closes before the box would flash up


class BusyScreen(DialogScreen, Generic[T]):
    """Runs ``job`` on a worker thread; then closes and calls ``done(result)``, or
    ``failed(message)`` (default: an error message) when the job raised a ServiceError."""

    back_on_escape = False
    hint = "Please wait"

    def __init__(
        self,
        app: App,
        label: str,
        job: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(app)
        self.busy_text = label
        self.job = job
        self.done = done
        self.failed = failed
        self.elapsed = 0.0
        self._result: tuple[str, object] | None = None
        self._thread: threading.Thread | None = None
        self._finished = False

    def content(self, inner: int) -> None:
        self.add_text(self.busy_text, "heading", gap=0.4)
        self.add_text("Please wait; keys pressed now are ignored.", "body", "muted", gap=1.6)

    def enter(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="app-work", daemon=True)
            self._thread.start()
            self.app.announce(self.busy_text)

    def _work(self) -> None:
        try:
            self._result = ("ok", self.job())
        except ServiceError as exc:
            self._result = ("failed", str(exc))
        except BaseException as exc:  # re-raised on the frame loop, where it belongs
            self._result = ("raised", exc)

    @property
    def finished(self) -> bool:
        return self._finished

    def update(self, dt: float) -> None:
        self.elapsed += dt
        if self._finished or self._result is None:
            return
        self._finished = True
        kind, value = self._result
        if self.app.stack and self.app.top is self:
            self.app.pop()
        if kind == "ok":
            self.done(value)  # type: ignore[arg-type]
        elif kind == "failed":
            if self.failed is not None:
                self.failed(str(value))
            else:
                self.app.show_error("That could not be done", str(value))
        else:
            assert isinstance(value, BaseException)
            raise value

    def handle(self, event: pygame.event.Event) -> bool:
        return True  # nothing acts while the work runs

    def animating(self) -> bool:
        return True

    def draw(self, surface: pygame.Surface) -> None:
        if self.elapsed < SHOW_AFTER:
            return
        super().draw(surface)
        th = self.theme
        lit = int(self.elapsed * 3) % 4  # three squares light up in turn: it is working
        side = th.px(0.6)
        y = self.page.viewport.bottom - side - th.px(0.1)
        for i in range(3):
            colour = th.colour("accent" if i < lit else "border")
            pygame.draw.rect(surface, colour, (self.page.viewport.x + i * 2 * side, y, side, side))
