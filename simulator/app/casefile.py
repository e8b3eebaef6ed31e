"""The case file as tabs (person, conditions, history, household, assessment).

Shown on the briefing and, one key away, during play. The tabs are drawn here rather
than as pygame_gui buttons so switching a tab only swaps the document under them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import pygame

from engine.mechanics.intake import instrument_of
from scoring.instrument_panel import anchor_words, cutoff_words
from simulator.app.focus import Focusable
from simulator.app.text import TextCache
from simulator.app.theme import Theme
from simulator.app.widgets import DocBuilder, DocView

if TYPE_CHECKING:
    from engine.model import Scenario

TABS: tuple[tuple[str, str], ...] = (
    ("person", "Person"),
    ("conditions", "Conditions"),
    ("history", "History"),
    ("household", "Household"),
    ("assessment", "Assessment"),
)


def fill_tab(b: DocBuilder, scenario: Scenario, tab: str) -> None:
    """Write one tab of ``scenario``'s case file into ``b``."""
    cf = scenario.case_file
    p = cf.person
    lw = b.theme.font("bold").size("Supervision")[0] + b.theme.px(1)

    def row(label: str, value: str) -> None:
        if value:
            b.labelled(label, value, label_style="bold", label_width=lw, gap=0.3)

    if tab == "person":
        b.heading(f"{p.name}, {p.age}")
        row("Pronouns", p.pronouns)
        row("Offence", cf.offence)
        row("Sentence", cf.sentence)
        row("Released", cf.release_date)
        row("Risk level", cf.risk_level.value.capitalize())
        row("Supervision", cf.supervision_level)
        row("Address", cf.address)
        row("Work", cf.employment)
        if p.description:
            b.spacer(0.4)
            b.text(p.description)
        if cf.recent_notes:
            b.spacer(0.3)
            b.text("Recent notes", "bold", gap=0.2)
            b.bullets(cf.recent_notes)
    elif tab == "conditions":
        b.text("Standard conditions", "bold", gap=0.2)
        b.bullets([c.text for c in cf.conditions.standard] or ["None recorded."])
        b.text("Special conditions", "bold", gap=0.2)
        b.bullets([c.text for c in cf.conditions.special] or ["None."])
    elif tab == "history":
        b.bullets(cf.history or ["No history recorded in this file."])
    elif tab == "household":
        if not cf.household:
            b.text("No one else is recorded at this address.")
        for m in cf.household:
            b.labelled(
                m.name,
                f"{m.relation}" + (f" — {m.notes}" if m.notes else ""),
                label_style="bold",
                gap=0.4,
            )
    elif tab == "assessment":
        a = cf.assessment
        row("Instrument", a.instrument)
        row("Score", "" if a.score is None else str(a.score))
        row("Date", a.date or "")
        b.spacer(0.3)
        b.text("Needs", "bold", gap=0.2)
        b.bullets(a.needs or ["None recorded."])
        b.text("Strengths", "bold", gap=0.2)
        b.bullets(a.strengths or ["None recorded."])
        inst = instrument_of(scenario)
        if inst is not None:  # an intake: the instrument the trainee rates with
            b.spacer(0.3)
            b.heading(f"{inst.title} ({inst.short})")
            b.text(inst.purpose, "small", gap=0.3)
            for d in inst.domains:
                b.text(d.title + (" (from the record)" if d.from_record else ""), "bold", gap=0.1)
                b.bullets([anchor_words(item) for item in d.items], style="small", gap=0.3)
            b.text(cutoff_words(inst), "bold", gap=0.2)
            b.text(inst.training_note, "small")
    else:
        raise ValueError(
            f"unknown case file tab {tab!r}; expected one of {', '.join(t for t, _ in TABS)}"
        )


