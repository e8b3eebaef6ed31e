"""Progress: attempts, best and latest scores per scenario, and the competency trend.

The trend chart is drawn once from the stored score reports (weekly means per
competency); under it the same figures are written out, so nothing depends on
reading a chart.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

import pygame

from engine.wording import plural
from simulator.app import charts, services
from simulator.app.focus import Focusable
from simulator.app.screens.base import Screen
from simulator.app.services import ProgressSummary, ServiceError
from simulator.app.widgets import Block, DocBuilder, DocView

if TYPE_CHECKING:
    from engine.loader import ScenarioFile
    from simulator.app.main import App

HINT = "Tab: next · Page Up/Down: scroll · Esc: back"
RECENT = 15


def open_progress(app: App) -> None:
    """Show the trainee's progress once it is read from the records (off the frame loop);
    a refusal is shown on the progress screen itself."""
    profile = app.profile
    assert profile is not None
    app.open(
        "Reading your progress…",
        partial(app.records.progress, profile),
        partial(ProgressScreen, app),
        failed=partial(ProgressScreen, app, None),
    )


class ProgressScreen(Screen):
    hint = HINT

    def __init__(self, app: App, summary: ProgressSummary | None, error: str = "") -> None:
        super().__init__(app)
        self.summary = summary
        self.error = error

    def build(self) -> None:
        th = self.theme
        w, h = self.size
        m = th.px(0.8)
        y = self.header_height() + m
        bh = self.button_height()
        _, back = self.button(
            pygame.Rect(m, y, self.button_width("Back"), bh), "Back", self.app.pop, primary=True
        )
        y += bh + th.px(0.8)
        rect = pygame.Rect(m, y, w - 2 * m - th.px(0.8), h - y - m)
        self.doc = DocView(th, rect, name="progress")
        self.doc.set_blocks(self._blocks(rect.width, rect.height))
        stop = Focusable(
            "progress text",
            rect=lambda: self.doc.rect.inflate(8, 8),
            on_key=self.doc.handle_arrow_key,
        )
        self.focus.set([back, stop, *self.doc.focusables()])

    def _blocks(self, width: int, height: int) -> list[Block]:
        th = self.theme
        b = DocBuilder(th, self.app.text, width)
        s = self.summary
        if s is None:
            b.text(f"Progress cannot be shown: {self.error}", "bold", "bad")
            return b.blocks
        attempts = list(s.attempts)
        done = [a for a in attempts if a.status == "completed"]
        scored = [a for a in done if a.overall is not None]
        passed = [a for a in scored if a.passed]
        rate = f" ({100 * len(passed) / len(scored):.0f} % of scored)" if scored else ""
        b.text(
            f"{plural(len(attempts), 'attempt')} · {len(done)} completed · {len(scored)} scored"
            f" · {len(passed)} passed{rate}",
            "bold",
            gap=0.8,
        )
        if not attempts:
            b.text("No attempts yet. Open a scenario from the library to begin.")
            return b.blocks
        b.heading("Scenarios")
        by_scenario: dict[str, list[services.AttemptInfo]] = {}
        for a in attempts:
            by_scenario.setdefault(a.scenario_id, []).append(a)
        for items in by_scenario.values():
            scores = [a.overall for a in items if a.overall is not None]
            best = f"best {max(scores):.0f}" if scores else "not scored yet"
            latest = f", latest {scores[-1]:.0f}" if scores else ""
            b.labelled(
                items[-1].scenario_title + ":",
                f"{plural(len(items), 'attempt')}, {best}{latest}",
                label_style="bold",
                gap=0.25,
            )
        b.spacer(0.6)
        trends = [t for t in s.trends if t.points]
        weeks = {p[0] for t in trends for p in t.points}
        if len(weeks) == 1:  # one week: a trend has one point; show this week's scores
            monday = date.fromisoformat(next(iter(weeks))).strftime("%d %b")
            b.heading(f"Competencies, week of {monday}")
            for t in trends:
                week_score = t.points[-1][1]
                b.picture(
                    charts.bar(th, min(width, th.px(40)), t.title, week_score, "weekly average"),
                    gap=0.5,
                    said=f"{t.title}: {week_score:.0f} out of 100, weekly average.",
                )
            b.text(
                "A trend over time appears here once you have practised in a second week.",
                "small",
                "muted",
            )
        else:
            b.heading("Competency trend")
        if not trends:
            b.text("The trend appears once a scored attempt is on record.")
        elif len(weeks) > 1:
            labels = sorted({p[0] for t in trends for p in t.points})
            series = [(t.title, [dict(t.points).get(lab) for lab in labels]) for t in trends]
            chart_h = max(th.px(12), min(th.px(20), height - th.px(2)))
            shown = [date.fromisoformat(lab).strftime("%d %b") for lab in labels]
            b.picture(
                charts.trend_chart(th, (width, chart_h), shown, series),
                name="competency trend chart",
            )
            b.text("Weekly average score per competency:", "bold", gap=0.2)
            for t in trends:
                first, last = t.points[0][1], t.points[-1][1]
                change = "" if len(t.points) < 2 else f" (from {first:.0f}, {last - first:+.0f})"
                b.labelled(f"{t.title}:", f"{last:.0f}{change}", label_style="bold", gap=0.2)
        b.spacer(0.6)
        b.heading("Recent attempts")
        for a in reversed(attempts[-RECENT:]):
            when = a.started_at.astimezone().strftime("%d %b %Y %H:%M")
            score = (
                ""
                if a.overall is None
                else (f" · {a.overall:.0f} ({'passed' if a.passed else 'not passed'})")
            )
            status = {
                "in_progress": "in progress",
                "completed": "completed",
                "abandoned": "set aside",
            }.get(a.status, a.status)
            text = (
                f"{a.scenario_title} · {services.MODE_LABELS.get(a.mode, a.mode)} · {status}{score}"
            )
            if a.status == "completed" and a.overall is not None:
                b.labelled(
                    when,
                    text,
                    style="body",
                    label_style="small",
                    bg="surface",
                    border="border",
                    pad=0.35,
                    gap=0.3,
                    action=partial(self.app.defer, partial(self.open, a)),
                    name=f"Open the debrief of {a.scenario_title}, {when}",
                )
            else:
                b.labelled(when, text, style="body", label_style="small", colour="muted", gap=0.3)
        return b.blocks

    def open(self, attempt: services.AttemptInfo) -> None:
        from simulator.app.screens.debrief import DebriefScreen, decision_seqs

        profile = self.app.profile
        assert profile is not None

        def load() -> tuple[dict[str, Any], ScenarioFile, list[int]]:
            report = self.app.records.report(profile, attempt.id)
            if report is None:
                raise ServiceError("This attempt has no stored score report.")
            sf = self.app.catalog.by_id(attempt.scenario_id)
            return report, sf, decision_seqs(self.app, attempt)

        self.app.open(
            "Opening the debrief…",
            load,
            lambda found: DebriefScreen(self.app, attempt, *found),
            failed="That debrief cannot be opened",
        )

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key in (
            pygame.K_PAGEUP,
            pygame.K_PAGEDOWN,
            pygame.K_HOME,
            pygame.K_END,
        ):
            return self.doc.handle_scroll_key(event)
        if event.type == pygame.MOUSEWHEEL:
            return self.doc.handle_wheel(event, pygame.mouse.get_pos())
        return super().handle(event)

    def draw_content(self, surface: pygame.Surface) -> None:
        who = self.app.profile.display_name if self.app.profile else ""
        self.draw_header(surface, f"Progress — {who}")
        cur = self.focus.current
        selected = next(
            (bl for bl in self.doc.blocks if cur is not None and bl.name == cur.name), None
        )
        self.doc.draw(surface, selected=selected)
