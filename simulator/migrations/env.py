"""Alembic environment for the records store.

parolesim passes an open connection (already inside a transaction) through
``config.attributes["connection"]``; a developer running ``alembic`` by hand gets an engine
from ``sqlalchemy.url`` or ``PAROLESIM_DATABASE_URL``. Migrations run with transactional
DDL on both backends, so a failed upgrade leaves the database as it was.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import context

from simulator.store.schema import metadata

config = context.config


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        transactional_ddl=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("PAROLESIM_DATABASE_URL")
    if not url:
        raise SystemExit("set sqlalchemy.url in alembic.ini or PAROLESIM_DATABASE_URL")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        _run(conn)


if context.is_offline_mode():
    raise SystemExit("parolesim migrations run online only (they create triggers per backend)")
run_migrations_online()
