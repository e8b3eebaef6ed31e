"""The drug_testing and victim_contact families: lint, the authoring bar, best and wrong
paths, seeded variation and replay.

Each scripted path runs in-process through the real engine and scorer with a fixed seed
whose persona is asserted first, so a path always meets the situation it was written for.
Wrong paths must fail for the named reason, with the clause the pack cites.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from engine.graph import endings, longest_decision_path
from engine.lint import lint_paths
from engine.loader import ScenarioFile
from engine.model import Decision
from engine.session import Session
from scoring.pack import PolicyPack
from scoring.scorer import score_session
from simulator.commands.content import extra_lint_checks
from tests.clirun import cli
from tests.scenarios.walks import library_of, model_pack, play_scripted, start, walk

ROOT = Path(__file__).resolve().parents[2]
FAMILIES = {
    "drug_testing": ("dt-observed-collection", "dt-contested-result"),
    "victim_contact": ("vc-release-notification",),
}
IDS = tuple(sid for ids in FAMILIES.values() for sid in ids)


@pytest.fixture(scope="module")
def library() -> dict[str, ScenarioFile]:
    return library_of(IDS.__contains__)


@pytest.fixture(scope="module")
def pack() -> PolicyPack:
    return model_pack()


# ---------------------------------------------------------------- the families and the bar


def test_both_families_are_declared_in_the_pack_with_their_scenarios_in_their_folders(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    declared = set(pack.families)
    assert set(FAMILIES) <= declared
    for family, ids in FAMILIES.items():
        for sid in ids:
            sf = library[sid]
            assert sf.scenario.family == family
            assert sf.path.parent == ROOT / "scenarios" / family


@pytest.mark.parametrize("sid", IDS)
def test_lint_finds_no_problem_at_all(library: dict[str, ScenarioFile], sid: str) -> None:
    problems = lint_paths([library[sid].path], extra_checks=extra_lint_checks())
    assert [p.format() for p in problems] == []


@pytest.mark.parametrize("sid", IDS)
def test_scenario_meets_the_authoring_bar(
    library: dict[str, ScenarioFile], pack: PolicyPack, sid: str
) -> None:
    s = library[sid].scenario
    assert longest_decision_path(s) >= 12
    assert len(set(endings(s).values())) >= 4
    decisions = [n for n in s.nodes.values() if isinstance(n, Decision)]
    assert any(d.timeout is not None for d in decisions), "no timed decision"
    for d in decisions:
        for c in d.choices:
            assert any(f in pack.facts for f in c.facts), f"{c.id} carries no fact the pack scores"
    assert s.requires, "no requires: for the job"
    assert {f for r in s.requires for f in r.facts} <= set(pack.facts)


def test_every_new_clause_is_cited_by_a_choice_and_names_its_real_source(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    cited = {
        rule.policy
        for sf in library.values()
        for node in sf.scenario.nodes.values()
        if isinstance(node, Decision)
        for c in node.choices
        for f in c.facts
        for pr in pack.rules_by_fact.get(f, ())
        for rule in (pr.rule,)
    }
    new = {p for p in pack.policies if p.startswith(("MSDP-11.", "MSDP-12."))}
    assert len(new) == 10
    assert new <= cited, new - cited
    for pid in new:
        assert pack.policies[pid].source.strip()
    assert {"MSDP-6.01", "MSDP-6.02", "MSDP-6.03", "MSDP-7.08", "MSDP-1.02", "MSDP-1.04"} <= cited


@pytest.mark.parametrize("sid", IDS)
def test_seeds_meet_different_situations_and_reach_different_endings(
    library: dict[str, ScenarioFile], sid: str
) -> None:
    keys = [k for k, d in library[sid].scenario.persona.items() if d.kind == "choice"]
    situations: set[tuple[Any, ...]] = set()
    ends: set[str] = set()
    for seed in range(40):
        session = walk(library, sid, seed)
        situations.add(tuple(session.persona[k] for k in keys))
        ends.add(session.node_id)
    assert len(situations) >= 4, situations
    assert len(ends) >= 3, ends


def test_the_observer_a_seed_draws_changes_the_options_the_trainee_meets(
    library: dict[str, ScenarioFile],
) -> None:
    seen = {}
    for seed in (6, 0):
        session = start(library, "dt-observed-collection", seed)
        for choice in ("secure_site", "greet_by_name", "explain_and_confirm", "ask_meds"):
            session.choose(choice)
        seen[session.persona["staff"]] = {c.id for c in session.available_choices()}
    assert "liang_observes" in seen["liang_on_duty"] and "call_nand" not in seen["liang_on_duty"]
    assert "call_nand" in seen["liang_at_court"] and "liang_observes" not in seen["liang_at_court"]


# ---------------------------------------------------------------- scripted paths


@dataclass(frozen=True)
class Script:
    name: str
    sid: str
    seed: int
    persona: dict[str, Any]
    choices: tuple[str, ...]
    ending: str
    # wrong paths: (fact, verdict, policy) the scorer must give, and the words of a fail reason
    judged: tuple[str, str, str] | None = None
    reason: str = ""


def s(
    name: str,
    sid: str,
    seed: int,
    persona: dict[str, Any],
    choices: str,
    ending: str,
    judged: tuple[str, str, str] | None = None,
    reason: str = "",
) -> Script:
    return Script(name, sid, seed, persona, tuple(choices.split(",")), ending, judged, reason)


def play(library: Mapping[str, ScenarioFile], script: Script) -> Session:
    session = play_scripted(library, script.sid, script.seed, script.persona, script.choices)
    assert session.ended
    return session


OPEN = "secure_site,greet_by_name,explain_and_confirm,ask_meds"
REPORT = "note_objective,her_account,check_sections"
CLOSE = f"ccf_now,hand_to_courier,{REPORT},next_steps"
DT1 = "dt-observed-collection"
DT2 = "dt-contested-result"
INCIDENT = "as_screened,voicemail_in"
DAY1 = f"presumptive,ask_meds,to_mro,hold_it,gcms,explain_review,{INCIDENT},memo"
VC = "vc-release-notification"
CALL_END = "warm_referral,confidential,conditions_only,no_and_route,victim_file,check_with_mara"

BEST = [
    s(
        "woman officer on duty, a normal specimen",
        DT1,
        6,
        {"staff": "liang_on_duty", "specimen": "normal"},
        f"{OPEN},liang_observes,read_now,split_in_front,{CLOSE}",
        "end_collected",
    ),
    s(
        "no woman officer in the building: one is called across, then a shy bladder",
        DT1,
        5,
        {"staff": "liang_at_court", "specimen": "short", "shy_outcome": "gives"},
        f"{OPEN},call_nand,read_now,shy_procedure,explain_refusal_rule,split_in_front,{CLOSE}",
        "end_collected",
    ),
    s(
        "a cold specimen: a second collection under direct observation",
        DT1,
        16,
        {"staff": "liang_on_duty", "specimen": "cold"},
        f"{OPEN},liang_observes,read_now,second_collection,split_in_front,{CLOSE}",
        "end_collected",
    ),
    s(
        "three hours without enough: insufficient, medical evaluation",
        DT1,
        7,
        {"specimen": "short", "shy_outcome": "insufficient"},
        f"{OPEN},call_nand,read_now,shy_procedure,explain_refusal_rule,end_insufficient,{CLOSE}",
        "end_insufficient",
    ),
    s(
        "she leaves after being told plainly: a refusal by the procedure",
        DT1,
        13,
        {"specimen": "short", "shy_outcome": "leaves"},
        f"{OPEN},call_nand,read_now,shy_procedure,explain_refusal_rule,record_refusal_procedure,{CLOSE}",
        "end_refusal",
    ),
    s(
        "real use: confirmed, reviewed, and honest testimony about the form",
        DT2,
        4,
        {"truth": "use", "ccf_error": "id_mismatch"},
        f"{DAY1},wait_review,full_report,what_i_saw,admit_error,medical_question",
        "end_upheld",
    ),
    s(
        "a new prescription: the medical review clears it",
        DT2,
        2,
        {"truth": "prescription"},
        f"{DAY1},wait_review,close_it",
        "end_cleared",
    ),
    s(
        "a cross-reacting decongestant: the confirmation is negative",
        DT2,
        6,
        {"truth": "cold_medicine"},
        f"{DAY1},close_it",
        "end_cleared",
    ),
    s(
        "she asks where he will live",
        VC,
        0,
        {"concern": "address", "language": "english", "who_answers": "alana"},
        f"through_advocate,check_pin,full_notice,be_heard,limits_zone,{CALL_END}",
        "end_connected",
    ),
    s(
        "her fiance answers; she wants to be heard without facing him",
        VC,
        1,
        {"concern": "hearing_room", "who_answers": "partner"},
        f"through_advocate,only_alana,full_notice,be_heard,separate_room,{CALL_END}",
        "end_connected",
    ),
    s(
        "Spanish through the language line; she reports his cousin's car",
        VC,
        4,
        {"concern": "contact", "language": "spanish", "who_answers": "alana"},
        f"through_advocate,language_line,check_pin,full_notice,be_heard,take_report,{CALL_END}",
        "end_investigated",
    ),
]

WRONG = [
    s(
        "observer assigned by the ID marker: she refuses and complains",
        DT1,
        6,
        {"staff": "liang_on_duty"},
        f"{OPEN},dorsey_by_marker",
        "end_complaint",
        ("assigned_observer_by_id_marker", "violation", "MSDP-11.01"),
        "An appropriate observer",
    ),
    s(
        "called by the old name in the lobby, she walks out",
        DT1,
        0,
        {"staff": "liang_at_court"},
        "secure_site,call_list_name",
        "end_complaint",
        ("misgendered_person", "violation", "MSDP-11.01"),
        "An appropriate observer",
    ),
    s(
        "a cold reading called a refusal",
        DT1,
        16,
        {"specimen": "cold"},
        f"{OPEN},liang_observes,read_now,record_refusal_cold,{CLOSE}",
        "end_refusal",
        ("treated_suspect_specimen_as_refusal", "violation", "MSDP-11.02"),
        "The specimen split and sealed",
    ),
    s(
        "a short void combined with the next",
        DT1,
        1,
        {"specimen": "short", "shy_outcome": "gives"},
        f"{OPEN},liang_observes,read_now,combine,explain_refusal_rule,split_in_front,{CLOSE}",
        "end_challenged",
        ("combined_specimens", "violation", "MSDP-11.03"),
        "Drug and alcohol testing suggested",
    ),
    s(
        "the temperature left until the timer ran out",
        DT1,
        6,
        {"specimen": "normal"},
        f"{OPEN},liang_observes,timeout,split_in_front,{CLOSE}",
        "end_collected",
        ("read_temperature_late", "deviation", "MSDP-11.02"),
        "The temperature read within four minutes",
    ),
    s(
        "two days booked on the cup, and the result was a decongestant",
        DT2,
        6,
        {"truth": "cold_medicine"},
        f"presumptive,ask_meds,to_mro,book_it,gcms,explain_review,{INCIDENT},memo,close_it",
        "end_jailed_wrongly",
        ("sanctioned_on_unconfirmed_positive", "violation", "MSDP-6.03"),
        "Nothing booked on the presumptive result",
    ),
    s(
        "the sergeant's clock runs out: the default books it",
        DT2,
        2,
        {"truth": "prescription"},
        f"presumptive,ask_meds,to_mro,timeout,gcms,explain_review,{INCIDENT},memo,wait_review,"
        "close_it",
        "end_jailed_wrongly",
        ("sanctioned_on_unconfirmed_positive", "violation", "MSDP-6.03"),
        "Nothing booked on the presumptive result",
    ),
    s(
        "a second screen instead of GC/MS or LC/MS",
        DT2,
        4,
        {"truth": "use"},
        f"presumptive,ask_meds,to_mro,hold_it,rescreen,explain_review,{INCIDENT},memo",
        "end_unconfirmed",
        ("screened_again_instead_of_confirming", "deviation", "MSDP-11.06"),
        "confirmed by the laboratory",
    ),
    s(
        "the blank box written in later",
        DT2,
        0,
        {"truth": "use", "ccf_error": "time_blank"},
        f"presumptive,ask_meds,to_mro,hold_it,gcms,explain_review,{INCIDENT},write_in,wait_review,"
        "full_report,what_i_saw,admit_error,medical_question",
        "end_excluded",
        ("altered_ccf_after_fact", "critical", "MSDP-11.05"),
        "critical failure: MSDP-11.05",
    ),
    s(
        "the form error played down on the stand",
        DT2,
        4,
        {"truth": "use"},
        f"{DAY1},wait_review,full_report,what_i_saw,complete_enough,medical_question",
        "end_excluded",
        ("minimised_form_error_at_hearing", "violation", "MSDP-11.07"),
        "honest testimony",
    ),
    s(
        "the incident report opens with an opinion of her as evasive",
        DT1,
        6,
        {"specimen": "normal"},
        f"{OPEN},liang_observes,read_now,split_in_front,ccf_now,hand_to_courier,note_opinion,"
        "her_account,check_sections,next_steps",
        "end_collected",
        ("report_conclusory", "deviation", "MSDP-1.07"),
        "set out what was observed, step by step",
    ),
    s(
        'what she is "known" to drink before tests goes in without a source',
        DT1,
        6,
        {"specimen": "normal"},
        f"{OPEN},liang_observes,read_now,split_in_front,ccf_now,hand_to_courier,note_objective,"
        "front_desk,check_sections,next_steps",
        "end_collected",
        ("report_hearsay_without_source", "violation", "MSDP-13.02"),
        "gave her account and what favours her",
    ),
    s(
        "the incident report filed without checking its sections",
        DT1,
        6,
        {"specimen": "normal"},
        f"{OPEN},liang_observes,read_now,split_in_front,ccf_now,hand_to_courier,note_objective,"
        "her_account,file_now,next_steps",
        "end_collected",
        ("report_filed_unchecked", "deviation", "MSDP-13.06"),
        "checked against its required sections",
    ),
    s(
        "the instant cup written up as a positive test",
        DT2,
        2,
        {"truth": "prescription"},
        "presumptive,ask_meds,to_mro,hold_it,gcms,explain_review,as_positive,voicemail_in,memo,"
        "wait_review,close_it",
        "end_cleared",
        ("report_overstated_test", "violation", "MSDP-13.01"),
        "stated the reading as a presumptive screen",
    ),
    s(
        "the voicemail about a new doctor left out of the incident report",
        DT2,
        2,
        {"truth": "prescription"},
        "presumptive,ask_meds,to_mro,hold_it,gcms,explain_review,as_screened,voicemail_out,memo,"
        "wait_review,close_it",
        "end_cleared",
        ("report_omits_exculpatory", "violation", "MSDP-1.08"),
        "kept what favours Rowan",
    ),
    s(
        "his residence given to her",
        VC,
        0,
        {"concern": "address"},
        f"through_advocate,check_pin,where_he_lives,be_heard,limits_zone,{CALL_END}",
        "end_exposed",
        ("disclosed_parolee_whereabouts_to_victim", "violation", "MSDP-12.02"),
        "Professional conduct",
    ),
    s(
        "he is told she left Alder Street",
        VC,
        0,
        {"concern": "address"},
        "through_advocate,check_pin,full_notice,be_heard,limits_zone,warm_referral,confidential,"
        "conditions_only,moved_on,victim_file,check_with_mara",
        "end_exposed",
        ("disclosed_victim_location_to_parolee", "critical", "MSDP-12.02"),
        "critical failure: MSDP-12.02",
    ),
    s(
        "safety promised instead of a referral",
        VC,
        6,
        {"concern": "address"},
        "through_advocate,check_pin,full_notice,be_heard,limits_zone,nothing_to_fear,confidential,"
        "conditions_only,no_and_route,victim_file,check_with_mara",
        "end_notified",
        ("promised_victim_outcome", "violation", "MSDP-12.03"),
        "A warm referral",
    ),
    s(
        "her fifteen-year-old interprets",
        VC,
        4,
        {"language": "spanish"},
        f"through_advocate,daughter_translates,check_pin,full_notice,be_heard,take_report,{CALL_END}",
        "end_investigated",
        ("child_interpreted_for_victim", "violation", "MSDP-1.04"),
        "Professional conduct",
    ),
    s(
        "the notice given to her fiance",
        VC,
        1,
        {"who_answers": "partner"},
        f"through_advocate,tell_jerome,check_pin,full_notice,be_heard,separate_room,{CALL_END}",
        "end_connected",
        ("disclosed_before_verifying", "violation", "MSDP-12.01"),
        "Professional conduct",
    ),
    s(
        "he is told she reported the car",
        VC,
        16,
        {"concern": "contact"},
        f"through_advocate,check_pin,full_notice,be_heard,tell_curtis,{CALL_END}",
        "end_connected",
        ("disclosed_victim_report_to_offender", "critical", "MSDP-7.08"),
        "critical failure: MSDP-7.08",
    ),
]


@pytest.mark.parametrize("script", BEST, ids=lambda b: f"{b.sid}: {b.name}")
def test_best_path_passes_with_its_ending(
    library: dict[str, ScenarioFile], pack: PolicyPack, script: Script
) -> None:
    session = play(library, script)
    assert session.node_id == script.ending
    report = score_session(session, library[script.sid], pack).to_dict()
    assert report["passed"], report["fail_reasons"]
    assert report["overall"] >= 90
    assert report["undone"] == []
    assert {d["verdict"] for d in report["decisions"]} <= {"exemplary", "acceptable"}


@pytest.mark.parametrize("script", WRONG, ids=lambda w: f"{w.sid}: {w.name}")
def test_wrong_path_fails_for_the_named_reason_with_the_cited_clause(
    library: dict[str, ScenarioFile], pack: PolicyPack, script: Script
) -> None:
    session = play(library, script)
    assert session.node_id == script.ending
    report = score_session(session, library[script.sid], pack).to_dict()
    assert not report["passed"]
    assert script.judged is not None
    fact, verdict, policy = script.judged
    hits = [
        j
        for d in report["decisions"]
        for j in d["judgments"]
        if j["fact"] == fact and j["verdict"] == verdict and j["policy"]["id"] == policy
    ]
    assert hits, [(d["node"], d["verdict"], d["policy"]) for d in report["decisions"]]
    assert any(script.reason in r for r in report["fail_reasons"]), report["fail_reasons"]


def test_a_timed_out_decision_is_judged_as_its_default_and_no_better(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    script = WRONG[6]
    report = score_session(play(library, script), library[script.sid], pack).to_dict()
    sergeant = next(d for d in report["decisions"] if d["node"] == "sergeant")
    assert sergeant["timed_out"] and sergeant["choice"] == "book_it"
    assert "no_decision_in_time" in sergeant["facts"]
    assert sergeant["verdict"] == "violation"


def test_play_text_plays_the_victim_call_to_an_ending_from_the_command_line() -> None:
    r = cli("play", "--text", "vc-release-notification", "--seed", "4", stdin="1\n" * 60)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    assert "CASE FILE — Curtis Vane" in r.stdout
    assert "\n=== " in r.stdout


def test_a_cold_specimen_read_too_late_never_ends_as_a_collection_that_stands(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    """Endings follow the persona's truth: the substitute is in the cup whatever was read."""
    script = s(
        "cold, read late",
        DT1,
        16,
        {"specimen": "cold"},
        f"{OPEN},liang_observes,timeout,split_in_front,{CLOSE}",
        "end_challenged",
    )
    session = play(library, script)
    assert session.node_id == "end_challenged"
    assert any("no creatinine" in line.text for line in session.transcript)
    report = score_session(session, library[DT1], pack).to_dict()
    assert not report["passed"]
    assert "The temperature read within four minutes of the void" in report["undone"]
