"""Hostile and unusual input: one line naming file and line, exit 1, never a traceback.

Property tests fuzz scenario YAML, expressions, session logs and MITI CSVs and hold
that nothing escapes but the project's own errors, each naming a line, in bounded time.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import chain_scenario
from engine.compile import compile_scenario
from engine.expr import ExprError, parse
from engine.graph import longest_decision_path
from engine.library import discover
from engine.loader import load_scenario
from engine.problems import ContentError
from engine.session import ReplayError, Session, check_log, replay
from engine.yamlload import load_text
from scoring.miti import MitiCsvError, parse_coded_csv
from tests.clirun import cli, cli_process

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "scenarios" / "minimal.yaml"
FAST = settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def _library_with(tmp_path: Path, name: str, text: str) -> Path:
    shutil.copy(MINIMAL, tmp_path / "minimal.yaml")
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


HOSTILE = {
    "deep.yaml": "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 500)) + "  " * 500 + "c: 1\n",
    "parens.yaml": MINIMAL.read_text().replace(
        'initial: "mood * 10"', 'initial: "' + "(" * 100 + "mood" + ")" * 100 + '"'
    ),
    "digits.yaml": MINIMAL.read_text().replace(
        'initial: "mood * 10"', 'initial: "' + "9" * 1900 + '"'
    ),
    "long_guard.yaml": MINIMAL.read_text().replace(
        "        facts: [announced_presence]",
        '        guard: "'
        + " or ".join(["trust > 1"] * 150)
        + '"\n        facts: [announced_presence]',
        1,
    ),
    "infinite.yaml": MINIMAL.read_text().replace("max: 10, initial: 5", "max: .inf, initial: 5"),
    "python_tag.yaml": MINIMAL.read_text().replace(
        "title: Minimal fixture", 'title: !!python/object/apply:os.system ["true"]'
    ),
}


def test_each_hostile_file_is_one_error_with_a_line_and_the_rest_of_the_library_still_loads(
    tmp_path: Path,
) -> None:
    for name, text in HOSTILE.items():
        folder = tmp_path / name.removesuffix(".yaml")
        folder.mkdir()
        root = _library_with(folder, name, text.replace("id: fixture-minimal", "id: hostile"))
        lib = discover(root)
        assert [sf.scenario.id for sf in lib.scenarios] == ["fixture-minimal"], name
        assert lib.problems and all(p.file.endswith(name) and p.line >= 1 for p in lib.problems)
        listed = cli("list", "--root", str(root))
        assert listed.returncode == 1 and "fixture-minimal" in listed.stdout, name
        assert "Traceback" not in listed.stderr
        linted = cli("lint", str(root))
        assert linted.returncode == 1 and "Traceback" not in linted.stdout + linted.stderr, name
        assert all(line.startswith(str(root)) for line in linted.stdout.splitlines()), name
        ran = cli("run", str(root / "minimal.yaml"), "--auto", "first", "--seed", "1")
        assert ran.returncode == 0, ran.stderr


def test_list_measures_the_generated_thousand_decision_chain(tmp_path: Path) -> None:
    path = tmp_path / "chain.yaml"
    path.write_text(chain_scenario(1000), encoding="utf-8")
    sf = load_scenario(path)
    assert longest_decision_path(sf.scenario) == sf.scenario.decision_count()
    listed = json.loads(cli("list", "--root", str(tmp_path), "--json").stdout)
    assert listed[0]["longest_path_decisions"] == sf.scenario.decision_count()


def test_a_folder_given_as_a_scenario_is_explained() -> None:
    r = cli("run", str(ROOT / "scenarios" / "home_visit"), "--auto", "first")
    assert r.returncode == 1
    assert r.stderr.strip().endswith(
        "is a folder; name one scenario file in it or a scenario id (see 'parolesim list')"
    )


def test_an_unknown_id_is_named_without_a_made_up_line_number() -> None:
    r = cli("run", "nope-scenario", "--auto", "first")
    assert r.returncode == 1 and r.stderr.startswith("nope-scenario: error: no scenario with id")


def test_a_hostile_library_file_is_one_line_in_a_real_process_too(tmp_path: Path) -> None:
    root = _library_with(tmp_path, "deep.yaml", HOSTILE["deep.yaml"])
    r = cli_process("lint", str(root))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stdout.splitlines()[0].startswith(f"{root / 'deep.yaml'}:")


# ---------------------------------------------------------------- property tests


def _tokens(*pieces: str, size: int = 150) -> st.SearchStrategy[str]:
    """Text built from ``pieces`` (single characters and whole words)."""
    return st.lists(st.sampled_from(pieces), max_size=size).map("".join)


yaml_text = _tokens(*"abc:-[]{}!&*'\"#|>?,. \n\t0129", "!!python/", "!!binary ", "  ")


@FAST
@given(yaml_text)
def test_any_yaml_text_loads_or_fails_with_our_error_naming_a_line(text: str) -> None:
    try:
        load_text(text, "fuzz.yaml")
    except ContentError as exc:
        assert all(p.file == "fuzz.yaml" and p.line >= 1 for p in exc.problems)


@FAST
@given(_tokens(*"x1.()-+*/<>=! ,'", "and ", "or ", "not ", "max", size=400))
def test_any_expression_parses_or_fails_with_our_error_naming_a_column(text: str) -> None:
    try:
        parse(text)
    except ExprError as exc:
        assert 1 <= exc.column <= len(text) + 1


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)
_event = st.fixed_dictionaries(
    {},
    optional={
        "seq": _json,
        "type": st.sampled_from(["started", "chose", "note", "x"]) | _json,
        "t": _json,
        "choice": _json,
        "node": _json,
        "seed": _json,
    },
)


@FAST
@given(
    st.fixed_dictionaries(
        {},
        optional={"seed": _json, "events": st.lists(_event, max_size=4) | _json, "format": _json},
    )
)
def test_any_session_log_replays_or_fails_with_our_error(log: dict[str, object]) -> None:
    compiled = compile_scenario(load_scenario(MINIMAL))
    log["scenario"] = {"id": compiled.scenario.id, "hash": compiled.hash}
    try:
        check_log(log)
        replay(compiled, log)
    except ReplayError:
        pass


def test_a_real_log_still_passes_the_shape_check() -> None:
    compiled = compile_scenario(load_scenario(MINIMAL))
    session = Session.start(compiled, 3, clock=lambda: 0.0, wall_clock=False)
    session.choose("knock")
    check_log(session.to_log())


@FAST
@given(_tokens(*'GICRSQ,;"\n\r x', "code", "empathy", "5", size=300))
def test_any_miti_csv_is_read_or_refused_naming_a_line(text: str) -> None:
    try:
        parse_coded_csv("code,empathy\n" + text, "fuzz.csv")
    except MitiCsvError as exc:
        assert str(exc).startswith("fuzz.csv:")


def test_run_by_id_reports_the_problems_of_the_broken_file_named_after_it(tmp_path: Path) -> None:
    shutil.copy(MINIMAL, tmp_path / "fixture-minimal.yaml")
    (tmp_path / "fixture-minimal.yaml").write_text(
        MINIMAL.read_text().replace("next: roll", "next: nowhere", 1)
    )
    r = cli(
        "run",
        "fixture-minimal",
        "--auto",
        "first",
        env={**os.environ, "PAROLESIM_SCENARIOS": str(tmp_path)},
    )
    assert r.returncode == 1
    assert "fixture-minimal.yaml:" in r.stderr and "next node 'nowhere' does not exist" in r.stderr


def test_a_product_past_the_float_range_clamps_and_never_crashes_the_run() -> None:
    from engine.loader import load_scenario_text

    huge = " * ".join(["99999999999999.0"] * 25)  # floats: past 1e308 they become inf
    text = MINIMAL.read_text().replace('"trust += 1"', f'"trust = {huge} - {huge}"')
    session = Session.start(
        compile_scenario(load_scenario_text(text, "huge.yaml")),
        3,
        clock=lambda: 0.0,
        wall_clock=False,
    )
    session.choose("knock")
    assert session.vars["trust"] == 0  # NaN (inf - inf) counts as the minimum
