"""Where the records live and how we connect: URL choice, SQLite pragmas, plain-words errors.

The database is chosen by ``--db URL``, else ``PAROLESIM_DATABASE_URL``, else a SQLite file
``records.sqlite3`` in the user's data folder (``PAROLESIM_DATA_DIR`` overrides the folder).
A bare path given as the URL means a SQLite file. SQLite runs in WAL mode with foreign keys
on and ``synchronous=FULL``, so a committed event survives a killed process and a power cut.
Existing files are checked before SQLite touches them: a file that is not a SQLite database
is reported and never overwritten.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from simulator.store.errors import (
    StoreDamaged,
    StoreError,
    StoreLocked,
    StoreUnavailable,
)

APP_NAME = "parolesim"
DB_FILENAME = "records.sqlite3"
DEFAULT_BUSY_TIMEOUT = 10.0
LOCK_TIMEOUT_ENV = "PAROLESIM_LOCK_TIMEOUT"
SQLITE_HEADER = b"SQLite format 3\x00"
WRITE_OPTION = "parolesim_write"
STATEMENT_MS = 120_000  # no single statement of ours runs for minutes; a stuck one is ended


def lock_timeout() -> float:
    """Seconds to wait on a database another program has locked before saying so:
    ``$PAROLESIM_LOCK_TIMEOUT``, else 10."""
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_BUSY_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.1 <= value <= 3600:
        raise StoreUnavailable(
            f"{LOCK_TIMEOUT_ENV} must be a number of seconds from 0.1 to 3600, not {raw[:40]!r}"
        )
    return value


def data_dir() -> Path:
    """The folder for the default records file: ``PAROLESIM_DATA_DIR`` or the platform's."""
    override = os.environ.get("PAROLESIM_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_url(url: str | None) -> tuple[sa.URL, bool]:
    """The database URL to use and whether it is the default file (whose folder we may create)."""
    chosen = url or os.environ.get("PAROLESIM_DATABASE_URL") or None
    if chosen is None:
        return sa.URL.create("sqlite", database=str(data_dir() / DB_FILENAME)), True
    if "://" not in chosen:
        return sa.URL.create("sqlite", database=str(Path(chosen).expanduser().resolve())), False
    try:
        parsed = sa.make_url(chosen)
    except sa.exc.ArgumentError as exc:
        raise StoreUnavailable(
            f"database URL {chosen!r} is not valid: expected sqlite:///PATH, a file path, or "
            "postgresql://USER@HOST:PORT/DBNAME"
        ) from exc
    backend = parsed.get_backend_name()
    if backend in ("postgres", "postgresql"):
        return parsed.set(drivername="postgresql+psycopg"), False
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise StoreUnavailable(
                "an in-memory SQLite database would lose every record when the program ends; "
                "give a file: sqlite:///PATH"
            )
        return parsed, False
    raise StoreUnavailable(
        f"database URL {parsed.render_as_string(hide_password=True)!r} names {backend!r}; "
        "parolesim keeps records in SQLite or PostgreSQL"
    )


def split_read_only(url: sa.URL) -> tuple[sa.URL, bool]:
    """``url`` without SQLite's ``?mode=ro``, and whether it asked for read-only access.

    A SQLite file that exists but may not be written (file permissions) is read-only too.
    """
    if url.get_backend_name() != "sqlite":
        return url, False
    asked = url.query.get("mode") == "ro"
    if asked:
        url = url.difference_update_query(["mode"])
    path = Path(str(url.database))
    return url, asked or (path.is_file() and not os.access(path, os.W_OK))


def describe(url: sa.URL) -> str:
    """How to name the database in a message: the file path, or the URL without password."""
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that exists but is not a SQLite database, before SQLite opens it."""
    if not path.exists():
        return
    if path.is_dir():
        raise StoreUnavailable(f"the records database {path} is a folder, not a file")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreUnavailable(f"cannot read the records database {path}: {exc.strerror}") from exc
    if not head:
        raise StoreDamaged(
            damaged_message(
                str(path),
                "the file is empty (0 bytes): if it held records it was truncated, and "
                "parolesim will not start a new store in its place",
            )
        )
    if head != SQLITE_HEADER:
        raise StoreDamaged(damaged_message(str(path), "the file is not a SQLite database"))


def damaged_message(where: str, what: str) -> str:
    return (
        f"the records database {where} is damaged ({what}). It has been left exactly as it is. "
        "Restore it from a backup, or move it aside to start a new empty store; parolesim "
        "never replaces it for you. `parolesim db check` describes the damage."
    )


def make_engine(
    url: sa.URL,
    *,
    default_location: bool,
    busy_timeout: float,
    read_only: bool = False,
    pool_size: int = 5,
) -> Engine:
    """An Engine for ``url`` with our pragmas (SQLite) or connection settings (PostgreSQL).

    ``read_only`` opens a SQLite file so that nothing can be written to it, not even its
    journal mode (``parolesim db check``), and a PostgreSQL session in read-only mode.
    ``pool_size`` connections stay open (a records server keeps one per busy thread, since
    opening a PostgreSQL connection costs more than most requests).
    """
    if url.get_backend_name() == "sqlite" and read_only:
        path = Path(str(url.database))
        check_sqlite_file(path)
        target = f"{path.resolve().as_uri()}?mode=ro"

        def connect() -> sqlite3.Connection:
            return sqlite3.connect(target, uri=True, timeout=busy_timeout, check_same_thread=False)

        engine = sa.create_engine("sqlite://", creator=connect, poolclass=sa.pool.NullPool)

        @event.listens_for(engine, "connect")
        def _plain(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            conn.exec_driver_sql("BEGIN")

        return engine
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        if default_location:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise StoreUnavailable(
                f"cannot create the records database {path}: the folder {path.parent} "
                "does not exist"
            )
        check_sqlite_file(path)
        engine = sa.create_engine(
            url,
            connect_args={"timeout": busy_timeout, "check_same_thread": False},
            pool_size=pool_size,
            max_overflow=40,
            pool_timeout=120,
        )
        _install_sqlite_hooks(engine, busy_timeout)
        return engine
    given = url.query.get("options", "")
    options = " ".join(
        [
            *([given] if isinstance(given, str) and given else list(given or ())),
            f"-c lock_timeout={int(busy_timeout * 1000)}",
            f"-c statement_timeout={STATEMENT_MS}",
        ]
    )
    if read_only:
        options += " -c default_transaction_read_only=on"
    return sa.create_engine(
        url,
        connect_args={"connect_timeout": max(1, round(busy_timeout)), "options": options},
        pool_size=pool_size,
        max_overflow=40,
        pool_timeout=120,
        pool_pre_ping=True,
    )


def _install_sqlite_hooks(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below) so that writers take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # IMMEDIATE takes the write lock at BEGIN (waiting up to busy_timeout), so a writer
        # never fails half-way with SQLITE_BUSY after it has read.
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def translated_errors(where: str, busy_timeout: float) -> Iterator[None]:
    """Turn driver errors into :class:`StoreError` messages that name the database."""
    try:
        yield
    except StoreError:
        raise
    except (sa.exc.DBAPIError, sqlite3.Error) as exc:
        raise translate(exc, where, busy_timeout) from exc
    except Exception as exc:
        if type(exc).__module__.startswith("psycopg"):
            raise translate(exc, where, busy_timeout) from exc
        raise


def translate(exc: BaseException, where: str, busy_timeout: float) -> BaseException:
    """The :class:`StoreError` for a database failure, or ``exc`` itself if it is a bug."""
    original = exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(original)
    message = str(text)
    lowered = message.lower()
    if isinstance(original, sqlite3.Error):
        if "locked" in lowered or "busy" in lowered:
            return StoreLocked(
                f"the records database {where} is locked by another program (waited "
                f"{busy_timeout:g} s). Close other parolesim windows or tools using it, "
                "then try again."
            )
        if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
            return StoreDamaged(damaged_message(where, message))
        if "readonly" in lowered or "read-only" in lowered:
            return StoreUnavailable(
                f"the records database {where} is read-only here; ask for write access "
                "to the file and its folder"
            )
        if "unable to open" in lowered or "disk i/o" in lowered or "full" in lowered:
            return StoreUnavailable(f"cannot use the records database {where}: {message}")
        if isinstance(original, sqlite3.IntegrityError | sqlite3.ProgrammingError):
            return exc
        return StoreUnavailable(f"the records database {where} failed: {message}")
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate == "42501":
        return StoreUnavailable(
            f"the database role used for {where} may not do this ({message}). A records "
            "server's role only reads and adds records: create or upgrade the schema with "
            "`parolesim db upgrade` as the database owner"
        )
    if sqlstate == "57014":
        return StoreLocked(
            f"the records database {where} took too long to answer and the request was "
            "cancelled; try again, and tell your administrator if it keeps happening"
        )
    if sqlstate in ("55P03", "40P01"):
        return StoreLocked(
            f"the records database {where} is locked by another session ({message}); "
            "try again in a moment"
        )
    if (
        isinstance(exc, sa.exc.OperationalError)
        or sqlstate is None
        or sqlstate[:2]
        in (
            "08",
            "28",
            "3D",
            "57",
            "53",
        )
    ):
        return StoreUnavailable(f"cannot use the PostgreSQL records database {where}: {message}")
    return exc
