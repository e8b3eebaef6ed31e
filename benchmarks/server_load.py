"""Workstations against one records server: start ``parolesim serve`` as its own process,
then many workstation processes that each sign in, start an attempt and record events at a
steady pace through :class:`~simulator.remote.client.RecordsClient`, timing every append.

Used by ``python -m benchmarks server`` and, smaller, by ``tests/remote/test_load.py``.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from simulator.remote.client import RecordsClient
from simulator.remote.tokens import SECRET_ENV
from simulator.store import ScenarioRef, Store

ROOT = Path(__file__).resolve().parent.parent
SERVE = [sys.executable, "-m", "simulator"]
REF = ScenarioRef("bench-classroom", "1.0.0", "b" * 64, "Classroom load")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server_process(
    db_url: str, *, workers: int = 1, secret: str | None = "x" * 48, timeout: float = 60
) -> Iterator[str]:
    """``parolesim serve --workers N`` on a free port of 127.0.0.1 until the block ends;
    yields its URL. ``secret=None`` leaves ``PAROLESIM_SERVER_SECRET`` unset."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PAROLESIM_SERVER", None)
    env.pop(SECRET_ENV, None)
    if secret is not None:
        env[SECRET_ENV] = secret
    proc = subprocess.Popen(
        [*SERVE, "--db", db_url, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"parolesim serve ended: {proc.stderr.read() if proc.stderr else ''}"
                )
            try:
                httpx.get(f"{url}/api/v1/setup", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise RuntimeError("parolesim serve did not answer in time") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def add_workstation_people(db_url: str, count: int) -> list[str]:
    """Trainee profiles ``ws0``... (no password, as on an academy's shared workstations)."""
    with Store.open(db_url) as store:
        admin = store.add_person(None, "loadadmin", role="admin", password="load-admin-pass-1")
        return [store.add_person(admin, f"ws{i}").username for i in range(count)]


def _event(seq: int) -> dict[str, Any]:
    return {"seq": seq, "type": "note", "t": seq * 0.5, "node": None, "text": f"event {seq}"}


def _workstation(url: str, name: str, events: int, pace: float, start_at: float, out: Any) -> None:
    try:
        with RecordsClient(url) as client:
            me = client.sign_in(name)
            while time.time() < start_at:
                time.sleep(0.005)
            attempt = client.attempts.start(me, me, REF, seed=7)
            recorder = client.attempts.recorder(me, attempt.id)
            latencies = []
            tick = time.monotonic()
            for seq in range(events):
                tick += pace
                time.sleep(max(0.0, tick - time.monotonic()))
                began = time.perf_counter()
                recorder(_event(seq))
                latencies.append(time.perf_counter() - began)
            out.put((name, attempt.id, latencies, None))
    except Exception as exc:  # reported to the parent, which fails the run
        out.put((name, None, [], f"{type(exc).__name__}: {exc}"))


@dataclass
class LoadResult:
    attempts: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run_workstations(
    url: str,
    names: list[str],
    *,
    events: int,
    pace: float,
    timeout: float = 300,
    start_delay: float = 2.0,
) -> LoadResult:
    """One process per name, all starting together after ``start_delay`` seconds (time for
    every process to sign in first); every append timed."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start_at = time.time() + start_delay
    procs = [
        context.Process(target=_workstation, args=(url, n, events, pace, start_at, queue))
        for n in names
    ]
    began = time.monotonic()
    for p in procs:
        p.start()
    result = LoadResult()
    for _ in procs:
        name, attempt_id, latencies, error = queue.get(timeout=timeout)
        if error:
            result.errors.append(f"{name}: {error}")
        else:
            result.attempts[name] = attempt_id
            result.latencies += latencies
    for p in procs:
        p.join(timeout=30)
    result.seconds = time.monotonic() - began - start_delay
    return result


def lost_or_duplicated(db_url: str, result: LoadResult, events: int) -> list[str]:
    """Each attempt's stored events must be exactly 0..events-1, in order, once each."""
    wrong = []
    with Store.open(db_url) as store:
        admin = store.sign_in("loadadmin", "load-admin-pass-1")
        for name, attempt_id in result.attempts.items():
            stored = store.attempts.log(admin, attempt_id)["events"]
            if [e["seq"] for e in stored] != list(range(events)):
                wrong.append(
                    f"{name}: attempt {attempt_id} holds seqs {[e['seq'] for e in stored]}"
                )
            elif [e["text"] for e in stored] != [f"event {i}" for i in range(events)]:
                wrong.append(f"{name}: attempt {attempt_id} holds other content")
    return wrong
