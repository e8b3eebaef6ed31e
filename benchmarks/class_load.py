"""A class session under load: one ``parolesim serve`` process, an instructor's projector
(this process) following the session's event stream, and one process per trainee
workstation that joins, follows the same stream and votes at every decision.

Each trainee's vote is fixed by its number and the options (:func:`choice_index`), so the
expected count of every option is known; every vote is timed from the moment it is sent to
the first projector pulse that shows it. One workstation can be SIGKILLed right after its
first vote: a new process rejoins in its place, its second vote on that decision must be
refused, and the session goes on.

Used by ``python -m benchmarks classroom`` and, with the small fixture scenario, by
``tests/remote/test_class_load.py``.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from simulator.remote.client import RecordsClient
from simulator.store import InvalidRecord, Store

INSTRUCTOR, PASSWORD, COHORT = "loadteacher", "load-teacher-pass-1", "Load class"


def choice_index(trainee: int, options: int) -> int:
    """Which option trainee number ``trainee`` votes for: a spread with a clear leader."""
    return ((trainee % 5) * options) // 5


def add_class(db_url: str, count: int) -> list[str]:
    """An instructor teaching cohort ``Load class`` of ``count`` trainees ``cls0``..."""
    with Store.open(db_url) as store:
        admin = store.add_person(None, "classadmin", role="admin", password="class-admin-pass-1")
        store.add_person(admin, INSTRUCTOR, role="instructor", password=PASSWORD)
        store.add_cohort(admin, COHORT)
        store.enrol(admin, COHORT, INSTRUCTOR, role="instructor")
        names = []
        for i in range(count):
            names.append(store.add_person(admin, f"cls{i}").username)
            store.enrol(admin, COHORT, names[-1])
        return names


def _workstation(url: str, index: int, session_id: int, out: Any, rejoin: bool) -> None:
    name = f"cls{index}"
    votes: list[tuple[int, str, float, float]] = []
    try:
        with RecordsClient(url) as client:
            me = client.sign_in(name)
            view = client.classes.join(me, session_id)
            voted = dict(view.my_votes)
            if rejoin:
                refused = False
                poll = view.current
                if poll is not None and poll.number in voted:
                    try:
                        client.classes.vote(me, session_id, poll.options[0].id)
                    except InvalidRecord:
                        refused = True
                out.put(("rejoined", name, refused))
            for pulse in client.classes.pulses(me, session_id):
                number = pulse["decision"]
                if pulse["poll"] == "open" and number not in voted:
                    poll = client.classes.state(me, session_id).current
                    if poll is None or poll.number != number or poll.state != "open":
                        continue
                    option = poll.options[choice_index(index, len(poll.options))]
                    sent = time.time()
                    client.classes.vote(me, session_id, option.id)
                    votes.append((number, option.id, sent, time.time()))
                    voted[number] = option.id
                if pulse["status"] == "ended":
                    break
        out.put(("done", name, votes, None))
    except Exception as exc:  # reported to the projector, which fails the run
        out.put(("done", name, votes, f"{type(exc).__name__}: {exc}"))


@dataclass
class ClassResult:
    session_id: int = 0
    decisions: int = 0
    latencies: list[float] = field(default_factory=list)  # vote sent -> projector shows it
    acks: list[float] = field(default_factory=list)  # the vote request's own round trip
    votes: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    expected: dict[int, dict[str, int]] = field(default_factory=dict)  # decision -> counts
    shown: dict[int, dict[str, int]] = field(default_factory=dict)  # projector at close
    exported: dict[int, Counter[str]] = field(default_factory=dict)
    exported_voters: dict[int, list[str]] = field(default_factory=dict)
    rejoin_refused_second_vote: bool | None = None
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


class _Projector:
    """The instructor's screen: every pulse of the session's stream, with when it came."""

    def __init__(self, client: RecordsClient, me: Any, session_id: int) -> None:
        self.seen: list[tuple[float, dict[str, Any]]] = []
        self._lock = threading.Lock()
        thread = threading.Thread(target=self._follow, args=(client, me, session_id))
        thread.daemon = True
        thread.start()

    def _follow(self, client: RecordsClient, me: Any, session_id: int) -> None:
        for pulse in client.classes.pulses(me, session_id):
            with self._lock:
                self.seen.append((time.time(), pulse))

    def wait(self, check: Any, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                latest: dict[str, Any] | None = self.seen[-1][1] if self.seen else None
            if latest is not None and check(latest):
                return latest
            time.sleep(0.002)
        raise TimeoutError(f"the projector did not show the expected state; last: {self.seen[-1:]}")

    def first_showing(self, name: str, number: int, after: float) -> float | None:
        with self._lock:
            for at, pulse in self.seen:
                if at >= after and pulse.get("decision") == number and name in pulse["voted"]:
                    return at
        return None


def run_class(
    url: str, names: list[str], scenario: str, *, seed: int = 3, crash: bool
) -> ClassResult:
    """Run one whole class session of ``scenario`` with a workstation per name."""
    result = ClassResult()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    began = time.monotonic()
    with RecordsClient(url) as client:
        me = client.sign_in(INSTRUCTOR, PASSWORD)
        view = client.classes.start(me, COHORT, scenario, seed=seed)
        sid = result.session_id = view.id
        procs = {
            i: context.Process(target=_workstation, args=(url, i, sid, queue, False))
            for i in range(len(names))
        }
        for p in procs.values():
            p.start()
        projector = _Projector(client, me, sid)
        projector.wait(lambda p: p["joined"] == len(names))
        while view.current is not None:
            poll = view.current
            number = poll.number
            counts = Counter(
                poll.options[choice_index(i, len(poll.options))].id for i in range(len(names))
            )
            result.expected[number] = {o.id: counts.get(o.id, 0) for o in poll.options}
            client.classes.open_voting(me, sid)
            if crash and number == 1:
                projector.wait(lambda p: "cls0" in p["voted"])
                os.kill(procs[0].pid or 0, signal.SIGKILL)
                procs[0].join()
                procs[0] = context.Process(target=_workstation, args=(url, 0, sid, queue, True))
                procs[0].start()
                kind, _name, refused = queue.get(timeout=60)
                result.rejoin_refused_second_vote = kind == "rejoined" and refused
            projector.wait(lambda p, n=number: p["decision"] == n and p["voters"] == len(names))
            view = client.classes.close_voting(me, sid)
            shown = projector.wait(lambda p, n=number: p["decision"] == n and p["poll"] == "closed")
            result.shown[number] = dict(shown["distribution"])
            leaders = view.polls[-1].leaders()
            view = client.classes.play(me, sid, leaders[0] if leaders else "A")
            result.decisions += 1
        client.classes.end(me, sid)
        for _ in procs:
            kind, name, votes, error = queue.get(timeout=60)
            if error:
                result.errors.append(f"{name}: {error}")
            result.votes[name] = [(n, c) for n, c, _s, _a in votes]
            for number, _choice, sent, acked in votes:
                result.acks.append(acked - sent)
                at = projector.first_showing(name, number, sent - 0.001)
                if at is None:
                    result.errors.append(f"{name}'s vote on decision {number} never showed")
                else:
                    result.latencies.append(max(0.0, at - sent))
        for p in procs.values():
            p.join(timeout=30)
        exported = client.classes.export(me, sid)
        for decision in exported["decisions"]:
            voters = [v["trainee"] for v in decision["votes"]]
            result.exported_voters[decision["number"]] = voters
            result.exported[decision["number"]] = Counter(v["choice"] for v in decision["votes"])
    result.seconds = time.monotonic() - began
    return result
