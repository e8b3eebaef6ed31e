"""Lint for the ``caseload:`` block and the choices that act on it.

Every plan and alert a choice names must exist, every alert must arrive at a real node,
a caseload action needs a ``caseload:`` block, and the facts the mechanic derives may
not be written by hand, so a plan cannot be labelled better than what it covers.
"""

from __future__ import annotations

from engine.loader import ScenarioFile
from engine.mechanics.caseload import DERIVED_FACTS
from engine.model import Decision
from engine.problems import Problem
from engine.yamlload import PathKey, dotted


def check_caseload(sf: ScenarioFile) -> list[Problem]:
    """Problems in a scenario's caseload block and in the choices acting on it."""
    s = sf.scenario
    out: list[Problem] = []

    def add(path: PathKey, message: str) -> None:
        out.append(Problem(sf.file, sf.line_of(path), dotted(path), message))

    spec = s.caseload
    if spec is not None:
        for aid, alert in spec.alerts.items():
            if alert.arrives not in s.nodes:
                add(
                    ("caseload", "alerts", aid, "arrives"),
                    f"alert '{aid}' arrives at '{alert.arrives}', which is not a node; "
                    f"name the node where it should show (nodes: {', '.join(list(s.nodes)[:8])}…)",
                )
    for nid, node in s.nodes.items():
        if not isinstance(node, Decision):
            continue
        for i, choice in enumerate(node.choices):
            base: PathKey = ("nodes", nid, "choices", i)
            for j, fact in enumerate(choice.facts):
                if spec is not None and fact in DERIVED_FACTS:
                    add(
                        (*base, "facts", j),
                        f"'{fact}' is derived by the caseload mechanic from the plan; "
                        "remove it and let the plan's coverage decide it",
                    )
            action = choice.caseload
            if action is None:
                continue
            if spec is None:
                add((*base, "caseload"), "a caseload action needs a `caseload:` block")
                continue
            if action.plan is not None and action.plan not in spec.plans:
                add(
                    (*base, "caseload", "plan"),
                    f"plan '{action.plan}' is not one of caseload.plans ({', '.join(spec.plans)})",
                )
            for k, aid in enumerate(action.handle):
                if aid not in spec.alerts:
                    add(
                        (*base, "caseload", "handle", k),
                        f"alert '{aid}' is not one of caseload.alerts ({', '.join(spec.alerts)})",
                    )
    return out
