"""Generated scenarios of any size for benchmarks: a chain of decisions with guards and effects."""

from __future__ import annotations

import yaml


def chain_scenario(decisions: int, *, chance_every: int = 10) -> str:
    """YAML text of a valid scenario with ``decisions`` decision nodes (plus chance and an end)."""
    nodes: dict[str, object] = {}
    for i in range(decisions):
        nxt = f"d{i + 1}" if i + 1 < decisions else "end_ok"
        if chance_every and i % chance_every == chance_every - 1 and i + 1 < decisions:
            nodes[f"c{i}"] = {
                "kind": "chance",
                "outcomes": [
                    {"next": nxt, "weight": "1 + trust"},
                    {"next": nxt, "weight": "agitation / 2"},
                ],
            }
            nxt = f"c{i}"
        nodes[f"d{i}"] = {
            "kind": "decision",
            "prompt": f"Step {i}",
            "lines": [{"speaker": "client", "text": f"Line {i}", "when": "agitation < 8"}],
            "choices": [
                {
                    "id": "listen",
                    "text": "Listen",
                    "facts": ["active_listening"],
                    "effects": ["trust += 1", "agitation -= 0.5"],
                    "guard": "agitation < 9 or trust > 2",
                    "next": nxt,
                },
                {
                    "id": "order",
                    "text": "Give an order",
                    "facts": ["bare_command"],
                    "effects": ["agitation += 1"],
                    "next": nxt,
                },
            ],
        }
    nodes["end_ok"] = {"kind": "terminal", "outcome": "resolved", "title": "Done"}
    doc = {
        "schema_version": 1,
        "id": f"bench-chain-{decisions}",
        "version": "1.0.0",
        "title": f"Generated chain of {decisions}",
        "family": "de_escalation",
        "difficulty": "introductory",
        "estimated_minutes": 5,
        "policy_pack": "model-state-parole",
        "summary": "Generated for benchmarks.",
        "objectives": ["Measure the engine."],
        "setting": "office_counter",
        "cast": {"client": "Generated Person"},
        "case_file": {
            "person": {"name": "Generated Person", "age": 30},
            "offence": "None",
            "release_date": "2026-01-01",
            "risk_level": "low",
            "assessment": {"instrument": "MSDP Field Risk Screen"},
            "conditions": {"standard": [{"id": "report", "text": "Report as directed."}]},
        },
        "persona": {"volatility": {"kind": "uniform", "low": 0.5, "high": 1.5}},
        "variables": {
            "trust": {"type": "int", "min": 0, "max": 10, "initial": 3},
            "agitation": {"type": "number", "min": 0, "max": 10, "initial": "volatility * 4"},
        },
        "start": "d0",
        "nodes": nodes,
    }
    return yaml.safe_dump(doc, sort_keys=False)
