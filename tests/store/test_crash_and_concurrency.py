"""Crash safety and concurrent writers, on both backends: a process killed with SIGKILL
mid-attempt loses at most the event being written and resumes exactly; thirty writers at
once lose and duplicate nothing."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from simulator.attempt_link import AttemptLink
from simulator.store import ScenarioRef, Store
from tests.store.conftest import STAFF_PASSWORD
from tests.store.helpers import MINIMAL, ROOT, play_to_end

WRITER = """
import sys
from engine.compile import compile_scenario
from engine.loader import load_scenario
from engine.session import Session
from simulator.attempt_link import AttemptLink
from simulator.store import Store

store = Store.open(sys.argv[1])
actor = store.sign_in("alice")
sf = load_scenario(sys.argv[2])
link = AttemptLink.start(store, actor, "alice", sf, seed=3)
session = Session.start(compile_scenario(sf), 3, on_event=link.on_event)
print("attempt", link.attempt.id, flush=True)
i = 0
while True:
    session.note(f"observation {i}")
    print("committed", session.events[-1].seq, flush=True)
    i += 1
"""


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def test_sigkill_mid_attempt_keeps_every_committed_event_and_resumes_exactly(
    store: Store, db_url: str
) -> None:
    store.add_person(None, "alice")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, db_url, str(MINIMAL)],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    attempt_id = int(proc.stdout.readline().split()[1])
    last_committed = -1
    while last_committed < 40:
        last_committed = int(proc.stdout.readline().split()[1])
    proc.send_signal(signal.SIGKILL)  # very likely in the middle of writing the next event
    proc.wait(timeout=30)
    proc.stdout.close()

    alice = store.sign_in("alice")
    events = store.attempts.log(alice, attempt_id)["events"]
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(len(events)))  # nothing half-written, no gap
    assert len(events) - 1 >= last_committed  # every event reported committed is there
    notes = [e["text"] for e in events if e["type"] == "note"]
    assert notes == [f"observation {i}" for i in range(len(notes))]

    link, session = AttemptLink.resume(store, alice, attempt_id)
    assert [e.to_dict() for e in session.events] == events
    assert session.node_id == "door"
    play_to_end(session)
    done = link.close(session)
    final = store.attempts.log(alice, done.id)["events"]
    assert final[: len(events)] == events and final[-1]["type"] == "ended"


def test_sigkill_during_play_text_then_resume_from_the_command_line(
    store: Store, db_url: str
) -> None:
    store.add_person(None, "alice")
    cmd = [sys.executable, "-m", "simulator", "--db", db_url]
    proc = subprocess.Popen(
        [*cmd, "play", "--text", str(MINIMAL), "--seed", "3", "--trainee", "alice"],
        cwd=ROOT,
        env=_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None

    def read_until_prompt() -> str:
        seen = b""
        assert proc.stdout is not None
        while not seen.endswith(b"> "):
            chunk = os.read(proc.stdout.fileno(), 4096)
            assert chunk, "the game ended unexpectedly"
            seen += chunk
        return seen.decode()

    read_until_prompt()
    proc.stdin.write(b"1\n")  # knock and announce
    proc.stdin.flush()
    shown = read_until_prompt()  # the next decision is on screen: the choice is recorded
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        stream.close()  # type: ignore[union-attr]

    alice = store.sign_in("alice")
    (attempt,) = store.attempts.unfinished(alice, "alice")
    before = store.attempts.log(alice, attempt.id)["events"]
    assert [e["choice"] for e in before if e["type"] == "chose"] == ["knock"]
    assert (before[-1]["type"], before[-1]["node"]) in {
        ("presented", "calm"),
        ("presented", "upset"),
    }
    assert "Sam" in shown  # the decision that was on screen when the process died

    resumed = subprocess.run(
        [*cmd, "resume", str(attempt.id), "--user", "alice"],
        cwd=ROOT,
        env=_env(),
        input="1\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "Knock and announce yourself." in resumed.stdout  # the transcript so far
    assert f"recorded attempt {attempt.id}" in resumed.stderr
    after = store.attempts.log(alice, attempt.id)["events"]
    assert after[: len(before)] == before and after[-1]["type"] == "ended"
    assert store.attempts.get(alice, attempt.id).status == "completed"


REF = ScenarioRef("fixture-load", "1.0.0", "a" * 64, "Load test")
EVENTS_PER_WRITER = 40


def _write_attempt(store: Store, username: str, count: int) -> int:
    actor = store.sign_in(username)
    attempt = store.attempts.start(actor, actor, REF, seed=7)
    recorder = store.attempts.recorder(actor, attempt.id)
    for seq in range(count):
        recorder({"seq": seq, "type": "note", "t": seq / 10, "node": None, "text": f"{seq}"})
    return attempt.id


def _check(store: Store, ids: list[int], count: int) -> None:
    admin = store.sign_in("rae", STAFF_PASSWORD)
    assert len(set(ids)) == len(ids) == 30
    for attempt_id in ids:
        events = store.attempts.log(admin, attempt_id)["events"]
        assert [e["seq"] for e in events] == list(range(count))
        assert [e["text"] for e in events] == [str(i) for i in range(count)]


def test_thirty_threads_append_to_their_own_attempts_without_loss(store: Store) -> None:
    store.add_person(None, "rae", role="admin", password=STAFF_PASSWORD)
    admin = store.sign_in("rae", STAFF_PASSWORD)
    for i in range(30):
        store.add_person(admin, f"writer{i}")
    ids: list[int] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(30)

    def work(i: int) -> None:
        try:
            gate.wait()
            ids.append(_write_attempt(store, f"writer{i}", EVENTS_PER_WRITER))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    _check(store, ids, EVENTS_PER_WRITER)


def _process_writer(url: str, i: int, start_at: float, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    while time.time() < start_at:
        time.sleep(0.005)
    with Store.open(url, busy_timeout=60) as own:
        out.put(_write_attempt(own, f"writer{i}", 20))


@pytest.mark.skipif(sys.platform == "win32", reason="uses fork to start writers quickly")
def test_thirty_processes_append_to_their_own_attempts_without_loss(
    store: Store, db_url: str
) -> None:
    store.add_person(None, "rae", role="admin", password=STAFF_PASSWORD)
    admin = store.sign_in("rae", STAFF_PASSWORD)
    for i in range(30):
        store.add_person(admin, f"writer{i}")
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start_at = time.time() + 3
    procs = [
        context.Process(target=_process_writer, args=(db_url, i, start_at, queue))
        for i in range(30)
    ]
    for p in procs:
        p.start()
    ids = [queue.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    _check(store, ids, 20)


def test_database_file_after_a_crash_opens_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite3"
    script = (
        "import os, signal; from simulator.store import Store\n"
        f"s = Store.open({str(path)!r}); s.add_person(None, 'alice')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=_env(), timeout=60)
    assert (tmp_path / "records.sqlite3-wal").exists()  # the crash left the log behind
    examined = Store.examine(str(path))
    assert examined.healthy and examined.counts["people"] == 1
