"""A keyboard-only tour of every screen of the app, for layout checks and screenshots.

``tour(driver)`` walks a fresh app from sign-in through a whole scenario and back,
yielding a name at each screen. Run as a program it saves a screenshot of each:

    python -m tests.app.tour OUT_DIR [--scale 100] [--theme normal] [--size 1280x720]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from simulator.app.screens.debrief import DebriefScreen
from simulator.app.screens.library import LibraryScreen
from simulator.app.screens.play import PlayScreen
from simulator.app.screens.progress import ProgressScreen
from simulator.app.services import Catalog
from tests.app.driver import Driver

FIXTURE_SCENARIOS = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios"


def tour_catalog() -> Catalog:
    """The bundled library when it has scenarios, else the test fixtures."""
    bundled = Catalog()
    return bundled if bundled.scenarios else Catalog(FIXTURE_SCENARIOS)


def tour(d: Driver) -> Iterator[str]:
    yield "signin-empty"
    d.tab_to("New profile")
    d.key("RETURN")
    d.type("Jordan Ellis-Whitaker")
    yield "new-profile"
    d.key("RETURN")
    assert isinstance(d.top, LibraryScreen), type(d.top).__name__
    yield "library"
    d.key("F1")
    yield "keys-help"
    d.key("ESCAPE")
    d.key("RETURN")  # the first card is focused
    yield "briefing"
    d.key("RIGHT")
    d.key("RIGHT")
    yield "briefing-tab"
    d.tab_to("Start practice")
    d.key("RETURN")
    assert isinstance(d.top, PlayScreen), type(d.top).__name__
    d.frames(3)
    yield "play"
    d.key("c")
    yield "play-case-file"
    d.key("ESCAPE")  # closes the case file
    d.key("ESCAPE")  # opens pause
    yield "pause"
    d.tab_to("Settings")
    d.key("RETURN")
    yield "settings"
    d.key("ESCAPE")
    d.key("ESCAPE")  # resume
    d.key("1")
    d.frames(2)
    yield "play-later"
    d.play_to_end()
    d.frames(2)
    yield "play-ended"
    d.key("RETURN")
    assert isinstance(d.top, DebriefScreen), type(d.top).__name__
    yield "debrief"
    d.key("PAGEDOWN")
    d.key("PAGEDOWN")
    yield "debrief-decisions"
    d.tab_to("Progress")
    d.key("RETURN")
    assert isinstance(d.top, ProgressScreen), type(d.top).__name__
    yield "progress"
    d.key("ESCAPE")
    d.key("ESCAPE")  # debrief -> library
    yield "library-after"
    # leave an attempt unfinished, sign out and back in: the app offers to resume it
    d.key("RETURN")
    d.tab_to("Start practice")
    d.key("RETURN")
    d.key("ESCAPE")
    d.tab_to("Save and quit to the library")
    d.key("RETURN")
    d.tab_to("Sign out")
    d.key("RETURN")
    yield "signin-profiles"
    d.key("RETURN")
    yield "resume-offer"
    d.key("RETURN")
    assert isinstance(d.top, PlayScreen), type(d.top).__name__
    yield "play-resumed"


def main(argv: list[str] | None = None) -> int:
    from tests.app.tour_run import screenshots

    return screenshots("python -m tests.app.tour", argv, lambda _: None, lambda d, _: tour(d))


if __name__ == "__main__":
    sys.exit(main())
