"""Path analysis over a scenario's node graph (guards ignored: what the text allows)."""

from __future__ import annotations

from collections import deque

from engine.model import Chance, Decision, Narration, Scenario, Terminal


def successors(scenario: Scenario, node_id: str) -> list[str]:
    node = scenario.nodes.get(node_id)
    if isinstance(node, Narration):
        return [node.next]
    if isinstance(node, Decision):
        return [c.next for c in node.choices]
    if isinstance(node, Chance):
        return [o.next for o in node.outcomes]
    return []


def reachable(scenario: Scenario) -> set[str]:
    """Nodes reachable from the start node (an interrupt's target counts as reachable)."""
    starts = [scenario.start, *(i.goto for i in scenario.interrupts if i.goto in scenario.nodes)]
    seen = set(starts)
    todo = deque(starts)
    while todo:
        for nxt in successors(scenario, todo.popleft()):
            if nxt in scenario.nodes and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def can_reach_terminal(scenario: Scenario) -> set[str]:
    """Nodes from which some ending can be reached."""
    preds: dict[str, list[str]] = {n: [] for n in scenario.nodes}
    for nid in scenario.nodes:
        for nxt in successors(scenario, nid):
            if nxt in preds:
                preds[nxt].append(nid)
    good = {nid for nid, node in scenario.nodes.items() if isinstance(node, Terminal)}
    todo = deque(good)
    while todo:
        for p in preds[todo.popleft()]:
            if p not in good:
                good.add(p)
                todo.append(p)
    return good


def longest_decision_path(scenario: Scenario) -> int:
    """Most decisions on any simple path from the start to an ending (cycles are cut)."""
    memo: dict[str, int] = {}
    on_path: set[str] = set()

    def visit(nid: str) -> int:
        if nid in memo:
            return memo[nid]
        if nid in on_path or nid not in scenario.nodes:
            return 0
        on_path.add(nid)
        here = 1 if isinstance(scenario.nodes[nid], Decision) else 0
        best = max((visit(n) for n in successors(scenario, nid)), default=0)
        on_path.discard(nid)
        memo[nid] = here + best
        return memo[nid]

    return visit(scenario.start)


def endings(scenario: Scenario) -> dict[str, str]:
    """Ending node id -> outcome category."""
    return {
        nid: node.outcome.value
        for nid, node in scenario.nodes.items()
        if isinstance(node, Terminal)
    }
