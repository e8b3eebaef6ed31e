"""Sessions: one trainee's run through a scenario, kept as an ordered event log.

State, transcript and decisions are derived from the events; ``replay`` rebuilds
them exactly from a log (and can then continue, which is how resume works).
Narration and chance nodes advance by themselves; decisions wait for
``choose`` or ``time_out``; a terminal node ends the session.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

import numpy as np

from engine.compile import (
    CompiledScenario,
    SessionModel,
    draw_persona,
)
from engine.mechanics import caseload, places
from engine.mechanics.deescalation import Reaction, variation_draw
from engine.model import Chance, Choice, Decision, Line, Narration, Terminal
from engine.model import Node as ModelNode

LOG_FORMAT = "parolesim-session/1"
MAX_AUTO_STEPS = 100_000
# the option order of each decision is drawn from its own stream of the attempt's seed, so
# shuffling never changes the persona, chance or reaction draws a seed gives
ORDER_STREAM = 0x5EED


class SessionError(Exception):
    """An action that the session cannot take now (wrong node, unknown or unavailable choice)."""


class ReplayError(Exception):
    """A log that cannot be replayed against this scenario version."""


class Event(NamedTuple):
    """One entry of the log: what happened, when (seconds since start) and where."""

    seq: int
    type: str
    t: float
    node: str | None
    data: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "type": self.type, "t": self.t, "node": self.node, **self.data}

    @staticmethod
    def from_dict(d: Mapping[str, Any]) -> Event:
        data = {k: v for k, v in d.items() if k not in ("seq", "type", "t", "node")}
        return Event(int(d["seq"]), str(d["type"]), float(d["t"]), d.get("node"), data)


class TranscriptLine(NamedTuple):
    speaker: str
    text: str
    node: str
    kind: str = "line"  # line | officer | action | ending


class DecisionRecord(NamedTuple):
    """A decision as the scorer needs it: what was chosen and what else was available."""

    node: str
    choice: str
    facts: tuple[str, ...]
    timed_out: bool
    available: tuple[str, ...]
    t: float
    seq: int


Clock = Callable[[], float]


class Session:
    """A live run. Create with :meth:`start` or :func:`replay`."""

    def __init__(
        self,
        compiled: CompiledScenario,
        seed: int,
        *,
        on_event: Callable[[Event], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.compiled = compiled
        self.seed = int(seed)
        self.rng = np.random.default_rng(self.seed)
        self.on_event = on_event
        self._t0 = time.monotonic()
        self.clock: Clock = clock or (lambda: round(time.monotonic() - self._t0, 3))
        self.events: list[Event] = []
        self.transcript: list[TranscriptLine] = []
        self.decisions: list[DecisionRecord] = []
        self.persona: dict[str, Any] = {}
        self.fired: set[str] = set()
        self.model = SessionModel(compiled.scenario.start, {})
        self.reactions: list[tuple[int, Reaction]] = []
        self._expected: list[Mapping[str, Any]] | None = None
        self._at: str | None = None
        # accessibility timing (WCAG 2.2.1): a multiplier for every timed decision, or
        # None for no timer at all; recorded in the 'started' event so grading knows
        self.extra_time: float | None = 1.0
        # options are shown in a seeded random order (recorded in the log); logs made before
        # shuffling existed replay in authored order
        self.shuffle = True
        self.order_rng = np.random.default_rng([self.seed, ORDER_STREAM])
        self._order: tuple[str, ...] = ()

    # ------------------------------------------------------------------ public API

    @classmethod
    def start(
        cls,
        compiled: CompiledScenario,
        seed: int,
        *,
        on_event: Callable[[Event], None] | None = None,
        clock: Clock | None = None,
        wall_clock: bool = True,
        extra_time: float | None = 1.0,
    ) -> Session:
        """Start a run; ``extra_time`` multiplies each decision's time limit (None: no
        timer, the trainee answers in their own time)."""
        if extra_time is not None and extra_time < 1.0:
            raise SessionError(f"extra time must be at least 1.0 (or None), not {extra_time}")
        s = cls(compiled, seed, on_event=on_event, clock=clock)
        s.extra_time = extra_time
        s._at = datetime.now(UTC).isoformat(timespec="seconds") if wall_clock else None
        s._begin()
        return s

    @property
    def node_id(self) -> str:
        return self.model.state

    @property
    def node(self) -> ModelNode:
        return self.compiled.scenario.nodes[self.model.state]

    @property
    def vars(self) -> dict[str, Any]:
        return self.model.env

    @property
    def ended(self) -> bool:
        return isinstance(self.node, Terminal)

    @property
    def ending(self) -> Terminal | None:
        node = self.node
        return node if isinstance(node, Terminal) else None

    def ending_info(self) -> dict[str, str] | None:
        """``{"id", "outcome", "title"}`` of the ending reached, as logs and scoring keep it."""
        ending = self.ending
        if ending is None:
            return None
        return {"id": self.node_id, "outcome": ending.outcome.value, "title": ending.title}

    @property
    def timeout_seconds(self) -> float | None:
        """This decision's time limit for this trainee (with extra time), None if untimed."""
        node = self.node
        if isinstance(node, Decision) and node.timeout is not None and self.extra_time:
            return node.timeout.seconds * self.extra_time
        return None

    def available_choices(self) -> list[Choice]:
        """The choices open now, in the order this trainee is shown them."""
        options = self.compiled.options.get(self.model.state)
        if options is None:
            return []
        env = self.model.env
        open_now = {o.choice.id: o.choice for o in options if o.guard is None or o.guard(env)}
        return [open_now[cid] for cid in self._order if cid in open_now]

    @property
    def shown_order(self) -> tuple[str, ...]:
        """The ids of the current decision's open choices as shown (empty elsewhere)."""
        return self._order

    def choose(self, choice_id: str) -> None:
        self._decide(choice_id, timed_out=False)

    def time_out(self) -> None:
        node = self.node
        if not isinstance(node, Decision) or node.timeout is None:
            raise SessionError(f"'{self.node_id}' is not a timed decision")
        self._decide(node.timeout.default, timed_out=True)

    def fork(self) -> Session:
        """An independent copy of this live session (its own state, log and random streams),
        so path analysis can try every choice from here without replaying from the start."""
        other = Session.__new__(Session)
        other.__dict__.update(self.__dict__)
        other.on_event = None
        other.rng = copy.deepcopy(self.rng)
        other.order_rng = copy.deepcopy(self.order_rng)
        other.events = list(self.events)
        other.transcript = list(self.transcript)
        other.decisions = list(self.decisions)
        other.persona = dict(self.persona)
        other.fired = set(self.fired)
        other.reactions = list(self.reactions)
        other.model = SessionModel(self.model.state, dict(self.model.env))
        other._expected = None
        return other

    def note(self, text: str) -> None:
        self._emit("note", self.node_id, {"text": str(text)})

    def to_log(self) -> dict[str, Any]:
        s = self.compiled.scenario
        return {
            "format": LOG_FORMAT,
            "scenario": {
                "id": s.id,
                "version": s.version,
                "hash": self.compiled.hash,
                "path": str(self.compiled.file.path),
            },
            "seed": self.seed,
            "events": [e.to_dict() for e in self.events],
            "ending": self.ending_info(),
        }

    # ------------------------------------------------------------------ internals

    def _begin(self) -> None:
        s = self.compiled.scenario
        self.persona = draw_persona(s, self.rng)
        env = dict(self.persona)
        for name, init in self.compiled.initial:
            env[name] = init(env)
        env.update(places.initial_state(s.places))
        env.update(caseload.initial_state(s.caseload))
        if self.compiled.intake is not None:
            env.update(self.compiled.intake.initial_state(env))
        self.model.env = env
        data: dict[str, Any] = {"seed": self.seed, "persona": dict(self.persona)}
        if self.extra_time != 1.0:  # logs of standard timing stay as they always were
            data["timing"] = (
                {"timer": "off"} if self.extra_time is None else {"extra_time": self.extra_time}
            )
        if self.shuffle:
            data["shuffle"] = True
        if self.compiled.intake is not None:  # the key comes from the pack's instrument
            data["instrument"] = dict(self.compiled.intake.identity)
        if self._at is not None:
            data["at"] = self._at
        self._emit("started", None, data)
        self._enter(s.start)

    def _decide(self, choice_id: str, *, timed_out: bool) -> None:
        nid = self.model.state
        options = self.compiled.options.get(nid)
        if options is None:
            raise SessionError(f"'{nid}' is not waiting for a decision")
        env = self.model.env
        option = None
        available = []
        for o in options:
            if o.guard is None or o.guard(env):
                available.append(o.choice.id)
            if o.choice.id == choice_id:
                option = o
        if option is None:
            known = ", ".join(o.choice.id for o in options)
            raise SessionError(f"'{choice_id}' is not a choice at '{nid}' (choices: {known})")
        if choice_id not in available:
            raise SessionError(f"'{choice_id}' is not available at '{nid}' now")
        choice = option.choice
        event = self._emit("timed_out" if timed_out else "chose", nid, {"choice": choice_id})
        # facts the mechanics derive are judged from the state before the choice
        placed = places.act(self.compiled.scenario, choice, env)
        if self.compiled.intake is not None and choice.intake is not None:
            placed = places.merged(placed, self.compiled.intake.act(choice, env))
        planned = caseload.act(self.compiled.scenario, choice, env, self.seed)
        derived = (*placed.facts, *planned.facts)
        facts = tuple(dict.fromkeys((*option.facts, *derived))) if derived else option.facts
        self.decisions.append(
            DecisionRecord(nid, choice_id, facts, timed_out, tuple(available), event.t, event.seq)
        )
        transcript = self.transcript
        if timed_out:
            transcript.append(TranscriptLine("narrator", "Time ran out.", nid, "action"))
        if choice.say:
            transcript.append(TranscriptLine("officer", choice.say, nid, "officer"))
        else:
            transcript.append(TranscriptLine("officer", choice.text, nid, "action"))
        option.event.trigger(self.model)
        if self.compiled.deescalation is not None:
            self._react(option.facts)
        for effect in option.effects:
            effect(env)
        if placed is not places.NOTHING:
            self._apply_derived(placed.updates, placed.facts, placed.lines, choice, nid)
        if planned is not caseload.NOTHING:
            lines = tuple(("narrator", text) for text in planned.lines)
            self._apply_derived(planned.updates or {}, planned.facts, lines, choice, nid)
        if choice.reply:
            self._lines(choice.reply, nid)
        if self.compiled.interrupts:
            self._check_interrupts(nid)
        self._enter(self.model.state)

    def _apply_derived(
        self,
        updates: Mapping[str, Any],
        facts: tuple[str, ...],
        lines: tuple[tuple[str, str], ...],
        choice: Choice,
        nid: str,
    ) -> None:
        """State changes and narration a mechanic derived from a choice (at the address, on
        the caseload), then the scenario's reactions to the facts it derived (after the
        choice's own effects)."""
        env = self.model.env
        env.update(updates)
        for fact in facts:
            if fact not in choice.facts:
                for effect in self.compiled.reactions.get(fact, ()):
                    effect(env)
        for speaker, text in lines:
            self.transcript.append(TranscriptLine(speaker, text, nid))

    def _react(self, facts: tuple[str, ...]) -> None:
        """Apply the scenario's de-escalation profile to the choice being made."""
        assert self.compiled.deescalation is not None
        index = len(self.decisions) - 1
        reaction = self.compiled.deescalation.react(
            self.model.env, facts, variation_draw(self.seed, index)
        )
        if reaction is not None:
            self.reactions.append((index, reaction))

    def _lines(self, lines: Sequence[Line], nid: str) -> None:
        env = self.model.env
        scenario = self.compiled.scenario
        for line in lines:
            if self.compiled.holds(line.when, env):
                text = caseload.fill(scenario, self.seed, line.text)  # as written elsewhere
                self.transcript.append(TranscriptLine(line.speaker, text, nid))

    def _check_interrupts(self, nid: str) -> None:
        env = self.model.env
        for interrupt_id, when, once in self.compiled.interrupts:
            if once and interrupt_id in self.fired:
                continue
            if when(env):
                self.fired.add(interrupt_id)
                self.compiled.trigger(f"interrupt:{interrupt_id}", self.model)
                self._emit(
                    "interrupted", nid, {"interrupt": interrupt_id, "next": self.model.state}
                )
                return

    def _enter(self, nid: str) -> None:
        scenario = self.compiled.scenario
        nodes = scenario.nodes
        for _ in range(MAX_AUTO_STEPS):
            node = nodes[nid]
            arrived: tuple[str, ...] = ()
            if scenario.caseload is not None:
                updates, arrived = caseload.arrivals(scenario, self.seed, nid, self.model.env)
                self.model.env.update(updates)
            noticed = places.NOTHING
            is_decision = nid in self.compiled.options
            if is_decision:
                # what the officers notice on arriving at a decision comes before its options
                if scenario.places is not None:
                    noticed = places.on_decision(scenario, self.model.env)
                    self.model.env.update(noticed.updates)
                self._order = self._shown_order(nid)
                self._emit("presented", nid, {"order": list(self._order)} if self.shuffle else {})
            else:
                self._order = ()
                self._emit("presented", nid, {})
            if node.lines:
                self._lines(node.lines, nid)
            for text in arrived:
                self.transcript.append(TranscriptLine("narrator", text, nid))
            if is_decision:
                for speaker, text in noticed.lines:
                    self.transcript.append(TranscriptLine(speaker, text, nid))
                return
            if isinstance(node, Narration):
                self.compiled.trigger(f"{nid}:next", self.model)
            elif isinstance(node, Chance):
                index = self._draw(nid)
                nxt = node.outcomes[index].next
                self._emit("chance", nid, {"outcome": index, "next": nxt})
                self.compiled.trigger(f"{nid}:{index}", self.model)
            elif isinstance(node, Terminal):
                self.transcript.append(TranscriptLine("narrator", node.title, nid, "ending"))
                self._emit("ended", nid, {"outcome": node.outcome.value})
                return
            nid = self.model.state
        raise SessionError("the scenario loops through narration/chance nodes without a decision")

    def _shown_order(self, nid: str) -> tuple[str, ...]:
        """The open choices of decision ``nid`` in display order: pinned-first ones, the rest
        in a random order from the attempt's order stream, then pinned-last ones."""
        env = self.model.env
        open_now = [o.choice for o in self.compiled.options[nid] if o.guard is None or o.guard(env)]
        if not self.shuffle:
            return tuple(c.id for c in open_now)
        free = [c.id for c in open_now if c.pin is None]
        if len(free) > 1:
            free = [free[i] for i in self.order_rng.permutation(len(free))]
        return (
            *(c.id for c in open_now if c.pin == "first"),
            *free,
            *(c.id for c in open_now if c.pin == "last"),
        )

    def _draw(self, nid: str) -> int:
        env = self.model.env
        weights = [max(0.0, float(w(env))) for w in self.compiled.weights[nid]]
        u = float(self.rng.random())
        total = sum(weights)
        if total <= 0:
            return len(weights) - 1
        acc = 0.0
        for i, w in enumerate(weights):
            acc += w / total
            if u < acc:
                return i
        return len(weights) - 1

    def _emit(self, type_: str, node: str | None, data: dict[str, Any]) -> Event:
        seq = len(self.events)
        replaying = self._expected is not None and seq < len(self._expected)
        if replaying:
            t = self._check_expected(seq, type_, node, data)
        else:
            self._expected = None  # past the end of a replayed log: the session is live
            t = self.clock()
        event = Event(seq, type_, t, node, data)
        self.events.append(event)
        if self.on_event is not None and not replaying:
            self.on_event(event)
        return event

    def _check_expected(
        self, seq: int, type_: str, node: str | None, data: dict[str, Any]
    ) -> float:
        assert self._expected is not None
        want = self._expected[seq]
        got = {"type": type_, "node": node, **data}
        ignore = {"seq", "t", "at"}
        want_cmp = {k: v for k, v in want.items() if k not in ignore}
        if want_cmp != {k: v for k, v in got.items() if k not in ignore}:
            raise ReplayError(
                f"the log diverges at event {seq}: it records {want_cmp}, but replaying gives {got}"
            )
        if "at" in want:
            data["at"] = want["at"]
        return float(want["t"])


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_log(log: Any) -> None:
    """Refuse a log whose shape is wrong (keys missing, wrong types) with what and where.

    Logs are files a user can edit or truncate; replay and scoring may assume what
    this checks: a format, a whole-number seed, and events with a whole ``seq``, a
    ``type`` word, a number ``t`` and, for choices, a choice id.
    """
    if not isinstance(log, Mapping):
        raise ReplayError("a session log is a JSON object with 'scenario', 'seed' and 'events'")
    if log.get("format", LOG_FORMAT) != LOG_FORMAT:
        raise ReplayError(f"unknown log format {log.get('format')!r}; expected {LOG_FORMAT!r}")
    if not isinstance(log.get("scenario", {}), Mapping):
        raise ReplayError("'scenario' must be an object with the scenario's id and hash")
    if "seed" in log and not _whole(log["seed"]):
        raise ReplayError(f"'seed' must be a whole number, not {log['seed']!r}")
    events = log.get("events")
    if not isinstance(events, list) or not events:
        raise ReplayError(
            "'events' must be a list of the session's events, starting with 'started'"
        )
    for i, ev in enumerate(events):
        where = f"event {i + 1} of 'events'"
        if not isinstance(ev, Mapping):
            raise ReplayError(f"{where} must be an object, not {ev!r}"[:200])
        if not _whole(ev.get("seq")):
            raise ReplayError(f"{where}: 'seq' must be a whole number, not {ev.get('seq')!r}")
        if not isinstance(ev.get("type"), str):
            raise ReplayError(f"{where}: 'type' must be a word such as 'chose'")
        t = ev.get("t", 0.0)
        if isinstance(t, bool) or not isinstance(t, int | float) or t != t:
            raise ReplayError(f"{where}: 't' must be a number of seconds, not {t!r}")
        if ev["type"] == "chose" and not isinstance(ev.get("choice"), str):
            raise ReplayError(f"{where}: a 'chose' event needs the 'choice' id it chose")
        if "seed" in ev and not _whole(ev["seed"]):
            raise ReplayError(f"{where}: 'seed' must be a whole number, not {ev['seed']!r}")


