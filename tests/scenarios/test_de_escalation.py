"""The de-escalation and crisis scenarios: they lint clean, play as written and vary by seed."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from engine.compile import CompiledScenario, compile_scenario
from engine.graph import endings, longest_decision_path
from engine.lint import lint_paths
from engine.loader import load_scenario
from engine.model import Decision
from engine.session import Session
from scoring.pack import PolicyPack, default_pack_path, load_pack
from scoring.rules import judge_facts
from scoring.scorer import score_session
from simulator.commands.content import extra_lint_checks
from tests.clirun import cli
from tests.scenarios.walks import walk_to_end

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "scenarios" / "de_escalation"


@dataclass(frozen=True)
class Path_:
    """A scripted run: a seed, the choices in order, and choices to take when a crisis breaks in."""

    seed: int
    steps: tuple[str, ...]
    ending: str
    persona: Mapping[str, object] = field(default_factory=dict)
    on_node: Mapping[str, str] = field(default_factory=dict)
    # what the pack must name on a wrong path: "fact:verdict:policy" judgments, a critical
    # failure, a sanction assessment, and whether the run fails
    named: tuple[str, ...] = ()
    critical: str | None = None
    sanction: str | None = None
    fails: bool = True


@dataclass(frozen=True)
class Spec:
    id: str
    situation: tuple[str, ...]  # persona values that change what the trainee meets
    best: Path_
    wrong: tuple[Path_, ...]


SPECS = (
    Spec(
        "de-counter-sanction",
        ("company", "trigger"),
        Path_(
            10,
            (
                "introduce_calmly",
                "side_room_door_open",
                "label_emotion",
                "walk_me_through",
                "confirm_voicemail",
                "reflect_bind",
                "explain_process",
                "offer_review_and_evening",
                "reassure_amara",
                "brief_with_mitigation",
                "tell_straight",
                "specific_praise",
                "note_objective",
            ),
            "end_review",
            {"company": "daughter"},
        ),
        (
            Path_(
                9,
                ("lower_voice_order", "read_letter_back", "rules_are_rules"),
                "end_arrested",
                on_node={"flashpoint": "shout_arrest"},
                named=("threat:violation:MSDP-5.04", "bare_command:deviation:MSDP-5.04"),
            ),
            Path_(
                9,
                ("lower_voice_order", "read_letter_back", "rules_are_rules"),
                "end_scuffle",
                on_node={"flashpoint": "go_hands_on"},
                named=(
                    "used_force_before_de_escalation:violation:MSDP-4.02",
                    "crossed_counter_to_agitated_person:violation:MSDP-5.10",
                ),
            ),
        ),
    ),
    Spec(
        "de-suicide-screen",
        ("risk", "means", "carol_reachable"),
        Path_(
            4,
            (
                "read_file_and_notify",
                "warm_greeting",
                "carol_called",
                "ask_q1",
                "ask_q2",
                "ask_q3",
                "ask_q4",
                "ask_q5",
                "ask_q6",
                "honest_limits",
                "ask_means_collab",
                "crisis_team_stay",
                "go_with_him",
                "brief_clinician",
                "call_carol",
                "notify_and_write",
            ),
            "end_crisis_care",
            {"risk": "recent_behaviour"},
        ),
        (
            Path_(
                0,
                (
                    "skim_and_go",
                    "warm_greeting",
                    "cheer_up",
                    "nothing_silly",
                    "finish_visit_at_risk",
                ),
                "end_harm",
                {"risk": "intent_plan"},
                named=("avoided_suicide_question:violation:MSDP-5.05",),
                critical="left_person_alone_at_risk",
            ),
            Path_(
                0,
                (
                    "read_file_and_notify",
                    "warm_greeting",
                    "carol_called",
                    "ask_q1",
                    "ask_q2",
                    "ask_q3",
                    "ask_q4",
                    "ask_q5",
                    "ask_q6",
                    "promise",
                    "ask_means_collab",
                    "safety_plan_leave_imminent",
                ),
                "end_harm",
                {"risk": "intent_plan"},
                named=("promised_secrecy:violation:MSDP-5.06",),
                critical="left_person_alone_at_risk",
            ),
        ),
    ),
    Spec(
        "de-domestic-dispute",
        ("situation", "eli_home", "knife"),
        Path_(
            0,
            (
                "plan_from_file",
                "call_and_announce",
                "calm_intro",
                "contact_cover",
                "separate_in_view",
                "ask_injuries_children",
                "language_line",
                "listen_label_wade",
                "police_and_apart",
                "brief_objective",
                "advocate_options",
                "with_mum_gently",
                "call_hotline",
                "office_meeting",
                "write_today",
            ),
            "end_police",
            {"situation": "pushed", "eli_home": True},
        ),
        (
            Path_(
                0,
                ("just_go", "rush_in"),
                "end_knife_hurt",
                {"knife": True},
                on_node={"knife_drawn": "talk_him_down"},
                named=("entered_without_announcing:violation:MSDP-2.05",),
                critical="stayed_after_weapon_seen",
            ),
            Path_(
                2,
                (
                    "plan_from_file",
                    "call_and_announce",
                    "calm_intro",
                    "contact_cover",
                    "separate_in_view",
                    "ask_injuries_children",
                    "language_line",
                    "listen_label_wade",
                    "wade_brothers_offer",
                    "advocate_options",
                    "with_mum_gently",
                    "note_no_report",
                    "request_revocation",
                    "write_today",
                ),
                "end_revocation",
                {"situation": "verbal"},
                named=("response_revocation_hearing:violation:MSDP-7.02",),
                sanction="too_severe",
                fails=True,  # pack 1.2.0: a response outside the matrix band fails the run
            ),
        ),
    ),
    Spec(
        "de-intox-test-refusal",
        ("trigger",),
        Path_(
            0,
            (
                "greet_private",
                "name_it_gently",
                "label_and_reflect",
                "ask_meds_amount",
                "explain_test",
                "hear_the_fear",
                "lay_out_options",
                "take_admission",
                "ask_for_keys",
                "call_beverly",
                "treatment_and_testing",
                "honest_about_record",
                "write_objective",
            ),
            "end_admitted",
        ),
        (
            Path_(
                6,
                ("carry_on", "how_much", "no_excuse", "skip_to_test", "blow_or_jail"),
                "end_crash",
                on_node={"leaving": "say_nothing", "out_to_car": "let_her_drive"},
                named=(
                    "let_impaired_driver_leave:violation:MSDP-4.03",
                    "threat:violation:MSDP-5.04",
                ),
            ),
            Path_(
                9,
                ("greet_private", "name_it_gently", "label_and_reflect", "skip_to_test"),
                "end_collapse",
                on_node={"drowsy": "carry_on_test"},
                named=("delayed_call_for_help:violation:MSDP-4.04",),
            ),
        ),
    ),
    Spec(
        "de-mh-crisis-cit",
        ("presentation", "bystander", "knife_in_reach"),
        Path_(
            2,
            (
                "read_plan_partner",
                "slow_intro",
                "ask_privacy",
                "acknowledge_fear",
                "reflect_and_wait",
                "mobile_crisis_cit",
                "call_luis",
                "ask_about_anjali",
                "still_and_soft",
                "offer_choices",
                "brief_with_plan",
                "problem_solve",
                "write_objective",
            ),
            "end_crisis_centre",
            {"presentation": "paranoid"},
        ),
        (
            Path_(
                2,
                (
                    "read_plan_partner",
                    "slow_intro",
                    "ask_privacy",
                    "acknowledge_fear",
                    "reflect_and_wait",
                    "call_911_condition",
                    "let_them_take_her",
                    "problem_solve",
                    "write_objective",
                ),
                "end_jailed",
                named=("custody_instead_of_crisis_care:violation:MSDP-5.07",),
            ),
        ),
    ),
)
IDS = [s.id for s in SPECS]


@functools.cache
def _compiled(scenario_id: str) -> CompiledScenario:
    return compile_scenario(load_scenario(FOLDER / f"{scenario_id}.yaml"))


def start(scenario_id: str, seed: int) -> Session:
    return Session.start(_compiled(scenario_id), seed, wall_clock=False, clock=lambda: 0.0)


def play(scenario_id: str, path: Path_) -> Session:
    """Run a scripted path; at a node named in ``on_node`` take that choice instead."""
    s = start(scenario_id, path.seed)
    for key, value in path.persona.items():
        assert s.persona[key] == value, f"seed {path.seed} no longer gives {key}={value}"
    steps = list(path.steps)
    while not s.ended:
        if s.node_id in path.on_node:
            s.choose(path.on_node[s.node_id])
        elif steps:
            s.choose(steps.pop(0))
        else:
            pytest.fail(f"ran out of steps at '{s.node_id}'")
    assert not steps, f"ended at {s.node_id} with {steps} left over"
    return s


def random_walk(scenario_id: str, seed: int) -> Session:
    return walk_to_end(start(scenario_id, seed), seed)


@functools.cache
def _pack() -> PolicyPack:
    return load_pack(default_pack_path())


def score(scenario_id: str, s: Session) -> dict[str, Any]:
    report: dict[str, Any] = score_session(
        s, load_scenario(FOLDER / f"{scenario_id}.yaml"), _pack()
    ).to_dict()
    return report


def judged(report: Mapping[str, Any]) -> set[str]:
    """Every judgment of a run as 'fact:verdict:policy'."""
    return {
        f"{j['fact']}:{j['verdict']}:{j['policy']['id']}"
        for d in report["decisions"]
        for j in d["judgments"]
    }


def facts_in_order(s: Session) -> list[str]:
    return [f for d in s.decisions for f in d.facts]


def unmet(scenario_id: str, s: Session) -> list[str]:
    """The scenario's requirements (``requires:``) that no fact of the run satisfies."""
    done = set(facts_in_order(s))
    return [r.title for r in _compiled(scenario_id).scenario.requires if not set(r.facts) & done]


