"""The FTO evaluations API: an FTO writes and signs, the trainee acknowledges, a supervisor
approves; corrections after signing are amendments (new rows), never edits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa

from simulator.store import audit
from simulator.store import evaluations as rows
from simulator.store.access import Action
from simulator.store.accounts import Person
from simulator.store.core import Database, PersonRef
from simulator.store.errors import InvalidRecord
from simulator.store.evaluations import Evaluation, Rating


class Evaluations:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(
        self,
        actor: Person,
        trainee: PersonRef,
        ratings: Sequence[Rating],
        *,
        kind: str = "daily",
        observed_on: date | None = None,
        summary: str = "",
        attempt_id: int | None = None,
    ) -> Evaluation:
        """A draft evaluation of ``trainee`` by ``actor`` (their FTO)."""
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            subject = self._db.person(conn, trainee)
            self._db.require(
                conn, actor, Action.WRITE_EVALUATION, subject, what="write evaluations"
            )
            evaluation_id = rows.create(
                conn,
                trainee=subject,
                fto=actor,
                kind=kind,
                observed_on=observed_on or datetime.now(UTC).date(),
                ratings=ratings,
                summary=summary,
                attempt_id=attempt_id,
            )
            audit.record(
                conn,
                actor,
                "create_evaluation",
                target_type="evaluation",
                target_id=evaluation_id,
                detail={"trainee": subject.username},
            )
            return rows.get(conn, evaluation_id)

    def update_draft(
        self, actor: Person, evaluation_id: int, ratings: Sequence[Rating], summary: str
    ) -> Evaluation:
        """Change an evaluation the FTO has not signed yet."""
        with self._db.write() as conn:
            evaluation, actor = self._as_author(conn, actor, evaluation_id)
            rows.update_draft(conn, evaluation, ratings, summary)
            audit.record(
                conn, actor, "update_evaluation", target_type="evaluation", target_id=evaluation_id
            )
            return rows.get(conn, evaluation_id)

    def sign(
        self, actor: Person, evaluation_id: int, comment: str = "", *, step: str | None = None
    ) -> Evaluation:
        """Sign as the evaluation's FTO, as its trainee (acknowledgement) or as supervisor;
        which one follows from who ``actor`` is. ``step="trainee"`` or ``"supervisor"`` says
        which signature is meant, and anyone who may not give it is refused (and audited)."""
        if step not in (None, "trainee", "supervisor"):
            raise InvalidRecord(f"signature step {step!r} is not 'trainee' or 'supervisor'")
        with self._db.write() as conn:
            evaluation = rows.get(conn, evaluation_id)
            actor = self._db.actor(conn, actor)
            subject = self._db.person(conn, evaluation.trainee_id)
            target = ("evaluation", evaluation_id)
            if step == "trainee" or (step is None and actor.id == evaluation.trainee_id):
                step, action = "trainee", Action.ACKNOWLEDGE_EVALUATION
            elif step is None and actor.id == evaluation.fto_id:
                step, action = "fto", Action.WRITE_EVALUATION
            else:
                step, action = "supervisor", Action.APPROVE_EVALUATION
            self._db.require(
                conn, actor, action, subject, target=target, what=f"sign evaluations as {step}"
            )
            rows.sign(conn, evaluation, step, actor, comment)
            audit.record(
                conn,
                actor,
                f"sign_evaluation_{step}",
                target_type="evaluation",
                target_id=evaluation_id,
            )
            return rows.get(conn, evaluation_id)

    def amend(
        self,
        actor: Person,
        evaluation_id: int,
        ratings: Sequence[Rating],
        *,
        reason: str,
        summary: str | None = None,
    ) -> Evaluation:
        """A new evaluation correcting a signed one; the original stays as it was signed."""
        with self._db.write() as conn:
            original, actor = self._as_author(conn, actor, evaluation_id)
            if not original.signatures:
                raise InvalidRecord(
                    f"evaluation {evaluation_id} is an unsigned draft; edit it instead"
                )
            if original.amended_by_id is not None:
                raise InvalidRecord(
                    f"evaluation {evaluation_id} was already amended by evaluation "
                    f"{original.amended_by_id}; amend that one"
                )
            new_id = rows.create(
                conn,
                trainee=self._db.person(conn, original.trainee_id),
                fto=actor,
                kind=original.kind,
                observed_on=original.observed_on,
                ratings=ratings,
                summary=original.summary if summary is None else summary,
                attempt_id=original.attempt_id,
                amends=original,
                amend_reason=reason,
            )
            audit.record(
                conn,
                actor,
                "amend_evaluation",
                target_type="evaluation",
                target_id=new_id,
                detail={"amends": evaluation_id, "reason": reason},
            )
            return rows.get(conn, new_id)

    def get(self, actor: Person, evaluation_id: int) -> Evaluation:
        with self._db.read() as conn:
            evaluation = rows.get(conn, evaluation_id)
            self._db.require(
                conn,
                self._db.actor(conn, actor),
                Action.VIEW_RECORDS,
                self._db.person(conn, evaluation.trainee_id),
                target=("evaluation", evaluation_id),
                what="see the evaluations",
            )
            return evaluation

    def find(self, actor: Person, trainee: PersonRef) -> list[Evaluation]:
        """All evaluations of ``trainee``, amended ones included (see ``amended_by_id``)."""
        with self._db.read() as conn:
            subject = self._db.person(conn, trainee)
            self._db.require(
                conn,
                self._db.actor(conn, actor),
                Action.VIEW_RECORDS,
                subject,
                what="see the evaluations",
            )
            return rows.list_for(conn, subject.id)

    def _as_author(
        self, conn: sa.Connection, actor: Person, evaluation_id: int
    ) -> tuple[Evaluation, Person]:
        evaluation = rows.get(conn, evaluation_id)
        actor = self._db.actor(conn, actor)
        subject = self._db.person(conn, evaluation.trainee_id)
        self._db.require(
            conn,
            actor,
            Action.WRITE_EVALUATION,
            subject,
            target=("evaluation", evaluation_id),
            what="change evaluations",
        )
        if actor.id != evaluation.fto_id:
            raise InvalidRecord(
                f"evaluation {evaluation_id} was written by another FTO; only its author "
                "may change or amend it"
            )
        return evaluation, actor
