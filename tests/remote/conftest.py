"""One records academy per backend and module, served by one real server process thread.

The cast (see ``tests/store/conftest.py``) plus one finished attempt of bob's; the server
opens the store the way ``parolesim serve`` does (scenario paths never opened), with the
fixture scenarios as its library.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from simulator.remote.client import RecordsClient
from simulator.store import Attempt, Person, Store, passwords
from tests.remote.serving import serving
from tests.store.conftest import STAFF_PASSWORD, Cast, make_cast
from tests.store.helpers import drop_pg_schema, fresh_pg_schema, play_to_end, start_minimal

FIXTURE_SCENARIOS = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@dataclass
class Academy:
    url: str
    store: Store
    cast: Cast
    server: str
    client: RecordsClient
    remote: dict[str, Person]  # username -> the person as signed in through the server
    bobs_attempt: Attempt


@pytest.fixture(scope="module", params=BACKENDS)
def academy(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Academy]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAROLESIM_SCENARIOS", str(FIXTURE_SCENARIOS))
        quick = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        patch.setattr(passwords, "HASHER", quick)
        schema = None
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('academy') / 'records.sqlite3'}"
        else:
            schema, url = fresh_pg_schema()
        store = Store.open(url, local_paths=False)
        try:
            cast = make_cast(store)
            link, session = start_minimal(store, cast.fred, "bob")
            play_to_end(session)
            attempt = store.attempts.finish(cast.fred, link.attempt.id)
            with serving(store) as server, RecordsClient(server) as client:
                remote = {
                    p.username: client.sign_in(
                        p.username, None if p.role == "trainee" else STAFF_PASSWORD
                    )
                    for p in (cast.admin, cast.alice, cast.bob, cast.ines, cast.fred, cast.gail)
                }
                yield Academy(url, store, cast, server, client, remote, attempt)
        finally:
            store.close()
            if schema is not None:
                drop_pg_schema(schema)
