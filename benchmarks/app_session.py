"""A trainee's session, scripted, for measuring the app's peak memory on a real driver.

``python -m benchmarks.app_session`` signs in, then plays eight library scenarios (the same
eight, named in ``SESSION``) to their debrief by keyboard, switching theme and text size
and resizing the window between them (1280x720, 1920x1080, 1024x640), and prints
``PEAK_KB <VmHWM>`` and the art and text cache sizes. Run it under Xvfb (a real X11
window) or with SDL_VIDEODRIVER=dummy.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

# The same eight library scenarios in every run (the library grows; the first eight of
# it would change the session): four families, two of them at 1920x1080.
SESSION = (
    "de-counter-sanction",
    "de-domestic-dispute",
    "de-intox-test-refusal",
    "de-mh-crisis-cit",
    "de-suicide-screen",
    "dt-contested-result",
    "dt-observed-collection",
    "hv-gps-zone-alert",
)
SIZES = ((1280, 720), (1920, 1080), (1024, 640))


def peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc: peak memory is measured on Linux")


def main() -> int:
    import pygame

    from simulator import art as art_pkg
    from simulator.app.main import App, give_back_freed_pictures
    from simulator.app.records import open_records
    from simulator.app.screens.briefing import BriefingScreen
    from simulator.app.screens.debrief import DebriefScreen
    from simulator.app.screens.library import LibraryScreen
    from simulator.app.screens.play import PlayScreen
    from simulator.app.services import Catalog
    from simulator.app.settings import Settings
    from tests.app.driver import Driver

    give_back_freed_pictures()  # as run_app does

    base = Path(tempfile.mkdtemp(prefix="parolesim-session-"))
    records = open_records(str(base / "records.sqlite3"))
    app = App(records, Catalog(), settings=Settings(), size=SIZES[0], config_dir=base / "cfg")
    app.start()
    app.run_frames(2)
    d = Driver(app)
    d.create_profile("Bench Trainee")
    assert isinstance(d.top, LibraryScreen)
    library = [app.catalog.by_id(scenario_id) for scenario_id in SESSION]
    for i, sf in enumerate(library):
        app.settings.theme = "high_contrast" if i % 2 else "normal"
        app.settings.text_scale = (100, 150, 200)[i % 3]
        app.apply_settings()
        app.resize(SIZES[i % len(SIZES)])
        app.run_frames(2)
        app.push(BriefingScreen(app, sf))
        app.run_frames(2)
        d.tab_to("Start practice")
        d.key("RETURN")
        assert isinstance(d.top, PlayScreen), type(d.top).__name__
        run = app.run
        assert run is not None
        for _ in range(200):
            if run.session.ended:
                break
            d.key("c")  # the case file, as a trainee reads it
            d.key("c")
            d.key("1")
            d.frames(3)
        d.tab_to("See your debrief")
        d.key("RETURN")
        assert isinstance(d.top, DebriefScreen), type(d.top).__name__
        d.key("PAGEDOWN")
        d.key("ESCAPE")
        assert isinstance(d.top, LibraryScreen), type(d.top).__name__
    app.run_frames(30)
    stats = art_pkg.cache_stats()
    print(f"PEAK_KB {peak_kb()}", flush=True)
    print(f"DRIVER {pygame.display.get_driver()}", flush=True)
    print(f"SCENARIOS {len(library)}", flush=True)
    for name, value in stats.items():
        print(f"CACHE {name} {value}", flush=True)
    print(f"CACHE text {app.text.nbytes}", flush=True)
    records.store.close()
    pygame.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