def visited(s: Session) -> list[str]:
    return [d.node for d in s.decisions]


# ---------------------------------------------------------------- every scenario


@pytest.mark.parametrize("scenario_id", IDS)
def test_scenario_lints_with_no_problems(scenario_id: str) -> None:
    problems = lint_paths([FOLDER / f"{scenario_id}.yaml"], extra_checks=extra_lint_checks())
    assert [p.format() for p in problems] == []


@pytest.mark.parametrize("scenario_id", IDS)
def test_scenario_meets_the_size_bar(scenario_id: str) -> None:
    s = load_scenario(FOLDER / f"{scenario_id}.yaml").scenario
    assert longest_decision_path(s) >= 12
    assert len(set(endings(s).values())) >= 4
    decisions = [n for n in s.nodes.values() if isinstance(n, Decision)]
    assert any(d.timeout is not None for d in decisions), "no timed decision"
    assert all(c.facts for d in decisions for c in d.choices), "a choice carries no fact"


@pytest.mark.parametrize("scenario_id", IDS)
def test_no_crisis_can_break_in_after_a_choice_that_decides_the_ending(scenario_id: str) -> None:
    s = load_scenario(FOLDER / f"{scenario_id}.yaml").scenario
    terminals = set(endings(s))
    assert all(i.when.endswith("and not final") for i in s.interrupts)
    for nid, node in s.nodes.items():
        if isinstance(node, Decision):
            for c in node.choices:
                if c.next in terminals:
                    assert "final = true" in c.effects, f"{nid}.{c.id}"


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_best_path_reaches_the_intended_ending(spec: Spec) -> None:
    s = play(spec.id, spec.best)
    assert s.node_id == spec.best.ending
    assert len(s.decisions) >= 12


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_every_scenario_says_what_the_job_requires_and_the_best_path_does_it(spec: Spec) -> None:
    assert _compiled(spec.id).scenario.requires, "no requires: a run could pass by walking away"
    assert unmet(spec.id, play(spec.id, spec.best)) == []


