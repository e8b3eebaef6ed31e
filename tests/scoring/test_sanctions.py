"""The violation-response model against the model pack: every cell at its limits, the
override, need-based referrals, the prior-responses dimension and the two due-process tracks."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.pack import check_pack
from scoring.packmodel import Verdict
from scoring.rules import judge_facts
from scoring.sanctions import assess, band_for, priors_of
from tests.scoring.helpers import copy_pack, edit, model_pack

MATRIX = {
    ("low", "low"): (1, 2),
    ("low", "moderate"): (1, 3),
    ("low", "high"): (2, 3),
    ("medium", "low"): (2, 3),
    ("medium", "moderate"): (2, 4),
    ("medium", "high"): (3, 5),
    ("high", "low"): (3, 6),
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
OVERRIDE = ["override_reasons_written", "override_approved_by_supervisor"]
ADMINISTRATIVE = [
    "gave_written_notice",
    "heard_response_before_sanction",
    "admin_hearing_or_waiver",
]
MORRISSEY = [
    "gave_written_notice",
    "disclosed_evidence",
    "scheduled_preliminary_hearing",
    "informed_right_to_be_heard",
    "informed_right_to_confrontation",
    "requested_written_findings",
]


def policy_of(facts: list[str], band: tuple[int, int] | None) -> tuple[Verdict | None, str]:
    cj = judge_facts(model_pack(), facts, set(), band)
    return cj.verdict, cj.deciding.rule.rule.policy


@pytest.mark.parametrize(("severity", "risk"), CELLS)
def test_each_cell_allows_its_band_and_flags_one_step_either_side(severity: str, risk: str) -> None:
    pack = model_pack()
    low, high = MATRIX[(severity, risk)]
    assert band_for(pack, severity, risk) == (low, high)
    final = {"violation_severity": severity}
    for level in (low, high):
        a = assess(pack, [[LEVEL_FACT[level]]], final, risk)
        assert (a.placement, a.steps_outside) == ("within", 0)
        assert policy_of([LEVEL_FACT[level]], (low, high)) == (Verdict.ACCEPTABLE, "MSDP-7.02")
    if low > 1:
        a = assess(pack, [[LEVEL_FACT[low - 1]]], final, risk)
        assert (a.placement, a.steps_outside) == ("too_lenient", 1)
        assert policy_of([LEVEL_FACT[low - 1]], (low, high))[0] is Verdict.DEVIATION
    if high < 6:
        a = assess(pack, [[LEVEL_FACT[high + 1]]], final, risk)
        assert (a.placement, a.steps_outside) == ("too_severe", 1)
        assert policy_of([LEVEL_FACT[high + 1]], (low, high))[0] is Verdict.DEVIATION


def test_a_revocation_request_fits_a_high_severity_violation_in_every_risk_cell() -> None:
    for risk in ("low", "moderate", "high"):
        band = band_for(model_pack(), "high", risk)
        assert band is not None and band[1] == 6


def test_two_levels_outside_the_band_is_a_violation() -> None:
    assert policy_of(["response_revocation_hearing"], (1, 2))[0] is Verdict.VIOLATION


def test_one_step_out_with_written_reasons_and_approval_is_an_acceptable_override() -> None:
    pack = model_pack()
    facts = ["response_electronic_monitoring", *OVERRIDE]
    cj = judge_facts(pack, facts, set(), (2, 3))
    assert cj.verdict is Verdict.ACCEPTABLE
    matrix = next(j for j in cj.judgments if j.fact == "response_electronic_monitoring")
    assert matrix.verdict is Verdict.ACCEPTABLE and "override" in matrix.note
    a = assess(pack, [facts], {"violation_severity": "medium"}, "low")
    assert (a.placement, a.steps_outside, a.override, a.override_accepted) == (
        "too_severe",
        1,
        True,
        True,
    )
    assert "accepted as an override" in a.placement_words


def test_an_override_one_step_below_the_band_is_accepted_too() -> None:
    facts = ["response_problem_solving", *OVERRIDE]
    assert judge_facts(model_pack(), facts, set(), (2, 4)).verdict is Verdict.ACCEPTABLE
    a = assess(model_pack(), [facts], {"violation_severity": "medium"}, "moderate")
    assert a.placement == "too_lenient" and a.override_accepted


def test_an_override_two_steps_out_is_still_a_deviation_not_acceptable() -> None:
    pack = model_pack()
    facts = ["response_short_jail", *OVERRIDE]
    assert judge_facts(pack, facts, set(), (2, 3)).verdict is Verdict.DEVIATION
    a = assess(pack, [facts], {"violation_severity": "medium"}, "low")
    assert a.steps_outside == 2 and a.override and not a.override_accepted


def test_reasons_without_approval_or_on_another_choice_are_no_override() -> None:
    pack = model_pack()
    reasons_only = ["response_electronic_monitoring", "override_reasons_written"]
    assert judge_facts(pack, reasons_only, set(), (2, 3)).verdict is Verdict.DEVIATION
    apart = assess(
        pack,
        [["response_electronic_monitoring"], OVERRIDE],
        {"violation_severity": "medium"},
        "low",
    )
    assert apart.placement == "too_severe" and not apart.override_accepted


@pytest.mark.parametrize(("severity", "risk"), CELLS)
def test_a_treatment_referral_is_no_sanction_level_and_fits_every_cell(
    severity: str, risk: str
) -> None:
    pack = model_pack()
    assert "response_treatment_referral" not in pack.level_of_fact
    band = MATRIX[(severity, risk)]
    assert policy_of(["response_treatment_referral"], band) == (Verdict.ACCEPTABLE, "MSDP-7.04")
    a = assess(pack, [["response_treatment_referral"]], {"violation_severity": severity}, risk)
    assert a.need_responses == ("response_treatment_referral",)
    assert a.placement == "no_response" and not a.steps_outside


def test_relapse_assessment_with_weekly_testing_for_a_low_risk_person_is_within_the_band() -> None:
    a = assess(
        model_pack(),
        [["response_treatment_referral", "response_increased_testing"]],
        {"violation_severity": "low"},
        "low",
    )
    assert (a.chosen_level, a.placement) == (2, "within")
    assert a.need_responses == ("response_treatment_referral",)


def test_over_servicing_a_low_risk_person_keeps_its_own_rule() -> None:
    assert policy_of(["oversupervised_low_risk"], None) == (Verdict.DEVIATION, "MSDP-8.02")


def test_two_prior_responses_move_the_band_up_one_level_capped_at_revocation() -> None:
    pack = model_pack()
    assert priors_of(pack, {"prior_responses": 2}) == 2
    assert priors_of(pack, {"prior_responses": True}) == 0
    assert band_for(pack, "low", "moderate", 1) == (1, 3)
    assert band_for(pack, "low", "moderate", 2) == (2, 4)
    assert band_for(pack, "high", "high", 3) == (6, 6)
    final = {"violation_severity": "low", "prior_responses": 2}
    warning = assess(pack, [["response_warning"]], final, "moderate")
    assert (warning.priors, warning.band, warning.placement) == (2, (2, 4), "too_lenient")
    assert warning.priors_words == "2 prior responses (band moved up)"
    one = assess(pack, [["response_warning"]], {**final, "prior_responses": 1}, "moderate")
    assert (one.band, one.priors_words) == ((1, 3), "1 prior response")
    assert assess(pack, [["response_day_reporting"]], final, "moderate").placement == "within"


def test_classifying_the_violation_is_scored_under_its_own_clause() -> None:
    assert policy_of(["classified_violation_correctly"], None) == (Verdict.EXEMPLARY, "MSDP-7.13")
    assert policy_of(["misclassified_violation_severity"], None) == (Verdict.DEVIATION, "MSDP-7.13")
    assert policy_of(["misread_matrix_cell"], None) == (Verdict.DEVIATION, "MSDP-7.13")


def test_a_short_jail_stay_takes_the_administrative_track_with_approval_and_victim_notice() -> None:
    pack = model_pack()
    final = {"violation_severity": "high", "victim_notification_required": True}
    partial = assess(pack, [["response_short_jail", "gave_written_notice"]], final, "high")
    assert partial.track == "Administrative short-jail track"
    assert [s.fact for s in partial.due_process] == ADMINISTRATIVE
    assert all(s.required for s in partial.due_process)
    assert not partial.due_process_complete
    assert {s.fact: s.required for s in partial.notifications} == {
        "notified_victim": True,
        "supervisor_approved_custody": True,
    }
    done = assess(
        pack,
        [
            ["response_short_jail"],
            [*ADMINISTRATIVE, "notified_victim", "supervisor_approved_custody"],
        ],
        final,
        "high",
    )
    assert done.due_process_complete and done.notifications_complete


def test_a_revocation_request_takes_the_morrissey_track_whose_findings_the_officer_requests() -> (
    None
):
    pack = model_pack()
    final = {"violation_severity": "high"}
    a = assess(pack, [["response_revocation_hearing"], MORRISSEY], final, "high")
    assert a.track == "Revocation track (Morrissey v. Brewer)"
    assert [s.fact for s in a.due_process] == MORRISSEY
    assert a.due_process_complete and not a.notifications_complete  # approval missing
    assert "provided_written_reasons" not in [s.fact for s in a.due_process]
    # writing the hearing body's statement oneself is a deviation, not a step
    assert policy_of(["provided_written_reasons"], None) == (Verdict.DEVIATION, "MSDP-7.06")
    assert policy_of(["requested_written_findings"], None) == (Verdict.ACCEPTABLE, "MSDP-7.06")


def test_custodial_responses_need_a_supervisors_approval_cited_under_7_10() -> None:
    assert policy_of(["supervisor_approved_custody"], None) == (Verdict.EXEMPLARY, "MSDP-7.10")
    assert policy_of(["custody_without_approval"], None) == (Verdict.VIOLATION, "MSDP-7.10")
    assert policy_of(["admin_hearing_or_waiver"], None) == (Verdict.ACCEPTABLE, "MSDP-7.12")
    assert policy_of(["jailed_without_hearing_or_waiver"], None) == (Verdict.VIOLATION, "MSDP-7.12")


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


def test_community_responses_need_no_due_process_and_no_victim_notice() -> None:
    a = assess(
        model_pack(),
        [["response_curfew"]],
        {"violation_severity": "medium", "victim_notification_required": True},
        "moderate",
    )
    assert a.track is None
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


def test_pack_lint_refuses_a_need_based_response_that_is_also_a_sanction_level(
    tmp_path: Path,
) -> None:
    main = copy_pack(tmp_path)
    line = edit(
        main,
        "    facts: [response_treatment_referral, referred_to_services]\n",
        "    facts: [response_curfew, referred_to_services]\n",
    )
    _, problems = check_pack(main)
    expected = (
        f"{main}:{line}: violation_response.need_responses.facts[0]: error: fact "
        "'response_curfew' is a need-based response and cannot also be a sanction level"
    )
    assert expected in [p.format() for p in problems]


def test_the_text_and_html_panels_name_the_track_the_priors_and_the_need_based_referral() -> None:
    from simulator.reports.html import _sanction
    from simulator.reports.text import sanction_lines

    pack = model_pack()
    final = {"violation_severity": "medium", "prior_responses": 2}
    jail = assess(
        pack,
        [["response_short_jail", "response_treatment_referral", "gave_written_notice"]],
        final,
        "low",
    )
    text = "\n".join(sanction_lines(jail))
    assert "with 2 prior responses (band moved up): allowed levels 3-4" in text
    assert "Referrals to meet a need (no sanction level): treatment referral" in text
    assert "Due process, Administrative short-jail track: INCOMPLETE" in text
    assert "[ ] A hearing before a hearing officer, or a signed waiver of it" in text
    page = _sanction(jail)
    assert "Due process, Administrative short-jail track: INCOMPLETE" in page
    assert "2 prior responses (band moved up)" in page
    override = assess(
        pack,
        [["response_electronic_monitoring", *OVERRIDE]],
        {"violation_severity": "medium"},
        "low",
    )
    assert "accepted as an override with written reasons and approval" in _sanction(override)
