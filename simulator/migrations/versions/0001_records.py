"""Records: people, cohorts, FTO assignments, attempts, events, score reports, audit log.

Events and the audit log are append-only; triggers refuse UPDATE and DELETE on both
backends so that no code path (ours or a hand-typed SQL statement) can rewrite history.

Revision ID: 0001_records
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001_records"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)
APPEND_ONLY = {"events": "events are append-only", "audit_log": "the audit log is append-only"}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("email", sa.String(254)),
        sa.Column("password_hash", sa.String(256)),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint(
            _in("role", ("trainee", "fto", "instructor", "admin")), name="ck_people_role"
        ),
    )
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "cohort_members",
        sa.Column("cohort_id", sa.Integer, sa.ForeignKey("cohorts.id"), primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("enrolled_at", TS, nullable=False),
        sa.CheckConstraint(_in("role", ("trainee", "instructor")), name="ck_cohort_members_role"),
    )
    op.create_index("ix_cohort_members_person_id", "cohort_members", ["person_id"])
    op.create_table(
        "fto_assignments",
        sa.Column("fto_id", sa.Integer, sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("assigned_at", TS, nullable=False),
    )
    op.create_index("ix_fto_assignments_trainee_id", "fto_assignments", ["trainee_id"])
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("scenario_id", sa.String(120), nullable=False),
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
        sa.Column("started_at", TS, nullable=False),
        sa.Column("ended_at", TS),
        sa.Column("outcome", sa.String(32)),
        sa.Column("ending", JSON),
        sa.Column("parent_attempt_id", sa.Integer, sa.ForeignKey("attempts.id")),
        sa.Column("branch_seq", sa.Integer),
        sa.Column("workstation", sa.String(200), nullable=False),
        sa.CheckConstraint(
            _in("mode", ("practice", "assessment", "classroom")), name="ck_attempts_mode"
        ),
        sa.CheckConstraint(
            _in("status", ("in_progress", "completed", "abandoned")), name="ck_attempts_status"
        ),
        sa.CheckConstraint(
            "(parent_attempt_id IS NULL) = (branch_seq IS NULL)", name="ck_attempts_branch"
        ),
    )
    op.create_index("ix_attempts_scenario_id", "attempts", ["scenario_id"])
    op.create_index("ix_attempts_trainee_started", "attempts", ["trainee_id", "started_at"])
    op.create_table(
        "events",
        sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("t", sa.Float, nullable=False),
        sa.Column("node", sa.String(120)),
        sa.Column("data", JSON, nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.CheckConstraint("seq >= 0", name="ck_events_seq"),
    )
    op.create_table(
        "score_reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=False),
        sa.Column("pack_id", sa.String(120), nullable=False),
        sa.Column("pack_version", sa.String(40), nullable=False),
        sa.Column("pack_hash", sa.String(64), nullable=False),
        sa.Column("overall", sa.Float, nullable=False),
        sa.Column("passed", sa.Boolean, nullable=False),
        sa.Column("report", JSON, nullable=False),
        sa.Column("computed_at", TS, nullable=False),
        sa.UniqueConstraint("attempt_id", "pack_hash", name="uq_score_reports_attempt_pack"),
    )
    op.create_index("ix_score_reports_attempt_id", "score_reports", ["attempt_id"])
    op.create_table(
        "score_competencies",
        sa.Column(
            "report_id",
            sa.Integer,
            sa.ForeignKey("score_reports.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("competency_id", sa.String(120), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("fto_category", sa.String(120)),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("rating", sa.Integer),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("people.id")),
        sa.Column("actor_name", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target_type", sa.String(32)),
        sa.Column("target_id", sa.String(64)),
        sa.Column("allowed", sa.Boolean, nullable=False),
        sa.Column("detail", JSON, nullable=False),
        sa.Column("workstation", sa.String(200), nullable=False),
    )
    op.create_index("ix_audit_log_actor_id", "audit_log", ["actor_id"])
    _append_only_triggers()


def _append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION parolesim_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$"
        )
        for table, message in APPEND_ONLY.items():
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION parolesim_refuse('{message}')"
            )
        return
    for table, message in APPEND_ONLY.items():
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )


def downgrade() -> None:
    for table in ("audit_log", "score_competencies", "score_reports", "events", "attempts"):
        op.drop_table(table)
    for table in ("fto_assignments", "cohort_members", "cohorts", "people"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION parolesim_refuse()")