@pytest.mark.parametrize(
    ("spec", "wrong"),
    [(s, w) for s in SPECS for w in s.wrong],
    ids=[f"{s.id}-{w.ending}" for s in SPECS for w in s.wrong],
)
def test_known_wrong_path_ends_in_its_failure(spec: Spec, wrong: Path_) -> None:
    assert play(spec.id, wrong).node_id == wrong.ending


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_best_path_passes_high_with_every_decision_within_policy(spec: Spec) -> None:
    report = score(spec.id, play(spec.id, spec.best))
    assert report["passed"], report["fail_reasons"]
    assert report["overall"] >= 90
    assert report["critical_failures"] == []
    verdicts = {d["node"]: d["verdict"] for d in report["decisions"]}
    assert set(verdicts.values()) <= {"exemplary", "acceptable"}, verdicts
    assert all(d["policy"] for d in report["decisions"]), "a decision cites no clause"


@pytest.mark.parametrize(
    ("spec", "wrong"),
    [(s, w) for s in SPECS for w in s.wrong],
    ids=[f"{s.id}-{w.ending}" for s in SPECS for w in s.wrong],
)
def test_known_wrong_path_is_scored_for_the_failure_the_pack_names(
    spec: Spec, wrong: Path_
) -> None:
    report = score(spec.id, play(spec.id, wrong))
    assert set(wrong.named) <= judged(report), judged(report)
    if wrong.critical is not None:
        assert wrong.critical in {c["fact"] for c in report["critical_failures"]}
        assert any(wrong.critical in reason for reason in report["fail_reasons"])
    if wrong.sanction is not None:
        assert report["sanction"]["assessment"] == wrong.sanction
        assert report["sanction"]["due_process_complete"] is False
    assert report["passed"] is not wrong.fails


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_fifty_random_seeds_reach_varied_endings_and_situations(spec: Spec) -> None:
    runs = [random_walk(spec.id, seed) for seed in range(50)]
    reached = {s.node_id for s in runs}
    situations = {tuple(s.persona[k] for k in spec.situation) for s in runs}
    assert len(reached) >= 3, reached
    assert len(situations) >= 2, situations


