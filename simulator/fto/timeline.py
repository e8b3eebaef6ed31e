"""What each decision of a reviewed attempt offered, in words: the choice texts of the
decision as the scenario defines them (found by the attempt's scenario hash), so a review
shows what the trainee saw, not only what they picked."""

from __future__ import annotations

from collections.abc import Mapping
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


def offered(sf: ScenarioFile | None, decision: Mapping[str, Any]) -> list[str]:
    """The texts of the choices the decision offered (ids when the scenario is not here)."""
    ids = [str(i) for i in decision.get("available", [])]
    node = sf.scenario.nodes.get(str(decision.get("node", ""))) if sf else None
    if not isinstance(node, Decision):
        return ids
    texts = {c.id: c.text for c in node.choices}
    return [texts.get(i, i) for i in ids] if ids else list(texts.values())
