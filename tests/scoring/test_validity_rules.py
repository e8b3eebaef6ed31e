"""Scoring rules that cannot be gamed (issue 10): worst verdict, credit once, loops, timeouts,
what the job requires, MI scored as MI, and 1-7 suggestions from enough observations."""

from __future__ import annotations

import itertools

from engine.loader import ScenarioFile, load_scenario_text
from scoring.scorer import REPEAT_FEEDBACK, score_session
from tests.scoring.helpers import inline, model_pack, play, scenario_text
from tests.scoring.test_scorer import chain

LOOP = """  d1:
    kind: decision
    prompt: The parolee's sister says he is at a friend's. What now?
    choices:
      - id: ring
        text: Ring the supervisor to talk it through.
        facts: [consulted_supervisor]
        next: d1
      - id: go
        text: Plan the visit with your partner.
        facts: [planned_approach_and_exits]
        next: d2
  d2:
    kind: decision
    prompt: At the door.
    choices:
      - id: knock
        text: Knock and say who you are.
        facts: [announced_presence]
        next: end
      - id: shout
        text: Shout an order through the door.
        facts: [bare_command]
        next: end
  end:
    kind: terminal
    outcome: resolved
    title: Done
"""


def test_going_round_a_loop_adds_no_points() -> None:
    sf = inline(LOOP)
    pack = model_pack()
    once = score_session(play(sf, ["ring", "go", "shout"]), sf, pack)
    looped = score_session(play(sf, ["ring", "ring", "ring", "ring", "go", "shout"]), sf, pack)
    assert looped.overall == once.overall
    repeats = [d for d in looped.decisions if d.verdict == "unscored"]
    assert len(repeats) == 3
    assert all(d.feedback == REPEAT_FEEDBACK and d.better_choice is None for d in repeats)
    assert looped.passed == once.passed
    # a fault is counted every time: only credit is capped
    shouting = score_session(play(sf, ["ring", "go", "shout"]), sf, pack)
    assert shouting.decisions[-1].verdict == "deviation"


def test_communication_skills_count_at_each_decision_but_not_on_a_loop() -> None:
    steps = [("l1", "emotion_labelling"), ("l2", "emotion_labelling"), ("b", "bare_command")]
    sf = inline(chain(*steps))
    report = score_session(play(sf, ["l1", "l2", "b"]), sf, model_pack())
    assert [d.verdict for d in report.decisions] == ["exemplary", "exemplary", "deviation"]


def test_padding_a_fault_with_good_facts_does_not_lift_it() -> None:
    plain = inline(chain(("s", "searched_without_search_condition")))
    padded = inline(
        chain(("s", "searched_without_search_condition, articulated_reasonable_suspicion"))
    )
    a = score_session(play(plain, ["s"]), plain, model_pack())
    b = score_session(play(padded, ["s"]), padded, model_pack())
    assert (a.decisions[0].verdict, a.decisions[0].points) == (
        b.decisions[0].verdict,
        b.decisions[0].points,
    )
    assert a.overall == b.overall


def test_adding_a_required_step_to_a_good_choice_never_lowers_it() -> None:
    alone = inline(chain(("n", "announced_presence, introduced_self_and_role")))
    best = inline(chain(("n", "announced_presence")))
    a = score_session(play(alone, ["n"]), alone, model_pack())
    b = score_session(play(best, ["n"]), best, model_pack())
    assert a.decisions[0].points is not None and b.decisions[0].points is not None
    assert a.decisions[0].points >= b.decisions[0].points


TIMED = """  d1:
    kind: decision
    prompt: He is walking toward the back room. Quick.
    timeout: {seconds: 10, default: stay}
    choices:
      - id: leave
        text: Withdraw with your partner.
        facts: [withdrew_after_weapon_seen]
        next: end
      - id: stay
        text: Stay and keep talking.
        facts: [stayed_after_weapon_seen]
        next: end
  end:
    kind: terminal
    outcome: resolved
    title: Done
"""


def test_a_timeout_never_scores_above_its_default_and_a_critical_scores_zero() -> None:
    sf = inline(TIMED)
    chosen = score_session(play(sf, ["stay"]), sf, model_pack())
    timed = score_session(play(sf, ["timeout"]), sf, model_pack())
    assert chosen.decisions[0].verdict == "critical"
    assert timed.decisions[0].points == chosen.decisions[0].points == 0.0
    assert timed.overall <= chosen.overall == 0.0
    assert not timed.passed and not chosen.passed


REQUIRED = """requires:
  - title: The home contact was completed, or ended early for a stated safety reason
    facts: [verified_residence, withdrew_after_weapon_seen]
"""


def test_a_run_that_walks_away_before_the_job_is_done_fails_and_says_why() -> None:
    nodes = chain(("plan", "planned_approach_and_exits"), ("go", "announced_presence"))
    body = scenario_text(nodes).replace("start: d1\n", REQUIRED + "start: d1\n")
    sf = load_scenario_text(body, "requires.yaml")
    report = score_session(play(sf, ["plan", "go"]), sf, model_pack())
    assert report.overall >= 85
    assert not report.passed
    title = "The home contact was completed, or ended early for a stated safety reason"
    assert report.undone == (title,)
    assert f"the job was left undone: {title}" in report.fail_reasons
    done = load_scenario_text(
        scenario_text(
            chain(("plan", "planned_approach_and_exits"), ("v", "verified_residence"))
        ).replace("start: d1\n", REQUIRED + "start: d1\n"),
        "done.yaml",
    )
    ok = score_session(play(done, ["plan", "v"]), done, model_pack())
    assert ok.undone == ()
    assert ok.passed, ok.fail_reasons


