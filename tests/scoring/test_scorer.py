"""Scoring whole runs: verdicts, pass/fail, ratings, timeouts, better choices, panels."""

from __future__ import annotations

import json

from scoring.scorer import score_session
from tests.scoring.helpers import fixture, inline, model_pack, play


def chain(*steps: tuple[str, str]) -> str:
    """Decisions d1..dn, each with one choice (id, facts) leading to the next, then an end."""
    out = []
    for i, (cid, facts) in enumerate(steps, start=1):
        nxt = f"d{i + 1}" if i < len(steps) else "end"
        out.append(
            f"  d{i}:\n    kind: decision\n    prompt: Step {i}.\n    choices:\n"
            f"      - {{id: {cid}, text: Do {cid}., facts: [{facts}], next: {nxt}}}\n"
        )
    out.append("  end:\n    kind: terminal\n    outcome: resolved\n    title: Done\n")
    return "".join(out)


def test_a_critical_failure_fails_the_run_despite_a_high_point_total() -> None:
    steps = [
        ("read", "reviewed_case_file"),
        ("warrants", "checked_warrants"),
        ("partner", "requested_partner"),
        ("listen", "emotion_labelling"),
        ("options", "offered_options"),
        ("ask", "asked_about_suicide_directly"),
        ("refer", "immediate_mental_health_referral"),
        ("stay", "stayed_with_person_at_risk"),
        ("force", "used_excessive_force"),
    ]
    sf = inline(chain(*steps))
    report = score_session(play(sf, [s[0] for s in steps]), sf, model_pack())
    assert report.overall >= 80
    assert not report.passed
    assert report.fail_reasons == (
        "critical failure: MSDP-4.02 Use of force (used_excessive_force)",
    )
    (crit,) = report.critical_failures
    assert (crit.node, crit.choice, crit.fact) == ("d9", "force", "used_excessive_force")


def test_the_same_run_without_the_critical_passes() -> None:
    sf = inline(chain(("read", "reviewed_case_file"), ("force", "used_minimal_force")))
    report = score_session(play(sf, ["read", "force"]), sf, model_pack())
    assert report.passed and report.fail_reasons == ()


def test_competency_scores_and_suggested_ratings_follow_the_pack_bands() -> None:
    sf = inline(
        chain(("a", "announced_presence"), ("b", "bare_command"), ("c", "complex_reflection"))
    )
    report = score_session(play(sf, ["a", "b", "c"]), sf, model_pack())
    by_id = {c.id: c for c in report.competencies}
    # one observation is no rating: the suggestion is N.O., the score still maps to a band
    fs = by_id["field_safety"]
    assert (fs.score, fs.score_rating, fs.rating, fs.suggestion) == (85.0, 5, None, "N.O.")
    assert fs.observations == ("decision 1: acceptable (MSDP-2.05)",)
    assert (by_id["de_escalation"].score, by_id["de_escalation"].score_rating) == (45.0, 2)
    mi = by_id["motivational_interviewing"]
    assert (mi.score, mi.score_rating) == (100.0, 7)
    assert by_id["use_of_force"].score is None and by_id["use_of_force"].rating is None
    # overall: decisions weighted by their heaviest rule: (85*1 + 45*1 + 100*2) / 4
    assert report.overall == 82.5


def test_a_timed_out_decision_is_judged_as_its_default_plus_the_timeout_fact() -> None:
    nodes = """  d1:
    kind: decision
    prompt: The door opens. Quick.
    timeout: {seconds: 10, default: wait}
    choices:
      - id: announce
        text: Announce yourself.
        facts: [announced_presence, introduced_self_and_role]
        next: end
      - {id: wait, text: Wait and see., facts: [gave_time_and_space], next: end}
  end:
    kind: terminal
    outcome: resolved
    title: Done
"""
    sf = inline(nodes)
    report = score_session(play(sf, ["timeout"]), sf, model_pack())
    (d,) = report.decisions
    assert d.timed_out and d.choice == "wait"
    assert d.facts == ("gave_time_and_space", "no_decision_in_time")
    assert d.verdict == "deviation" and d.policy is not None and d.policy.id == "MSDP-4.03"
    assert d.better_choice is not None and d.better_choice.choice == "announce"


def test_the_better_choice_is_only_ever_one_that_was_available() -> None:
    nodes = """  d1:
    kind: decision
    prompt: Tanya's door is shut.
    choices:
      - id: ask
        text: Ask Tanya for consent.
        facts: [obtained_third_party_consent]
        guard: "trust > 5"
        next: end
      - id: own_room
        text: Search Marcus's room instead.
        facts: [searched_parolee_area_under_condition, articulated_reasonable_suspicion]
        next: end
      - {id: search, text: Search Tanya's room., facts: [searched_third_party_area], next: end}
  end:
    kind: terminal
    outcome: resolved
    title: Done
"""
    sf = inline(nodes, variables="  trust: {type: int, min: 0, max: 10, initial: 2}\n")
    report = score_session(play(sf, ["search"]), sf, model_pack())
    (d,) = report.decisions
    assert d.verdict == "violation"
    assert d.better_choice is not None and d.better_choice.choice == "own_room"
    assert d.better_choice.verdict == "deviation"


