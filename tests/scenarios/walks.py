"""Random walks through a scenario, shared by the family tests."""

from __future__ import annotations

import numpy as np

from engine.session import Session


def walk_to_end(session: Session, seed: int) -> Session:
    """Play ``session`` to an ending at random, as ``run --auto random`` plays (timeouts
    included), from a picking stream of its own seed."""
    picker = np.random.default_rng([seed, 0x5EED])
    while not session.ended:
        choices = session.available_choices()
        k = int(picker.integers(len(choices) + (session.timeout_seconds is not None)))
        if k == len(choices):
            session.time_out()
        else:
            session.choose(choices[k].id)
    return session
