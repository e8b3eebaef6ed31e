"""FTO tests use the store tests' databases (SQLite, and PostgreSQL when configured) and
cast of people, and play real scenarios with the real policy pack."""

from __future__ import annotations

from tests.store.conftest import _quick_password_hashes, cast, db_url, store

__all__ = ["_quick_password_hashes", "cast", "db_url", "store"]
