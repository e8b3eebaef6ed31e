"""FTO evaluations (Daily Observation Reports and weekly/phase summaries).

Each evaluation rates categories 1-7 or marks them N.O. (not observed) or N.R.T. (not
responding to training), with a narrative that is required for 1, 2, 6, 7 and N.R.T. It is
signed in order: the FTO, then the trainee's acknowledgement, then a supervisor. A draft may
be edited; once the FTO has signed, it is frozen (by the database as well) and a correction
is a new evaluation that amends it, with a reason, and needs its own signatures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from simulator.store import tamper
from simulator.store.accounts import Person
from simulator.store.errors import InvalidRecord, NotFound
from simulator.store.schema import (
    EVALUATION_KINDS,
    SIGNATURE_STEPS,
    attempts,
    evaluation_ratings,
    evaluation_signatures,
    evaluations,
    inserted_id,
    people,
    utcnow,
)

MARKS = {"N.O.": "NO", "NO": "NO", "N.R.T.": "NRT", "NRT": "NRT"}
NARRATIVE_REQUIRED = {1, 2, 6, 7, "NRT"}
CATEGORY_KEY = re.compile(r"^[a-z][a-z0-9_]{0,119}$")


@dataclass(frozen=True)
class Rating:
    """One category's rating: 1-7, "N.O." or "N.R.T.", with narrative and remedial minutes."""

    category: str
    value: int | str
    narrative: str = ""
    remedial_minutes: int = 0

    def columns(self) -> dict[str, Any]:
        """Validated column values; :class:`InvalidRecord` explains any mistake."""
        if not CATEGORY_KEY.match(self.category):
            raise InvalidRecord(
                f"rating category {self.category!r} is not a snake_case key such as "
                "'officer_safety'"
            )
        rating: int | None = None
        mark: str | None = None
        if isinstance(self.value, int) and not isinstance(self.value, bool):
            if not 1 <= self.value <= 7:
                raise InvalidRecord(f"{self.category}: rating {self.value} is not between 1 and 7")
            rating = self.value
        elif isinstance(self.value, str) and self.value.upper() in MARKS:
            mark = MARKS[self.value.upper()]
        else:
            raise InvalidRecord(
                f"{self.category}: rating {self.value!r} is not 1-7, 'N.O.' or 'N.R.T.'"
            )
        if (rating if rating is not None else mark) in NARRATIVE_REQUIRED and not (
            self.narrative.strip()
        ):
            shown = rating if rating is not None else "N.R.T."
            raise InvalidRecord(f"{self.category}: a rating of {shown} needs a narrative")
        if self.remedial_minutes < 0:
            raise InvalidRecord(f"{self.category}: remedial minutes cannot be negative")
        return {
            "category": self.category,
            "rating": rating,
            "mark": mark,
            "narrative": self.narrative.strip(),
            "remedial_minutes": self.remedial_minutes,
        }


@dataclass(frozen=True)
class Signature:
    step: str
    person: str
    signed_at: datetime
    comment: str


@dataclass(frozen=True)
class Evaluation:
    id: int
    trainee_id: int
    fto_id: int
    kind: str
    observed_on: date
    attempt_id: int | None
    summary: str
    ratings: tuple[Rating, ...]
    signatures: tuple[Signature, ...]
    amends_id: int | None
    amend_reason: str | None
    amended_by_id: int | None
    created_at: datetime

    @property
    def status(self) -> str:
        """draft, then signed_by_fto, acknowledged, approved (the last step signed)."""
        steps = {s.step for s in self.signatures}
        for step, name in (("supervisor", "approved"), ("trainee", "acknowledged")):
            if step in steps:
                return name
        return "signed_by_fto" if "fto" in steps else "draft"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "trainee_id": self.trainee_id,
            "fto_id": self.fto_id,
            "kind": self.kind,
            "observed_on": self.observed_on.isoformat(),
            "attempt_id": self.attempt_id,
            "summary": self.summary,
            "status": self.status,
            "ratings": [
                {
                    "category": r.category,
                    "value": r.value,
                    "narrative": r.narrative,
                    "remedial_minutes": r.remedial_minutes,
                }
                for r in self.ratings
            ],
            "signatures": [
                {
                    "step": s.step,
                    "person": s.person,
                    "signed_at": s.signed_at.isoformat(),
                    "comment": s.comment,
                }
                for s in self.signatures
            ],
            "amends_id": self.amends_id,
            "amend_reason": self.amend_reason,
            "amended_by_id": self.amended_by_id,
            "created_at": self.created_at.isoformat(),
        }


def _rating_rows(evaluation_id: int, ratings: Sequence[Rating]) -> list[dict[str, Any]]:
    if not ratings:
        raise InvalidRecord("an evaluation needs at least one rated category")
    rows = [{**r.columns(), "evaluation_id": evaluation_id} for r in ratings]
    seen: set[str] = set()
    for row in rows:
        if row["category"] in seen:
            raise InvalidRecord(f"category {row['category']} is rated twice")
        seen.add(row["category"])
    return rows


