"""A trainee's DOR ratings over time: each category's ratings in date order, the days from
the first evaluation to the first 4 (minimum acceptable) in each category, and flags an FTO
coordinator acts on: any category rated 1-3 in the last three evaluations, or any N.R.T.

Amended evaluations are left out: the amendment that replaced one counts instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from simulator.store.evaluations import Evaluation


@dataclass
class CategoryTrend:
    category: str
    points: list[tuple[date, int | str, int]] = field(default_factory=list)  # (day, value, eval)
    days_to_first_4: int | None = None
    flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "ratings": [
                {"observed_on": d.isoformat(), "value": v, "evaluation": e}
                for d, v, e in self.points
            ],
            "days_to_first_4": self.days_to_first_4,
            "flags": list(self.flags),
        }


def current(evaluations: Sequence[Evaluation]) -> list[Evaluation]:
    """The evaluations that stand: not replaced by an amendment, in date order."""
    return sorted(
        (e for e in evaluations if e.amended_by_id is None), key=lambda e: (e.observed_on, e.id)
    )


def trends(evaluations: Sequence[Evaluation]) -> list[CategoryTrend]:
    standing = current(evaluations)
    if not standing:
        return []
    start = standing[0].observed_on
    found: dict[str, CategoryTrend] = {}
    for ev in standing:
        for r in ev.ratings:
            found.setdefault(r.category, CategoryTrend(r.category)).points.append(
                (ev.observed_on, r.value, ev.id)
            )
    last_three = {e.id for e in standing[-3:]}
    for trend in found.values():
        for day, value, _ in trend.points:
            if isinstance(value, int) and value >= 4:
                trend.days_to_first_4 = (day - start).days
                break
        low = [
            (d, v, e)
            for d, v, e in trend.points
            if e in last_three and isinstance(v, int) and v <= 3
        ]
        if low:
            shown = ", ".join(f"{v} on {d.isoformat()}" for d, v, _ in low)
            trend.flags.append(f"rated below 4 in the last three evaluations ({shown})")
        nrt = [d for d, v, _ in trend.points if v == "N.R.T."]
        if nrt:
            trend.flags.append(
                "not responding to training (N.R.T.) on " + ", ".join(d.isoformat() for d in nrt)
            )
    return sorted(found.values(), key=lambda t: t.category)
