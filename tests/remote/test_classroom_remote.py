"""Class sessions and assignments through the records server and the command line: the
whole flow with --json, the event stream reaching a projector at once, and two server
processes agreeing through PostgreSQL's LISTEN/NOTIFY."""

from __future__ import annotations

import io
import json
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from simulator.cli import main
from simulator.remote.client import RecordsClient
from simulator.store import AccessDenied, Store
from tests.remote.conftest import Academy
from tests.remote.serving import serving
from tests.store.conftest import STAFF_PASSWORD


def _cli(args: list[str], monkeypatch: pytest.MonkeyPatch, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stdin", io.StringIO(stdin))
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        try:
            code = main(args)
        except SystemExit as exit_:  # argparse refuses a malformed argument
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def _as(academy: Academy, who: str, args: list[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    stdin = "" if who == "alice" else STAFF_PASSWORD + "\n"
    code, out, err = _cli(
        ["--server", academy.server, *args, "--user", who, "--password-stdin", "--json"],
        monkeypatch,
        stdin,
    )
    assert code == 0, err
    return json.loads(out)


def test_a_whole_class_session_from_the_command_line_through_the_server(
    academy: Academy, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = _as(academy, "ines", ["class", "start", "Class 26-1", "fixture-minimal"], monkeypatch)
    sid = started["id"]
    assert started["polls"][0]["state"] == "open" and started["story"]
    joined = _as(academy, "alice", ["class", "join"], monkeypatch)  # the one open for her cohort
    assert joined["id"] == sid and joined["viewer"] == "trainee"
    decisions = 0
    while True:
        voted = _as(academy, "alice", ["class", "vote", str(sid), "A"], monkeypatch)
        number = voted["polls"][-1]["number"]
        assert voted["my_votes"][str(number)] == voted["polls"][-1]["options"][0]["id"]
        code, _out, err = _cli(
            ["--server", academy.server, "class", "vote", str(sid), "1", "--user", "alice"],
            monkeypatch,
        )
        assert code == 1 and f"alice has already voted A on decision {number}" in err
        closed = _as(academy, "ines", ["class", "close", str(sid)], monkeypatch)
        assert sum(closed["polls"][-1]["votes"].values()) == 1
        played = _as(academy, "ines", ["class", "next", str(sid)], monkeypatch)
        decisions += 1
        if played["ending"] is not None:
            break
    ended = _as(academy, "ines", ["class", "end", str(sid)], monkeypatch)
    assert ended["status"] == "ended" and len(ended["report"]["decisions"]) == decisions
    exported = _as(academy, "ines", ["class", "export", str(sid)], monkeypatch)
    assert [len(d["votes"]) for d in exported["decisions"]] == [1] * decisions
    code, out, _ = _cli(
        [
            "--server",
            academy.server,
            "class",
            "show",
            str(sid),
            "--user",
            "ines",
            "--password-stdin",
        ],
        monkeypatch,
        STAFF_PASSWORD + "\n",
    )
    assert code == 0 and "debrief: score" in out and "<- played" in out


def test_wrong_input_gets_a_one_line_error(
    academy: Academy, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = ["--server", academy.server]
    cases = [
        (
            ["class", "vote", "999999", "A", "--user", "alice"],
            1,
            "no class session numbered 999999",
        ),
        (
            ["class", "start", "Class 26-1", "no-such", "--user", "ines", "--password-stdin"],
            1,
            "no scenario 'no-such'",
        ),
        (
            ["assign", "Class 26-1", "fixture-minimal", "--due", "next week", "--user", "ines"],
            2,
            "expected a date as YYYY-MM-DD",
        ),
        (
            ["assign", "Class 26-1", "fixture-minimal", "--user", "ines", "--password-stdin"],
            2,
            "needs the cohort and a due date",
        ),
        (
            ["class", "hands", "5", "A:3", "--user", "ines", "--password-stdin"],
            2,
            "a show of hands is OPTION=COUNT",
        ),
    ]
    for args, expected_code, words in cases:
        code, _out, err = _cli([*where, *args], monkeypatch, STAFF_PASSWORD + "\n")
        said = [line for line in err.splitlines() if line.startswith("parolesim:")]
        assert (code, len(said), words in said[0]) == (expected_code, 1, True), err


def test_assign_from_the_command_line_lists_who_has_not_done_it(
    academy: Academy, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _as(
        academy,
        "ines",
        ["assign", "Class 26-1", "fixture-minimal", "--due", "2027-01-15"],
        monkeypatch,
    )
    assert made["pending"] == ["alice"] and made["due_on"] == "2027-01-15"
    mine = _as(academy, "alice", ["assign", "--list"], monkeypatch)
    assert [(m["scenario_id"], m["is_done"]) for m in mine] == [("fixture-minimal", False)]
    listed = _as(academy, "ines", ["assign", "Class 26-1", "--list"], monkeypatch)
    assert listed[0]["pending"] == ["alice"]


def _follow(
    client: RecordsClient, actor: Any, sid: int, seen: list[tuple[float, dict[str, Any]]]
) -> None:
    try:
        for pulse in client.classes.pulses(actor, sid):
            seen.append((time.monotonic(), pulse))
    except Exception as exc:  # the stream is cut at the end of the test
        seen.append((time.monotonic(), {"error": str(exc)}))


def _waiting_for(seen: list[tuple[float, dict[str, Any]]], check: Any, since: float) -> float:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        for at, pulse in list(seen):
            if at >= since and check(pulse):
                return at - since
        time.sleep(0.005)
    raise AssertionError(f"no pulse matched within 5 s: {seen[-3:]}")


@pytest.fixture
def projector(academy: Academy) -> Iterator[tuple[RecordsClient, Any]]:
    with RecordsClient(academy.server) as client:
        yield client, client.sign_in("ines", STAFF_PASSWORD)


def test_the_event_stream_brings_each_vote_to_the_projector_within_a_second(
    academy: Academy, projector: tuple[RecordsClient, Any]
) -> None:
    client, ines = projector
    view = academy.client.classes.start(
        academy.remote["ines"], "Class 26-1", "fixture-minimal", seed=8
    )
    seen: list[tuple[float, dict[str, Any]]] = []
    threading.Thread(target=_follow, args=(client, ines, view.id, seen), daemon=True).start()
    _waiting_for(seen, lambda p: p.get("poll") == "waiting", 0)
    t0 = time.monotonic()
    academy.client.classes.open_voting(academy.remote["ines"], view.id)
    assert _waiting_for(seen, lambda p: p.get("poll") == "open", t0) < 1.0
    t0 = time.monotonic()
    academy.client.classes.vote(academy.remote["alice"], view.id, "A")
    assert _waiting_for(seen, lambda p: p.get("voted") == ["alice"], t0) < 1.0
    with pytest.raises(AccessDenied):
        list(academy.client.classes.pulses(academy.remote["bob"], view.id))
    academy.client.classes.end(academy.remote["ines"], view.id)
    _waiting_for(seen, lambda p: p.get("status") == "ended", t0)


@pytest.mark.postgres
def test_two_server_processes_agree_through_listen_notify(academy: Academy) -> None:
    if not academy.url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; the SQLite store runs on one machine")
    with (
        Store.open(academy.url, local_paths=False) as second,
        serving(second) as other,
        RecordsClient(other) as far,
    ):
        ines = far.sign_in("ines", STAFF_PASSWORD)
        view = academy.client.classes.start(
            academy.remote["ines"], "Class 26-1", "fixture-minimal", seed=9
        )
        seen: list[tuple[float, dict[str, Any]]] = []
        threading.Thread(target=_follow, args=(far, ines, view.id, seen), daemon=True).start()
        _waiting_for(seen, lambda p: p.get("poll") == "waiting", 0)
        t0 = time.monotonic()
        academy.client.classes.open_voting(academy.remote["ines"], view.id)
        academy.client.classes.vote(academy.remote["alice"], view.id, "B")
        assert _waiting_for(seen, lambda p: p.get("voted") == ["alice"], t0) < 1.0
        academy.client.classes.end(academy.remote["ines"], view.id)
        _waiting_for(seen, lambda p: p.get("status") == "ended", t0)
