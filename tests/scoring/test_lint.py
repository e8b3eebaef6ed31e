"""Lint covers scenarios against their pack, and packs themselves, from one command."""

from __future__ import annotations

from pathlib import Path

from scoring.lintcheck import check_against_pack, pack_checks
from tests.scoring.helpers import (
    FIXTURES,
    PACK_DIR,
    cli,
    copy_pack,
    edit,
    fixture,
    line_of,
    model_pack,
    scenario_text,
)

NODES = """  d1:
    kind: decision
    prompt: Knock?
    choices:
      - id: knock
        text: Knock and announce.
        facts: [announced_presence, knocked_politely]
        next: end
      - id: shrug
        text: Shrug.
        next: end
  end:
    kind: terminal
    outcome: resolved
    title: Done
"""


def test_lint_fails_a_scenario_using_a_fact_the_pack_does_not_know_at_its_line(
    tmp_path: Path,
) -> None:
    f = tmp_path / "scenario.yaml"
    f.write_text(scenario_text(NODES), encoding="utf-8")
    r = cli("lint", str(f))
    assert r.returncode == 1
    fact_line = line_of(f, "knocked_politely")
    assert (
        f"{f}:{fact_line}: nodes.d1.choices[0].facts[1]: error: fact 'knocked_politely' is not in "
        "policy pack 'model-state-parole'"
    ) in r.stdout
    shrug_line = line_of(f, "- id: shrug")
    assert (
        f"{f}:{shrug_line}: nodes.d1.choices[1].id: error: choice 'shrug' carries no fact that "
        "pack 'model-state-parole' scores"
    ) in r.stdout


def test_scenario_with_responses_must_declare_violation_severity() -> None:
    sf = fixture("vd_curfew")
    assert check_against_pack(sf, model_pack()) == []
    text = (FIXTURES / "vd_curfew.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "  violation_severity: {type: enum, values: [low, medium, high], initial: low}\n", ""
    ).replace("        effects: [\"violation_severity = 'medium'\"]\n", "")
    from engine.loader import load_scenario_text

    broken = load_scenario_text(text, "vd.yaml")
    (problem,) = check_against_pack(broken, model_pack())
    assert problem.path == "variables"
    assert "violation_severity" in problem.message


def test_fixture_scenarios_are_clean_against_the_model_pack() -> None:
    (check,) = pack_checks()
    for name in ("hv_shared_flat", "vd_curfew", "mi_checkin"):
        assert check(fixture(name)) == [], name
    r = cli("lint", str(FIXTURES))
    assert r.returncode == 0, r.stdout + r.stderr


def test_lint_of_a_pack_file_or_folder_reports_pack_problems_with_lines(tmp_path: Path) -> None:
    assert cli("lint", str(PACK_DIR)).returncode == 0
    assert cli("lint", str(PACK_DIR / "model-state-parole.yaml")).returncode == 0
    assert cli("lint", str(PACK_DIR / "model-state-parole" / "rules-mi.yaml")).returncode == 0
    main = copy_pack(tmp_path)
    rules = main.parent / "model-state-parole" / "rules-home-visit.yaml"
    line = edit(
        rules,
        "    policy: MSDP-2.02\n    feedback: A warrant",
        "    policy: MSDP-2.22\n    feedback: A warrant",
    )
    for target in (main.parent, main, rules):
        r = cli("lint", str(target))
        assert r.returncode == 1
        assert (
            f"{rules}:{line}: rules[2].policy: error: rule cites unknown policy id 'MSDP-2.22'"
            in r.stdout
        )


def test_a_scenario_beside_a_broken_pack_is_told_so_at_policy_pack(tmp_path: Path) -> None:
    main = copy_pack(tmp_path)
    edit(main, "  - id: MSDP-1.02\n", "  - id: MSDP-1.01\n")
    scen = tmp_path / "scenarios" / "hv.yaml"
    scen.parent.mkdir()
    scen.write_text(
        (FIXTURES / "hv_shared_flat.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    r = cli("lint", str(scen))
    assert r.returncode == 1
    assert (
        f"{scen}:{line_of(scen, 'policy_pack:')}: policy_pack: error: "
        "policy pack 'model-state-parole' has errors" in r.stdout
    )


def test_lint_warns_when_a_pinned_option_is_the_best_and_refuses_an_unmeetable_requirement(
    tmp_path: Path,
) -> None:
    from engine.lint import lint_paths
    from scoring.lintcheck import pack_checks
    from tests.scoring.helpers import model_pack, scenario_text

    nodes = (
        "  d1:\n    kind: decision\n    prompt: At the door.\n    choices:\n"
        "      - {id: knock, text: Knock and say who you are., facts: [announced_presence],"
        " next: end, pin: last}\n"
        "      - {id: shout, text: Shout an order through the door., facts: [bare_command],"
        " next: end}\n"
        "  end:\n    kind: terminal\n    outcome: resolved\n    title: Done\n"
    )
    text = scenario_text(nodes).replace(
        "start: d1\n",
        "requires:\n  - title: The residence was verified\n    facts: [verified_residence]\n"
        "start: d1\n",
    )
    path = tmp_path / "pinned.yaml"
    path.write_text(text, encoding="utf-8")
    problems = lint_paths([path], pack_checks(model_pack()))
    pinned = [p for p in problems if p.path.endswith("pin")]
    assert len(pinned) == 1 and pinned[0].severity == "warning"
    assert "is the best answer of 'd1' and is pinned last" in pinned[0].message
    (never,) = [p for p in problems if p.path == "requires[0].facts"]
    assert never.severity == "error"
    assert "can never be met: no choice carries any of verified_residence" in never.message