# ---------------------------------------------------------------- the de-escalation mechanic


def test_bare_commands_and_arguing_raise_agitation_and_trigger_the_flashpoint() -> None:
    s = start("de-counter-sanction", 3)
    before = s.vars["agitation"]
    s.choose("lower_voice_order")
    assert s.vars["agitation"] > before
    for step in ("read_letter_back", "rules_are_rules", "whatever_happened"):
        if s.node_id == "flashpoint":
            break
        s.choose(step)
    assert s.node_id == "flashpoint"
    assert any(e.type == "interrupted" and e.data["interrupt"] == "flashpoint" for e in s.events)


def test_listening_and_naming_the_emotion_lower_agitation_and_build_trust() -> None:
    s = start("de-counter-sanction", 3)
    before = dict(s.vars)
    s.choose("introduce_calmly")
    s.choose("side_room_door_open")
    s.choose("label_emotion")
    assert s.vars["agitation"] <= before["agitation"] - 2
    assert s.vars["trust"] > before["trust"]


def test_offering_options_is_closed_while_he_is_still_too_angry() -> None:
    s = start("de-counter-sanction", 0)
    steps = (
        "introduce_calmly",
        "side_room_door_open",
        "just_listen",
        "why_not_come",
        "confirm_voicemail",
        "your_job_your_problem",
        "not_up_for_discussion",
    )
    for step in steps:
        s.choose(step)
    assert s.node_id == "options"
    assert s.vars["agitation"] >= 7
    available = {c.id for c in s.available_choices()}
    assert "offer_review_and_evening" not in available and "offer_evening" not in available
    s.choose("give_a_minute")
    assert s.vars["agitation"] < 7
    assert "offer_now" in {c.id for c in s.available_choices()}


def test_the_recent_notes_voicemail_opens_the_sanction_review() -> None:
    missed = play(
        "de-counter-sanction",
        Path_(
            10,
            (
                "introduce_calmly",
                "side_room_door_open",
                "label_emotion",
                "walk_me_through",
                "no_record",
                "reflect_bind",
                "explain_rule_only",
                "offer_evening",
                "reassure_amara",
                "ask_evening_only",
                "tell_evening",
                "specific_praise",
                "note_objective",
            ),
            "end_sanction_stands",
        ),
    )
    assert missed.node_id == "end_sanction_stands"
    assert "brief_with_mitigation" not in missed.decisions[9].available


def test_the_crisis_breaks_in_with_a_knife_when_the_household_has_one() -> None:
    s = start("de-domestic-dispute", 0)
    assert s.persona["knife"] is True
    s.choose("just_go")
    s.choose("rush_in")
    assert s.node_id == "knife_drawn"
    assert s.timeout_seconds is not None


# ---------------------------------------------------------------- the C-SSRS screener


CSSRS = [
    f"cssrs_q{i}_{n}"
    for i, n in enumerate(
        ["wish_to_be_dead", "suicidal_thoughts", "method", "intent", "plan", "behaviour"], start=1
    )
]


def test_screener_items_are_asked_in_order_when_question_two_is_yes() -> None:
    spec = SPECS[1]
    s = play(spec.id, spec.best)
    asked = [f for f in facts_in_order(s) if f.startswith("cssrs_")]
    assert asked == CSSRS
    first = next(d for d in s.decisions if CSSRS[0] in d.facts)
    assert "asked_about_suicide_directly" in first.facts
    assert "stayed_with_person_at_risk" in facts_in_order(s)
    assert "immediate_mental_health_referral" in facts_in_order(s)


