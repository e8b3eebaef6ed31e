"""``Attempts.append``, the call a records server makes for every event a workstation sends.

Its usual case is quick (on PostgreSQL one self-committing statement that checks and
inserts); every other case must end exactly as the general checks end: the same refusal,
message and audit row, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

import pytest

from simulator.store import AccessDenied, InvalidRecord, NotFound, Store
from tests.store.conftest import Cast
from tests.store.helpers import start_minimal


def _note(seq: int, text: str = "note") -> dict[str, Any]:
    return {"seq": seq, "type": "note", "t": float(seq), "node": None, "text": text}


def _seqs(store: Store, cast: Cast, attempt_id: int) -> list[int]:
    return [e["seq"] for e in store.attempts.log(cast.admin, attempt_id)["events"]]


def test_the_trainee_appends_by_id_and_a_resent_event_is_skipped(store: Store, cast: Cast) -> None:
    link, _ = start_minimal(store, cast.alice, "alice")
    n = link.recorder.next_seq
    assert store.attempts.append(cast.alice.id, link.attempt.id, _note(n)) == n + 1
    assert store.attempts.append(cast.alice, link.attempt.id, _note(n + 1)) == n + 2
    # a lost answer makes the workstation send the same event again: stored once
    assert store.attempts.append(cast.alice.id, link.attempt.id, _note(n, "resent")) == n + 2
    log = store.attempts.log(cast.admin, link.attempt.id)["events"]
    assert [e["seq"] for e in log] == list(range(n + 2))
    assert log[n]["text"] == "note"


def test_a_gap_is_refused_and_nothing_is_stored(store: Store, cast: Cast) -> None:
    link, _ = start_minimal(store, cast.alice, "alice")
    n = link.recorder.next_seq
    with pytest.raises(InvalidRecord, match=f"expected event {n} next but got {n + 2}"):
        store.attempts.append(cast.alice.id, link.attempt.id, _note(n + 2))
    assert _seqs(store, cast, link.attempt.id) == list(range(n))


def test_the_assigned_fto_and_an_admin_may_append_for_the_trainee(store: Store, cast: Cast) -> None:
    link, _ = start_minimal(store, cast.fred, "bob")
    n = link.recorder.next_seq
    assert store.attempts.append(cast.fred.id, link.attempt.id, _note(n)) == n + 1
    assert store.attempts.append(cast.admin.id, link.attempt.id, _note(n + 1)) == n + 2
    assert _seqs(store, cast, link.attempt.id) == list(range(n + 2))


def test_someone_elses_attempt_is_refused_and_audited_even_with_a_bad_event(
    store: Store, cast: Cast
) -> None:
    link, _ = start_minimal(store, cast.bob, "bob")
    n = link.recorder.next_seq
    for actor, event in (
        (cast.alice, _note(n)),
        (cast.gail, _note(n)),
        (cast.alice, {"seq": n, "type": "", "t": 1.0, "node": None}),  # access comes first
    ):
        with pytest.raises(AccessDenied, match=f"{actor.username} \\({actor.role}\\) may not"):
            store.attempts.append(actor.id, link.attempt.id, event)
    denied = store.audit_log(cast.admin, denied_only=True)
    assert sorted(e.actor for e in denied) == ["alice", "alice", "gail"]
    assert {(e.target_type, e.target_id) for e in denied} == {("attempt", str(link.attempt.id))}
    assert _seqs(store, cast, link.attempt.id) == list(range(n))


def test_a_closed_attempt_a_disabled_account_and_unknown_ids_are_refused(
    store: Store, cast: Cast
) -> None:
    link, _ = start_minimal(store, cast.alice, "alice")
    n = link.recorder.next_seq
    with pytest.raises(InvalidRecord, match="expected event"):
        store.attempts.append(cast.alice.id, link.attempt.id, {"seq": "x", "type": "note"})
    with pytest.raises(NotFound, match="no attempt numbered 999999"):
        store.attempts.append(cast.alice.id, 999999, _note(0))
    with pytest.raises(NotFound, match="no person"):
        store.attempts.append(999999, link.attempt.id, _note(n))
    store.set_active(cast.admin, "alice", False)
    with pytest.raises(AccessDenied):
        store.attempts.append(cast.alice.id, link.attempt.id, _note(n))
    store.set_active(cast.admin, "alice", True)
    store.attempts.abandon(cast.alice, link.attempt.id)
    with pytest.raises(InvalidRecord, match="abandoned, not in progress"):
        store.attempts.append(cast.alice.id, link.attempt.id, _note(n))
    assert _seqs(store, cast, link.attempt.id) == list(range(n))
