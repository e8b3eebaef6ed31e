"""Attempts and their events: create, append (one committed row per engine event), finish,
score, and rebuild the session log that the engine replays.

An attempt is the session's identity (scenario and pack with their hashes, seed, mode) plus
its events. Events are appended only while the attempt is in progress; the append is one
``INSERT ... SELECT`` guarded by the attempt's status, so it costs a single round trip.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from simulator.store.errors import InvalidRecord, NotFound
from simulator.store.schema import (
    MODES,
    JSONType,
    UTCDateTime,
    attempts,
    events,
    inserted_id,
    people,
    score_competencies,
    score_reports,
    utcnow,
)

LOG_FORMAT = "parolesim-session/1"
EVENT_KEYS = ("seq", "type", "t", "node")
SEED_LIMIT = 2**63


@dataclass(frozen=True)
class ScenarioRef:
    """Which scenario an attempt plays, exactly (the hash pins its content)."""

    id: str
    version: str
    hash: str
    title: str = ""
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "hash": self.hash, "path": self.path}


@dataclass(frozen=True)
class PackRef:
    """Which policy pack an attempt is scored against."""

    id: str
    version: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "hash": self.hash}


@dataclass(frozen=True)
class Attempt:
    """One run of a scenario by a trainee, as the records keep it."""

    id: int
    uuid: str
    trainee_id: int
    trainee: str
    scenario: ScenarioRef
    pack: PackRef | None
    seed: int
    mode: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    outcome: str | None
    ending: dict[str, Any] | None
    parent_attempt_id: int | None
    branch_seq: int | None
    workstation: str
    overall: float | None
    passed: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "uuid": self.uuid,
            "trainee": self.trainee,
            "scenario": {**self.scenario.to_dict(), "title": self.scenario.title},
            "policy": self.pack.to_dict() if self.pack else None,
            "seed": self.seed,
            "mode": self.mode,
            "status": self.status,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "outcome": self.outcome,
            "parent_attempt_id": self.parent_attempt_id,
            "branch_seq": self.branch_seq,
            "workstation": self.workstation,
            "overall": self.overall,
            "passed": self.passed,
        }


_reports = score_reports.alias("reports")
_latest_report = (
    sa.select(sa.func.max(_reports.c.id))
    .where(_reports.c.attempt_id == attempts.c.id)
    .correlate(attempts)
    .scalar_subquery()
)
ATTEMPT_QUERY = (
    sa.select(attempts, people.c.username, score_reports.c.overall, score_reports.c.passed)
    .join(people, people.c.id == attempts.c.trainee_id)
    .outerjoin(score_reports, score_reports.c.id == _latest_report)
)


def attempt_from_row(row: sa.Row[Any]) -> Attempt:
    pack = (
        PackRef(row.pack_id, row.pack_version or "", row.pack_hash or "") if row.pack_id else None
    )
    return Attempt(
        id=row.id,
        uuid=row.uuid,
        trainee_id=row.trainee_id,
        trainee=row.username,
        scenario=ScenarioRef(
            row.scenario_id,
            row.scenario_version,
            row.scenario_hash,
            row.scenario_title,
            row.scenario_path,
        ),
        pack=pack,
        seed=row.seed,
        mode=row.mode,
        status=row.status,
        started_at=row.started_at,
        ended_at=row.ended_at,
        outcome=row.outcome,
        ending=row.ending,
        parent_attempt_id=row.parent_attempt_id,
        branch_seq=row.branch_seq,
        workstation=row.workstation,
        overall=row.overall,
        passed=row.passed,
    )


def get_attempt(conn: sa.Connection, attempt_id: int) -> Attempt:
    row = conn.execute(ATTEMPT_QUERY.where(attempts.c.id == attempt_id)).first()
    if row is None:
        raise NotFound(f"no attempt numbered {attempt_id}")
    return attempt_from_row(row)


def list_attempts(
    conn: sa.Connection,
    *,
    trainee_ids: sa.Select[int] | list[int] | None = None,
    status: str | None = None,
    scenario_id: str | None = None,
) -> list[Attempt]:
    """Attempts, oldest first, limited to ``trainee_ids`` (a list or a query) if given."""
    query = ATTEMPT_QUERY.order_by(attempts.c.started_at, attempts.c.id)
    if trainee_ids is not None:
        query = query.where(attempts.c.trainee_id.in_(trainee_ids))
    if status is not None:
        query = query.where(attempts.c.status == status)
    if scenario_id is not None:
        query = query.where(attempts.c.scenario_id == scenario_id)
    return [attempt_from_row(row) for row in conn.execute(query)]


def create_attempt(
    conn: sa.Connection,
    *,
    trainee_id: int,
    created_by: int,
    scenario: ScenarioRef,
    pack: PackRef | None,
    seed: int,
    mode: str,
    workstation: str,
    parent: Attempt | None = None,
    branch_seq: int | None = None,
) -> int:
    if mode not in MODES:
        raise InvalidRecord(f"mode {mode!r} is not one of: {', '.join(MODES)}")
    if not isinstance(seed, int) or not -SEED_LIMIT <= seed < SEED_LIMIT:
        raise InvalidRecord(f"seed {seed!r} is not a whole number that fits in 64 bits")
    if not (scenario.id and scenario.hash):
        raise InvalidRecord("an attempt needs the scenario's id and content hash")
    result = conn.execute(
        sa.insert(attempts).values(
            uuid=str(uuid.uuid4()),
            trainee_id=trainee_id,
            created_by=created_by,
            scenario_id=scenario.id,
            scenario_version=scenario.version,
            scenario_title=scenario.title or scenario.id,
            scenario_hash=scenario.hash,
            scenario_path=scenario.path,
            pack_id=pack.id if pack else None,
            pack_version=pack.version if pack else None,
            pack_hash=pack.hash if pack else None,
            seed=seed,
            mode=mode,
            status="in_progress",
            started_at=utcnow(),
            parent_attempt_id=parent.id if parent else None,
            branch_seq=branch_seq if parent else None,
            workstation=workstation,
        )
    )
    attempt_id = inserted_id(result)
    return attempt_id


def split_event(event: Mapping[str, Any]) -> dict[str, Any]:
    """Column values for an engine event dict ``{seq, type, t, node, **data}``."""
    seq, kind, t, node = (event.get(k) for k in EVENT_KEYS)
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise InvalidRecord(f"event seq must be a whole number >= 0, got {seq!r}")
    if not isinstance(kind, str) or not kind:
        raise InvalidRecord(f"event {seq} has no type (expected e.g. 'chose'), got {kind!r}")
    if not isinstance(t, int | float) or isinstance(t, bool) or not math.isfinite(t):
        raise InvalidRecord(f"event {seq} time t must be a finite number of seconds, got {t!r}")
    if node is not None and not isinstance(node, str):
        raise InvalidRecord(f"event {seq} node must be a node id or null, got {node!r}")
    data = {k: v for k, v in event.items() if k not in EVENT_KEYS}
    return {"seq": seq, "type": kind, "t": float(t), "node": node, "data": data}


def event_insert(attempt_id: sa.ColumnElement[Any], *where: sa.ColumnElement[bool]) -> sa.Insert:
    """An INSERT of one event (bound ``seq``, ``type``, ``t``, ``node``, ``data``,
    ``recorded_at``) whose attempt id comes from a SELECT that yields a row only where
    ``where`` holds: the check and the write are one statement, so nothing can slip between."""
    return sa.insert(events).from_select(
        ["attempt_id", "seq", "type", "t", "node", "data", "recorded_at"],
        sa.select(
            attempt_id,
            sa.bindparam("seq", type_=sa.Integer),
            sa.bindparam("type", type_=sa.String),
            sa.bindparam("t", type_=sa.Float),
            sa.bindparam("node", type_=sa.String),
            sa.bindparam("data", type_=JSONType),
            sa.bindparam("recorded_at", type_=UTCDateTime),
        ).where(*where),
    )


_APPEND = event_insert(
    attempts.c.id,
    attempts.c.id == sa.bindparam("attempt_id"),
    attempts.c.status == "in_progress",
).execution_options(preserve_rowcount=True)


def append_event(conn: sa.Connection, attempt_id: int, event: Mapping[str, Any]) -> None:
    """Add one event to an in-progress attempt (the caller commits)."""
    values = split_event(event)
    try:
        result = conn.execute(
            _APPEND, {**values, "attempt_id": attempt_id, "recorded_at": utcnow()}
        )
    except sa.exc.IntegrityError as exc:
        raise InvalidRecord(
            f"event {values['seq']} of attempt {attempt_id} is already recorded"
        ) from exc
    if result.rowcount != 1:
        status = conn.execute(
            sa.select(attempts.c.status).where(attempts.c.id == attempt_id)
        ).scalar()
        if status is None:
            raise NotFound(f"no attempt numbered {attempt_id}")
        raise InvalidRecord(
            f"attempt {attempt_id} is {status.replace('_', ' ')}; events can only be added "
            "to an attempt in progress"
        )


def event_dicts(
    conn: sa.Connection, attempt_id: int, *, before_seq: int | None = None
) -> list[dict[str, Any]]:
    """The attempt's events as engine event dicts, in order."""
    query = (
        sa.select(events.c.seq, events.c.type, events.c.t, events.c.node, events.c.data)
        .where(events.c.attempt_id == attempt_id)
        .order_by(events.c.seq)
    )
    if before_seq is not None:
        query = query.where(events.c.seq < before_seq)
    return [
        {"seq": seq, "type": kind, "t": t, "node": node, **data}
        for seq, kind, t, node, data in conn.execute(query)
    ]


