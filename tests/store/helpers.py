"""Playing the real minimal fixture scenario into the store, as the CLI and app do."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from engine.compile import compile_scenario
from engine.loader import load_scenario
from engine.session import Session
from simulator.attempt_link import AttemptLink, scenario_ref
from simulator.store import Attempt, PackRef, Person, ScenarioRef, Store
from simulator.store.attempts import save_report

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "scenarios" / "minimal.yaml"
PG_URL = os.environ.get("PAROLESIM_TEST_PG_URL")
PACK = PackRef("model-state-parole", "1.0.0", "f" * 64)


def minimal_ref() -> ScenarioRef:
    return scenario_ref(load_scenario(MINIMAL))


def start_minimal(
    store: Store, actor: Person, trainee: Person | str, seed: int = 3
) -> tuple[AttemptLink, Session]:
    """A recorded session of the minimal scenario, stopped at its first decision."""
    sf = load_scenario(MINIMAL)
    link = AttemptLink.start(store, actor, trainee, sf, seed=seed)
    session = Session.start(compile_scenario(sf), seed, on_event=link.on_event)
    return link, session


def play_to_end(session: Session) -> None:
    while not session.ended:
        session.choose(session.available_choices()[0].id)


def report(overall: float, passed: bool, **competencies: float) -> dict[str, Any]:
    """A score report shaped like scoring's ScoreReport.to_dict()."""
    return {
        "format": "parolesim-score/1",
        "overall": overall,
        "passed": passed,
        "policy": PACK.to_dict(),
        "decisions": [],
        "critical_failures": [],
        "competencies": [
            {
                "id": cid,
                "title": cid.replace("_", " ").title(),
                "fto_category": cid,
                "score": score,
                "rating": max(1, min(7, round(score / 15))),
            }
            for cid, score in competencies.items()
        ],
    }


def finished_attempt(
    store: Store,
    actor: Person,
    trainee: Person | str,
    overall: float,
    passed: bool,
    **competencies: float,
) -> Attempt:
    """A completed attempt whose stored report is replaced by one with the given figures.

    The store derives reports itself; progress tests need chosen figures, so this seeds the
    score row straight into the database (as a test fixture, not through any API)."""
    link, session = start_minimal(store, actor, trainee)
    play_to_end(session)
    store.attempts.finish(actor, link.attempt.id)
    seed_report(store, link.attempt.id, report(overall, passed, **competencies))
    return store.attempts.get(actor, link.attempt.id)


def seed_report(store: Store, attempt_id: int, data: dict[str, Any]) -> None:
    """Write a score report row directly (test data for progress and exports)."""
    with store._db.write() as conn:
        save_report(conn, attempt_id, data)


def _pg_engine() -> sa.Engine:
    assert PG_URL is not None
    return sa.create_engine(sa.make_url(PG_URL).set(drivername="postgresql+psycopg"))


def fresh_pg_schema() -> tuple[str, str]:
    """Create an empty schema; returns (schema name, URL whose search_path selects it)."""
    if not PG_URL:
        pytest.skip("PAROLESIM_TEST_PG_URL is not set")
    schema = f"parolesim_test_{uuid.uuid4().hex[:16]}"
    engine = _pg_engine()
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    url = (
        sa.make_url(PG_URL)
        .set(drivername="postgresql+psycopg")
        .update_query_dict({"options": f"-csearch_path={schema}"})
    )
    return schema, url.render_as_string(hide_password=False)


def drop_pg_schema(schema: str) -> None:
    engine = _pg_engine()
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    engine.dispose()
