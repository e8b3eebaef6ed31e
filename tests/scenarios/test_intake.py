"""The intake family: the MS-RNA interview, ratings against a seeded key and the case plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.compile import build, compile_scenario
from engine.library import find
from engine.session import Session, replay
from scoring.analyze import best_path
from scoring.lintcheck import pack_for_scenario
from scoring.pack import load_pack
from scoring.scorer import score_session
from simulator.reports.html import render_html
from simulator.reports.text import render_text
from tests.scenarios.walks import walk_to_end

IDS = ("in-long-sentence-literacy", "in-low-risk-young-mother", "in-interpreter-co-occurring")


def start(sid: str, seed: int) -> Session:
    return Session.start(compile_scenario(find(sid)), seed, clock=lambda: 0.0, wall_clock=False)


def facts(session: Session) -> set[str]:
    return {f for d in session.decisions for f in d.facts}


@pytest.mark.parametrize("sid", IDS)
def test_best_path_rates_every_item_to_the_key_and_passes(sid: str) -> None:
    sf = find(sid)
    pack = pack_for_scenario(sf)
    session = best_path(compile_scenario(sf), pack, 7)
    report = score_session(session, sf, pack)
    assert report.passed, report.fail_reasons
    panel = report.instrument
    assert panel is not None and all(r.matches for r in panel.rows)
    assert panel.level_set == panel.key_level
    assert "risk_level_matches_key" in facts(session)


def test_the_key_and_the_level_vary_by_seed() -> None:
    levels = {start("in-interpreter-co-occurring", seed).vars["key_level"] for seed in range(40)}
    assert levels == {"moderate", "high"}
    walter = {start("in-long-sentence-literacy", s).vars["key_ee_employment"] for s in range(20)}
    assert walter == {1, 2}


def test_a_closed_question_gets_a_guarded_answer_that_understates_the_need() -> None:
    for seed in range(30):
        s = start("in-interpreter-co-occurring", seed)
        if s.vars["key_su_problems"] == 2:
            break
    s.choose("interpreter")
    s.choose("open_work")
    s.choose("reflect_people")
    s.choose("closed_drink")
    said = " ".join(t.text for t in s.transcript)
    assert "Weekends." in said and "Every day, at the end." not in said
    assert s.vars["told_substance_use"] == 1


def best_but(sid: str, seed: int, best: str, instead: str) -> tuple[Session, Session]:
    """The best path of ``sid`` and the same path with one choice swapped."""
    sf = find(sid)
    good = best_path(compile_scenario(sf), pack_for_scenario(sf), seed)
    path = [d.choice for d in good.decisions]
    path[path.index(best)] = instead
    s = start(sid, seed)
    for cid in path:
        s.choose(cid)
    return good, s


def test_over_supervising_the_low_risk_mother_is_a_scored_error_with_its_clause() -> None:
    sf = find("in-low-risk-young-mother")
    pack = pack_for_scenario(sf)
    good, s = best_but("in-low-risk-young-mother", 3, "dose_low", "dose_high")
    report = score_session(s, sf, pack)
    dosage = next(d for d in report.decisions if d.node == "dosage")
    assert (
        dosage.verdict == "violation"
        and dosage.policy is not None
        and dosage.policy.id == "MSDP-14.05"
    )
    assert report.overall < score_session(good, sf, pack).overall


def test_a_wrong_level_is_cited_and_the_plan_comes_back() -> None:
    sf = find("in-long-sentence-literacy")
    pack = pack_for_scenario(sf)
    _, s = best_but("in-long-sentence-literacy", 5, "level_moderate", "level_high")
    assert {"risk_level_above_key", "risk_level_departs_from_item_total"} <= facts(s)
    assert s.node_id == "end_returned"
    report = score_session(s, sf, pack)
    level = next(d for d in report.decisions if d.node == "set_level")
    assert level.policy is not None and level.policy.id == "MSDP-14.03"
    text = render_text(report)
    assert "INSTRUMENT: Model State Risk and Needs Assessment" in text
    assert "level you set: high" in text
    html = render_html(report)
    assert "Assessment: Model State Risk and Needs Assessment (MS-RNA)" in html
    assert "Total:</strong> key" in html


def test_confronting_questions_end_the_interview_and_fail() -> None:
    s = start("in-long-sentence-literacy", 1)
    for cid in ("straight_in", "confront_work", "label_people", "confront_drink"):
        if not s.ended:
            s.choose(cid)
    assert s.node_id == "end_walkout"
    assert not score_session(
        s, find("in-long-sentence-literacy"), pack_for_scenario(find("in-long-sentence-literacy"))
    ).passed


@pytest.mark.parametrize("sid", IDS)
def test_random_runs_replay_exactly_from_their_logs(sid: str) -> None:
    for seed in range(5):
        s = walk_to_end(start(sid, seed), seed)
        again = replay(s.compiled, s.to_log())
        assert again.vars == s.vars and again.decisions == s.decisions


def test_the_pack_states_the_instrument_with_its_training_note() -> None:
    pack = load_pack(Path("scenarios/policy/model-state-parole.yaml"))
    assert pack.instrument is not None and pack.instrument.short == "MS-RNA"
    assert "training model" in pack.instrument.training_note
    assert pack.instrument.level_of(10) == "low" and pack.instrument.level_of(19) == "high"


def test_possible_facts_covers_every_fact_the_mechanic_derives() -> None:
    from engine.mechanics import intake

    for sid in IDS:
        sf = find(sid)
        choices = {
            (nid, c.id): c
            for nid, node in sf.scenario.nodes.items()
            for c in getattr(node, "choices", ())
        }
        for seed in range(6):
            s = walk_to_end(start(sid, seed), seed)
            for d in s.decisions:
                choice = choices[(d.node, d.choice)]
                derived = set(d.facts) - set(choice.facts)
                assert derived <= intake.possible_facts(sf.scenario, choice)


def test_the_instrument_is_shown_beside_the_case_file_in_the_terminal_and_the_app() -> None:
    import pygame

    from simulator.app.casefile import fill_tab
    from simulator.app.text import TextCache
    from simulator.app.theme import Theme
    from simulator.app.widgets import DocBuilder
    from simulator.textplay import case_file_text

    scenario = find("in-interpreter-co-occurring").scenario
    text = case_file_text(scenario)
    assert "INSTRUMENT: Model State Risk and Needs Assessment (MS-RNA)" in text
    assert "Cut-offs on the total (0-25): low 0-10, moderate 11-18, high 19+" in text
    pygame.init()
    try:
        b = DocBuilder(Theme("normal", 1.0), TextCache(), 900)
        fill_tab(b, scenario, "assessment")
        said = " ".join(block.said for block in b.blocks)
    finally:
        pygame.quit()
    assert "Work now (0-2): 0 = employed full time" in said
    assert "not been normed or validated" in said
    assert "MS-RNA" not in case_file_text(find("rh-preliminary-hearing").scenario)


def library_copy(tmp_path: Path) -> Path:
    """The intake scenarios and the policy pack copied into a library of their own."""
    import shutil

    root = Path(__file__).resolve().parents[2] / "scenarios"
    shutil.copytree(root / "intake", tmp_path / "intake")
    shutil.copytree(root / "policy", tmp_path / "policy")
    return tmp_path / "intake" / "in-low-risk-young-mother.yaml"


def test_a_log_replays_only_against_the_instrument_it_was_played_with(tmp_path: Path) -> None:
    from engine.loader import load_scenario
    from engine.session import ReplayError

    copy = library_copy(tmp_path)
    played = walk_to_end(Session.start(compile_scenario(load_scenario(copy)), 4), 4)
    assert played.events[0].data["instrument"]["id"] == "msrna"
    assert replay(played.compiled, played.to_log()).vars == played.vars
    instrument = tmp_path / "policy" / "model-state-parole" / "instrument-msrna.yaml"
    text = instrument.read_text(encoding="utf-8")
    instrument.write_text(text.replace("high: 10", "high: 9").replace("low: 11", "low: 10"))
    changed = build(load_scenario(copy))  # compiled afresh: compile_scenario keeps the first
    with pytest.raises(ReplayError, match="instrument"):
        replay(changed, played.to_log())


def test_lint_knows_what_was_told_of_each_asked_domain_and_refuses_derived_facts(
    tmp_path: Path,
) -> None:
    from engine.lint import lint_paths

    copy = library_copy(tmp_path)
    text = copy.read_text(encoding="utf-8")
    text = text.replace(
        "  ask_people:\n",
        "  ask_people:\n    lines:\n    - speaker: narrator\n      text: She relaxes a little.\n"
        "      when: told_education_employment == 2\n"
        "    - speaker: narrator\n      text: Nothing.\n      when: told_attitude == 2\n",
        1,
    )
    text = text.replace(
        "      - explained_assessment_purpose\n",
        "      - explained_assessment_purpose\n      - dosage_matches_risk\n",
        1,
    )
    copy.write_text(text, encoding="utf-8")
    found = [str(p) for p in lint_paths([copy])]
    assert any("told_attitude" in p for p in found), found
    assert not any("told_education_employment" in p for p in found), found
    assert any("'dosage_matches_risk' is derived by the intake mechanic" in p for p in found), found