def next_seq(conn: sa.Connection, attempt_id: int) -> int:
    top = conn.execute(
        sa.select(sa.func.max(events.c.seq)).where(events.c.attempt_id == attempt_id)
    ).scalar()
    return 0 if top is None else int(top) + 1


def ending_from_events(event_list: list[dict[str, Any]]) -> dict[str, Any] | None:
    for event in reversed(event_list):
        if event["type"] == "ended":
            return {"id": event["node"], "outcome": event.get("outcome")}
    return None


def finish_attempt(
    conn: sa.Connection,
    attempt_id: int,
    status: str,
    ending: dict[str, Any] | None,
    log_hash: str | None = None,
) -> None:
    """Mark an in-progress attempt completed or abandoned."""
    result = conn.execute(
        sa.update(attempts)
        .where(attempts.c.id == attempt_id, attempts.c.status == "in_progress")
        .values(
            status=status,
            ended_at=utcnow(),
            ending=ending,
            outcome=(ending or {}).get("outcome"),
            log_hash=log_hash,
        )
    )
    if result.rowcount != 1:
        current = get_attempt(conn, attempt_id)
        raise InvalidRecord(f"attempt {attempt_id} is already {current.status.replace('_', ' ')}")


def _report_fields(report: Mapping[str, Any]) -> tuple[float, bool, PackRef]:
    overall, passed, policy = report.get("overall"), report.get("passed"), report.get("policy")
    if not isinstance(overall, int | float) or isinstance(overall, bool):
        raise InvalidRecord(f"score report 'overall' must be a number 0-100, got {overall!r}")
    if not isinstance(passed, bool):
        raise InvalidRecord(f"score report 'passed' must be true or false, got {passed!r}")
    if not isinstance(policy, Mapping) or not all(
        isinstance(policy.get(k), str) for k in ("id", "version", "hash")
    ):
        raise InvalidRecord("score report 'policy' must give the pack's id, version and hash")
    return float(overall), passed, PackRef(policy["id"], policy["version"], policy["hash"])


