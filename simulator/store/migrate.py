"""Schema versions: what revision a database is at, and bringing it up to this program's.

Alembic is configured in code (no ini file needed) so that migrations run from an installed
package, and imported only when a schema must change or be placed: opening a current store
costs one small query. Every upgrade happens inside one write transaction, so two
workstations starting at once cannot both create the tables.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from simulator.store.schema import metadata

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
HEAD = "0005_classroom"  # the newest file in migrations/versions (a test keeps them equal)


class SchemaKind(StrEnum):
    EMPTY = "empty"  # none of our tables: a new store
    CURRENT = "current"  # at this program's head revision
    OLDER = "older"  # at a revision this program can upgrade
    NEWER = "newer"  # at a revision this program does not know
    FOREIGN = "foreign"  # our table names without our version stamp


@dataclass(frozen=True)
class SchemaState:
    kind: SchemaKind
    revision: str | None
    head: str


def alembic_config(connection: sa.Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return HEAD


def script_head() -> str | None:
    """The head revision according to the migration files themselves."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(conn: sa.Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    return None if revision is None else str(revision)


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError:
        return False
    return True


def inspect_schema(conn: sa.Connection) -> SchemaState:
    """Where ``conn``'s database stands relative to this program's migrations."""
    revision = current_revision(conn)
    if revision is None:
        ours = set(metadata.tables) & set(sa.inspect(conn).get_table_names())
        return SchemaState(SchemaKind.FOREIGN if ours else SchemaKind.EMPTY, None, HEAD)
    if revision == HEAD:
        return SchemaState(SchemaKind.CURRENT, revision, HEAD)
    kind = SchemaKind.OLDER if _known(revision) else SchemaKind.NEWER
    return SchemaState(kind, revision, HEAD)


def serialise_schema_changes(conn: sa.Connection) -> None:
    """Make concurrent first runs on PostgreSQL wait for each other (SQLite's
    ``BEGIN IMMEDIATE`` already does)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(7031965)"))


def upgrade(conn: sa.Connection, target: str = "head") -> None:
    """Run the migrations on ``conn`` inside its current transaction."""
    from alembic import command

    command.upgrade(alembic_config(conn), target)


def downgrade(conn: sa.Connection, target: str) -> None:
    """Run downgrades on ``conn`` (used by developers and the migration tests only)."""
    from alembic import command

    command.downgrade(alembic_config(conn), target)


def backup_sqlite(path: Path, revision: str) -> Path:
    """Copy a SQLite store beside itself before upgrading it, with SQLite's backup API.

    The copy is written under a temporary name and renamed when complete, so a killed
    upgrade never leaves a partial ``.bak`` that looks like a backup.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{revision}.{stamp}.bak")
    partial = path.with_name(f".{target.name}.partial")
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    os.replace(partial, target)
    return target
