"""Attempts: every engine event committed as it happens, logs that replay exactly,
finishing with a score, resuming, branching, and events that can never be rewritten."""

from __future__ import annotations

import inspect

import pytest
import sqlalchemy as sa

from engine.compile import compile_scenario
from engine.loader import load_scenario
from engine.session import replay
from scoring.scorer import score_session
from simulator.attempt_link import AttemptLink, load_pack, pack_ref, scenario_ref
from simulator.store import InvalidRecord, NotFound, Store
from simulator.store import attempts as rows
from simulator.store.recording import Attempts
from tests.store.conftest import Cast
from tests.store.helpers import MINIMAL, PACK, play_to_end, start_minimal


def test_each_event_is_in_the_store_as_soon_as_the_engine_emits_it(
    store: Store, cast: Cast
) -> None:
    link, session = start_minimal(store, cast.alice, "alice")
    stored = store.attempts.log(cast.alice, link.attempt.id)["events"]
    assert stored == [e.to_dict() for e in session.events]
    session.note("smelled smoke in the hallway")
    session.choose(session.available_choices()[0].id)
    stored = store.attempts.log(cast.alice, link.attempt.id)["events"]
    assert stored == [e.to_dict() for e in session.events]
    assert [e["type"] for e in stored][-1] != "ended" or session.ended


def test_the_stored_log_is_the_engines_log_and_replays_exactly(store: Store, cast: Cast) -> None:
    link, session = start_minimal(store, cast.alice, "alice", seed=11)
    play_to_end(session)
    attempt = link.close(session)
    assert session.ending is not None
    assert attempt.status == "completed" and attempt.outcome == session.ending.outcome.value
    log = store.attempts.log(cast.alice, attempt.id)
    assert log.pop("policy") == link.pack.identity()  # type: ignore[union-attr]
    assert log == session.to_log()
    again = replay(compile_scenario(load_scenario(MINIMAL)), log)
    assert again.transcript == session.transcript and again.decisions == session.decisions


def test_resume_replays_to_where_it_stopped_and_records_only_new_events(
    store: Store, cast: Cast
) -> None:
    link, session = start_minimal(store, cast.alice, "alice")
    node_before, events_before = session.node_id, len(session.events)
    assert store.attempts.unfinished(cast.alice, "alice")[0].id == link.attempt.id
    resumed_link, resumed = AttemptLink.resume(store, cast.alice, link.attempt.id)
    assert resumed.node_id == node_before and len(resumed.events) == events_before
    assert resumed.transcript == session.transcript
    play_to_end(resumed)
    finished = resumed_link.close(resumed)
    log = store.attempts.log(cast.alice, finished.id)
    assert [e["seq"] for e in log["events"]] == list(range(len(resumed.events)))
    assert log["events"] == [e.to_dict() for e in resumed.events]
    assert store.attempts.unfinished(cast.alice, "alice") == []


def test_finishing_stores_the_ending_and_the_score_the_store_derives(
    store: Store, cast: Cast
) -> None:
    link, session = start_minimal(store, cast.alice, "alice")
    play_to_end(session)
    done = store.attempts.finish(cast.alice, link.attempt.id)
    expected = score_session(session.to_log(), load_scenario(MINIMAL), link.pack).to_dict()
    assert link.pack is not None
    assert (done.status, done.overall, done.passed) == (
        "completed",
        expected["overall"],
        expected["passed"],
    )
    assert store.attempts.report(cast.alice, done.id) == expected
    assert store.attempts.log(cast.alice, done.id, with_score=True)["score"] == expected
    with pytest.raises(InvalidRecord, match="not in progress"):
        store.attempts.finish(cast.alice, done.id)


def test_no_store_api_accepts_a_score_report_from_its_caller() -> None:
    for api in (Attempts.finish, Attempts.rescore):
        assert "report" not in inspect.signature(api).parameters
    assert not hasattr(Attempts, "save_score")


def test_a_trainee_cannot_raise_their_score_by_rescoring(store: Store, cast: Cast) -> None:
    link, session = start_minimal(store, cast.alice, "alice")
    play_to_end(session)
    done = store.attempts.finish(cast.alice, link.attempt.id)
    again = store.attempts.rescore(cast.alice, done.id)
    assert (again.overall, again.passed) == (done.overall, done.passed)
    with store._db.read() as conn:
        count = conn.exec_driver_sql("SELECT count(*) FROM score_reports").scalar()
    assert count == 1


def test_made_up_events_are_refused_when_the_attempt_is_finished(store: Store, cast: Cast) -> None:
    link, _ = start_minimal(store, cast.alice, "alice")
    link.recorder.append(
        {"seq": link.recorder.next_seq, "type": "ended", "t": 1.0, "node": "forged"}
    )
    with pytest.raises(InvalidRecord, match="do not replay"):
        store.attempts.finish(cast.alice, link.attempt.id)
    assert store.attempts.get(cast.alice, link.attempt.id).status == "in_progress"


def test_an_attempt_without_an_ending_cannot_be_completed(store: Store, cast: Cast) -> None:
    link, _ = start_minimal(store, cast.alice, "alice")
    with pytest.raises(InvalidRecord, match="has not reached an ending"):
        store.attempts.finish(cast.alice, link.attempt.id)
    abandoned = store.attempts.abandon(cast.alice, link.attempt.id)
    assert abandoned.status == "abandoned" and abandoned.ended_at is not None


