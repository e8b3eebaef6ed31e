"""The records commands as a user runs them: a real subprocess per command."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.clirun import cli as run_cli
from tests.store.helpers import MINIMAL
from tests.store.xapi_spec import problems_of


def cli(
    db: str, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_cli("--db", db, *args, stdin=stdin, drop=("PAROLESIM_USER",), env=env)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_an_academy_sets_up_records_trains_and_exports(db_url: str, tmp_path: Path) -> None:
    ok(
        cli(
            db_url,
            "users",
            "add",
            "rae",
            "--role",
            "admin",
            "--name",
            "Rae Okafor",
            "--password-stdin",
            stdin="admin-pass-1\n",
        )
    )
    admin = ("--user", "rae", "--password-stdin")
    ines = ("--user", "ines", "--password-stdin")
    ok(
        cli(
            db_url,
            "users",
            "add",
            "alice",
            "--name",
            "Alice Nguyen",
            *admin,
            stdin="admin-pass-1\nalice-pass-1\n",
        )
    )
    ok(
        cli(
            db_url,
            "users",
            "add",
            "ines",
            "--role",
            "instructor",
            *admin,
            stdin="admin-pass-1\nines-pass-1\n",
        )
    )
    ok(cli(db_url, "cohorts", "add", "Class 26-1", *admin, stdin="admin-pass-1\n"))
    ok(cli(db_url, "cohorts", "enrol", "Class 26-1", "alice", *admin, stdin="admin-pass-1\n"))
    ok(
        cli(
            db_url,
            "cohorts",
            "enrol",
            "Class 26-1",
            "ines",
            "--instructor",
            *admin,
            stdin="admin-pass-1\n",
        )
    )
    cohorts = json.loads(ok(cli(db_url, "cohorts", "list", "--json", *ines, stdin="ines-pass-1\n")))
    assert cohorts[0]["trainees"] == ["alice"] and cohorts[0]["instructors"] == ["ines"]

    run = cli(
        db_url,
        "run",
        str(MINIMAL),
        "--auto",
        "first",
        "--seed",
        "4",
        "--json",
        "--trainee",
        "alice",
        "--password-stdin",
        stdin="alice-pass-1\n",
    )
    log = json.loads(ok(run))
    assert "recorded attempt 1" in run.stderr

    progress = json.loads(
        ok(cli(db_url, "progress", "--json", "--trainee", "alice", *ines, stdin="ines-pass-1\n"))
    )
    assert progress[0]["attempts"] == 1 and progress[0]["completed"] == 1

    exported = json.loads(
        ok(
            cli(
                db_url,
                "export",
                "--format",
                "json",
                "--cohort",
                "Class 26-1",
                *ines,
                stdin="ines-pass-1\n",
            )
        )
    )
    assert exported["attempts"][0]["log"]["events"] == log["events"]

    csv_file, xapi_file = tmp_path / "attempts.csv", tmp_path / "statements.json"
    ok(
        cli(
            db_url,
            "export",
            "--format",
            "csv",
            "-o",
            str(csv_file),
            *ines,
            stdin="ines-pass-1\n",
        )
    )
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbfattempt_id,")
    ok(
        cli(
            db_url,
            "export",
            "--format",
            "xapi",
            "-o",
            str(xapi_file),
            "--trainee",
            "alice",
            "--password-stdin",
            stdin="alice-pass-1\n",
        )
    )
    statements = json.loads(xapi_file.read_text())
    assert statements and all(problems_of(s) == [] for s in statements)

    denied = cli(db_url, "progress", "--trainee", "rae", *ines, stdin="ines-pass-1\n")
    assert denied.returncode == 1 and "ines (instructor) may not" in denied.stderr
    audit = json.loads(
        ok(cli(db_url, "audit", "--denied", "--json", *admin, stdin="admin-pass-1\n"))
    )
    assert audit[0]["actor"] == "ines" and audit[0]["allowed"] is False


def test_passwords_are_never_plain_arguments_and_wrong_ones_fail(tmp_path: Path) -> None:
    db = str(tmp_path / "records.sqlite3")
    ok(
        cli(
            db, "users", "add", "rae", "--role", "admin", "--password-stdin", stdin="admin-pass-1\n"
        )
    )
    plain = cli(db, "users", "add", "bob", "--password", "hunter22", "--user", "rae")
    assert plain.returncode == 2 and "never given as arguments" in plain.stderr
    assert "hunter22" not in plain.stderr
    wrong = cli(db, "users", "list", "--user", "rae", "--password-stdin", stdin="nope\n")
    assert wrong.returncode == 1 and "unknown account or wrong password" in wrong.stderr
    no_terminal = cli(db, "users", "list", "--user", "rae", stdin="")
    assert no_terminal.returncode == 2 and "use --password-stdin" in no_terminal.stderr
    ok(cli(db, "users", "passwd", "rae", "--password-stdin", stdin="admin-pass-1\nnew-pass-22\n"))
    listed = json.loads(
        ok(
            cli(
                db,
                "users",
                "list",
                "--json",
                "--user",
                "rae",
                "--password-stdin",
                stdin="new-pass-22\n",
            )
        )
    )
    assert [p["username"] for p in listed] == ["rae"]


def test_play_text_records_and_resume_lists_unfinished_attempts(tmp_path: Path) -> None:
    db = str(tmp_path / "records.sqlite3")
    ok(cli(db, "users", "add", "alice", "--no-password"))
    stopped = cli(
        db, "play", "--text", str(MINIMAL), "--seed", "3", "--trainee", "alice", stdin="1\n"
    )
    assert stopped.returncode == 1 and "resume 1 --user alice" in stopped.stderr
    listing = ok(cli(db, "resume", "--trainee", "alice"))
    assert "fixture-minimal" in listing and listing.split()[0] == "1"
    again = cli(db, "play", "--text", str(MINIMAL), "--seed", "3", "--trainee", "alice", stdin="")
    assert "attempt 1 (Minimal fixture" in again.stderr and "is unfinished" in again.stderr
    finished = cli(db, "resume", "1", "--user", "alice", stdin="1\n")
    assert finished.returncode == 0 and "recorded attempt 1" in finished.stderr
    refused = cli(db, "resume", "1", "--user", "alice", stdin="1\n")
    assert refused.returncode == 1 and "only an unfinished attempt can be resumed" in refused.stderr


def test_db_check_and_upgrade_report_plainly(tmp_path: Path) -> None:
    db = tmp_path / "records.sqlite3"
    missing = cli(str(db), "db", "check")
    assert missing.returncode == 1 and "no records database" in missing.stderr
    assert "schema upgraded from (empty)" in ok(cli(str(db), "db", "upgrade"))
    assert "schema is current" in ok(cli(str(db), "db", "upgrade"))
    checked = ok(cli(str(db), "db", "check"))
    assert "(current)" in checked and "people: 0 rows" in checked


def test_a_damaged_file_is_reported_by_every_command_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "records.sqlite3"
    db.write_bytes(b"this is somebody's thesis, not a database\n" * 100)
    before = db.read_bytes()
    for args in (("db", "check"), ("db", "upgrade"), ("users", "add", "alice", "--no-password")):
        result = cli(str(db), *args)
        assert result.returncode == 1
        assert str(db) in result.stderr and "damaged" in result.stderr
        assert "Traceback" not in result.stderr
    assert db.read_bytes() == before


def test_a_locked_database_is_reported_with_the_file_name(tmp_path: Path) -> None:
    db = tmp_path / "records.sqlite3"
    ok(cli(str(db), "db", "upgrade"))
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    quick = {**os.environ, "PAROLESIM_LOCK_TIMEOUT": "0.5"}  # an academy may wait less
    try:
        env_timeout = cli(str(db), "users", "add", "alice", "--no-password", env=quick)
        wrong = cli(str(db), "users", "list", env={**quick, "PAROLESIM_LOCK_TIMEOUT": "soon"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert env_timeout.returncode == 1
    assert str(db) in env_timeout.stderr and "locked" in env_timeout.stderr
    assert "(waited 0.5 s)" in env_timeout.stderr  # the setting, not the 10 s default
    assert wrong.returncode == 1
    assert "PAROLESIM_LOCK_TIMEOUT must be a number of seconds" in wrong.stderr


@pytest.mark.parametrize("command", [("progress",), ("export", "--format", "csv")])
def test_reading_records_without_saying_who_you_are_is_a_usage_error(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    db = str(tmp_path / "records.sqlite3")
    result = cli(db, *command)
    assert result.returncode == 2 and "--user" in result.stderr
