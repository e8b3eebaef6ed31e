"""FTO review: per-decision agree/override marks beside the automatic verdict, and the
blind ratings of calibration sessions (several FTOs rating one attempt).

Revision ID: 0004_fto_reviews
Revises: 0003_signature_chain
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_fto_reviews"
down_revision = "0003_signature_chain"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
PERMANENT = ("decision_reviews", "calibration_ratings")


def upgrade() -> None:
    op.create_table(
        "decision_reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=False),
        sa.Column("decision_index", sa.Integer, nullable=False),
        sa.Column("fto_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("automatic_verdict", sa.String(16), nullable=False),
        sa.Column("agrees", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("reviewed_at", TS, nullable=False),
        sa.CheckConstraint("decision_index >= 0", name="ck_decision_reviews_index"),
        sa.CheckConstraint(
            "agrees OR length(reason) > 0", name="ck_decision_reviews_override_reason"
        ),
    )
    op.create_index("ix_decision_reviews_attempt_id", "decision_reviews", ["attempt_id"])
    op.create_table(
        "calibration_raters",
        sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), primary_key=True),
        sa.Column("fto_id", sa.Integer, sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("invited_by", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("invited_at", TS, nullable=False),
    )
    op.create_table(
        "calibration_ratings",
        sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), primary_key=True),
        sa.Column("fto_id", sa.Integer, sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("category", sa.String(120), primary_key=True),
        sa.Column("rating", sa.Integer),
        sa.Column("mark", sa.String(8)),
        sa.Column("rated_at", TS, nullable=False),
        sa.CheckConstraint(
            "(rating BETWEEN 1 AND 7 AND mark IS NULL) OR "
            "(rating IS NULL AND mark IN ('NO', 'NRT'))",
            name="ck_calibration_ratings_value",
        ),
    )

    # a mark beside a verdict and a calibration rating are kept as given: later marks are new
    # rows, and a calibration rating is given once, so no row is ever changed or removed
    for table in PERMANENT:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(
                f"CREATE TRIGGER {table}_permanent BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION parolesim_refuse('{table} rows are permanent')"
            )
        else:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} rows are permanent'); END"
                )


def downgrade() -> None:
    op.drop_table("calibration_ratings")
    op.drop_table("calibration_raters")
    op.drop_index("ix_decision_reviews_attempt_id", table_name="decision_reviews")
    op.drop_table("decision_reviews")
