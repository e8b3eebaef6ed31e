"""The caseload dashboard in the app: a case-file tab listing the caseload, sorted and
filtered the same way as ``play --text`` (``engine.mechanics.caseload_board``).

Each person is one row: the name in the label column and the rest on one wrapped line,
so the table stays readable at 200% text in a narrow panel. Sort and filter are buttons
at the top (and the S and F keys while the tab is open).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from engine.mechanics import caseload_board as board
from engine.session import Session
from simulator.app.widgets import DocBuilder


@dataclass
class DashboardState:
    """The dashboard's sort and filter for one run (kept while the tab is closed)."""

    sort: str = "priority"
    only: str = "all"

    def cycle_sort(self, step: int = 1) -> str:
        keys = list(board.SORTS)
        self.sort = keys[(keys.index(self.sort) + step) % len(keys)]
        return self.sort

    def cycle_filter(self, step: int = 1) -> str:
        keys = list(board.FILTERS)
        self.only = keys[(keys.index(self.only) + step) % len(keys)]
        return self.only

    def said(self) -> str:
        return f"Sorted by {board.SORTS[self.sort]}; showing {board.FILTERS[self.only]}"


def row_text(row: board.Row) -> str:
    """One person's line: risk and level, what is due, when last seen, court, alert, conditions."""
    level = f"{row.level} level" + (" (above the risk)" if row.mismatch else "")
    parts = [f"{row.risk} risk", level]
    parts.append(f"due: {row.due}" if row.due else "nothing due")
    parts.append(f"last seen {row.last_contact} days ago")
    if row.court:
        parts.append(f"court {row.court}")
    if row.alert:
        parts.append(f"ALERT: {row.alert}")
    if row.conditions:
        parts.append(row.conditions)
    if row.event:
        parts.append(row.event)
    return " · ".join(parts)


def write(
    b: DocBuilder,
    session: Session,
    state: DashboardState,
    on_sort: Callable[[], None],
    on_filter: Callable[[], None],
) -> None:
    """The dashboard tab: buttons, figures, then one row per person shown."""
    s = session.compiled.scenario
    b.button(f"Sort: {state.sort.replace('_', ' ')} (S)", on_sort)
    b.button(f"Filter: {state.only} (F)", on_filter, inline=True)
    b.spacer(0.3)
    lw = b.theme.font("bold").size("Contacts due")[0] + b.theme.px(1)
    for label, value in board.totals(s, session.seed, session.vars):
        b.labelled(label, value, label_style="bold", label_width=lw, gap=0.2)
    rows = board.arrange(board.rows(s, session.seed, session.vars), state.sort, state.only)
    b.spacer(0.3)
    count = f"{len(rows)} {'person' if len(rows) == 1 else 'people'}"
    b.text(f"{state.said()}: {count}", "bold", gap=0.3)
    if not rows:
        b.text("Nobody matches this filter.")
    name_w = b.theme.font("bold").size("Wwwwwww Wwwwwwwwww")[0]
    for row in rows:
        b.labelled(
            row.name,
            row_text(row),
            label_style="bold",
            label_width=min(name_w, b.width // 3),
            gap=0.25,
            bg="surface_alt" if row.alert.endswith("(OPEN)") else None,
            border="bad" if row.alert.endswith("(OPEN)") else None,
            pad=0.2 if row.alert.endswith("(OPEN)") else 0.0,
        )