def _mi(codes: list[str]) -> tuple[list[str], ScenarioFile]:
    steps = [(f"u{i}", code) for i, code in enumerate(codes)]
    return [s[0] for s in steps], inline(chain(*steps), family="motivational_interviewing")


def test_a_reflective_conversation_passes_and_a_question_heavy_one_fails_in_miti_terms() -> None:
    reflective = [
        "question_open",
        "complex_reflection",
        "complex_reflection",
        "affirm",
        "simple_reflection",
        "complex_reflection",
        "question_open",
        "emphasizing_autonomy",
        "complex_reflection",
        "seeking_collaboration",
    ]
    ids, sf = _mi(reflective)
    good = score_session(play(sf, ids), sf, model_pack())
    assert good.miti is not None
    assert good.miti.reflection_to_question.level in ("fair", "good")
    assert good.passed, good.fail_reasons
    questions = [
        "question_open",
        "question_closed",
        "question_open",
        "simple_reflection",
        "question_closed",
        "question_open",
        "affirm",
        "question_open",
        "complex_reflection",
        "question_closed",
    ]
    ids, sf = _mi(questions)
    bad = score_session(play(sf, ids), sf, model_pack())
    assert bad.overall >= 70  # every question is acceptable on its own
    assert not bad.passed
    assert any(
        r.startswith("MITI reflection-to-question ratio 0.29 is below 'fair' (1)")
        for r in bad.fail_reasons
    ), bad.fail_reasons


def test_an_mi_conversation_too_short_to_rate_cannot_pass() -> None:
    ids, sf = _mi(["complex_reflection", "affirm"])
    report = score_session(play(sf, ids), sf, model_pack())
    assert not report.passed
    assert any("too few to rate" in r for r in report.fail_reasons)


POOL = (
    "checked_warrants",  # exemplary
    "planned_approach_and_exits",
    "positioned_safely",
    "notified_office_of_location",  # acceptable
    "announced_presence",
    "asked_to_secure_animals",
    "skipped_warrant_check",  # deviation
    "postponed_without_cause",
    "roles_not_agreed",
    "went_out_unaccounted",  # violation
    "entered_without_announcing",
)


def test_every_rating_from_one_to_seven_is_reachable_with_three_observations() -> None:
    pack = model_pack()
    seen: set[int] = set()
    for combo in itertools.combinations(POOL, 3):
        steps = [(f"c{i}", fact) for i, fact in enumerate(combo)]
        sf = inline(chain(*steps))
        report = score_session(play(sf, [s[0] for s in steps]), sf, pack)
        fs = next(c for c in report.competencies if c.id == "field_safety")
        assert fs.judgments == 3 and fs.rating is not None
        seen.add(fs.rating)
    assert seen == {1, 2, 3, 4, 5, 6, 7}


def test_fewer_than_three_observations_is_not_observed_with_the_observations_listed() -> None:
    sf = inline(chain(("a", "checked_warrants"), ("b", "skipped_warrant_check")))
    report = score_session(play(sf, ["a", "b"]), sf, model_pack())
    fs = next(c for c in report.competencies if c.id == "field_safety")
    assert (fs.rating, fs.suggestion) == (None, "N.O.")
    assert fs.observations == (
        "decision 1: exemplary (MSDP-2.02)",
        "decision 2: deviation (MSDP-2.02)",
    )


def test_a_competency_suggested_below_four_fails_a_run_whose_overall_passes() -> None:
    steps = [
        ("a", "checked_warrants"),
        ("b", "planned_approach_and_exits"),
        ("c", "positioned_safely"),
        ("d", "emotion_labelling"),
        ("e", "bare_command"),
        ("f", "moralised"),
        ("g", "argued"),
        ("h", "asked_who_is_present"),
    ]
    sf = inline(chain(*steps))
    report = score_session(play(sf, [s[0] for s in steps]), sf, model_pack())
    assert report.overall >= 70
    assert report.fail_reasons == (
        "De-escalation and control of conflict suggested 3, below 4 (minimum acceptable to "
        "work alone)",
    )


def test_answering_a_timed_decision_in_time_is_observed_in_decision_making_only() -> None:
    sf = inline(TIMED)
    report = score_session(play(sf, ["leave"]), sf, model_pack())
    (d,) = report.decisions
    assert d.verdict == "exemplary" and "decided_in_time" not in d.facts
    dm = next(c for c in report.competencies if c.id == "decision_making")
    assert dm.observations == ("decision 1, answered in time: exemplary (MSDP-4.03)",)
    timed_out = score_session(play(sf, ["timeout"]), sf, model_pack())
    dm = next(c for c in timed_out.competencies if c.id == "decision_making")
    assert dm.observations == ("decision 1: deviation (MSDP-4.03)",)
