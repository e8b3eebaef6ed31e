"""The client model (engine.mechanics.client): talk variables, reactions to MITI facts, lint."""

from __future__ import annotations

import textwrap

import pytest

from engine.compile import compile_scenario
from engine.lint import check_scenario
from engine.loader import load_scenario_text
from engine.mechanics.client import STANDARD_REACTIONS, merged_reactions, state_of
from engine.mechanics.trajectory import client_trajectory
from engine.problems import ContentError, Severity
from engine.session import ReplayError, Session, replay

HEAD = """\
schema_version: 1
id: client-test
version: "1.0.0"
title: Client model test
family: motivational_interviewing
difficulty: introductory
estimated_minutes: 5
policy_pack: model-state-parole
summary: A two-step conversation the client model tests use.
objectives: [Reflect.]
setting: interview_room
cast:
  client: Ana Ruiz
case_file:
  person: {name: Ana Ruiz, age: 30}
  offence: Theft
  release_date: "2026-01-01"
  risk_level: low
  assessment: {instrument: MS-CRNS}
  conditions: {}
"""

NODES = """\
start: talk
nodes:
  talk:
    kind: decision
    prompt: What do you say?
    choices:
      - {id: reflect, text: Reflect., facts: [complex_reflection], next: again}
      - {id: confront, text: Argue., facts: [confront], next: again}
      - {id: autonomy, text: Her choice., facts: [emphasizing_autonomy], next: again}
      - {id: persuade, text: Push., facts: [persuade], next: again}
  again:
    kind: decision
    prompt: And then?
    choices:
      - id: reflect
        text: Reflect.
        facts: [complex_reflection]
        next: done
        reply:
          - {speaker: client, text: "I want to change.", when: "change_talk >= 5"}
          - {speaker: client, text: "Leave me alone.", when: "discord >= 5"}
      - {id: confront, text: Argue., facts: [confront], next: done}
  done: {kind: terminal, outcome: resolved, title: Done}
"""


def scenario(client: str, extra: str = "", nodes: str = NODES) -> str:
    return HEAD + textwrap.dedent(client) + textwrap.dedent(extra) + nodes


def start(text: str, seed: int = 1) -> Session:
    sf = load_scenario_text(text, "client-test.yaml")
    return Session.start(compile_scenario(sf), seed, clock=lambda: 0.0, wall_clock=False)


def fixed(
    readiness: float, ambivalence: float = 0.5, reactivity: float = 0.5, discord: float = 0
) -> str:
    return scenario(
        f"""\
        client:
          readiness: {readiness}
          ambivalence: {ambivalence}
          reactivity: {reactivity}
          discord: {discord}
        """
    )


def test_client_profile_declares_talk_variables_from_persona_values() -> None:
    text = scenario(
        """\
        persona:
          ready: {kind: uniform, low: 0.2, high: 0.8}
        client:
          readiness: ready
          discord: "2 * ready"
        """
    )
    s = start(text, seed=7)
    r = s.persona["ready"]
    assert s.vars["client_readiness"] == pytest.approx(r)
    assert s.vars["change_talk"] == pytest.approx(1 + 4 * r)
    assert s.vars["sustain_talk"] == pytest.approx(1 + 3 * 0.5 + 3 * (1 - r))
    assert s.vars["discord"] == pytest.approx(2 * r)


def test_scenario_without_client_gets_no_talk_variables() -> None:
    plain = NODES.replace("change_talk >= 5", "true").replace("discord >= 5", "false")
    s = start(HEAD + plain)
    assert "change_talk" not in s.vars
    assert "discord" not in s.vars
    s.choose("confront")
    assert s.vars == {}


def test_author_declared_talk_variable_wins_over_client_default() -> None:
    text = scenario(
        """\
        client: {readiness: 0.5}
        """,
        """\
        variables:
          discord: {type: number, min: 0, max: 10, initial: 6}
        """,
    )
    assert start(text).vars["discord"] == 6.0


def test_complex_reflection_evokes_more_change_talk_from_a_ready_client() -> None:
    gains = []
    for readiness in (0.1, 0.9):
        s = start(fixed(readiness))
        before = s.vars["change_talk"]
        s.choose("reflect")
        gains.append(s.vars["change_talk"] - before)
        assert s.vars["sustain_talk"] < 1 + 3 * 0.5 + 3 * (1 - readiness)
    assert 0 < gains[0] < gains[1]


