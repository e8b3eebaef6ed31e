"""A workstation records through the server exactly as against its own store; the server
scores the attempt itself, and refuses what is not the signed-in person's to send."""

from __future__ import annotations

import httpx
import pytest

from engine.loader import load_scenario
from scoring.scorer import score_session
from simulator.store import InvalidRecord, SignInFailed
from tests.remote.conftest import Academy
from tests.store.helpers import MINIMAL, play_to_end, start_minimal


def test_a_trainee_plays_through_the_server_and_the_server_scores_it(academy: Academy) -> None:
    client, alice = academy.client, academy.remote["alice"]
    link, session = start_minimal(client, alice, alice, seed=21)
    play_to_end(session)
    done = link.close(session)
    expected = score_session(session.to_log(), load_scenario(MINIMAL), link.pack).to_dict()
    assert (done.status, done.overall, done.passed) == (
        "completed",
        expected["overall"],
        expected["passed"],
    )
    assert client.attempts.report(alice, done.id) == expected
    assert client.attempts.log(alice, done.id)["events"] == [e.to_dict() for e in session.events]


def test_an_event_sent_twice_is_kept_once_and_a_gap_is_refused(academy: Academy) -> None:
    client, alice = academy.client, academy.remote["alice"]
    link, session = start_minimal(client, alice, alice, seed=22)
    first = session.events[0].to_dict()
    link.recorder.append(first)  # a retry of an acknowledged event
    with pytest.raises(InvalidRecord, match="expected event"):
        link.recorder.append({**first, "seq": link.recorder.next_seq + 3})
    stored = client.attempts.log(alice, link.attempt.id)["events"]
    assert [e["seq"] for e in stored] == list(range(len(session.events)))


def test_requests_without_a_valid_token_are_refused(academy: Academy) -> None:
    answer = httpx.get(f"{academy.server}/api/v1/attempts", params={"trainee": "bob"})
    assert answer.status_code == 401 and answer.json()["error"] == "sign_in_failed"
    forged = {"Authorization": f"Bearer {academy.cast.admin.id}.9999999999.x.y"}
    answer = httpx.get(f"{academy.server}/api/v1/audit", headers=forged)
    assert answer.status_code == 401
    answer = httpx.post(f"{academy.server}/api/v1/sessions", content=b"{not json")
    assert answer.status_code == 422 and "not JSON" in answer.json()["message"]
    with pytest.raises(SignInFailed, match="wrong password"):
        academy.client.sign_in("rae", "not-the-password")
