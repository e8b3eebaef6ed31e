"""FTO tests use the store tests' databases (SQLite, and PostgreSQL when configured) and
cast of people, and play real scenarios with the real policy pack."""

from __future__ import annotations

from tests.store.conftest import cast, db_url, store

__all__ = ["cast", "db_url", "store"]
