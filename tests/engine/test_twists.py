"""A briefing sets up the contact without giving away what play reveals (engine.twists)."""

from __future__ import annotations

from pathlib import Path

from engine.lint import lint_paths
from engine.problems import Problem, Severity
from tests.conftest import SCENARIOS

WEAPON = SCENARIOS / "home_visit" / "hv-weapon-disengage.yaml"
# The summary this scenario had before the briefing audit: it told the trainee which
# weapon the seed could bring into the room.
GIVEAWAY = (
    "summary: >-\n"
    "  A routine visit to Terry Vance. Part way through the visit a firearm is in the room:\n"
    "  the brother comes home with a pistol on his hip, or there is only a box of shells.\n"
)


def _with_summary(tmp_path: Path, summary: str, source: Path = WEAPON) -> Path:
    lines = source.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("  "))
    out = tmp_path / source.name
    out.write_text("".join([*lines[:start], summary, *lines[end:]]))
    return out


def _twist_warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if "twist" in p.message or "seeded variation" in p.message]


def test_the_library_scenario_as_written_has_no_giveaway() -> None:
    assert _twist_warnings(lint_paths([WEAPON])) == []


def test_a_summary_naming_a_declared_twist_is_warned_at_its_line(tmp_path: Path) -> None:
    path = _with_summary(tmp_path, GIVEAWAY)
    line = path.read_text().splitlines().index("summary: >-") + 1
    found = _twist_warnings(lint_paths([path]))
    assert {p.line for p in found} == {line}
    assert all(p.severity is Severity.WARNING for p in found)
    messages = " ".join(p.message for p in found)
    assert "'pistol'" in messages and "'box of shells'" in messages
    assert "Jesse comes home armed" in messages


def test_a_case_file_note_naming_a_twist_is_warned_too(tmp_path: Path) -> None:
    text = WEAPON.read_text()
    note = "  recent_notes:\n"
    assert note in text
    entry = '    - "Records check: a pistol is registered to Jesse."\n'
    leaked = text.replace(note, note + entry, 1)
    path = tmp_path / WEAPON.name
    path.write_text(leaked)
    found = _twist_warnings(lint_paths([path]))
    assert [p.path for p in found] == ["case_file.recent_notes[0]"]


def test_a_summary_that_lists_what_the_seed_can_draw_is_warned_without_any_declaration(
    tmp_path: Path,
) -> None:
    menu = (
        "summary: >-\n"
        "  A routine visit to Terry Vance. Whether the brother is home changes from run to run.\n"
    )
    found = _twist_warnings(lint_paths([_with_summary(tmp_path, menu)]))
    assert len(found) == 1 and "'from run to run'" in found[0].message


def test_a_twist_term_that_play_never_shows_is_a_stale_declaration(tmp_path: Path) -> None:
    text = WEAPON.read_text()
    stale = text.replace('terms: ["box of shells"]', 'terms: ["crossbow"]', 1)
    assert stale != text
    path = tmp_path / WEAPON.name
    path.write_text(stale)
    found = _twist_warnings(lint_paths([path]))
    assert len(found) == 1 and found[0].path == "twists[1].terms[0]"
    assert "never occurs in the play text" in found[0].message


def test_terms_match_whole_words_in_any_case(tmp_path: Path) -> None:
    harmless = "summary: >-\n  A visit to Terry Vance; he has begun a PISTOLERO cooking class.\n"
    assert _twist_warnings(lint_paths([_with_summary(tmp_path, harmless)])) == []
    loud = "summary: >-\n  A routine visit to Terry Vance. Watch for the PISTOL.\n"
    assert len(_twist_warnings(lint_paths([_with_summary(tmp_path, loud)]))) == 1


def test_text_in_a_mechanic_section_counts_as_play_text(tmp_path: Path) -> None:
    """The missed-test alert's wording exists only in the caseload mechanic's section."""
    source = SCENARIOS / "caseload_triage" / "cl-holiday-inherited.yaml"
    text = source.read_text()
    assert text.count("lab list came in") == 1
    old = 'terms: ["lost phone"'
    declared = text.replace(old, 'terms: ["lab list came in", "lost phone"', 1)
    assert declared != text
    path = tmp_path / source.name
    path.write_text(declared)
    assert _twist_warnings(lint_paths([path])) == []
