"""The FTO commands through a records server (``--server``) as well as directly on the
database: the same answers, the same refusals, each refusal in the server's audit log."""

from __future__ import annotations

import io
import json
import sys

import pytest

from simulator.cli import main
from simulator.store import AccessDenied
from tests.remote.conftest import Academy
from tests.store.conftest import STAFF_PASSWORD


def _run(where: list[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stdin", io.StringIO(STAFF_PASSWORD + "\n"))
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        code = main([*where, *args, "--password-stdin"])
    return code, out.getvalue(), err.getvalue()


def _denied_by(academy: Academy) -> str:
    [entry] = academy.store.audit_log(academy.cast.admin, limit=1, denied_only=True)
    return entry.actor


@pytest.mark.parametrize("transport", ["direct", "server"])
def test_the_fto_commands_work_through_the_server(
    academy: Academy, transport: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = ["--server", academy.server] if transport == "server" else ["--db", academy.url]
    attempt = str(academy.bobs_attempt.id)

    def run(*args: str) -> tuple[int, str, str]:
        return _run(where, monkeypatch, *args)

    code, out, err = run("review", "--json", "--user", "fred")
    assert code == 0, err
    assert academy.bobs_attempt.id in [item["id"] for item in json.loads(out)]
    code, out, _ = run("review", attempt, "--json", "--user", "fred")
    assert code == 0 and json.loads(out)["attempt"]["trainee"] == "bob"
    code, _, err = run("review", attempt, "--user", "alice")
    assert code == 1 and "may not" in err and _denied_by(academy) == "alice"

    code, out, err = run(
        "evaluations", "new", "bob", "--rating", "officer_safety=5", "--sign", "--json",
        "--user", "fred",
    )  # fmt: skip
    assert code == 0, err
    made = json.loads(out)
    eid = str(made["id"])
    assert made["status"] == "signed_by_fto"
    assert run("evaluations", "ack", eid, "--comment", "Seen", "--user", "bob")[0] == 0
    code, _, err = run("evaluations", "sign", eid, "--user", "ines")  # not bob's instructor
    assert code == 1 and "may not" in err and _denied_by(academy) == "ines"
    assert run("evaluations", "sign", eid, "--user", "rae")[0] == 0
    code, out, _ = run("evaluations", "show", eid, "--user", "bob")
    assert '"Seen"' in out and "Supervisor: rae, " in out

    code, _, err = run("calibrate", "invite", attempt, "fred", "--user", "ines")
    assert code == 1 and "may not" in err and _denied_by(academy) == "ines"
    code, out, err = run("calibrate", "invite", attempt, "fred", "--json", "--user", "rae")
    assert code == 0, err
    code, out, err = run("calibrate", "--json", "--user", "fred")
    assert code == 0, err
    sessions = json.loads(out)
    assert sessions["complete_sessions"] + len(sessions["waiting"]) >= 1


def test_review_marks_and_blind_calibration_through_the_client(academy: Academy) -> None:
    client, remote = academy.client, academy.remote
    fred, rae, alice = remote["fred"], remote["rae"], remote["alice"]
    attempt = academy.bobs_attempt.id
    review = client.reviews.attempt(fred, attempt)
    assert review.attempt.id == attempt and review.report is not None
    decisions = review.report["decisions"]
    assert decisions, "the fixture run has scored decisions"
    mark = client.reviews.mark(fred, attempt, 1, agrees=False, reason="Seen from the car")
    assert (mark.agrees, mark.automatic_verdict) == (False, decisions[0]["verdict"])
    with pytest.raises(AccessDenied, match="may not"):
        client.reviews.mark(alice, attempt, 1, agrees=True)
    client.reviews.invite(rae, attempt, ["fred"])
    session = client.reviews.rate(fred, attempt, {"officer_safety": 4, "interviewing": "N.O."})
    # fred is the only rater invited (here and in the test above): the session is complete
    assert session.complete
    assert session.ratings == {"fred": {"officer_safety": 4, "interviewing": "N.O."}}
    assert [s.attempt.id for s in client.reviews.calibration(fred)] == [attempt]
