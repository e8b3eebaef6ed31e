"""The academy classroom: scenarios assigned to a cohort with a due date, and class sessions
(one instructor attempt played by a cohort's vote) with their polls, participants and votes.

Revision ID: 0005_classroom
Revises: 0004_fto_reviews
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005_classroom"
down_revision = "0004_fto_reviews"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cohort_id", sa.Integer, sa.ForeignKey("cohorts.id"), nullable=False),
        sa.Column("scenario_id", sa.String(120), nullable=False),
        sa.Column("scenario_title", sa.String(300), nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("assigned_by", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("assigned_at", TS, nullable=False),
        sa.UniqueConstraint("cohort_id", "scenario_id", name="uq_assignments_cohort_scenario"),
    )
    op.create_table(
        "class_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cohort_id", sa.Integer, sa.ForeignKey("cohorts.id"), nullable=False),
        sa.Column("instructor_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column(
            "attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=False, unique=True
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("ended_at", TS),
        sa.CheckConstraint("status IN ('open', 'ended')", name="ck_class_sessions_status"),
    )
    op.create_index("ix_class_sessions_cohort_id", "class_sessions", ["cohort_id"])
    op.create_table(
        "class_polls",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("class_sessions.id"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("node", sa.String(120), nullable=False),
        sa.Column("prompt", sa.Text, nullable=False),
        sa.Column("options", JSON, nullable=False),
        sa.Column("opened_at", TS),
        sa.Column("closed_at", TS),
        sa.Column("hands", JSON),
        sa.Column("played", sa.String(120)),
        sa.Column("played_at", TS),
        sa.CheckConstraint("number >= 1", name="ck_class_polls_number"),
    )
    op.create_table(
        "class_participants",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("class_sessions.id"), primary_key=True),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("joined_at", TS, nullable=False),
    )
    op.create_table(
        "class_votes",
        sa.Column("session_id", sa.Integer, primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("choice", sa.String(120), nullable=False),
        sa.Column("voted_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id", "number"],
            ["class_polls.session_id", "class_polls.number"],
            name="fk_class_votes_poll",
        ),
    )
    # a vote is cast once and kept as cast: never changed, never removed
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER class_votes_permanent BEFORE UPDATE OR DELETE ON class_votes "
            "FOR EACH ROW EXECUTE FUNCTION parolesim_refuse('class_votes rows are permanent')"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER class_votes_no_{verb.lower()} BEFORE {verb} ON class_votes "
                "BEGIN SELECT RAISE(ABORT, 'class_votes rows are permanent'); END"
            )


def downgrade() -> None:
    op.drop_table("class_votes")
    op.drop_table("class_participants")
    op.drop_table("class_polls")
    op.drop_index("ix_class_sessions_cohort_id", table_name="class_sessions")
    op.drop_table("class_sessions")
    op.drop_table("assignments")
