"""Opening the windowed trainee app (``parolesim`` with no command, or ``play`` without --text)."""

from __future__ import annotations

import argparse

from simulator.errors import CommandError


def open_app(args: argparse.Namespace, scenario: str | None = None) -> int:
    try:
        from simulator.app.main import run_app
    except ImportError as exc:
        raise CommandError(
            f"the windowed app cannot start ({exc}); use 'parolesim play --text SCENARIO'"
        ) from None
    code: int = run_app(db_url=getattr(args, "db", None), scenario=scenario)
    return code