def test_events_are_refused_after_the_attempt_is_closed(store: Store, cast: Cast) -> None:
    link, session = start_minimal(store, cast.alice, "alice")
    store.attempts.abandon(cast.alice, link.attempt.id)
    with pytest.raises(InvalidRecord, match="abandoned; events can only be added"):
        session.choose(session.available_choices()[0].id)
    with pytest.raises(InvalidRecord, match="not in progress"):
        store.attempts.recorder(cast.alice, link.attempt.id)


def test_a_gap_or_a_duplicate_in_the_sequence_is_refused(store: Store, cast: Cast) -> None:
    link, session = start_minimal(store, cast.alice, "alice")
    recorder = store.attempts.recorder(cast.alice, link.attempt.id)
    n = len(session.events)
    with pytest.raises(InvalidRecord, match=f"expected event {n} next but got {n + 1}"):
        recorder({"seq": n + 1, "type": "note", "t": 1.0, "node": None, "text": "late"})
    recorder({"seq": 0, "type": "started", "t": 0.0, "node": None})  # already stored: skipped
    with pytest.raises(InvalidRecord, match="already recorded"), store._db.write() as conn:
        rows.append_event(conn, link.attempt.id, {"seq": 0, "type": "x", "t": 0, "node": None})


def test_malformed_events_are_refused_with_what_was_expected(store: Store, cast: Cast) -> None:
    link, session = start_minimal(store, cast.alice, "alice")
    recorder = store.attempts.recorder(cast.alice, link.attempt.id)
    n = len(session.events)
    with pytest.raises(InvalidRecord, match="time t must be a finite number"):
        recorder({"seq": n, "type": "note", "t": float("nan"), "node": None})
    with pytest.raises(InvalidRecord, match="has no type"):
        recorder({"seq": n, "type": "", "t": 1.0, "node": None})


def test_stored_events_cannot_be_changed_or_deleted_even_with_raw_sql(
    store: Store, cast: Cast
) -> None:
    link, _ = start_minimal(store, cast.alice, "alice")
    for statement in (
        "UPDATE events SET type = 'forged' WHERE seq = 0",
        "DELETE FROM events",
        "UPDATE audit_log SET allowed = true",
        "DELETE FROM audit_log",
    ):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store._db.write() as conn:
            conn.exec_driver_sql(statement)
    assert store.attempts.log(cast.alice, link.attempt.id)["events"][0]["type"] == "started"


def test_try_again_from_a_decision_branches_a_new_attempt(store: Store, cast: Cast) -> None:
    link, session = start_minimal(store, cast.alice, "alice")
    play_to_end(session)
    parent = link.close(session)
    first_choice = next(e.seq for e in session.events if e.type == "chose")
    child = store.attempts.branch(cast.alice, parent.id, first_choice)
    assert (child.parent_attempt_id, child.branch_seq, child.status) == (
        parent.id,
        first_choice,
        "in_progress",
    )
    child_link, resumed = AttemptLink.resume(store, cast.alice, child.id)
    assert resumed.node_id == session.decisions[0].node
    other = [c.id for c in resumed.available_choices()][-1]
    resumed.choose(other)
    play_to_end(resumed)
    done = child_link.close(resumed)
    log = store.attempts.log(cast.alice, done.id)
    assert log["events"][first_choice]["choice"] == other
    with pytest.raises(InvalidRecord, match="no event 999"):
        store.attempts.branch(cast.alice, parent.id, 999)


def test_attempt_records_keep_scenario_pack_seed_and_mode(store: Store, cast: Cast) -> None:
    ref = load_scenario(MINIMAL)
    attempt = store.attempts.start(
        cast.ines, "alice", scenario_ref(ref), seed=2**62, mode="classroom", pack=PACK
    )
    got = store.attempts.get(cast.alice, attempt.id)
    assert (got.seed, got.mode, got.pack, got.scenario.hash) == (2**62, "classroom", PACK, ref.hash)
    assert got.trainee == "alice" and len(got.uuid) == 36
    with pytest.raises(InvalidRecord, match="mode 'exam'"):
        store.attempts.start(cast.alice, "alice", got.scenario, seed=1, mode="exam")
    with pytest.raises(InvalidRecord, match="64 bits"):
        store.attempts.start(cast.alice, "alice", got.scenario, seed=2**64)
    with pytest.raises(NotFound):
        store.attempts.get(cast.alice, 987654)


def test_an_attempt_left_with_no_events_by_a_crash_resumes_from_the_start(
    store: Store, cast: Cast
) -> None:
    sf = load_scenario(MINIMAL)
    pack = pack_ref(load_pack(sf))
    empty = store.attempts.start(cast.alice, "alice", scenario_ref(sf), seed=11, pack=pack)
    link, session = AttemptLink.resume(store, cast.alice, empty.id)
    play_to_end(session)
    done = link.close(session)
    assert done.status == "completed" and done.overall is not None
    assert store.attempts.unfinished(cast.alice, "alice") == []
    assert store.attempts.log(cast.alice, empty.id)["events"][0]["type"] == "started"
