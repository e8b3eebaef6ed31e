"""What an FTO does with finished attempts: the review queue, agree/override marks per
decision (kept beside the automatic verdict, never replacing it), and calibration sessions
in which several FTOs rate one attempt blind to each other until all have rated.

Who may do what follows :mod:`simulator.store.access`: the queue holds the attempts of the
people whose records the actor may see; marking a decision needs the right to write
evaluations of the attempt's trainee, or an invitation to rate it in a calibration session;
inviting raters is a supervisor's act (an instructor for their cohorts, an admin for all).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from simulator.store import attempts as attempt_rows
from simulator.store import audit
from simulator.store.access import Action, visible_people
from simulator.store.accounts import Person
from simulator.store.attempts import ATTEMPT_QUERY, Attempt, attempt_from_row
from simulator.store.core import Database, Denied, PersonRef
from simulator.store.errors import InvalidRecord, NotFound
from simulator.store.evaluations import MARKS
from simulator.store.schema import (
    attempts,
    calibration_raters,
    calibration_ratings,
    cohort_members,
    decision_reviews,
    evaluations,
    people,
    utcnow,
)


@dataclass(frozen=True)
class QueueItem:
    """One finished attempt waiting for (or already given) an FTO's evaluation."""

    attempt: Attempt
    verdicts: dict[str, int]
    evaluation_ids: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.attempt.to_dict(),
            "verdicts": dict(self.verdicts),
            "evaluations": list(self.evaluation_ids),
        }


@dataclass(frozen=True)
class DecisionMark:
    """An FTO's agree or override of one decision's automatic verdict."""

    decision_index: int
    fto: str
    automatic_verdict: str
    agrees: bool
    reason: str
    reviewed_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision_index": self.decision_index,
            "fto": self.fto,
            "automatic_verdict": self.automatic_verdict,
            "agrees": self.agrees,
            "reason": self.reason,
            "reviewed_at": self.reviewed_at.isoformat(),
        }


@dataclass(frozen=True)
class AttemptReview:
    """An attempt with its latest score report and every FTO mark, oldest first."""

    attempt: Attempt
    report: dict[str, Any] | None
    marks: tuple[DecisionMark, ...]
    # per decision of the report, the choice ids in the order the trainee saw them (the
    # decision's ``presented`` event); () for a log made before options were shuffled
    shown: tuple[tuple[str, ...], ...] = ()

    def shown_order(self, position: int) -> tuple[str, ...]:
        """The order decision number ``position`` (from 1) showed its options in; () when
        the log does not say (authored order then)."""
        return self.shown[position - 1] if 1 <= position <= len(self.shown) else ()

    def latest_marks(self) -> dict[int, DecisionMark]:
        """The newest mark per decision (older marks stay on record)."""
        latest: dict[int, DecisionMark] = {}
        for mark in self.marks:
            latest[mark.decision_index] = mark
        return latest

    def to_dict(self) -> dict[str, Any]:
        return {
            "attempt": self.attempt.to_dict(),
            "report": self.report,
            "marks": [m.to_dict() for m in self.marks],
            "shown": [list(order) for order in self.shown],
        }


def shown_orders(events: Sequence[Mapping[str, Any]]) -> tuple[tuple[str, ...], ...]:
    """For each decision of a session log (its ``chose`` or ``timed_out`` event, in order),
    the ``order`` its ``presented`` event recorded: the options as the trainee saw them."""
    out: list[tuple[str, ...]] = []
    presented: tuple[str, ...] = ()
    for event in events:
        kind = event.get("type")
        if kind == "presented":
            presented = tuple(str(c) for c in event.get("order") or ())
        elif kind in ("chose", "timed_out"):
            out.append(presented)
    return tuple(out)


@dataclass(frozen=True)
class CalibrationSession:
    """One attempt several FTOs were asked to rate; ratings show once all have rated."""

    attempt: Attempt
    raters: tuple[str, ...]
    rated: tuple[str, ...]
    ratings: dict[str, dict[str, int | str]]  # rater -> category -> value; {} until complete

    @property
    def complete(self) -> bool:
        return bool(self.raters) and set(self.rated) == set(self.raters)

    def to_dict(self) -> dict[str, Any]:
        return {
            "attempt": self.attempt.to_dict(),
            "raters": list(self.raters),
            "rated": list(self.rated),
            "complete": self.complete,
            "ratings": {r: dict(v) for r, v in self.ratings.items()},
        }


