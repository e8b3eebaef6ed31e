"""Schema versions: what revision a database is at, and bringing it up to this program's.

Alembic is configured in code (no ini file needed) so that migrations run from an installed
package. Every check and upgrade happens inside one write transaction, so two workstations
starting at once cannot both create the tables.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError as AlembicCommandError

from simulator.store.schema import metadata

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


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
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def inspect_schema(conn: sa.Connection) -> SchemaState:
    """Where ``conn``'s database stands relative to this program's migrations."""
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    revision = MigrationContext.configure(conn).get_current_revision()
    if revision is None:
        ours = set(metadata.tables) & set(sa.inspect(conn).get_table_names())
        return SchemaState(SchemaKind.FOREIGN if ours else SchemaKind.EMPTY, None, head)
    if revision == head:
        return SchemaState(SchemaKind.CURRENT, revision, head)
    try:
        script.get_revision(revision)
    except AlembicCommandError:
        return SchemaState(SchemaKind.NEWER, revision, head)
    return SchemaState(SchemaKind.OLDER, revision, head)


def serialise_schema_changes(conn: sa.Connection) -> None:
    """Make concurrent first runs on PostgreSQL wait for each other (SQLite's
    ``BEGIN IMMEDIATE`` already does)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(7031965)"))


def upgrade(conn: sa.Connection, target: str = "head") -> None:
    """Run the migrations on ``conn`` inside its current transaction."""
    command.upgrade(alembic_config(conn), target)


def downgrade(conn: sa.Connection, target: str) -> None:
    """Run downgrades on ``conn`` (used by developers and the migration tests only)."""
    command.downgrade(alembic_config(conn), target)


def backup_sqlite(path: Path, revision: str) -> Path:
    """Copy a SQLite store beside itself before upgrading it, with SQLite's backup API."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{revision}.{stamp}.bak")
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    return target
