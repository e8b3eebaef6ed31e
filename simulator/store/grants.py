"""The PostgreSQL role a records server connects as: it may read and write records but
cannot TRUNCATE a table, change or delete rows of the append-only tables (events, audit log,
signatures), alter tables or disable their triggers (only the tables' owner may), so a
compromised server cannot quietly rewrite history. ``parolesim db upgrade`` runs as the
owner; ``parolesim serve`` runs as this role.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from simulator.store.errors import InvalidRecord, StoreUnavailable
from simulator.store.schema import metadata

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
APPEND_ONLY = (
    "events",
    "audit_log",
    "evaluation_signatures",
    "decision_reviews",
    "calibration_ratings",
    "class_votes",
)


def create_server_role(conn: sa.Connection, name: str, password: str) -> bool:
    """Create (or update) role ``name`` with the server's rights on the current schema;
    True if the role is new."""
    if conn.dialect.name != "postgresql":
        raise StoreUnavailable(
            "a server role is a PostgreSQL role; an embedded SQLite store has no server"
        )
    if not ROLE_NAME.match(name):
        raise InvalidRecord(
            f"role name {name!r} is not usable: lower-case letters, digits and '_', "
            "starting with a letter or '_'"
        )
    from psycopg import sql

    raw = conn.connection.driver_connection
    assert raw is not None
    role = sql.Identifier(name)
    exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first()
    verb = "ALTER" if exists else "CREATE"
    schema = str(conn.execute(sa.text("SELECT current_schema()")).scalar_one())
    tables = [sql.Identifier(schema, t) for t in [*metadata.tables, "alembic_version"]]
    with raw.cursor() as cur:
        cur.execute(
            sql.SQL(verb + " ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}").format(
                role, sql.Literal(password)
            )
        )
        cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), role))
        for table in tables:
            cur.execute(sql.SQL("REVOKE ALL ON {} FROM {}").format(table, role))
            cur.execute(
                sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}").format(table, role)
            )
        for name_ in APPEND_ONLY:
            cur.execute(
                sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(
                    sql.Identifier(schema, name_), role
                )
            )
        cur.execute(
            sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(
                sql.Identifier(schema, "alembic_version"), role
            )
        )
        cur.execute(
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
                sql.Identifier(schema), role
            )
        )
    return not exists
