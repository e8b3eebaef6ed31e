"""Fixtures for the app tests: a real store, the fixture scenarios and a headless window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from simulator.app.main import App
from simulator.app.records import StoreRecords, open_records
from simulator.app.services import Catalog
from tests.app.driver import Driver

FIXTURE_SCENARIOS = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios"


@pytest.fixture
def records(tmp_path: Path) -> Iterator[StoreRecords]:
    rec = open_records(str(tmp_path / "records.sqlite3"))
    yield rec
    rec.store.close()


@pytest.fixture
def catalog() -> Catalog:
    return Catalog(FIXTURE_SCENARIOS)


@pytest.fixture
def app(records: StoreRecords, catalog: Catalog, tmp_path: Path) -> Iterator[App]:
    a = App(records, catalog, config_dir=tmp_path / "config")
    a.start()
    a.run_frames(2)
    yield a
    pygame.quit()


@pytest.fixture
def drive(app: App) -> Driver:
    return Driver(app)
