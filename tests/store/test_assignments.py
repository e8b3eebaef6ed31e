"""Assignments: an instructor assigns a scenario with a due date to a cohort they teach; the
cohort's list says who has done it, each trainee's list says done or not; nobody else may
assign, and every refusal is audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from simulator.store import AccessDenied, NotFound, Store
from tests.store.conftest import Cast
from tests.store.helpers import play_to_end, start_minimal

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"
DUE = date(2026, 12, 18)


@pytest.fixture(autouse=True)
def _fixture_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAROLESIM_SCENARIOS", str(FIXTURES))


def _complete(store: Store, cast: Cast, who: str, mode: str = "practice") -> int:
    link, session = start_minimal(store, cast.admin, who)
    if mode != "practice":  # a class session attempt is the instructor's, in classroom mode
        store.attempts.abandon(cast.admin, link.attempt.id)
        return link.attempt.id
    play_to_end(session)
    return store.attempts.finish(cast.admin, link.attempt.id).id


def test_an_assigned_scenario_shows_pending_then_done_for_the_cohort_and_the_trainee(
    store: Store, cast: Cast
) -> None:
    made = store.assignments.assign(
        cast.ines, "Class 26-1", "fixture-minimal", DUE, note="before Friday's debrief"
    )
    assert (made.cohort, made.scenario_id, made.scenario_title) == (
        "Class 26-1",
        "fixture-minimal",
        "Minimal fixture",
    )
    assert (made.due_on, made.assigned_by, made.done, made.pending) == (
        DUE,
        "ines",
        (),
        ("alice",),
    )
    [mine] = store.assignments.for_trainee(cast.alice, cast.alice)
    assert (mine.done, mine.attempt_id, mine.assignment.id) == (False, None, made.id)

    attempt_id = _complete(store, cast, "alice")

    [listed] = store.assignments.for_cohort(cast.ines, "Class 26-1")
    assert (listed.done, listed.pending) == (("alice",), ())
    [mine] = store.assignments.for_trainee(cast.alice, "alice")
    assert (mine.done, mine.attempt_id) == (True, attempt_id)
    assert mine.completed_at is not None and not mine.overdue(date(2027, 1, 1))


def test_assigning_again_changes_the_due_date_instead_of_adding_a_second(
    store: Store, cast: Cast
) -> None:
    first = store.assignments.assign(cast.ines, "Class 26-1", "fixture-minimal", DUE)
    again = store.assignments.assign(
        cast.admin, "Class 26-1", "fixture-minimal", date(2027, 1, 8), note="moved"
    )
    assert again.id == first.id
    [listed] = store.assignments.for_cohort(cast.ines, "Class 26-1")
    assert (listed.due_on, listed.note, listed.assigned_by) == (date(2027, 1, 8), "moved", "rae")


def test_only_the_cohorts_instructors_and_admins_assign_and_each_refusal_is_audited(
    store: Store, cast: Cast
) -> None:
    for who in (cast.gail, cast.alice, cast.fred, cast.bob):
        with pytest.raises(AccessDenied, match=f"{who.username} \\({who.role}\\) may not"):
            store.assignments.assign(who, "Class 26-1", "fixture-minimal", DUE)
        with pytest.raises(AccessDenied):
            store.assignments.for_cohort(who, "Class 26-1")
        assert store.audit_log(cast.admin, limit=1, denied_only=True)[0].actor == who.username
    with pytest.raises(AccessDenied):
        store.assignments.for_trainee(cast.bob, "alice")
    assert store.assignments.for_cohort(cast.ines, "Class 26-1") == []


def test_a_scenario_not_in_the_library_or_a_missing_cohort_is_refused_in_plain_words(
    store: Store, cast: Cast
) -> None:
    with pytest.raises(NotFound, match="no scenario 'no-such-visit' in the scenario library"):
        store.assignments.assign(cast.ines, "Class 26-1", "no-such-visit", DUE)
    with pytest.raises(NotFound, match="no cohort named or numbered 'Class 99'"):
        store.assignments.assign(cast.admin, "Class 99", "fixture-minimal", DUE)
    with pytest.raises(NotFound, match="no assignment numbered 41"):
        store.assignments.withdraw(cast.ines, 41)


def test_withdrawing_removes_the_assignment_but_keeps_attempts(store: Store, cast: Cast) -> None:
    made = store.assignments.assign(cast.ines, "Class 26-1", "fixture-minimal", DUE)
    attempt_id = _complete(store, cast, "alice")
    with pytest.raises(AccessDenied):
        store.assignments.withdraw(cast.gail, made.id)
    assert store.assignments.withdraw(cast.ines, made.id).id == made.id
    assert store.assignments.for_trainee(cast.alice, "alice") == []
    assert store.attempts.get(cast.alice, attempt_id).status == "completed"


def test_an_unfinished_attempt_does_not_count_as_done(store: Store, cast: Cast) -> None:
    store.assignments.assign(cast.ines, "Class 26-1", "fixture-minimal", DUE)
    _complete(store, cast, "alice", mode="abandoned")
    start_minimal(store, cast.alice, "alice")
    [listed] = store.assignments.for_cohort(cast.admin, "Class 26-1")
    assert listed.pending == ("alice",)
