"""Opening the windowed trainee app (``parolesim`` with no command, or ``play`` without --text)."""

from __future__ import annotations

import argparse
import os
import sys

from simulator.errors import CommandError

NO_SCREEN = (
    "no screen to open the app on (no X11 or Wayland display was found). "
    "Run it from a desktop session, or play in the terminal with "
    "'parolesim play --text SCENARIO' (see 'parolesim list')"
)


def _no_display() -> bool:
    """True on Linux with no display named and no SDL driver chosen.

    Checked before SDL starts, because SDL's own complaint (``XDG_RUNTIME_DIR is
    invalid``) would otherwise come first and bury what to do instead.
    """
    if not sys.platform.startswith("linux") or os.environ.get("SDL_VIDEODRIVER"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_app(args: argparse.Namespace, scenario: str | None = None) -> int:
    if _no_display():
        raise CommandError(NO_SCREEN)
    try:
        from simulator.app.main import run_app
    except ImportError as exc:
        raise CommandError(
            f"the windowed app cannot start ({exc}); use 'parolesim play --text SCENARIO'"
        ) from None
    server = getattr(args, "server", None)
    if server:  # the app opens its records through simulator.connect, which reads this
        os.environ["PAROLESIM_SERVER"] = server
    code: int = run_app(db_url=getattr(args, "db", None), scenario=scenario)
    return code
