"""Path analysis over a scenario's node graph (guards ignored: what the text allows)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

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


def can_reach_terminal(
    scenario: Scenario, edges: Callable[[Scenario, str], list[str]] = successors
) -> set[str]:
    """Nodes from which some ending can be reached (along ``edges``, default: every link)."""
    preds: dict[str, list[str]] = {n: [] for n in scenario.nodes}
    for nid in scenario.nodes:
        for nxt in edges(scenario, nid):
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
    """Most decisions on any simple path from the start to an ending (cycles are cut).

    A depth-first walk with an explicit stack, so a scenario of thousands of chained
    decisions is measured like a small one (no recursion limit to hit).
    """
    memo: dict[str, int] = {}
    on_path: set[str] = set()
    if scenario.start not in scenario.nodes:
        return 0
    # each frame: node id, its successors still to visit, the best successor value so far
    stack: list[tuple[str, list[str], int]] = [
        (scenario.start, successors(scenario, scenario.start)[::-1], 0)
    ]
    on_path.add(scenario.start)
    while stack:
        nid, todo, best = stack[-1]
        if todo:
            nxt = todo.pop()
            if nxt in memo:
                stack[-1] = (nid, todo, max(best, memo[nxt]))
            elif nxt not in on_path and nxt in scenario.nodes:
                on_path.add(nxt)
                stack.append((nxt, successors(scenario, nxt)[::-1], 0))
            continue
        stack.pop()
        on_path.discard(nid)
        memo[nid] = best + (1 if isinstance(scenario.nodes[nid], Decision) else 0)
        if stack:
            parent, ptodo, pbest = stack[-1]
            stack[-1] = (parent, ptodo, max(pbest, memo[nid]))
    return memo[scenario.start]


def endings(scenario: Scenario) -> dict[str, str]:
    """Ending node id -> outcome category."""
    return {
        nid: node.outcome.value
        for nid, node in scenario.nodes.items()
        if isinstance(node, Terminal)
    }