def _verdict_counts(report: Mapping[str, Any] | None) -> dict[str, int]:
    if not report:
        return {}
    return dict(Counter(str(d.get("verdict", "")) for d in report.get("decisions", [])))


def _mark_value(value: int | str, category: str) -> tuple[int | None, str | None]:
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= 7:
            raise InvalidRecord(f"{category}: rating {value} is not between 1 and 7")
        return value, None
    if isinstance(value, str) and value.upper() in MARKS:
        return None, MARKS[value.upper()]
    raise InvalidRecord(f"{category}: rating {value!r} is not 1-7, 'N.O.' or 'N.R.T.'")


class Reviews:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- queue and attempt review ----------------------------------------------------
    def queue(self, actor: Person, *, limit: int = 200) -> list[QueueItem]:
        """The ``limit`` newest finished attempts of the trainees ``actor`` may see (an FTO:
        their assigned trainees), with verdict counts and the evaluations citing each."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            query = ATTEMPT_QUERY.where(attempts.c.status == "completed")
            scope = visible_people(actor, Action.VIEW_RECORDS)
            if scope is not None:
                query = query.where(
                    attempts.c.trainee_id.in_(scope), attempts.c.trainee_id != actor.id
                )
            found = [
                attempt_from_row(r)
                for r in conn.execute(
                    query.order_by(attempts.c.ended_at.desc(), attempts.c.id.desc()).limit(
                        max(1, limit)
                    )
                )
            ]
            ids = [a.id for a in found]
            reports = attempt_rows.latest_reports_for(conn, ids)
            cited: dict[int, list[int]] = {}
            for row in conn.execute(
                sa.select(evaluations.c.attempt_id, evaluations.c.id)
                .where(evaluations.c.attempt_id.in_(ids))
                .order_by(evaluations.c.id)
            ):
                cited.setdefault(row.attempt_id, []).append(row.id)
            items = [
                QueueItem(a, _verdict_counts(reports.get(a.id)), tuple(cited.get(a.id, ())))
                for a in found
            ]
        self._audit_read(actor, "review_queue", {a.trainee for a in found})
        return items

    def _reviewable(
        self, conn: sa.Connection, actor: Person, attempt_id: int, action: Action, what: str
    ) -> Attempt:
        """The attempt, once ``actor`` may ``action`` on its trainee's records or is invited
        to calibrate on it (a refusal is audited by ``require``); ``actor`` is resolved."""
        attempt = self._get(conn, attempt_id)
        if not self._invited(conn, actor, attempt_id):
            self._db.require(
                conn,
                actor,
                action,
                self._db.person(conn, attempt.trainee_id),
                target=("attempt", attempt_id),
                what=what,
            )
        return attempt

    def attempt(self, actor: Person, attempt_id: int) -> AttemptReview:
        """The attempt as an FTO reviews it; its trainee, whoever may see their records,
        and the FTOs invited to calibrate on it may read it."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            attempt = self._reviewable(
                conn, actor, attempt_id, Action.VIEW_RECORDS, "review the attempts"
            )
            return AttemptReview(
                attempt,
                attempt_rows.latest_report(conn, attempt_id),
                self._marks(conn, attempt_id),
                shown_orders(attempt_rows.event_dicts(conn, attempt_id)),
            )

    def mark(
        self,
        actor: Person,
        attempt_id: int,
        decision: int,
        *,
        agrees: bool,
        reason: str = "",
    ) -> DecisionMark:
        """Agree with, or override, the automatic verdict of decision number ``decision``
        (counting from 1, as the timeline shows it). An override needs a reason."""
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            self._reviewable(conn, actor, attempt_id, Action.WRITE_EVALUATION, "review decisions")
            report = attempt_rows.latest_report(conn, attempt_id)
            decisions = (report or {}).get("decisions", [])
            if not 1 <= decision <= len(decisions):
                raise InvalidRecord(
                    f"attempt {attempt_id} has decisions 1 to {len(decisions)}; there is no "
                    f"decision {decision}"
                    if decisions
                    else f"attempt {attempt_id} has no scored decisions to review"
                )
            if not agrees and not reason.strip():
                raise InvalidRecord(
                    f"overriding decision {decision}'s verdict needs a reason (--reason TEXT)"
                )
            verdict = str(decisions[decision - 1].get("verdict", ""))
            conn.execute(
                sa.insert(decision_reviews).values(
                    attempt_id=attempt_id,
                    decision_index=decision - 1,
                    fto_id=actor.id,
                    automatic_verdict=verdict,
                    agrees=agrees,
                    reason=reason.strip(),
                    reviewed_at=utcnow(),
                )
            )
            audit.record(
                conn,
                actor,
                "agree_decision" if agrees else "override_decision",
                target_type="attempt",
                target_id=attempt_id,
                detail={"decision": decision, "verdict": verdict},
            )
            return self._marks(conn, attempt_id)[-1]

    # --- calibration ----------------------------------------------------------------
    def invite(self, actor: Person, attempt_id: int, ftos: Sequence[PersonRef]) -> list[str]:
        """Ask FTOs to rate ``attempt_id`` blind; returns who is newly invited."""
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            attempt = self._get(conn, attempt_id)
            self._db.require(
                conn,
                actor,
                Action.APPROVE_EVALUATION,
                self._db.person(conn, attempt.trainee_id),
                target=("attempt", attempt_id),
                what="run calibration sessions",
            )
            if attempt.status != "completed":
                raise InvalidRecord(f"attempt {attempt_id} is not finished; calibrate on a run")
            added = []
            for ref in ftos:
                fto = self._db.person(conn, ref)
                if fto.role != "fto":
                    raise InvalidRecord(f"{fto.username} is a {fto.role}, not an FTO")
                exists = conn.execute(
                    sa.select(calibration_raters.c.fto_id).where(
                        calibration_raters.c.attempt_id == attempt_id,
                        calibration_raters.c.fto_id == fto.id,
                    )
                ).first()
                if exists is None:
                    conn.execute(
                        sa.insert(calibration_raters).values(
                            attempt_id=attempt_id,
                            fto_id=fto.id,
                            invited_by=actor.id,
                            invited_at=utcnow(),
                        )
                    )
                    added.append(fto.username)
            audit.record(
                conn,
                actor,
                "invite_calibration",
                target_type="attempt",
                target_id=attempt_id,
                detail={"ftos": added},
            )
            return added

    def rate(
        self, actor: Person, attempt_id: int, ratings: Mapping[str, int | str]
    ) -> CalibrationSession:
        """An invited FTO's calibration ratings of ``attempt_id``: given once, not changed."""
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            self._get(conn, attempt_id)
            if not self._invited(conn, actor, attempt_id):
                raise Denied(
                    f"{actor.username} ({actor.role}) was not invited to rate attempt "
                    f"{attempt_id} for calibration",
                    actor,
                    "calibration_rating",
                    ("attempt", str(attempt_id)),
                )
            done = conn.execute(
                sa.select(calibration_ratings.c.category).where(
                    calibration_ratings.c.attempt_id == attempt_id,
                    calibration_ratings.c.fto_id == actor.id,
                )
            ).first()
            if done is not None:
                raise InvalidRecord(
                    f"you have already rated attempt {attempt_id} for calibration; ratings "
                    "stay as given so the session stays blind"
                )
            if not ratings:
                raise InvalidRecord("calibration needs at least one rated category")
            now = utcnow()
            rows = []
            for category, value in ratings.items():
                rating, mark = _mark_value(value, category)
                rows.append(
                    {
                        "attempt_id": attempt_id,
                        "fto_id": actor.id,
                        "category": category,
                        "rating": rating,
                        "mark": mark,
                        "rated_at": now,
                    }
                )
            conn.execute(sa.insert(calibration_ratings), rows)
            audit.record(
                conn, actor, "calibration_rating", target_type="attempt", target_id=attempt_id
            )
            return self._session(conn, attempt_id)

    def calibration(
        self, actor: Person, *, cohort: str | int | None = None
    ) -> list[CalibrationSession]:
        """The calibration sessions ``actor`` may see: a supervisor those on the attempts of
        people whose records they see, an FTO those they were invited to. Ratings are empty
        until every invited FTO has rated."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            ids = [
                r.attempt_id
                for r in conn.execute(
                    sa.select(calibration_raters.c.attempt_id)
                    .distinct()
                    .order_by(calibration_raters.c.attempt_id)
                )
            ]
            sessions = [self._session(conn, i) for i in ids]
            if cohort is not None:
                from simulator.store.cohorts import find_cohort

                found = find_cohort(conn, cohort)
                members = set(
                    conn.execute(
                        sa.select(cohort_members.c.person_id).where(
                            cohort_members.c.cohort_id == found.id,
                            cohort_members.c.role == "trainee",
                        )
                    ).scalars()
                )
                sessions = [s for s in sessions if s.attempt.trainee_id in members]
            if actor.role == "fto":
                sessions = [s for s in sessions if actor.username in s.raters]
            else:
                scope = visible_people(actor, Action.APPROVE_EVALUATION)
                if scope is not None:
                    allowed = set(conn.execute(scope).scalars())
                    sessions = [s for s in sessions if s.attempt.trainee_id in allowed]
        self._audit_read(actor, "calibration", {s.attempt.trainee for s in sessions})
        return sessions

    # --- helpers --------------------------------------------------------------------
    def _audit_read(self, actor: Person, what: str, trainees: set[str]) -> None:
        """A list showing other people's records is a read of them, audited like one."""
        others = sorted(trainees - {actor.username})
        if others:
            with self._db.write() as conn:
                audit.record(
                    conn,
                    actor,
                    "read_records",
                    target_type=what,
                    target_id=",".join(others)[:64],
                    detail={"trainees": others},
                )

    def _get(self, conn: sa.Connection, attempt_id: int) -> Attempt:
        row = conn.execute(ATTEMPT_QUERY.where(attempts.c.id == attempt_id)).first()
        if row is None:
            raise NotFound(f"no attempt numbered {attempt_id}")
        return attempt_from_row(row)

    def _invited(self, conn: sa.Connection, actor: Person, attempt_id: int) -> bool:
        return actor.active and (
            conn.execute(
                sa.select(calibration_raters.c.fto_id).where(
                    calibration_raters.c.attempt_id == attempt_id,
                    calibration_raters.c.fto_id == actor.id,
                )
            ).first()
            is not None
        )

    def _marks(self, conn: sa.Connection, attempt_id: int) -> tuple[DecisionMark, ...]:
        return tuple(
            DecisionMark(
                r.decision_index + 1,
                r.username,
                r.automatic_verdict,
                r.agrees,
                r.reason,
                r.reviewed_at,
            )
            for r in conn.execute(
                sa.select(decision_reviews, people.c.username)
                .join(people, people.c.id == decision_reviews.c.fto_id)
                .where(decision_reviews.c.attempt_id == attempt_id)
                .order_by(decision_reviews.c.id)
            )
        )

    def _session(self, conn: sa.Connection, attempt_id: int) -> CalibrationSession:
        raters = tuple(
            conn.execute(
                sa.select(people.c.username)
                .join(calibration_raters, calibration_raters.c.fto_id == people.c.id)
                .where(calibration_raters.c.attempt_id == attempt_id)
                .order_by(people.c.username)
            ).scalars()
        )
        given: dict[str, dict[str, int | str]] = {}
        for r in conn.execute(
            sa.select(calibration_ratings, people.c.username)
            .join(people, people.c.id == calibration_ratings.c.fto_id)
            .where(calibration_ratings.c.attempt_id == attempt_id)
            .order_by(calibration_ratings.c.category)
        ):
            value: int | str = (
                r.rating if r.rating is not None else {"NO": "N.O.", "NRT": "N.R.T."}[r.mark]
            )
            given.setdefault(r.username, {})[r.category] = value
        rated = tuple(sorted(given))
        complete = bool(raters) and set(rated) == set(raters)
        return CalibrationSession(
            self._get(conn, attempt_id), raters, rated, given if complete else {}
        )
