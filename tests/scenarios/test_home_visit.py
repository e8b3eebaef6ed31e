"""The home-visit scenarios meet the authoring bar and play the way their debriefs say.

Each scenario has a best path (a fixed seed with a known persona, explicit choices)
and a known wrong path; 50 seeded random walks must meet different situations and
reach different endings, and a random walk must replay exactly.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from engine.compile import compile_scenario
from engine.graph import endings, longest_decision_path
from engine.lint import ExtraCheck, lint_paths
from engine.loader import ScenarioFile, load_scenario
from engine.mechanics import places
from engine.model import Decision
from engine.session import Session
from simulator.commands.play import autopilot
from tests.clirun import cli

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "scenarios" / "home_visit"


@dataclass(frozen=True)
class Path_:
    seed: int
    persona: dict[str, object]
    choices: str  # comma-separated choice ids, 'timeout' lets the clock run out
    ending: str
    facts: tuple[str, ...] = ()  # facts (often derived) the path must have earned
    # scored: decisions judged as (node, verdict, policy id), and whether the run passes
    verdicts: tuple[tuple[str, str, str], ...] = ()
    passes: bool | None = None


@dataclass(frozen=True)
class Case:
    id: str
    best: tuple[Path_, ...]
    wrong: tuple[Path_, ...]
    situation: Callable[[dict[str, object]], object]  # what the trainee meets, from the persona


CASES = [
    Case(
        id="hv-routine-visitor",
        best=(
            Path_(
                seed=1,
                persona={"visitor": "ray", "ray_warrant": False},
                choices=(
                    "read_file,checks_and_log,agree_roles,knock_from_side,"
                    "introduce_and_look,position_with_cover,ask_visitor_politely,"
                    "ask_and_step_back,check_name_ray,explain_and_ask_to_leave,"
                    "hear_her_out,explain_next_steps,report_with_account"
                ),
                ending="end_no_contact_reported",
                facts=("plain_view_observation",),
            ),
            Path_(
                seed=2,
                persona={"visitor": "luz"},
                choices=(
                    "read_file,checks_and_log,agree_roles,knock_from_side,"
                    "introduce_and_look,position_with_cover,ask_visitor_politely,"
                    "ask_and_step_back,check_name_luz,ask_to_see_kitchen,"
                    "praise_and_refer,note_complete"
                ),
                ending="end_verified",
                facts=("plain_view_observation",),
            ),
        ),
        wrong=(
            Path_(
                seed=1,
                persona={"visitor": "ray"},
                choices=(
                    "skim_and_go,radio_later,sort_it_inside,knock_at_peephole,step_past,"
                    "partner_checks_rooms,ask_visitor_politely,timeout,take_their_word"
                ),
                ending="end_missed",
                facts=("roles_merged", "entered_without_invitation_or_authority"),
                verdicts=(
                    ("inside", "violation", "MSDP-2.07"),
                    ("verify", "deviation", "MSDP-2.10"),
                ),
                passes=False,
            ),
        ),
        situation=lambda p: p["visitor"],
    ),
]
CASES.append(
    Case(
        id="hv-plain-view-children",
        best=(
            Path_(
                seed=5,
                persona={"rig": 1, "honest": True, "shawna_agrees": True},
                choices=(
                    "read_file,checks_and_log,agree_roles,knock_from_side,introduce_and_look,"
                    "block_and_call,kids_out_and_look,photo_and_seize,ask_and_listen,"
                    "suspicion_and_approval,you_search_ben_covers,ask_shawna,"
                    "look_with_consent,treatment_response,naloxone_talk,hotline_report,"
                    "note_complete"
                ),
                ending="end_treatment",
                facts=(
                    "plain_view_observation",
                    "searched_parolee_area_under_condition",
                    "obtained_third_party_consent",
                    "searched_third_party_area",
                ),
            ),
            Path_(
                seed=8,
                persona={"rig": 0, "film": 1},
                choices=(
                    "read_file,checks_and_log,agree_roles,knock_from_side,introduce_and_look,"
                    "kids_out_and_look,check_label,ask_and_listen,praise_progress,"
                    "naloxone_ok,note_complete_ok"
                ),
                ending="end_compliant",
                facts=("plain_view_observation",),
            ),
        ),
        wrong=(
            Path_(
                seed=16,
                persona={"rig": 1},
                choices=(
                    "skim_and_go,radio_later,sort_it_inside,knock_at_screen,walk_in_behind,timeout"
                ),
                ending="end_needlestick",
                facts=("entered_without_invitation_or_authority", "ignored_hazard"),
                verdicts=(("toddler", "deviation", "MSDP-2.08"),),
                passes=False,
            ),
            Path_(
                seed=6,
                persona={"rig": 1},
                choices=(
                    "read_file,checks_and_log,agree_roles,knock_from_side,introduce_and_look,"
                    "block_and_call,look_and_start_here,partner_bags_it,tell_him_straight,"
                    "search_right_now,timeout"
                ),
                ending="end_escalated",
                facts=("roles_merged", "searched_parolee_area_under_condition"),
                verdicts=(("items_rig", "violation", "MSDP-2.07"),),
            ),
        ),
        situation=lambda p: "rig" if p["rig"] else "film" if p["film"] else "clean",
    )
)
LOCKED_ROOM_START = (
    "read_file,checks_log_brief,agree_roles,stay_out_and_call,knock_from_side,"
    "introduce_and_look,position_and_ask,tell_him_about_tip,ask_to_see_garage,"
)
CASES.append(
    Case(
        id="hv-locked-room-dog",
        best=(
            Path_(
                seed=0,
                persona={"stash_garage": 1},
                choices=LOCKED_ROOM_START
                + "call_sergeant,you_search_tomas_covers,call_police,write_up_today",
                ending="end_police",
                facts=("plain_view_observation", "searched_parolee_area_under_condition"),
            ),
            Path_(
                seed=12,
                persona={"stash_garage": 0, "stash_marek": 1, "marek_agrees": True},
                choices=LOCKED_ROOM_START
                + "ask_marek,look_with_consent,call_police,write_up_today",
                ending="end_police",
                facts=("obtained_third_party_consent", "searched_third_party_area"),
            ),
            Path_(
                seed=3,
                persona={"stash_garage": 0, "stash_marek": 0},
                choices=LOCKED_ROOM_START + "leave_the_room,close_straight,note_complete",
                ending="end_clean",
                facts=("respected_third_party_area",),
            ),
        ),
        wrong=(
            Path_(
                seed=3,
                persona={"marek_home": False},
                choices=LOCKED_ROOM_START + "key_from_danny,close_straight,note_complete",
                ending="end_unlawful",
                facts=("searched_third_party_area_without_consent",),
                verdicts=(("locked_room", "violation", "MSDP-3.04"),),
            ),
            Path_(
                seed=2,
                persona={"dog_temper": 0.6001},
                choices="skim_and_go,log_only,sort_it_inside,open_the_gate",
                ending="end_bitten",
                facts=("ignored_hazard",),
                verdicts=(("dog_gate", "deviation", "MSDP-2.08"),),
                passes=False,
            ),
            Path_(
                seed=0,
                persona={"stash_garage": 1},
                choices=LOCKED_ROOM_START
                + "call_sergeant,you_search_tomas_covers,call_police,write_up_police_only",
                ending="end_police",
                facts=("searched_parolee_area_under_condition",),
                verdicts=(("police_doc", "deviation", "MSDP-1.08"),),
                passes=False,
            ),
            Path_(
                seed=3,
                persona={"stash_garage": 0, "stash_marek": 0},
                choices=LOCKED_ROOM_START + "leave_the_room,close_straight,note_suspicion",
                ending="end_clean",
                facts=("respected_third_party_area",),
                verdicts=(("doc_clean", "deviation", "MSDP-1.07"),),
                passes=False,
            ),
        ),
        situation=lambda p: (
            "garage" if p["stash_garage"] else "marek" if p["stash_marek"] else "none"
        ),
    )
)
WEAPON_START = (
    "read_file,checks_and_log,plan_with_escort,knock_from_side,introduce_and_look,"
    "ask_directly,wait_with_view,"
)
CASES.append(
    Case(
        id="hv-weapon-disengage",
        best=(
            Path_(
                seed=0,
                persona={"shotgun": 1},
                choices=WEAPON_START.replace("wait_with_view,", "")
                + "stop_and_walk_out,keep_him_and_call,hear_him_out_clear,staff_with_sergeant,"
                "incident_report_today",
                ending="end_withdrew",
                facts=("withdrew_after_weapon_seen", "kept_person_from_weapon"),
            ),
            Path_(
                seed=9,
                persona={"shotgun": 1, "truthful": False},
                choices=WEAPON_START + "back_out,call_and_report,leave_charge_to_police,"
                "staff_with_sergeant,incident_report_today",
                ending="end_withdrew",
                facts=("withdrew_after_weapon_seen", "took_custody_with_police"),
            ),
            Path_(
                seed=8,
                persona={"shotgun": 0, "pistol": 1},
                choices=WEAPON_START + "walk_out,call_and_report,hear_him_out_clear,"
                "staff_with_sergeant,"
                "incident_report_today",
                ending="end_withdrew",
                facts=("withdrew_after_weapon_seen",),
            ),
            Path_(
                seed=2,
                persona={"shotgun": 0, "pistol": 0},
                choices=WEAPON_START
                + "ask_and_reassess,photo_and_seize,explain_and_plan,note_complete",
                ending="end_ammo_reported",
                facts=("plain_view_observation",),
            ),
        ),
        wrong=(
            Path_(
                seed=9,
                persona={"shotgun": 1},
                choices=WEAPON_START + "talk_him_through",
                ending="end_discharge",
                facts=("stayed_after_weapon_seen",),
                verdicts=(("shotgun_moment", "critical", "MSDP-4.01"),),
                passes=False,
            ),
            Path_(
                seed=1,
                persona={"shotgun": 1, "truthful": False},
                choices=WEAPON_START + "back_out,go_back_in",
                ending="end_close_call",
                facts=("withdrew_after_weapon_seen", "stayed_after_weapon_seen"),
                verdicts=(("outside", "critical", "MSDP-4.01"),),
                passes=False,
            ),
            Path_(
                seed=8,
                persona={"pistol": 1},
                choices=WEAPON_START + "timeout",
                ending="end_close_call",
                facts=("stayed_after_weapon_seen",),
                verdicts=(("jesse_arrives", "critical", "MSDP-4.01"),),
                passes=False,
            ),
        ),
        situation=lambda p: "shotgun" if p["shotgun"] else "pistol" if p["pistol"] else "shells",
    )
)
WORKPLACE_START = (
    "read_file,checks_and_log,plan_discreet,ask_for_glen,private_and_minimal,"
    "thank_and_ask_for_ruth,explain_and_ask,discreet_answer,nothing_more,"
)
CASES.append(
    Case(
        id="hv-workplace-verification",
        best=(
            Path_(
                seed=1,
                persona={"on_till": 1, "told": 1},
                choices=WORKPLACE_START + "reward_progress,note_complete",
                ending="end_incentive",
                facts=("incentive_reduced_reporting",),
            ),
            Path_(
                seed=0,
                persona={"on_till": 1, "told": 0},
                choices=WORKPLACE_START + "plan_with_ruth,explain_next_steps,note_complete",
                ending="end_disclosure_plan",
                facts=("plain_view_observation",),
            ),
        ),
        wrong=(
            Path_(
                seed=9,
                persona={"on_till": 1, "told": 0},
                choices=(
                    "read_file,checks_and_log,plan_discreet,ask_for_glen,full_background,"
                    "thank_and_ask_for_ruth,explain_and_ask,timeout,search_locker,"
                    "tell_glen_yourself,explain_next_steps,note_complete"
                ),
                ending="end_job_lost",
                facts=("disclosed_status_to_employer", "searched_parolee_area_under_condition"),
                verdicts=(
                    ("meet_glen", "violation", "MSDP-1.03"),
                    ("locker", "violation", "MSDP-3.02"),
                    ("disclosure_plan", "acceptable", "MSDP-1.03"),
                ),
                passes=False,
            ),
            Path_(
                seed=0,
                persona={"on_till": 1, "told": 0},
                choices=WORKPLACE_START + "let_it_ride,explain_next_steps,note_complete",
                ending="end_let_ride",
                facts=("ignored_violation",),
                verdicts=(("disclosure_plan", "violation", "MSDP-7.03"),),
            ),
        ),
        situation=lambda p: (p["on_till"], p["told"]),
    )
)
GPS_START = (
    "read_file,pull_track,checks_and_log,agree_roles,knock_from_side,introduce_and_look,"
    "check_device,"
)
CASES.append(
    Case(
        id="hv-gps-zone-alert",
        best=(
            Path_(
                seed=0,
                persona={"deliberate": 1},
                choices=GPS_START
                + "leave_it_down,hear_account,victim_services_now,sergeant_and_police,"
                "note_complete",
                ending="end_hold",
                facts=("plain_view_observation",),
            ),
            Path_(
                seed=2,
                persona={"deliberate": 0},
                choices=GPS_START
                + "open_question,check_against_track,tell_victim_services,reassure_and_plan,"
                "note_complete",
                ending="end_detour_cleared",
                facts=("gathered_collateral_information",),
            ),
        ),
        wrong=(
            Path_(
                seed=0,
                persona={"deliberate": 1},
                choices=(
                    "skim_and_go,alert_is_enough,checks_and_log,agree_roles,knock_from_side,"
                    "walk_in,skip_device,timeout,tell_him_what_he_did,call_victim_direct,"
                    "final_warning,note_conclusory"
                ),
                ending="end_breach_missed",
                facts=("acted_without_required_approval", "disclosed_case_details_to_victim"),
                verdicts=(
                    ("prep_evidence", "violation", "MSDP-7.01"),
                    ("victim_deliberate", "violation", "MSDP-7.08"),
                    ("response_deliberate", "violation", "MSDP-1.06"),
                ),
                passes=False,
            ),
        ),
        situation=lambda p: p["deliberate"],
    )
)
IDS = [c.id for c in CASES]


def extra_checks() -> list[ExtraCheck]:
    try:
        from scoring.lintcheck import pack_checks
    except ImportError:
        return []
    checks: list[ExtraCheck] = pack_checks()
    return checks


@functools.cache
def _load(scenario_id: str) -> ScenarioFile:
    return load_scenario(FOLDER / f"{scenario_id}.yaml")


def scenario(case: Case) -> ScenarioFile:
    return _load(case.id)


def play(case: Case, path: Path_) -> Session:
    session = Session.start(
        compile_scenario(scenario(case)), path.seed, clock=lambda: 0.0, wall_clock=False
    )
    for choice in path.choices.split(","):
        if choice == "timeout":
            session.time_out()
        else:
            session.choose(choice)
    return session


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_scenario_lints_clean_with_no_warnings(case: Case) -> None:
    path = FOLDER / f"{case.id}.yaml"
    assert [p.format() for p in lint_paths([path], extra_checks=extra_checks())] == []


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_scenario_meets_the_authoring_bar(case: Case) -> None:
    s = scenario(case).scenario
    assert s.family == "home_visit"
    assert longest_decision_path(s) >= 12
    assert len(set(endings(s).values())) >= 4
    decisions = [n for n in s.nodes.values() if isinstance(n, Decision)]
    assert any(n.timeout is not None for n in decisions)
    assert all(c.facts for n in decisions for c in n.choices)
    assert s.places is not None


def assert_path_plays_as_written(case: Case, path: Path_) -> None:
    """The seed meets the stated persona, the choices reach the stated ending, and the
    run earns the stated facts."""
    session = play(case, path)
    assert {k: session.persona[k] for k in path.persona} == path.persona
    assert session.ended and session.node_id == path.ending
    earned = {f for d in session.decisions for f in d.facts}
    assert set(path.facts) <= earned


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_best_path_reaches_the_intended_ending(case: Case) -> None:
    for path in case.best:
        assert_path_plays_as_written(case, path)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_wrong_paths_end_in_the_failure_they_teach(case: Case) -> None:
    for path in case.wrong:
        assert_path_plays_as_written(case, path)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_fifty_seeds_meet_different_situations_and_endings(case: Case) -> None:
    compiled = compile_scenario(scenario(case))
    reached: set[str] = set()
    situations: set[object] = set()
    for seed in range(50):
        session = Session.start(compiled, seed, clock=lambda: 0.0, wall_clock=False)
        autopilot(session, "random", seed)
        assert session.ended
        reached.add(session.node_id)
        situations.add(case.situation(session.persona))
    assert len(reached) >= 3, reached
    assert len(situations) >= 2, situations


@functools.cache
def _pack(pack_id: str) -> Any:
    from scoring.pack import find_pack, load_pack

    return load_pack(find_pack(pack_id))


def score(case: Case, path: Path_) -> dict[str, Any]:
    scorer = pytest.importorskip("scoring.scorer", reason="the scorer has not landed yet")

    pack = _pack(scenario(case).scenario.policy_pack)
    report: dict[str, Any] = scorer.score_session(play(case, path), scenario(case), pack).to_dict()
    return report


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_best_paths_pass_with_a_high_score(case: Case) -> None:
    for path in case.best:
        report = score(case, path)
        assert report["passed"], report["fail_reasons"]
        assert report["overall"] >= 90
        assert report["critical_failures"] == []
        assert all(d["verdict"] in ("exemplary", "acceptable") for d in report["decisions"])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_wrong_paths_get_the_verdicts_the_pack_names(case: Case) -> None:
    for path in case.wrong:
        report = score(case, path)
        judged = {
            (d["node"], d["verdict"], d["policy"]["id"] if d["policy"] else None)
            for d in report["decisions"]
        }
        assert set(path.verdicts) <= judged, judged
        if path.passes is not None:
            assert report["passed"] is path.passes
        critical = {(c["node"], c["fact"]) for c in report["critical_failures"]}
        expected = {(n, "stayed_after_weapon_seen") for n, v, _ in path.verdicts if v == "critical"}
        assert expected <= critical


def test_every_fact_the_places_mechanic_can_derive_is_known_to_the_pack() -> None:
    pytest.importorskip("scoring.pack", reason="the scorer has not landed yet")
    pack = _pack("model-state-parole")
    assert sorted(places.DERIVED_FACTS - set(pack.facts)) == []


def test_cli_runs_a_home_visit_best_path_to_its_ending() -> None:
    case = CASES[0]
    path = case.best[0]
    out = cli("run", case.id, "--seed", str(path.seed), "--choices", path.choices, "--json")
    assert out.returncode == 0, out.stderr
    log = json.loads(out.stdout)
    assert log["ending"]["id"] == path.ending
    assert [e["choice"] for e in log["events"] if e["type"] == "chose"] == path.choices.split(",")


# ---------------------------------------------------------------- issue 11: corrected branches
# Each plays the named path with the real YAML, engine and scorer and checks the verdict and
# the clause it cites.


def _case(scenario_id: str) -> Case:
    return next(c for c in CASES if c.id == scenario_id)


def _judged(report: dict[str, Any], node: str) -> dict[str, Any]:
    found: dict[str, Any] = next(d for d in report["decisions"] if d["node"] == node)
    return found


def _cited(report: dict[str, Any], node: str) -> tuple[str, str]:
    """The verdict a decision got and the clause it cites."""
    decision = _judged(report, node)
    return decision["verdict"], decision["policy"]["id"]


def _clauses(decision: dict[str, Any]) -> set[tuple[str, str]]:
    return {(j["verdict"], j["policy"]["id"]) for j in decision["judgments"]}


def _run(scenario_id: str, seed: int, choices: str) -> tuple[Session, dict[str, Any]]:
    case = _case(scenario_id)
    path = Path_(seed=seed, persona={}, choices=choices, ending="")
    return play(case, path), score(case, path)


WEAPON_ADMITTED = WEAPON_START.replace("wait_with_view,", "")  # seed 0: Terry admits the gun


def test_weapon_after_terry_admits_the_shotgun_the_next_decision_offers_stop_leave_and_police() -> (
    None
):
    session, _ = _run("hv-weapon-disengage", 0, WEAPON_ADMITTED.rstrip(","))
    assert session.persona["shotgun"] == 1 and session.persona["truthful"] is True
    assert session.node_id == "paystubs"
    offered = {c.id for c in session.available_choices()}
    assert {"stop_and_walk_out", "sit_him_down_and_wait", "let_him_fetch_it"} <= offered
    assert "wait_with_view" not in offered  # no "exemplary" way to let him walk to the gun


def test_weapon_letting_terry_fetch_the_admitted_shotgun_is_critical_under_4_01_and_10_04() -> None:
    _, report = _run("hv-weapon-disengage", 0, WEAPON_ADMITTED + "let_him_fetch_it")
    fetch = _judged(report, "paystubs")
    assert fetch["verdict"] == "critical"
    assert {("critical", "MSDP-10.04"), ("critical", "MSDP-4.01")} <= _clauses(fetch)
    assert {c["fact"] for c in report["critical_failures"]} >= {
        "let_person_move_toward_weapon",
        "stayed_after_weapon_seen",
    }
    assert report["passed"] is False


def test_weapon_stopping_terry_and_walking_out_with_him_is_exemplary_under_10_04() -> None:
    _, report = _run(
        "hv-weapon-disengage",
        0,
        WEAPON_ADMITTED + "stop_and_walk_out,keep_him_and_call,hear_him_out_clear,"
        "staff_with_sergeant,incident_report_today",
    )
    stop = _judged(report, "paystubs")
    assert stop["verdict"] == "exemplary"
    assert ("exemplary", "MSDP-10.04") in _clauses(stop)
    assert ("exemplary", "MSDP-4.01") in _clauses(stop)  # withdrew after a weapon within reach
    assert report["passed"] is True


def test_weapon_questioning_terry_about_the_gun_charge_with_police_present_is_10_02() -> None:
    start = WEAPON_START + "back_out,call_and_report,"  # seed 9: he lied, then carried it out
    _, asked = _run("hv-weapon-disengage", 9, start + "hear_him_out")
    judged = _judged(asked, "police_custody")
    assert (judged["verdict"], judged["policy"]["id"]) == ("violation", "MSDP-10.02")
    _, left = _run("hv-weapon-disengage", 9, start + "leave_charge_to_police")
    judged = _judged(left, "police_custody")
    assert judged["verdict"] == "exemplary"
    assert {("exemplary", "MSDP-10.02"), ("exemplary", "MSDP-10.04")} <= _clauses(judged)


def test_weapon_hearing_terry_out_with_no_charge_is_an_ordinary_interview_under_10_01() -> None:
    start = WEAPON_ADMITTED + "stop_and_walk_out,keep_him_and_call,"
    _, heard = _run("hv-weapon-disengage", 0, start + "hear_him_out_clear")
    judged = _judged(heard, "police_clear")
    assert (judged["verdict"], judged["policy"]["id"]) == ("exemplary", "MSDP-10.01")
    for choice in ("silence_goes_in_report", "off_the_record_chat"):
        _, report = _run("hv-weapon-disengage", 0, start + choice)
        judged = _judged(report, "police_clear")
        assert (judged["verdict"], judged["policy"]["id"]) == ("violation", "MSDP-10.01")


def test_weapon_leaving_over_shells_scores_below_handling_them_and_does_not_finish_the_job() -> (
    None
):
    start = WEAPON_START  # seed 2: only a box of shells
    left_session, left = _run("hv-weapon-disengage", 2, start + "leave_over_shells")
    assert left_session.node_id == "end_shells_left"
    assert _judged(left, "shells_talk")["verdict"] == "deviation"
    _, handled = _run(
        "hv-weapon-disengage",
        2,
        start + "ask_and_reassess,photo_and_seize,explain_and_plan,note_complete",
    )
    assert _judged(handled, "shells_talk")["points"] > _judged(left, "shells_talk")["points"]
    assert handled["overall"] > left["overall"]
    facts = {f for d in left["decisions"] for f in d["facts"]}
    requirement_facts = {
        f for r in scenario(_case("hv-weapon-disengage")).scenario.requires for f in r.facts
    }
    assert not facts & {"contact_completed", "disengaged_for_safety", "called_for_help"}
    assert {"contact_completed", "disengaged_for_safety"} <= requirement_facts
    assert left["passed"] is False
    assert any("left undone" in reason for reason in left["fail_reasons"])
    assert handled["passed"] is True
    _, ignored = _run(
        "hv-weapon-disengage", 2, start + "ignore_the_shells,note_complete"
    )  # ammunition a no-weapons condition forbids, left on the shelf
    assert ignored["passed"] is False
    assert any("left undone" in reason for reason in ignored["fail_reasons"])


def test_locked_room_skipping_the_garage_ends_with_the_converters_still_there() -> None:
    session, report = _run(
        "hv-locked-room-dog",
        0,
        LOCKED_ROOM_START.replace("ask_to_see_garage,", "")
        + "skip_garage,leave_the_room,close_straight,note_complete",
    )
    assert session.persona["stash_garage"] == 1
    assert session.node_id == "end_garage_missed"
    ending = session.ending
    assert ending is not None and "nothing" not in ending.title.lower()
    assert _cited(report, "garage") == ("deviation", "MSDP-2.10")
    assert report["passed"] is False  # the tip was never checked where the condition reaches
    assert any("left undone" in reason for reason in report["fail_reasons"])


def test_locked_room_clean_ending_only_when_there_was_nothing_to_find() -> None:
    compiled = compile_scenario(scenario(_case("hv-locked-room-dog")))
    for seed in range(40):
        session = Session.start(compiled, seed, clock=lambda: 0.0, wall_clock=False)
        autopilot(session, "random", seed)
        if session.node_id == "end_clean":
            assert session.persona["stash_garage"] == 0 and session.persona["stash_marek"] == 0


IMPULSIVE_SEARCHES = [
    ("hv-locked-room-dog", "garage", "lift_the_tarp"),
    ("hv-locked-room-dog", "corroborated", "lift_it_now"),
    ("hv-locked-room-dog", "locked_room", "key_from_danny"),
    ("hv-routine-visitor", "ray_decision", "search_for_drugs"),
    ("hv-weapon-disengage", "shells_talk", "search_jesses_room"),
    ("hv-plain-view-children", "search_question", "search_right_now"),
    ("hv-plain-view-children", "the_bag", "search_the_bag"),
]


@pytest.mark.parametrize(("scenario_id", "node", "choice"), IMPULSIVE_SEARCHES)
def test_impulsive_searches_claim_no_reasonable_suspicion_they_did_not_articulate(
    scenario_id: str, node: str, choice: str
) -> None:
    decision = scenario(_case(scenario_id)).scenario.nodes[node]
    assert isinstance(decision, Decision)
    picked = next(c for c in decision.choices if c.id == choice)
    assert "articulated_reasonable_suspicion" not in picked.facts
    assert picked.search is not None


def test_locked_room_lifting_the_tarp_is_a_search_without_suspicion_under_3_02() -> None:
    _, report = _run(
        "hv-locked-room-dog", 0, LOCKED_ROOM_START.replace("ask_to_see_garage,", "lift_the_tarp")
    )
    assert _cited(report, "garage") == ("violation", "MSDP-3.02")


def test_workplace_telling_the_employer_the_condition_requires_is_not_a_disclosure() -> None:
    session, report = _run(
        "hv-workplace-verification",
        0,
        WORKPLACE_START + "tell_glen_yourself,explain_next_steps,note_complete",
    )
    told = _judged(report, "disclosure_plan")
    assert (told["verdict"], told["policy"]["id"]) == ("acceptable", "MSDP-1.03")
    assert "disclosed_status_to_employer" not in told["facts"]
    assert session.node_id == "end_officer_told"


def test_gps_not_telling_the_victim_and_a_lone_warning_cite_the_right_clauses() -> None:
    _, innocent = _run(
        "hv-gps-zone-alert",
        2,
        GPS_START + "open_question,check_against_track,nothing_to_tell,reassure_and_plan,"
        "note_complete",
    )
    assert _cited(innocent, "victim_innocent") == ("violation", "MSDP-7.08")
    _, deliberate = _run(
        "hv-gps-zone-alert",
        0,
        GPS_START + "leave_it_down,hear_account,victim_services_now,final_warning,note_complete",
    )
    assert _cited(deliberate, "response_deliberate") == ("violation", "MSDP-1.06")


def test_gps_reading_his_phone_without_a_device_condition_is_3_08() -> None:
    _, report = _run("hv-gps-zone-alert", 0, GPS_START + "leave_it_down,go_through_phone")
    assert _cited(report, "account_deliberate") == ("violation", "MSDP-3.08")


def test_vehicle_search_needs_reasonable_suspicion_and_approval_under_3_05() -> None:
    from scoring.rules import judge_facts

    pack = _pack("model-state-parole")
    fact = "searched_vehicle_under_condition"
    suspicion = {"articulated_reasonable_suspicion"}
    both = suspicion | {"obtained_supervisor_approval_for_search"}
    assert judge_facts(pack, [fact], both).judgments[0].verdict.value == "acceptable"
    assert judge_facts(pack, [fact], suspicion).judgments[0].verdict.value == "deviation"
    assert judge_facts(pack, [fact], set()).judgments[0].verdict.value == "violation"
    assert {j.rule.rule.policy for j in judge_facts(pack, [fact], both).judgments} == {"MSDP-3.05"}


def test_locked_room_searching_the_civic_beyond_a_garage_only_approval_is_a_fault() -> None:
    _, report = _run(
        "hv-locked-room-dog",
        0,
        LOCKED_ROOM_START + "call_sergeant,garage_and_civic",
    )
    civic = _judged(report, "search_garage")
    assert civic["verdict"] == "violation"
    assert ("acceptable", "MSDP-3.05") in _clauses(civic)  # suspicion and approval were on record
    assert ("violation", "MSDP-1.06") in _clauses(civic)  # but the approval was garage only


PLAIN_VIEW_RIG = (
    "read_file,checks_and_log,agree_roles,knock_from_side,introduce_and_look,"
    "block_and_call,kids_out_and_look,photo_and_seize,ask_and_listen,no_search,"
    "treatment_response,"
)


def test_plain_view_a_syringe_cap_in_a_four_year_olds_reach_is_reported_under_10_05() -> None:
    _, reported = _run("hv-plain-view-children", 5, PLAIN_VIEW_RIG + "naloxone_talk,hotline_report")
    assert _cited(reported, "child_welfare") == ("exemplary", "MSDP-10.05")
    for choice in ("leave_it_with_shawna", "report_if_positive"):
        _, report = _run("hv-plain-view-children", 5, PLAIN_VIEW_RIG + "naloxone_talk," + choice)
        left = _judged(report, "child_welfare")
        assert (left["verdict"], left["policy"]["id"]) == ("violation", "MSDP-10.05")


def test_plain_view_relapse_on_a_taper_is_met_with_naloxone_not_stopping_medication() -> None:
    _, offered = _run("hv-plain-view-children", 5, PLAIN_VIEW_RIG + "naloxone_talk")
    naloxone = _judged(offered, "overdose_risk")
    assert (naloxone["verdict"], naloxone["policy"]["id"]) == ("exemplary", "MSDP-10.06")
    assert {"discussed_overdose_risk", "offered_naloxone"} <= set(naloxone["facts"])
    assert "referred_to_medication_treatment" in _judged(offered, "response_rig")["facts"]
    _, paused = _run("hv-plain-view-children", 5, PLAIN_VIEW_RIG + "pause_the_film")
    assert _cited(paused, "overdose_risk") == ("violation", "MSDP-10.06")


def test_routine_visitor_walking_into_the_kitchen_does_not_repeat_the_living_room() -> None:
    session, _ = _run(
        "hv-routine-visitor",
        2,
        "read_file,checks_and_log,agree_roles,knock_from_side,introduce_and_look,"
        "position_with_cover,ask_visitor_politely,ask_and_step_back,check_name_luz,"
        "ask_to_see_kitchen",
    )
    views = [
        t.text for t in session.transcript if t.speaker == "narrator" and "you can see" in t.text
    ]
    living, kitchen = views[-2], views[-1]
    assert living.startswith("From the living room") and kitchen.startswith("From the kitchen")
    assert "couch" not in kitchen and "suitcase" not in kitchen
    assert "lanyard" in kitchen


def test_home_visits_cite_the_search_and_custody_clauses_issue_11_names() -> None:
    pack = _pack("model-state-parole")
    cited: set[str] = set()
    for case in CASES:
        for node in scenario(case).scenario.nodes.values():
            if not isinstance(node, Decision):
                continue
            for choice in node.choices:
                for fact in choice.facts:
                    cited.update(r.rule.policy for r in pack.rules_by_fact.get(fact, ()))
    assert {"MSDP-3.01", "MSDP-3.05", "MSDP-3.08", "MSDP-10.04"} <= cited
    facts = {
        f
        for c in CASES
        for n in scenario(c).scenario.nodes.values()
        if isinstance(n, Decision)
        for ch in n.choices
        for f in ch.facts
    }
    assert {"took_custody_with_police", "searched_person_without_cause"} <= facts


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_home_visit_says_what_the_job_requires(case: Case) -> None:
    requires = scenario(case).scenario.requires
    assert requires
    assert any(
        "disengaged_for_safety" in r.facts or "contact_completed" in r.facts for r in requires
    )


PLAIN_VIEW_DOOR = "read_file,checks_and_log,agree_roles,knock_from_side,"  # seed 0: Kevin is down


def test_plain_view_an_overdose_seen_through_the_screen_allows_emergency_entry_under_10_03() -> (
    None
):
    session, report = _run(
        "hv-plain-view-children",
        0,
        PLAIN_VIEW_DOOR + "announce_and_go_in,go_with_them,hotline_report,note_overdose",
    )
    assert session.node_id == "end_overdose_reversed"
    entry = _judged(report, "found_down")
    assert entry["verdict"] == "exemplary"
    assert {("acceptable", "MSDP-10.03"), ("exemplary", "MSDP-10.03")} <= _clauses(entry)
    assert "entered_without_invitation_or_authority" not in entry["facts"]
    assert report["passed"] is True
    waited_session, waited = _run("hv-plain-view-children", 0, PLAIN_VIEW_DOOR + "knock_and_wait")
    assert waited_session.node_id == "end_overdose_waited"
    assert _cited(waited, "found_down") == ("violation", "MSDP-10.03")
    _, rushed = _run("hv-plain-view-children", 0, PLAIN_VIEW_DOOR + "rush_in_alone")
    assert _cited(rushed, "found_down") == ("deviation", "MSDP-10.03")


def test_routine_visitor_leaving_when_ray_stands_and_refuses_is_a_disengagement_that_passes() -> (
    None
):
    session, report = _run(
        "hv-routine-visitor",
        68,
        "read_file,checks_and_log,agree_roles,knock_from_side,introduce_and_look,"
        "position_with_cover,ask_visitor_politely,ask_and_step_back,check_name_ray,"
        "explain_and_ask_to_leave,leave_together",
    )
    assert session.persona["visitor"] == "ray"
    assert session.node_id == "end_left_safely"
    assert _cited(report, "ray_refuses") == ("exemplary", "MSDP-2.09")
    assert report["passed"] is True  # the requirement accepts a safety disengagement