def replay(
    compiled: CompiledScenario,
    log: Mapping[str, Any],
    *,
    on_event: Callable[[Event], None] | None = None,
    clock: Clock | None = None,
) -> Session:
    """Rebuild a session from its log: same state, transcript and decisions.

    The returned session can continue; new events go to ``on_event`` with times
    that carry on from the last logged event.
    """
    check_log(log)
    info = log.get("scenario") or {}
    s = compiled.scenario
    if info.get("id") not in (None, s.id):
        raise ReplayError(f"this log is for scenario '{info.get('id')}', not '{s.id}'")
    if info.get("hash") != compiled.hash:
        raise ReplayError(
            f"this log was recorded with a different version of '{s.id}' "
            f"(hash {str(info.get('hash'))[:12]}, the file now has {compiled.hash[:12]}); "
            "the scenario changed since, so the run cannot be replayed exactly"
        )
    events = list(log.get("events") or [])
    if not events or events[0].get("type") != "started":
        raise ReplayError("the log has no 'started' event")
    last_t = float(events[-1].get("t", 0.0))
    resume_at = time.monotonic()
    live_clock = clock or (lambda: round(last_t + time.monotonic() - resume_at, 3))
    session = Session(
        compiled,
        int(log.get("seed", events[0].get("seed", 0))),
        clock=live_clock,
        on_event=on_event,
    )
    session._expected = events
    session._at = events[0].get("at")
    timing = events[0].get("timing") or {}
    session.extra_time = None if timing.get("timer") == "off" else timing.get("extra_time", 1.0)
    session.shuffle = events[0].get("shuffle") is True
    try:
        session._begin()
        for ev in events:
            if int(ev.get("seq", -1)) != len(session.events):
                if int(ev.get("seq", -1)) < len(session.events):
                    continue  # produced by the engine itself and already checked
                raise ReplayError(f"event {ev.get('seq')} is out of order in the log")
            kind = ev.get("type")
            if kind == "chose":
                session.choose(str(ev["choice"]))
            elif kind == "timed_out":
                session.time_out()
            elif kind == "note":
                session.note(str(ev.get("text", "")))
            else:
                raise ReplayError(
                    f"event {ev.get('seq')} ({kind}) was not produced when replaying the log"
                )
    except SessionError as exc:
        raise ReplayError(f"the log cannot be replayed: {exc}") from None
    if len(session.events) < len(events):
        raise ReplayError("the log has events after the scenario ended")
    session._expected = None
    return session