def save_report(conn: sa.Connection, attempt_id: int, report: Mapping[str, Any]) -> int:
    """Store (or replace, for the same pack hash) the score report of an attempt.

    Reports are derived data: re-scoring with the same pack replaces the old report, while
    scoring with another pack keeps both. Competency scores are copied into their own rows
    so that progress and trends are plain queries.
    """
    overall, passed, pack = _report_fields(report)
    old = sa.select(score_reports.c.id).where(
        score_reports.c.attempt_id == attempt_id, score_reports.c.pack_hash == pack.hash
    )
    old_ids = conn.execute(old).scalars().all()
    if old_ids:
        conn.execute(
            sa.delete(score_competencies).where(score_competencies.c.report_id.in_(old_ids))
        )
        conn.execute(sa.delete(score_reports).where(score_reports.c.id.in_(old_ids)))
    result = conn.execute(
        sa.insert(score_reports).values(
            attempt_id=attempt_id,
            pack_id=pack.id,
            pack_version=pack.version,
            pack_hash=pack.hash,
            overall=overall,
            passed=passed,
            report=dict(report),
            computed_at=utcnow(),
        )
    )
    report_id = inserted_id(result)
    rows = [
        {
            "report_id": report_id,
            "competency_id": str(c["id"]),
            "title": str(c.get("title") or c["id"]),
            "fto_category": c.get("fto_category"),
            "score": float(c["score"]),
            "rating": c.get("rating"),
        }
        for c in report.get("competencies") or []
        if isinstance(c, Mapping) and "id" in c and isinstance(c.get("score"), int | float)
    ]
    if rows:
        conn.execute(sa.insert(score_competencies), rows)
    return report_id