def test_no_better_choice_is_offered_when_the_choice_was_already_the_best() -> None:
    sf = fixture("hv_shared_flat")
    report = score_session(
        play(sf, ["prepare_fully", "announce", "ask_tanya", "look", "withdraw"]), sf, model_pack()
    )
    assert report.passed
    assert all(d.better_choice is None for d in report.decisions)
    assert [d.verdict for d in report.decisions] == [
        "exemplary",
        "acceptable",
        "exemplary",
        "acceptable",
        "exemplary",
    ]


def test_scoring_a_log_equals_scoring_the_live_session_byte_for_byte() -> None:
    sf = fixture("hv_shared_flat")
    session = play(sf, ["just_go", "timeout", "search_tanya_room", "stay_talk"])
    live = json.dumps(score_session(session, sf, model_pack()).to_dict())
    log = json.loads(json.dumps(session.to_log()))
    replayed = json.dumps(score_session(log, sf, model_pack()).to_dict())
    again = json.dumps(score_session(log, sf, model_pack()).to_dict())
    assert live == replayed == again
    data = json.loads(live)
    assert data["policy"]["hash"] == model_pack().hash
    assert data["scenario"]["hash"] == sf.hash
    assert all(
        d["judgments"][0]["rule"].startswith("model-state-parole/") for d in data["decisions"]
    )


def test_mi_conversation_gets_a_miti_panel_quoting_the_trainees_own_lines() -> None:
    sf = fixture("mi_checkin")
    report = score_session(play(sf, ["lecture", "complex", "affirm_autonomy"]), sf, model_pack())
    m = report.miti
    assert m is not None
    assert m.counts["persuade"] == 1 and m.counts["confront"] == 0
    assert (m.adherent, m.non_adherent) == (1, 1)
    assert m.examples["persuade"] == ["You know where this ends up. You'll be back inside."]
    # three coded utterances are too few to rate: the summary says so instead of "good"
    assert m.reflection_to_question.level == "too few to rate"
    assert m.percent_complex_reflections.level == "too few to rate"
    assert report.sanction is None


def test_violation_run_gets_a_sanction_assessment_from_the_final_severity() -> None:
    sf = fixture("vd_curfew")
    report = score_session(
        play(sf, ["hear_her", "check_history", "jail", "notice_only"]), sf, model_pack()
    )
    a = report.sanction
    assert a is not None
    assert (a.severity, a.risk, a.band) == ("medium", "moderate", (2, 4))
    assert (a.chosen_level, a.placement, a.steps_outside) == (5, "too_severe", 1)
    assert not a.due_process_complete
    respond = report.decisions[2]
    assert respond.verdict == "deviation" and respond.policy is not None
    assert respond.policy.id == "MSDP-7.02"
    assert "too severe" in respond.feedback
    assert report.miti is None


def test_a_choice_with_no_scored_fact_is_reported_not_crashed_on() -> None:
    sf = inline(chain(("odd", "an_unlisted_fact")))
    report = score_session(play(sf, ["odd"]), sf, model_pack())
    (d,) = report.decisions
    assert d.verdict == "unscored" and d.points is None and d.policy is None
    assert not report.passed and report.fail_reasons == ("no decision was scored",)
    assert any("an_unlisted_fact" in w for w in report.warnings)


def test_rescoring_from_the_stored_trace_equals_rescoring_by_replay() -> None:
    from scoring.scorer import rescore_log, trace_from_log, trace_from_stored

    for name, choices in (
        ("hv_shared_flat", ["just_go", "timeout", "ask_tanya", "look", "timeout"]),
        ("vd_curfew", ["hear_her", "check_history", "revoke", "full_process"]),
        ("mi_checkin", ["open_q", "closed", "advise_pwp"]),
    ):
        sf = fixture(name)
        session = play(sf, choices)
        log = json.loads(json.dumps(session.to_log()))
        log["score"] = score_session(session, sf, model_pack()).to_dict()
        stored = trace_from_stored(log, sf)
        assert stored is not None, name
        assert stored == trace_from_log(log, sf)
        fast = rescore_log(log, sf, model_pack()).to_dict()
        assert fast == score_session(log, sf, model_pack()).to_dict()


def test_a_stored_trace_that_disagrees_with_the_events_is_not_trusted() -> None:
    from scoring.scorer import trace_from_stored

    sf = fixture("vd_curfew")
    session = play(sf, ["hear_her", "call_employer", "warn"])
    log = json.loads(json.dumps(session.to_log()))
    assert trace_from_stored(log, sf) is None  # no stored score at all
    log["score"] = score_session(session, sf, model_pack()).to_dict()
    log["score"]["decisions"][2]["choice"] = "jail"
    assert trace_from_stored(log, sf) is None
