"""The violation-decision scenarios: lint, the authoring bar, best and wrong paths, replay,
and the issue-11 violation-response model played through the real scenarios.

Each path runs in-process through the engine with a fixed seed whose persona is
asserted first, so a path always meets the situation it was written for. The
severity the scorer reads (`violation_severity` at the end of the run) is
checked on every path, because it decides whether a response is judged too
lenient, within the band, or too severe. Every path also classifies the
violation itself (MSDP-7.13), and custodial paths take the administrative
(short jail) or the revocation (Morrissey) track.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from engine.compile import CompiledScenario, compile_scenario
from engine.graph import endings, longest_decision_path
from engine.lint import lint_paths
from engine.loader import ScenarioFile
from engine.model import Decision
from engine.session import Session
from scoring.pack import PolicyPack, find_pack, load_pack
from scoring.rules import judge_facts
from scoring.scorer import score_session
from simulator.commands.content import extra_lint_checks
from tests.clirun import cli
from tests.scenarios.walks import library_of, model_pack, play_scripted, start, walk

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "scenarios" / "violation_decision"
IDS = (
    "vd-first-positive-test",
    "vd-curfew-gps",
    "vd-abscond-recontact",
    "vd-new-arrest",
    "vd-victim-contact",
    "vd-restitution-job-loss",
    "vd-incentive-progress",
)
# the revocation track (Morrissey): the findings are the hearing body's, requested by the officer
DUE_PROCESS = (
    "gave_written_notice",
    "disclosed_evidence",
    "scheduled_preliminary_hearing",
    "informed_right_to_be_heard",
    "informed_right_to_confrontation",
    "requested_written_findings",
)
# the administrative short-jail track
ADMINISTRATIVE = (
    "gave_written_notice",
    "heard_response_before_sanction",
    "admin_hearing_or_waiver",
)
CUSTODY_RESPONSES = ("response_short_jail", "response_revocation_hearing")
# the pack's graduated menu (violation_response.levels), least to most restrictive
MENU = [
    "response_warning",
    "response_problem_solving",
    "response_increased_reporting",
    "response_increased_testing",
    "response_curfew",
    "response_community_service",
    "response_cognitive_assignment",
    "response_electronic_monitoring",
    "response_day_reporting",
    "response_short_jail",
    "response_revocation_hearing",
]


@pytest.fixture(scope="module")
def library() -> dict[str, ScenarioFile]:
    return library_of(lambda sid: sid.startswith("vd-"))


def compiled(library: Mapping[str, ScenarioFile], sid: str) -> CompiledScenario:
    return compile_scenario(library[sid])


def facts_of(session: Session) -> list[str]:
    return [f for d in session.decisions for f in d.facts]


# ---------------------------------------------------------------- the library and the bar


def test_the_family_has_all_seven_scenarios_in_its_folder(
    library: dict[str, ScenarioFile],
) -> None:
    assert sorted(library) == sorted(IDS)
    for sf in library.values():
        assert sf.path.parent == FOLDER
        assert sf.scenario.family == "violation_decision"


@pytest.mark.parametrize("sid", IDS)
def test_lint_finds_no_problem_at_all(sid: str) -> None:
    problems = lint_paths([FOLDER / f"{sid}.yaml"], extra_checks=extra_lint_checks())
    assert [p.format() for p in problems] == []


@pytest.mark.parametrize("sid", IDS)
def test_scenario_meets_the_authoring_bar(library: dict[str, ScenarioFile], sid: str) -> None:
    s = library[sid].scenario
    assert longest_decision_path(s) >= 12
    assert len(set(endings(s).values())) >= 4
    decisions = [n for n in s.nodes.values() if isinstance(n, Decision)]
    assert any(d.timeout is not None for d in decisions), "no timed decision"
    assert all(c.facts for d in decisions for c in d.choices), "a choice carries no fact"
    assert "violation_severity" in s.variables
    assert s.variables["violation_severity"].type == "enum"


@pytest.mark.parametrize("sid", IDS)
def test_every_response_choice_sets_the_severity_the_scorer_reads(
    library: dict[str, ScenarioFile], sid: str
) -> None:
    """A response is judged against the severity at the end of the run, so each response
    choice must settle it (to what the facts show) rather than leave the allegation."""
    s = library[sid].scenario
    constant = "actual_severity" not in s.variables
    for nid, node in s.nodes.items():
        if not isinstance(node, Decision):
            continue
        for c in node.choices:
            if any(f in MENU for f in c.facts) and not constant:
                assert any(e.startswith("violation_severity =") for e in c.effects), (
                    f"{nid}.{c.id} chooses a response without settling violation_severity"
                )


@pytest.mark.parametrize("sid", IDS)
def test_fifty_random_walks_reach_three_endings_and_two_situations(
    library: dict[str, ScenarioFile], sid: str
) -> None:
    ends: set[str] = set()
    situations: set[tuple[Any, ...]] = set()
    keys = [k for k, d in library[sid].scenario.persona.items() if d.kind == "choice"]
    for seed in range(50):
        session = walk(library, sid, seed)
        ends.add(session.node_id)
        situations.add(tuple(session.persona[k] for k in keys))
    assert len(ends) >= 3, ends
    assert len(situations) >= 2, situations


# ---------------------------------------------------------------- best and wrong paths


@dataclass(frozen=True)
class Path_:
    """A scripted run: the persona it needs, the choices, and what must come of it."""

    name: str
    sid: str
    seed: int
    persona: dict[str, Any]
    choices: tuple[str, ...]
    ending: str
    severity: str
    has: tuple[str, ...] = ()
    fails_for: tuple[str, ...] = ()


def play(library: Mapping[str, ScenarioFile], path: Path_) -> Session:
    return play_scripted(library, path.sid, path.seed, path.persona, path.choices)


def p(
    name: str,
    sid: str,
    seed: int,
    persona: dict[str, Any],
    choices: str,
    ending: str,
    severity: str,
    has: str = "",
    fails_for: str = "",
) -> Path_:
    """A path from comma-separated lists, so the tables stay readable.

    ``fails_for`` names why the scorer must fail a wrong path: ``too_severe`` or
    ``too_lenient`` (the matrix placement), ``no_response``, ``due_process`` (a
    custodial response without every step), ``critical:<fact>``, ``verdict:<fact>``
    (judged a violation or worse) or ``no_incentive``.
    """
    return Path_(
        name,
        sid,
        seed,
        persona,
        tuple(choices.split(",")),
        ending,
        severity,
        tuple(has.split(",")) if has else (),
        tuple(fails_for.split(",")) if fails_for else (),
    )


REPORT = "full_record,objective_sentence,reasons_today"
DP_FULL = "notice_with_evidence,schedule_prelim,rights_full,get_approval"
DP_ADMIN = "notice_with_evidence,admin_hearing,hear_response,get_approval"
BEST = [
    p(
        "prescription gets a warning",
        "vd-first-positive-test",
        0,
        {"truth": "low", "low_story": "prescription"},
        "read_file,explain_and_seal,ask_meds,ask_why,check_bottle,call_counselor,brief_and_decide,class_low,"
        f"written_warning,praise_progress,explain_linked,{REPORT}",
        "end_graduated",
        "low",
        has="asked_about_medications,response_warning",
    ),
    p(
        "lab-negative cup is cleared",
        "vd-first-positive-test",
        1,
        {"truth": "low", "low_story": "lab_negative"},
        "read_file,explain_and_seal,ask_meds,ask_why,send_lab,call_counselor,ask_time,class_none,"
        f"close_unfounded,praise_progress,explain_linked,{REPORT}",
        "end_cleared",
        "low",
        has="requested_lab_confirmation,closed_unfounded_allegation",
    ),
    p(
        "two weeks of use goes back to treatment",
        "vd-first-positive-test",
        4,
        {"truth": "medium"},
        "read_file,explain_and_seal,ask_meds,ask_why,admission_form,call_counselor,"
        f"brief_and_decide,class_medium,treatment_and_testing,praise_progress,explain_linked,{REPORT}",
        "end_referral",
        "medium",
        has="accepted_admission_of_use,response_treatment_referral",
    ),
    p(
        "hospital run is documented",
        "vd-curfew-gps",
        2,
        {"truth": "low"},
        "read_file,full_track,pull_logs,show_map,ask_cause,verify_source,brief_supervisor,"
        f"class_low,document_emergency,praise_specific,explain_linked,{REPORT}",
        "end_resolved",
        "low",
        has="gathered_evidence,response_problem_solving",
    ),
    p(
        "late birthday gets an earlier curfew",
        "vd-curfew-gps",
        0,
        {"truth": "medium"},
        "read_file,full_track,pull_logs,show_map,ask_cause,verify_source,brief_supervisor,"
        f"class_medium,earlier_curfew,praise_specific,explain_linked,{REPORT}",
        "end_sanction",
        "medium",
        has="response_curfew",
    ),
    p(
        "night in a bar gets alcohol monitoring",
        "vd-curfew-gps",
        4,
        {"truth": "high"},
        "read_file,full_track,pull_logs,open_question,ask_cause,verify_source,brief_supervisor,"
        f"class_high,alcohol_monitoring,praise_specific,explain_linked,{REPORT}",
        "end_sanction",
        "high",
        has="response_electronic_monitoring",
    ),
    p(
        "jailed elsewhere: warrant recalled",
        "vd-abscond-recontact",
        3,
        {"truth": "low"},
        "honest_invite,cover_and_talk,open_story,records_check,observed_test,ask_why_run,"
        f"call_mother,brief_recommend,class_low,recall_problem_solve,praise_coming_in,explain_linked,{REPORT}",
        "end_back_on_track",
        "low",
        has="checked_warrants,response_problem_solving",
    ),
    p(
        "evicted and scared: reporting and housing",
        "vd-abscond-recontact",
        0,
        {"truth": "medium"},
        "honest_invite,cover_and_talk,open_story,records_check,observed_test,ask_why_run,"
        "call_agency_discreet,brief_recommend,class_medium,recall_weekly_housing,praise_coming_in,"
        f"explain_linked,{REPORT}",
        "end_community",
        "medium",
        has="response_increased_reporting,referred_to_services",
    ),
    p(
        "co-defendant and meth: day reporting and treatment",
        "vd-abscond-recontact",
        4,
        {"truth": "high"},
        "honest_invite,cover_and_talk,open_story,records_check,observed_test,ask_why_run,"
        "call_mother,brief_recommend,class_high,day_reporting_treatment,praise_coming_in,explain_linked,"
        f"{REPORT}",
        "end_community",
        "high",
        has="response_day_reporting",
    ),
    p(
        "wrong Kevin Lam is cleared",
        "vd-new-arrest",
        3,
        {"truth": "low"},
        "read_file,get_report,brief_and_ask,open_account,ask_what_led,refer_police,"
        f"call_employer_discreet,class_none_low,close_unfounded,praise_record,explain_linked,{REPORT}",
        "end_cleared",
        "low",
        has="closed_unfounded_allegation",
    ),
    p(
        "suspended licence: curfew and reinstatement",
        "vd-new-arrest",
        1,
        {"truth": "medium"},
        "read_file,get_report,brief_and_ask,open_account,ask_what_led,refer_police,call_partner,"
        f"class_medium_medium,curfew_reinstatement,praise_record,explain_linked,{REPORT}",
        "end_community",
        "medium",
        has="response_curfew",
    ),
    p(
        "bar assault: hold with full due process",
        "vd-new-arrest",
        0,
        {"truth": "high"},
        "read_file,get_report,brief_and_ask,open_account,ask_what_led,refer_police,call_partner,"
        f"class_high_high,hold_revocation,{DP_FULL},explain_linked,full_record,objective_sentence,"
        "request_findings",
        "end_revocation",
        "high",
        has="referred_new_crime_to_police," + ",".join(DUE_PROCESS),
    ),
    p(
        "chance meeting: warning and plan",
        "vd-victim-contact",
        2,
        {"truth": "low"},
        "safety_first,map_track,ask_evidence,open_no_source,ask_cause,call_facilitator,"
        f"refer_police,class_low,plan_and_warning,notify_via_vsu,explain_linked,{REPORT}",
        "end_plan",
        "low",
        has="victim_safety_planning,notified_victim",
    ),
    p(
        "apology through his sister: accountability work",
        "vd-victim-contact",
        0,
        {"truth": "medium"},
        "safety_first,map_track,ask_evidence,open_no_source,ask_cause,call_sister,refer_police,"
        f"class_medium,accountability_assignment,notify_via_vsu,explain_linked,{REPORT}",
        "end_community",
        "medium",
        has="response_cognitive_assignment",
    ),
    p(
        "texts and night drives: custody, good cause, notification",
        "vd-victim-contact",
        4,
        {"truth": "high"},
        "safety_first,map_track,ask_evidence,open_no_source,ask_cause,call_facilitator,"
        "refer_police,class_high,custody_revocation,with_police,notify_via_vsu,"
        "notice_with_evidence,"
        "schedule_prelim,rights_good_cause,call_lieutenant,explain_linked,full_record,"
        "objective_sentence,request_findings",
        "end_revocation",
        "high",
        has="notified_victim,requested_good_cause_finding," + ",".join(DUE_PROCESS),
    ),
    p(
        "laid off: a plan she can keep",
        "vd-restitution-job-loss",
        2,
        {"truth": "low"},
        "read_file,pull_ledger,since_closure,financial_statement,workforce_referral,"
        f"brief_supervisor,class_low,plan_request,praise_record,explain_linked,{REPORT}",
        "end_plan",
        "low",
        has="assessed_ability_to_pay,response_problem_solving",
    ),
    p(
        "cash cleaning: reporting with proof",
        "vd-restitution-job-loss",
        0,
        {"truth": "medium"},
        "read_file,pull_ledger,since_closure,financial_statement,workforce_referral,"
        f"brief_supervisor,class_medium,more_reporting,praise_record,explain_linked,{REPORT}",
        "end_sanction",
        "medium",
        has="response_increased_reporting",
    ),
    p(
        "daycare books: disclosure under the condition",
        "vd-restitution-job-loss",
        4,
        {"truth": "high"},
        "read_file,pull_ledger,since_closure,financial_statement,approval_and_disclosure,"
        f"brief_supervisor,class_high,cbt_assignment,praise_record,explain_linked,{REPORT}",
        "end_sanction",
        "high",
        has="employer_notified_under_condition",
    ),
    p(
        "dilute retested, progress rewarded",
        "vd-incentive-progress",
        0,
        {"issue": "dilute", "request": "travel"},
        "read_file,observed_retest,epics_check_in,ask_what_happened,class_low,problem_solve,"
        "make_the_case,"
        "specific_praise,give_certificate,grant_travel,reduce_testing,reduce_reporting_reassess,"
        "set_homework,full_note,objective_sentence",
        "end_rewarded",
        "low",
        has="incentive_verbal_praise,incentive_certificate,incentive_travel_permit,"
        "incentive_reduced_testing,incentive_reduced_reporting",
    ),
    p(
        "missed check-in explained, travel permitted",
        "vd-incentive-progress",
        2,
        {"issue": "missed_checkin", "request": "travel"},
        "read_file,check_voicemail,epics_check_in,ask_what_happened,class_low,problem_solve,"
        "make_the_case,"
        "specific_praise,give_certificate,grant_travel,reduce_testing,reduce_reporting_reassess,"
        "set_homework,full_note,objective_sentence",
        "end_rewarded",
        "low",
        has="discreet_workplace_contact,incentive_travel_permit",
    ),
    p(
        "dilute retested, curfew extended",
        "vd-incentive-progress",
        1,
        {"issue": "dilute", "request": "curfew"},
        "read_file,observed_retest,epics_check_in,ask_what_happened,class_low,problem_solve,"
        "make_the_case,"
        "specific_praise,give_certificate,grant_curfew,reduce_testing,reduce_reporting_reassess,"
        "set_homework,full_note,objective_sentence",
        "end_rewarded",
        "low",
        has="incentive_curfew_extension",
    ),
]

# facts a best path never carries: each is a deviation or worse in the pack
NEVER_ON_BEST = set(
    [
        "decided_before_gathering_facts",
        "proceeded_without_verification",
        "skipped_case_file_review",
        "skipped_office_file_review",
        "misclassified_violation_severity",
        "misread_matrix_cell",
        "provided_written_reasons",
        "questioned_about_pending_charge",
        "promised_statement_not_used",
        "jailed_without_hearing_or_waiver",
        "custody_without_approval",
        "oversupervised_low_risk",
        "report_conclusory",
        "report_omits_exculpatory",
        "report_late",
        "report_incomplete",
        "missed_incentive_opportunity",
        "vague_praise",
        "moralised",
        "confront",
        "threat",
        "response_not_explained",
        "ignored_violation",
        "delayed_response",
        "acted_without_required_approval",
        "notice_verbal_only",
        "withheld_evidence_from_person",
        "acted_as_hearing_officer_on_own_case",
        "detained_without_preliminary_hearing",
        "denied_confrontation_without_good_cause",
        "disclosed_record_to_third_party",
        "disclosed_status_to_employer",
        "disclosed_case_details_to_victim",
        "disclosed_victim_report_to_offender",
        "skipped_victim_notification",
        "investigated_new_crime_alone",
        "kept_new_crime_from_police",
        "made_unkeepable_promise",
        "sanctioned_on_unconfirmed_positive",
        "broke_chain_of_custody",
        "unobserved_collection",
        "arrest_alone",
        "skipped_ability_to_pay",
        "skipped_to_demands",
        "epics_skipped_step",
        "no_decision_in_time",
    ]
)

WRONG = [
    p(
        "a timed-out supervisor jails a lab-negative cook without due process",
        "vd-first-positive-test",
        1,
        {"low_story": "lab_negative"},
        "skip_file,seal_quietly,open_account,warn_about_lying,send_lab,check_history,timeout,"
        "notice_verbal,sign_pc_yourself,rights_brief,skip_approval,paperwork_only,violation_only,"
        "relapsed_sentence,file_next_week",
        "end_jail",
        "low",
        has="response_short_jail,acted_as_hearing_officer_on_own_case,report_omits_exculpatory",
        fails_for="too_severe,due_process,critical:acted_as_hearing_officer_on_own_case",
    ),
    p(
        "confronting her before listening ends the meeting",
        "vd-first-positive-test",
        0,
        {"truth": "low"},
        "skip_file,toss_sample,confront_result,warn_about_lying",
        "end_walkout",
        "low",
        has="confront,broke_chain_of_custody",
        fails_for="no_response",
    ),
    p(
        "a hospital run is sent to a revocation hearing without a preliminary hearing",
        "vd-curfew-gps",
        2,
        {"truth": "low"},
        "call_warrant_desk,alert_only,skip_logs,threaten_revocation,lecture,accept_account,timeout,"
        "notice_without_evidence,wait_for_board,rights_brief,skip_approval,no_explanation,"
        "alert_record,all_night_sentence,file_later",
        "end_revocation",
        "low",
        has="response_revocation_hearing,detained_without_preliminary_hearing,"
        "withheld_evidence_from_person",
        fails_for="too_severe,due_process,critical:detained_without_preliminary_hearing",
    ),
    p(
        "a night in a bar answered with a warning ends in a crash",
        "vd-curfew-gps",
        4,
        {"truth": "high"},
        "skip_file,alert_only,skip_logs,open_question,lecture,accept_account,brief_supervisor,"
        "class_medium_drink,written_warning,skip_praise,explain_plain,alert_record,all_night_sentence,reasons_today",
        "end_harm",
        "high",
        has="response_warning",
        fails_for="too_lenient",
    ),
    p(
        "a threat on the phone and a wait leave him at large",
        "vd-abscond-recontact",
        3,
        {"truth": "low"},
        "warn_police,wait_for_him",
        "end_at_large",
        "high",
        has="threat,delayed_response",
        fails_for="no_response,undone",
    ),
    p(
        "a broken promise and a revocation for a man who was in jail",
        "vd-abscond-recontact",
        3,
        {"truth": "low"},
        "promise_no_jail,cuff_in_lobby,lecture_abscond,skip_records,skip_test,lecture_again,"
        "call_agency_status,book_him,notice_verbal,sign_pc_yourself,rights_brief,skip_approval,"
        "no_explanation,abscond_record,absconder_sentence,file_later",
        "end_revocation",
        "low",
        has="made_unkeepable_promise,response_revocation_hearing,acted_as_hearing_officer_on_own_case",
        fails_for="too_severe,due_process,critical:acted_as_hearing_officer_on_own_case",
    ),
    p(
        "a timed-out hold keeps the wrong Kevin Lam in jail",
        "vd-new-arrest",
        3,
        {"truth": "low"},
        "call_jail_hold,trust_the_alert,timeout,no_interview,notice_without_evidence,"
        "let_criminal_case_cover,rights_brief,skip_approval,no_explanation,charge_record,"
        "dangerous_sentence,file_later",
        "end_revocation",
        "low",
        has="response_revocation_hearing,detained_without_preliminary_hearing",
        fails_for="too_severe,due_process,critical:detained_without_preliminary_hearing",
    ),
    p(
        "investigating the assault alone and releasing him after a talk",
        "vd-new-arrest",
        0,
        {"truth": "high"},
        "read_file,get_report,brief_and_ask,offer_deal,lecture,go_to_bar,call_employer_status,"
        "class_medium_high,problem_solving,skip_praise,explain_plain,charge_record,committed_sentence,"
        "reasons_today",
        "end_harm",
        "high",
        has="investigated_new_crime_alone,made_unkeepable_promise",
        fails_for="too_lenient,verdict:investigated_new_crime_alone",
    ),
    p(
        "letting a stalker leave undecided, with no notification",
        "vd-victim-contact",
        4,
        {"truth": "high"},
        "need_screenshots,alerts_only,her_word_enough,she_reported_you,lecture,skip_calls,"
        "keep_in_parole,class_medium_texts,timeout,leave_to_system,explain_plain,against_him_only,harmless_sentence,"
        "reasons_today",
        "end_harm",
        "high",
        has="disclosed_victim_report_to_offender,kept_new_crime_from_police,"
        "skipped_victim_notification",
        fails_for="no_response,critical:disclosed_victim_report_to_offender,verdict:skipped_victim_notification",
    ),
    p(
        "custody without confrontation or a neutral hearing officer",
        "vd-victim-contact",
        4,
        {"truth": "high"},
        "safety_first,map_track,ask_evidence,open_no_source,ask_cause,call_facilitator,"
        "call_the_number,class_high,custody_revocation,cuff_yourself,tell_her_everything,"
        "notice_without_evidence,"
        "sign_pc_yourself,rights_no_confrontation,skip_lieutenant,explain_plain,full_record,"
        "stalking_sentence,written_reasons_packet",
        "end_revocation",
        "high",
        has="denied_confrontation_without_good_cause,acted_as_hearing_officer_on_own_case,"
        "disclosed_case_details_to_victim",
        fails_for="due_process,critical:acted_as_hearing_officer_on_own_case,verdict:denied_confrontation_without_good_cause",
    ),
    p(
        "a laid-off grandmother docketed for revocation by default",
        "vd-restitution-job-loss",
        2,
        {"truth": "low"},
        "demand_letter,arrears_only,demand_payment,order_is_order,any_job,timeout,notice_verbal,"
        "wait_for_board,rights_brief,skip_approval,no_explanation,arrears_record,refuses_sentence,"
        "file_later",
        "end_revocation",
        "low",
        has="skipped_ability_to_pay,response_revocation_hearing,detained_without_preliminary_hearing",
        fails_for="too_severe,due_process,critical:detained_without_preliminary_hearing,verdict:skipped_ability_to_pay",
    ),
    p(
        "a hidden bookkeeping job answered with a warning",
        "vd-restitution-job-loss",
        4,
        {"truth": "high"},
        "skip_file,arrears_only,why_stopped,bring_documents,workforce_referral,brief_supervisor,"
        f"class_medium_unreported,warning_and_plan,skip_praise,explain_plain,{REPORT}",
        "end_police",
        "high",
        has="response_warning",
        fails_for="too_lenient",
    ),
    p(
        "a dilute treated as a positive and no progress rewarded",
        "vd-incentive-progress",
        1,
        {"issue": "dilute"},
        "read_issue_only,assume_worst,straight_to_problem,lecture_rules,class_medium_dilute,"
        "dilute_as_positive,timeout,"
        "vague_praise,nothing_formal,deny_request,add_testing,leave_as_is,no_homework,problem_note,"
        "slipping_sentence",
        "end_restricted",
        "low",
        has="sanctioned_on_unconfirmed_positive,response_curfew,missed_incentive_opportunity",
        fails_for="verdict:sanctioned_on_unconfirmed_positive",
    ),
    p(
        "six months of progress go unrewarded after a timed-out talk with the sergeant",
        "vd-incentive-progress",
        2,
        {"issue": "missed_checkin"},
        "read_file,check_voicemail,straight_to_problem,ask_what_happened,class_low_low,"
        "written_warning,timeout,"
        "vague_praise,nothing_formal,deny_request,keep_weekly,leave_as_is,no_homework,problem_note,"
        "objective_sentence",
        "end_discouraged",
        "low",
        has="missed_incentive_opportunity,vague_praise",
        fails_for="no_incentive",
    ),
]


def test_every_scenario_has_a_best_and_a_wrong_path() -> None:
    assert {b.sid for b in BEST} == set(IDS)
    assert {w.sid for w in WRONG} == set(IDS)


@pytest.mark.parametrize("path", BEST, ids=lambda b: f"{b.sid}: {b.name}")
def test_best_path_reaches_its_ending_with_the_right_severity_and_clean_facts(
    library: dict[str, ScenarioFile], path: Path_
) -> None:
    session = play(library, path)
    assert session.ended and session.node_id == path.ending
    assert session.vars["violation_severity"] == path.severity
    facts = facts_of(session)
    assert set(path.has) <= set(facts), set(path.has) - set(facts)
    assert NEVER_ON_BEST.isdisjoint(facts), NEVER_ON_BEST & set(facts)
    assert "classified_violation_correctly" in facts
    if "response_revocation_hearing" in facts:
        assert set(DUE_PROCESS) <= set(facts)
    elif "response_short_jail" in facts:
        assert set(ADMINISTRATIVE) <= set(facts)
    if any(f in CUSTODY_RESPONSES for f in facts):
        assert "supervisor_approved_custody" in facts


@pytest.mark.parametrize("path", WRONG, ids=lambda w: f"{w.sid}: {w.name}")
def test_wrong_path_ends_in_the_failure_it_was_written_for(
    library: dict[str, ScenarioFile], path: Path_
) -> None:
    session = play(library, path)
    assert session.ended and session.node_id == path.ending
    assert session.vars["violation_severity"] == path.severity
    facts = facts_of(session)
    assert set(path.has) <= set(facts), set(path.has) - set(facts)
    if "response_revocation_hearing" in facts:
        assert not set(DUE_PROCESS) <= set(facts), "a wrong custody path completed due process"
    elif "response_short_jail" in facts:
        assert not set(ADMINISTRATIVE) <= set(facts), "a wrong custody path completed due process"


def test_gathering_the_facts_changes_the_severity_the_scorer_reads(
    library: dict[str, ScenarioFile],
) -> None:
    """The alert says 'curfew violation' (medium); the hospital track makes it low."""
    session = start(library, "vd-curfew-gps", 2)
    assert session.persona["truth"] == "low"
    assert session.vars["violation_severity"] == "medium"
    session.choose("read_file")
    session.choose("full_track")
    assert session.vars["violation_severity"] == "low"


def test_cli_run_of_a_best_path_prints_a_log_that_ends_where_the_test_does() -> None:
    best = BEST[0]
    result = cli(
        "run", best.sid, "--seed", str(best.seed), "--choices", ",".join(best.choices), "--json"
    )
    assert result.returncode == 0, result.stderr
    log = json.loads(result.stdout)
    assert log["scenario"]["id"] == best.sid
    assert log["ending"]["id"] == best.ending
    chosen = [e["choice"] for e in log["events"] if e["type"] == "chose"]
    assert chosen == list(best.choices)


# ---------------------------------------------------------------- scored by the policy pack


@pytest.fixture(scope="module")
def pack() -> PolicyPack:
    return model_pack()


def score(library: Mapping[str, ScenarioFile], pack: PolicyPack, path: Path_) -> dict[str, Any]:
    report: dict[str, Any] = score_session(play(library, path), library[path.sid], pack).to_dict()
    return report


def test_every_wrong_path_names_why_it_fails() -> None:
    assert all(w.fails_for for w in WRONG)


@pytest.mark.parametrize("path", BEST, ids=lambda b: f"{b.sid}: {b.name}")
def test_best_path_passes_with_a_high_score_inside_the_band(
    library: dict[str, ScenarioFile], pack: PolicyPack, path: Path_
) -> None:
    report = score(library, pack, path)
    assert report["passed"] and report["overall"] >= 90, report["overall"]
    assert report["critical_failures"] == []
    assert {d["verdict"] for d in report["decisions"]} <= {"exemplary", "acceptable"}
    assert report["undone"] == []
    classified = [d for d in report["decisions"] if d["node"] == "classify"]
    assert [(d["verdict"], d["policy"]["id"]) for d in classified] == [("exemplary", "MSDP-7.13")]
    sanction = report["sanction"]
    assert sanction["severity"] == path.severity
    assert sanction["risk"] == library[path.sid].scenario.case_file.risk_level.value
    closed = "closed_unfounded_allegation" in path.has
    assert sanction["assessment"] == ("no_response" if closed else "within")
    assert sanction["due_process_complete"] and sanction["notifications_complete"]


@pytest.mark.parametrize("path", WRONG, ids=lambda w: f"{w.sid}: {w.name}")
def test_wrong_path_fails_for_the_reason_it_was_written_for(
    library: dict[str, ScenarioFile], pack: PolicyPack, path: Path_
) -> None:
    report = score(library, pack, path)
    assert not report["passed"]
    sanction = report["sanction"]
    criticals = {c["fact"] for c in report["critical_failures"]}
    judged = {j["fact"]: j["verdict"] for d in report["decisions"] for j in d["judgments"]}
    for reason in path.fails_for:
        kind, _, fact = reason.partition(":")
        if kind in ("too_severe", "too_lenient", "no_response"):
            assert sanction["assessment"] == kind
        elif kind == "due_process":
            assert not sanction["due_process_complete"]
        elif kind == "critical":
            assert fact in criticals
        elif kind == "verdict":
            assert judged[fact] in ("violation", "critical"), judged[fact]
        elif kind == "undone":
            assert report["undone"], report["fail_reasons"]
            assert any("left undone" in r for r in report["fail_reasons"])
        else:
            assert kind == "no_incentive"
            assert sanction["incentives"] == []
            assert "Her progress was recognised with an incentive" in report["undone"]


# ---------------------------------------------------------------- issue 11: the response model


def decision(report: dict[str, Any], node: str) -> dict[str, Any]:
    found: dict[str, Any] = next(d for d in report["decisions"] if d["node"] == node)
    return found


def verdict_and_policy(report: dict[str, Any], node: str) -> tuple[str, str]:
    d = decision(report, node)
    return d["verdict"], d["policy"]["id"]


CURFEW_BAR = (
    "read_file,full_track,pull_logs,show_map,ask_cause,verify_source,brief_supervisor,class_high,"
    "{response},praise_specific,explain_linked," + REPORT
)


def test_an_override_one_level_below_the_band_with_reasons_and_approval_passes(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    """MSDP-7.02: a night in a bar (high x moderate, levels 4-6) answered with a curfew."""
    path = p(
        "override",
        "vd-curfew-gps",
        4,
        {"truth": "high"},
        CURFEW_BAR.format(response="curfew_override"),
        "end_sanction",
        "high",
    )
    report = score(library, pack, path)
    assert report["passed"], report["fail_reasons"]
    assert decision(report, "response")["verdict"] in ("exemplary", "acceptable")
    matrix = next(
        j for j in decision(report, "response")["judgments"] if j["fact"] == "response_curfew"
    )
    assert (matrix["verdict"], matrix["policy"]["id"]) == ("acceptable", "MSDP-7.02")
    assert "override with written reasons and supervisor approval" in matrix["feedback"]
    sanction = report["sanction"]
    assert (sanction["assessment"], sanction["steps_outside"]) == ("too_lenient", 1)
    assert sanction["override_accepted"]


def test_the_same_response_without_reasons_and_approval_fails_as_too_lenient(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    path = p(
        "no override",
        "vd-curfew-gps",
        4,
        {"truth": "high"},
        CURFEW_BAR.format(response="curfew_below_no_approval"),
        "end_sanction",
        "high",
    )
    report = score(library, pack, path)
    assert not report["passed"]
    assert verdict_and_policy(report, "response") == ("deviation", "MSDP-7.02")
    assert any(
        "too lenient" in r and "no written reasons with supervisor approval" in r
        for r in report["fail_reasons"]
    ), report["fail_reasons"]


FPT_SINGLE_USE = (
    "read_file,explain_and_seal,ask_meds,ask_why,admission_form,call_counselor,brief_and_decide,"
    "class_low,{response},praise_progress,explain_linked," + REPORT
)


def test_a_relapse_assessment_with_weekly_testing_for_a_low_risk_person_is_not_too_severe(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    """The treatment referral is a need-based response; the testing is level 2, inside 1-2."""
    path = p(
        "treatment",
        "vd-first-positive-test",
        6,
        {"truth": "low", "low_story": "one_time_use"},
        FPT_SINGLE_USE.format(response="treatment_and_testing"),
        "end_referral",
        "low",
    )
    report = score(library, pack, path)
    assert report["passed"], report["fail_reasons"]
    sanction = report["sanction"]
    assert (sanction["chosen_level"], sanction["assessment"]) == (2, "within")
    assert sanction["need_responses"] == ["response_treatment_referral"]
    referral = next(
        j
        for j in decision(report, "response")["judgments"]
        if j["fact"] == "response_treatment_referral"
    )
    assert (referral["verdict"], referral["policy"]["id"]) == ("acceptable", "MSDP-7.04")


def test_over_servicing_a_low_risk_person_is_judged_under_its_own_rule(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    path = p(
        "over-servicing",
        "vd-first-positive-test",
        6,
        {"truth": "low", "low_story": "one_time_use"},
        FPT_SINGLE_USE.format(response="intensive_program"),
        "end_referral",
        "low",
    )
    report = score(library, pack, path)
    assert verdict_and_policy(report, "response") == ("deviation", "MSDP-8.02")
    assert report["sanction"]["assessment"] == "within"  # the sanction itself fits the cell


@pytest.mark.parametrize(
    ("sid", "seed", "choices", "fact"),
    [
        (
            "vd-curfew-gps",
            0,
            "read_file,full_track,pull_logs,show_map,ask_cause,verify_source,brief_supervisor,"
            "class_medium_two_priors",
            "misread_matrix_cell",
        ),
        (
            "vd-new-arrest",
            1,
            "read_file,get_report,brief_and_ask,open_account,ask_what_led,refer_police,call_partner,"
            "class_high_medium",
            "misclassified_violation_severity",
        ),
        (
            "vd-victim-contact",
            0,
            "safety_first,map_track,ask_evidence,open_no_source,ask_cause,call_sister,refer_police,"
            "class_low_apology",
            "misclassified_violation_severity",
        ),
    ],
)
def test_the_trainee_sets_the_severity_and_a_wrong_cell_is_a_deviation_under_7_13(
    library: dict[str, ScenarioFile], sid: str, seed: int, choices: str, fact: str
) -> None:
    session = start(library, sid, seed)
    for c in choices.split(","):
        session.choose(c)
    assert session.decisions[-1].facts == (fact,)
    cj = judge_facts(load_pack(find_pack("model-state-parole")), [fact], set())
    assert cj.verdict is not None and cj.verdict.value == "deviation"
    assert cj.deciding.rule.rule.policy == "MSDP-7.13"


def test_every_scenario_records_its_prior_responses_for_the_matrix(
    library: dict[str, ScenarioFile],
) -> None:
    for sid in IDS:
        assert library[sid].scenario.variables["prior_responses"].type == "int", sid


NEW_ARREST_HIGH = (
    "read_file,get_report,brief_and_ask,open_account,ask_what_led,refer_police,call_partner,"
    "class_high_high"
)


def test_new_arrest_seed_0_passes_on_the_revocation_track_with_findings_requested(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    """It used to fail at 93.3: the hearing body's written statement was an officer step."""
    best = next(b for b in BEST if b.name == "bar assault: hold with full due process")
    report = score(library, pack, best)
    assert report["passed"] and report["fail_reasons"] == []
    sanction = report["sanction"]
    assert sanction["track"] == "Revocation track (Morrissey v. Brewer)"
    steps = {s["fact"]: s["done"] for s in sanction["due_process"] if s["required"]}
    assert steps == dict.fromkeys(DUE_PROCESS, True)
    assert verdict_and_policy(report, "dp_approval") == ("exemplary", "MSDP-7.10")


