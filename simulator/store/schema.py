"""Table definitions of the records store (SQLAlchemy Core), shared by SQLite and PostgreSQL.

The migrations under ``simulator/migrations/versions`` create exactly these tables;
``tests/store/test_migrations.py`` checks that the two agree. Times are stored in UTC
and always come back timezone-aware, whichever backend holds them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect

ROLES = ("trainee", "fto", "instructor", "admin")
MODES = ("practice", "assessment", "classroom")
STATUSES = ("in_progress", "completed", "abandoned")
COHORT_ROLES = ("trainee", "instructor")
EVALUATION_KINDS = ("daily", "weekly", "phase")
SIGNATURE_STEPS = ("fto", "trainee", "supervisor")
RATING_MARKS = ("NO", "NRT")
CLASS_STATUSES = ("open", "ended")


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timestamp kept in UTC: naive UTC text on SQLite, ``timestamptz`` on PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"timestamp {value!r} has no timezone; records keep times in UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONType: sa.types.TypeEngine[Any] = sa.JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


def inserted_id(result: sa.CursorResult[Any]) -> int:
    """The integer primary key of the row an INSERT just added."""
    key = result.inserted_primary_key
    assert key is not None and key[0] is not None, "INSERT returned no primary key"
    return int(key[0])


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


metadata = sa.MetaData()

people = sa.Table(
    "people",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("email", sa.String(254)),
    sa.Column("password_hash", sa.String(256)),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    sa.CheckConstraint(_in("role", ROLES), name="ck_people_role"),
)

cohorts = sa.Table(
    "cohorts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(120), nullable=False, unique=True),
    sa.Column("description", sa.Text, nullable=False, default=""),
    sa.Column("created_at", UTCDateTime, nullable=False, default=utcnow),
)

cohort_members = sa.Table(
    "cohort_members",
    metadata,
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id"), primary_key=True),
    sa.Column("person_id", sa.ForeignKey("people.id"), primary_key=True, index=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("enrolled_at", UTCDateTime, nullable=False, default=utcnow),
    sa.CheckConstraint(_in("role", COHORT_ROLES), name="ck_cohort_members_role"),
)

fto_assignments = sa.Table(
    "fto_assignments",
    metadata,
    sa.Column("fto_id", sa.ForeignKey("people.id"), primary_key=True),
    sa.Column("trainee_id", sa.ForeignKey("people.id"), primary_key=True, index=True),
    sa.Column("assigned_at", UTCDateTime, nullable=False, default=utcnow),
)

attempts = sa.Table(
    "attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("trainee_id", sa.ForeignKey("people.id"), nullable=False),
    sa.Column("created_by", sa.ForeignKey("people.id"), nullable=False),
    sa.Column("scenario_id", sa.String(120), nullable=False, index=True),
    sa.Column("scenario_version", sa.String(40), nullable=False),
    sa.Column("scenario_title", sa.String(300), nullable=False),
    sa.Column("scenario_hash", sa.String(64), nullable=False),
    sa.Column("scenario_path", sa.String(500)),
    sa.Column("pack_id", sa.String(120)),
    sa.Column("pack_version", sa.String(40)),
    sa.Column("pack_hash", sa.String(64)),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("ended_at", UTCDateTime),
    sa.Column("outcome", sa.String(32)),
    sa.Column("ending", JSONType),
    sa.Column("parent_attempt_id", sa.ForeignKey("attempts.id")),
    sa.Column("branch_seq", sa.Integer),
    sa.Column("workstation", sa.String(200), nullable=False, default=""),
    sa.Column("log_hash", sa.String(64)),
    sa.CheckConstraint(_in("mode", MODES), name="ck_attempts_mode"),
    sa.CheckConstraint(_in("status", STATUSES), name="ck_attempts_status"),
    sa.CheckConstraint(
        "(parent_attempt_id IS NULL) = (branch_seq IS NULL)", name="ck_attempts_branch"
    ),
    sa.Index("ix_attempts_trainee_started", "trainee_id", "started_at"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("attempt_id", sa.ForeignKey("attempts.id"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("t", sa.Float, nullable=False),
    sa.Column("node", sa.String(120)),
    sa.Column("data", JSONType, nullable=False),
    sa.Column("recorded_at", UTCDateTime, nullable=False),
    sa.CheckConstraint("seq >= 0", name="ck_events_seq"),
)

score_reports = sa.Table(
    "score_reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("attempt_id", sa.ForeignKey("attempts.id"), nullable=False, index=True),
    sa.Column("pack_id", sa.String(120), nullable=False),
    sa.Column("pack_version", sa.String(40), nullable=False),
    sa.Column("pack_hash", sa.String(64), nullable=False),
    sa.Column("overall", sa.Float, nullable=False),
    sa.Column("passed", sa.Boolean, nullable=False),
    sa.Column("report", JSONType, nullable=False),
    sa.Column("computed_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("attempt_id", "pack_hash", name="uq_score_reports_attempt_pack"),
)

score_competencies = sa.Table(
    "score_competencies",
    metadata,
    sa.Column("report_id", sa.ForeignKey("score_reports.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("competency_id", sa.String(120), primary_key=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("fto_category", sa.String(120)),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("rating", sa.Integer),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor_id", sa.ForeignKey("people.id"), index=True),
    sa.Column("actor_name", sa.String(64), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("target_type", sa.String(32)),
    sa.Column("target_id", sa.String(64)),
    sa.Column("allowed", sa.Boolean, nullable=False),
    sa.Column("detail", JSONType, nullable=False),
    sa.Column("workstation", sa.String(200), nullable=False),
)

evaluations = sa.Table(
    "evaluations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("trainee_id", sa.ForeignKey("people.id"), nullable=False, index=True),
    sa.Column("fto_id", sa.ForeignKey("people.id"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("observed_on", sa.Date, nullable=False),
    sa.Column("attempt_id", sa.ForeignKey("attempts.id")),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("amends_id", sa.ForeignKey("evaluations.id"), unique=True),
    sa.Column("amend_reason", sa.Text),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.CheckConstraint(_in("kind", EVALUATION_KINDS), name="ck_evaluations_kind"),
    sa.CheckConstraint(
        "(amends_id IS NULL) = (amend_reason IS NULL)", name="ck_evaluations_amend_reason"
    ),
)

evaluation_ratings = sa.Table(
    "evaluation_ratings",
    metadata,
    sa.Column("evaluation_id", sa.ForeignKey("evaluations.id"), primary_key=True),
    sa.Column("category", sa.String(120), primary_key=True),
    sa.Column("rating", sa.Integer),
    sa.Column("mark", sa.String(8)),
    sa.Column("narrative", sa.Text, nullable=False),
    sa.Column("remedial_minutes", sa.Integer, nullable=False),
    sa.CheckConstraint(
        "(rating BETWEEN 1 AND 7 AND mark IS NULL) OR "
        f"(rating IS NULL AND {_in('mark', RATING_MARKS)})",
        name="ck_evaluation_ratings_value",
    ),
    sa.CheckConstraint("remedial_minutes >= 0", name="ck_evaluation_ratings_remedial"),
)

evaluation_signatures = sa.Table(
    "evaluation_signatures",
    metadata,
    sa.Column("evaluation_id", sa.ForeignKey("evaluations.id"), primary_key=True),
    sa.Column("step", sa.String(16), primary_key=True),
    sa.Column("person_id", sa.ForeignKey("people.id"), nullable=False),
    sa.Column("signed_at", UTCDateTime, nullable=False),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("chain_hash", sa.String(64)),
    sa.CheckConstraint(_in("step", SIGNATURE_STEPS), name="ck_evaluation_signatures_step"),
)

decision_reviews = sa.Table(
    "decision_reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("attempt_id", sa.ForeignKey("attempts.id"), nullable=False, index=True),
    sa.Column("decision_index", sa.Integer, nullable=False),
    sa.Column("fto_id", sa.ForeignKey("people.id"), nullable=False),
    sa.Column("automatic_verdict", sa.String(16), nullable=False),
    sa.Column("agrees", sa.Boolean, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("reviewed_at", UTCDateTime, nullable=False),
    sa.CheckConstraint("decision_index >= 0", name="ck_decision_reviews_index"),
    sa.CheckConstraint("agrees OR length(reason) > 0", name="ck_decision_reviews_override_reason"),
)

calibration_raters = sa.Table(
    "calibration_raters",
    metadata,
    sa.Column("attempt_id", sa.ForeignKey("attempts.id"), primary_key=True),
    sa.Column("fto_id", sa.ForeignKey("people.id"), primary_key=True),
    sa.Column("invited_by", sa.ForeignKey("people.id"), nullable=False),
    sa.Column("invited_at", UTCDateTime, nullable=False),
)

calibration_ratings = sa.Table(
    "calibration_ratings",
    metadata,
    sa.Column("attempt_id", sa.ForeignKey("attempts.id"), primary_key=True),
    sa.Column("fto_id", sa.ForeignKey("people.id"), primary_key=True),
    sa.Column("category", sa.String(120), primary_key=True),
    sa.Column("rating", sa.Integer),
    sa.Column("mark", sa.String(8)),
    sa.Column("rated_at", UTCDateTime, nullable=False),
    sa.CheckConstraint(
        "(rating BETWEEN 1 AND 7 AND mark IS NULL) OR "
        f"(rating IS NULL AND {_in('mark', RATING_MARKS)})",
        name="ck_calibration_ratings_value",
    ),
)

assignments = sa.Table(
    "assignments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id"), nullable=False),
    sa.Column("scenario_id", sa.String(120), nullable=False),
    sa.Column("scenario_title", sa.String(300), nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("assigned_by", sa.ForeignKey("people.id"), nullable=False),
    sa.Column("assigned_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("cohort_id", "scenario_id", name="uq_assignments_cohort_scenario"),
)

class_sessions = sa.Table(
    "class_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id"), nullable=False, index=True),
    sa.Column("instructor_id", sa.ForeignKey("people.id"), nullable=False),
    sa.Column("attempt_id", sa.ForeignKey("attempts.id"), nullable=False, unique=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("ended_at", UTCDateTime),
    sa.CheckConstraint(_in("status", CLASS_STATUSES), name="ck_class_sessions_status"),
)

class_polls = sa.Table(
    "class_polls",
    metadata,
    sa.Column("session_id", sa.ForeignKey("class_sessions.id"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("node", sa.String(120), nullable=False),
    sa.Column("prompt", sa.Text, nullable=False),
    sa.Column("options", JSONType, nullable=False),
    sa.Column("opened_at", UTCDateTime),
    sa.Column("closed_at", UTCDateTime),
    sa.Column("hands", JSONType),
    sa.Column("played", sa.String(120)),
    sa.Column("played_at", UTCDateTime),
    sa.CheckConstraint("number >= 1", name="ck_class_polls_number"),
)

class_participants = sa.Table(
    "class_participants",
    metadata,
    sa.Column("session_id", sa.ForeignKey("class_sessions.id"), primary_key=True),
    sa.Column("trainee_id", sa.ForeignKey("people.id"), primary_key=True),
    sa.Column("joined_at", UTCDateTime, nullable=False),
)

class_votes = sa.Table(
    "class_votes",
    metadata,
    sa.Column("session_id", sa.Integer, primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("trainee_id", sa.ForeignKey("people.id"), primary_key=True),
    sa.Column("choice", sa.String(120), nullable=False),
    sa.Column("voted_at", UTCDateTime, nullable=False),
    sa.ForeignKeyConstraint(
        ["session_id", "number"],
        ["class_polls.session_id", "class_polls.number"],
        name="fk_class_votes_poll",
    ),
)