def test_after_a_no_to_question_two_only_question_six_follows() -> None:
    s = start("de-suicide-screen", 3)
    assert s.persona["risk"] == "passive_wish"
    for step in ("read_file_and_notify", "warm_greeting", "reflect_loss", "ask_q1", "ask_q2"):
        s.choose(step)
    available = {c.id for c in s.available_choices()}
    assert "ask_q6_after_no" in available and "ask_q3" not in available
    for step in ("ask_q6_after_no", "honest_limits", "ask_means_collab", "safety_plan"):
        s.choose(step)
    for step in ("carol_voicemail", "notify_and_write_plan"):
        s.choose(step)
    assert s.node_id == "end_safety_plan"
    asked = [f for f in facts_in_order(s) if f.startswith("cssrs_")]
    assert asked == [CSSRS[0], CSSRS[1], CSSRS[5]]


def test_screener_questions_out_of_order_are_scored_as_deviations() -> None:
    steps = (
        "read_file_and_notify",
        "warm_greeting",
        "reflect_loss",
        "ask_plan_first",
        "ask_q2",
        "ask_method_anyway",
        "ask_q6_now",
        "honest_limits",
        "ask_means_collab",
        "safety_plan",
        "carol_voicemail",
        "notify_and_write_plan",
    )
    s = play("de-suicide-screen", Path_(3, steps, "end_safety_plan", {"risk": "passive_wish"}))
    assert s.node_id == "end_safety_plan"
    found = judged(score("de-suicide-screen", s))
    assert "cssrs_q5_plan:deviation:MSDP-5.05" in found
    assert "cssrs_items_3_to_5_after_no:deviation:MSDP-5.05" in found
    assert "cssrs_q2_suicidal_thoughts:acceptable:MSDP-5.05" in found


def test_leaving_a_person_with_intent_alone_is_never_offered_without_its_failure() -> None:
    compiled = _compiled("de-suicide-screen")
    for nid, node in compiled.scenario.nodes.items():
        if not isinstance(node, Decision):
            continue
        for c in node.choices:
            if c.next == "end_harm":
                assert "left_person_alone_at_risk" in c.facts, f"{nid}.{c.id}"


def test_avoiding_the_question_with_no_imminent_risk_ends_without_progress() -> None:
    s = start("de-suicide-screen", 3)
    for step in ("read_file_and_notify", "warm_greeting", "reflect_loss", "nothing_silly"):
        s.choose(step)
    s.choose("finish_visit")
    assert s.node_id == "end_no_progress"
    assert "avoided_suicide_question" in facts_in_order(s)


def brief_to_clinician(s: Session) -> list[str]:
    return [t.text for t in s.transcript if t.node == "handover" and t.speaker == "officer"]


def test_leaving_a_hopeless_unscreened_man_is_a_violation_not_disengagement() -> None:
    # issue 11: he said yes to question 2, the screen was cut short, and he asks you to go
    steps = (
        "read_file_and_notify",
        "warm_greeting",
        "cheer_up",
        "ask_q1",
        "ask_q2",
        "ask_q3",
        "argue_method",
        "skip_to_behaviour",
        "skip_q6_enough",
        "leave_reschedule",
    )
    s = play("de-suicide-screen", Path_(2, steps, "end_left_early", {"risk": "thoughts_no_intent"}))
    assert "asked_to_leave" in visited(s)
    assert "disengaged_for_safety" not in facts_in_order(s)
    report = score("de-suicide-screen", s)
    assert "left_unscreened_after_warning_signs:violation:MSDP-5.06" in judged(report)
    assert report["decisions"][-1]["verdict"] == "violation"
    assert unmet("de-suicide-screen", s) == [
        "He was connected with care today (the crisis team, an emergency evaluation, "
        "or a warm handoff for a same-day appointment)"
    ]
    assert report["passed"] is False


def test_he_cannot_ask_you_to_leave_once_care_is_on_its_way() -> None:
    # trust falls to its lowest after the crisis team is called: the interrupt must stay quiet
    steps = (
        "read_file_and_notify",
        "warm_greeting",
        "carol_called",
        "ask_q1",
        "ask_q2",
        "ask_q3",
        "ask_q4",
        "ask_q5",
        "ask_q6",
        "policy_says",
        "ask_means_collab",
        "crisis_team_stay",
        "threaten_violation",
        "go_with_him",
        "brief_record",
        "tell_carol_everything",
        "notify_and_write",
    )
    s = start("de-suicide-screen", 0)
    lowest_after_care = 10.0
    for step in steps:
        s.choose(step)
        if s.vars["care_called"]:
            lowest_after_care = min(lowest_after_care, s.vars["trust"])
    assert lowest_after_care <= 0.5  # low enough that the old interrupt fired here
    assert s.node_id == "end_emergency_transport"
    assert "asked_to_leave" not in visited(s)
    report = score("de-suicide-screen", s)
    assert "threat:violation:MSDP-5.04" in judged(report)


