"""The FTO screens by keyboard alone: staff on the sign-in list, their home queue, an
override with its reason, the DOR form signed, and trends, checked against the records."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.app.fto import VALUES
from simulator.app.main import App
from simulator.app.records import StoreRecords
from simulator.app.screens.fto_trends import TrendsScreen
from simulator.app.screens.signin import SignInScreen
from simulator.fto.dor import form_categories
from tests.app.driver import Driver
from tests.app.fto_tour import fto_tour, seed


def test_an_fto_reviews_overrides_and_signs_a_dor_by_keyboard(
    drive: Driver, app: App, records: StoreRecords, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = tmp_path / "reports"
    monkeypatch.setenv("PAROLESIM_REPORTS_DIR", str(reports))
    attempt_id = seed(records)
    report = records.store.attempts.report(records.store.person("fred"), attempt_id)
    suggested = {c.category: c.suggestion for c in form_categories(report)}
    after_left = VALUES[(VALUES.index(suggested["officer_safety"]) - 1) % len(VALUES)]
    steps = fto_tour(drive, attempt_id)
    assert next(steps) == "fto-signin"
    signin = drive.top
    assert isinstance(signin, SignInScreen)
    shown = {p.username: p.role for p in signin.profiles}
    assert shown == {"bob": "trainee", "fred": "fto", "ines": "instructor", "rae": "admin"}
    for step in steps:
        if step == "fto-trends":
            trends = drive.top
            assert isinstance(trends, TrendsScreen)
            break
    store = records.store
    fred = store.person("fred")
    review = store.reviews.attempt(fred, attempt_id)
    mark = review.latest_marks()[1]
    assert not mark.agrees and "roll call" in mark.reason
    assert review.report is not None
    assert mark.automatic_verdict == review.report["decisions"][0]["verdict"]  # kept as scored
    newest = store.evaluations.find(fred, "bob")[-1]
    assert newest.attempt_id == attempt_id and newest.status == "signed_by_fto"
    safety = next(r for r in newest.ratings if r.category == "officer_safety")
    assert (safety.value, safety.remedial_minutes) == (after_left, 45)
    assert safety.narrative.startswith("Decision 8:")
    assert {r.category: r.value for r in newest.ratings if r.category != "officer_safety"} == {
        c: v for c, v in suggested.items() if c != "officer_safety"
    }
    [pdf] = list(reports.glob("dor-*.pdf"))
    assert pdf.read_bytes().startswith(b"%PDF") and f"dor-{newest.id}-bob-" in pdf.name
    assert any(b.name == "rating trend chart" for b in trends.doc.blocks)
    safety_trend = next(t for t in trends.trends if t.category == "officer_safety")
    assert [v for _, v, _ in safety_trend.points] == [3, after_left]
    assert safety_trend.flags  # the 3 is among the last three evaluations

    # the admin, as supervisor, signs the acknowledged DOR from their home screen
    assert list(steps)[-1] == "supervisor-signed"
    approved = store.evaluations.get(fred, newest.id)
    assert approved.status == "approved" and approved.signatures[-1].person == "rae"
    assert approved.signatures[1].comment.startswith("Understood")


@pytest.mark.parametrize(
    ("scale", "size", "theme"),
    [(200, (1280, 720), "normal"), (200, (800, 560), "high_contrast")],
)
def test_the_fto_screens_keep_widgets_apart_at_200_percent(
    scale: int, size: tuple[int, int], theme: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.app.tour_run import layout_problems

    monkeypatch.setenv("PAROLESIM_REPORTS_DIR", str(tmp_path / "reports"))
    found = layout_problems(tmp_path, seed, fto_tour, scale=scale, size=size, theme=theme)
    assert found == []


def test_the_review_screen_lists_options_in_the_order_the_trainee_saw_them(
    drive: Driver, records: StoreRecords
) -> None:
    """The app's timeline of a real recorded (shuffled) attempt: each decision's "Offered:"
    list follows the order its ``presented`` event recorded."""
    from engine.model import Decision
    from simulator.app.screens.fto_review import AttemptReviewScreen

    attempt_id = seed(records)
    fred = records.store.person("fred")
    log = records.store.attempts.log(fred, attempt_id)
    report = records.store.attempts.report(fred, attempt_id)
    assert report is not None
    orders, presented = [], []
    for event in log["events"]:  # each decision's presented order, in decision order
        if event["type"] == "presented":
            presented = list(event.get("order") or [])
        elif event["type"] in ("chose", "timed_out"):
            orders.append(presented)
    steps = fto_tour(drive, attempt_id)
    for step in steps:
        if step == "fto-review":
            break
    screen = drive.top
    assert isinstance(screen, AttemptReviewScreen)
    offered = [b.said for b in screen.doc.blocks if b.said.startswith("Offered:")]
    assert len(offered) == len(report["decisions"])
    moved = False
    assert screen.scenario is not None
    for said, d, order in zip(offered, report["decisions"], orders, strict=True):
        node = screen.scenario.scenario.nodes[d["node"]]
        assert isinstance(node, Decision)
        texts = {c.id: c.text for c in node.choices}
        listed = [line.removeprefix("• ") for line in said.removeprefix("Offered: ").split("\n")]
        assert listed == [texts[c] for c in order if c in d["available"]]
        moved |= listed != [texts[c] for c in d["available"]]
    assert moved  # the attempt's shuffle moved some decision's options
