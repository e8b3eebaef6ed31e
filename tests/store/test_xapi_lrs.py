"""xAPI statements posted to a real Learning Record Store and read back.

The LRS is Ralph (PyPI ``ralph-malph``, an LRS server that keeps statements in plain files,
no database service needed). It pins its own web stack, so it lives in a virtual
environment of its own: ``.ci/run`` installs it into ``.venv-lrs``; elsewhere point
``PAROLESIM_TEST_LRS_PYTHON`` at the Python of an environment holding
``ralph-malph[lrs,cli]``. Without one, these tests are skipped and say so.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulator.exports.xapi import to_statements
from simulator.store import Store
from tests.remote.serving import free_port
from tests.store.conftest import make_cast
from tests.store.helpers import ROOT, finished_attempt, start_minimal

LRS_ENV = "PAROLESIM_TEST_LRS_PYTHON"
VERSION = {"X-Experience-API-Version": "1.0.3"}
USER, PASSWORD = "academy-export", "lrs-test-pass-1"
IRI_BASE = "https://academy.example.org/parolesim"
ADDED_BY_THE_LRS = ("stored", "authority")  # the spec lets an LRS set these two


def _lrs_python() -> Path | None:
    given = os.environ.get(LRS_ENV)
    found = Path(given) if given else ROOT / ".venv-lrs" / "bin" / "python"
    return found if (found.parent / "ralph").is_file() else None


@dataclass(frozen=True)
class LRS:
    url: str
    auth: tuple[str, str]

    def post(self, statements: list[dict[str, Any]]) -> httpx.Response:
        return httpx.post(
            f"{self.url}/statements", json=statements, auth=self.auth, headers=VERSION, timeout=60
        )

    def get(self, **params: str) -> list[dict[str, Any]]:
        answer = httpx.get(
            f"{self.url}/statements", params=params, auth=self.auth, headers=VERSION, timeout=60
        )
        answer.raise_for_status()
        data = answer.json()
        found: list[dict[str, Any]] = data.get("statements", [data])
        return found


@pytest.fixture(scope="module")
def lrs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LRS]:
    python = _lrs_python()
    if python is None:
        pytest.skip(
            f"no Learning Record Store installed: .ci/run installs Ralph into .venv-lrs "
            f"(python3 -m venv .venv-lrs && .venv-lrs/bin/pip install "
            f"'ralph-malph[lrs,cli]==5.1.0' requests), or set {LRS_ENV} to the Python of "
            "an environment that has it"
        )
    folder = tmp_path_factory.mktemp("lrs")
    env = {
        **os.environ,
        "RALPH_APP_DIR": str(folder / "app"),
        "RALPH_AUTH_FILE": str(folder / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "statements"),
    }
    account = ["-u", USER, "-p", PASSWORD, "-s", "all", "-M", "mailto:records@academy.example.org"]
    subprocess.run(
        [str(python), "-m", "ralph", "auth", *account, "-w"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = free_port()
    log = folder / "lrs.log"
    where = ["--host", "127.0.0.1", "--port", str(port)]
    with log.open("w") as sink:
        server = subprocess.Popen(
            [str(python), "-m", "uvicorn", "ralph.api:app", *where, "--log-level", "warning"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the LRS ended: {log.read_text()}")
            try:
                if httpx.get(f"{url}/__heartbeat__", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the LRS did not answer in 120 s")
            time.sleep(0.2)
        yield LRS(f"{url}/xAPI", (USER, PASSWORD))
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def statements(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """A passed, a failed and an unfinished attempt (one decision made), exported as xAPI
    statements."""
    folder = tmp_path_factory.mktemp("records")
    with Store.open(f"sqlite:///{folder / 'records.sqlite3'}") as store:
        cast = make_cast(store)
        finished_attempt(store, cast.alice, "alice", 81.5, True, officer_safety=80.0)
        finished_attempt(store, cast.bob, "bob", 42.0, False)
        _link, unfinished = start_minimal(store, cast.alice, "alice")
        unfinished.choose(unfinished.available_choices()[0].id)
        return to_statements(store.attempts.records(cast.admin), iri_base=IRI_BASE)


@pytest.fixture(scope="module")
def posted(lrs: LRS, statements: list[dict[str, Any]]) -> httpx.Response:
    """The LRS's answer to the export, posted once: Ralph's file store takes one batch of
    new statements per user (a second batch of new ones fails with "already exists and
    overwrite is not allowed"); its database stores, which need services, take any number."""
    return lrs.post(statements)


def _as_sent(stored: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in stored.items() if k not in ADDED_BY_THE_LRS}


def test_the_lrs_accepts_every_exported_statement_and_returns_each_as_sent(
    lrs: LRS, statements: list[dict[str, Any]], posted: httpx.Response
) -> None:
    assert posted.status_code == 200, posted.text
    assert posted.json() == [s["id"] for s in statements]
    for sent in statements:
        (stored,) = lrs.get(statementId=sent["id"])
        assert _as_sent(stored) == sent
    registrations = {s["context"]["registration"] for s in statements}
    assert len(registrations) == 3
    for registration in registrations:
        ours = [s["id"] for s in statements if s["context"]["registration"] == registration]
        theirs = [s["id"] for s in lrs.get(registration=registration)]
        assert sorted(theirs) == sorted(ours)


def test_sending_the_same_statements_again_is_harmless_but_changed_content_needs_a_new_id(
    lrs: LRS, statements: list[dict[str, Any]], posted: httpx.Response
) -> None:
    assert posted.status_code == 200, posted.text
    assert lrs.post(statements).status_code == 204  # already stored, unchanged: accepted
    passed = next(s for s in statements if s["verb"]["id"].endswith("/passed"))
    rescored = {**passed, "result": {**passed["result"], "success": False}}
    refused = lrs.post([rescored])
    assert refused.status_code == 409, refused.text  # why a rescore gets a new statement id
    (stored,) = lrs.get(statementId=passed["id"])
    assert _as_sent(stored) == passed