def test_the_handover_brief_recites_only_the_answers_that_were_asked() -> None:
    # he locks himself in before any screener question: the brief must say so
    s = play(
        "de-suicide-screen",
        Path_(
            0,
            ("just_go", "comment_on_state", "talk_and_call", "brief_clinician"),
            "end_emergency_transport",
            on_node={"carol": "leave_it", "document": "notify_and_write"},
        ),
    )
    said = brief_to_clinician(s)
    assert any("didn't get to the screener" in line for line in said), said
    assert not any(
        line.startswith(("Wish to be dead", "Intent", "Plan", "Method")) for line in said
    )
    assert "I don't know where the means are." in said
    full = play("de-suicide-screen", SPECS[1].best)
    said = brief_to_clinician(full)
    assert "Wish to be dead: yes, most nights." in said
    assert "Last Sunday he got the means out and wrote his sister a letter." in said
    assert "What he thought of using is here with me." in said


MODERATE_STEPS = (
    "read_file_and_notify",
    "warm_greeting",
    "reflect_loss",
    "ask_q1",
    "ask_q2",
    "ask_q6_after_no",
    "honest_limits",
    "ask_means_collab",
)


def play_moderate(triage: str) -> tuple[Session, dict[str, Any]]:
    """A wish to be dead, no actual thoughts, the 2019 attempt: triaged with ``triage``."""
    steps = (*MODERATE_STEPS, triage, "carol_voicemail", "notify_and_write_plan")
    s = play("de-suicide-screen", Path_(3, steps, "end_safety_plan", {"risk": "passive_wish"}))
    return s, score("de-suicide-screen", s)


def test_moderate_risk_needs_a_warm_handoff_today_and_lethal_means_counselling() -> None:
    # a wish to be dead plus the 2019 attempt is the middle tier: seen today, means put away
    s, report = play_moderate("crisis_line_warm")
    found = judged(report)
    assert "same_day_behavioural_health_contact:exemplary:MSDP-5.09" in found
    assert "lethal_means_counselling:exemplary:MSDP-5.09" in found
    assert [f for f in facts_in_order(s) if f.startswith("cssrs_")] == [
        CSSRS[0],
        CSSRS[1],
        CSSRS[5],
    ]
    assert unmet("de-suicide-screen", s) == []
    assert report["passed"], report["fail_reasons"]


def test_a_plan_and_an_appointment_tomorrow_is_the_wrong_tier_for_moderate_risk() -> None:
    s, report = play_moderate("safety_plan")
    assert "no_same_day_contact_at_moderate_risk:violation:MSDP-5.09" in judged(report)
    triage = next(d for d in report["decisions"] if d["node"] == "triage")
    assert triage["verdict"] == "violation"
    assert triage["policy"]["id"] == "MSDP-5.09"
    assert len(unmet("de-suicide-screen", s)) == 1
    assert report["passed"] is False


@pytest.mark.parametrize(
    ("scenario_id", "seed", "steps", "node"),
    [
        (
            "de-suicide-screen",
            3,
            (*MODERATE_STEPS, "ring_supervisor"),
            "triage_advised",
        ),
        (
            "de-domestic-dispute",
            2,
            (
                "plan_from_file",
                "call_and_announce",
                "calm_intro",
                "contact_cover",
                "separate_in_view",
                "ask_injuries_children",
                "language_line",
                "listen_label_wade",
                "ring_supervisor",
            ),
            "police_decision_advised",
        ),
    ],
)
def test_the_supervisor_can_be_rung_once_and_the_call_is_not_a_loop(
    scenario_id: str, seed: int, steps: tuple[str, ...], node: str
) -> None:
    s = start(scenario_id, seed)
    for step in steps:
        s.choose(step)
    assert s.node_id == node
    assert "ring_supervisor" not in {c.id for c in s.available_choices()}


