"""The caseload dashboard as plain rows: what the app's panel, ``play --text`` and the case
file show, sorted and filtered the same way everywhere.

The rows are derived from the session (its seed gives the people, its state which alerts
have arrived and been dealt with), so the dashboard needs nothing stored of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.mechanics.caseload import (
    ARRIVED,
    CONDITIONS,
    EVENTS,
    HANDLED,
    HIGH_MISSED,
    HOURS_LEFT,
    LOW_OVER,
    STANDARD,
    STEPPED_DOWN,
    People,
    people_of,
)
from engine.mechanics.caseload_spec import LEVELS, MODES
from engine.model import Scenario

RISKS = ("low", "moderate", "high")
SORTS: dict[str, str] = {
    "priority": "alerts, then level, then contact due",
    "name": "surname",
    "risk": "assessed risk, highest first",
    "last_contact": "longest since a face-to-face contact",
    "court": "soonest court date",
}
FILTERS: dict[str, str] = {
    "all": "everyone",
    "alerts": "open alerts",
    "due": "a contact due",
    "high": "high and intensive",
    "court": "a court date this period",
    "mismatch": "level above the assessed risk",
}


@dataclass(frozen=True)
class Row:
    """One person as the dashboard shows them."""

    index: int
    name: str
    risk: str
    level: str
    conditions: str
    last_contact: int
    due: str
    alert: str
    court: str
    event: str
    mismatch: bool

    def cells(self) -> tuple[str, ...]:
        level = self.level + ("*" if self.mismatch else "")
        return (
            self.name,
            self.risk,
            level,
            self.due or "-",
            f"{self.last_contact}d ago",
            self.court or "-",
            self.alert or "-",
            self.conditions or "-",
        )


HEADERS = ("Name", "Risk", "Level", "Due", "Last seen", "Court", "Alert", "Conditions")


def _court(day: int, period: str) -> str:
    if day < 0:
        return ""
    return ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day] if period == "week" else "today"


def rows(scenario: Scenario, seed: int, env: Mapping[str, Any]) -> list[Row]:
    """Every person on the session's caseload, in file order (by surname)."""
    spec = scenario.caseload
    people = people_of(scenario, seed)
    if spec is None or people is None:
        return []
    stepped = bool(env.get(STEPPED_DOWN, False))
    level = people.matched if stepped else people.level
    alerts: dict[int, str] = {}
    for aid, row in people.alerts:
        if env.get(ARRIVED.format(aid), False):
            state = "done" if env.get(HANDLED.format(aid), False) else "OPEN"
            alerts[row] = f"{spec.alerts[aid].kind.replace('_', ' ')} ({state})"
    out = []
    for i in range(len(people)):
        bits = int(people.conditions[i])
        conds = ", ".join(c for k, c in enumerate(CONDITIONS) if bits >> k & 1)
        need = MODES[int(STANDARD[people.matched[i]])]
        out.append(
            Row(
                index=i,
                name=people.names[i],
                risk=RISKS[int(people.risk[i])],
                level=LEVELS[int(level[i])],
                conditions=conds,
                last_contact=int(people.last_contact[i]),
                due=need if bool(people.due[i]) else "",
                alert=alerts.get(i, ""),
                court=_court(int(people.court[i]), spec.period),
                event=EVENTS[int(people.event[i])],
                mismatch=bool(level[i] > people.matched[i]),
            )
        )
    return sorted(out, key=lambda r: (r.name.split()[-1], r.name))


def arrange(all_rows: Sequence[Row], sort: str = "priority", only: str = "all") -> list[Row]:
    """``all_rows`` filtered by ``only`` and sorted by ``sort`` (keys of FILTERS and SORTS)."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; expected one of {', '.join(SORTS)}")
    if only not in FILTERS:
        raise ValueError(f"unknown filter {only!r}; expected one of {', '.join(FILTERS)}")
    keep: Callable[[Row], bool] = {
        "all": lambda r: True,
        "alerts": lambda r: r.alert.endswith("(OPEN)"),
        "due": lambda r: bool(r.due),
        "high": lambda r: r.level in ("high", "intensive"),
        "court": lambda r: bool(r.court),
        "mismatch": lambda r: r.mismatch,
    }[only]
    picked = [r for r in all_rows if keep(r)]
    by: Callable[[Row], Any] = {
        "priority": lambda r: (
            not r.alert.endswith("(OPEN)"),
            -LEVELS.index(r.level),
            not r.due,
            r.name.split()[-1],
        ),
        "name": lambda r: (r.name.split()[-1], r.name),
        "risk": lambda r: (-RISKS.index(r.risk), -LEVELS.index(r.level), r.name.split()[-1]),
        "last_contact": lambda r: (-r.last_contact, r.name.split()[-1]),
        "court": lambda r: (not r.court, r.court, r.name.split()[-1]),
    }[sort]
    return sorted(picked, key=by)


def totals(scenario: Scenario, seed: int, env: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The dashboard's header figures: caseload by level, contacts due, hours, outcomes."""
    spec = scenario.caseload
    people: People | None = people_of(scenario, seed)
    if spec is None or people is None:
        return []
    counts = np.bincount(people.level, minlength=4)
    due = int(people.due.sum())
    high_due = int((people.due & (people.matched >= 2)).sum())
    out = [
        ("Caseload", f"{len(people)} people"),
        ("By level", ", ".join(f"{LEVELS[i]} {int(counts[i])}" for i in range(4))),
        ("Contacts due", f"{due} ({high_due} high or intensive)"),
        ("Above risk", f"{int((people.level > people.matched).sum())} on a level above their risk"),
        ("Hours left", f"{float(env.get(HOURS_LEFT, spec.hours)):g} of {spec.hours:g}"),
    ]
    if env.get("cl_planned", False):
        out.append(("High missed", str(int(env.get(HIGH_MISSED, 0)))))
        out.append(("Low over", str(int(env.get(LOW_OVER, 0)))))
    return out


def table(shown: Sequence[Row], limit: int = 15, width: int = 100) -> str:
    """A compact fixed-width table of the first ``limit`` rows for the terminal; the last
    column (conditions) is cut to keep each line within ``width``."""
    body = [r.cells() for r in shown[:limit]]
    widths = [max([len(h), *(len(c[i]) for c in body)]) for i, h in enumerate(HEADERS)]
    used = sum(widths[:-1]) + 2 * (len(widths) - 1)
    widths[-1] = max(len(HEADERS[-1]), min(widths[-1], width - used))

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    lines = [line(HEADERS), line(["-" * w for w in widths]), *(line(c) for c in body)]
    if not body:
        lines.append("(nobody matches this filter)")
    if len(shown) > limit:
        lines.append(f"… {len(shown) - limit} more (sort or filter to see them)")
    return "\n".join(lines)


def describe(scenario: Scenario, seed: int, env: Mapping[str, Any]) -> str:
    """The header figures as one block of ``label: value`` lines."""
    return "\n".join(f"{label}: {value}" for label, value in totals(scenario, seed, env))
