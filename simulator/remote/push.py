"""Server push for class sessions: ``GET /api/v1/class/{id}/events`` streams server-sent
events to a projector or a workstation.

Each event is ``event: pulse`` with the session's figures (joined, decision, voting state,
voters, distribution once closed) as JSON, sent at once and again after every change. A
change is heard from this process's class bus, which the store feeds after each commit and,
on PostgreSQL, a LISTEN thread feeds with the NOTIFY of every other server process sharing
the database, so a vote cast through any server reaches every projector. A comment line is
sent every few seconds so proxies keep the stream open. The stream ends after the pulse
that says the session has ended.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from simulator.remote import tokens, wire
from simulator.remote.wire import TOKEN_HEADER
from simulator.store import SignInFailed, Store, StoreError
from simulator.store.classdata import ClassSession

KEEPALIVE = 10.0  # seconds between keep-alive comments (and re-reads) on a quiet stream


def _frame(data: dict[str, Any]) -> str:
    return f"event: pulse\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


class PulseHub:
    """One read of a session per change, however many projectors and workstations follow
    it through this server process: each change bumps the session's generation and only
    then wakes the streams, and the first stream to ask after it reads the session while
    the others wait for that read."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._guard = threading.Lock()
        self._generation: dict[int, int] = {}
        self._wakers: dict[int, set[Callable[[], None]]] = {}
        self._cache: dict[int, tuple[int, ClassSession]] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    def _changed(self, session_id: int) -> None:
        with self._guard:
            self._generation[session_id] = self._generation.get(session_id, 0) + 1
            wakers = list(self._wakers.get(session_id, ()))
        for wake in wakers:
            wake()

    def waiter(self, session_id: int) -> tuple[asyncio.Event, Callable[[], None]]:
        """An event of the running loop, set after each change, and the unsubscribe."""
        loop = asyncio.get_running_loop()
        changed = asyncio.Event()

        def wake() -> None:
            loop.call_soon_threadsafe(changed.set)

        with self._guard:
            self._wakers.setdefault(session_id, set()).add(wake)
            first = session_id not in self._generation
            self._generation.setdefault(session_id, 0)
        if first:  # count this session's changes from now on (once per process)
            self._store.classes.bus.subscribe(session_id, self._changed)

        def unsubscribe() -> None:
            with self._guard:
                self._wakers.get(session_id, set()).discard(wake)

        return changed, unsubscribe

    async def latest(self, session_id: int) -> ClassSession:
        lock = self._locks.setdefault(session_id, asyncio.Lock())
        async with lock:
            with self._guard:
                generation = self._generation.get(session_id, 0)
            cached = self._cache.get(session_id)
            if cached is not None and cached[0] == generation:
                return cached[1]
            view = await run_in_threadpool(self._store.classes.snapshot, session_id)
            self._cache[session_id] = (generation, view)
            return view


def class_events(store: Store, secret: bytes) -> Any:
    """The endpoint streaming one class session's pulses to a signed-in viewer (the names
    of who has voted go to the session's instructors only)."""
    hub = PulseHub(store)

    async def endpoint(request: Request) -> Response:
        header = request.headers.get(TOKEN_HEADER, "")
        token = header.removeprefix("Bearer ").strip()
        try:
            person_id = tokens.verify(secret, token) if token else None
            if person_id is None:
                raise SignInFailed("not signed in, or the sign-in has expired: sign in again")
            session_id = int(request.path_params["id"])
            actor = await run_in_threadpool(store.person, person_id)
        except StoreError as exc:
            body, status = wire.error_body(exc)
            return JSONResponse(body, status_code=status)
        changed, unsubscribe = hub.waiter(session_id)  # before the first read: miss nothing
        try:
            first = await run_in_threadpool(store.classes.state, actor, session_id)
        except StoreError as exc:
            unsubscribe()
            body, status = wire.error_body(exc)
            return JSONResponse(body, status_code=status)
        teacher = first.viewer == "instructor"

        async def stream() -> AsyncIterator[str]:
            try:
                view, last = first, ""
                while True:
                    pulse = view.pulse()
                    if not teacher:
                        pulse["voted"] = []
                    frame = _frame(pulse)
                    if frame != last:
                        yield frame
                        last = frame
                    if view.status == "ended":
                        return
                    try:
                        await asyncio.wait_for(changed.wait(), timeout=KEEPALIVE)
                    except TimeoutError:
                        yield ": keep-alive\n\n"
                    changed.clear()
                    view = await hub.latest(session_id)
            finally:
                unsubscribe()

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return endpoint
