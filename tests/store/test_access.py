"""Who sees what: trainees their own records, instructors their cohorts, FTOs their
trainees, admins everything; every refusal is audited."""

from __future__ import annotations

import pytest

from simulator.store import AccessDenied, InvalidRecord, SignInFailed, Store
from simulator.store.access import POLICY, Action
from tests.store.conftest import Cast
from tests.store.helpers import finished_attempt, start_minimal


def test_a_trainee_is_denied_another_trainees_records_and_the_denial_is_audited(
    store: Store, cast: Cast
) -> None:
    bobs = finished_attempt(store, cast.bob, "bob", 70, True)
    for attempt_at in (
        lambda: store.attempts.get(cast.alice, bobs.id),
        lambda: store.attempts.log(cast.alice, bobs.id),
        lambda: store.attempts.find(cast.alice, "bob"),
        lambda: store.progress(cast.alice, "bob"),
        lambda: store.attempts.records(cast.alice, ["bob"]),
    ):
        with pytest.raises(AccessDenied, match="alice \\(trainee\\) may not"):
            attempt_at()
    denied = store.audit_log(cast.admin, denied_only=True)
    assert len(denied) == 5
    assert {e.actor for e in denied} == {"alice"}
    assert ("attempt", str(bobs.id)) in {(e.target_type, e.target_id) for e in denied}
    assert ("person", "bob") in {(e.target_type, e.target_id) for e in denied}


def test_a_trainee_cannot_record_attempts_for_someone_else(store: Store, cast: Cast) -> None:
    with pytest.raises(AccessDenied):
        start_minimal(store, cast.alice, "bob")
    link, _ = start_minimal(store, cast.bob, "bob")
    with pytest.raises(AccessDenied):
        store.attempts.recorder(cast.alice, link.attempt.id)
    with pytest.raises(AccessDenied):
        store.attempts.abandon(cast.alice, link.attempt.id)


def test_listing_shows_each_role_exactly_the_trainees_it_may_see(store: Store, cast: Cast) -> None:
    for who in ("alice", "bob"):
        finished_attempt(store, cast.admin, who, 60, True)

    def trainees(actor: object) -> set[str]:
        return {a.trainee for a in store.attempts.find(actor)}  # type: ignore[arg-type]

    assert trainees(cast.alice) == {"alice"}
    assert trainees(cast.bob) == {"bob"}
    assert trainees(cast.ines) == {"alice"}  # her cohort
    assert trainees(cast.fred) == {"bob"}  # assigned to him
    assert trainees(cast.gail) == set()  # teaches no cohort
    assert trainees(cast.admin) == {"alice", "bob"}
    assert {p.username for p in store.people(cast.ines)} == {"ines", "alice"}
    assert {p.username for p in store.people(cast.fred)} == {"fred", "bob"}


def test_instructors_and_ftos_are_denied_trainees_outside_their_charge(
    store: Store, cast: Cast
) -> None:
    with pytest.raises(AccessDenied):
        store.progress(cast.ines, "bob")
    with pytest.raises(AccessDenied):
        store.progress(cast.fred, "alice")
    assert store.progress(cast.ines, "alice").trainee.username == "alice"
    assert store.progress(cast.fred, "bob").trainee.username == "bob"


def test_only_admins_manage_people_and_cohorts(store: Store, cast: Cast) -> None:
    for actor in (cast.alice, cast.ines, cast.fred):
        with pytest.raises(AccessDenied):
            store.add_person(actor, "newcomer")
        with pytest.raises(AccessDenied):
            store.add_cohort(actor, "Class 26-2")
        with pytest.raises(AccessDenied):
            store.enrol(actor, "Class 26-1", "bob")
        with pytest.raises(AccessDenied):
            store.audit_log(actor)


def test_a_demoted_account_loses_access_at_once(store: Store, cast: Cast) -> None:
    with store._db.write() as conn:  # an admin tool changed the role behind our back
        conn.exec_driver_sql("UPDATE people SET role = 'trainee' WHERE username = 'ines'")
    with pytest.raises(AccessDenied):
        store.progress(cast.ines, "alice")  # the stale Person still says instructor


def test_every_action_has_a_row_in_the_one_policy_table() -> None:
    assert set(POLICY) == set(Action)
    assert all(roles for roles in POLICY.values())


def test_a_disabled_account_cannot_sign_in_or_act_and_its_records_stay(
    store: Store, cast: Cast
) -> None:
    finished_attempt(store, cast.alice, "alice", 75, True)
    store.set_active(cast.admin, "alice", False)
    with pytest.raises(SignInFailed):
        store.sign_in("alice")
    with pytest.raises(AccessDenied):
        store.progress(cast.alice, "alice")  # a Person object from before is no key
    assert store.progress(cast.ines, "alice").attempts == 1
    with pytest.raises(InvalidRecord, match="your own account"):
        store.set_active(cast.admin, "rae", False)
    store.set_active(cast.admin, "alice", True)
    assert store.sign_in("alice").active


def test_cohort_actions_reach_only_the_cohorts_one_teaches_or_belongs_to(
    store: Store, cast: Cast
) -> None:
    """TEACH_COHORT (assign, run class sessions): the cohort's instructors and admins;
    JOIN_CLASS (join and vote): the cohort's trainees; nobody else, whatever their role."""
    from simulator.store.access import permits_cohort

    store.add_cohort(cast.admin, "Class 26-2")
    store.enrol(cast.admin, "Class 26-2", "bob")
    store.enrol(cast.admin, "Class 26-2", "gail", role="instructor")
    ids = {c.name: c.id for c in store.cohorts(cast.admin)}
    expected = {
        (Action.TEACH_COHORT, "Class 26-1"): {"ines", "rae"},
        (Action.TEACH_COHORT, "Class 26-2"): {"gail", "rae"},
        (Action.JOIN_CLASS, "Class 26-1"): {"alice"},
        (Action.JOIN_CLASS, "Class 26-2"): {"bob"},
    }
    people = [cast.admin, cast.alice, cast.bob, cast.ines, cast.fred, cast.gail]
    with store._db.read() as conn:
        found = {
            key: {p.username for p in people if permits_cohort(conn, p, key[0], ids[key[1]])}
            for key in expected
        }
    assert found == expected
