"""The audit log: who did what to which record, from which workstation, and whether it was
allowed. Rows are only ever added (a trigger refuses changes)."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from simulator.store.accounts import Person
from simulator.store.schema import audit_log, utcnow

WORKSTATION = socket.gethostname()[:200]
NOBODY = "(nobody signed in)"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    target_type: str | None
    target_id: str | None
    allowed: bool
    detail: dict[str, Any]
    workstation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "allowed": self.allowed,
            "detail": self.detail,
            "workstation": self.workstation,
        }


def record(
    conn: sa.Connection,
    actor: Person | None,
    action: str,
    *,
    target_type: str | None = None,
    target_id: str | int | None = None,
    allowed: bool = True,
    detail: dict[str, Any] | None = None,
) -> None:
    conn.execute(
        sa.insert(audit_log).values(
            at=utcnow(),
            actor_id=actor.id if actor else None,
            actor_name=actor.username if actor else NOBODY,
            action=action,
            target_type=target_type,
            target_id=None if target_id is None else str(target_id),
            allowed=allowed,
            detail=detail or {},
            workstation=WORKSTATION,
        )
    )


def entries(
    conn: sa.Connection, *, limit: int = 100, denied_only: bool = False
) -> list[AuditEntry]:
    """The newest ``limit`` entries, newest first."""
    query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if denied_only:
        query = query.where(sa.not_(audit_log.c.allowed))
    return [
        AuditEntry(
            id=row.id,
            at=row.at,
            actor=row.actor_name,
            action=row.action,
            target_type=row.target_type,
            target_id=row.target_id,
            allowed=row.allowed,
            detail=row.detail,
            workstation=row.workstation,
        )
        for row in conn.execute(query)
    ]
