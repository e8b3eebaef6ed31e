"""Store tests run on SQLite always and on PostgreSQL when PAROLESIM_TEST_PG_URL is set.

Each PostgreSQL test gets a schema of its own (created here, dropped after), selected with
``search_path`` in the URL, so parallel and repeated runs never see each other's rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from simulator.store import Person, Store, passwords
from tests.store.helpers import drop_pg_schema, fresh_pg_schema

STAFF_PASSWORD = "staff-pass-1"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty records database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.sqlite3'}"
        return
    schema, url = fresh_pg_schema()
    try:
        yield url
    finally:
        drop_pg_schema(schema)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


@dataclass(frozen=True)
class Cast:
    """The people most tests need, related the way an academy relates them."""

    admin: Person
    alice: Person  # trainee in cohort "Class 26-1", taught by ines
    bob: Person  # trainee, assigned to FTO fred, in no cohort
    ines: Person  # instructor of "Class 26-1"
    fred: Person  # FTO of bob
    gail: Person  # instructor of no cohort


@pytest.fixture
def cast(store: Store) -> Cast:
    return make_cast(store)


def make_cast(store: Store) -> Cast:
    admin = store.add_person(
        None, "rae", role="admin", display_name="Rae Okafor", password=STAFF_PASSWORD
    )
    alice = store.add_person(admin, "alice", display_name="Alice Nguyen")
    bob = store.add_person(admin, "bob", display_name="Bob Castellanos")
    ines = store.add_person(
        admin, "ines", role="instructor", display_name="Inés Varga", password=STAFF_PASSWORD
    )
    fred = store.add_person(
        admin, "fred", role="fto", display_name="Fred Amankwah", password=STAFF_PASSWORD
    )
    gail = store.add_person(
        admin, "gail", role="instructor", display_name="Gail Porter", password=STAFF_PASSWORD
    )
    store.add_cohort(admin, "Class 26-1")
    store.enrol(admin, "Class 26-1", "alice")
    store.enrol(admin, "Class 26-1", "ines", role="instructor")
    store.assign_fto(admin, "fred", "bob")
    return Cast(admin, alice, bob, ines, fred, gail)


@pytest.fixture
def cast_file(tmp_path: Path) -> Iterator[tuple[Store, Cast]]:
    """A SQLite store at ``tmp_path/records.sqlite3`` with the usual cast (for tests that
    then change the file behind the store's back)."""
    store = Store.open(str(tmp_path / "records.sqlite3"))
    try:
        yield store, make_cast(store)
    finally:
        store.close()


@pytest.fixture(autouse=True)
def _quick_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its smallest cost: the tests hash hundreds of passwords, and what they
    check (who may sign in) does not depend on the cost."""
    monkeypatch.setattr(
        passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
