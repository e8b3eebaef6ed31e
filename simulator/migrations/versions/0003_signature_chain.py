"""Tamper evidence: chained signature hashes, each attempt's final log hash, and signers
checked by the database itself.

Each signature stores a SHA-256 over the evaluation's content and the previous signature's
hash (``parolesim db check`` recomputes the chain); each completed attempt stores the hash of
its event log. The database refuses a signature by anyone but the evaluation's FTO (for the
FTO step), its trainee (acknowledgement) or an instructor or admin who is neither (supervisor
step), and an evaluation linked to another trainee's attempt. Signatures written before this
revision have no hash and are reported as unchained.

Revision ID: 0003_signature_chain
Revises: 0002_evaluations
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_signature_chain"
down_revision = "0002_evaluations"
branch_labels = None
depends_on = None

WRONG_SIGNER = "the signer may not sign this step of this evaluation"
WRONG_ATTEMPT = "an evaluation may only link an attempt of its own trainee"
NO_HASH = "a signature needs its chain hash"
# The signer rule, as a condition over NEW (the signature) true when the signer is wrong.
WRONG_SIGNER_WHEN = (
    "NOT EXISTS (SELECT 1 FROM evaluations e JOIN people p ON p.id = NEW.person_id "
    "WHERE e.id = NEW.evaluation_id AND p.active AND ("
    "(NEW.step = 'fto' AND p.id = e.fto_id AND p.role = 'fto') OR "
    "(NEW.step = 'trainee' AND p.id = e.trainee_id) OR "
    "(NEW.step = 'supervisor' AND p.role IN ('instructor', 'admin') "
    "AND p.id <> e.fto_id AND p.id <> e.trainee_id)))"
)
WRONG_ATTEMPT_WHEN = (
    "NEW.attempt_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM attempts a "
    "WHERE a.id = NEW.attempt_id AND a.trainee_id = NEW.trainee_id)"
)


def upgrade() -> None:
    op.add_column("evaluation_signatures", sa.Column("chain_hash", sa.String(64)))
    op.add_column("attempts", sa.Column("log_hash", sa.String(64)))
    if op.get_bind().dialect.name == "postgresql":
        _postgresql()
    else:
        _sqlite()


def _sqlite() -> None:
    op.execute(
        "CREATE TRIGGER evaluation_signatures_signer BEFORE INSERT ON evaluation_signatures "
        f"WHEN {WRONG_SIGNER_WHEN} BEGIN SELECT RAISE(ABORT, '{WRONG_SIGNER}'); END"
    )
    op.execute(
        "CREATE TRIGGER evaluation_signatures_hash BEFORE INSERT ON evaluation_signatures "
        f"WHEN NEW.chain_hash IS NULL BEGIN SELECT RAISE(ABORT, '{NO_HASH}'); END"
    )
    for verb in ("INSERT", "UPDATE"):
        op.execute(
            f"CREATE TRIGGER evaluations_own_attempt_{verb.lower()} BEFORE {verb} ON evaluations "
            f"WHEN {WRONG_ATTEMPT_WHEN} BEGIN SELECT RAISE(ABORT, '{WRONG_ATTEMPT}'); END"
        )


def _postgresql() -> None:
    op.execute(
        "CREATE FUNCTION parolesim_check_signature() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF NEW.chain_hash IS NULL THEN RAISE EXCEPTION '{NO_HASH}'; END IF; "
        f"IF {WRONG_SIGNER_WHEN} THEN RAISE EXCEPTION '{WRONG_SIGNER}'; END IF; "
        "RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER evaluation_signatures_signer BEFORE INSERT ON evaluation_signatures "
        "FOR EACH ROW EXECUTE FUNCTION parolesim_check_signature()"
    )
    op.execute(
        "CREATE FUNCTION parolesim_check_evaluation_attempt() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN IF {WRONG_ATTEMPT_WHEN} THEN RAISE EXCEPTION '{WRONG_ATTEMPT}'; END IF; "
        "RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER evaluations_own_attempt BEFORE INSERT OR UPDATE ON evaluations "
        "FOR EACH ROW EXECUTE FUNCTION parolesim_check_evaluation_attempt()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER evaluations_own_attempt ON evaluations")
        op.execute("DROP TRIGGER evaluation_signatures_signer ON evaluation_signatures")
        op.execute("DROP FUNCTION parolesim_check_evaluation_attempt()")
        op.execute("DROP FUNCTION parolesim_check_signature()")
    else:
        for name in (
            "evaluations_own_attempt_insert",
            "evaluations_own_attempt_update",
            "evaluation_signatures_signer",
            "evaluation_signatures_hash",
        ):
            op.execute(f"DROP TRIGGER {name}")
    op.drop_column("attempts", "log_hash")
    op.drop_column("evaluation_signatures", "chain_hash")