def test_confrontation_raises_discord_and_sustain_talk_more_for_a_reactive_client() -> None:
    rises = []
    for reactivity in (0.1, 0.9):
        s = start(fixed(0.5, reactivity=reactivity))
        st = s.vars["sustain_talk"]
        s.choose("confront")
        assert s.vars["sustain_talk"] > st
        rises.append(s.vars["discord"])
    assert rises[0] == pytest.approx(1.5 + 2 * 0.1)
    assert rises[1] == pytest.approx(1.5 + 2 * 0.9)


def test_emphasizing_autonomy_lowers_discord_after_confrontation() -> None:
    s = start(fixed(0.5, reactivity=0.8))
    s.choose("confront")
    after_confront = s.vars["discord"]
    s2 = start(fixed(0.5, reactivity=0.8))
    s2.choose("autonomy")
    assert s2.vars["discord"] == 0.0
    assert after_confront > 3


def test_discord_damps_what_a_reflection_can_evoke() -> None:
    calm = start(fixed(0.5))
    calm.choose("reflect")
    angry = start(fixed(0.5))
    angry.choose("confront")
    ct, d = angry.vars["change_talk"], angry.vars["discord"]
    angry.choose("reflect")
    assert angry.vars["change_talk"] - ct < calm.vars["change_talk"] - (1 + 4 * 0.5)
    assert angry.vars["discord"] == pytest.approx(d - 1)


def test_client_reply_lines_follow_the_talk_state() -> None:
    warm = start(fixed(0.9))
    warm.choose("reflect")
    warm.choose("reflect")
    assert [t.text for t in warm.transcript if t.speaker == "client"] == ["I want to change."]
    cold = start(fixed(0.1, reactivity=0.9, discord=4))
    cold.choose("confront")
    cold.choose("reflect")
    assert [t.text for t in cold.transcript if t.speaker == "client"] == ["Leave me alone."]


def test_profile_reaction_replaces_standard_and_scenario_reaction_adds_to_it() -> None:
    text = scenario(
        """\
        client:
          readiness: 0.5
          reactions:
            confront: ["discord += 5"]
        reactions:
          confront: ["sustain_talk += 1"]
        """
    )
    sf = load_scenario_text(text, "client-test.yaml")
    assert merged_reactions(sf.scenario)["confront"] == ["discord += 5", "sustain_talk += 1"]
    assert merged_reactions(sf.scenario)["affirm"] == list(STANDARD_REACTIONS["affirm"])
    s = start(text)
    st = s.vars["sustain_talk"]
    s.choose("confront")
    assert s.vars["discord"] == 5.0
    assert s.vars["sustain_talk"] == pytest.approx(st + 1)


def test_talk_stays_within_zero_to_ten() -> None:
    s = start(fixed(0.5, reactivity=1.0))
    s.choose("confront")
    s.choose("confront")
    assert 0 <= s.vars["change_talk"] <= 10
    assert s.vars["sustain_talk"] <= 10


def problems_of(text: str) -> list[tuple[int, str, str, Severity]]:
    sf = load_scenario_text(text, "client-test.yaml", check=False)
    return [(p.line, p.path, p.message, p.severity) for p in check_scenario(sf)]


def test_lint_reports_a_bad_readiness_expression_at_its_line() -> None:
    text = scenario(
        """\
        client:
          readiness: "readyness * 2"
        """
    )
    found = problems_of(text)
    line = text.splitlines().index('  readiness: "readyness * 2"') + 1
    assert any(
        ln == line and path == "client.readiness" and "'readyness' is not a declared" in msg
        for ln, path, msg, _ in found
    ), found
    with pytest.raises(ContentError):
        load_scenario_text(text, "client-test.yaml")


def test_lint_warns_when_readiness_can_fall_outside_zero_to_one() -> None:
    text = scenario(
        """\
        persona:
          ready: {kind: uniform, low: 0, high: 2}
        client:
          readiness: ready
        """
    )
    found = problems_of(text)
    assert any(
        path == "client.readiness" and "outside 0..1" in msg and sev is Severity.WARNING
        for _, path, msg, sev in found
    ), found