def test_calling_911_for_a_cit_officer_is_not_choosing_custody() -> None:
    s = start("de-mh-crisis-cit", 2)
    s.choose("tell_gus_911")
    assert s.node_id == "arrival"
    first = judged(score("de-mh-crisis-cit", s))
    assert "requested_cit_unit_through_911:acceptable:MSDP-5.07" in first
    assert not any(j.startswith("custody_instead_of_crisis_care") for j in first)
    s = start("de-mh-crisis-cit", 2)
    s.choose("tell_gus_police")
    assert s.node_id == "patrol_arrives"
    assert "custody_instead_of_crisis_care:violation:MSDP-5.07" in judged(
        score("de-mh-crisis-cit", s)
    )


DOMESTIC_TO_ROSA = ("calm_intro", "contact_cover", "separate_in_view", "ask_injuries_children")


@pytest.mark.parametrize(
    ("entry", "expected", "verdict"),
    [
        (
            "enter_announced",
            {
                "entered_for_emergency_aid:acceptable:MSDP-10.03",
                "announced_and_covered_entry:exemplary:MSDP-10.03",
            },
            "exemplary",
        ),
        (
            "rush_in",
            {
                "entered_for_emergency_aid:deviation:MSDP-10.03",
                "entered_without_announcing:violation:MSDP-2.05",
            },
            "violation",
        ),
    ],
)
def test_going_in_to_stop_violence_is_emergency_aid_and_the_tactics_decide_the_verdict(
    entry: str, expected: set[str], verdict: str
) -> None:
    s = start("de-domestic-dispute", 2)
    s.choose("plan_from_file")
    s.choose(entry)
    assert s.decisions[1].node == "walkway"
    report = score("de-domestic-dispute", s)
    assert expected <= judged(report)
    assert not any("entered_without_invitation_or_authority" in j for j in judged(report))
    assert report["decisions"][1]["verdict"] == verdict


FORCE_PATH = (
    "plan_from_file",
    "call_and_announce",
    "calm_intro",
    "contact_cover",
    "separate_in_view",
    "clear_direction",
    "escort_hold",
    "ask_injuries_children",
    "language_line",
    "listen_label_wade",
    "police_and_apart",
    "brief_objective",
    "advocate_options",
    "plan_for_six",
    "call_hotline",
    "office_meeting",
    "write_today_force",
)


def test_minimal_force_after_a_failed_direction_passes_and_is_reported() -> None:
    s = play("de-domestic-dispute", Path_(1, FORCE_PATH, "end_police", {"eli_home": False}))
    report = score("de-domestic-dispute", s)
    found = judged(report)
    assert "gave_clear_direction_to_stop_assault:exemplary:MSDP-5.11" in found
    assert "used_minimal_force:acceptable:MSDP-4.02" in found
    assert "reported_use_of_force:acceptable:MSDP-4.02" in found
    assert report["passed"], report["fail_reasons"]
    assert unmet("de-domestic-dispute", s) == []


@pytest.mark.parametrize(
    ("swap", "named", "ending"),
    [
        ({"escort_hold": "takedown"}, "used_excessive_force:critical:MSDP-4.02", "end_hurt"),
        (
            {"clear_direction": "hands_on_first"},
            "used_force_before_de_escalation:violation:MSDP-4.02",
            "end_police",
        ),
        (
            {
                "clear_direction": "reason_with_him",
                "escort_hold": "keep_directing",
                "write_today_force": "write_today",
            },
            "let_assault_continue:violation:MSDP-5.11",
            "end_police",
        ),
        (
            {"write_today_force": "write_today_no_force_report"},
            "use_of_force_not_reported:violation:MSDP-4.02",
            "end_police",
        ),
    ],
)
def test_the_wrong_answers_to_an_assault_in_progress_are_named(
    swap: dict[str, str], named: str, ending: str
) -> None:
    steps = [swap.get(step, step) for step in FORCE_PATH]
    if swap.get("clear_direction") == "hands_on_first":
        steps.remove("escort_hold")
    s = start("de-domestic-dispute", 1)
    for step in steps:
        if s.ended:
            break
        s.choose(step)
    assert s.node_id == ending
    report = score("de-domestic-dispute", s)
    assert named in judged(report)
    verdicts = {d["node"]: d["verdict"] for d in report["decisions"]}
    assert "violation" in verdicts.values() or "critical" in verdicts.values()


