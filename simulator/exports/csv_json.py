"""CSV (one row per attempt, opens in a spreadsheet) and JSON (everything) exports.

The CSV is UTF-8 with a byte-order mark so that spreadsheet programs read accented names
correctly; every text cell that a spreadsheet could take for a formula (starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from simulator.store.recording import AttemptRecord

CSV_COLUMNS = (
    "attempt_id",
    "registration",
    "trainee",
    "trainee_name",
    "scenario_id",
    "scenario_title",
    "scenario_version",
    "scenario_hash",
    "policy_id",
    "policy_version",
    "policy_hash",
    "seed",
    "mode",
    "status",
    "started_at",
    "ended_at",
    "play_seconds",
    "decisions",
    "timeouts",
    "outcome",
    "overall",
    "passed",
    "critical_failures",
    "parent_attempt_id",
    "branch_seq",
    "workstation",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def policy_of(record: AttemptRecord) -> dict[str, Any] | None:
    """The pack behind the attempt's score, else the pack it was played for."""
    scored = (record.report or {}).get("policy")
    if isinstance(scored, dict):
        return scored
    return record.attempt.pack.to_dict() if record.attempt.pack else None


def summary_row(record: AttemptRecord) -> dict[str, Any]:
    """The figures of one attempt that a spreadsheet row shows."""
    a, events, report = record.attempt, record.log["events"], record.report
    policy = policy_of(record) or {}
    return {
        "attempt_id": a.id,
        "registration": a.uuid,
        "trainee": record.trainee.username,
        "trainee_name": record.trainee.display_name,
        "scenario_id": a.scenario.id,
        "scenario_title": a.scenario.title,
        "scenario_version": a.scenario.version,
        "scenario_hash": a.scenario.hash,
        "policy_id": policy.get("id"),
        "policy_version": policy.get("version"),
        "policy_hash": policy.get("hash"),
        "seed": a.seed,
        "mode": a.mode,
        "status": a.status,
        "started_at": a.started_at.isoformat(),
        "ended_at": a.ended_at.isoformat() if a.ended_at else None,
        "play_seconds": events[-1]["t"] if events else None,
        "decisions": sum(1 for e in events if e["type"] in ("chose", "timed_out")),
        "timeouts": sum(1 for e in events if e["type"] == "timed_out"),
        "outcome": a.outcome,
        "overall": report.get("overall") if report else None,
        "passed": report.get("passed") if report else None,
        "critical_failures": len(report.get("critical_failures") or []) if report else None,
        "parent_attempt_id": a.parent_attempt_id,
        "branch_seq": a.branch_seq,
        "workstation": a.workstation,
    }


def to_csv(records: Sequence[AttemptRecord]) -> str:
    """A header row and one row per attempt (the caller writes it as ``utf-8-sig``)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: _cell(v) for k, v in summary_row(record).items()})
    return buffer.getvalue()


def to_json(records: Sequence[AttemptRecord]) -> dict[str, Any]:
    """Everything about each attempt: its record, its session log and its score report."""
    return {
        "format": "parolesim-records/1",
        "exported_at": datetime.now(UTC).isoformat(),
        "attempts": [
            {
                **record.attempt.to_dict(),
                "trainee": {
                    "id": record.trainee.id,
                    "username": record.trainee.username,
                    "display_name": record.trainee.display_name,
                },
                "log": record.log,
                "score": record.report,
            }
            for record in records
        ],
    }