def create(
    conn: sa.Connection,
    *,
    trainee: Person,
    fto: Person,
    kind: str,
    observed_on: date,
    ratings: Sequence[Rating],
    summary: str,
    attempt_id: int | None = None,
    amends: Evaluation | None = None,
    amend_reason: str | None = None,
) -> int:
    if kind not in EVALUATION_KINDS:
        raise InvalidRecord(
            f"evaluation kind {kind!r} is not one of: {', '.join(EVALUATION_KINDS)}"
        )
    if amends is not None and not (amend_reason or "").strip():
        raise InvalidRecord("an amendment needs a reason")
    if attempt_id is not None:
        owner = conn.execute(
            sa.select(attempts.c.trainee_id).where(attempts.c.id == attempt_id)
        ).scalar()
        if owner is None:
            raise NotFound(f"no attempt numbered {attempt_id}")
        if owner != trainee.id:
            raise InvalidRecord(
                f"attempt {attempt_id} is not {trainee.username}'s; an evaluation can only "
                "cite an attempt of the trainee it evaluates"
            )
    result = conn.execute(
        sa.insert(evaluations).values(
            trainee_id=trainee.id,
            fto_id=fto.id,
            kind=kind,
            observed_on=observed_on,
            attempt_id=attempt_id,
            summary=summary.strip(),
            amends_id=amends.id if amends else None,
            amend_reason=amend_reason.strip() if amends and amend_reason else None,
            created_at=utcnow(),
        )
    )
    evaluation_id = inserted_id(result)
    conn.execute(sa.insert(evaluation_ratings), _rating_rows(evaluation_id, ratings))
    return evaluation_id


def update_draft(
    conn: sa.Connection, evaluation: Evaluation, ratings: Sequence[Rating], summary: str
) -> None:
    if evaluation.signatures:
        raise InvalidRecord(
            f"evaluation {evaluation.id} is signed and cannot change; amend it instead"
        )
    rows = _rating_rows(evaluation.id, ratings)
    conn.execute(
        sa.delete(evaluation_ratings).where(evaluation_ratings.c.evaluation_id == evaluation.id)
    )
    conn.execute(sa.insert(evaluation_ratings), rows)
    conn.execute(
        sa.update(evaluations)
        .where(evaluations.c.id == evaluation.id)
        .values(summary=summary.strip())
    )


def sign(
    conn: sa.Connection, evaluation: Evaluation, step: str, person: Person, comment: str = ""
) -> None:
    """Add the signature for ``step``; steps go FTO, then trainee, then supervisor."""
    if step not in SIGNATURE_STEPS:
        raise InvalidRecord(f"signature step {step!r} is not one of: {', '.join(SIGNATURE_STEPS)}")
    done = {s.step for s in evaluation.signatures}
    if step in done:
        raise InvalidRecord(f"evaluation {evaluation.id} already has the {step} signature")
    needed = SIGNATURE_STEPS[: SIGNATURE_STEPS.index(step)]
    missing = [s for s in needed if s not in done]
    if missing:
        raise InvalidRecord(
            f"evaluation {evaluation.id} needs the {missing[0]} signature before the {step}'s"
        )
    if evaluation.amended_by_id is not None:
        raise InvalidRecord(
            f"evaluation {evaluation.id} was amended by evaluation {evaluation.amended_by_id}; "
            "sign the amendment instead"
        )
    signed_at, text = utcnow(), comment.strip()
    chain = tamper.signature_hash(
        tamper.evaluation_content(conn, evaluation.id),
        step=step,
        person_id=person.id,
        signed_at=signed_at,
        comment=text,
        previous=tamper.previous_hash(conn, evaluation.id, step),
    )
    conn.execute(
        sa.insert(evaluation_signatures).values(
            evaluation_id=evaluation.id,
            step=step,
            person_id=person.id,
            signed_at=signed_at,
            comment=text,
            chain_hash=chain,
        )
    )


def get(conn: sa.Connection, evaluation_id: int) -> Evaluation:
    found = _load(conn, evaluations.c.id == evaluation_id)
    if not found:
        raise NotFound(f"no evaluation numbered {evaluation_id}")
    return found[0]


def list_for(conn: sa.Connection, trainee_id: int) -> list[Evaluation]:
    return _load(conn, evaluations.c.trainee_id == trainee_id)


def _load(conn: sa.Connection, where: sa.ColumnElement[bool]) -> list[Evaluation]:
    newer = evaluations.alias("newer")
    rows = conn.execute(
        sa.select(evaluations, newer.c.id.label("amended_by_id"))
        .outerjoin(newer, newer.c.amends_id == evaluations.c.id)
        .where(where)
        .order_by(evaluations.c.observed_on, evaluations.c.id)
    ).all()
    ids = [row.id for row in rows]
    ratings: dict[int, list[Rating]] = {i: [] for i in ids}
    for r in conn.execute(
        sa.select(evaluation_ratings)
        .where(evaluation_ratings.c.evaluation_id.in_(ids))
        .order_by(evaluation_ratings.c.category)
    ):
        value: int | str = (
            r.rating if r.rating is not None else {"NO": "N.O.", "NRT": "N.R.T."}[r.mark]
        )
        ratings[r.evaluation_id].append(Rating(r.category, value, r.narrative, r.remedial_minutes))
    signatures: dict[int, list[Signature]] = {i: [] for i in ids}
    for s in conn.execute(
        sa.select(evaluation_signatures, people.c.username)
        .join(people, people.c.id == evaluation_signatures.c.person_id)
        .where(evaluation_signatures.c.evaluation_id.in_(ids))
        .order_by(evaluation_signatures.c.signed_at)
    ):
        signatures[s.evaluation_id].append(Signature(s.step, s.username, s.signed_at, s.comment))
    return [
        Evaluation(
            id=row.id,
            trainee_id=row.trainee_id,
            fto_id=row.fto_id,
            kind=row.kind,
            observed_on=row.observed_on,
            attempt_id=row.attempt_id,
            summary=row.summary,
            ratings=tuple(ratings[row.id]),
            signatures=tuple(
                sorted(signatures[row.id], key=lambda s: SIGNATURE_STEPS.index(s.step))
            ),
            amends_id=row.amends_id,
            amend_reason=row.amend_reason,
            amended_by_id=row.amended_by_id,
            created_at=row.created_at,
        )
        for row in rows
    ]
