"""Group commit: small writes that arrive while a commit is under way share the next one.

A records server appends one event per request. Committed one by one, every append waits
for its own fsync (``synchronous=FULL``), and a classroom whose 30 workstations send an
event in the same instant queues 30 fsyncs. :class:`GroupCommit` runs the first write at
once; writes submitted meanwhile gather into the next batch, which the first of them
commits in one transaction as soon as the running commit ends. Each caller returns only
after the commit that holds its write, so durability is unchanged, and a batch runs its
writes in the order they were submitted.

Each write runs in a savepoint of its own: one refused write (a gap in an attempt's
events, an access refusal, which is audited in the same commit) leaves the others in its
batch untouched. A failure of the transaction itself (a locked or damaged database) is
raised to every caller of the batch, none of whose writes was stored.

No library does this for SQLAlchemy; it is a few lines around a lock and two events.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from simulator.store.core import Database, Denied
from simulator.store.errors import AccessDenied, StoreError

T = TypeVar("T")
_UNSET = object()


class _Batch:
    def __init__(self) -> None:
        self.work: list[Callable[[sa.Connection], Any]] = []
        self.results: list[Any] = []
        self.turn = threading.Event()  # set when this batch may commit
        self.done = threading.Event()  # set once its commit has ended (or failed)


class GroupCommit(Generic[T]):
    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._busy = False  # a batch is being committed
        self._waiting: _Batch | None = None  # gathering while the busy one commits

    def submit(self, work: Callable[[sa.Connection], T]) -> T:
        """Run ``work`` in the next shared write transaction; return once it is committed."""
        with self._lock:
            batch = self._waiting if self._busy else None
            if batch is None and self._busy:
                batch = self._waiting = _Batch()
            leads = not self._busy
            if leads:
                batch = _Batch()
                self._busy = True
                batch.turn.set()
            assert batch is not None
            index = len(batch.work)
            batch.work.append(work)
            batch.results.append(_UNSET)
        if index == 0:
            batch.turn.wait()
            with self._lock:
                if self._waiting is batch:
                    self._waiting = None  # closed: later writes gather in a new batch
            try:
                self._commit(batch)
            finally:
                batch.done.set()
                with self._lock:
                    following = self._waiting
                    self._waiting = None
                    if following is None:
                        self._busy = False
                    else:
                        following.turn.set()
        else:
            batch.done.wait()
        result = batch.results[index]
        if isinstance(result, BaseException):
            raise result
        outcome: T = result
        return outcome

    def _commit(self, batch: _Batch) -> None:
        try:
            with self._db.write() as conn:
                for i, work in enumerate(batch.work):
                    batch.results[i] = self._one(conn, work)
        except BaseException as exc:  # nothing of this batch was stored: each caller hears
            batch.results = [exc] * len(batch.work)
            if not isinstance(exc, Exception):
                raise

    @staticmethod
    def _one(conn: sa.Connection, work: Callable[[sa.Connection], Any]) -> Any:
        try:
            with conn.begin_nested():
                return work(conn)
        except Denied as denial:
            denial.record(conn)
            return AccessDenied(str(denial))
        except StoreError as refused:
            return refused
