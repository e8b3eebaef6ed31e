"""Opening the store: first run needs no set-up; damaged, locked, newer-schema and foreign
databases are reported and left exactly as they were."""

from __future__ import annotations

import hashlib
import io
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from simulator.store import (
    Store,
    StoreDamaged,
    StoreLocked,
    StoreSchemaError,
    StoreUnavailable,
)
from simulator.store.db import DB_FILENAME, make_engine, resolve_url
from simulator.store.migrate import head_revision, upgrade
from tests.store.helpers import drop_pg_schema, fresh_pg_schema


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def test_first_run_creates_the_data_folder_and_a_wal_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "new" / "user" / "data"
    monkeypatch.setenv("PAROLESIM_DATA_DIR", str(folder))
    with Store.open() as store:
        assert store.backend == "sqlite" and store.path == folder / DB_FILENAME
        store.add_person(None, "alice")
    raw = sqlite3.connect(folder / DB_FILENAME)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("SELECT username FROM people").fetchall() == [("alice",)]
    raw.close()


def test_database_url_comes_from_the_environment_unless_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAROLESIM_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    with Store.open() as store:
        assert store.path == tmp_path / "env.sqlite3"
    with Store.open(str(tmp_path / "given.sqlite3")) as store:
        assert store.path == tmp_path / "given.sqlite3"