def test_writing_the_hearing_bodys_statement_yourself_is_a_deviation(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    path = p(
        "officer writes the findings",
        "vd-new-arrest",
        0,
        {"truth": "high"},
        f"{NEW_ARREST_HIGH},hold_revocation,{DP_FULL},explain_linked,full_record,"
        "objective_sentence,written_reasons_packet",
        "end_revocation",
        "high",
    )
    report = score(library, pack, path)
    assert verdict_and_policy(report, "report_finish") == ("deviation", "MSDP-7.06")
    assert not report["sanction"]["due_process_complete"]
    assert any("written statement of evidence and reasons" in r for r in report["fail_reasons"])


def test_a_short_jail_stay_passes_on_the_administrative_track(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    path = p(
        "administrative",
        "vd-new-arrest",
        4,
        {"truth": "high"},
        f"{NEW_ARREST_HIGH},jail_sanction,{DP_ADMIN},explain_linked,{REPORT}",
        "end_jail",
        "high",
    )
    report = score(library, pack, path)
    assert report["passed"], report["fail_reasons"]
    sanction = report["sanction"]
    assert sanction["track"] == "Administrative short-jail track"
    assert [s["fact"] for s in sanction["due_process"]] == list(ADMINISTRATIVE)
    assert verdict_and_policy(report, "dp_prelim") == ("acceptable", "MSDP-7.12")


def test_a_short_jail_stay_without_a_hearing_or_waiver_or_approval_fails(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    path = p(
        "administrative, skipped",
        "vd-new-arrest",
        4,
        {"truth": "high"},
        f"{NEW_ARREST_HIGH},jail_sanction,notice_with_evidence,jail_no_hearing,rights_brief,"
        f"skip_approval,explain_linked,{REPORT}",
        "end_jail",
        "high",
    )
    report = score(library, pack, path)
    assert not report["passed"]
    assert verdict_and_policy(report, "dp_prelim") == ("violation", "MSDP-7.12")
    assert verdict_and_policy(report, "dp_approval") == ("violation", "MSDP-7.10")
    reason = next(r for r in report["fail_reasons"] if r.startswith("due process"))
    assert "Administrative short-jail track" in reason
    assert "A chance to respond before the sanction" in reason
    assert "Supervisor approval before a custodial or revocation response" in reason


@pytest.mark.parametrize(
    ("choice", "verdict", "policy"),
    [
        ("open_account", "exemplary", "MSDP-10.02"),
        ("ask_friday", "violation", "MSDP-10.02"),
        ("read_charge", "violation", "MSDP-10.02"),
        ("offer_deal", "violation", "MSDP-10.01"),
    ],
)
def test_questions_about_the_pending_charge_are_left_to_police_and_the_prosecutor(
    library: dict[str, ScenarioFile], pack: PolicyPack, choice: str, verdict: str, policy: str
) -> None:
    path = p(
        "statements",
        "vd-new-arrest",
        0,
        {"truth": "high"},
        f"read_file,get_report,brief_and_ask,{choice}",
        "",
        "high",
    )
    session = play(library, path)
    report = score_session(session, library["vd-new-arrest"], pack).to_dict()
    assert verdict_and_policy(report, "interview") == (verdict, policy)


@pytest.mark.parametrize(
    ("sid", "seed", "first"),
    [
        ("vd-first-positive-test", 0, "skip_file"),
        ("vd-curfew-gps", 0, "skip_file"),
        ("vd-new-arrest", 0, "skip_file"),
        ("vd-restitution-job-loss", 0, "skip_file"),
        ("vd-incentive-progress", 0, "read_issue_only"),
    ],
)
def test_skipping_the_office_file_is_a_decision_making_lapse_not_officer_safety(
    library: dict[str, ScenarioFile], pack: PolicyPack, sid: str, seed: int, first: str
) -> None:
    session = start(library, sid, seed)
    session.choose(first)
    report = score_session(session, library[sid], pack).to_dict()
    judged = decision(report, session.decisions[0].node)["judgments"]
    assert [(j["fact"], j["verdict"], j["competency"], j["policy"]["id"]) for j in judged] == [
        ("skipped_office_file_review", "deviation", "violation_response", "MSDP-7.01")
    ]
    assert pack.competencies["violation_response"].fto_category == "problem_solving_decision_making"
    safety = next(c for c in report["competencies"] if c["id"] == "field_safety")
    assert safety["judgments"] == 0


def test_the_two_decision_abscond_path_no_longer_passes(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    """Handing a no-show to police ends the run, but the job (investigation, response,
    report) was never done, so the run fails and says what was left undone."""
    path = p(
        "two decisions",
        "vd-abscond-recontact",
        3,
        {"truth": "low"},
        "warn_police,hand_to_police",
        "end_police",
        "high",
    )
    report = score(library, pack, path)
    assert verdict_and_policy(report, "no_show")[0] == "exemplary"
    assert not report["passed"]
    assert report["undone"] == [r.title for r in library["vd-abscond-recontact"].scenario.requires]


def test_an_honest_call_always_brings_him_in(library: dict[str, ScenarioFile]) -> None:
    for seed in range(40):
        session = start(library, "vd-abscond-recontact", seed)
        session.choose("honest_invite")
        assert session.node_id == "arrival", seed
