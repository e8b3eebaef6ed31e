"""Playing a real scenario into the store the way ``parolesim run --trainee`` does."""

from __future__ import annotations

from pathlib import Path

from engine.compile import compile_scenario
from engine.loader import load_scenario
from engine.session import Session
from simulator.attempt_link import AttemptLink
from simulator.store import Attempt, Person, Store

ROOT = Path(__file__).resolve().parents[2]
WEAPON = ROOT / "scenarios" / "home_visit" / "hv-weapon-disengage.yaml"
VISITOR = ROOT / "scenarios" / "home_visit" / "hv-routine-visitor.yaml"


def played(
    store: Store, actor: Person, trainee: str, path: Path = WEAPON, pick: int = 0, seed: int = 4
) -> Attempt:
    """A finished, scored attempt: at each decision the ``pick``-th choice (or the last)."""
    sf = load_scenario(path)
    link = AttemptLink.start(store, actor, trainee, sf, seed=seed)
    session = Session.start(compile_scenario(sf), seed, on_event=link.on_event)
    while not session.ended:
        choices = session.available_choices()
        session.choose(choices[min(pick, len(choices) - 1)].id)
    return link.close(session)
