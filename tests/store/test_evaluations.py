"""FTO evaluations: ratings with required narratives, FTO -> trainee -> supervisor
signatures in order, signed evaluations frozen (in the database too), amendments as rows."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from simulator.store import AccessDenied, InvalidRecord, Rating, Store
from tests.store.conftest import Cast

RATINGS = [
    Rating("officer_safety", 5),
    Rating("interviewing", 2, "Interrupted Mr. Ortega four times; reviewed OARS together.", 30),
    Rating("report_writing", "N.O."),
]


def test_an_fto_evaluates_an_assigned_trainee_and_signatures_go_in_order(
    store: Store, cast: Cast
) -> None:
    store.enrol(cast.admin, "Class 26-1", "bob")  # so that ines supervises bob's cohort
    draft = store.evaluations.create(
        cast.fred, "bob", RATINGS, observed_on=date(2026, 11, 24), summary="Day 3 of phase 1."
    )
    assert draft.status == "draft" and draft.observed_on == date(2026, 11, 24)
    assert {r.category: r.value for r in draft.ratings}["report_writing"] == "N.O."
    with pytest.raises(InvalidRecord, match="needs the fto signature before the trainee's"):
        store.evaluations.sign(cast.bob, draft.id)
    assert store.evaluations.sign(cast.fred, draft.id).status == "signed_by_fto"
    with pytest.raises(InvalidRecord, match="needs the trainee signature"):
        store.evaluations.sign(cast.ines, draft.id)
    acknowledged = store.evaluations.sign(cast.bob, draft.id, "I disagree about interviewing.")
    assert acknowledged.status == "acknowledged"
    approved = store.evaluations.sign(cast.ines, draft.id)
    assert approved.status == "approved"
    assert [(s.step, s.person) for s in approved.signatures] == [
        ("fto", "fred"),
        ("trainee", "bob"),
        ("supervisor", "ines"),
    ]
    assert approved.signatures[1].comment == "I disagree about interviewing."
    with pytest.raises(InvalidRecord, match="already has the fto signature"):
        store.evaluations.sign(cast.fred, draft.id)


def test_ratings_of_1_2_6_7_and_nrt_need_a_narrative(store: Store, cast: Cast) -> None:
    for value in (1, 2, 6, 7, "N.R.T."):
        with pytest.raises(InvalidRecord, match="needs a narrative"):
            store.evaluations.create(cast.fred, "bob", [Rating("officer_safety", value)])
    for bad, message in ((0, "between 1 and 7"), (8, "between 1 and 7"), ("B+", "not 1-7")):
        with pytest.raises(InvalidRecord, match=message):
            store.evaluations.create(cast.fred, "bob", [Rating("officer_safety", bad)])
    ok = store.evaluations.create(cast.fred, "bob", [Rating("officer_safety", "nrt", "See DOR 4.")])
    assert ok.ratings[0].value == "N.R.T."


def test_a_draft_can_be_edited_but_a_signed_evaluation_only_amended(
    store: Store, cast: Cast
) -> None:
    draft = store.evaluations.create(cast.fred, "bob", RATINGS)
    edited = store.evaluations.update_draft(
        cast.fred, draft.id, [Rating("officer_safety", 4)], "Corrected before signing."
    )
    assert [r.value for r in edited.ratings] == [
        4
    ] and edited.summary == "Corrected before signing."
    store.evaluations.sign(cast.fred, draft.id)
    with pytest.raises(InvalidRecord, match="signed and cannot change"):
        store.evaluations.update_draft(cast.fred, draft.id, [Rating("officer_safety", 5)], "")
    amendment = store.evaluations.amend(
        cast.fred, draft.id, [Rating("officer_safety", 5)], reason="Misread my field notes."
    )
    assert amendment.amends_id == draft.id and amendment.status == "draft"
    original = store.evaluations.get(cast.admin, draft.id)
    assert original.amended_by_id == amendment.id and [r.value for r in original.ratings] == [4]
    with pytest.raises(InvalidRecord, match="already amended"):
        store.evaluations.amend(cast.fred, draft.id, RATINGS, reason="again")
    with pytest.raises(InvalidRecord, match="sign the amendment instead"):
        store.evaluations.sign(cast.bob, draft.id)
    assert len(store.evaluations.find(cast.bob, "bob")) == 2


def test_the_database_refuses_changes_to_a_signed_evaluation(store: Store, cast: Cast) -> None:
    evaluation = store.evaluations.create(cast.fred, "bob", RATINGS)
    store.evaluations.sign(cast.fred, evaluation.id)
    for statement in (
        f"UPDATE evaluation_ratings SET rating = 7 WHERE evaluation_id = {evaluation.id}",
        f"DELETE FROM evaluation_ratings WHERE evaluation_id = {evaluation.id}",
        f"INSERT INTO evaluation_ratings VALUES ({evaluation.id}, 'use_of_force', 4, NULL, '', 0)",
        f"UPDATE evaluations SET summary = 'rewritten' WHERE id = {evaluation.id}",
        "UPDATE evaluation_signatures SET comment = 'forged'",
        "DELETE FROM evaluation_signatures",
    ):
        with pytest.raises(sa.exc.DBAPIError), store._db.write() as conn:
            conn.exec_driver_sql(statement)
    after = store.evaluations.get(cast.fred, evaluation.id)
    assert (after.ratings, after.summary) == (evaluation.ratings, evaluation.summary)
    assert [(s.step, s.comment) for s in after.signatures] == [("fto", "")]


def test_only_the_assigned_fto_writes_and_only_the_trainee_acknowledges(
    store: Store, cast: Cast
) -> None:
    with pytest.raises(AccessDenied):
        store.evaluations.create(cast.fred, "alice", RATINGS)  # not his trainee
    with pytest.raises(AccessDenied):
        store.evaluations.create(cast.ines, "alice", RATINGS)  # instructors do not write DORs
    evaluation = store.evaluations.create(cast.fred, "bob", RATINGS)
    store.evaluations.sign(cast.fred, evaluation.id)
    with pytest.raises(AccessDenied):
        store.evaluations.sign(cast.alice, evaluation.id)  # not hers to sign
    with pytest.raises(AccessDenied):
        store.evaluations.find(cast.alice, "bob")
    with pytest.raises(AccessDenied):
        store.evaluations.sign(cast.gail, evaluation.id)  # supervises no cohort of bob's
    with pytest.raises(InvalidRecord, match="needs the trainee signature"):
        store.evaluations.sign(cast.admin, evaluation.id)  # may approve, but not yet
