"""The instrument panel of an intake debrief: each MS-RNA item's key beside the rating given.

Built from the run's final state (``key_<item>``, ``rated_<item>``, totals and levels, which
``engine.mechanics.intake`` keeps) and the pack's instrument, so a stored run can be shown
again without replaying it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.mechanics.intake import (
    KEY_LEVEL,
    KEY_TOTAL,
    LEVEL_SET,
    NOT_RATED,
    RATED_TOTAL,
    Instrument,
    InstrumentItem,
    key_name,
    rated_name,
)


@dataclass(frozen=True)
class ItemRow:
    domain: str
    item: str
    key: int
    rated: int | None  # None: never rated
    anchor: str  # the anchor the key stands for

    @property
    def matches(self) -> bool:
        return self.rated == self.key

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "item": self.item,
            "key": self.key,
            "rated": self.rated,
            "anchor": self.anchor,
        }


@dataclass(frozen=True)
class InstrumentPanel:
    instrument: str
    rows: tuple[ItemRow, ...]
    key_total: int
    rated_total: int
    key_level: str
    level_set: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "rows": [r.to_dict() for r in self.rows],
            "key_total": self.key_total,
            "rated_total": self.rated_total,
            "key_level": self.key_level,
            "level_set": self.level_set,
        }


def instrument_panel(inst: Instrument, final: Mapping[str, Any]) -> InstrumentPanel | None:
    """The panel, or None when the run's state holds no intake key."""
    if KEY_TOTAL not in final:
        return None
    rows = []
    for d in inst.domains:
        for item in d.items:
            key = int(final.get(key_name(item.id), 0))
            rated = int(final.get(rated_name(item.id), NOT_RATED))
            rows.append(
                ItemRow(
                    d.title,
                    item.text,
                    key,
                    None if rated == NOT_RATED else rated,
                    item.anchors[key],
                )
            )
    return InstrumentPanel(
        f"{inst.title} ({inst.short})",
        tuple(rows),
        int(final[KEY_TOTAL]),
        int(final.get(RATED_TOTAL, 0)),
        str(final[KEY_LEVEL]),
        str(final.get(LEVEL_SET, "none")),
    )


def item_words(row: Mapping[str, Any]) -> str:
    """One item as the debriefs word it: the key, the rating and, where they differ, the
    anchor the key stands for."""
    rated = row.get("rated")
    if rated is None:
        return f"{row['item']}: key {row['key']}, not rated"
    if rated == row["key"]:
        return f"{row['item']}: key {row['key']}, yours {rated} - matches"
    key = row["key"]
    return f"{row['item']}: key {key}, yours {rated} - MISMATCH (anchor for {key}: {row['anchor']})"


def by_domain(panel: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """The panel's items in words, grouped by domain in the instrument's order."""
    out: list[tuple[str, list[str]]] = []
    for row in panel.get("rows") or []:
        if not out or out[-1][0] != row["domain"]:
            out.append((str(row["domain"]), []))
        out[-1][1].append(item_words(row))
    return out


def totals_words(panel: Mapping[str, Any]) -> str:
    return (
        f"key {panel['key_total']} ({panel['key_level']}); your ratings {panel['rated_total']}; "
        f"level you set: {panel['level_set']}"
    )


def anchor_words(item: InstrumentItem) -> str:
    """An item with its range and every anchor: 'Work now (0-2): 0 = ...; 1 = ...'."""
    anchors = "; ".join(f"{v} = {text}" for v, text in sorted(item.anchors.items()))
    return f"{item.text} (0-{item.max}): {anchors}"


def cutoff_words(inst: Instrument) -> str:
    bands = ", ".join(
        f"{b.level.value} {b.low}" + (f"-{b.high}" if b.high is not None else "+")
        for b in inst.cutoffs
    )
    return f"Cut-offs on the total (0-{inst.max_total}): {bands}"


def instrument_lines(inst: Instrument) -> list[str]:
    """The instrument as the pack states it (domains, items, anchors, cut-offs), for
    ``parolesim policies`` and anyone rating by hand."""
    out = [f"INSTRUMENT: {inst.title} ({inst.short})", f"  {inst.purpose}"]
    for d in inst.domains:
        out.append(f"  {d.title}" + (" (from the record)" if d.from_record else ""))
        out.extend(f"    {anchor_words(item)}" for item in d.items)
    out.append(f"  {cutoff_words(inst)}")
    out.append(f"  {inst.training_note}")
    out.extend(f"  Source: {source}" for source in inst.sources)
    return out


def panel_lines(panel: InstrumentPanel) -> list[str]:
    """The panel as plain text lines for the text debrief."""
    data = panel.to_dict()
    out = [f"INSTRUMENT: {panel.instrument} - the key beside your ratings"]
    for domain, items in by_domain(data):
        out.append(f"  {domain}")
        out.extend(f"    - {words}" for words in items)
    out.append(f"  Total: {totals_words(data)}")
    return out
