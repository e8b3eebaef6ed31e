"""The motivational interviewing conversations: the bar each meets, their paths, the client model.

Each conversation has a best (MI-adherent) path and a confront/persuade path
written out by hand with a seed whose persona is known, so a change to the
scenario that breaks the intended story fails here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from engine.compile import CompiledScenario, compile_scenario
from engine.graph import endings, longest_decision_path
from engine.lint import lint_paths
from engine.loader import ScenarioFile, load_scenario
from engine.mechanics.trajectory import client_trajectory
from engine.model import Decision
from engine.session import Session
from scoring.lintcheck import pack_checks
from scoring.pack import PolicyPack, find_pack, load_pack
from scoring.report import ScoreReport
from scoring.rules import judge_facts
from scoring.scorer import rescore_log, score_session, trace_from_stored
from simulator.commands.play import autopilot
from tests.clirun import cli

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "scenarios" / "motivational_interviewing"
EPICS = ("check_in", "review", "intervention", "homework")
MI_FACTS = {
    "giving_information",
    "persuade",
    "persuade_with_permission",
    "question_open",
    "question_closed",
    "simple_reflection",
    "complex_reflection",
    "affirm",
    "seeking_collaboration",
    "emphasizing_autonomy",
    "confront",
}


@dataclass(frozen=True)
class Path_:
    seed: int
    persona: dict[str, object]
    choices: tuple[str, ...]
    ending: str
    outcome: str


@dataclass(frozen=True)
class Case:
    id: str
    situation: tuple[str, ...]  # persona values that change what the trainee meets
    best: Path_
    wrong: Path_
    # a well-meant interview that asks far more than it reflects (R:Q below 1) but is
    # otherwise sound: every EPICS step, the person's own next step, no persuasion
    questions: Path_


CASES = [
    Case(
        id="mi-assessment-deadline",
        situation=("stressor", "urge_card"),
        best=Path_(
            seed=1,
            persona={"stressor": "close_call", "urge_card": "filled_in"},
            choices=(
                "open_check_in",
                "reflect_two_parts",
                "reflect_looking",
                "info_and_role",
                "double_sided",
                "both_sides",
                "reflect_father",
                "reflect_fear",
                "ask_permission_info",
                "reflect_change_talk",
                "cognitive_model",
                "he_picks_homework",
                "summary",
                "call_together",
                "monday_reflect",
            ),
            ending="end_monday",
            outcome="resolved",
        ),
        wrong=Path_(
            seed=1,
            persona={"stressor": "close_call", "urge_card": "filled_in"},
            choices=(
                "deadline_first",
                "warn_violation",
                "set_him_straight",
                "health_lecture",
                "do_it_for_her",
                "promise_outpatient",
                "order_sit",
            ),
            ending="end_walkout",
            outcome="escalated",
        ),
        questions=Path_(
            seed=0,
            persona={"stressor": "quiet_week", "urge_card": "forgot"},
            choices=(
                "open_check_in",
                "affirm_went",
                "notice_card",
                "info_and_role",
                "double_sided",
                "both_sides",
                "affirm_coach",
                "ask_what_heard",
                "ask_permission_info",
                "key_question",
                "cognitive_model",
                "he_picks_homework",
                "autonomy_close",
                "think_it_over",
                "monday_time",
            ),
            ending="end_monday",
            outcome="resolved",
        ),
    ),
    Case(
        id="mi-job-search",
        situation=("setback", "applications", "childcare"),
        best=Path_(
            seed=2,
            persona={
                "setback": "hollis_fresh",
                "applications": "one",
                "childcare": "mother_worn_out",
            },
            choices=(
                "open_check_in",
                "reflect_card",
                "reflect_box",
                "explain_and_ask",
                "reflect_protect",
                "take_it",
                "affirm_warehouse",
                "reflect_control",
                "reflect_unheard",
                "permission_rights",
                "problem_solve",
                "she_picks",
                "summary",
                "step_down",
                "stepped_reflect",
            ),
            ending="end_stepped_down",
            outcome="incentive",
        ),
        wrong=Path_(
            seed=2,
            persona={
                "setback": "hollis_fresh",
                "applications": "one",
                "childcare": "mother_worn_out",
            },
            choices=(
                "straight_to_jobs",
                "not_enough",
                "missing_is_violation",
                "excuse",
                "sit_down",
            ),
            ending="end_walkout",
            outcome="escalated",
        ),
        questions=Path_(
            seed=0,
            persona={"setback": "hollis_fresh", "applications": "none"},
            choices=(
                "open_check_in",
                "ask_hr",
                "affirm_honest",
                "explain_and_ask",
                "reflect_protect",
                "take_it",
                "affirm_warehouse",
                "ask_to_raise",
                "ask_what_know",
                "ask_rights_more",
                "problem_solve",
                "she_picks",
                "your_choice",
                "step_down",
                "stepped_when",
            ),
            ending="end_stepped_down",
            outcome="incentive",
        ),
    ),
    Case(
        id="mi-housing-notice",
        situation=("motel_news", "ray_offer", "harbor_call"),
        best=Path_(
            seed=3,
            persona={"motel_news": "sale_notice", "ray_offer": True, "marisol_mood": "warm"},
            choices=(
                "open_check_in",
                "reflect_loss",
                "reflect_harbor",
                "explain_rules",
                "ask_to_raise",
                "reflect_pride",
                "reflect_six_months",
                "reflect_value",
                "his_call",
                "his_to_tell",
                "problem_solve",
                "he_chooses",
                "summary",
                "residence_request",
                "alder_reflect",
            ),
            ending="end_alder_falls",
            outcome="resolved",
        ),
        wrong=Path_(
            seed=3,
            persona={"motel_news": "sale_notice", "ray_offer": True, "marisol_mood": "warm"},
            choices=(
                "heard_about_motel",
                "charity_not",
                "rules_warning",
                "absolutely_not",
                "not_dismissed",
            ),
            ending="end_walkout",
            outcome="escalated",
        ),
        questions=Path_(
            seed=0,
            persona={"motel_news": "sale_notice", "ray_offer": False},
            choices=(
                "open_check_in",
                "ask_feel",
                "affirm_honest",
                "explain_rules",
                "reflect_pride",
                "ask_right",
                "affirm_receipts",
                "his_call",
                "problem_solve",
                "he_chooses",
                "choice_is_yours",
                "harbor_referral",
                "harbor_when",
            ),
            ending="end_harbor",
            outcome="referral",
        ),
    ),
    Case(
        id="mi-reconnecting-owen",
        situation=("owen_reply", "cravings", "passive_thoughts"),
        best=Path_(
            seed=35,
            persona={"owen_reply": "why_now", "cravings": True, "passive_thoughts": True},
            choices=(
                "open_check_in",
                "reflect_answer",
                "reflect_held_on",
                "reflect_facing",
                "review_and_affirm",
                "ask_directly",
                "safety_plan",
                "double_sided",
                "reflect_guardian",
                "reflect_still",
                "ask_permission",
                "options_together",
                "she_picks",
                "summary",
                "refer_family",
                "family_reflect",
            ),
            ending="end_family_referral",
            outcome="referral",
        ),
        wrong=Path_(
            seed=35,
            persona={"owen_reply": "why_now", "cravings": True, "passive_thoughts": True},
            choices=(
                "letter_first",
                "read_it_through",
                "treatment_warning",
                "dont_say_that",
                "stay_away_wrong",
                "sit_back_down",
            ),
            ending="end_walkout",
            outcome="escalated",
        ),
        questions=Path_(
            seed=2,
            persona={"owen_reply": "silence", "cravings": False, "passive_thoughts": False},
            choices=(
                "open_check_in",
                "ask_feel",
                "ask_writing",
                "review_and_affirm",
                "ask_directly",
                "double_sided",
                "ask_mom",
                "affirm_letters",
                "what_help",
                "options_together",
                "she_picks",
                "her_choice",
                "refer_family",
                "family_when",
            ),
            ending="end_family_referral",
            outcome="referral",
        ),
    ),
    Case(
        id="mi-parole-is-pointless",
        situation=("incident", "long_road"),
        best=Path_(
            seed=3,
            persona={"incident": "father_fall", "long_road": True},
            choices=(
                "clarify_role",
                "reflect_waiting",
                "review_intensity",
                "reflect_circles",
                "reflect_setup",
                "reflect_tired",
                "reflect_father",
                "not_condition",
                "reflect_meaning",
                "plan_visits",
                "his_task",
                "summary",
                "incentive",
                "incentive_reflect",
            ),
            ending="end_incentive",
            outcome="incentive",
        ),
        wrong=Path_(
            seed=0,
            persona={"incident": "police_stop", "long_road": False},
            choices=("attitude", "cop_did_job", "weekly_stays", "you_were_told", "sit"),
            ending="end_walkout",
            outcome="escalated",
        ),
        questions=Path_(
            seed=0,
            persona={"incident": "police_stop", "long_road": False},
            choices=(
                "clarify_role",
                "affirm_reported",
                "review_intensity",
                "ask_circles",
                "reflect_setup",
                "ask_years",
                "affirm_visits",
                "not_condition",
                "which_thursday",
                "plan_visits",
                "his_task",
                "your_call",
                "refer_long_road",
                "luis_when",
            ),
            ending="end_luis",
            outcome="referral",
        ),
    ),
]
IDS = [c.id for c in CASES]


def scenario_file(case: Case) -> ScenarioFile:
    return load_scenario(FOLDER / f"{case.id}.yaml")


def compiled(case: Case) -> CompiledScenario:
    return compile_scenario(scenario_file(case))


def pack() -> PolicyPack:
    return load_pack(find_pack("model-state-parole"))


def score(case: Case, session: Session) -> ScoreReport:
    return score_session(session, scenario_file(case), pack())


def play(case: Case, path: Path_) -> Session:
    s = Session.start(compiled(case), path.seed, clock=lambda: 0.0, wall_clock=False)
    for choice in path.choices:
        assert not s.ended, f"ended at {s.node_id} before {choice}"
        if choice == "timeout":
            s.time_out()
        else:
            s.choose(choice)
    return s


def test_every_conversation_in_the_folder_is_covered_here() -> None:
    on_disk = sorted(p.stem for p in FOLDER.glob("*.yaml"))
    assert on_disk == sorted(IDS)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_lint_is_clean(case: Case) -> None:
    problems = lint_paths([FOLDER / f"{case.id}.yaml"], extra_checks=pack_checks())
    assert [p.format() for p in problems] == []


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_conversation_meets_the_authoring_bar(case: Case) -> None:
    s = scenario_file(case).scenario
    assert s.family == "motivational_interviewing"
    assert s.id.startswith("mi-")
    assert s.client is not None
    assert longest_decision_path(s) >= 12
    assert len(set(endings(s).values())) >= 4
    decisions = [n for n in s.nodes.values() if isinstance(n, Decision)]
    assert any(d.timeout is not None for d in decisions)
    assert {n.phase for n in s.nodes.values()} >= set(EPICS)
    for node in decisions:
        for choice in node.choices:
            assert choice.facts, f"{choice.id} carries no facts"
            coded = set(choice.facts) & MI_FACTS
            if coded:
                assert choice.say, f"{choice.id}: no officer line to quote in the MITI summary"
            # a timed moment may turn on another duty (confidentiality, waiting it out)
            epics = any(f.startswith("epics_") for f in choice.facts)
            assert coded or epics or node.timeout is not None, f"{choice.id}: no MITI/EPICS code"
    used = {f for d in decisions for c in d.choices for f in c.facts}
    assert {"complex_reflection", "confront", "persuade", "persuade_with_permission"} <= used


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_spoken_option_is_the_officers_words_with_one_miti_code(case: Case) -> None:
    """The trainee reads what the officer would say, never the name of the technique."""
    code_of = pack().miti_code_of_fact
    for node in scenario_file(case).scenario.nodes.values():
        if not isinstance(node, Decision):
            continue
        for choice in node.choices:
            codes = [code_of[f] for f in choice.facts if f in code_of]
            if choice.say is None:
                assert choice.text.startswith("(") and choice.text.endswith(")"), choice.id
                assert codes == [], f"{choice.id}: a silence carries no MITI code"
            else:
                assert choice.text == choice.say, f"{choice.id}: the option is not the words said"
                assert len(codes) == 1, f"{choice.id}: one utterance, one MITI code, got {codes}"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_best_option_is_seldom_the_longest(case: Case) -> None:
    """Length is no tell: distractors are as long and as warm as the best option."""
    s = scenario_file(case).scenario
    p = pack()
    decisions = [n for n in s.nodes.values() if isinstance(n, Decision)]
    seen = {f for d in decisions for c in d.choices for f in c.facts}
    longest_is_best = 0
    for node in decisions:
        best = min(node.choices, key=lambda c: judge_facts(p, c.facts, seen).sort_key())
        longest = max(node.choices, key=lambda c: len(c.text))
        longest_is_best += best is longest
    assert longest_is_best <= 0.3 * len(decisions), (longest_is_best, len(decisions))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_job_requires_homework_and_a_step_the_person_chose(case: Case) -> None:
    s = scenario_file(case).scenario
    required = [set(r.facts) for r in s.requires]
    assert {"epics_homework"} in required and {"next_step_agreed"} in required
    best = play(case, case.best)
    earned = {f for d in best.decisions for f in d.facts}
    assert all(r & earned for r in required)
    # walking out early leaves the step undone
    wrong = play(case, case.wrong)
    assert "next_step_agreed" not in {f for d in wrong.decisions for f in d.facts}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_best_path_reaches_the_intended_ending(case: Case) -> None:
    s = play(case, case.best)
    assert {k: s.persona[k] for k in case.best.persona} == case.best.persona
    assert s.ended and s.node_id == case.best.ending
    assert s.ending is not None and s.ending.outcome.value == case.best.outcome
    points = client_trajectory(s.compiled, s)
    assert points[-1].state.change_talk > points[0].state.change_talk
    assert points[-1].state.balance > 0
    assert max(p.state.discord for p in points) < 7


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_confronting_path_ends_in_discord(case: Case) -> None:
    s = play(case, case.wrong)
    assert {k: s.persona[k] for k in case.wrong.persona} == case.wrong.persona
    assert s.ended and s.node_id == case.wrong.ending
    assert s.ending is not None and s.ending.outcome.value == case.wrong.outcome
    points = client_trajectory(s.compiled, s)
    assert points[-1].state.discord > points[0].state.discord + 4
    assert points[-1].state.balance < 0
    facts = [f for p in points for f in p.facts]
    assert facts.count("confront") + facts.count("persuade") >= 4


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_fifty_random_runs_meet_varied_situations_and_endings(case: Case) -> None:
    c = compiled(case)
    ends: set[str] = set()
    situations: set[tuple[object, ...]] = set()
    for seed in range(50):
        s = Session.start(c, seed, clock=lambda: 0.0, wall_clock=False)
        autopilot(s, "random", seed)
        assert s.ended
        ends.add(s.node_id)
        situations.add(tuple(s.persona[k] for k in case.situation))
    assert len(ends) >= 3, ends
    assert len(situations) >= 2, situations


def test_the_same_words_land_differently_with_a_different_client() -> None:
    case = CASES[0]
    c = compiled(case)
    balances = []
    for seed in range(50):
        s = Session.start(c, seed, clock=lambda: 0.0, wall_clock=False)
        if s.persona["stressor"] != "quiet_week":
            continue
        for choice in ("open_check_in", "reflect_parking_lot", "notice_card", "info_and_role"):
            s.choose(choice)
        balances.append(round(s.vars["change_talk"] - s.vars["sustain_talk"], 2))
    assert len(set(balances)) > 3
    assert min(balances) < 0 < max(balances)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_best_path_passes_with_good_miti_and_estimated_globals(case: Case) -> None:
    s = play(case, case.best)
    report = score(case, s)
    assert report.passed, report.fail_reasons
    assert report.undone == ()
    assert report.overall >= 90
    assert not report.critical_failures
    m = report.miti
    assert m is not None
    assert m.non_adherent == 0 and m.adherent >= 3
    assert m.counts["complex_reflection"] >= 6
    assert m.percent_complex_reflections.level == "good"
    assert m.reflection_to_question.level in ("fair", "good")
    assert (m.technical.level, m.relational.level) == ("good", "good")
    assert m.estimate is not None
    assert all(g.rating >= 4 for g in m.estimate.ratings), m.estimate.as_globals()
    said = {
        c.say
        for n in s.compiled.scenario.nodes.values()
        if isinstance(n, Decision)
        for c in n.choices
        if c.id in case.best.choices
    }
    quoted = [g.example for g in m.estimate.ratings if g.example]
    assert quoted and set(quoted) <= said
    assert len(m.talk) == len(s.decisions) + 1


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_confronting_path_fails_as_mi_non_adherent(case: Case) -> None:
    s = play(case, case.wrong)
    report = score(case, s)
    assert not report.passed
    assert any("overall score" in r for r in report.fail_reasons)
    mi = next(c for c in report.competencies if c.id == "motivational_interviewing")
    assert mi.rating is not None and mi.rating <= 2
    for d in report.decisions:
        if "confront" in d.facts:
            assert d.verdict == "violation"
            assert any(j.policy.id == "MSDP-9.04" for j in d.judgments if j.fact == "confront")
    m = report.miti
    assert m is not None and m.estimate is not None
    assert m.non_adherent >= 4 and m.non_adherent > m.adherent
    # a short, pushy conversation is either below 'fair' or too short to rate: it fails either way
    for measure in (m.technical, m.relational):
        assert measure.level in ("below fair", "too few to rate"), measure
    assert any(r.startswith("MITI ") for r in report.fail_reasons), report.fail_reasons
    assert "next_step_agreed" not in {f for d in s.decisions for f in d.facts}
    assert any("the job was left undone" in r for r in report.fail_reasons)
    assert all(g.rating <= 2 for g in m.estimate.ratings), m.estimate.as_globals()
    assert any(g.example and "by" in g.example_effect for g in m.estimate.ratings)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_question_heavy_interview_fails_on_the_reflection_to_question_ratio(case: Case) -> None:
    """Every EPICS step done, the person's own next step agreed, no persuasion - and still
    a fail, because the officer asked far more than reflected (MITI R:Q below 1)."""
    s = play(case, case.questions)
    assert {k: s.persona[k] for k in case.questions.persona} == case.questions.persona
    assert s.ended and s.node_id == case.questions.ending
    assert s.ending is not None and s.ending.outcome.value == case.questions.outcome
    earned = {f for d in s.decisions for f in d.facts}
    assert all(set(r.facts) & earned for r in s.compiled.scenario.requires)
    report = score(case, s)
    assert report.overall >= 70 and not report.critical_failures
    m = report.miti
    assert m is not None and m.non_adherent == 0
    assert (
        m.counts["question"] >= 4 > m.counts["complex_reflection"] + m.counts["simple_reflection"]
    )
    assert m.reflection_to_question.value is not None and m.reflection_to_question.value < 1
    assert m.reflection_to_question.level == "below fair"
    assert not report.passed and not report.undone
    # the only reason is the one MITI measure the interview missed, said in MITI terms
    assert report.fail_reasons == (
        f"MITI reflection-to-question ratio {m.reflection_to_question.value:g} is below 'fair' (1)",
    )


def test_asking_leave_before_a_concern_is_credited_to_mi_spirit() -> None:
    case = CASES[2]  # mi-housing-notice: Ray's couch
    report = score(case, play(case, case.best))
    raised = next(d for d in report.decisions if d.choice == "ask_to_raise")
    spirit = next(j for j in raised.judgments if j.fact == "asked_permission_to_raise_concern")
    assert (spirit.verdict, spirit.policy.id) == ("exemplary", "MSDP-9.01")
    assert raised.verdict == "exemplary"


def test_supplying_the_reasons_for_change_is_a_deviation_from_mi_spirit() -> None:
    case = CASES[0]  # mi-assessment-deadline: "do it for her"
    before = case.best.choices[: case.best.choices.index("reflect_father")]
    choices = (*before, "do_it_for_her")
    report = score(case, play(case, replace(case.best, choices=choices)))
    urged = next(d for d in report.decisions if d.choice == "do_it_for_her")
    assert urged.verdict == "deviation"
    cited = {(j.fact, j.policy.id) for j in urged.judgments}
    assert ("supplied_reasons_for_change", "MSDP-9.01") in cited
    assert ("persuade", "MSDP-9.04") in cited


def test_a_reflection_in_place_of_the_suicide_question_is_a_crisis_violation() -> None:
    """A warm complex reflection is good MI, but "better off without me" calls for the
    screener questions first (MSDP-5.05)."""
    case = CASES[3]  # mi-reconnecting-owen
    before = case.best.choices[: case.best.choices.index("ask_directly")]
    s = play(case, replace(case.best, choices=(*before, "reflect_better_off")))
    report = score(case, s)
    reflected = next(d for d in report.decisions if d.choice == "reflect_better_off")
    assert reflected.verdict == "violation"
    assert reflected.policy is not None and reflected.policy.id == "MSDP-5.05"
    # however warm the rest of the session, the run cannot pass with the question unasked
    rest = ("double_sided", "reflect_guardian", "reflect_still", "ask_permission")
    for choice in (*rest, "options_together", "she_picks", "summary", "refer_family"):
        s.choose(choice)
    s.choose(next(c.id for c in s.available_choices() if "next_step_agreed" in c.facts))
    report = score(case, s)
    assert not report.passed
    assert report.undone == (
        "When she said everyone might be better off without her, the screener questions were "
        "asked directly",
    )


def test_miti_summary_of_a_mixed_run_matches_hand_counted_codes() -> None:
    case = CASES[0]
    path = Path_(
        seed=1,
        persona={"stressor": "close_call", "urge_card": "filled_in"},
        choices=(
            "open_check_in",  # Question
            "reflect_two_parts",  # Complex Reflection
            "file_card",  # Question
            "warn_violation",  # Persuade
            "double_sided",  # Complex Reflection
            "ask_cost",  # Question
            "affirm_coach",  # Affirm
            "ask_what_heard",  # Question
            "leave_it_open",  # Giving Information
            "key_question",  # Question
            "avoid_rule",  # Persuade
            "assign_call",  # Persuade
            "autonomy_close",  # Emphasizing Autonomy
            "think_it_over",  # Giving Information
        ),
        ending="end_stalled",
        outcome="no_progress",
    )
    s = play(case, path)
    assert s.node_id == path.ending
    m = score(case, s).miti
    assert m is not None
    assert m.counts == {
        "giving_information": 2,
        "persuade": 3,
        "persuade_with_permission": 0,
        "question": 5,
        "simple_reflection": 0,
        "complex_reflection": 2,
        "affirm": 1,
        "seeking_collaboration": 0,
        "emphasizing_autonomy": 1,
        "confront": 0,
    }
    # one utterance, one code: the counts add up to the decisions taken
    assert m.utterances == 14 == sum(m.counts.values())
    assert (m.percent_complex_reflections.value, m.percent_complex_reflections.level) == (
        100.0,
        "good",
    )
    assert (m.reflection_to_question.value, m.reflection_to_question.level) == (0.4, "below fair")
    assert (m.adherent, m.non_adherent) == (2, 3)
    assert m.examples["persuade"] == [
        "If it's not done by the 17th I have to write it up as a violation, and then it's out "
        "of my hands. Let's not let it get there.",
        "Simple rule from here on: stay away from bars, barbecues, anywhere there's beer. "
        "That's how people in your position get through the first year.",
        "Homework: call Recovery Services by Friday and bring me the appointment card next "
        "session.",
    ]


def test_a_stored_score_is_rescored_to_the_same_globals_without_replay() -> None:
    case = CASES[1]
    s = play(case, case.best)
    first = score(case, s)
    log = dict(s.to_log(), score=first.to_dict())
    stored = json.loads(json.dumps(log))
    trace = trace_from_stored(stored, scenario_file(case))
    assert trace is not None and len(trace.talk) == len(s.decisions) + 1
    again = rescore_log(stored, scenario_file(case), pack())
    assert again.miti is not None and first.miti is not None
    assert again.miti.to_dict() == first.miti.to_dict()
    del log["score"]["miti"]["client_talk"]  # an older stored score: replay fills it in
    assert trace_from_stored(log, scenario_file(case)) is None
    replayed = rescore_log(log, scenario_file(case), pack())
    assert replayed.miti is not None
    assert replayed.miti.to_dict() == first.miti.to_dict()


def test_cli_run_of_the_best_path_prints_the_log_with_the_ending() -> None:
    case = CASES[0]
    out = cli(
        "run",
        case.id,
        "--seed",
        str(case.best.seed),
        "--choices",
        ",".join(case.best.choices),
        "--json",
        "--score",
    )
    assert out.returncode == 0, out.stderr
    log = json.loads(out.stdout)
    assert log["scenario"]["id"] == case.id
    assert log["ending"]["id"] == case.best.ending
    assert log["ending"]["outcome"] == case.best.outcome
    assert log["score"]["passed"] is True
    globals_ = log["score"]["miti"]["globals"]
    assert set(globals_) == {
        "cultivating_change_talk",
        "softening_sustain_talk",
        "partnership",
        "empathy",
    }
    assert min(globals_.values()) >= 4
    assert log["score"]["miti"]["globals_estimate"]["method"] == "estimate"
