"""Tamper evidence: the hash of an attempt's event log and the chain of signature hashes.

A signature's hash covers the evaluation as it was signed (ratings, summary, who and what it
is about, the final log hash of the attempt it cites), the signature itself, and the hash of
the signature before it: the previous step of the same evaluation, or for the FTO's signature
of an amendment, the last signature of the evaluation it amends. Changing any signed content,
or removing or re-ordering a signature, breaks every hash after it; ``parolesim db check``
recomputes them all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from simulator.store.schema import (
    SIGNATURE_STEPS,
    attempts,
    evaluation_ratings,
    evaluation_signatures,
    evaluations,
    events,
)

HASH_FORMAT = "parolesim-chain/1"


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def log_hash(event_list: Sequence[Mapping[str, Any]]) -> str:
    """SHA-256 of an attempt's events, in order, as stored."""
    return _digest([dict(e) for e in event_list])


def stored_log_hash(conn: sa.Connection, attempt_id: int) -> str:
    rows = conn.execute(
        sa.select(events.c.seq, events.c.type, events.c.t, events.c.node, events.c.data)
        .where(events.c.attempt_id == attempt_id)
        .order_by(events.c.seq)
    )
    return log_hash([{"seq": s, "type": k, "t": t, "node": n, **d} for s, k, t, n, d in rows])


def evaluation_content(conn: sa.Connection, evaluation_id: int) -> dict[str, Any]:
    """What a signature vouches for, read straight from the rows."""
    row = conn.execute(sa.select(evaluations).where(evaluations.c.id == evaluation_id)).one()
    ratings = [
        [r.category, r.rating, r.mark, r.narrative, r.remedial_minutes]
        for r in conn.execute(
            sa.select(evaluation_ratings)
            .where(evaluation_ratings.c.evaluation_id == evaluation_id)
            .order_by(evaluation_ratings.c.category)
        )
    ]
    cited = None
    if row.attempt_id is not None:
        cited = conn.execute(
            sa.select(attempts.c.log_hash).where(attempts.c.id == row.attempt_id)
        ).scalar()
    return {
        "format": HASH_FORMAT,
        "id": row.id,
        "trainee_id": row.trainee_id,
        "fto_id": row.fto_id,
        "kind": row.kind,
        "observed_on": row.observed_on.isoformat(),
        "attempt_id": row.attempt_id,
        "attempt_log_hash": cited,
        "summary": row.summary,
        "amends_id": row.amends_id,
        "amend_reason": row.amend_reason,
        "ratings": ratings,
    }


def signature_hash(
    content: Mapping[str, Any],
    *,
    step: str,
    person_id: int,
    signed_at: datetime,
    comment: str,
    previous: str | None,
) -> str:
    return _digest(
        {
            "evaluation": dict(content),
            "step": step,
            "person_id": person_id,
            "signed_at": signed_at.isoformat(),
            "comment": comment,
            "previous": previous,
        }
    )


def _signatures(conn: sa.Connection, evaluation_id: int) -> list[sa.Row[Any]]:
    rows = conn.execute(
        sa.select(evaluation_signatures).where(
            evaluation_signatures.c.evaluation_id == evaluation_id
        )
    ).all()
    return sorted(rows, key=lambda r: SIGNATURE_STEPS.index(r.step))


def previous_hash(conn: sa.Connection, evaluation_id: int, step: str) -> str | None:
    """The hash the signature for ``step`` chains to."""
    index = SIGNATURE_STEPS.index(step)
    if index > 0:
        before = [
            r for r in _signatures(conn, evaluation_id) if r.step == SIGNATURE_STEPS[index - 1]
        ]
        return before[0].chain_hash if before else None
    amends = conn.execute(
        sa.select(evaluations.c.amends_id).where(evaluations.c.id == evaluation_id)
    ).scalar()
    if amends is None:
        return None
    earlier = _signatures(conn, amends)
    return earlier[-1].chain_hash if earlier else None


def verify_chain(conn: sa.Connection) -> list[str]:
    """Every signature whose stored hash differs from the one its rows give now."""
    problems: list[str] = []
    ids = conn.execute(sa.select(evaluation_signatures.c.evaluation_id).distinct()).scalars().all()
    for evaluation_id in sorted(ids):
        content = evaluation_content(conn, evaluation_id)
        for row in _signatures(conn, evaluation_id):
            if row.chain_hash is None:
                problems.append(
                    f"evaluation {evaluation_id}: the {row.step} signature has no chain hash "
                    "(signed before tamper evidence was added)"
                )
                continue
            expected = signature_hash(
                content,
                step=row.step,
                person_id=row.person_id,
                signed_at=row.signed_at,
                comment=row.comment,
                previous=previous_hash(conn, evaluation_id, row.step),
            )
            if expected != row.chain_hash:
                problems.append(
                    f"evaluation {evaluation_id}: the {row.step} signature does not match the "
                    "evaluation as it is now (changed after signing, or a signature before "
                    "it was changed)"
                )
    return problems


def verify_logs(conn: sa.Connection) -> list[str]:
    """Every completed attempt whose events no longer hash to what was stored at finish."""
    problems = []
    rows = conn.execute(
        sa.select(attempts.c.id, attempts.c.log_hash).where(attempts.c.log_hash.is_not(None))
    )
    for attempt_id, stored in rows:
        if stored_log_hash(conn, attempt_id) != stored:
            problems.append(f"attempt {attempt_id}: its events changed after it was finished")
    return problems
