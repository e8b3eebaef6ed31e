"""The revocation-hearing and report-writing families (issue 17 items 3 and 6).

Each path runs in-process through the real YAML, the real engine and the real scorer with
a fixed seed whose persona is asserted first, so a path always meets the situation it was
written for: the lab confirmed or rejected the specimen, the preliminary hearing was late or
not, the hearing officer is the supervisor who approved the detainer, the treatment release
covers clinical notes or only attendance.
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
from scoring.pack import PolicyPack
from scoring.scorer import score_session
from simulator.commands.content import extra_lint_checks
from tests.clirun import cli
from tests.scenarios.walks import library_of, model_pack, play_scripted, start, walk

ROOT = Path(__file__).resolve().parents[2]
FAMILIES = {
    "rh-final-hearing-test": "revocation_hearing",
    "rh-preliminary-hearing": "revocation_hearing",
    "rw-violation-report": "report_writing",
}


@pytest.fixture(scope="module")
def library() -> dict[str, ScenarioFile]:
    return library_of(FAMILIES.__contains__)


@pytest.fixture(scope="module")
def pack() -> PolicyPack:
    return model_pack()


def compiled(library: Mapping[str, ScenarioFile], sid: str) -> CompiledScenario:
    return compile_scenario(library[sid])


# ---------------------------------------------------------------- the families and the bar


def test_both_families_are_declared_in_the_pack_with_their_clauses(pack: PolicyPack) -> None:
    families = pack.families
    hearing, writing = families["revocation_hearing"], families["report_writing"]
    assert {"MSDP-13.01", "MSDP-13.02", "MSDP-13.03", "MSDP-13.04", "MSDP-13.05"} <= set(
        hearing.policies
    )
    assert "MSDP-13.06" in writing.policies
    assert hearing.mechanics == [] and writing.mechanics == []
    for pid in ("MSDP-13.01", "MSDP-13.02", "MSDP-13.05"):
        assert "Morrissey" in pack.policies[pid].source
    assert "Gagnon" in pack.policies["MSDP-13.05"].source


def test_each_scenario_sits_in_its_family_folder(library: dict[str, ScenarioFile]) -> None:
    assert sorted(library) == sorted(FAMILIES)
    for sid, family in FAMILIES.items():
        sf = library[sid]
        assert sf.scenario.family == family
        assert sf.path.parent == ROOT / "scenarios" / family


@pytest.mark.parametrize("sid", sorted(FAMILIES))
def test_lint_finds_no_problem_at_all(library: dict[str, ScenarioFile], sid: str) -> None:
    problems = lint_paths([library[sid].path], extra_checks=extra_lint_checks())
    assert [p.format() for p in problems] == []


@pytest.mark.parametrize("sid", sorted(FAMILIES))
def test_scenario_meets_the_authoring_bar(library: dict[str, ScenarioFile], sid: str) -> None:
    s = library[sid].scenario
    assert longest_decision_path(s) >= 12
    assert len(set(endings(s).values())) >= 4
    decisions = [n for n in s.nodes.values() if isinstance(n, Decision)]
    assert any(d.timeout is not None for d in decisions), "no timed decision"
    assert all(c.facts for d in decisions for c in d.choices), "a choice carries no fact"
    assert len(s.requires) >= 3


@pytest.mark.parametrize("sid", sorted(FAMILIES))
def test_fifty_random_walks_end_and_meet_at_least_six_situations(
    library: dict[str, ScenarioFile], sid: str
) -> None:
    situations: set[tuple[Any, ...]] = set()
    persona = library[sid].scenario.persona
    keys = [k for k, d in persona.items() if d.kind in ("choice", "flag")]
    for seed in range(50):
        session = walk(library, sid, seed)
        assert session.ended and session.node_id.startswith("end_")
        situations.add(tuple(session.persona[k] for k in keys))
    assert len(situations) >= 6, situations


# ---------------------------------------------------------------- scripted paths


@dataclass(frozen=True)
class Run:
    """A scripted run: the persona it needs, the choices, and what must come of it."""

    name: str
    sid: str
    seed: int
    persona: dict[str, Any]
    choices: tuple[str, ...]
    ending: str
    # (node, verdict, policy) the scorer must give; for a wrong path, the named reason
    cited: tuple[str, str, str] | None = None
    undone: str = ""
    critical: str = ""


def play(library: Mapping[str, ScenarioFile], run: Run) -> Session:
    session = play_scripted(library, run.sid, run.seed, run.persona, run.choices)
    assert session.ended
    return session


def score(library: Mapping[str, ScenarioFile], pack: PolicyPack, run: Run) -> dict[str, Any]:
    session = play(library, run)
    assert session.node_id == run.ending
    report: dict[str, Any] = score_session(session, library[run.sid], pack).to_dict()
    return report


def replace(choices: str, **swaps: str) -> tuple[str, ...]:
    """``choices`` with some choice ids swapped for others (old=new)."""
    return tuple(swaps.get(c, c) for c in choices.split(","))


FINAL = (
    "whole_record,see_counsel,hand_copies,observed,read_form,{lab},name_source,"
    "facts_for_ruling,{mitigation},dont_know,dates_exact,calm_answer,no_objection,reasons,"
    "dated_addendum,as_recorded,source_and_mitigation"
)
FINAL_CONFIRMED_CANCELLED = FINAL.format(lab="confirmed_exact", mitigation="cancelled")
FINAL_REJECTED_CANCELLED = FINAL.format(lab="rejected_exact", mitigation="cancelled")
PRELIM = (
    "full_packet,{conflict}language_line,notice_exact,record_request,what_gps_shows,dont_know,"
    "source_named,what_you_know,own_it,no_objection,release_conditions,explain_interpreter,addendum"
)
REPORT = (
    "all_sources,quote_conditions,chronological,{test},with_source,quote_her,attendance,"
    "include_reason,keep_out,list_prior,labelled,matrix_reason,check_then_send"
)
SEED3 = {"lab": "confirmed", "mitigation": "provider_cancelled", "prelim_late": False}
SEED0 = {"lab": "rejected", "mitigation": "provider_cancelled", "prelim_late": True}

BEST = [
    Run(
        "a confirmed test and cancelled groups end in a graduated response",
        "rh-final-hearing-test",
        3,
        SEED3,
        tuple(FINAL_CONFIRMED_CANCELLED.split(",")),
        "end_sanction",
    ),
    Run(
        "a rejected specimen, said plainly, ends with the test not proved",
        "rh-final-hearing-test",
        0,
        SEED0,
        tuple(FINAL_REJECTED_CANCELLED.split(",")),
        "end_dismissed",
    ),
    Run(
        "the call asking for help ends in a treatment referral",
        "rh-final-hearing-test",
        8,
        {"lab": "confirmed", "mitigation": "asked_for_help"},
        tuple(FINAL.format(lab="confirmed_exact", mitigation="asked_help").split(",")),
        "end_referral",
    ),
    Run(
        "a neutral duty officer and a citation end with release",
        "rh-preliminary-hearing",
        0,
        {"ho_conflict": False, "arrest": "cited", "notice_late": True},
        tuple(PRELIM.format(conflict="").split(",")),
        "end_released",
    ),
    Run(
        "the supervisor's conflict raised, a booked charge: released with conditions",
        "rh-preliminary-hearing",
        2,
        {"ho_conflict": True, "arrest": "booked"},
        tuple(PRELIM.format(conflict="raise_conflict,").split(",")),
        "end_conditions",
    ),
    Run(
        "a confirmed test makes a report that holds up and a graduated response",
        "rw-violation-report",
        2,
        {"lab": "confirmed", "consent": "attendance_only"},
        tuple(REPORT.format(test="exact_confirmed").split(",")),
        "end_sanction",
    ),
    Run(
        "a pending test, said to be pending, sends her to treatment first",
        "rw-violation-report",
        1,
        {"lab": "pending", "consent": "full_release"},
        tuple(REPORT.format(test="exact_pending").split(",")),
        "end_referral",
    ),
]

WRONG = [
    Run(
        "overstating the cup, the custody form and the lab impeaches the witness",
        "rh-final-hearing-test",
        0,
        SEED0,
        replace(
            FINAL_REJECTED_CANCELLED,
            observed="positive_meth",
            read_form="secure_throughout",
            rejected_exact="cups_accurate",
        ),
        "end_impeached",
        cited=("custody", "violation", "MSDP-13.01"),
    ),
    Run(
        "glossing over a late preliminary hearing hides a due-process error",
        "rh-final-hearing-test",
        0,
        SEED0,
        replace(FINAL_REJECTED_CANCELLED, dates_exact="promptly"),
        "end_dismissed",
        cited=("prelim_q", "violation", "MSDP-13.03"),
        undone="The preliminary-hearing record was stated accurately",
    ),
    Run(
        "hearsay passed off as your own knowledge leaves its source unnamed",
        "rh-final-hearing-test",
        3,
        SEED3,
        replace(FINAL_CONFIRMED_CANCELLED, name_source="was_seen"),
        "end_sanction",
        cited=("association", "violation", "MSDP-13.02"),
        undone="The source of the association allegation was named",
    ),
    Run(
        "explaining away the left-out mitigation",
        "rh-final-hearing-test",
        3,
        SEED3,
        replace(FINAL_CONFIRMED_CANCELLED, cancelled="not_relevant"),
        "end_sanction",
        cited=("mitigation_q", "violation", "MSDP-13.03"),
        undone="The favourable fact your report left out was put on the record",
    ),
    Run(
        "pressing for revocation past the evidence ends in a revocation",
        "rh-final-hearing-test",
        3,
        SEED3,
        replace(FINAL_CONFIRMED_CANCELLED, reasons="revoke"),
        "end_revoked",
        cited=("recommend", "violation", "MSDP-13.04"),
        undone="The hearing officer was given a recommendation with its reasons",
    ),
    Run(
        "an addendum that keeps the tip's source out and the favourable fact in the transcript",
        "rh-final-hearing-test",
        3,
        SEED3,
        replace(FINAL_CONFIRMED_CANCELLED, source_and_mitigation="soften_only"),
        "end_sanction",
        cited=("correct_sources", "violation", "MSDP-13.02"),
        undone="Exhibit A corrected in writing, with the left-out favourable fact and its source",
    ),
    Run(
        "an addendum that restates the instant cup as a confirmed positive",
        "rh-final-hearing-test",
        3,
        SEED3,
        replace(FINAL_CONFIRMED_CANCELLED, as_recorded="stands"),
        "end_sanction",
        cited=("correct_test", "violation", "MSDP-13.01"),
        undone="The correction stated the 10/28 test as the record shows it, no stronger",
    ),
    Run(
        "leaving the exhibit uncorrected because the transcript has the corrections",
        "rh-final-hearing-test",
        3,
        SEED3,
        replace(FINAL_CONFIRMED_CANCELLED, dated_addendum="leave_it")[:-2],
        "end_sanction",
        cited=("addendum", "deviation", "MSDP-1.08"),
        undone="Exhibit A corrected in writing, with the left-out favourable fact and its source",
    ),
    Run(
        "correcting the filed exhibit in place falsifies the record",
        "rh-final-hearing-test",
        3,
        SEED3,
        replace(FINAL_CONFIRMED_CANCELLED, dated_addendum="fix_original"),
        "end_sanction",
        critical="altered_filed_report",
    ),
    Run(
        "testifying before the supervisor who approved the detainer",
        "rh-preliminary-hearing",
        2,
        {"ho_conflict": True},
        tuple(PRELIM.format(conflict="proceed,").split(",")),
        "end_set_aside",
        critical="proceeded_before_conflicted_officer",
    ),
    Run(
        "going ahead in English with a man the file says needs an interpreter",
        "rh-preliminary-hearing",
        0,
        {"ho_conflict": False},
        replace(PRELIM.format(conflict=""), language_line="english"),
        "end_set_aside",
        cited=("interpreter", "deviation", "MSDP-1.04"),
        undone="The hearing ran with a qualified interpreter",
    ),
    Run(
        "telling him there are no lawyers at parole hearings",
        "rh-preliminary-hearing",
        0,
        {"ho_conflict": False},
        replace(PRELIM.format(conflict=""), record_request="no_lawyers", own_it="not_on_line"),
        "end_released",
        cited=("counsel", "violation", "MSDP-7.07"),
    ),
    Run(
        "letting the custody timer run out leaves the hearing without the division's reasons",
        "rh-preliminary-hearing",
        0,
        {"ho_conflict": False},
        replace(PRELIM.format(conflict=""), release_conditions="timeout"),
        "end_held",
        cited=("custody_rec", "deviation", "MSDP-13.04"),
        undone="The division's position on custody was given with its reasons",
    ),
    Run(
        "a pending screen written up as a positive test",
        "rw-violation-report",
        1,
        {"lab": "pending"},
        replace(REPORT.format(test="exact_pending"), exact_pending="tested_positive"),
        "end_referral",
        cited=("test_sentence", "violation", "MSDP-13.01"),
        undone="The November 5 test is described as what it is (screen, confirmation or pending)",
    ),
    Run(
        "the Mercer sighting stated as fact without its source",
        "rw-violation-report",
        2,
        {"tip": "anonymous_line"},
        replace(REPORT.format(test="exact_confirmed"), with_source="protect_source"),
        "end_sanction",
        cited=("mercer", "violation", "MSDP-13.02"),
        undone="Second-hand information in the report names its source",
    ),
    Run(
        "the reason for the missed report left out",
        "rw-violation-report",
        2,
        {"mitigation": "new_job"},
        replace(REPORT.format(test="exact_confirmed"), include_reason="missed_is_missed"),
        "end_sanction",
        cited=("mitigation", "violation", "MSDP-1.08"),
        undone="The report includes the mitigating facts",
    ),
    Run(
        "the counsellor's group note quoted beyond an attendance-only release",
        "rw-violation-report",
        2,
        {"consent": "attendance_only"},
        replace(REPORT.format(test="exact_confirmed"), attendance="quote_group_limited"),
        "end_sanction",
        cited=("treatment", "violation", "MSDP-1.02"),
        undone="Treatment attendance is reported, within the signed release",
    ),
    Run(
        "a revocation recommendation the facts do not support",
        "rw-violation-report",
        2,
        {"lab": "confirmed"},
        replace(REPORT.format(test="exact_confirmed"), matrix_reason="revoke"),
        "end_revocation",
        cited=("recommendation", "deviation", "MSDP-7.09"),
        undone="The recommendation states its reasons",
    ),
    Run(
        "opinion as fact, no account of hers and no recommendation: sent back",
        "rw-violation-report",
        2,
        {"lab": "confirmed"},
        replace(
            REPORT.format(test="exact_confirmed"),
            chronological="assessment_first",
            quote_her="omit_denial",
            matrix_reason="blank",
        ),
        "end_returned",
        cited=("recommendation", "violation", "MSDP-13.06"),
        undone="The report gives her own account",
    ),
    Run(
        "the packet sent unchecked when the timer runs out",
        "rw-violation-report",
        2,
        {"lab": "confirmed"},
        replace(REPORT.format(test="exact_confirmed"), check_then_send="timeout"),
        "end_sanction",
        cited=("file", "deviation", "MSDP-13.06"),
        undone="The report was checked against the required sections before filing",
    ),
]


@pytest.mark.parametrize("sid", sorted(FAMILIES))
def test_the_scripted_paths_reach_four_kinds_of_ending(
    library: dict[str, ScenarioFile], sid: str
) -> None:
    kinds = endings(library[sid].scenario)
    reached = {kinds[r.ending] for r in BEST + WRONG if r.sid == sid}
    assert len(reached) >= 4, reached


def decision(report: dict[str, Any], node: str) -> dict[str, Any]:
    found: dict[str, Any] = next(d for d in report["decisions"] if d["node"] == node)
    return found


@pytest.mark.parametrize("run", BEST, ids=lambda r: f"{r.sid}: {r.name}")
def test_best_path_passes_with_every_requirement_met(
    library: dict[str, ScenarioFile], pack: PolicyPack, run: Run
) -> None:
    report = score(library, pack, run)
    assert report["passed"], report["fail_reasons"]
    assert report["overall"] >= 90, report["overall"]
    assert report["critical_failures"] == []
    assert report["undone"] == []
    assert {d["verdict"] for d in report["decisions"]} <= {"exemplary", "acceptable"}


@pytest.mark.parametrize("run", WRONG, ids=lambda r: f"{r.sid}: {r.name}")
def test_wrong_path_fails_for_the_reason_it_was_written_for(
    library: dict[str, ScenarioFile], pack: PolicyPack, run: Run
) -> None:
    report = score(library, pack, run)
    assert not report["passed"]
    if run.cited:
        node, verdict, policy = run.cited
        d = decision(report, node)
        assert (d["verdict"], d["policy"]["id"]) == (verdict, policy)
    if run.undone:
        assert run.undone in report["undone"], report["undone"]
    if run.critical:
        assert run.critical in {c["fact"] for c in report["critical_failures"]}


def test_the_same_testimony_meets_a_different_record_on_another_seed(
    library: dict[str, ScenarioFile],
) -> None:
    """What the whole record shows, and what the honest answer is, depends on the seed."""
    confirmed = start(library, "rh-final-hearing-test", 3)
    rejected = start(library, "rh-final-hearing-test", 0)
    for session in (confirmed, rejected):
        session.choose("whole_record")
    assert any("methamphetamine confirmed" in line.text for line in confirmed.transcript)
    assert not any("REJECTED" in line.text for line in confirmed.transcript)
    assert any("REJECTED" in line.text for line in rejected.transcript)
    for session in (confirmed, rejected):
        for choice in ("see_counsel", "hand_copies", "observed", "read_form"):
            session.choose(choice)
    shown = {s.persona["lab"]: {c.id for c in s.available_choices()} for s in (confirmed, rejected)}
    assert "confirmed_exact" in shown["confirmed"] and "rejected_exact" not in shown["confirmed"]
    assert "rejected_exact" in shown["rejected"] and "confirmed_exact" not in shown["rejected"]


def test_the_conflict_question_comes_up_only_when_the_supervisor_is_assigned(
    library: dict[str, ScenarioFile],
) -> None:
    met = {}
    for seed in (0, 2):
        session = start(library, "rh-preliminary-hearing", seed)
        session.choose("full_packet")
        met[session.persona["ho_conflict"]] = session.node_id
    assert met == {True: "conflict", False: "interpreter"}


def test_the_release_on_file_decides_how_quoting_the_counsellor_is_judged(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    """The same sentence is within consent on one seed and a Part 2 breach on another."""
    judged = {}
    for seed in (1, 2):
        session = start(library, "rw-violation-report", seed)
        for choice in REPORT.format(test="x").split(",")[:6]:
            if choice == "x":
                choice = next(c.id for c in session.available_choices() if c.id.startswith("exact"))
            session.choose(choice)
        shown = [c.id for c in session.available_choices() if c.id.startswith("quote_group")]
        assert len(shown) == 1
        session.choose(shown[0])
        report = score_session(session, library["rw-violation-report"], pack).to_dict()
        treatment = decision(report, "treatment")
        judged[session.persona["consent"]] = (treatment["verdict"], treatment["policy"]["id"])
    assert judged == {
        "full_release": ("acceptable", "MSDP-1.02"),
        "attendance_only": ("violation", "MSDP-1.02"),
    }


def test_cli_run_of_a_best_path_ends_where_the_test_does() -> None:
    best = BEST[0]
    result = cli(
        "run", best.sid, "--seed", str(best.seed), "--choices", ",".join(best.choices), "--json"
    )
    assert result.returncode == 0, result.stderr
    log = json.loads(result.stdout)
    assert log["ending"]["id"] == best.ending
