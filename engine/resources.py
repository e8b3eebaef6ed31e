"""Data that ships with parolesim, found through :mod:`importlib.resources`.

The scenario library with its policy pack (package ``scenarios``) and the themes
(package ``assets``) are package data, so an installed wheel finds them the same
way a checkout does, without walking up from a source file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SCENARIOS_PACKAGE = "scenarios"
ASSETS_PACKAGE = "assets"


def bundled_dir(package: str) -> Path | None:
    """The folder holding ``package``'s data on disk, or None when it is not installed."""
    try:
        root = resources.files(package)
    except (ModuleNotFoundError, TypeError):
        return None
    path = Path(str(root))
    return path if path.is_dir() else None


def bundled_scenarios() -> Path | None:
    """The bundled scenario library (``scenarios/`` in a checkout or an installed wheel)."""
    return bundled_dir(SCENARIOS_PACKAGE)


def bundled_assets() -> Path | None:
    """The bundled themes and credits (``assets/``)."""
    return bundled_dir(ASSETS_PACKAGE)
