"""What each decision of a reviewed attempt offered, in words: the choice texts of the
decision as the scenario defines them (found by the attempt's scenario hash), in the order
the attempt showed them, so a review shows what the trainee saw, not only what they picked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.loader import ScenarioFile
from engine.model import Decision
from engine.problems import ContentError
from engine.session import ReplayError
from simulator.attempt_link import locate_scenario
from simulator.store.attempts import Attempt


def scenario_of(attempt: Attempt) -> ScenarioFile | None:
    """The scenario the attempt was played with, if this machine has that version."""
    try:
        return locate_scenario(attempt.scenario)
    except (ReplayError, ContentError):
        return None


def offered(
    sf: ScenarioFile | None, decision: Mapping[str, Any], shown: Sequence[str] = ()
) -> list[str]:
    """The texts of the choices the decision offered, in the order the trainee saw them
    (``shown``: the decision's ``presented`` order; authored order when the log has none),
    or their ids when the scenario is not on this machine."""
    available = [str(i) for i in decision.get("available", [])]
    ids = [i for i in shown if i in available] + [i for i in available if i not in shown]
    node = sf.scenario.nodes.get(str(decision.get("node", ""))) if sf else None
    if not isinstance(node, Decision):
        return ids
    texts = {c.id: c.text for c in node.choices}
    return [texts.get(i, i) for i in ids] if ids else list(texts.values())
