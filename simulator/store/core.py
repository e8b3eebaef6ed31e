"""The open database behind every store API: transactions, access checks, denial audits.

Reads run in a plain transaction; writes take the write lock up front (SQLite ``BEGIN
IMMEDIATE``). Reads of another person's records are audited ("read_records"), after the
read succeeds. Each failed access check is written to the audit log in a transaction of
its own, so the record of the refusal survives the rollback of the refused work.

Before an open store first writes to a SQLite file (a process opens its store once), the
file is checked once: its header and ``PRAGMA quick_check``. A damaged store is refused in
the words ``db check`` uses, and nothing is written to it. Opening and reading (the app's
first frame) do not pay for the check.

A database opened read-only (a SQLite file with ``?mode=ro``, a PostgreSQL role that may
only read) serves reads and refuses writes; its reads and refusals are not audited, since
nothing can be written to it: auditing happens on the writable store.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from simulator.store import access, audit
from simulator.store.access import Action
from simulator.store.accounts import Person, find_person
from simulator.store.db import (
    WRITE_OPTION,
    check_sqlite_file,
    damaged_message,
    translated_errors,
)
from simulator.store.errors import AccessDenied, StoreDamaged, StoreUnavailable

PersonRef = Person | str | int
# Reads of another person's records seen in the current read transaction, audited after it.
_reads: ContextVar[dict[tuple[int, str, str, str], Person] | None] = ContextVar(
    "parolesim_reads", default=None
)


class Denied(AccessDenied):
    """An access refusal still to be audited (the store turns it into AccessDenied)."""

    def __init__(
        self, message: str, actor: Person | None, action: str, target: tuple[str, str]
    ) -> None:
        super().__init__(message)
        self.actor, self.action, self.target = actor, action, target

    def record(self, conn: sa.Connection) -> None:
        """Write the refusal to the audit log (the caller commits)."""
        audit.record(
            conn,
            self.actor,
            self.action,
            target_type=self.target[0],
            target_id=self.target[1],
            allowed=False,
        )


def read_only_refusal(where: str) -> str:
    return (
        f"the records database {where} is open read-only: records can be read here but "
        "nothing can be recorded or changed; do this on the writable store"
    )


def read_only_notice(where: str) -> str:
    return (
        f"note: the records database {where} is open read-only; reads here are not "
        "audited (auditing happens on the writable store)"
    )


class Database:
    def __init__(
        self,
        engine: Engine,
        url: sa.URL,
        where: str,
        busy_timeout: float,
        *,
        local_paths: bool = True,
        read_only: bool = False,
    ) -> None:
        self.engine = engine
        self.read_only = read_only  # reads only; nothing is written, so nothing is audited
        self._sound = engine.dialect.name != "sqlite"  # checked before the first write?
        self._sound_lock = threading.Lock()
        self.local_paths = local_paths  # may scoring open scenario paths recorded here?
        self.url = url
        self.where = where
        self.busy_timeout = busy_timeout
        self._writer = engine.execution_options(**{WRITE_OPTION: True})
        self._autocommitting = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._write_lock: AbstractContextManager[Any] = (
            threading.RLock() if engine.dialect.name == "sqlite" else nullcontext()
        )

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A read transaction; reads of other people's records made in it are audited
        after it succeeds, in a write of their own."""
        reads: dict[tuple[int, str, str, str], Person] = {}
        token = _reads.set(reads)
        try:
            with self._guard(), self.engine.connect() as conn:
                yield conn
        finally:
            _reads.reset(token)
        if reads and not self.read_only:
            with self._guard(), self._write_lock, self._begin_write() as conn:
                for (_actor, action, kind, ident), actor in reads.items():
                    audit.record(conn, actor, action, target_type=kind, target_id=ident)

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        if self.read_only:
            raise StoreUnavailable(read_only_refusal(self.where))
        # SQLite runs one writer at a time anyway; queueing this process's threads on a
        # lock is fair, where SQLite's busy handler can starve a thread past its timeout.
        with self._write_lock, self._guard(), self._begin_write() as conn:
            yield conn

    @contextmanager
    def autocommit(self) -> Iterator[sa.Connection]:
        """A PostgreSQL connection on which each statement is its own transaction, committed
        (durably: ``synchronous_commit`` stays on) before ``execute`` returns; for a write
        that is one statement, it saves the round trips of ``BEGIN`` and ``COMMIT``."""
        if self.read_only:
            raise StoreUnavailable(read_only_refusal(self.where))
        with self._guard(), self._autocommitting.connect() as conn:
            yield conn

    @contextmanager
    def _begin_write(self) -> Iterator[sa.Connection]:
        self._check_before_first_write()
        with self._writer.begin() as conn:
            yield conn

    def _check_before_first_write(self) -> None:
        """Refuse a damaged SQLite file before this process first writes to it."""
        if self._sound:
            return
        with self._sound_lock:
            if self._sound:
                return
            check_sqlite_file(Path(self.where))
            with self.engine.connect() as conn:
                found = [str(row[0]) for row in conn.exec_driver_sql("PRAGMA quick_check")]
            problems = [problem for problem in found if problem != "ok"]
            if problems:
                shown = "; ".join(problems[:3]) + ("; ..." if len(problems) > 3 else "")
                raise StoreDamaged(damaged_message(self.where, shown))
            self._sound = True

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            with translated_errors(self.where, self.busy_timeout):
                yield
        except Denied as denial:
            if self.read_only:
                raise AccessDenied(str(denial)) from None
            with translated_errors(self.where, self.busy_timeout), self._begin_write() as conn:
                denial.record(conn)
            raise AccessDenied(str(denial)) from None

    def require(
        self,
        conn: sa.Connection,
        actor: Person,
        action: Action,
        subject: Person | None,
        *,
        target: tuple[str, Any] | None = None,
        what: str = "",
    ) -> None:
        """Raise (and audit) unless ``actor`` may do ``action`` to ``subject``'s records."""
        kind, ident = target or (("person", subject.username) if subject else ("store", ""))
        if access.permits(conn, actor, action, subject.id if subject else None):
            if action is Action.VIEW_RECORDS and subject is not None and subject.id != actor.id:
                key = (actor.id, "read_records", kind, str(ident)[:64])
                pending = _reads.get()
                if pending is None:
                    audit.record(conn, actor, key[1], target_type=kind, target_id=key[3])
                else:
                    pending[key] = actor
            return
        whose = f" of {subject.username}" if subject and subject.id != actor.id else ""
        message = (
            f"{actor.username} ({actor.role}) may not {what or action.value.replace('_', ' ')}"
            f"{whose}"
        )
        raise Denied(message, actor, action.value, (kind, str(ident)))

    def require_cohort(
        self, conn: sa.Connection, actor: Person, action: Action, cohort_id: int, *, what: str
    ) -> None:
        """Raise (and audit) unless ``actor`` may do ``action`` to cohort ``cohort_id``."""
        if access.permits_cohort(conn, actor, action, cohort_id):
            return
        raise Denied(
            f"{actor.username} ({actor.role}) may not {what}",
            actor,
            action.value,
            ("cohort", str(cohort_id)),
        )

    def person(self, conn: sa.Connection, ref: PersonRef) -> Person:
        return find_person(conn, ref.id if isinstance(ref, Person) else ref)

    def actor(self, conn: sa.Connection, actor: Person | int) -> Person:
        """The actor (a person or a person id) as the database knows them now (role or
        active may have changed)."""
        return find_person(conn, actor if isinstance(actor, int) else actor.id)

    def dispose(self) -> None:
        self.engine.dispose()
