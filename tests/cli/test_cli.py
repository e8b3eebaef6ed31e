"""The parolesim command line, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.clirun import cli

ROOT = Path(__file__).resolve().parents[2]

MINIMAL = "tests/fixtures/scenarios/minimal.yaml"


def test_run_with_the_same_seed_prints_identical_json_twice() -> None:
    a = cli("run", MINIMAL, "--seed", "9", "--auto", "random", "--json")
    b = cli("run", MINIMAL, "--seed", "9", "--auto", "random", "--json")
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    log = json.loads(a.stdout)
    assert log["scenario"]["id"] == "fixture-minimal" and len(log["scenario"]["hash"]) == 64
    assert log["seed"] == 9
    assert all("type" in e for e in log["events"])
    assert log["ending"]["outcome"] in {"resolved", "disengaged"}


def test_run_follows_given_choices_including_a_timeout() -> None:
    r = cli("run", MINIMAL, "--seed", "1", "--choices", "timeout,talk", "--json")
    if r.returncode != 0:  # seed 1 may draw the upset branch; then listening ends it
        r = cli("run", MINIMAL, "--seed", "1", "--choices", "timeout,listen", "--json")
    assert r.returncode == 0, r.stderr
    types = [e["type"] for e in json.loads(r.stdout)["events"]]
    assert "timed_out" in types and types[-1] == "ended"


def test_run_reports_a_wrong_choice_with_what_is_available() -> None:
    r = cli("run", MINIMAL, "--choices", "kick_door")
    assert r.returncode == 1
    assert "available now: knock, wait" in r.stderr


def test_run_without_choices_or_auto_is_a_usage_error() -> None:
    r = cli("run", MINIMAL)
    assert r.returncode == 2
    assert "--choices" in r.stderr


def test_unknown_command_and_bad_seed_are_usage_errors() -> None:
    assert cli("fly").returncode == 2
    r = cli("run", MINIMAL, "--seed", "abc", "--auto", "first")
    assert r.returncode == 2 and "whole number" in r.stderr


def test_unknown_scenario_id_is_a_content_error_naming_known_ids() -> None:
    r = cli("run", "no-such-scenario", "--auto", "first")
    assert r.returncode == 1
    assert "no scenario with id 'no-such-scenario'" in r.stderr


def test_lint_exit_codes_and_output_format() -> None:
    ok = cli("lint", "tests/fixtures/scenarios")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = cli("lint", "tests/fixtures/broken/missing_target.yaml")
    assert bad.returncode == 1
    assert (
        "tests/fixtures/broken/missing_target.yaml:82: nodes.upset.choices[1].next: error:"
        in bad.stdout
    )
    as_json = json.loads(cli("lint", "--json", "tests/fixtures/broken/missing_target.yaml").stdout)
    assert {p["line"] for p in as_json} >= {82}


def test_lint_of_the_library_is_clean() -> None:
    r = cli("lint", "scenarios")
    assert r.returncode == 0, r.stdout + r.stderr


def test_schema_is_json_schema_of_the_format() -> None:
    r = cli("schema")
    schema = json.loads(r.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "nodes" in schema["properties"] and "schema_version" in schema["required"]


def test_list_shows_the_library_as_json() -> None:
    r = cli("list", "--json", "--root", "tests/fixtures/scenarios")
    rows = json.loads(r.stdout)
    assert {row["id"] for row in rows} == {"fixture-minimal", "fixture-mechanics"}
    assert {"id", "title", "family", "difficulty", "minutes", "path"} <= set(rows[0])


def test_play_text_plays_to_an_ending_from_typed_input() -> None:
    r = cli("play", "--text", MINIMAL, "--seed", "3", stdin="c\nn checked the file\n1\n1\n1\n")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "CASE FILE — Sam Ortega" in r.stdout
    assert "1. Knock and announce yourself." in r.stdout
    assert "timed: 15 seconds" in r.stdout
    assert "===" in r.stdout


def test_q_in_play_text_is_the_trainees_choice_and_exits_0() -> None:
    r = cli("play", "--text", MINIMAL, "--seed", "3", stdin="q\n")
    assert r.returncode == 0, r.stderr
    assert "Stopped before the end." in r.stdout


def test_play_text_stops_cleanly_when_input_ends() -> None:
    r = cli("play", "--text", MINIMAL, "--seed", "3", stdin="")
    assert r.returncode == 1
    assert "Stopped before the end." in r.stdout


def test_the_app_without_a_screen_says_so_first_and_points_to_text_mode() -> None:
    from tests.clirun import cli_process

    r = cli_process(drop=("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER", "XDG_RUNTIME_DIR"))
    assert r.returncode == 1
    assert r.stderr.startswith("parolesim: no screen to open the app on"), r.stderr
    assert "parolesim play --text" in r.stderr


def test_choices_the_cli_writes_out_are_the_stores_and_exporters() -> None:
    from simulator.commands import recording, records, reports
    from simulator.exports.xapi import DEFAULT_BASE
    from simulator.store.schema import MODES, ROLES

    assert recording.MODES == MODES and records.ROLES == ROLES
    assert reports.DEFAULT_BASE == DEFAULT_BASE


def test_db_may_come_after_the_command(tmp_path: Path) -> None:
    from tests.clirun import cli as run

    db = tmp_path / "r.sqlite3"
    r = run("db", "upgrade", "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert db.is_file()


def test_every_option_of_every_command_says_what_it_does() -> None:
    import argparse

    from simulator.cli import build_parser

    def walk(parser: argparse.ArgumentParser, name: str) -> list[str]:
        missing = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub_name, child in action.choices.items():
                    missing += walk(child, f"{name} {sub_name}")
            elif action.option_strings and action.help is None:
                missing.append(f"{name} {action.option_strings[0]}")
        return missing

    assert walk(build_parser(), "parolesim") == []


def test_list_of_an_empty_folder_says_so_on_stderr(tmp_path: Path) -> None:
    r = cli("list", "--root", str(tmp_path))
    assert r.stdout == "" and "no scenarios found under" in r.stderr


def test_benchmarks_json_output_has_no_pygame_greeting_before_it() -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYGAME_HIDE_SUPPORT_PROMPT"}
    code = "import benchmarks.__main__, pygame"
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert r.stdout == ""


def test_each_command_named_in_the_fast_table_is_registered_by_that_module() -> None:
    import argparse

    from simulator.cli import COMMAND_HOMES, build_parser

    for command, module in COMMAND_HOMES.items():
        parser = build_parser((module,))
        (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        assert command in sub.choices, (command, module)


def test_building_every_command_loads_no_store_scorer_or_numpy() -> None:
    """``parolesim --help`` must stay instant: command groups import heavy parts when they run."""
    code = (
        "import sys\n"
        "from simulator.cli import build_parser\n"
        "build_parser()\n"
        "heavy = [m for m in ('sqlalchemy', 'numpy', 'pydantic', 'scoring.scorer',"
        " 'simulator.store', 'starlette', 'httpx') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