class CaseFilePanel:
    """Tabs over a scrolling document; lives inside a screen at ``rect``."""

    def __init__(
        self,
        theme: Theme,
        cache: TextCache,
        scenario: Scenario,
        rect: pygame.Rect,
        tab: str = "person",
        on_tab: Callable[[str], None] | None = None,
        overview: Callable[[DocBuilder], None] | None = None,
        dashboard: Callable[[DocBuilder], None] | None = None,
    ) -> None:
        """``overview``, when given, writes an extra first tab (the briefing puts the summary
        and objectives there when the window is too narrow for two columns); ``dashboard``
        writes a last tab, the caseload dashboard of a caseload scenario's run."""
        self.overview = overview
        self.dashboard = dashboard
        self.tabs: tuple[tuple[str, str], ...] = (
            (("overview", "Overview"), *TABS) if overview is not None else TABS
        )
        if dashboard is not None:
            self.tabs = (*self.tabs, ("caseload", "Caseload"))
        if tab not in dict(self.tabs):
            tab = self.tabs[0][0]
        self.theme = theme
        self.cache = cache
        self.scenario = scenario
        self.rect = pygame.Rect(rect)
        self.tab = tab
        self.on_tab = on_tab
        self.tab_rects: list[pygame.Rect] = []
        self._layout_tabs()
        top = self.tab_rects[-1].bottom if self.tab_rects else self.rect.y
        pad = theme.px(0.8)
        body = pygame.Rect(
            self.rect.x + pad,
            top + pad,
            self.rect.width - 2 * pad - theme.px(0.5),
            self.rect.bottom - top - 2 * pad,
        )
        self.body = pygame.Rect(self.rect.x, top, self.rect.width, self.rect.bottom - top)
        self.doc = DocView(theme, body, name="case file")
        self.offsets: dict[str, int] = {}
        self.show(tab)

    def _layout_tabs(self) -> None:
        th = self.theme
        font = th.font("bold")
        h = th.line_height("bold") + th.px(0.7)
        x, y = self.rect.x, self.rect.y
        self.tab_rects = []
        for _, label in self.tabs:
            w = font.size(label)[0] + th.px(1.4)
            if x + w > self.rect.right and x > self.rect.x:
                x, y = self.rect.x, y + h + th.px(0.25)
            self.tab_rects.append(pygame.Rect(x, y, w, h))
            x += w + th.px(0.25)

    def show(self, tab: str) -> None:
        self.offsets[self.tab] = self.doc.offset
        self.tab = tab
        b = DocBuilder(self.theme, self.cache, self.doc.rect.width)
        if tab == "overview" and self.overview is not None:
            self.overview(b)
        elif tab == "caseload" and self.dashboard is not None:
            self.dashboard(b)
        else:
            fill_tab(b, self.scenario, tab)
        self.doc.set_blocks(b.blocks)
        self.doc.offset = self.doc._clamp(self.offsets.get(tab, 0))
        if self.on_tab is not None:
            self.on_tab(tab)

    def refresh(self) -> None:
        """Write the open tab again (the dashboard changes as the run goes on)."""
        self.show(self.tab)

    def cycle(self, step: int) -> None:
        keys = [t for t, _ in self.tabs]
        self.show(keys[(keys.index(self.tab) + step) % len(keys)])

    def focusables(self) -> list[Focusable]:
        stops = []
        for (key, label), rect in zip(self.tabs, self.tab_rects, strict=True):
            stops.append(
                Focusable(
                    f"{label} tab",
                    rect=partial(pygame.Rect, rect),
                    activate=partial(self.show, key),
                )
            )
        stops.append(
            Focusable(
                "case file text",
                rect=lambda: self.doc.rect.inflate(8, 8),
                on_key=self.doc.handle_arrow_key,
            )
        )
        return stops

    def handle(self, event: pygame.event.Event, mouse: tuple[int, int]) -> bool:
        """Mouse wheel over the text scrolls it; a click on a tab shows it."""
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for (key, _), rect in zip(self.tabs, self.tab_rects, strict=True):
                if rect.collidepoint(event.pos):
                    self.show(key)
                    return True
            if self.doc.rect.collidepoint(event.pos):  # a button in the tab (sort, filter)
                for block in self.doc.blocks:
                    if block.action is not None and self.doc.block_rect(block).collidepoint(
                        event.pos
                    ):
                        block.action()
                        return True
            return False
        return self.doc.handle_wheel(event, mouse)

    def label(self) -> str:
        return dict(self.tabs)[self.tab]

    def spoken(self) -> str:
        """The open tab, read aloud: its name and everything on it."""
        return f"Case file, {self.label()} tab. {self.doc.spoken()}"

    def draw(self, surface: pygame.Surface) -> None:
        th = self.theme
        radius = th.px(0.3)
        pygame.draw.rect(surface, th.colour("surface"), self.body, border_radius=radius)
        pygame.draw.rect(surface, th.colour("border"), self.body, 2, border_radius=radius)
        for (key, label), rect in zip(self.tabs, self.tab_rects, strict=True):
            selected = key == self.tab
            fill = th.colour("accent") if selected else th.colour("surface_alt")
            text = th.colour("accent_text") if selected else th.colour("text")
            pygame.draw.rect(surface, fill, rect, border_radius=radius)
            pygame.draw.rect(surface, th.colour("border"), rect, 2, border_radius=radius)
            if selected:  # a thick underline as well as the fill: selection not by colour alone
                pygame.draw.rect(
                    surface,
                    th.colour("text" if not th.high_contrast else "accent_text"),
                    (rect.x + 6, rect.bottom - 6, rect.width - 12, 3),
                )
            ts = th.font("bold" if selected else "body").render(label, True, text)
            surface.blit(ts, ts.get_rect(center=rect.center))
        self.doc.draw(surface)
