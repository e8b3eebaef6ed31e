"""Cohort analytics on a class of 30 trainees with 10 recorded attempts each (300 attempts
of two library scenarios, played with seeded random choices and scored by the store).

Figures, each beside a baseline from the same run:
- reading the cohort's records for analytics (``attempts.of_cohort``) beside reading the
  same attempts for an export (``attempts.records``), on SQLite and on PostgreSQL;
- aggregating them with numpy (``analyse``) beside that read.
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

from benchmarks.bench_store import _pg_schema
from benchmarks.common import Figure, best_of
from engine.compile import compile_scenario
from engine.library import discover
from engine.session import Session
from simulator.analytics.cohort import analyse
from simulator.attempt_link import AttemptLink
from simulator.store import Store

TRAINEES = 30
ATTEMPTS = 10
SCENARIOS = ("hv-routine-visitor", "vd-first-positive-test")


def _seed(store: Store) -> list[str]:
    admin = store.add_person(None, "rae", role="admin", password="bench-pass-1")
    store.add_person(admin, "ines", role="instructor", password="bench-pass-1")
    store.add_cohort(admin, "Class 26-1")
    store.enrol(admin, "Class 26-1", "ines", role="instructor")
    library = discover()
    files = [library.by_id(s) for s in SCENARIOS]
    compiled = [compile_scenario(sf) for sf in files if sf is not None]
    names = [f"t{i:02d}" for i in range(TRAINEES)]
    pick = random.Random(26)
    for name in names:
        store.add_person(admin, name)
        store.enrol(admin, "Class 26-1", name)
        for n in range(ATTEMPTS):
            k = n % len(compiled)
            sf = files[k]
            assert sf is not None
            seed = pick.randrange(2**31)
            link = AttemptLink.start(store, admin, name, sf, seed=seed)
            session = Session.start(compiled[k], seed, on_event=link.on_event)
            while not session.ended:
                session.choose(pick.choice(session.available_choices()).id)
            link.close(session)
    return names


def _figures(store: Store, where: str) -> list[Figure]:
    names = _seed(store)
    person = store.person("ines")
    found = store.attempts.of_cohort(person, "Class 26-1")
    assert len(found) == TRAINEES * ATTEMPTS
    read = best_of(lambda: store.attempts.of_cohort(person, "Class 26-1"), repeat=3)
    export = best_of(lambda: store.attempts.records(person, names), repeat=3)
    aggregate = best_of(lambda: analyse("Class 26-1", names, found), repeat=3)
    shown = analyse("Class 26-1", names, found)
    return [
        Figure(
            f"{where}: read 300 attempts for analytics",
            read,
            "s",
            "the same attempts read for an export",
            export,
        ),
        Figure(
            f"{where}: aggregate 300 attempts with numpy",
            aggregate,
            "s",
            "reading them",
            read,
            notes=f"{sum(len(s.decisions) for s in shown.scenarios)} decisions, "
            f"{len(shown.policies)} most-missed policies",
        ),
    ]


def run() -> list[Figure]:
    figures: list[Figure] = []
    with (
        tempfile.TemporaryDirectory(prefix="parolesim-bench-") as tmp,
        Store.open(f"sqlite:///{Path(tmp) / 'records.sqlite3'}") as store,
    ):
        figures += _figures(store, "SQLite")
    pg = os.environ.get("PAROLESIM_BENCH_PG_URL") or os.environ.get("PAROLESIM_TEST_PG_URL")
    if not pg:
        figures.append(
            Figure("PostgreSQL figures", 0.0, "", notes="skipped: set PAROLESIM_BENCH_PG_URL")
        )
        return figures
    with _pg_schema(pg) as url, Store.open(url) as store:
        figures += _figures(store, "PostgreSQL")
    return figures
