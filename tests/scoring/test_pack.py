"""The model agency pack and the checks every pack goes through, with file and line."""

from __future__ import annotations

from pathlib import Path

from engine.problems import Severity
from scoring.factsdoc import facts_markdown
from scoring.pack import check_pack, default_pack_path
from scoring.packmodel import MITI_CODES, Verdict
from tests.scoring.helpers import PACK_DIR, copy_pack, edit, line_of, model_pack


def errors(path: Path) -> list[str]:
    _, problems = check_pack(path)
    return [p.format() for p in problems if p.severity is Severity.ERROR]


def test_model_pack_loads_without_errors_or_warnings() -> None:
    pack, problems = check_pack(default_pack_path())
    assert pack is not None
    assert [p.format() for p in problems] == []


def test_model_pack_has_at_least_forty_sourced_policies_and_a_disclaimer() -> None:
    pack = model_pack()
    assert len(pack.policies) >= 40
    for p in pack.policies.values():
        assert p.source.strip() and len(p.summary.split()) >= 15, p.id
    assert "not legal advice" in pack.main.disclaimer
    assert pack.agency == "Model State Division of Parole"


def test_model_pack_scores_all_five_verdicts_and_every_miti_code() -> None:
    pack = model_pack()
    used = {r.rule.verdict for r in pack.rules}
    assert {v.value for v in Verdict} | {"by_matrix"} == used
    assert set(pack.main.miti.codes) == set(MITI_CODES)
    assert pack.main.miti.persuade_with_permission == "neither"


def test_model_pack_searches_follow_the_stricter_agency_standard() -> None:
    rules = model_pack().rules_by_fact["searched_parolee_area_under_condition"]
    assert rules[0].rule.after == [
        "articulated_reasonable_suspicion",
        "obtained_supervisor_approval_for_search",
    ]
    assert rules[-1].rule.verdict == "violation" and not rules[-1].rule.conditional


def test_facts_reference_is_up_to_date_with_the_pack() -> None:
    assert (PACK_DIR / "FACTS.md").read_text(encoding="utf-8") == facts_markdown(model_pack())


def test_content_hash_changes_when_an_included_rule_changes(tmp_path: Path) -> None:
    main = copy_pack(tmp_path)
    before = check_pack(main)[0]
    edit(
        main.parent / "model-state-parole" / "rules-safety.yaml",
        "    weight: 3\n    feedback: Grabbing",
        "    weight: 2\n    feedback: Grabbing",
    )
    after = check_pack(main)[0]
    assert before is not None and after is not None
    assert before.hash == model_pack().hash
    assert after.hash != before.hash


def test_pack_lint_reports_a_rule_citing_an_unknown_policy_at_its_line(tmp_path: Path) -> None:
    main = copy_pack(tmp_path)
    rules = main.parent / "model-state-parole" / "rules-testing.yaml"
    line = edit(
        rules,
        "    policy: MSDP-6.03\n    weight: 3\n    feedback: Instant",
        "    policy: MSDP-6.99\n    weight: 3\n    feedback: Instant",
    )
    assert errors(main) == [
        f"{rules}:{line}: rules[11].policy: error: rule cites unknown policy id 'MSDP-6.99'"
    ]


def test_pack_lint_reports_an_unknown_competency_at_its_line(tmp_path: Path) -> None:
    main = copy_pack(tmp_path)
    rules = main.parent / "model-state-parole" / "rules-mi.yaml"
    line = edit(
        rules,
        "    competency: motivational_interviewing\n    policy: MSDP-9.04\n    feedback: Neutral",
        "    competency: motivational_interviewng\n    policy: MSDP-9.04\n    feedback: Neutral",
    )
    (only,) = errors(main)
    assert only.startswith(
        f"{rules}:{line}: rules[0].competency: error: unknown competency "
        "'motivational_interviewng'; known: "
    )


def test_pack_lint_reports_duplicate_policy_competency_and_fact_with_lines(tmp_path: Path) -> None:
    main = copy_pack(tmp_path)
    pol = edit(main, "  - id: MSDP-1.02\n", "  - id: MSDP-1.01\n")
    first_pol = line_of(main, "  - id: MSDP-1.01")
    comp = edit(main, "  - id: search_and_seizure\n", "  - id: field_safety\n")
    first_comp = line_of(main, "  - id: field_safety")
    general = main.parent / "model-state-parole" / "rules-general.yaml"
    fact = edit(general, "facts:\n", "facts:\n  reviewed_case_file: Declared a second time.\n") + 1
    home = main.parent / "model-state-parole" / "rules-home-visit.yaml"
    found = errors(main)
    assert (
        f"{main}:{pol}: policies[1].id: error: duplicate policy id MSDP-1.01 "
        f"(first defined at {main}:{first_pol})" in found
    )
    assert (
        f"{main}:{comp}: competencies[2].id: error: duplicate competency id 'field_safety' "
        f"(first defined at {main}:{first_comp})" in found
    )
    home_line = line_of(home, "  reviewed_case_file:")
    assert (
        f"{home}:{home_line}: facts.reviewed_case_file: error: duplicate fact "
        f"'reviewed_case_file' (first declared at {general}:{fact})" in found
    )