def latest_report(conn: sa.Connection, attempt_id: int) -> dict[str, Any] | None:
    query = (
        sa.select(score_reports.c.report)
        .where(score_reports.c.attempt_id == attempt_id)
        .order_by(score_reports.c.id.desc())
        .limit(1)
    )
    report: dict[str, Any] | None = conn.execute(query).scalar()
    return report


def session_log(attempt: Attempt, event_list: list[dict[str, Any]]) -> dict[str, Any]:
    """The session log JSON (CONTRACTS.md) of an attempt, for replay, scoring or export."""
    log: dict[str, Any] = {
        "format": LOG_FORMAT,
        "scenario": attempt.scenario.to_dict(),
        "seed": attempt.seed,
        "events": event_list,
        "ending": attempt.ending or ending_from_events(event_list),
    }
    if attempt.pack is not None:
        log["policy"] = attempt.pack.to_dict()
    return log


def copy_events(conn: sa.Connection, source_id: int, target_id: int, before_seq: int) -> int:
    """Copy the first events of one attempt to another (for "try again from here")."""
    rows = [
        {**split_event(event), "attempt_id": target_id, "recorded_at": utcnow()}
        for event in event_dicts(conn, source_id, before_seq=before_seq)
    ]
    if rows:
        conn.execute(sa.insert(events), rows)
    return len(rows)


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def events_for(conn: sa.Connection, attempt_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The events of many attempts at once (for exports), keyed by attempt id."""
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in attempt_ids}
    for chunk in _chunks(attempt_ids):
        query = (
            sa.select(
                events.c.attempt_id,
                events.c.seq,
                events.c.type,
                events.c.t,
                events.c.node,
                events.c.data,
            )
            .where(events.c.attempt_id.in_(chunk))
            .order_by(events.c.attempt_id, events.c.seq)
        )
        for attempt_id, seq, kind, t, node, data in conn.execute(query):
            found[attempt_id].append({"seq": seq, "type": kind, "t": t, "node": node, **data})
    return found


def latest_reports_for(conn: sa.Connection, attempt_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The latest score report of each of many attempts that has one."""
    found: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(attempt_ids):
        newest = (
            sa.select(sa.func.max(score_reports.c.id))
            .where(score_reports.c.attempt_id.in_(chunk))
            .group_by(score_reports.c.attempt_id)
        )
        query = sa.select(score_reports.c.attempt_id, score_reports.c.report).where(
            score_reports.c.id.in_(newest)
        )
        for attempt_id, report in conn.execute(query):
            found[attempt_id] = report
    return found
