"""A read-only copy of the records can be read: a SQLite file opened with ``?mode=ro`` and a
PostgreSQL role granted only SELECT serve progress, export, audit and attempt reads, refuse
writes in plain words, say that reads are not audited there, and change nothing."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from simulator.store import Store, StoreUnavailable
from simulator.store.schema import audit_log
from tests.clirun import cli
from tests.store.conftest import STAFF_PASSWORD, make_cast
from tests.store.helpers import PG_URL, drop_pg_schema, finished_attempt, fresh_pg_schema


def _select_only_url(schema: str, url: str) -> Iterator[str]:
    """A new PostgreSQL role that may only SELECT in ``schema``; its URL; dropped after."""
    role = f"parolesim_reader_{uuid.uuid4().hex[:12]}"
    assert PG_URL is not None
    admin = sa.create_engine(sa.make_url(PG_URL).set(drivername="postgresql+psycopg"))
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD 'reader-pass-1'")
        conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}')
        conn.exec_driver_sql(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {role}')
    try:
        yield (
            sa.make_url(url)
            .set(username=role, password="reader-pass-1")
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(writable URL, read-only URL) of one records database holding an academy's records."""
    if request.param == "sqlite":
        path = tmp_path / "records.sqlite3"
        writable = f"sqlite:///{path}"
        _populate(writable)
        yield writable, f"{writable}?mode=ro"
        return
    schema, writable = fresh_pg_schema()
    try:
        _populate(writable)
        yield from ((writable, reader) for reader in _select_only_url(schema, writable))
    finally:
        drop_pg_schema(schema)


def _populate(url: str) -> None:
    with Store.open(url) as store:
        cast = make_cast(store)
        finished_attempt(store, cast.alice, cast.alice, 82.0, True, rapport=80.0)


def _audit_rows(url: str) -> int:
    with Store.open(url) as store, store._db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar_one())


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_read_only_store_is_read_refuses_writes_and_changes_nothing(
    urls: tuple[str, str], tmp_path: Path
) -> None:
    writable, reader = urls
    before = _audit_rows(writable)
    file = tmp_path / "records.sqlite3"
    digest = _digest(file) if file.exists() else None
    staff = ("--password-stdin",)
    stdin = STAFF_PASSWORD + "\n"

    shown = cli(
        "--db", reader, "progress", "--trainee", "alice", "--user", "ines", *staff, stdin=stdin
    )
    assert shown.returncode == 0, shown.stderr
    assert "Alice Nguyen (alice): 1 attempt, 1 completed" in shown.stdout
    assert "read-only" in shown.stderr and "not audited" in shown.stderr

    exported = cli(
        "--db", reader, "export", "--format", "json", "--trainee", "alice", "--user", "rae",
        *staff, stdin=stdin,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    [record] = json.loads(exported.stdout)["attempts"]
    assert record["trainee"]["username"] == "alice" and record["score"]["overall"] == 82.0

    audited = cli("--db", reader, "audit", "--json", "--user", "rae", *staff, stdin=stdin)
    assert audited.returncode == 0, audited.stderr
    assert len(json.loads(audited.stdout)) == min(before, 50)

    with Store.open(reader) as store:
        assert store.read_only
        alice = store.sign_in("alice")
        [attempt] = store.attempts.records(alice, ["alice"])
        assert attempt.attempt.status == "completed"
        with pytest.raises(StoreUnavailable, match="open read-only: records can be read here"):
            store.add_person(store.sign_in("rae", STAFF_PASSWORD), "zed")

    refused = cli(
        "--db", reader, "cohorts", "add", "Class 26-2", "--user", "rae", *staff, stdin=stdin
    )
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "open read-only" in refused.stderr

    assert _audit_rows(writable) == before  # nothing was written: not even the sign-ins
    if digest is not None:
        assert _digest(file) == digest
    with Store.open(writable) as store:
        assert not store.read_only
        assert [p.username for p in store.profiles()] == ["alice", "bob"]
