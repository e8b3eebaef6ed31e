"""Shared test set-up: headless pygame, isolated data folders, paths to fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(autouse=True)
def _isolated_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the real user's data or settings folders."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("PAROLESIM_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("PAROLESIM_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("PAROLESIM_CACHE_DIR", str(base / "cache"))
    monkeypatch.delenv("PAROLESIM_DATABASE_URL", raising=False)


@pytest.fixture
def minimal_path() -> Path:
    return FIXTURES / "scenarios" / "minimal.yaml"
