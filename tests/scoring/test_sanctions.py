"""Sanction matrix edges: every cell, at its limits, one level lighter and one heavier."""

from __future__ import annotations

import pytest

from scoring.packmodel import Verdict
from scoring.rules import judge_facts
from scoring.sanctions import assess, band_for
from tests.scoring.helpers import model_pack

MATRIX = {
    ("low", "low"): (1, 2),
    ("low", "moderate"): (1, 3),
    ("low", "high"): (2, 3),
    ("medium", "low"): (2, 3),
    ("medium", "moderate"): (2, 4),
    ("medium", "high"): (3, 5),
    ("high", "low"): (3, 5),
    ("high", "moderate"): (4, 6),
    ("high", "high"): (5, 6),
}
LEVEL_FACT = {
    1: "response_warning",
    2: "response_increased_testing",
    3: "response_curfew",
    4: "response_electronic_monitoring",
    5: "response_short_jail",
    6: "response_revocation_hearing",
}
CELLS = sorted(MATRIX)


@pytest.mark.parametrize(("severity", "risk"), CELLS)
def test_each_cell_allows_its_band_and_flags_one_step_either_side(severity: str, risk: str) -> None:
    pack = model_pack()
    low, high = MATRIX[(severity, risk)]
    assert band_for(pack, severity, risk) == (low, high)
    final = {"violation_severity": severity}
    for level in (low, high):
        a = assess(pack, [[LEVEL_FACT[level]]], final, risk)
        assert (a.placement, a.steps_outside) == ("within", 0)
        assert (
            judge_facts(pack, [LEVEL_FACT[level]], set(), (low, high)).verdict is Verdict.ACCEPTABLE
        )
    if low > 1:
        a = assess(pack, [[LEVEL_FACT[low - 1]]], final, risk)
        assert (a.placement, a.steps_outside) == ("too_lenient", 1)
        cj = judge_facts(pack, [LEVEL_FACT[low - 1]], set(), (low, high))
        assert cj.verdict is Verdict.DEVIATION
    if high < 6:
        a = assess(pack, [[LEVEL_FACT[high + 1]]], final, risk)
        assert (a.placement, a.steps_outside) == ("too_severe", 1)
        cj = judge_facts(pack, [LEVEL_FACT[high + 1]], set(), (low, high))
        assert cj.verdict is Verdict.DEVIATION


def test_two_levels_outside_the_band_is_a_violation() -> None:
    cj = judge_facts(model_pack(), ["response_revocation_hearing"], set(), (1, 2))
    assert cj.verdict is Verdict.VIOLATION


def test_the_most_restrictive_response_chosen_is_the_one_assessed() -> None:
    a = assess(
        model_pack(),
        [["response_warning"], ["response_curfew", "linked_response_to_cause"]],
        {"violation_severity": "low"},
        "low",
    )
    assert a.chosen_level == 3
    assert a.chosen_facts == ("response_warning", "response_curfew")
    assert a.placement == "too_severe"


def test_custody_requires_every_due_process_step_and_victim_notice_when_flagged() -> None:
    pack = model_pack()
    final = {"violation_severity": "high", "victim_notification_required": True}
    partial = assess(pack, [["response_short_jail", "gave_written_notice"]], final, "high")
    assert all(s.required for s in partial.due_process)
    assert [s.fact for s in partial.due_process if s.done] == ["gave_written_notice"]
    assert not partial.due_process_complete
    assert {s.fact: s.required for s in partial.notifications} == {
        "notified_victim": True,
        "consulted_supervisor": True,
    }
    steps = [s.fact for s in pack.main.violation_response.due_process.steps]
    done = assess(
        pack,
        [["response_short_jail"], [*steps, "notified_victim", "consulted_supervisor"]],
        final,
        "high",
    )
    assert done.due_process_complete and done.notifications_complete


def test_community_responses_need_no_due_process_and_no_victim_notice() -> None:
    a = assess(
        model_pack(),
        [["response_curfew"]],
        {"violation_severity": "medium", "victim_notification_required": True},
        "moderate",
    )
    assert not any(s.required for s in a.due_process)
    assert not any(s.required for s in a.notifications)
    assert a.due_process_complete


def test_no_response_and_unknown_severity_are_reported_as_such() -> None:
    pack = model_pack()
    assert (
        assess(pack, [["gathered_evidence"]], {"violation_severity": "low"}, "low").placement
        == "no_response"
    )
    unknown = assess(pack, [["response_warning"]], {}, "low")
    assert unknown.placement == "not_assessed" and unknown.band is None
