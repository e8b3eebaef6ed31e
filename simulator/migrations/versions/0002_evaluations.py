"""FTO evaluations: ratings per category, the FTO -> trainee -> supervisor signatures.

Once the FTO has signed, an evaluation and its ratings are frozen (triggers refuse any
change on both backends); a correction is a new evaluation row that ``amends`` the old.

Revision ID: 0002_evaluations
Revises: 0001_records
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_evaluations"
down_revision = "0001_records"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
SIGNED = "evaluation is signed; record an amendment instead"
# table -> (column holding the evaluation id, operations refused once signed)
FROZEN_WHEN_SIGNED = {
    "evaluations": ("id", ("UPDATE", "DELETE")),
    "evaluation_ratings": ("evaluation_id", ("INSERT", "UPDATE", "DELETE")),
}


def upgrade() -> None:
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("fto_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("observed_on", sa.Date, nullable=False),
        sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id")),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("amends_id", sa.Integer, sa.ForeignKey("evaluations.id"), unique=True),
        sa.Column("amend_reason", sa.Text),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint("kind IN ('daily', 'weekly', 'phase')", name="ck_evaluations_kind"),
        sa.CheckConstraint(
            "(amends_id IS NULL) = (amend_reason IS NULL)", name="ck_evaluations_amend_reason"
        ),
    )
    op.create_index("ix_evaluations_trainee_id", "evaluations", ["trainee_id"])
    op.create_table(
        "evaluation_ratings",
        sa.Column("evaluation_id", sa.Integer, sa.ForeignKey("evaluations.id"), primary_key=True),
        sa.Column("category", sa.String(120), primary_key=True),
        sa.Column("rating", sa.Integer),
        sa.Column("mark", sa.String(8)),
        sa.Column("narrative", sa.Text, nullable=False),
        sa.Column("remedial_minutes", sa.Integer, nullable=False),
        sa.CheckConstraint(
            "(rating BETWEEN 1 AND 7 AND mark IS NULL) OR "
            "(rating IS NULL AND mark IN ('NO', 'NRT'))",
            name="ck_evaluation_ratings_value",
        ),
        sa.CheckConstraint("remedial_minutes >= 0", name="ck_evaluation_ratings_remedial"),
    )
    op.create_table(
        "evaluation_signatures",
        sa.Column("evaluation_id", sa.Integer, sa.ForeignKey("evaluations.id"), primary_key=True),
        sa.Column("step", sa.String(16), primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("signed_at", TS, nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.CheckConstraint(
            "step IN ('fto', 'trainee', 'supervisor')", name="ck_evaluation_signatures_step"
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers() -> None:
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER evaluation_signatures_no_{verb.lower()} BEFORE {verb} "
            "ON evaluation_signatures BEGIN SELECT RAISE(ABORT, 'signatures are permanent'); END"
        )
    for table, (column, verbs) in FROZEN_WHEN_SIGNED.items():
        for verb in verbs:
            row = "NEW" if verb == "INSERT" else "OLD"
            op.execute(
                f"CREATE TRIGGER {table}_signed_no_{verb.lower()} BEFORE {verb} ON {table} "
                "WHEN EXISTS (SELECT 1 FROM evaluation_signatures s "
                f"WHERE s.evaluation_id = {row}.{column}) "
                f"BEGIN SELECT RAISE(ABORT, '{SIGNED}'); END"
            )


def _postgresql_triggers() -> None:
    op.execute(
        "CREATE TRIGGER evaluation_signatures_permanent BEFORE UPDATE OR DELETE "
        "ON evaluation_signatures FOR EACH ROW "
        "EXECUTE FUNCTION parolesim_refuse('signatures are permanent')"
    )
    op.execute(
        "CREATE FUNCTION parolesim_refuse_if_signed() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE eid integer; "
        "BEGIN "
        "IF TG_OP = 'INSERT' THEN eid := (to_jsonb(NEW) ->> TG_ARGV[0])::integer; "
        "ELSE eid := (to_jsonb(OLD) ->> TG_ARGV[0])::integer; END IF; "
        "IF EXISTS (SELECT 1 FROM evaluation_signatures s WHERE s.evaluation_id = eid) THEN "
        f"RAISE EXCEPTION '{SIGNED}'; END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; "
        "END $$"
    )
    for table, (column, verbs) in FROZEN_WHEN_SIGNED.items():
        op.execute(
            f"CREATE TRIGGER {table}_frozen_when_signed BEFORE {' OR '.join(verbs)} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION parolesim_refuse_if_signed('{column}')"
        )


def downgrade() -> None:
    for table in ("evaluation_signatures", "evaluation_ratings", "evaluations"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION parolesim_refuse_if_signed()")
