"""The authoring guide's table of policies per family is generated and kept current."""

from __future__ import annotations

from pathlib import Path

from engine.library import discover
from scoring.familydoc import END, START, family_facts, policies_by_family
from scoring.pack import find_pack, load_pack
from tests.conftest import SCENARIOS


def test_the_guide_lists_the_policies_each_family_cites_as_generated() -> None:
    pack = load_pack(find_pack("model-state-parole"))
    section = policies_by_family(pack, discover(SCENARIOS).scenarios)
    guide = (SCENARIOS / "README.md").read_text(encoding="utf-8")
    assert section in guide, "run: parolesim policies --by-family -o scenarios/README.md"
    assert guide.count(START) == 1 and guide.count(END) == 1


def test_every_family_cites_policies_the_pack_has() -> None:
    pack = load_pack(find_pack("model-state-parole"))
    section = policies_by_family(pack, discover(SCENARIOS).scenarios)
    for family in pack.families.values():
        assert f"**{family.title}**" in section
    assert "(unknown policy)" not in section


def test_an_academy_adds_a_family_in_data_and_the_guide_and_lint_follow_it(tmp_path: Path) -> None:
    """Families are declared in the pack: a new one needs an entry, not code."""
    from engine.lint import lint_paths
    from scoring.lintcheck import pack_checks
    from scoring.scorer import score_session
    from tests.scoring.helpers import copy_pack, edit, play, scenario_text
    from tests.scoring.test_scorer import chain

    main = copy_pack(tmp_path)
    scenario = tmp_path / "pre_release" / "pr-first.yaml"
    scenario.parent.mkdir()
    text = scenario_text(chain(("read", "reviewed_case_file"), ("ask", "checked_warrants")))
    scenario.write_text(text.replace("family: home_visit", "family: pre_release"), encoding="utf-8")
    problems = lint_paths([scenario], pack_checks(load_pack(main)))
    (unknown,) = [p for p in problems if p.path == "family"]
    assert (
        "family 'pre_release' is not declared by policy pack 'model-state-parole'"
        in unknown.message
    )
    assert "home_visit" in unknown.message and unknown.line == 5
    families = main.parent / "model-state-parole" / "families.yaml"
    edit(
        families,
        "families:\n",
        "families:\n  - id: pre_release\n    title: Pre-release investigation\n"
        "    description: The home and sponsor checked before release.\n"
        "    competencies: [case_management]\n    policies: [MSDP-8.02]\n",
    )
    pack = load_pack(main)
    assert pack.families["pre_release"].title == "Pre-release investigation"
    assert [p for p in lint_paths([scenario], pack_checks(pack)) if p.severity == "error"] == []
    from engine.loader import load_scenario

    sf = load_scenario(scenario)
    report = score_session(play(sf, ["read", "ask"]), sf, pack)
    assert report.scenario["family"] == "pre_release" and report.sanction is None
    section = policies_by_family(pack, [sf])
    assert "**Pre-release investigation** (2 facts" in section


def test_a_pack_family_naming_an_unknown_competency_or_clause_is_an_error(tmp_path: Path) -> None:
    from scoring.pack import check_pack
    from tests.scoring.helpers import copy_pack, edit

    main = copy_pack(tmp_path)
    families = main.parent / "model-state-parole" / "families.yaml"
    edit(families, "competencies: [motivational_interviewing,", "competencies: [mi_magic,")
    _, problems = check_pack(main)
    assert any(
        "unknown competency 'mi_magic'" in p.message and p.file.endswith("families.yaml")
        for p in problems
    )


def test_every_clause_of_the_pack_is_cited_by_some_library_choice() -> None:
    """Issue 11: no clause an academy relies on goes unpractised."""
    pack = load_pack(find_pack("model-state-parole"))
    facts = set().union(*family_facts(discover(SCENARIOS).scenarios).values())
    cited = {r.rule.policy for f in facts for r in pack.rules_by_fact.get(f, ())}
    assert sorted(set(pack.policies) - cited) == []