def test_a_file_that_is_not_sqlite_is_reported_and_never_touched(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite3"
    path.write_bytes(b"PK\x03\x04 this was a zip file once " * 200)
    before, files = _digest(path), _siblings(path)
    with pytest.raises(StoreDamaged) as caught:
        Store.open(str(path))
    assert str(path) in str(caught.value) and "backup" in str(caught.value)
    assert _digest(path) == before and _siblings(path) == files


def test_a_store_with_damaged_pages_is_reported_and_never_touched(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite3"
    with Store.open(str(path)) as store:
        store.add_person(None, "alice")
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xde\xad\xbe\xef" * ((4096 - 100) // 4)  # the schema page after the header
    path.write_bytes(bytes(data))
    before, files = _digest(path), _siblings(path)
    with pytest.raises(StoreDamaged) as caught:
        Store.open(str(path))
    assert str(path) in str(caught.value)
    assert _digest(path) == before and _siblings(path) == files


def test_a_write_lock_held_by_another_program_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite3"
    with Store.open(str(path)) as store:
        store.add_person(None, "alice")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(str(path), busy_timeout=0.2) as store:
            with pytest.raises(StoreLocked) as caught:
                store.add_person(None, "bob")
            assert str(path) in str(caught.value) and "locked" in str(caught.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Store.open(str(path)) as store:
        assert store.add_person(None, "bob").username == "bob"


def test_an_exclusive_lock_is_reported_when_opening(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite3"
    Store.open(str(path)).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreLocked) as caught:
            Store.open(str(path), busy_timeout=0.2)
        assert str(path) in str(caught.value)
    finally:
        other.execute("ROLLBACK")
        other.close()


def _stamp(url: str, revision: str) -> None:
    resolved, _ = resolve_url(url)
    engine = make_engine(resolved, default_location=False, busy_timeout=5)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
    engine.dispose()


def _revision(url: str) -> str:
    resolved, _ = resolve_url(url)
    engine = make_engine(resolved, default_location=False, busy_timeout=5)
    with engine.connect() as conn:
        found = str(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar())
    engine.dispose()
    return found


def test_a_newer_schema_is_reported_and_left_unchanged(db_url: str) -> None:
    Store.open(db_url).close()
    _stamp(db_url, "0099_from_the_future")
    path = Path(db_url.removeprefix("sqlite:///")) if db_url.startswith("sqlite") else None
    before = _digest(path) if path else None
    with pytest.raises(StoreSchemaError) as caught:
        Store.open(db_url)
    assert "0099_from_the_future" in str(caught.value) and "newer parolesim" in str(caught.value)
    assert _revision(db_url) == "0099_from_the_future"
    if path is not None:
        assert _digest(path) == before


def test_tables_without_a_schema_version_are_refused(db_url: str) -> None:
    resolved, _ = resolve_url(db_url)
    engine = make_engine(resolved, default_location=False, busy_timeout=5)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT)"))
    engine.dispose()
    with pytest.raises(StoreSchemaError, match="not changed"):
        Store.open(db_url)


def _at_first_revision_with_a_person(url: str) -> None:
    resolved, _ = resolve_url(url)
    engine = make_engine(resolved, default_location=False, busy_timeout=5)
    with engine.begin() as conn:
        upgrade(conn, "0001_records")
        conn.execute(
            sa.text(
                "INSERT INTO people (username, display_name, role, active, created_at) "
                "VALUES ('alice', 'Alice', 'trainee', true, '2026-01-05 10:00:00')"
            )
        )
    engine.dispose()


def test_an_older_sqlite_store_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite3"
    url = f"sqlite:///{path}"
    _at_first_revision_with_a_person(url)
    with Store.open(url) as store:
        assert store.migrated == ("0001_records", head_revision())
        assert store.person("alice").display_name == "Alice"
    (backup,) = path.parent.glob("records.sqlite3.0001_records.*.bak")
    raw = sqlite3.connect(backup)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001_records",)
    raw.close()


@pytest.mark.postgres
def test_an_older_shared_postgresql_store_waits_for_db_upgrade() -> None:
    schema, url = fresh_pg_schema()
    try:
        _at_first_revision_with_a_person(url)
        with pytest.raises(StoreSchemaError, match="parolesim db upgrade"):
            Store.open(url)
        assert _revision(url) == "0001_records"
        with Store.open(url, upgrade=True) as store:
            assert store.migrated == ("0001_records", head_revision())
            assert store.person("alice").role == "trainee"
    finally:
        drop_pg_schema(schema)


def test_urls_that_cannot_hold_records_are_refused_with_what_is_expected() -> None:
    with pytest.raises(StoreUnavailable, match="in-memory"):
        Store.open("sqlite://")
    with pytest.raises(StoreUnavailable, match="SQLite or PostgreSQL"):
        Store.open("mysql://u@localhost/db")


def test_a_missing_folder_for_an_explicit_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="does not exist"):
        Store.open(str(tmp_path / "no" / "such" / "records.sqlite3"))


def test_an_unreachable_postgresql_server_is_reported() -> None:
    with pytest.raises(StoreUnavailable, match="cannot use the PostgreSQL records database"):
        Store.open("postgresql://postgres@127.0.0.1:1/nowhere", busy_timeout=1)


def test_a_database_holding_other_tables_is_refused_and_left_alone(db_url: str) -> None:
    resolved, _ = resolve_url(db_url)
    engine = make_engine(resolved, default_location=False, busy_timeout=5)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)"))
    with pytest.raises(StoreSchemaError, match=r"already holds other tables \(invoices\)"):
        Store.open(db_url)
    with engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == ["invoices"]
    engine.dispose()


def test_db_upgrade_needs_an_admin_once_the_records_have_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from simulator.cli import main

    db = str(tmp_path / "records.sqlite3")
    assert main(["--db", db, "db", "upgrade"]) == 0  # a new store: nobody to ask yet
    with Store.open(db) as store:
        admin = store.add_person(None, "rae", role="admin", password="admin-pass-1")
        store.add_person(admin, "alice")
    assert main(["--db", db, "db", "upgrade", "--user", "alice"]) == 1
    assert "alice (trainee) may not upgrade the records schema" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("admin-pass-1\n"))
    assert main(["--db", db, "db", "upgrade", "--user", "rae", "--password-stdin"]) == 0
    assert "schema is current" in capsys.readouterr().out
    with Store.open(db) as store:
        denied = store.audit_log(store.sign_in("rae", "admin-pass-1"), denied_only=True)
    assert [(e.actor, e.action) for e in denied] == [("alice", "manage_people")]
