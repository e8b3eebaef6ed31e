"""The FTO's work on the store: review queue, agree/override marks, the DOR prefilled from a
real scored attempt, the whole sign-off chain, amendments and blind calibration, on SQLite
and PostgreSQL."""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from simulator.fto.calibration import calibration_report
from simulator.fto.dor import evidence, form_categories, prefilled_ratings
from simulator.store import AccessDenied, InvalidRecord, Rating, Store
from simulator.store.schema import audit_log
from tests.fto.play import VISITOR, played
from tests.store.conftest import STAFF_PASSWORD, Cast


def _denials(store: Store, action: str) -> int:
    with store._db.read() as conn:
        return len(
            conn.execute(
                sa.select(audit_log.c.id).where(
                    audit_log.c.action == action, audit_log.c.allowed.is_(False)
                )
            ).all()
        )


def test_queue_holds_the_ftos_trainees_finished_attempts_newest_first(
    store: Store, cast: Cast
) -> None:
    first = played(store, cast.admin, "bob")
    second = played(store, cast.admin, "bob", VISITOR)
    played(store, cast.admin, "alice")  # not fred's trainee
    queue = store.reviews.queue(cast.fred)
    [read] = store.audit_log(cast.admin, limit=1)
    assert (read.actor, read.action, read.target_id) == ("fred", "read_records", "bob")
    assert [i.attempt.id for i in queue] == [second.id, first.id]
    report = store.attempts.report(cast.fred, first.id)
    assert report is not None
    assert queue[1].verdicts == Counter(d["verdict"] for d in report["decisions"])
    assert queue[1].evaluation_ids == ()
    assert [i.attempt.id for i in store.reviews.queue(cast.fred, limit=1)] == [second.id]
    assert store.reviews.queue(cast.alice) == []  # a trainee reviews no one
    assert {i.attempt.trainee for i in store.reviews.queue(cast.ines)} == {"alice"}


def test_an_override_needs_a_reason_and_sits_beside_the_automatic_verdict(
    store: Store, cast: Cast
) -> None:
    attempt = played(store, cast.admin, "bob")
    with pytest.raises(InvalidRecord, match="needs a reason"):
        store.reviews.mark(cast.fred, attempt.id, 1, agrees=False)
    with pytest.raises(InvalidRecord, match="no decision 9"):
        store.reviews.mark(cast.fred, attempt.id, 9, agrees=True)
    store.reviews.mark(cast.fred, attempt.id, 1, agrees=True)
    store.reviews.mark(cast.fred, attempt.id, 1, agrees=False, reason="Read the file at roll call")
    review = store.reviews.attempt(cast.fred, attempt.id)
    assert [m.agrees for m in review.marks] == [True, False]  # the earlier mark stays
    assert review.report is not None
    scored = review.report["decisions"][0]["verdict"]
    latest = review.latest_marks()[1]
    assert (latest.automatic_verdict, latest.reason) == (scored, "Read the file at roll call")
    with pytest.raises(AccessDenied):
        store.reviews.mark(cast.bob, attempt.id, 2, agrees=False, reason="I disagree")
    assert _denials(store, "write_evaluation") == 1


def test_the_dor_prefill_rule_on_a_report_of_known_shape() -> None:
    report = {
        "competencies": [
            {"fto_category": "officer_safety", "rating": 5, "observations": ["decision 1"]},
            # two competencies in one category: the lower rating is suggested
            {"fto_category": "knowledge_policy_law_resources", "rating": 6},
            {"fto_category": "knowledge_policy_law_resources", "rating": 2},
            # scored twice: a score but too few observations, so no rating: N.O.
            {"fto_category": "control_of_conflict", "rating": None, "score": 92.5},
        ],
        "decisions": [
            {"text": "Knock from the side", "verdict": "exemplary",
             "policy": {"id": "MSDP-2.06", "title": "Positioning"}},
        ],
    }  # fmt: skip
    form = {c.category: c for c in form_categories(report, ["officer_safety", "use_of_force"])}
    assert form["officer_safety"].suggestion == 5
    assert form["knowledge_policy_law_resources"].suggestion == 2
    assert form["knowledge_policy_law_resources"].to_dict()["narrative_required"] is True
    assert form["control_of_conflict"].suggestion == "N.O."
    assert form["use_of_force"].suggestion == "N.O."  # a pack category the run never touched
    assert form["officer_safety"].to_dict()["seg"].startswith("5 (above acceptable; 7 is): ")
    [quote] = [e.quote() for e in evidence(report)]
    assert quote == 'Decision 1: chose "Knock from the side" (exemplary, MSDP-2.06 Positioning).'


def test_the_dor_is_prefilled_from_a_real_scored_attempt(store: Store, cast: Cast) -> None:
    attempt = played(store, cast.admin, "bob")
    report = store.attempts.report(cast.fred, attempt.id)
    assert report is not None
    form = {c.category: c for c in form_categories(report)}
    # every category of the pack's competencies is on the form
    assert set(form) == {c["fto_category"] for c in report["competencies"]}
    for category, entry in form.items():
        rated = [
            c["rating"]
            for c in report["competencies"]
            if c["fto_category"] == category and c["rating"] is not None
        ]
        assert entry.suggestion == (min(rated) if rated else "N.O.")
    # the run judged some competency, but fewer than three times: scored, yet N.O.
    assert any(
        c["score"] is not None and c["judgments"] < 3 and c["rating"] is None
        for c in report["competencies"]
    )
    quotes = [e.quote() for e in evidence(report)]
    last = report["decisions"][-1]
    assert len(quotes) == len(report["decisions"])
    assert f"({last['verdict']}, {last['policy']['id']}" in quotes[-1]
    ratings = {r.category: r for r in prefilled_ratings(report, values={"use_of_force": 5})}
    assert ratings["use_of_force"].value == 5


