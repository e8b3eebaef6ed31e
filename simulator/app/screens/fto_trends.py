"""A trainee's DOR trends: each category's ratings over time on the 1-7 scale (a chart,
then the same figures written out), days to the first 4, and the flags a coordinator acts
on (1-3 in the last three evaluations, any N.R.T.). Also ``parolesim evaluations trends``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

import pygame

from engine.wording import plural
from simulator.app import charts
from simulator.app.fto import FtoService
from simulator.app.screens.fto_dor import title_of
from simulator.app.screens.fto_home import DocScreen
from simulator.app.theme import Theme
from simulator.app.widgets import DocBuilder

if TYPE_CHECKING:
    from simulator.app.main import App
    from simulator.fto.trends import CategoryTrend


def rating_chart(
    theme: Theme, size: tuple[int, int], labels: Sequence[str], trends: Sequence[CategoryTrend]
) -> pygame.Surface:
    """Lines of 1-7 ratings per category over the evaluation dates, with a bold line at 4
    (minimum acceptable) and a legend of marker shapes."""
    th = theme
    w, h = size
    small = th.font("small")
    row_h = small.get_linesize()
    sw = th.px(2.2)
    legend: list[tuple[int, int, int]] = []
    lx, ly = 0, 0
    for i, trend in enumerate(trends):
        iw = sw + th.px(0.4) + small.size(title_of(trend.category))[0] + th.px(1.2)
        if lx + iw > w and lx > 0:
            lx, ly = 0, ly + row_h
        legend.append((i, lx, ly))
        lx += iw
    legend_h = ly + row_h if trends else 0
    axis_w = small.size("7")[0] + th.px(0.8)
    plot = pygame.Rect(
        axis_w,
        th.px(0.5),
        w - axis_w - th.px(0.8),
        max(th.px(3), h - legend_h - row_h - th.px(1.4)),
    )
    surf = pygame.Surface((w, h), pygame.SRCALPHA)
    pygame.draw.rect(surf, th.colour("surface"), plot)

    def y_of(v: float) -> float:
        return plot.bottom - plot.height * (v - 0.5) / 7

    for v in range(1, 8):
        y = y_of(v)
        width = max(2, th.px(0.12)) if v == 4 else 1
        pygame.draw.line(
            surf,
            th.colour("border" if v == 4 else "bar_track"),
            (plot.x, y),
            (plot.right, y),
            width,
        )
        tick = small.render(str(v), True, th.colour("muted"))
        surf.blit(tick, (axis_w - th.px(0.3) - tick.get_width(), y - tick.get_height() / 2))
    pygame.draw.rect(surf, th.colour("border"), plot, 1)
    n = max(1, len(labels))
    index = {lab: j for j, lab in enumerate(labels)}

    def x_of(j: int) -> float:
        return plot.x + plot.width * (j + 0.5) / n

    step = max(1, -(-n * (small.size("00 Mmm")[0] + th.px(0.5)) // max(1, plot.width)))
    for j, lab in enumerate(labels):
        if j % step == 0:
            tick = small.render(lab, True, th.colour("muted"))
            surf.blit(tick, (x_of(j) - tick.get_width() / 2, plot.bottom + th.px(0.2)))
    r = max(4, th.px(0.3))
    edge = th.colour("text")
    for i, trend in enumerate(trends):
        marker, key = charts.style_of(i)
        colour = th.colour(key)
        pts = [
            (x_of(index[d.strftime("%d %b")]), y_of(v))
            for d, v, _ in trend.points
            if isinstance(v, int)
        ]
        if len(pts) > 1:
            pygame.draw.lines(surf, colour, False, pts, max(2, th.px(0.12)))
        for p in pts:
            charts.draw_marker(surf, marker, p, r, colour, edge)
    top = h - legend_h
    for i, x, y in legend:
        marker, key = charts.style_of(i)
        colour = th.colour(key)
        cy = top + y + row_h / 2
        pygame.draw.line(surf, colour, (x, cy), (x + sw, cy), max(2, th.px(0.12)))
        charts.draw_marker(surf, marker, (x + sw / 2, cy), r, colour, edge)
        name = title_of(trends[i].category)
        surf.blit(small.render(name, True, th.colour("text")), (x + sw + th.px(0.4), top + y))
    return surf


def open_trends(app: App, service: FtoService, trainee: str) -> None:
    """Show a trainee's trends once their evaluations are read (off the frame loop); a
    refusal is shown on the trends screen itself."""
    app.open(
        "Reading the evaluations…",
        partial(service.trends, trainee),
        partial(TrendsScreen, app, trainee),
        failed=lambda message: TrendsScreen(app, trainee, [], message),
    )


class TrendsScreen(DocScreen):
    hint = "Page Up/Down: scroll · Esc: back"

    def __init__(
        self, app: App, trainee: str, trends: list[CategoryTrend], error: str = ""
    ) -> None:
        super().__init__(app)
        self.heading = f"Trends — {trainee}"
        self.error = error
        self.trends = trends

    def blocks(self, b: DocBuilder, width: int, height: int) -> None:
        th = self.theme
        if self.error:
            b.text(self.error, "bold", "bad")
            return
        if not self.trends:
            b.text("No evaluations yet: trends appear once a DOR is on record.")
            return
        flagged = [t for t in self.trends if t.flags]
        if flagged:
            b.heading("Flags")
            for t in flagged:
                for flag in t.flags:
                    b.labelled(
                        f"{title_of(t.category)}:", flag, label_style="bold", colour="bad", gap=0.2
                    )
            b.spacer(0.5)
        rated = [t for t in self.trends if any(isinstance(v, int) for _, v, _ in t.points)]
        days = sorted({d for t in self.trends for d, _, _ in t.points})
        labels = [d.strftime("%d %b") for d in days]
        if rated:
            b.heading("Ratings over time (4 = minimum acceptable)")
            chart_h = max(th.px(12), min(th.px(20), height - th.px(2)))
            b.picture(rating_chart(th, (width, chart_h), labels, rated), name="rating trend chart")
        b.heading("Each category")
        for t in self.trends:
            series = ", ".join(f"{v} ({d.strftime('%d %b')})" for d, v, _ in t.points)
            first4 = (
                f"first 4 after {plural(t.days_to_first_4, 'day')}"
                if t.days_to_first_4 is not None
                else "no 4 yet"
            )
            b.labelled(
                f"{title_of(t.category)}:", f"{series} · {first4}", label_style="bold", gap=0.25
            )
