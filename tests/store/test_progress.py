"""Progress: attempts per scenario, best and latest score, pass rate, weekly competency trend."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from simulator.store import ScenarioRef, Store
from simulator.store.schema import attempts
from tests.store.conftest import Cast
from tests.store.helpers import finished_attempt, report, seed_report, start_minimal


def backdate(store: Store, attempt_id: int, day: int) -> None:
    """Move an attempt to March ``day``, 2026 (March 2 is a Monday), as if played then."""
    when = datetime(2026, 3, day, 14, 30, tzinfo=UTC)
    with store._db.write() as conn:
        conn.execute(
            sa.update(attempts)
            .where(attempts.c.id == attempt_id)
            .values(started_at=when, ended_at=when + timedelta(minutes=12))
        )


def test_progress_counts_scores_and_pass_rate_per_scenario(store: Store, cast: Cast) -> None:
    first = finished_attempt(store, cast.alice, "alice", 55, False)
    second = finished_attempt(store, cast.alice, "alice", 88, True)
    third = finished_attempt(store, cast.alice, "alice", 71, True)
    for attempt, day in ((first, 2), (second, 9), (third, 16)):
        backdate(store, attempt.id, day)
    link, _ = start_minimal(store, cast.alice, "alice")  # one still in progress
    other = store.attempts.start(
        cast.alice, "alice", ScenarioRef("dv-02", "1.0.0", "b" * 64, "Curfew talk"), seed=1
    )
    store.attempts.abandon(cast.alice, other.id)
    finished_attempt(store, cast.bob, "bob", 99, True)  # someone else's: not counted

    progress = store.progress(cast.alice, "alice")
    assert (progress.attempts, progress.completed, progress.in_progress, progress.abandoned) == (
        5,
        3,
        1,
        1,
    )
    assert (progress.scored, progress.passed) == (3, 2)
    by_id = {s.scenario_id: s for s in progress.scenarios}
    minimal = by_id["fixture-minimal"]
    assert (minimal.attempts, minimal.best, minimal.latest) == (4, 88.0, 71.0)
    assert minimal.pass_rate == 2 / 3
    assert by_id["dv-02"].attempts == 1 and by_id["dv-02"].best is None
    assert link.attempt.id not in (first.id, second.id, third.id)


def test_competency_trend_is_the_weekly_mean_of_the_latest_reports(
    store: Store, cast: Cast
) -> None:
    plan = [(2, 40.0), (4, 50.0), (11, 70.0), (17, 85.0)]
    for day, safety_score in plan:
        attempt = finished_attempt(
            store,
            cast.alice,
            "alice",
            safety_score,
            safety_score >= 70,
            officer_safety=safety_score,
            interviewing=60.0,
        )
        backdate(store, attempt.id, day)
    rescored = finished_attempt(store, cast.alice, "alice", 10, False, officer_safety=10.0)
    seed_report(store, rescored.id, report(90, True, officer_safety=90.0))
    backdate(store, rescored.id, 19)

    trend = {c.id: c for c in store.progress(cast.alice, "alice").competencies}
    safety = trend["officer_safety"]
    weeks = [p.mean for p in safety.points]
    assert weeks == [45.0, 70.0, 87.5]  # weeks of March 2, 9 and 16
    # the last week holds 85 and the re-scored 90 (not that attempt's first report of 10)
    assert safety.change == 42.5
    assert sum(p.count for p in safety.points) == 5
    assert [p.week for p in safety.points] == [date(2026, 3, d) for d in (2, 9, 16)]
    assert trend["interviewing"].change == 0.0


def test_progress_as_json_carries_every_figure(store: Store, cast: Cast) -> None:
    finished_attempt(store, cast.alice, "alice", 64, False, officer_safety=64.0)
    data = store.progress(cast.ines, "alice").to_dict()
    assert data["trainee"]["username"] == "alice" and data["pass_rate"] == 0.0
    assert data["scenarios"][0]["latest"] == 64.0
    assert data["competencies"][0]["trend"][0]["mean"] == 64.0
