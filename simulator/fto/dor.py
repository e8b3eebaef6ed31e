"""The Daily Observation Report form as an FTO fills it in.

Categories come from the policy pack's competencies (each maps to a DOR category). Each is
prefilled with the simulator's suggestion: a competency's 1-7 rating needs at least the
pack's minimum number of observations, else it is N.O. Where two competencies share a
category, the lower rating is suggested (a DOR rates the weakest observed behaviour), and
the category is N.O. only when none of them was observed often enough. Beside each value
sits the SEG text for it; the attempt's decisions with their cited clauses are offered as
evidence to quote in a narrative.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from scoring.packmodel import FTO_CATEGORIES
from simulator.store.evaluations import NARRATIVE_REQUIRED, Rating


@cache
def seg_anchors() -> dict[str, dict[int, str]]:
    """The SEG anchors (1, 4 and 7) per category, shipped with the program."""
    text = resources.files("simulator.fto").joinpath("seg.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {str(cat): {int(k): str(v) for k, v in anchors.items()} for cat, anchors in data.items()}


def seg_text(category: str, value: int | str) -> str:
    """What the SEGs say about ``value`` in ``category``: the anchor itself for 1, 4 and 7,
    and for values between anchors, where they stand and the anchor to reach or keep."""
    anchors = seg_anchors().get(category, {})
    if value in ("N.O.", "NO"):
        return "N.O. - not observed: the category did not come up often enough to rate."
    if value in ("N.R.T.", "NRT"):
        return (
            "N.R.T. - not responding to training: remedial training has not changed the "
            "behaviour; say what was tried."
        )
    if not isinstance(value, int):
        return ""
    if value in anchors:
        label = {1: "unacceptable", 4: "minimum acceptable", 7: "superior"}[value]
        return f"{value} ({label}): {anchors[value]}"
    if value < 4:
        return f"{value} (below acceptable; 4 is): {anchors.get(4, '')}"
    return f"{value} (above acceptable; 7 is): {anchors.get(7, '')}"


def needs_narrative(value: int | str) -> bool:
    return (value if isinstance(value, int) else str(value).replace(".", "")) in NARRATIVE_REQUIRED


@dataclass(frozen=True)
class FormCategory:
    category: str
    title: str
    suggestion: int | str  # 1-7 or "N.O."
    observations: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "title": self.title,
            "suggestion": self.suggestion,
            "seg": seg_text(self.category, self.suggestion),
            "narrative_required": needs_narrative(self.suggestion),
            "observations": list(self.observations),
        }


@dataclass(frozen=True)
class Evidence:
    """One decision of the attempt, worded to quote in a narrative."""

    decision: int
    prompt: str
    chosen: str
    verdict: str
    policy: str

    def quote(self) -> str:
        cited = f", {self.policy}" if self.policy else ""
        return f'Decision {self.decision}: chose "{self.chosen}" ({self.verdict}{cited}).'

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "prompt": self.prompt,
            "chosen": self.chosen,
            "verdict": self.verdict,
            "policy": self.policy,
            "quote": self.quote(),
        }


def form_categories(
    report: Mapping[str, Any] | None, pack_categories: Sequence[str] = ()
) -> list[FormCategory]:
    """The DOR's categories in the pack's order, each with its prefilled suggestion."""
    merged: dict[str, list[Mapping[str, Any]]] = {}
    for comp in (report or {}).get("competencies", []):
        merged.setdefault(str(comp["fto_category"]), []).append(comp)
    for category in pack_categories:
        merged.setdefault(category, [])
    form = []
    for category, comps in merged.items():
        rated = [int(c["rating"]) for c in comps if c.get("rating") is not None]
        observations = tuple(o for c in comps for o in c.get("observations", []))
        form.append(
            FormCategory(
                category,
                FTO_CATEGORIES.get(category, category.replace("_", " ").capitalize()),
                min(rated) if rated else "N.O.",
                observations,
            )
        )
    return form


def evidence(report: Mapping[str, Any] | None) -> list[Evidence]:
    """The attempt's scored decisions with the clause each cites."""
    found = []
    for position, d in enumerate((report or {}).get("decisions", []), start=1):
        policy = d.get("policy") or {}
        cited = f"{policy.get('id', '')} {policy.get('title', '')}".strip()
        found.append(
            Evidence(
                position,
                str(d.get("prompt", "")),
                str(d.get("text", "")),
                str(d.get("verdict", "")),
                cited,
            )
        )
    return found


def prefilled_ratings(
    report: Mapping[str, Any] | None,
    pack_categories: Sequence[str] = (),
    *,
    values: Mapping[str, int | str] | None = None,
    narratives: Mapping[str, str] | None = None,
    remedial: Mapping[str, int] | None = None,
) -> list[Rating]:
    """The ratings of a new DOR: the suggestions, overridden by what the FTO chose.

    A category the FTO gave a value for that the form does not list is added, so an FTO
    can rate categories the run did not touch (acceptance of feedback, for one).
    """
    values = dict(values or {})
    narratives = dict(narratives or {})
    remedial = dict(remedial or {})
    chosen: dict[str, int | str] = {
        c.category: c.suggestion for c in form_categories(report, pack_categories)
    }
    chosen.update(values)
    return [
        Rating(category, value, narratives.get(category, ""), remedial.get(category, 0))
        for category, value in chosen.items()
    ]


def missing_narratives(ratings: Sequence[Rating]) -> list[str]:
    """Categories whose value needs a narrative that has none yet."""
    return [r.category for r in ratings if needs_narrative(r.value) and not r.narrative.strip()]
