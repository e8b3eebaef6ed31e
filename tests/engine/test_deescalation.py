"""The de-escalation profile: agitation and trust answer the officer's approach, replayably."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.compile import compile_scenario
from engine.lint import lint_paths
from engine.loader import load_scenario
from engine.mechanics.deescalation import STAIRWAY, variation_draw
from engine.problems import Severity
from engine.session import Session, replay

FIXTURE = Path(__file__).parents[1] / "fixtures" / "deescalation" / "profile.yaml"


@pytest.fixture(scope="module")
def compiled() -> Any:
    return compile_scenario(load_scenario(FIXTURE))


def start(compiled: Any, seed: int = 7) -> Session:
    return Session.start(compiled, seed, wall_clock=False, clock=lambda: 0.0)


def test_listening_and_emotion_labelling_lower_agitation_and_raise_trust(compiled: Any) -> None:
    s = start(compiled)
    before = dict(s.vars)
    s.choose("listen")
    assert s.vars["agitation"] < before["agitation"] - 1.5
    assert s.vars["trust"] > before["trust"]


def test_bare_command_raises_agitation_and_lowers_trust(compiled: Any) -> None:
    s = start(compiled)
    before = dict(s.vars)
    s.choose("order")
    assert s.vars["agitation"] > before["agitation"] + 0.5
    assert s.vars["trust"] < before["trust"]


def test_threats_and_commands_trigger_the_crisis_interrupt(compiled: Any) -> None:
    for seed in range(20):
        s = start(compiled, seed)
        s.choose("threaten")
        if not s.ended:
            s.choose("order")
        assert s.node_id == "blow_up", f"seed {seed} stayed at {s.node_id}"
        assert s.ending is not None and s.ending.outcome.value == "escalated"
        assert any(e.type == "interrupted" for e in s.events)


def test_listening_keeps_the_person_below_the_crisis_threshold(compiled: Any) -> None:
    for seed in range(20):
        s = start(compiled, seed)
        s.choose("listen")
        s.choose("listen")
        s.choose("wrap_up")
        assert s.node_id == "end_calm"


def test_a_more_volatile_person_reacts_more_sharply_to_the_same_command(compiled: Any) -> None:
    d = compiled.deescalation
    calm = {"agitation": 5.0, "trust": 3.0, "volatility": 0.8}
    hot = {"agitation": 5.0, "trust": 3.0, "volatility": 1.4}
    d.react(calm, ("bare_command",), 0.5)
    d.react(hot, ("bare_command",), 0.5)
    assert calm["agitation"] == pytest.approx(5.0 + 1.5 * 0.8)
    assert hot["agitation"] == pytest.approx(5.0 + 1.5 * 1.4)


def test_influence_before_rapport_has_half_its_effect(compiled: Any) -> None:
    d = compiled.deescalation
    low_trust = {"agitation": 6.0, "trust": 2.0, "volatility": 1.0}
    rapport = {"agitation": 6.0, "trust": 6.0, "volatility": 1.0}
    d.react(low_trust, ("explained_reason", "offered_options"), 0.5)
    d.react(rapport, ("explained_reason", "offered_options"), 0.5)
    assert 6.0 - low_trust["agitation"] == pytest.approx(0.625)
    assert 6.0 - rapport["agitation"] == pytest.approx(1.25)


def test_stacked_approaches_on_one_choice_have_diminishing_returns(compiled: Any) -> None:
    d = compiled.deescalation
    env = {"agitation": 6.0, "trust": 6.0, "volatility": 1.0}
    d.react(env, ("threat", "raised_voice"), 0.5)
    assert env["agitation"] == pytest.approx(6.0 + 2.5 + 2.0 / 2)
    assert env["trust"] == pytest.approx(6.0 - 2.0 - 1.0 / 2)


def test_scenario_approaches_extend_the_built_in_table(compiled: Any) -> None:
    d = compiled.deescalation
    env = {"agitation": 6.0, "trust": 6.0, "volatility": 1.0}
    reaction = d.react(env, ("handed_leaflet", "report_timely"), 0.5)
    assert reaction is not None and reaction.facts == ("handed_leaflet",)
    assert env["agitation"] == pytest.approx(5.5)
    assert "handed_leaflet" not in STAIRWAY


def test_a_choice_with_no_known_approach_leaves_the_person_as_they_were(compiled: Any) -> None:
    s = start(compiled)
    s.choose("listen")
    before = dict(s.vars)
    s.choose("paperwork")
    assert s.vars["agitation"] == before["agitation"]
    assert s.vars["trust"] == before["trust"]
    assert [i for i, _ in s.reactions] == [0]


def test_the_per_choice_factor_stays_within_the_declared_variation(compiled: Any) -> None:
    factors = set()
    for seed in range(40):
        s = start(compiled, seed)
        s.choose("order")
        (_, reaction), *_ = s.reactions
        assert 0.7 - 1e-9 <= reaction.factor <= 1.3 + 1e-9
        factors.add(round(reaction.factor, 3))
    assert len(factors) > 20


def test_variation_draw_is_fixed_by_seed_and_decision_index() -> None:
    assert variation_draw(5, 2) == variation_draw(5, 2)
    assert variation_draw(5, 2) != variation_draw(5, 3)
    assert variation_draw(5, 2) != variation_draw(6, 2)
    assert all(0.0 <= variation_draw(s, i) < 1.0 for s in range(30) for i in range(5))


def test_profile_applies_before_scenario_reactions_which_still_run(compiled: Any) -> None:
    s = start(compiled)
    s.choose("threaten")
    assert s.vars["warned"] is True


def test_replay_reproduces_the_same_reactions_and_state(compiled: Any) -> None:
    s = start(compiled, 11)
    s.choose("order")
    s.choose("explain")
    log = s.to_log()
    again = replay(compiled, log)
    assert again.vars == s.vars
    assert again.reactions == s.reactions
    assert [t.text for t in again.transcript] == [t.text for t in s.transcript]


def _variant(tmp_path: Path, change: Any) -> Path:
    data = yaml.safe_load(FIXTURE.read_text())
    change(data)
    out = tmp_path / "variant.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False))
    return out


def _messages(path: Path) -> list[tuple[str, str, Severity]]:
    return [(p.path, p.message, p.severity) for p in lint_paths([path])]


def test_lint_reports_a_profile_variable_that_is_not_a_number(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["deescalation"]["trust"] = "warned"
        d["deescalation"]["agitation"] = "fury"

    found = _messages(_variant(tmp_path, change))
    assert (
        "deescalation.trust",
        "'warned' is a bool variable; the profile needs a number variable for trust",
        Severity.ERROR,
    ) in found
    assert any(p == "deescalation.agitation" and "'fury' is not declared" in m for p, m, _ in found)


def test_lint_reports_a_volatility_expression_that_is_not_a_number(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["deescalation"]["volatility"] = "warned and true"

    found = _messages(_variant(tmp_path, change))
    assert any(
        p == "deescalation.volatility" and "gives a bool, but a number is needed" in m
        for p, m, _ in found
    )


def test_lint_reports_problem_at_the_line_of_the_profile_key(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["deescalation"]["receptiveness"] = "nobody * 2"

    path = _variant(tmp_path, change)
    (problem,) = [p for p in lint_paths([path]) if p.path == "deescalation.receptiveness"]
    line = path.read_text().splitlines()[problem.line - 1]
    assert "receptiveness" in line
    assert "nobody" in problem.message


def test_lint_warns_when_rapport_threshold_is_outside_trust_range(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["deescalation"]["rapport_at"] = 12

    found = _messages(_variant(tmp_path, change))
    assert any(
        p == "deescalation.rapport_at" and s is Severity.WARNING and "always half" in m
        for p, m, s in found
    )


def test_lint_warns_when_no_choice_carries_an_approach_the_profile_knows(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        for node in d["nodes"].values():
            for c in node.get("choices", []):
                c["facts"] = ["report_timely"]

    found = _messages(_variant(tmp_path, change))
    assert any(
        p == "deescalation" and s is Severity.WARNING and "never move" in m for p, m, s in found
    )


def test_lint_rejects_an_empty_profile(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["deescalation"] = {"profile": "none"}

    found = _messages(_variant(tmp_path, change))
    assert any(p == "deescalation.profile" and "moves nothing" in m for p, m, _ in found)


def test_the_fixture_lints_clean() -> None:
    assert lint_paths([FIXTURE]) == []
