"""One broken fixture per lint check: each must be reported at the line marked ``# LINT``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.lint import lint_paths
from engine.problems import Severity

BROKEN = Path(__file__).resolve().parent.parent / "fixtures" / "broken"
WARNINGS = {"all_guarded", "chance_can_be_zero"}


def _marker(path: Path) -> tuple[int, str]:
    for number, line in enumerate(path.read_text().splitlines(), 1):
        m = re.search(r"# LINT (.+)$", line)
        if m:
            return number, m.group(1).strip()
    raise AssertionError(f"{path.name} has no '# LINT' marker")


@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_lint_reports_each_broken_fixture_at_the_marked_line(path: Path) -> None:
    line, expected = _marker(path)
    problems = lint_paths([path])
    at_line = [p for p in problems if p.line == line]
    assert at_line, f"nothing reported at line {line}; got {[p.format() for p in problems]}"
    assert any(expected in p.message for p in at_line), [p.format() for p in at_line]
    want = Severity.WARNING if path.stem in WARNINGS else Severity.ERROR
    assert any(p.severity is want for p in at_line)
    assert all(p.file == str(path) for p in problems)


def test_lint_reports_every_problem_in_every_file_at_once() -> None:
    problems = lint_paths([BROKEN])
    files = {Path(p.file).stem for p in problems}
    assert files == {p.stem for p in BROKEN.glob("*.yaml")}


def test_lint_of_the_valid_fixture_is_clean(minimal_path: Path) -> None:
    assert lint_paths([minimal_path]) == []


def test_lint_reports_a_scenario_id_used_twice(tmp_path: Path, minimal_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(minimal_path.read_text())
    problems = lint_paths([tmp_path])
    dup = [p for p in problems if "already used" in p.message]
    assert len(dup) == 1
    assert dup[0].file.endswith("b.yaml") and dup[0].line == 2 and dup[0].path == "id"


def test_lint_names_a_missing_path() -> None:
    problems = lint_paths(["no/such/place.yaml"])
    assert problems[0].message == "no such file or folder"


def test_problem_format_is_file_line_path_severity_message(minimal_path: Path) -> None:
    path = BROKEN / "missing_target.yaml"
    first = lint_paths([path])[0].format()
    assert re.match(r"^.+missing_target\.yaml:\d+: nodes\.[a-z_.\[\]0-9]+: error: .+", first)


def test_schema_reference_and_logic_problems_are_reported_in_one_pass(
    tmp_path: Path, minimal_path: Path
) -> None:
    text = (
        minimal_path.read_text()
        .replace("title: Minimal fixture", "title: Minimal fixture\ncolour: blue")
        .replace("summary: A tiny", "summary: Twice.\nsummary: A tiny")
        .replace(
            "        next: roll\n      - id: wait",
            "        next: rol\n        flavour: x\n      - id: wait",
            1,
        )
        .replace('"trust += 1"', '"trusst += 1"')
        .replace("text: You arrive at the door.", "text: You arrive, then knock.")
    )
    path = tmp_path / "six.yaml"
    path.write_text(text)
    messages = [p.message for p in lint_paths([path])]
    assert len(messages) == 6, messages
    assert any("unknown key 'colour'" in m for m in messages)
    assert any("duplicate key 'summary'" in m for m in messages)
    assert any("unknown key 'flavour'" in m for m in messages)
    assert any("'trusst' is not a declared variable" in m for m in messages)
    assert any("next node 'rol' does not exist" in m for m in messages)
    assert any("quote this text" in m for m in messages)


def test_a_wrong_type_in_an_optional_block_does_not_hide_the_logic_problems(
    tmp_path: Path, minimal_path: Path
) -> None:
    text = (
        minimal_path.read_text()
        .replace("timeout: {seconds: 15, default: wait}", 'timeout: {seconds: "15", default: wait}')
        .replace("        next: roll\n      - id: wait", "        next: rol\n      - id: wait", 1)
        .replace('guard: "not announced or agitation > 8"', "guard: 5")
    )
    path = tmp_path / "three.yaml"
    path.write_text(text)
    found = {(p.path, p.message.split(";")[0]) for p in lint_paths([path])}
    assert found == {
        ("nodes.door.timeout.seconds", "'15' is not a number (it is in quotes: remove them)"),
        ("nodes.door.choices[0].next", "next node 'rol' does not exist"),
        ("nodes.upset.choices[1].guard", "5 is not text"),
    }