@pytest.mark.parametrize(
    ("choice", "named"),
    [
        ("language_line", "used_qualified_interpreter:exemplary:MSDP-1.04"),
        ("tanya_interprets", "used_family_as_interpreter:deviation:MSDP-1.04"),
        ("eli_interprets", "used_child_as_interpreter:violation:MSDP-1.04"),
    ],
)
def test_a_witness_who_speaks_portuguese_gets_a_qualified_interpreter(
    choice: str, named: str
) -> None:
    s = start("de-domestic-dispute", 0)
    assert s.persona["eli_home"] is True
    for step in ("plan_from_file", "call_and_announce", *DOMESTIC_TO_ROSA):
        s.choose(step)
    assert s.node_id == "rosa"
    s.choose(choice)
    report = score("de-domestic-dispute", s)
    assert named in judged(report)
    assert report["decisions"][-1]["policy"]["id"] == "MSDP-1.04"


@pytest.mark.parametrize(
    ("choice", "named"),
    [
        ("call_hotline", "reported_child_welfare_concern:exemplary:MSDP-10.05"),
        ("leave_to_tanya", "left_child_concern_to_household:violation:MSDP-10.05"),
        ("leave_to_police", "left_child_concern_to_household:violation:MSDP-10.05"),
    ],
)
def test_a_child_in_a_violent_home_is_reported_by_the_officer(choice: str, named: str) -> None:
    steps = list(SPECS[2].best.steps)
    steps[steps.index("call_hotline")] = choice
    s = play("de-domestic-dispute", Path_(0, tuple(steps), "end_police"))
    report = score("de-domestic-dispute", s)
    assert named in judged(report)
    assert bool(unmet("de-domestic-dispute", s)) is (choice != "call_hotline")


def test_walking_back_to_the_car_does_not_finish_the_domestic_contact() -> None:
    # issue 10: this two-decision path scored 98.5 though its ending says the contact was not done
    s = play("de-domestic-dispute", Path_(0, ("plan_from_file", "back_off_wait"), "end_waited"))
    assert len(s.decisions) == 2
    assert len(unmet("de-domestic-dispute", s)) == 3
    report = score("de-domestic-dispute", s)
    assert report["passed"] is False
    assert "stood_off_during_violence_in_progress:deviation:MSDP-5.11" in judged(report)
    assert len(report["undone"]) == 3


OFFICE = ("de-counter-sanction", "de-intox-test-refusal")


@pytest.mark.parametrize("scenario_id", OFFICE)
def test_office_scenarios_cite_no_home_visit_clause(scenario_id: str) -> None:
    # MSDP-2.06 and 2.08 are written for residences; the counter has its own clause (5.10)
    pack = _pack()
    cited = {
        j.rule.rule.policy
        for node in _compiled(scenario_id).scenario.nodes.values()
        if isinstance(node, Decision)
        for c in node.choices
        for j in judge_facts(pack, tuple(c.facts), set(), None).judgments
    }
    assert not cited & {"MSDP-2.05", "MSDP-2.06", "MSDP-2.08"}, cited


def test_the_counter_scenario_scores_positioning_by_the_office_clause() -> None:
    s = play("de-counter-sanction", SPECS[0].best)
    assert "office_interview_positioned_safely:exemplary:MSDP-5.10" in judged(
        score("de-counter-sanction", s)
    )
    s = start("de-counter-sanction", 3)
    for step in ("introduce_calmly", "back_room_door_shut"):
        s.choose(step)
    assert "office_interview_boxed_in:violation:MSDP-5.10" in judged(
        score("de-counter-sanction", s)
    )


# ---------------------------------------------------------------- through the CLI


def test_cli_run_plays_and_scores_the_crisis_team_path_as_json() -> None:
    spec = SPECS[4]
    r = cli(
        "run",
        spec.id,
        "--seed",
        str(spec.best.seed),
        "--choices",
        ",".join(spec.best.steps),
        "--json",
        "--score",
    )
    assert r.returncode == 0, r.stderr
    log = json.loads(r.stdout)
    assert log["ending"]["id"] == "end_crisis_centre"
    assert log["ending"]["outcome"] == "referral"
    assert log["score"]["passed"] is True
    assert log["policy"]["id"] == "model-state-parole"


def test_the_sanction_letter_counts_the_reflections_the_trainee_chose() -> None:
    """Naming his anger and reflecting his bind are complex reflections in MITI terms, so the
    summary counts them (it used to show 0 reflections for this path)."""
    best = SPECS[0].best
    assert SPECS[0].id == "de-counter-sanction"
    report = score("de-counter-sanction", play("de-counter-sanction", best))
    miti = report["miti"]
    assert miti is not None
    assert miti["counts"]["complex_reflection"] == 2
    quoted = miti["examples"]["complex_reflection"]
    assert any(line.startswith("You sound furious") for line in quoted)
