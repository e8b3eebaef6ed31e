"""Opening the windowed trainee app (``parolesim`` with no command, or ``play`` without --text)."""

from __future__ import annotations

import argparse
import os

from simulator.errors import CommandError


def open_app(args: argparse.Namespace, scenario: str | None = None) -> int:
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
