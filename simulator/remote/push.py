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
from collections.abc import AsyncIterator
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from simulator.remote import tokens, wire
from simulator.remote.wire import TOKEN_HEADER
from simulator.store import SignInFailed, Store, StoreError

KEEPALIVE = 10.0  # seconds between keep-alive comments (and re-reads) on a quiet stream


def _frame(data: dict[str, Any]) -> str:
    return f"event: pulse\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def class_events(store: Store, secret: bytes) -> Any:
    """The endpoint streaming one class session's pulses to a signed-in viewer."""

    async def endpoint(request: Request) -> Response:
        header = request.headers.get(TOKEN_HEADER, "")
        token = header.removeprefix("Bearer ").strip()
        try:
            person_id = tokens.verify(secret, token) if token else None
            if person_id is None:
                raise SignInFailed("not signed in, or the sign-in has expired: sign in again")
            session_id = int(request.path_params["id"])
            actor = await run_in_threadpool(store.person, person_id)
            first = await run_in_threadpool(store.classes.state, actor, session_id)
        except StoreError as exc:
            body, status = wire.error_body(exc)
            return JSONResponse(body, status_code=status)
        changed, unsubscribe = store.classes.bus.waiter(session_id)

        async def stream() -> AsyncIterator[str]:
            try:
                view, last = first, ""
                while True:
                    frame = _frame(view.pulse())
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
                    view = await run_in_threadpool(store.classes.state, actor, session_id)
            finally:
                unsubscribe()

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return endpoint
