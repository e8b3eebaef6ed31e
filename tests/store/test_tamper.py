"""Tamper evidence: signatures chained by hash and checked by the database, finished logs
hashed, scores re-derived by ``db check``, and ``db check`` changing nothing."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from simulator.store import InvalidRecord, Rating, Store, StoreDamaged
from tests.store.conftest import Cast
from tests.store.helpers import play_to_end, start_minimal

RATINGS = [Rating("officer_safety", 5), Rating("report_writing", "N.O.")]


def _signed_by_fto_and_trainee(store: Store, cast: Cast) -> int:
    draft = store.evaluations.create(cast.fred, "bob", RATINGS, summary="Day 3.")
    store.evaluations.sign(cast.fred, draft.id)
    store.evaluations.sign(cast.bob, draft.id)
    return draft.id


def test_the_database_refuses_a_supervisor_signature_by_the_trainee(
    store: Store, cast: Cast
) -> None:
    draft = store.evaluations.create(cast.fred, "bob", RATINGS)
    store.evaluations.sign(cast.fred, draft.id)
    forged = (
        "INSERT INTO evaluation_signatures (evaluation_id, step, person_id, signed_at, "
        "comment, chain_hash) VALUES (:e, :step, :p, '2026-12-01 10:00:00', '', :h)"
    )
    for step, person in (("supervisor", cast.bob.id), ("trainee", cast.alice.id)):
        with pytest.raises(sa.exc.DatabaseError, match="may not sign"), store._db.write() as conn:
            conn.execute(sa.text(forged), {"e": draft.id, "step": step, "p": person, "h": "0" * 64})
    assert store.evaluations.get(cast.fred, draft.id).status == "signed_by_fto"


def test_an_evaluation_cannot_cite_another_trainees_attempt(store: Store, cast: Cast) -> None:
    link, session = start_minimal(store, cast.alice, "alice")
    play_to_end(session)
    store.attempts.finish(cast.alice, link.attempt.id)
    with pytest.raises(InvalidRecord, match="attempt 1 is not bob's; an evaluation can only cite"):
        store.evaluations.create(cast.fred, "bob", RATINGS, attempt_id=link.attempt.id)
    row = (
        "INSERT INTO evaluations (trainee_id, fto_id, kind, observed_on, attempt_id, summary, "
        "created_at) VALUES (:t, :f, 'daily', '2026-12-01', :a, '', '2026-12-01 10:00:00')"
    )
    with pytest.raises(sa.exc.DatabaseError, match="own trainee"), store._db.write() as conn:
        conn.execute(sa.text(row), {"t": cast.bob.id, "f": cast.fred.id, "a": link.attempt.id})


def test_db_check_finds_signed_content_changed_behind_the_triggers(
    tmp_path: Path, cast_file: tuple[Store, Cast]
) -> None:
    store, cast = cast_file
    evaluation_id = _signed_by_fto_and_trainee(store, cast)
    assert Store.examine(str(store.path)).healthy
    store.close()
    with sqlite3.connect(tmp_path / "records.sqlite3") as raw:
        raw.execute("DROP TRIGGER evaluations_signed_no_update")
        raw.execute(
            "UPDATE evaluations SET summary = 'Excellent day.' WHERE id = ?", (evaluation_id,)
        )
    problems = Store.examine(str(tmp_path / "records.sqlite3")).problems
    assert any(
        f"evaluation {evaluation_id}: the fto signature does not match" in p for p in problems
    )
    assert any("the trainee signature does not match" in p for p in problems)


def test_db_check_finds_a_changed_log_and_a_score_that_differs_from_its_events(
    tmp_path: Path, cast_file: tuple[Store, Cast]
) -> None:
    store, cast = cast_file
    link, session = start_minimal(store, cast.alice, "alice")
    play_to_end(session)
    done = store.attempts.finish(cast.alice, link.attempt.id)
    examined = Store.examine(str(store.path))
    assert examined.healthy and examined.rescored == 1
    store.close()
    with sqlite3.connect(tmp_path / "records.sqlite3") as raw:
        raw.execute("UPDATE score_reports SET report = json_set(report, '$.overall', 100)")
    problems = Store.examine(str(tmp_path / "records.sqlite3"), rescore=None).problems
    assert [p for p in problems if "stored score (100)" in p] != []
    with sqlite3.connect(tmp_path / "records.sqlite3") as raw:
        raw.execute("DROP TRIGGER events_no_update")
        raw.execute("UPDATE events SET t = t + 1 WHERE attempt_id = ? AND seq = 0", (done.id,))
    problems = Store.examine(str(tmp_path / "records.sqlite3")).problems
    assert f"attempt {done.id}: its events changed after it was finished" in problems


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_db_check_changes_nothing_not_even_the_journal_mode(
    tmp_path: Path, cast_file: tuple[Store, Cast]
) -> None:
    store, _ = cast_file
    store.close()
    path = tmp_path / "records.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA journal_mode = DELETE")
    before = sorted(p.name for p in tmp_path.iterdir())
    digest = _digest(path)
    assert Store.examine(str(path)).healthy
    assert _digest(path) == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_truncated_store_is_refused_and_reported_never_recreated(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite3"
    path.write_bytes(b"")
    with pytest.raises(StoreDamaged, match="empty"):
        Store.open(str(path))
    examined = Store.examine(str(path))
    assert not examined.healthy and "empty (0 bytes)" in examined.problems[0]
    assert path.stat().st_size == 0
