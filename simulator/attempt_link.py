"""Connects engine sessions to the records store: record a new attempt as it is played,
resume an unfinished one exactly where it stopped, and finish it with its score.

The CLI (``run``/``play --text --trainee``, ``resume``) and the app use the same links, so
a session recorded in one can be resumed in the other. A finished attempt is scored by the store
itself from its recorded events; the links never hand it a score.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.compile import compile_scenario
from engine.loader import ScenarioFile
from engine.problems import ContentError
from engine.session import Event, ReplayError, Session, replay
from scoring.lintcheck import pack_for_scenario
from scoring.pack import PolicyPack
from simulator.store import Attempt, PackRef, Person, ScenarioRef, StoreError, derive
from simulator.store.errors import InvalidRecord
from simulator.store.records import EventSink, Records


def scenario_ref(sf: ScenarioFile) -> ScenarioRef:
    s = sf.scenario
    return ScenarioRef(s.id, s.version, sf.hash, s.title, str(sf.path))


def load_pack(sf: ScenarioFile) -> PolicyPack | None:
    """The policy pack the scenario is written for, or None if it cannot be loaded (the
    attempt is then kept unscored and can be scored later from its log)."""
    try:
        return pack_for_scenario(sf)
    except ContentError:
        return None


def pack_ref(pack: PolicyPack | None) -> PackRef | None:
    return None if pack is None else PackRef(**pack.identity())


def locate_scenario(ref: ScenarioRef, workstation: str | None = None) -> ScenarioFile:
    """The scenario an attempt was played with (its recorded path is opened only when this
    machine recorded it), refused with ReplayError if it is missing or changed since."""
    try:
        return derive.locate_scenario(ref, workstation)
    except derive.Unavailable as exc:
        raise ReplayError(str(exc)) from None


@dataclass
class AttemptLink:
    """One attempt being played: pass :meth:`on_event` to the engine as ``on_event``."""

    store: Records
    actor: Person
    attempt: Attempt
    recorder: EventSink
    scenario_file: ScenarioFile
    pack: PolicyPack | None

    @classmethod
    def start(
        cls,
        store: Records,
        actor: Person,
        trainee: Person | str | int,
        sf: ScenarioFile,
        *,
        seed: int,
        mode: str = "practice",
    ) -> AttemptLink:
        pack = load_pack(sf)
        attempt = store.attempts.start(
            actor, trainee, scenario_ref(sf), seed=seed, mode=mode, pack=pack_ref(pack)
        )
        recorder = store.attempts.recorder(actor, attempt.id)
        return cls(store, actor, attempt, recorder, sf, pack)

    @classmethod
    def resume(cls, store: Records, actor: Person, attempt_id: int) -> tuple[AttemptLink, Session]:
        """Replay a recorded attempt to where it stopped; the session continues recording."""
        attempt = store.attempts.get(actor, attempt_id)
        if attempt.status != "in_progress":
            raise InvalidRecord(
                f"attempt {attempt_id} is {attempt.status.replace('_', ' ')}; only an "
                "unfinished attempt can be resumed"
            )
        log = store.attempts.log(actor, attempt_id)
        try:
            sf = locate_scenario(attempt.scenario, attempt.workstation)
        except ReplayError as exc:
            raise StoreError(f"attempt {attempt_id} cannot be resumed: {exc}") from None
        recorder = store.attempts.recorder(actor, attempt_id)
        compiled = compile_scenario(sf)
        if not log["events"]:  # the process ended before the first event was written
            session = Session.start(compiled, attempt.seed, on_event=recorder)
            return cls(store, actor, attempt, recorder, sf, load_pack(sf)), session
        try:
            session = replay(compiled, log, on_event=recorder)
        except ReplayError as exc:
            raise StoreError(f"attempt {attempt_id} cannot be resumed: {exc}") from None
        pack = load_pack(sf)
        if pack is not None and attempt.pack is not None and pack.hash != attempt.pack.hash:
            pack = None  # the pack changed since: score later with `parolesim score`
        return cls(store, actor, attempt, recorder, sf, pack), session

    def on_event(self, event: Event) -> None:
        self.recorder(event)

    def close(self, session: Session) -> Attempt:
        """Finish the attempt if the session reached an ending (the store scores it from the
        recorded events); otherwise leave it in progress for resume."""
        if not session.ended:
            return self.store.attempts.get(self.actor, self.attempt.id)
        return self.store.attempts.finish(self.actor, self.attempt.id)
