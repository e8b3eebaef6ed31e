"""The line-aware loader: YAML 1.1 surprises off, lines kept, limits enforced."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.problems import ContentError
from engine.yamlload import MAX_FILE_BYTES, content_hash, dotted, load_file, load_text


def test_yes_no_on_off_stay_strings() -> None:
    doc = load_text("a: yes\nb: no\nc: on\nd: off\ne: Yes\n")
    assert doc.data == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": "Yes"}


def test_sexagesimal_and_octal_lookalikes_stay_strings() -> None:
    doc = load_text("time: 1:30\nzip: 01234\nmode: 0o755\n")
    assert doc.data == {"time": "1:30", "zip": "01234", "mode": "0o755"}


def test_true_false_numbers_and_null_are_typed() -> None:
    doc = load_text("a: true\nb: False\nc: 12\nd: -3.5\ne: null\nf: ~\ng: 1e3\n")
    assert doc.data == {
        "a": True,
        "b": False,
        "c": 12,
        "d": -3.5,
        "e": None,
        "f": None,
        "g": 1000.0,
    }


def test_quoted_values_are_always_strings() -> None:
    doc = load_text("a: 'true'\nb: \"12\"\n")
    assert doc.data == {"a": "true", "b": "12"}


def test_every_value_keeps_its_line() -> None:
    doc = load_text("top:\n  list:\n    - one\n    - {x: 1}\n  key: v\n")
    assert doc.line_of(("top",)) == 1
    assert doc.line_of(("top", "list", 0)) == 3
    assert doc.line_of(("top", "list", 1, "x")) == 4
    assert doc.line_of(("top", "key")) == 5
    assert doc.line_of(("top", "missing", "deeper")) == 1


def test_duplicate_keys_are_reported_with_their_line() -> None:
    with pytest.raises(ContentError) as err:
        load_text("a: 1\nb: 2\na: 3\n", "f.yaml")
    problem = err.value.problems[0]
    assert (problem.file, problem.line) == ("f.yaml", 3)
    assert "duplicate key 'a'" in problem.message


def test_syntax_error_names_file_and_line() -> None:
    with pytest.raises(ContentError) as err:
        load_text("a: [1, 2\nb: 3\n", "bad.yaml")
    problem = err.value.problems[0]
    assert problem.file == "bad.yaml" and problem.line >= 2
    assert problem.message.startswith("YAML syntax:")


def test_alias_bomb_is_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    with pytest.raises(ContentError) as err:
        load_text("\n".join(lines) + "\n")
    assert "too many values" in err.value.problems[0].message


def test_a_few_aliases_are_allowed() -> None:
    doc = load_text("base: &b {x: 1}\nuse: *b\n")
    assert doc.data["use"] == {"x": 1}


def test_merge_keys_and_custom_tags_are_refused() -> None:
    with pytest.raises(ContentError, match="merge keys"):
        load_text("base: &b {x: 1}\nuse:\n  <<: *b\n")
    with pytest.raises(ContentError, match="is not part of the scenario format"):
        load_text("a: !python/name:os.system x\n")


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object/apply:os.system ['echo hi']\n", "!!python/object/apply:os.system"),
        ("a: !!binary aGVsbG8=\n", "!!binary"),
        ("a: !!set {x}\n", "!!set"),
        ("a: !!timestamp 2026-01-01\n", "!!timestamp"),
    ],
)
def test_tags_the_format_does_not_define_are_refused_with_their_line(text: str, tag: str) -> None:
    with pytest.raises(ContentError) as info:
        load_text("ok: 1\n" + text)
    (problem,) = info.value.problems
    assert problem.line == 2 and f"YAML tag '{tag}' is not part of the scenario format" in (
        problem.message
    )


def test_core_tags_still_mean_what_they_say() -> None:
    assert load_text("a: !!str 5\nb: !!int 5\n").data == {"a": "5", "b": 5}


@pytest.mark.parametrize(
    "text",
    [
        "[" * 1000 + "]" * 1000,
        "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 600)) + "  " * 600 + "c: 1\n",
    ],
)
def test_values_nested_hundreds_deep_are_refused_with_a_line_not_a_crash(text: str) -> None:
    with pytest.raises(ContentError, match="nested more than 64 levels deep") as info:
        load_text(text)
    assert info.value.problems[0].line >= 1


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * (MAX_FILE_BYTES + 1) + "\n")
    with pytest.raises(ContentError, match="larger than"):
        load_file(big)


def test_non_utf8_and_missing_files_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("name: Jos\xe9\n".encode("latin-1"))
    with pytest.raises(ContentError, match="not UTF-8"):
        load_file(bad)
    with pytest.raises(ContentError, match="cannot read"):
        load_file(tmp_path / "absent.yaml")


def test_content_hash_ignores_key_order_and_formatting() -> None:
    a = load_text("x: 1\ny: [1, 2]\n").data
    b = load_text("y:\n  - 1\n  - 2\nx: 1   # comment\n").data
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash({"x": 2, "y": [1, 2]})


def test_dotted_paths_read_like_the_file() -> None:
    assert dotted(("nodes", "door", "choices", 1, "next")) == "nodes.door.choices[1].next"


def test_the_parse_cache_gives_the_same_document_and_survives_damage(tmp_path: Path) -> None:
    from engine.yamlload import load_file_lenient, set_parse_cache

    source = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "minimal.yaml"
    fresh, problems = load_file_lenient(source)
    assert problems == []
    set_parse_cache(tmp_path / "cache")
    try:
        load_file_lenient(source)  # parses and stores
        (entry,) = (tmp_path / "cache").rglob("*.marshal")
        second, _ = load_file_lenient(source)  # from the cache
        assert (second.file, second.data, second.lines) == (fresh.file, fresh.data, fresh.lines)
        entry.write_bytes(b"\x00damaged")
        third, _ = load_file_lenient(source)  # a damaged entry is parsed again
        assert third.data == fresh.data
        broken = tmp_path / "dup.yaml"
        broken.write_text("a: 1\na: 2\n", encoding="utf-8")
        _, found = load_file_lenient(broken)
        assert found and len(list((tmp_path / "cache").rglob("*.marshal"))) == 1
    finally:
        set_parse_cache(None)
