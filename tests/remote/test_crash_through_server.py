"""A workstation killed with SIGKILL at a random moment while recording through the server
loses nothing acknowledged, and the attempt resumes exactly (from another client)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from simulator.attempt_link import AttemptLink
from tests.remote.conftest import Academy
from tests.store.helpers import MINIMAL, ROOT, play_to_end

WORKSTATION = """
import sys
from engine.compile import compile_scenario
from engine.loader import load_scenario
from engine.session import Session
from simulator.attempt_link import AttemptLink
from simulator.remote.client import RecordsClient

client = RecordsClient(sys.argv[1])
me = client.sign_in("alice")
sf = load_scenario(sys.argv[2])
link = AttemptLink.start(client, me, me, sf, seed=3)
session = Session.start(compile_scenario(sf), 3, on_event=link.on_event)
print("attempt", link.attempt.id, flush=True)
i = 0
while True:
    session.note(f"observation {i}")
    print("acknowledged", session.events[-1].seq, flush=True)
    i += 1
"""


def test_sigkill_of_a_workstation_loses_nothing_acknowledged_and_resumes(
    academy: Academy,
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKSTATION, academy.server, str(MINIMAL)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    attempt_id = int(proc.stdout.readline().split()[1])
    last = int(proc.stdout.readline().split()[1])
    time.sleep(random.uniform(0.0, 0.5))  # a random moment, mid-request or between
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    for line in proc.stdout:
        last = int(line.split()[1])
    proc.stdout.close()

    alice = academy.remote["alice"]
    events = academy.client.attempts.log(alice, attempt_id)["events"]
    assert [e["seq"] for e in events] == list(range(len(events)))
    assert len(events) - 1 >= last  # every acknowledged event is stored
    notes = [e["text"] for e in events if e["type"] == "note"]
    assert notes == [f"observation {i}" for i in range(len(notes))]

    link, session = AttemptLink.resume(academy.client, alice, attempt_id)
    # a request in flight when the workstation died may still be committed by the server
    # after the first read: resume continues from everything stored by then
    stored = academy.client.attempts.log(alice, attempt_id)["events"]
    assert stored[: len(events)] == events
    assert [e.to_dict() for e in session.events] == stored
    play_to_end(session)
    done = link.close(session)
    assert done.status == "completed" and done.overall is not None
