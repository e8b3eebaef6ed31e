"""Migrations: up from empty, down and up again, and the schema they build matches the
table definitions the code uses, on both backends."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from simulator.store import Store
from simulator.store.db import make_engine, resolve_url
from simulator.store.migrate import (
    SchemaKind,
    downgrade,
    head_revision,
    inspect_schema,
    script_head,
    upgrade,
)
from simulator.store.schema import metadata


def _engine(url: str) -> sa.Engine:
    resolved, _ = resolve_url(url)
    return make_engine(resolved, default_location=False, busy_timeout=5)


def test_migrations_create_every_table_from_an_empty_database(db_url: str) -> None:
    engine = _engine(db_url)
    with engine.connect() as conn:
        assert inspect_schema(conn).kind is SchemaKind.EMPTY
    with engine.begin() as conn:
        upgrade(conn)
    with engine.connect() as conn:
        state = inspect_schema(conn)
        tables = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    assert state.kind is SchemaKind.CURRENT and state.revision == head_revision()
    assert set(metadata.tables) | {"alembic_version"} == tables


def test_migrated_schema_matches_the_table_definitions(db_url: str) -> None:
    engine = _engine(db_url)
    with engine.begin() as conn:
        upgrade(conn)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diffs == []


def test_migrations_step_down_and_up_again(db_url: str) -> None:
    engine = _engine(db_url)
    with engine.begin() as conn:
        upgrade(conn, "0001_records")
    with engine.connect() as conn:
        state = inspect_schema(conn)
        assert state.kind is SchemaKind.OLDER and state.revision == "0001_records"
        assert "evaluations" not in sa.inspect(conn).get_table_names()
    with engine.begin() as conn:
        upgrade(conn)
        downgrade(conn, "base")
    with engine.connect() as conn:
        assert inspect_schema(conn).kind is SchemaKind.EMPTY
    with engine.begin() as conn:
        upgrade(conn)
    with engine.connect() as conn:
        assert inspect_schema(conn).kind is SchemaKind.CURRENT
    engine.dispose()


def test_opening_an_empty_database_creates_the_schema(db_url: str) -> None:
    with Store.open(db_url) as store:
        assert store.migrated == (None, head_revision())
    with Store.open(db_url) as again:
        assert again.migrated is None


def test_the_head_this_program_expects_is_the_newest_migration_file() -> None:
    assert script_head() == head_revision()
