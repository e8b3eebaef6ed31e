"""Word that a class session changed, for whoever shows it live (the projector's event
stream, a workstation waiting for the next vote).

Every change to a class session is announced twice: to the listeners in this process (the
embedded SQLite store, or the server process that made the change) as soon as it commits,
and on PostgreSQL with ``NOTIFY parolesim_class`` in the same transaction, so every server
process sharing the database hears it too (:class:`PostgresListener` relays it to its own
process's listeners). The payload is ``schema:session id``: several parolesim schemas in
one database do not wake each other's listeners.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import sqlalchemy as sa

CHANNEL = "parolesim_class"
log = logging.getLogger(__name__)

Listener = Callable[[int], None]


class ClassBus:
    """In-process announcements of class-session changes, by session id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[int, set[Listener]] = {}

    def subscribe(self, session_id: int, listener: Listener) -> Callable[[], None]:
        """Call ``listener(session_id)`` after each change; returns the unsubscribe."""
        with self._lock:
            self._listeners.setdefault(session_id, set()).add(listener)

        def unsubscribe() -> None:
            with self._lock:
                found = self._listeners.get(session_id)
                if found is not None:
                    found.discard(listener)
                    if not found:
                        del self._listeners[session_id]

        return unsubscribe

    def publish(self, session_id: int) -> None:
        with self._lock:
            listeners = list(self._listeners.get(session_id, ()))
        for listener in listeners:
            try:
                listener(session_id)
            except Exception:  # one broken listener never stops the others
                log.exception("a class session listener failed")


def announce(conn: sa.Connection, session_id: int) -> None:
    """Tell other server processes (PostgreSQL) at commit that ``session_id`` changed."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            sa.text("SELECT pg_notify(:channel, current_schema() || ':' || :session)"),
            {"channel": CHANNEL, "session": str(session_id)},
        )


class PostgresListener:
    """A thread that LISTENs on a connection of its own and relays each announcement for this
    database schema to ``bus``; it reconnects after a lost connection."""

    def __init__(self, engine: sa.Engine, bus: ClassBus) -> None:
        self._engine, self._bus = engine, bus
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="class-listener", daemon=True)
        self.ready = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _connect(self) -> tuple[object, str]:
        import psycopg

        cargs, cparams = self._engine.dialect.create_connect_args(self._engine.url)
        conn = psycopg.connect(*cargs, **cparams, autocommit=True)
        schema = str(conn.execute("SELECT current_schema()").fetchone()[0])  # type: ignore[index]
        conn.execute(f"LISTEN {CHANNEL}")
        return conn, schema

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, schema = self._connect()
            except Exception as exc:
                log.warning("cannot LISTEN for class sessions (%s); retrying", exc)
                self._stop.wait(1.0)
                continue
            self.ready.set()
            try:
                while not self._stop.is_set():
                    for note in conn.notifies(timeout=0.5):  # type: ignore[attr-defined]
                        where, _, ident = str(note.payload).rpartition(":")
                        if where == schema and ident.isdigit():
                            self._bus.publish(int(ident))
            except Exception as exc:
                log.warning("lost the class session listener (%s); reconnecting", exc)
            finally:
                try:
                    conn.close()  # type: ignore[attr-defined]
                except Exception:
                    log.debug("closing the listener connection failed", exc_info=True)