def add_competency(main: Path, cid: str, title: str) -> Path:
    """Declare a competency in the hearing rules' include file; returns that file."""
    hearing = main.parent / "model-state-parole" / "rules-hearing.yaml"
    text = hearing.read_text(encoding="utf-8")
    hearing.write_text(
        f"{text}competencies:\n  - id: {cid}\n    title: {title}\n"
        "    fto_category: report_writing\n"
        "    description: Testifies to what was observed and names the source of the rest.\n",
        encoding="utf-8",
    )
    return hearing


def test_an_included_file_adds_a_competency_rules_can_score_and_reports_can_name(
    tmp_path: Path,
) -> None:
    main = copy_pack(tmp_path)
    add_competency(main, "courtroom_testimony", "Testimony")
    pack, problems = check_pack(main)
    assert pack is not None and [p.format() for p in problems] == []
    assert pack.competencies["courtroom_testimony"].title == "Testimony"
    assert "field_safety" in pack.competencies  # the main file's stay


def test_pack_lint_names_a_competency_declared_in_two_files(tmp_path: Path) -> None:
    main = copy_pack(tmp_path)
    hearing = add_competency(main, "documentation", "Documentation again")
    line = line_of(hearing, "  - id: documentation")
    first = line_of(main, "  - id: documentation")
    assert (
        f"{hearing}:{line}: competencies[0].id: error: duplicate competency id 'documentation' "
        f"(first defined at {main}:{first})" in errors(main)
    )


def test_pack_lint_reports_schema_mistakes_at_the_offending_key(tmp_path: Path) -> None:
    main = copy_pack(tmp_path)
    rules = main.parent / "model-state-parole" / "rules-safety.yaml"
    line = edit(
        rules,
        "    verdict: critical\n    competency: use_of_force",
        "    verdict: catastrophic\n    competency: use_of_force",
    )
    extra = edit(main, "pass_criteria:\n", "pass_criteria:\n  pass_mark: 70\n") + 1
    found = errors(main)
    assert (
        f"{rules}:{line}: rules[4].verdict: error: 'catastrophic' is not a verdict; expected one "
        "of exemplary, acceptable, deviation, violation, critical, by_matrix" in found
    )
    assert f"{main}:{extra}: pass_criteria.pass_mark: error: unknown key 'pass_mark'" in found


def test_pack_lint_reports_a_missing_include_and_a_matrix_band_out_of_order(tmp_path: Path) -> None:
    main = copy_pack(tmp_path)
    inc = edit(
        main, "  - model-state-parole/rules-mi.yaml\n", "  - model-state-parole/rules-mi.yml\n"
    )
    band = edit(main, "      high: [5, 6]\n", "      high: [6, 5]\n")
    found = errors(main)
    assert (
        f"{main}:{inc}: includes[7]: error: "
        "included file 'model-state-parole/rules-mi.yml' does not exist" in found
    )
    assert len(found) == 1  # the schema stage stops before cross-checks
    edit(main, "  - model-state-parole/rules-mi.yml\n", "  - model-state-parole/rules-mi.yaml\n")
    assert errors(main) == [
        f"{main}:{band}: violation_response.matrix.high.high: error: a band is [lowest, highest] "
        "with 1 <= lowest <= highest <= 6"
    ]


def test_pack_lint_warns_about_a_rule_that_can_never_apply(tmp_path: Path) -> None:
    main = copy_pack(tmp_path)
    rules = main.parent / "model-state-parole" / "rules-testing.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(
        text + "  - fact: observed_collection\n    verdict: exemplary\n    competency: testing\n"
        "    policy: MSDP-6.01\n    feedback: Shadowed by the rule above.\n",
        encoding="utf-8",
    )
    _, problems = check_pack(main)
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    assert len(warnings) == 1
    assert warnings[0].file == str(rules)
    assert warnings[0].line == text.count("\n") + 1
    assert "never applies" in warnings[0].message