def test_lint_reports_a_client_speaker_missing_from_the_cast() -> None:
    found = problems_of(scenario("client: {readiness: 0.5, speaker: parolee}\n"))
    assert any(path == "client.speaker" and "not in the cast" in msg for _, path, msg, _ in found)


def test_lint_reports_a_talk_variable_declared_as_true_false() -> None:
    text = scenario(
        "client: {readiness: 0.5}\n",
        "variables:\n  discord: {type: bool, initial: false}\n",
    )
    found = problems_of(text)
    assert any(
        path == "variables.discord" and "must be a number" in msg for _, path, msg, _ in found
    )


def test_lint_reports_a_bad_effect_in_a_profile_reaction() -> None:
    text = scenario(
        """\
        client:
          readiness: 0.5
          reactions:
            confront: ["rapport += 1"]
        """
    )
    found = problems_of(text)
    assert any(
        path == "client.reactions.confront[0]" and "'rapport' is not a declared variable" in msg
        for _, path, msg, _ in found
    ), found


def test_lint_warns_when_no_choice_carries_a_fact_the_client_reacts_to() -> None:
    text = scenario("client: {readiness: 0.5}\n").replace("complex_reflection", "paraphrased")
    text = text.replace("[confront]", "[argued]").replace(
        "[emphasizing_autonomy]", "[offered_options]"
    )
    text = text.replace("[persuade]", "[explained_reason]")
    found = problems_of(text)
    assert any(
        path == "client" and "never changes" in msg and sev is Severity.WARNING
        for _, path, msg, sev in found
    ), found


def test_trajectory_gives_the_state_before_and_after_each_decision() -> None:
    s = start(fixed(0.6, reactivity=0.4), seed=3)
    s.choose("confront")
    s.choose("reflect")
    points = client_trajectory(s.compiled, s.to_log())
    assert [(p.node, p.choice) for p in points] == [
        (None, None),
        ("talk", "confront"),
        ("again", "reflect"),
    ]
    assert points[1].facts == ("confront",)
    assert points[1].state.discord == pytest.approx(1.5 + 2 * 0.4)
    assert points[-1].state == state_of(s.vars)
    assert points[-1].state == state_of(replay(s.compiled, s.to_log()).vars)


def test_trajectory_refuses_a_log_from_another_version() -> None:
    s = start(fixed(0.6))
    s.choose("reflect")
    log = s.to_log()
    log["scenario"]["hash"] = "0" * 64
    with pytest.raises(ReplayError, match="different version"):
        client_trajectory(s.compiled, log)


def test_chance_weight_may_be_a_condition_on_a_persona_choice() -> None:
    nodes = """\
start: fork
nodes:
  fork:
    kind: chance
    outcomes:
      - {next: a, weight: "who == 'sister'"}
      - {next: b, weight: "who == 'friend'"}
  a:
    kind: decision
    prompt: Sister.
    choices: [{id: go, text: Go., facts: [affirm], next: done}]
  b:
    kind: decision
    prompt: Friend.
    choices: [{id: go, text: Go., facts: [affirm], next: done}]
  done: {kind: terminal, outcome: resolved, title: Done}
"""
    text = scenario(
        """\
        persona:
          who: {kind: choice, options: {sister: 1, friend: 1}}
        client: {readiness: 0.5}
        """,
        nodes=nodes,
    )
    assert problems_of(text) == []
    for seed in range(12):
        s = start(text, seed)
        assert s.node_id == ("a" if s.persona["who"] == "sister" else "b")


def test_lint_rejects_a_chance_weight_that_is_a_string() -> None:
    nodes = NODES.replace(
        "start: talk\n",
        "start: fork\n",
    ).replace(
        "nodes:\n",
        "nodes:\n  fork:\n    kind: chance\n    outcomes:\n"
        "      - {next: talk, weight: \"'often'\"}\n",
    )
    found = problems_of(scenario("client: {readiness: 0.5}\n", nodes=nodes))
    assert any("a weight is a number or a condition" in msg for _, _, msg, _ in found), found
