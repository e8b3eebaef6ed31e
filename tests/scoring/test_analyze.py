"""The scoring-validity harness finds the tells an author leaves in a scenario."""

from __future__ import annotations

import json
from pathlib import Path

from engine.loader import load_scenario_text
from scoring.analyze import _point_biserial, analyze
from tests.scoring.helpers import cli, model_pack, scenario_text
from tests.scoring.test_validity_rules import LOOP


def _decision(i: int, nxt: str, options: list[tuple[str, str, str]]) -> str:
    lines = [f"  d{i}:\n    kind: decision\n    prompt: Step {i}.\n    choices:\n"]
    for cid, text, facts in options:
        lines.append(f"      - {{id: {cid}, text: '{text}', facts: [{facts}], next: {nxt}}}\n")
    return "".join(lines)


GOOD = "Check the warrant system and the last three contact notes before you go"
TELL = (
    "".join(
        _decision(
            i,
            f"d{i + 1}" if i < 4 else "end",
            [
                (f"good{i}", GOOD, "checked_warrants"),
                (f"bad{i}", "Go now", "skipped_warrant_check"),
                (f"worse{i}", "Go alone", "went_out_unaccounted"),
            ],
        )
        for i in range(1, 5)
    )
    + "  end:\n    kind: terminal\n    outcome: resolved\n    title: Done\n"
)


def test_a_scenario_whose_best_option_is_always_the_longest_fails_the_gate() -> None:
    sf = load_scenario_text(scenario_text(TELL), "tell.yaml")
    a = analyze(sf, model_pack(), runs=60, seed=3, path_budget=500)
    by = {s.strategy: s for s in a.strategies}
    assert by["longest"].pass_rate == 1.0
    assert by["shortest"].pass_rate == 0.0
    # shuffled: "first shown" is no better than chance (1 in 3 per decision, 4 decisions)
    assert by["first"].pass_rate < 0.2
    assert a.best_longest_share == 1.0
    assert a.best_path_passed and a.best_path == ("good1", "good2", "good3", "good4")
    assert a.paths.method == "exhaustive" and a.paths.paths == 81
    assert a.paths.shortest_pass is not None and len(a.paths.shortest_pass) == 4
    assert (a.paths.min_score, a.paths.max_score) == (10.0, 100.0)
    failures = a.gate_failures()
    assert any("always the longest option passes 100%" in f for f in failures)
    assert any("longest text in 100% of decisions" in f for f in failures)
    assert a.unscored_choices == ()


def test_the_loop_back_to_a_decision_is_found_and_adds_no_points() -> None:
    sf = load_scenario_text(scenario_text(LOOP), "loop.yaml")
    a = analyze(sf, model_pack(), runs=20, path_budget=200)
    (loop,) = a.loops
    assert loop.node == "d1" and loop.cycle == ("d1:ring",)
    assert loop.once is not None and loop.twice == loop.once
    assert not loop.adds_points


def test_each_decision_gets_difficulty_and_discrimination_from_random_runs() -> None:
    sf = load_scenario_text(scenario_text(TELL), "tell.yaml")
    a = analyze(sf, model_pack(), runs=120, path_budget=0)
    d1 = next(d for d in a.decisions if d.node == "d1")
    assert d1.visits == 120
    assert d1.within_policy is not None and 0.2 < d1.within_policy < 0.5
    # passing needs every good option, so being right here goes with passing
    assert d1.discrimination is not None and d1.discrimination > 0


def test_point_biserial_matches_a_hand_computed_value() -> None:
    # x = 1,1,0,0 ; y = 1,0,0,0: r = (mean_xy - mean_x*mean_y) / (sd_x*sd_y)
    # = (0.25 - 0.5*0.25) / (0.5 * sqrt(0.1875)) = 0.125 / 0.216506... = 0.577
    assert _point_biserial([1, 1, 0, 0], [1, 0, 0, 0]) == 0.577
    assert _point_biserial([1, 1, 1], [1, 0, 1]) is None  # no variance: undefined


def test_analyze_command_prints_json_writes_html_and_check_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "tell.yaml"
    path.write_text(scenario_text(TELL), encoding="utf-8")
    html = tmp_path / "validity.html"
    r = cli("analyze", str(path), "--runs", "30", "--json", "--html", str(html), "--check")
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    (s,) = doc["scenarios"]
    assert s["id"] == "score-inline"
    assert {x["strategy"] for x in s["strategies"]} == {
        "first",
        "last",
        "longest",
        "shortest",
        "random",
        "random_safe",
        "timeout",
    }
    assert doc["gate_failures"] and s["gate"]["failures"] == doc["gate_failures"]
    page = html.read_text(encoding="utf-8")
    assert page.count("<svg") == 3 and "5% gate" in page and "<script" not in page
    bad = cli("analyze", "no-such-scenario")
    assert bad.returncode == 1 and "no scenario with id 'no-such-scenario'" in bad.stderr
    usage = cli("analyze", str(path), "--runs", "0")
    assert usage.returncode == 2 and "between 1 and 100000" in usage.stderr


def test_the_vectorised_and_session_loop_analyses_agree_run_for_run() -> None:
    from engine.library import find
    from scoring.lintcheck import pack_for_scenario

    sf = find("hv-locked-room-dog")
    pack = pack_for_scenario(sf)
    fast = analyze(sf, pack, runs=40, seed=5, path_budget=0, exact=True)
    slow = analyze(sf, pack, runs=40, seed=5, path_budget=0, vectorised=False)
    assert {s.simulator for s in fast.strategies} == {"vectorised, exact"}
    assert {s.simulator for s in slow.strategies} == {"session loop"}
    assert [(s.passed, s.mean_score) for s in fast.strategies] == [
        (s.passed, s.mean_score) for s in slow.strategies
    ]
    assert fast.random_scores == slow.random_scores
