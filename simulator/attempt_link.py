"""Connects engine sessions to the records store: record a new attempt as it is played,
resume an unfinished one exactly where it stopped, and finish it with its score.

The CLI (``run``/``play --text --trainee``, ``resume``) and the app use the same links, so
a session recorded in one can be resumed in the other. A finished attempt is scored against
the scenario's policy pack; if that pack cannot be loaded, the attempt is kept unscored.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.compile import compile_scenario
from engine.library import find
from engine.loader import ScenarioFile, load_scenario
from engine.problems import ContentError
from engine.session import Event, ReplayError, Session, replay
from scoring.lintcheck import pack_for_scenario
from scoring.pack import PolicyPack
from scoring.scorer import score_trace, trace_of
from simulator.store import Attempt, PackRef, Person, Recorder, ScenarioRef, Store, StoreError
from simulator.store.errors import InvalidRecord


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


def score(session: Session, sf: ScenarioFile, pack: PolicyPack | None) -> dict[str, Any] | None:
    if pack is None:
        return None
    return score_trace(trace_of(session), sf.scenario, pack).to_dict()


def locate_scenario(ref: ScenarioRef) -> ScenarioFile:
    """The scenario file an attempt was played with, found by its recorded path or its id,
    and refused (ReplayError) if its content changed since."""
    candidates: list[ScenarioFile] = []
    if ref.path and Path(ref.path).is_file():
        with contextlib.suppress(ContentError):
            candidates.append(load_scenario(ref.path))
    if not candidates or candidates[0].hash != ref.hash:
        with contextlib.suppress(ContentError):
            candidates.append(find(ref.id))
    for sf in candidates:
        if sf.hash == ref.hash:
            return sf
    if not candidates:
        raise ReplayError(
            f"scenario '{ref.id}' ({ref.path or 'no path recorded'}) is not in the library on "
            "this machine, so the attempt cannot be replayed here"
        )
    raise ReplayError(
        f"scenario '{ref.id}' changed since this attempt was recorded (hash {ref.hash[:12]}, "
        f"the file now has {candidates[-1].hash[:12]}); it cannot be replayed exactly"
    )


@dataclass
class AttemptLink:
    """One attempt being played: pass :meth:`on_event` to the engine as ``on_event``."""

    store: Store
    actor: Person
    attempt: Attempt
    recorder: Recorder
    scenario_file: ScenarioFile
    pack: PolicyPack | None

    @classmethod
    def start(
        cls,
        store: Store,
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
    def resume(cls, store: Store, actor: Person, attempt_id: int) -> tuple[AttemptLink, Session]:
        """Replay a recorded attempt to where it stopped; the session continues recording."""
        attempt = store.attempts.get(actor, attempt_id)
        if attempt.status != "in_progress":
            raise InvalidRecord(
                f"attempt {attempt_id} is {attempt.status.replace('_', ' ')}; only an "
                "unfinished attempt can be resumed"
            )
        log = store.attempts.log(actor, attempt_id)
        sf = locate_scenario(attempt.scenario)
        recorder = store.attempts.recorder(actor, attempt_id)
        try:
            session = replay(compile_scenario(sf), log, on_event=recorder)
        except ReplayError as exc:
            raise StoreError(f"attempt {attempt_id} cannot be resumed: {exc}") from None
        pack = load_pack(sf)
        if pack is not None and attempt.pack is not None and pack.hash != attempt.pack.hash:
            pack = None  # the pack changed since: score later with `parolesim score`
        return cls(store, actor, attempt, recorder, sf, pack), session

    def on_event(self, event: Event) -> None:
        self.recorder(event)

    def close(self, session: Session) -> Attempt:
        """Finish the attempt if the session reached an ending (with its score when the
        pack is available); otherwise leave it in progress for resume."""
        if not session.ended:
            return self.store.attempts.get(self.actor, self.attempt.id)
        ending = session.to_log()["ending"]
        report = score(session, self.scenario_file, self.pack)
        return self.store.attempts.finish(self.actor, self.attempt.id, ending=ending, report=report)
