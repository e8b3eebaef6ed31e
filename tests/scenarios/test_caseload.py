"""The caseload_triage family: the generated caseload, plans judged by what they cover, the
authoring bar, best and wrong paths, seeded variation, replay and the dashboard.

Each scripted path runs through the real engine and scorer with a fixed seed whose persona
is asserted first, so a path meets the situation it was written for. Wrong paths must fail
for the named reason, with the clause the pack cites.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.compile import compile_scenario, draw_persona
from engine.graph import endings, longest_decision_path
from engine.lint import lint_paths
from engine.loader import ScenarioFile
from engine.mechanics import caseload, caseload_board
from engine.model import Decision
from engine.session import Session, replay
from scoring.pack import PolicyPack
from scoring.scorer import score_session
from simulator.commands.content import extra_lint_checks
from simulator.textplay import play_text
from tests.scenarios.walks import library_of, model_pack, start, walk_to_end

ROOT = Path(__file__).resolve().parents[2]
MONDAY = "cl-monday-gps-police"
HOLIDAY = "cl-holiday-inherited"
IDS = (MONDAY, HOLIDAY)
BEST = {
    MONDAY: "dashboard,verify,review,coordinate,risk,verify,account,follow_up,record,misses,"
    "sourced,both,now",
    HOLIDAY: "dashboard,review,name_it,follow_up,brief,coordinate,risk,verify,record,misses,"
    "facts,sourced,now",
}


@pytest.fixture(scope="module")
def library() -> dict[str, ScenarioFile]:
    return library_of(IDS.__contains__)


@pytest.fixture(scope="module")
def pack() -> PolicyPack:
    return model_pack()


def play(library: Mapping[str, ScenarioFile], sid: str, seed: int, path: str) -> Session:
    session = start(library, sid, seed)
    for choice in path.split(","):
        session.choose(choice)
    assert session.ended
    return session


def plan_facts(session: Session) -> tuple[str, ...]:
    return next(d.facts for d in session.decisions if d.node == "plan")


# ---------------------------------------------------------------- the family and the bar


def test_the_family_is_declared_with_its_mechanic_and_its_scenarios_in_its_folder(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    assert "caseload" in pack.families["caseload_triage"].mechanics
    for sid in IDS:
        assert library[sid].scenario.family == "caseload_triage"
        assert library[sid].path.parent == ROOT / "scenarios" / "caseload_triage"


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
    for node in s.nodes.values():
        if isinstance(node, Decision):
            for c in node.choices:
                assert any(f in pack.facts for f in c.facts), f"{c.id} carries no scored fact"
    assert s.caseload is not None and s.requires
    assert s.caseload.size[0] >= 70 and s.caseload.size[1] <= 130
    assert {a.kind for a in s.caseload.alerts.values()} >= {"gps", "missed_test", "family_call"}


def test_every_new_clause_is_cited_and_names_its_real_source(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    facts = set(caseload.DERIVED_FACTS)
    for sf in library.values():
        for node in sf.scenario.nodes.values():
            if isinstance(node, Decision):
                facts.update(f for c in node.choices for f in c.facts)
    cited = {pr.rule.policy for f in facts for pr in pack.rules_by_fact.get(f, ())}
    new = {p for p in pack.policies if p.startswith("MSDP-15.")}
    assert len(new) == 6 and new <= cited
    assert "APPA" in pack.policies["MSDP-15.01"].source
    assert "Bonta & Andrews" in pack.policies["MSDP-15.02"].source
    assert "NIC" in pack.policies["MSDP-15.05"].source
    assert {"MSDP-13.02", "MSDP-1.07", "MSDP-1.08"} <= cited  # the summary's report clauses


# ---------------------------------------------------------------- the generated caseload


def test_the_caseload_is_drawn_on_its_own_stream_and_is_the_same_for_the_same_seed(
    library: dict[str, ScenarioFile],
) -> None:
    s = library[MONDAY].scenario
    assert s.caseload is not None
    one, again, other = (caseload.generate(s.caseload, k) for k in (11, 11, 12))
    assert one.names == again.names and np.array_equal(one.level, again.level)
    assert one.names != other.names
    assert 86 <= len(one) <= 94 and len(set(one.names)) == len(one)
    # the persona a seed gives is what it would be without a caseload
    session = start(library, MONDAY, 11)
    assert session.persona == draw_persona(s, np.random.default_rng(11))


def test_the_risk_plan_meets_every_high_risk_standard_whatever_the_seed(
    library: dict[str, ScenarioFile],
) -> None:
    for sid in IDS:
        spec = library[sid].scenario.caseload
        assert spec is not None
        for seed in range(150):
            people = caseload.generate(spec, seed)
            rows = [r for _, r in people.alerts]
            cov = caseload.cover(people, spec.plans["by_risk"], spec.hours, rows, False)
            assert (cov.high_missed, cov.low_over, cov.alerts_open) == (0, 0, 0), (sid, seed)
            assert cov.hours <= spec.hours


def test_working_in_file_order_misses_high_risk_contacts_on_most_caseloads(
    library: dict[str, ScenarioFile],
) -> None:
    spec = library[MONDAY].scenario.caseload
    assert spec is not None
    misses = 0
    for seed in range(100):
        people = caseload.generate(spec, seed)
        rows = [r for _, r in people.alerts]
        misses += (
            caseload.cover(people, spec.plans["in_file_order"], spec.hours, rows, False).high_missed
            > 0
        )
    assert misses >= 60


# ---------------------------------------------------------------- paths


@pytest.mark.parametrize("sid", IDS)
@pytest.mark.parametrize("seed", [0, 3, 8])
def test_the_best_path_passes_with_every_high_risk_contact_made(
    library: dict[str, ScenarioFile], pack: PolicyPack, sid: str, seed: int
) -> None:
    session = play(library, sid, seed, BEST[sid])
    report = score_session(session, library[sid], pack)
    assert report.passed, report.fail_reasons
    assert report.overall >= 95
    assert "caseload_high_risk_contacts_met" in plan_facts(session)
    assert "caseload_low_risk_contact_matched" in plan_facts(session)
    assert session.node_id == ("end_standard" if sid == MONDAY else "end_review")
    assert session.vars["cl_alerts_open"] == 0 and session.vars["cl_high_missed"] == 0


def verdict_of(
    library: Mapping[str, ScenarioFile], pack: PolicyPack, session: Session, fact: str
) -> tuple[str, str]:
    """The verdict and cited clause of ``fact`` in a run that must fail."""
    report = score_session(session, library[session.compiled.scenario.id], pack)
    assert not report.passed
    for d in report.decisions:
        for j in d.judgments:
            if j.fact == fact:
                return j.verdict, j.policy.id
    raise AssertionError(f"{fact} was not judged")


def test_a_file_order_week_misses_high_risk_contacts_and_fails_on_the_standard(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    path = BEST[MONDAY].replace("coordinate,risk", "coordinate,file")
    session = play(library, MONDAY, 0, path)
    assert "caseload_high_risk_contact_missed" in plan_facts(session)
    assert session.vars["cl_high_missed"] >= 1 and session.node_id == "end_gaps"
    assert verdict_of(library, pack, session, "caseload_high_risk_contact_missed") == (
        "violation",
        "MSDP-15.01",
    )
    shown = [t.text for t in session.transcript if "not made to standard" in t.text]
    assert shown, "the week's outcome names the high-risk contacts missed"


def test_keeping_inherited_levels_and_planning_by_them_over_supervises_low_risk_people(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    # one misconception, followed through: the file's levels are right, so Marguerite keeps
    # her home visits and the week is planned by the levels on file
    path = (
        BEST[HOLIDAY]
        .replace("dashboard,review,name_it", "dashboard,keep,rules")
        .replace("coordinate,risk", "coordinate,level")
    )
    session = play(library, HOLIDAY, 0, path)
    assert "caseload_low_risk_over_supervised" in plan_facts(session)
    assert session.vars["cl_low_over"] >= caseload.OVER_SUPERVISED_AT
    assert verdict_of(library, pack, session, "caseload_low_risk_over_supervised") == (
        "violation",
        "MSDP-15.03",
    )


def test_a_gps_alert_left_for_later_is_a_cut_strap_on_this_seed(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    assert start(library, MONDAY, 4).persona["gps_cause"] == "strap"
    session = play(
        library, MONDAY, 4, BEST[MONDAY].replace("dashboard,verify,", "dashboard,thursday,")
    )
    assert session.node_id == "end_abscond"
    assert verdict_of(library, pack, session, "gps_alert_left_for_next_contact") == (
        "violation",
        "MSDP-15.04",
    )


def test_no_holiday_cover_ends_with_an_alert_nobody_answered(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    session = play(library, HOLIDAY, 0, BEST[HOLIDAY].replace(",brief,", ",none,"))
    assert session.node_id == "end_uncovered"
    assert verdict_of(library, pack, session, "holiday_cover_none") == ("violation", "MSDP-15.01")


def test_telling_the_family_caller_case_details_is_judged_a_confidentiality_violation(
    library: dict[str, ScenarioFile], pack: PolicyPack
) -> None:
    best = score_session(play(library, MONDAY, 0, BEST[MONDAY]), library[MONDAY], pack)
    told = play(library, MONDAY, 0, BEST[MONDAY].replace(",record,", ",explain,"))
    report = score_session(told, library[MONDAY], pack)
    family = next(d for d in report.decisions if d.node == "family")
    assert (family.verdict, family.policy and family.policy.id) == ("violation", "MSDP-1.02")
    assert report.overall < best.overall - 5


# ---------------------------------------------------------------- variation and replay


@pytest.mark.parametrize("sid", IDS)
def test_seeds_meet_different_people_situations_and_endings(
    library: dict[str, ScenarioFile], sid: str
) -> None:
    keys = list(library[sid].scenario.persona)
    situations: set[tuple[Any, ...]] = set()
    alerted: set[str] = set()
    ends: set[str] = set()
    for seed in range(30):
        session = walk_to_end(start(library, sid, seed), seed)
        situations.add(tuple(session.persona[k] for k in keys))
        alerted.update(t.text for t in session.transcript if t.text.startswith("Alert — GPS"))
        ends.add(session.node_id)
    assert len(situations) >= 6
    assert len(alerted) >= 20, "the GPS alert names a different person from seed to seed"
    assert len(ends) >= 3, ends


@pytest.mark.parametrize("sid", IDS)
def test_a_run_replays_exactly_from_its_log_facts_and_outcomes_included(
    library: dict[str, ScenarioFile], sid: str
) -> None:
    session = walk_to_end(start(library, sid, 21), 21)
    again = replay(compile_scenario(library[sid]), session.to_log())
    assert again.decisions == session.decisions
    assert again.transcript == session.transcript
    assert again.vars == session.vars


# ---------------------------------------------------------------- the dashboard


def test_the_dashboard_shows_alerts_as_they_arrive_and_sorts_and_filters_them(
    library: dict[str, ScenarioFile],
) -> None:
    s = library[MONDAY].scenario
    session = start(library, MONDAY, 0)
    rows = caseload_board.rows(s, 0, session.vars)
    assert len(rows) == len(caseload.generate(s.caseload, 0))  # type: ignore[arg-type]
    open_now = caseload_board.arrange(rows, "priority", "alerts")
    assert [r.alert for r in open_now] == ["gps (OPEN)"]  # the police notice has not come yet
    assert caseload_board.arrange(rows, "priority")[0] == open_now[0]
    high = caseload_board.arrange(rows, "risk", "high")
    assert high and all(r.level in ("high", "intensive") for r in high)
    by_gap = caseload_board.arrange(rows, "last_contact")
    assert by_gap[0].last_contact == max(r.last_contact for r in rows)
    session.choose("dashboard")
    session.choose("verify")
    rows = caseload_board.rows(s, 0, session.vars)
    assert caseload_board.arrange(rows, "priority", "alerts") == []
    table = caseload_board.table(caseload_board.arrange(rows, "priority", "due"), limit=5)
    assert table.splitlines()[0].split()[:3] == ["Name", "Risk", "Level"]
    assert "more (sort or filter to see them)" in table
    with pytest.raises(ValueError, match="unknown filter 'vip'"):
        caseload_board.arrange(rows, "priority", "vip")


def test_play_text_shows_the_dashboard_and_sorts_and_filters_it_on_request(
    library: dict[str, ScenarioFile],
) -> None:
    out = io.StringIO()
    code = play_text(
        library[MONDAY],
        seed=3,
        out=out,
        inp=io.StringIO("d risk high\nd court\nd vip\nc\nq\n"),
    )
    text = out.getvalue()
    assert code == 0
    # at the start, twice on request, and as the last part of the case file ('c')
    assert text.count("CASELOAD DASHBOARD") == 4
    assert "sorted by assessed risk, highest first; showing high and intensive" in text
    assert "showing a court date this period" in text
    assert "Unknown dashboard word 'vip'" in text
    section = text.split("showing high and intensive")[1].split("* a supervision")[0]
    table = section.split("\n")
    start = next(i for i, ln in enumerate(table) if ln.startswith("----"))
    rows = [re.split(r"\s{2,}", ln) for ln in table[start + 1 :] if ln and ln[0] != "…"]
    assert len(rows) >= 5
    assert {cells[2].rstrip("*") for cells in rows} <= {"high", "intensive"}


def test_lint_names_each_broken_caseload_reference_with_its_line(
    library: dict[str, ScenarioFile], tmp_path: Path
) -> None:
    text = library[MONDAY].path.read_text(encoding="utf-8")
    broken = (
        text.replace("caseload: {plan: longest_gap}", "caseload: {plan: longest_gaps}")
        .replace("arrives: midweek", "arrives: midwek")
        .replace(
            "facts: [caseload_read_dashboard_first]",
            "facts: [caseload_read_dashboard_first, caseload_alerts_first]",
        )
    )
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    found = [p.format() for p in lint_paths([path])]
    line_of = {ln.strip(): i for i, ln in enumerate(broken.splitlines(), 1)}
    assert any(
        f"broken.yaml:{line_of['arrives: midwek']}:" in f and "which is not a node" in f
        for f in found
    )
    assert any("plan 'longest_gaps' is not one of caseload.plans" in f for f in found)
    assert any("'caseload_alerts_first' is derived by the caseload mechanic" in f for f in found)
