"""Event appends from many threads (a records server's requests) share commits on SQLite:
those that arrive while a commit is under way are written together in the next transaction,
each caller hears only once its own event is committed, and a refused append in a batch
leaves the others stored. On both backends, one attempt's events stay in order, once each."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from simulator.store import AccessDenied, InvalidRecord, Store
from simulator.store.schema import audit_log
from tests.store.conftest import Cast, make_cast
from tests.store.helpers import minimal_ref


def _event(seq: int) -> dict[str, Any]:
    return {"seq": seq, "type": "said", "t": float(seq), "node": "start", "text": f"line {seq}"}


@contextmanager
def _writes_held(store: Store) -> Iterator[None]:
    """Another program holds the SQLite write lock until the block ends."""
    other = sqlite3.connect(str(store.path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def _until(condition: Callable[[], bool]) -> None:
    for _ in range(2000):
        if condition():
            return
        time.sleep(0.005)
    raise AssertionError("the appends never queued up")


def test_appends_waiting_on_a_commit_share_the_next_one(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "records.sqlite3")) as store:
        _share_the_next_commit(store, make_cast(store))


def _share_the_next_commit(store: Store, cast: Cast) -> None:
    ids = [store.attempts.start(cast.alice, cast.alice, minimal_ref(), seed=i).id for i in range(5)]
    commits: list[int] = []
    sa.event.listen(store._db.engine, "commit", lambda _conn: commits.append(1))
    results: dict[str, Any] = {}

    def append(name: str, actor: Any, attempt_id: int, seq: int) -> None:
        try:
            results[name] = store.attempts.append(actor, attempt_id, _event(seq))
        except Exception as exc:  # the test reads what each caller was told
            results[name] = exc

    calls = {
        "first": (cast.alice, ids[0], 0),
        "second": (cast.alice, ids[1], 0),
        "again": (cast.alice, ids[1], 0),  # a client resending: stored once
        "gap": (cast.alice, ids[2], 3),  # refused; the rest of its batch is stored
        "other": (cast.bob, ids[3], 0),  # bob may not record alice's attempts: audited
        "last": (cast.alice, ids[4], 0),
    }
    threads = {
        name: threading.Thread(target=append, args=(name, *args)) for name, args in calls.items()
    }
    group = store.attempts._appends
    with _writes_held(store):
        threads["first"].start()
        _until(lambda: group._busy)
        for name, thread in threads.items():
            if name != "first":
                thread.start()
        _until(lambda: group._waiting is not None and len(group._waiting.work) == 5)
        assert results == {}  # nobody is told anything before their commit
    for thread in threads.values():
        thread.join(timeout=60)

    assert len(commits) == 2  # the first append's commit, then the other five together
    assert results["first"] == results["second"] == results["again"] == results["last"] == 1
    assert isinstance(results["gap"], InvalidRecord) and "expected event 0" in str(results["gap"])
    assert isinstance(results["other"], AccessDenied)
    seqs = {i: [e["seq"] for e in store.attempts.log(cast.admin, i)["events"]] for i in ids}
    assert seqs == {ids[0]: [0], ids[1]: [0], ids[2]: [], ids[3]: [], ids[4]: [0]}
    with store._db.read() as conn:
        refused = conn.execute(
            sa.select(audit_log.c.actor_name, audit_log.c.target_id).where(~audit_log.c.allowed)
        ).all()
    assert refused == [("bob", str(ids[3]))]


def test_a_batch_keeps_one_attempts_events_in_order(store: Store, cast: Cast) -> None:
    attempt = store.attempts.start(cast.alice, cast.alice, minimal_ref(), seed=1).id
    told: list[int] = []
    lock = threading.Lock()

    def workstation(first: int) -> None:  # each sends its share in order, resending once
        for seq in range(first, 40, 4):
            while True:
                try:
                    expected = store.attempts.append(cast.alice, attempt, _event(seq))
                except InvalidRecord:
                    time.sleep(0.001)  # its turn has not come: an earlier event is missing
                    continue
                with lock:
                    told.append(expected)
                break

    threads = [threading.Thread(target=workstation, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    events = store.attempts.log(cast.admin, attempt)["events"]
    assert [e["seq"] for e in events] == list(range(40))
    assert [e["text"] for e in events] == [f"line {n}" for n in range(40)]
    assert sorted(told) == list(range(1, 41))
