"""``parolesim cohort-report`` as an instructor runs it: text, JSON and an HTML page, on the
database directly and through a records server, with clear errors for wrong input."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.store import Store
from tests.analytics.cohort_seed import PASSWORD, Academy, academy
from tests.clirun import cli
from tests.remote.serving import serving
from tests.store.conftest import _quick_password_hashes

__all__ = ["_quick_password_hashes"]


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[tuple[str, Store, Academy]]:
    url = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    with Store.open(url) as store:
        yield url, store, academy(store)


def _as_ines(*args: str) -> list[str]:
    return [*args, "--user", "ines", "--password-stdin"]


def test_text_report_shows_choices_scores_and_missed_policies(
    seeded: tuple[str, Store, Academy],
) -> None:
    url, _store, _ = seeded
    done = cli("--db", url, *_as_ines("cohort-report", "Class 26-1"), stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Cohort Class 26-1 (all scenarios, all dates): 3 trainees")
    assert "5 attempts" in out and "most-missed policies:" in out
    block = out[out.index("  prep_file: How do you start?") :]
    assert "reached 4x, within policy 50%" in block
    assert re.search(r"2 +50%  Read the case file.*\[read_file, exemplary\]", block)
    assert re.search(r"0 +0%  Head straight out.*\[radio_later, not chosen\]", out)
    later = cli(
        "--db",
        url,
        *_as_ines("cohort-report", "Class 26-1", "--since", "2099-01-01"),
        stdin=PASSWORD,
    )
    assert later.returncode == 0
    assert later.stdout.splitlines()[1:] == [
        "no completed, scored attempts match: nothing to aggregate yet"
    ]


def test_json_and_html_carry_the_same_figures(
    seeded: tuple[str, Store, Academy], tmp_path: Path
) -> None:
    url, _store, _ = seeded
    page = tmp_path / "class.html"
    done = cli(
        "--db",
        url,
        *_as_ines(
            "cohort-report",
            "Class 26-1",
            "--scenario",
            "hv-routine-visitor",
            "--json",
            "--html",
            str(page),
        ),
        stdin=PASSWORD + "\n",
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["cohort"] == "Class 26-1" and data["scenario"] == "hv-routine-visitor"
    assert data["attempts"] == 4
    first = data["scenarios"][0]["decisions"][0]
    assert [(o["choice"], o["count"]) for o in first["options"]] == [
        ("read_file", 2),
        ("ask_priya", 1),
        ("skim_and_go", 1),
    ]
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "http" not in html
    assert html.count("<svg") >= 4  # scores, missed policies, competencies, a decision each
    assert 'aria-label="how the cohort chose at prep_file"' in html
    assert "2 · 50% · exemplary" in html


def test_through_a_records_server_the_report_is_the_same(
    seeded: tuple[str, Store, Academy],
) -> None:
    url, store, _ = seeded
    direct = cli("--db", url, *_as_ines("cohort-report", "Class 26-1", "--json"), stdin=PASSWORD)
    with serving(store) as server:
        remote = cli(
            "--server", server, *_as_ines("cohort-report", "Class 26-1", "--json"), stdin=PASSWORD
        )
    assert remote.returncode == 0, remote.stderr
    assert json.loads(remote.stdout) == json.loads(direct.stdout)


def test_wrong_input_gets_a_one_line_error(seeded: tuple[str, Store, Academy]) -> None:
    url, _store, _ = seeded
    bad_date = cli("--db", url, *_as_ines("cohort-report", "Class 26-1", "--since", "30/11/2026"))
    assert bad_date.returncode == 2
    assert "expected a date as YYYY-MM-DD" in bad_date.stderr
    unknown = cli(
        "--db",
        url,
        *_as_ines("cohort-report", "Class 26-1", "--scenario", "no-such"),
        stdin=PASSWORD,
    )
    assert unknown.returncode == 2
    assert unknown.stderr.strip().endswith("`parolesim list` shows the scenario ids")
    missing = cli("--db", url, *_as_ines("cohort-report", "Class 99"), stdin=PASSWORD)
    assert missing.returncode == 1 and "no cohort named or numbered 'Class 99'" in missing.stderr
    trainee = cli("--db", url, "cohort-report", "Class 26-1", "--user", "alice")
    assert trainee.returncode == 1
    assert "alice (trainee) may not see the analytics of Class 26-1" in trainee.stderr
