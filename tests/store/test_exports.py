"""Exports: CSV that opens in a spreadsheet, JSON with everything, and xAPI 1.0.3
statements checked field by field against the specification's rules."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import timedelta

import pytest

from simulator.exports.csv_json import CSV_COLUMNS, to_csv, to_json
from simulator.exports.xapi import iso_duration, to_statements
from simulator.store import InvalidRecord, Store
from simulator.store.recording import AttemptRecord
from tests.store.conftest import Cast
from tests.store.helpers import finished_attempt, start_minimal
from tests.store.xapi_spec import problems_of


@pytest.fixture
def records(store: Store, cast: Cast) -> Store:
    finished_attempt(store, cast.alice, "alice", 81.5, True, officer_safety=80.0)
    finished_attempt(store, cast.alice, "alice", 42.0, False, officer_safety=40.0)
    start_minimal(store, cast.alice, "alice")  # unfinished
    finished_attempt(store, cast.bob, "bob", 77.0, True)
    return store


def test_csv_has_a_header_and_one_row_per_attempt(records: Store, cast: Cast) -> None:
    text = to_csv(records.attempts.records(cast.admin))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(next(csv.reader(io.StringIO(text)))) == CSV_COLUMNS
    assert len(rows) == 4
    assert [r["trainee"] for r in rows] == ["alice", "alice", "alice", "bob"]
    assert [r["status"] for r in rows] == ["completed", "completed", "in_progress", "completed"]
    assert [r["passed"] for r in rows] == ["yes", "no", "", "yes"]
    assert rows[0]["overall"] == "81.5" and int(rows[0]["decisions"]) >= 2


def test_csv_quotes_commas_quotes_newlines_and_defuses_formulas(store: Store, cast: Cast) -> None:
    store.add_person(cast.admin, "oneil", display_name='=HYPERLINK("x"), "Dee"\nO\'Neil')
    finished_attempt(store, cast.admin, "oneil", 60.0, True)
    text = to_csv(store.attempts.records(cast.admin, ["oneil"]))
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["trainee_name"] == '\'=HYPERLINK("x"), "Dee"\nO\'Neil'


def test_csv_file_is_utf8_with_bom_and_keeps_accents(
    records: Store, cast: Cast, tmp_path: object
) -> None:
    from pathlib import Path

    from simulator.commands.reports import write_output

    target = Path(str(tmp_path)) / "attempts.csv"
    records.add_person(cast.admin, "ines2", display_name="Inés Ñúñez")
    finished_attempt(records, cast.admin, "ines2", 70.0, True)
    write_output(to_csv(records.attempts.records(cast.admin, ["ines2"])), str(target), bom=True)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "Inés Ñúñez" in raw.decode("utf-8-sig")


def test_json_export_has_each_attempts_log_and_score(records: Store, cast: Cast) -> None:
    data = json.loads(json.dumps(to_json(records.attempts.records(cast.ines))))
    assert data["format"] == "parolesim-records/1"
    assert {a["trainee"]["username"] for a in data["attempts"]} == {"alice"}  # her cohort only
    done = data["attempts"][0]
    assert done["log"]["format"] == "parolesim-session/1" and done["score"]["overall"] == 81.5
    assert done["log"]["events"][0]["type"] == "started"


def test_every_xapi_statement_follows_the_specification(records: Store, cast: Cast) -> None:
    statements = to_statements(
        records.attempts.records(cast.admin), iri_base="https://academy.example.org/parolesim"
    )
    assert statements
    for st in statements:
        assert problems_of(st) == [], st


def test_xapi_has_one_answered_per_decision_plus_completed_and_passed_or_failed(
    records: Store, cast: Cast
) -> None:
    recs = records.attempts.records(cast.admin, ["alice"])
    statements = to_statements(recs)
    by_registration: dict[str, list[str]] = {}
    for st in statements:
        by_registration.setdefault(st["context"]["registration"], []).append(
            st["verb"]["id"].rsplit("/", 1)[1]
        )
    for rec in recs:
        verbs = by_registration.get(rec.attempt.uuid, [])
        decisions = sum(1 for e in rec.log["events"] if e["type"] in ("chose", "timed_out"))
        assert verbs.count("answered") == decisions
        if rec.attempt.status == "completed":
            assert rec.report is not None
            assert verbs[-2:] == ["completed", "passed" if rec.report["passed"] else "failed"]
        else:
            assert set(verbs) <= {"answered"}


def test_xapi_fields_carry_the_attempt(records: Store, cast: Cast) -> None:
    (rec, *_) = records.attempts.records(cast.admin, ["alice"])
    statements = [
        s for s in to_statements([rec]) if s["context"]["registration"] == rec.attempt.uuid
    ]
    answered, completed, passed = statements[0], statements[-2], statements[-1]
    assert answered["actor"]["account"]["name"] == "alice"
    assert answered["actor"]["name"] == "Alice Nguyen"
    assert answered["verb"] == {
        "id": "http://adlnet.gov/expapi/verbs/answered",
        "display": {"en-US": "answered"},
    }
    assert answered["object"]["id"].endswith("/scenarios/fixture-minimal/decisions/door")
    assert answered["object"]["definition"]["name"] == {"en-US": "What do you do?"}
    assert {c["id"] for c in answered["object"]["definition"]["choices"]} == {"knock", "wait"}
    assert answered["result"]["response"] == "knock"
    assert answered["context"]["contextActivities"]["parent"][0]["id"].endswith(
        "/scenarios/fixture-minimal"
    )
    extensions = answered["context"]["extensions"]
    assert rec.attempt.scenario.hash in extensions.values()
    assert rec.report is not None and rec.report["policy"]["hash"] in extensions.values()
    assert completed["result"]["completion"] is True
    assert completed["result"]["score"] == {"scaled": 0.815, "raw": 81.5, "min": 0, "max": 100}
    assert passed["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert passed["result"]["success"] is True
    assert to_statements([rec])[0]["id"] == answered["id"]  # the same on every export


def test_iso_durations_follow_iso_8601() -> None:
    assert [iso_duration(s) for s in (0, 12.5, 59.999, 61, 3723.4)] == [
        "PT0S",
        "PT12.5S",
        "PT1M",
        "PT1M1S",
        "PT1H2M3.4S",
    ]


def test_the_xapi_rules_catch_a_broken_statement() -> None:
    broken = {
        "id": "not-a-uuid",
        "version": "1.0.0",
        "actor": {"mbox": "mailto:a@example.org", "account": {"homePage": "x", "name": "a"}},
        "verb": {"id": "answered", "display": {"english": 3}},
        "object": {"id": "no iri here", "definition": {"choices": []}},
        "result": {"duration": "12 seconds", "score": {"scaled": 2}, "extensions": {"k": 1}},
        "context": {"registration": "r", "extensions": {"also not": 1}},
        "timestamp": "yesterday",
        "mood": "cheerful",
    }
    found = " | ".join(problems_of(broken))
    for expected in (
        "id is not a UUID",
        "version is not 1.0.3",
        "2 inverse functional identifiers",
        "verb.id is not an IRI",
        "bad language tag 'english'",
        "object.id is not an IRI",
        "choices without interactionType",
        "not an ISO 8601 duration",
        "outside -1..1",
        "result.extensions key 'k'",
        "registration is not a UUID",
        "timestamp 'yesterday'",
        "unknown property 'mood'",
    ):
        assert expected in found


def test_xapi_refuses_an_iri_base_that_is_not_an_absolute_address(
    records: Store, cast: Cast
) -> None:
    found = records.attempts.records(cast.admin, ["bob"])
    for bad in ("academy", "ftp://academy.example", "https://academy.example/a b", "https://x#y"):
        with pytest.raises(InvalidRecord, match="is not an absolute http"):
            to_statements(found, iri_base=bad)
    assert all(problems_of(s) == [] for s in to_statements(found, iri_base="https://a.example/p"))


def _ids(records: list[AttemptRecord]) -> list[tuple[str, str]]:
    return [(s["verb"]["display"]["en-US"], s["id"]) for s in to_statements(records)]


def test_a_rescore_gives_changed_statements_new_ids_and_keeps_the_others(
    records: Store, cast: Cast
) -> None:
    (record,) = records.attempts.records(cast.admin, ["bob"])
    before = _ids([record])
    assert _ids([record]) == before  # exporting again sends the same statements
    rescored = replace(record, report={**(record.report or {}), "overall": 12.0, "passed": False})
    after = _ids([rescored])
    assert len(after) == len(before)
    for (verb_before, id_before), (verb_after, id_after) in zip(before, after, strict=True):
        if verb_before == "answered":
            assert (verb_after, id_after) == (verb_before, id_before)
        else:
            assert id_after != id_before


def test_a_completed_statement_without_a_clock_lasts_from_start_to_end(
    records: Store, cast: Cast
) -> None:
    (record,) = records.attempts.records(cast.admin, ["bob"])
    timeless = [{**e, "t": 0.0} for e in record.log["events"]]
    attempt = replace(
        record.attempt, ended_at=record.attempt.started_at + timedelta(minutes=1, seconds=30)
    )
    flat = replace(record, attempt=attempt, log={**record.log, "events": timeless})
    completed = [s for s in to_statements([flat]) if s["verb"]["display"]["en-US"] == "completed"]
    assert completed[0]["result"]["duration"] == "PT1M30S"
