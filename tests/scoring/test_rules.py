"""Facts on a choice become verdicts: one rule per fact, conditions on the run so far."""

from __future__ import annotations

import pytest

from scoring.packmodel import Verdict
from scoring.rules import judge_facts, matrix_verdict
from tests.scoring.helpers import model_pack


@pytest.mark.parametrize(
    ("fact", "verdict", "policy"),
    [
        ("reviewed_case_file", Verdict.EXEMPLARY, "MSDP-2.01"),
        ("announced_presence", Verdict.ACCEPTABLE, "MSDP-2.05"),
        ("bare_command", Verdict.DEVIATION, "MSDP-5.04"),
        ("threat", Verdict.VIOLATION, "MSDP-5.04"),
        ("stayed_after_weapon_seen", Verdict.CRITICAL, "MSDP-4.01"),
    ],
)
def test_each_verdict_kind_comes_with_its_cited_policy(
    fact: str, verdict: Verdict, policy: str
) -> None:
    cj = judge_facts(model_pack(), [fact], frozenset())
    assert cj.verdict is verdict
    assert cj.deciding.rule.rule.policy == policy
    assert cj.points == model_pack().main.scoring.verdict_points[verdict]


def test_third_party_search_is_acceptable_only_after_consent_was_obtained() -> None:
    pack = model_pack()
    without = judge_facts(pack, ["searched_third_party_area"], frozenset())
    after = judge_facts(pack, ["searched_third_party_area"], {"obtained_third_party_consent"})
    assert without.verdict is Verdict.VIOLATION
    assert after.verdict is Verdict.ACCEPTABLE


def test_residence_search_needs_both_suspicion_and_approval_under_agency_policy() -> None:
    pack = model_pack()
    fact = ["searched_parolee_area_under_condition"]
    assert judge_facts(pack, fact, frozenset()).verdict is Verdict.VIOLATION
    assert (
        judge_facts(pack, fact, {"articulated_reasonable_suspicion"}).verdict is Verdict.DEVIATION
    )
    both = {"articulated_reasonable_suspicion", "obtained_supervisor_approval_for_search"}
    assert judge_facts(pack, fact, both).verdict is Verdict.ACCEPTABLE
    # facts on the same choice count as "after" too
    same_choice = judge_facts(pack, [*fact, *sorted(both)], frozenset())
    assert same_choice.judgments[0].verdict is Verdict.ACCEPTABLE


def test_cssrs_method_question_before_thoughts_question_is_a_deviation() -> None:
    pack = model_pack()
    assert judge_facts(pack, ["cssrs_q3_method"], frozenset()).verdict is Verdict.DEVIATION
    assert (
        judge_facts(pack, ["cssrs_q3_method"], {"cssrs_q2_suicidal_thoughts"}).verdict
        is Verdict.ACCEPTABLE
    )


def test_a_fault_decides_the_choice_even_beside_exemplary_facts() -> None:
    cj = judge_facts(model_pack(), ["withdrew_after_weapon_seen", "bare_command"], frozenset())
    assert cj.verdict is Verdict.DEVIATION
    assert cj.deciding.fact == "bare_command"
    # the decision takes its worst verdict's points: good facts beside a fault lift nothing
    assert cj.points == 45


def test_a_faultless_choice_cites_its_best_judgment() -> None:
    cj = judge_facts(
        model_pack(), ["notified_office_of_location", "reviewed_case_file"], frozenset()
    )
    assert cj.verdict is Verdict.EXEMPLARY
    assert cj.deciding.fact == "reviewed_case_file"


def test_facts_without_rules_leave_the_choice_unscored() -> None:
    cj = judge_facts(model_pack(), ["not_a_fact_anyone_knows"], frozenset())
    assert not cj.scored and cj.verdict is None and cj.points is None


@pytest.mark.parametrize(
    ("level", "band", "verdict", "words"),
    [
        (3, (2, 4), Verdict.ACCEPTABLE, "within the band 2-4"),
        (1, (2, 4), Verdict.DEVIATION, "1 step outside the band 2-4 (too lenient)"),
        (6, (2, 4), Verdict.VIOLATION, "2 steps outside the band 2-4 (too severe)"),
    ],
)
def test_response_levels_are_judged_by_distance_from_the_band(
    level: int, band: tuple[int, int], verdict: Verdict, words: str
) -> None:
    got, note = matrix_verdict(model_pack(), level, band)
    assert got is verdict
    assert words in note