def test_the_whole_sign_off_chain_and_an_amendment(store: Store, cast: Cast) -> None:
    attempt = played(store, cast.admin, "bob")
    draft = store.evaluations.create(
        cast.fred,
        "bob",
        [Rating("officer_safety", 2, "Stayed with a gun in the room", 45)],
        attempt_id=attempt.id,
    )
    assert store.reviews.queue(cast.fred)[0].evaluation_ids == (draft.id,)
    store.evaluations.sign(cast.fred, draft.id)
    store.evaluations.sign(cast.bob, draft.id, "Understood")
    with pytest.raises(AccessDenied):
        store.evaluations.sign(cast.gail, draft.id)  # an instructor of another cohort
    approved = store.evaluations.sign(cast.admin, draft.id)
    assert [s.step for s in approved.signatures] == ["fto", "trainee", "supervisor"]
    assert approved.signatures[1].comment == "Understood"
    fixed = store.evaluations.amend(
        cast.fred,
        draft.id,
        [Rating("officer_safety", 1, "A gun was seen and the officer stayed")],
        reason="Gun seen: a 1 under the SEGs",
    )
    assert fixed.amends_id == draft.id and fixed.status == "draft"
    assert store.evaluations.get(cast.fred, draft.id).ratings[0].value == 2  # original stays


def test_calibration_is_blind_until_every_invited_fto_has_rated(store: Store, cast: Cast) -> None:
    fay = store.add_person(cast.admin, "fay", role="fto", password=STAFF_PASSWORD)
    attempts = [played(store, cast.admin, "bob", pick=p) for p in (0, 1)]
    with pytest.raises(AccessDenied):
        store.reviews.invite(cast.fred, attempts[0].id, ["fred", "fay"])
    for a in attempts:
        assert store.reviews.invite(cast.admin, a.id, ["fred", "fay"]) == ["fred", "fay"]
    with pytest.raises(AccessDenied):
        store.reviews.rate(cast.gail, attempts[0].id, {"officer_safety": 3})
    given = {
        "fred": [
            {"officer_safety": 2, "interviewing": 4},
            {"officer_safety": 3, "interviewing": 5},
        ],
        "fay": [{"officer_safety": 1, "interviewing": 4}, {"officer_safety": 4, "interviewing": 6}],
    }
    session = store.reviews.rate(cast.fred, attempts[0].id, given["fred"][0])
    assert not session.complete and session.ratings == {}
    assert store.reviews.calibration(fay)[0].ratings == {}  # fay cannot peek at fred's
    # fay may read the attempt she was invited to, though bob is not her trainee
    assert store.reviews.attempt(fay, attempts[0].id).attempt.id == attempts[0].id
    with pytest.raises(InvalidRecord, match="already rated"):
        store.reviews.rate(cast.fred, attempts[0].id, {"officer_safety": 4})
    store.reviews.rate(fay, attempts[0].id, given["fay"][0])
    store.reviews.rate(cast.fred, attempts[1].id, given["fred"][1])
    store.reviews.rate(fay, attempts[1].id, given["fay"][1])
    sessions = store.reviews.calibration(cast.admin)
    assert all(s.complete for s in sessions)
    report = calibration_report(sessions)
    assert report.sessions == 2
    [(a, b, shared, kappa)] = report.pairs
    assert (a, b, shared) == ("fay", "fred", 4)
    # fay 1,4,4,6 against fred 2,4,3,5, worked by hand in squared points: observed mean
    # (1+0+1+1)/4 = 3/4; expected from the marginals = var(fay) + var(fred) + (mean gap)^2
    # = 3.1875 + 1.25 + 0.0625 = 4.5; kappa = 1 - 0.75/4.5 = 5/6
    assert kappa == pytest.approx(5 / 6)
    assert report.fleiss_raters == 2 and report.fleiss_subjects == 4
    assert report.disagreements[0][2] == 1
    assert store.reviews.calibration(cast.ines) == []  # bob is not in ines's cohort


def test_the_database_refuses_to_change_a_mark_or_a_calibration_rating(
    store: Store, cast: Cast
) -> None:
    attempt = played(store, cast.admin, "bob")
    store.reviews.mark(cast.fred, attempt.id, 1, agrees=False, reason="Read at roll call")
    store.reviews.invite(cast.admin, attempt.id, ["fred"])
    store.reviews.rate(cast.fred, attempt.id, {"officer_safety": 3})
    for statement in (
        "UPDATE decision_reviews SET agrees = TRUE",
        "DELETE FROM decision_reviews",
        "UPDATE calibration_ratings SET rating = 7",
        "DELETE FROM calibration_ratings",
    ):
        with (
            pytest.raises(sa.exc.DatabaseError, match="rows are permanent"),
            store._db.engine.begin() as conn,
        ):
            conn.execute(sa.text(statement))
    assert store.reviews.attempt(cast.fred, attempt.id).marks[0].reason == "Read at roll call"
