"""The client's talk over a conversation: its state before the first decision and after each.

Debriefs and the MITI global estimate need to know how change talk, sustain
talk and discord moved in answer to what the officer did. A session log holds
only the decisions, so the trajectory is rebuilt by running the same decisions
again with the same seed: exact, because sessions are deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.compile import CompiledScenario
from engine.mechanics.client import ClientState, state_of
from engine.session import ReplayError, Session, SessionError


@dataclass(frozen=True)
class TalkPoint:
    """The client's state after one decision (``node`` is None for the starting state)."""

    node: str | None
    choice: str | None
    facts: tuple[str, ...]
    state: ClientState


def client_trajectory(
    compiled: CompiledScenario, log: Mapping[str, Any] | Session
) -> list[TalkPoint]:
    """The starting state and the state after every decision of a run.

    Raises :class:`ReplayError` if the log is for another scenario version or
    its decisions cannot be taken (the same checks as resuming a session).
    """
    if isinstance(log, Session):
        log = log.to_log()
    info = log.get("scenario") or {}
    if info.get("hash") not in (None, compiled.hash):
        raise ReplayError(
            f"this log was recorded with a different version of '{compiled.scenario.id}'"
        )
    events = list(log.get("events") or [])
    seed = int(log.get("seed", events[0].get("seed", 0) if events else 0))
    session = Session.start(compiled, seed, clock=lambda: 0.0, wall_clock=False)
    points = [TalkPoint(None, None, (), state_of(session.vars))]
    try:
        for ev in events:
            kind = ev.get("type")
            if kind not in ("chose", "timed_out"):
                continue
            if ev.get("node") != session.node_id:
                raise ReplayError(
                    f"the log decides at '{ev.get('node')}' but the run is at '{session.node_id}'"
                )
            if kind == "chose":
                session.choose(str(ev["choice"]))
            else:
                session.time_out()
            record = session.decisions[-1]
            points.append(
                TalkPoint(record.node, record.choice, record.facts, state_of(session.vars))
            )
    except SessionError as exc:
        raise ReplayError(f"the log cannot be replayed: {exc}") from None
    return points
