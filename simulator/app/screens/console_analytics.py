"""A cohort's analytics as charts: the score distribution against the pass mark, first
against latest attempts, the most-missed policies and competencies, and for each decision
how the cohort's choices spread over the options (each bar labelled with its count, share
and verdict in words, not by colour alone). Also ``parolesim cohort-report``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.wording import plural
from simulator.analytics.cohort import EDGES
from simulator.app import charts
from simulator.app.screens.fto_home import DocScreen
from simulator.app.widgets import DocBuilder
from simulator.reports.cohort import change_words, pct, scores_words

if TYPE_CHECKING:
    from simulator.analytics.cohort import CohortAnalytics, Missed, ScoreSpread
    from simulator.app.main import App

# the palette key each verdict's bar is filled with (the verdict is also written out)
VERDICT_FILL = {
    "exemplary": "good",
    "acceptable": "chart_1",
    "deviation": "warn",
    "violation": "bad",
    "critical": "critical",
}


class AnalyticsScreen(DocScreen):
    hint = "Page Up/Down: scroll · Esc: back"

    def __init__(self, app: App, found: CohortAnalytics, period: str) -> None:
        super().__init__(app)
        self.found = found
        self.period = period
        self.heading = f"Analytics — {found.cohort}"

    def blocks(self, b: DocBuilder, width: int, height: int) -> None:
        a = self.found
        th = self.theme
        scope = a.scenario or "all scenarios"
        b.text(
            f"{scope} · {self.period} · {plural(len(a.trainees), 'trainee')}, {len(a.active)} with "
            f"scored attempts, {plural(a.attempts, 'attempt')}",
            "bold",
            gap=0.6,
        )
        if not a.attempts:
            b.text("No completed, scored attempts match the filters yet.")
            return
        chart_w = min(width, th.px(44))
        self._scores(b, a.scores, chart_w, "Scores")
        b.heading("First against latest attempt")
        b.text(change_words(a.change) + ".", gap=0.4)
        if a.change.pairs:
            for name, value in (("First", a.change.first_mean), ("Latest", a.change.latest_mean)):
                b.picture(
                    charts.bar(th, chart_w, f"{name} attempts (mean)", value, ""),
                    gap=0.3,
                    said=f"{name} attempts: mean {value}",
                )
        self._missed(b, a.policies, "policies", chart_w)
        self._missed(b, a.competencies, "competencies", chart_w)
        for s in a.scenarios:
            b.rule(gap=0.6)
            b.heading(s.title)
            b.text(
                f"{plural(s.attempts, 'attempt')} by {plural(s.trainees, 'trainee')}",
                "small",
                "muted",
            )
            if len(a.scenarios) > 1:
                self._scores(b, s.scores, chart_w, "Scores", small=True)
                b.text(f"First against latest: {change_words(s.change)}.", gap=0.5)
            for d in s.decisions:
                b.text(d.prompt or d.node, "bold", gap=0.15)
                timed = f", {d.timed_out} timed out" if d.timed_out else ""
                b.text(
                    f"reached {plural(d.reached, 'time')} · within policy {pct(d.within)}{timed}",
                    "small",
                    "muted",
                    gap=0.25,
                )
                for o in d.options:
                    verdict = o.verdict or "not chosen"
                    b.picture(
                        charts.bar(
                            th,
                            chart_w,
                            o.text,
                            o.share * 100,
                            verdict,
                            value=f"{o.count} · {pct(o.share)}",
                            colour=VERDICT_FILL.get(o.verdict or "", "bar_track"),
                            title_style="small",
                        ),
                        gap=0.25,
                        said=f"{o.text}: {o.count} chose it, {pct(o.share)}, {verdict}",
                    )
                b.spacer(0.4)

    def _scores(
        self, b: DocBuilder, s: ScoreSpread, width: int, title: str, *, small: bool = False
    ) -> None:
        th = self.theme
        if not small:
            b.heading(title)
        b.text(scores_words(s) + ".", gap=0.3)
        h = th.px(9) if small else th.px(12)
        b.picture(
            charts.histogram(th, (width, h), s.bins, [float(e) for e in EDGES], s.pass_mark),
            gap=0.6,
            name="score distribution chart",
            said=f"score distribution: {scores_words(s)}",
        )

    def _missed(self, b: DocBuilder, rows: tuple[Missed, ...], what: str, width: int) -> None:
        b.heading(f"Most-missed {what}")
        if not rows:
            b.text(f"No {what} missed.")
            return
        for m in rows:
            title = m.title if what == "competencies" else f"{m.id} {m.title}"
            mean = f", mean score {m.mean_score:.0f}" if m.mean_score is not None else ""
            b.picture(
                charts.bar(
                    self.theme,
                    width,
                    title,
                    m.rate * 100,
                    f"missed {m.missed} of {m.judged}{mean}",
                    value=pct(m.rate),
                    colour="bad",
                ),
                gap=0.3,
                said=f"{title}: missed {m.missed} of {m.judged}, {pct(m.rate)}{mean}",
            )
        b.spacer(0.4)
