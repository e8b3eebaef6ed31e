"""Debrief: the scorer's judgment of the run, explained decision by decision.

Everything shown comes from the score report (the scorer decides; this screen only
lays it out): overall score and pass/fail, competency bars, each decision's verdict
with the cited policy and the better choice, and the MITI or sanction panel where the
scenario family has one. In practice mode each decision offers "Try again from here".
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import pygame

from scoring.instrument_panel import by_domain, totals_words
from simulator.app import art, charts, services
from simulator.app.screens.base import Screen
from simulator.app.services import AttemptInfo, ServiceError
from simulator.app.text import render_lines, wrap
from simulator.app.widgets import Block, DocBuilder, DocView

if TYPE_CHECKING:
    from engine.loader import ScenarioFile
    from simulator.app.main import App

HINT = "Tab: next · arrows or Page Up/Down: scroll · Esc: library"
KEYS = (
    "Tab and Shift+Tab: move between the buttons and the 'Try again' links",
    "Enter or Space: press the focused button",
    "Up/Down, Page Up/Page Down, Home/End: scroll the debrief",
    "Esc: back to the library",
)
VERDICT_WORDS = {
    "exemplary": "Exemplary",
    "acceptable": "Acceptable",
    "deviation": "Deviation from policy",
    "violation": "Policy violation",
    "critical": "Critical failure",
    "unscored": "Not scored",
}
VERDICT_COLOURS = {
    "exemplary": "good",
    "acceptable": "ok",
    "deviation": "warn",
    "violation": "bad",
    "critical": "critical",
    "unscored": "muted",
}


def step_words(step: dict[str, Any]) -> str:
    """A due-process or notification step in words: done or not, and whether it was due."""
    required = bool(step.get("required"))
    state = "Done" if step.get("done") else "Missed" if required else "Not done"
    return f"{state}: {step.get('title')} ({'required' if required else 'optional here'})"


def decision_seqs(app: App, attempt: AttemptInfo) -> list[int]:
    """Where each decision of a practice attempt sits in its event log, for "try again
    from here" (read from the records, so called off the frame loop; none when the log
    cannot be read or the attempt was an assessment)."""
    if app.profile is None or attempt.mode != "practice":
        return []
    try:
        log = app.records.log(app.profile, attempt.id)
    except ServiceError:
        return []
    return [int(e["seq"]) for e in log.get("events", []) if e.get("type") in ("chose", "timed_out")]


class DebriefScreen(Screen):
    hint = HINT
    keys = KEYS

    def __init__(
        self,
        app: App,
        attempt: AttemptInfo,
        report: dict[str, Any],
        sf: ScenarioFile,
        decision_seqs: Sequence[int] = (),
    ) -> None:
        """``decision_seqs``: see :func:`decision_seqs` (without them, no "try again from
        here")."""
        super().__init__(app)
        self.attempt = attempt
        self.report = report
        self.sf = sf
        self.offset = 0
        self.message = ""
        self.decision_seqs = list(decision_seqs)

    # ------------------------------------------------------------ layout
    def build(self) -> None:
        """Everything scrolls as one document (score, actions, then the detail), so large
        text still leaves room to read."""
        th = self.theme
        w, h = self.size
        m = th.px(0.8)
        top = self.header_height() + m
        doc_rect = pygame.Rect(m, top, w - 2 * m - th.px(0.8), h - top - m)
        self.doc = DocView(th, doc_rect, name="debrief")
        self.doc.set_blocks(self._blocks(doc_rect.width))
        self.doc.offset = self.doc._clamp(self.offset)
        self.doc.on_scroll = self._remember_offset
        self.focus.set(self.doc.focusables())

    def read_aloud(self) -> str:
        """The whole debrief: score and pass, each verdict with its cited policy and the
        better choice, competencies, and the rest, in the order it is shown."""
        return f"Debrief: {self.sf.scenario.title}. {self.doc.spoken()}"

    def _remember_offset(self) -> None:
        self.offset = self.doc.offset

    def _summary(self, width: int) -> pygame.Surface:
        """The score, PASSED or NOT PASSED in a badge (a word, not a colour), the mode."""
        th = self.theme
        passed = bool(self.report.get("passed"))
        overall = float(self.report.get("overall") or 0)
        score = th.font("huge").render(f"{overall:.0f}", True, th.colour("text"))
        out_of = th.font("heading").render("/ 100", True, th.colour("muted"))
        word = th.font("heading").render(
            "PASSED" if passed else "NOT PASSED", True, th.colour("badge_text")
        )
        mode = services.MODE_LABELS.get(self.attempt.mode, self.attempt.mode)
        sub = f"{mode} attempt"
        if self.report.get("pass_threshold") is not None:
            sub += f" · pass mark {float(self.report['pass_threshold']):.0f}"
        subs = self.app.text.paragraph(th.font("body"), sub, th.colour("muted"), width)
        badge = word.get_rect().inflate(th.px(1.2), th.px(0.4))
        left_w = score.get_width() + th.px(0.3) + out_of.get_width() + th.px(1.2)
        beside = left_w + max(badge.width, subs.get_width()) <= width
        badge_top = th.px(0.5) if beside else score.get_height()
        below = badge_top + badge.height + th.px(0.3) + subs.get_height()
        surf = pygame.Surface((width, max(score.get_height(), below)), pygame.SRCALPHA)
        surf.blit(score, (0, 0))
        surf.blit(
            out_of,
            (score.get_width() + th.px(0.3), score.get_height() - out_of.get_height() - th.px(0.3)),
        )
        badge.topleft = (left_w if beside else 0, badge_top)
        pygame.draw.rect(
            surf, th.colour("good" if passed else "bad"), badge, border_radius=th.px(0.3)
        )
        pygame.draw.rect(surf, th.colour("border"), badge, 2, border_radius=th.px(0.3))
        surf.blit(word, word.get_rect(center=badge.center))
        surf.blit(subs, (badge.x, badge.bottom + th.px(0.3)))
        return surf

    def _blocks(self, width: int) -> list[Block]:
        th = self.theme
        r = self.report
        b = DocBuilder(th, self.app.text, width)
        passed = "PASSED" if r.get("passed") else "NOT PASSED"
        mark = r.get("pass_threshold")
        mode = services.MODE_LABELS.get(self.attempt.mode, self.attempt.mode)
        b.drawn(
            (
                "debrief-summary",
                self.attempt.id,
                passed,
                r.get("overall"),
                width,
                th.name,
                th.scale,
            ),
            partial(self._summary, width),
            gap=0.6,
            name="score",
            said=f"Score {float(r.get('overall') or 0):.0f} out of 100, {passed}. "
            f"{mode} attempt" + (f", pass mark {float(mark):.0f}." if mark is not None else "."),
        )
        for i, (text, action) in enumerate(
            (
                ("Back to library", self.library),
                ("Play again", self.play_again),
                ("Export report", self.export),
                ("Progress", self.progress),
            )
        ):
            b.button(text, partial(self.app.defer, action), primary=i == 0, inline=i > 0, gap=0.6)
        if self.message:
            b.text(self.message, "bold", gap=0.6)
        outcome = r.get("outcome") or {}
        if outcome:
            b.labelled(
                "Ending:",
                f"{outcome.get('title', '')} ({str(outcome.get('outcome', '')).replace('_', ' ')})",
                label_style="bold",
            )
        for reason in r.get("fail_reasons") or []:
            b.labelled("Not passed because:", str(reason), label_style="bold", label_colour="bad")
        for crit in r.get("critical_failures") or []:
            pol = crit.get("policy") or {}
            b.labelled(
                "Critical:",
                f"{crit.get('feedback', '')} (policy {pol.get('id', '')} — {pol.get('title', '')})",
                label_style="bold",
                label_colour="critical",
            )
        b.spacer(0.6)
        decisions = r.get("decisions") or []
        b.heading("Your decisions")
        if self.attempt.mode != "practice":
            b.text("“Try again from this decision” is offered in practice mode.", "small", "muted")
        for i, d in enumerate(decisions):
            self._decision(b, i, d, width)
        b.spacer(0.6)
        comps = list(r.get("competencies") or [])
        observed = [c for c in comps if c.get("score") is not None]
        unobserved = [str(c.get("title", c.get("id"))) for c in comps if c.get("score") is None]
        if comps:
            b.heading("Competencies")
            for c in observed:
                note = (
                    f"suggested rating {c['rating']} of 7"
                    if c.get("rating")
                    else f"N.O.: seen {c.get('judgments', 0)}x, too few to rate"
                )
                bar = (th, min(width, th.px(40)), str(c.get("title", c.get("id"))), c.get("score"))
                b.drawn(
                    ("competency-bar", *bar[1:], note, th.name, th.scale),
                    partial(charts.bar, *bar, note),
                    gap=0.5,
                    said=f"{c.get('title', c.get('id'))}: {float(c['score']):.0f} out of 100"
                    + (f", {note}." if note else "."),
                )
            if unobserved:
                b.labelled(
                    "Not observed in this run:",
                    ", ".join(unobserved) + ".",
                    style="small",
                    label_style="small",
                    colour="muted",
                )
            b.spacer(0.5)
        if r.get("miti"):
            self._miti(b, r["miti"])
        if r.get("sanction"):
            self._sanction(b, r["sanction"])
        if r.get("instrument"):
            self._instrument(b, r["instrument"])
        for warning in r.get("warnings") or []:
            b.labelled("Note:", str(warning), style="small", label_style="small", colour="muted")
        return b.blocks

    def _decision(self, b: DocBuilder, i: int, d: dict[str, Any], width: int) -> None:
        th = self.theme
        verdict = str(d.get("verdict", "unscored"))
        words = VERDICT_WORDS.get(verdict, verdict.capitalize())
        icon_size = th.line_height("bold")
        heading = f"Decision {i + 1} · {words}"

        def head() -> pygame.Surface:
            icon = art.verdict_icon(verdict, icon_size, th.high_contrast)
            font = th.font("bold")
            title = render_lines(
                font,
                wrap(font, heading, width - icon_size - th.px(0.5)),
                th.colour(VERDICT_COLOURS.get(verdict, "text")),
            )
            surf = pygame.Surface((width, max(icon_size, title.get_height())), pygame.SRCALPHA)
            surf.blit(icon, (0, 0))
            surf.blit(title, (icon_size + th.px(0.5), 0))
            return surf

        b.rule(gap=0.5)
        b.drawn(
            ("decision-head", heading, verdict, width, th.name, th.scale),
            head,
            gap=0.2,
            name=f"Decision {i + 1}: {words}",
            said=f"Decision {i + 1}: {words}.",
        )
        if d.get("prompt"):
            b.text(str(d["prompt"]), "body", "muted", gap=0.2, indent=0.5)
        chose = "Time ran out; the default was taken:" if d.get("timed_out") else "You chose:"
        b.labelled(chose, str(d.get("text", d.get("choice", ""))), label_style="bold", gap=0.2)
        pol = d.get("policy")
        if pol:
            b.labelled(
                "Policy:",
                f"{pol.get('id', '')} {pol.get('title', '')} — {pol.get('text', '')}",
                style="small",
                label_style="small",
                gap=0.2,
            )
        if d.get("feedback"):
            b.text(str(d["feedback"]), gap=0.2)
        better = d.get("better_choice")
        if better:
            bv = VERDICT_WORDS.get(str(better.get("verdict")), str(better.get("verdict")))
            text = f"{better.get('text', '')} ({bv})"
            if better.get("feedback"):
                text += f" — {better['feedback']}"
            b.labelled("Better choice:", text, label_style="bold", label_colour="good", gap=0.3)
        if self.attempt.mode == "practice" and i < len(self.decision_seqs):
            seq = self.decision_seqs[i]
            b.button(
                f"Try again from decision {i + 1}",
                partial(self.app.defer, partial(self.try_again, seq)),
                gap=0.6,
            )

    def _miti(self, b: DocBuilder, miti: dict[str, Any]) -> None:
        b.spacer(0.6)
        b.heading("Motivational interviewing (MITI summary)")
        counts = miti.get("counts") or {}
        refl = int(counts.get("simple_reflection", 0)) + int(counts.get("complex_reflection", 0))
        b.labelled(
            "Reflections:",
            f"{refl} ({counts.get('complex_reflection', 0)} complex)",
            label_style="bold",
            gap=0.2,
        )
        b.labelled("Questions:", str(counts.get("question", 0)), label_style="bold", gap=0.2)
        for key, label in (
            ("percent_complex_reflections", "Complex reflections:"),
            ("reflection_to_question", "Reflection to question ratio:"),
        ):
            m = miti.get(key) or {}
            value = m.get("value")
            shown = (
                "—"
                if value is None
                else (f"{value:g} %" if key.startswith("percent") else f"{value:g} : 1")
            )
            reason = f" ({m.get('reason')})" if m.get("reason") else ""
            b.labelled(
                label, f"{shown} — {m.get('level', '')}{reason}", label_style="bold", gap=0.2
            )
        b.labelled(
            "MI-adherent / non-adherent:",
            f"{miti.get('mi_adherent', 0)} / {miti.get('mi_non_adherent', 0)}",
            label_style="bold",
            gap=0.5,
        )

    def _sanction(self, b: DocBuilder, s: dict[str, Any]) -> None:
        b.spacer(0.6)
        b.heading("Response to the violation")
        b.labelled(
            "Severity and risk:",
            f"{s.get('severity') or 'not set'} severity, {s.get('risk') or 'unknown'} risk",
            label_style="bold",
            gap=0.2,
        )
        if s.get("band_titles"):
            b.labelled(
                "Allowed responses:", ", ".join(s["band_titles"]), label_style="bold", gap=0.2
            )
        b.labelled(
            "Your response:",
            f"{s.get('chosen_title') or 'none chosen'} — {s.get('assessment_words', '')}",
            label_style="bold",
            gap=0.2,
        )
        for key, label in (("due_process", "Due process"), ("notifications", "Notifications")):
            steps = s.get(key) or []
            if steps:
                b.text(label, "bold", gap=0.1)
                b.bullets([step_words(st) for st in steps])
        if s.get("incentives"):
            given = [str(i).removeprefix("incentive_").replace("_", " ") for i in s["incentives"]]
            b.labelled("Incentives given:", ", ".join(given), label_style="bold")

    def _instrument(self, b: DocBuilder, panel: dict[str, Any]) -> None:
        """The intake assessment: each item's key beside the trainee's rating."""
        b.spacer(0.6)
        b.heading(f"Assessment: {panel.get('instrument', '')}")
        for domain, items in by_domain(panel):
            b.text(domain, "bold", gap=0.1)
            b.bullets(items, style="small", gap=0.3)
        b.labelled("Total:", totals_words(panel), label_style="bold", gap=0.5)

    # ------------------------------------------------------------ actions
    def library(self) -> None:
        from simulator.app.screens.library import open_library

        open_library(self.app)

    def play_again(self) -> None:
        from simulator.app.screens.briefing import open_briefing
        from simulator.app.screens.library import open_library

        open_library(self.app, lambda library: open_briefing(self.app, self.sf))

    def progress(self) -> None:
        from simulator.app.screens.progress import open_progress

        open_progress(self.app)

    def try_again(self, seq: int) -> None:
        from simulator.app.screens.play import PlayScreen

        profile = self.app.profile
        assert profile is not None

        def opened(run: services.Run) -> None:
            self.app.run = run
            self.app.replace(PlayScreen(self.app, run))

        self.app.work(
            "Starting again from that decision…",
            lambda: services.branch_run(
                self.app.records, self.app.catalog, profile, self.attempt.id, seq
            ),
            opened,
            lambda msg: self.app.show_error("Could not start again from there", msg),
        )

    def export(self) -> None:
        from simulator.app import scorer

        profile = self.app.profile
        assert profile is not None

        def save() -> str:
            try:
                path = scorer.export_html(
                    self.app.records, profile, self.attempt, self.report, self.sf
                )
            except (ServiceError, OSError) as exc:
                return f"The report could not be saved: {exc}"
            return f"Report saved to {path}"

        def saved(message: str) -> None:
            self.message = message
            self.app.announce(self.message)
            self.rebuild()
            self.focus.focus_name("Export report")

        self.app.work("Saving the report…", save, saved)

    # ------------------------------------------------------------ events and drawing
    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN:
            if event.key in (
                pygame.K_UP,
                pygame.K_DOWN,
                pygame.K_PAGEUP,
                pygame.K_PAGEDOWN,
                pygame.K_HOME,
                pygame.K_END,
            ):
                line = self.theme.line_height()  # a document: arrows scroll, Tab moves
                step = {pygame.K_UP: -line, pygame.K_DOWN: line}.get(event.key)
                if step is not None:
                    self.doc.scroll(step)
                    return True
                return self.doc.handle_scroll_key(event)
            if event.key == pygame.K_ESCAPE:
                self.app.defer(self.library)
                return True
        if event.type == pygame.MOUSEWHEEL:
            return self.doc.handle_wheel(event, pygame.mouse.get_pos())
        return super().handle(event)

    def draw_content(self, surface: pygame.Surface) -> None:
        self.draw_header(surface, f"Debrief — {self.sf.scenario.title}")
        cur = self.focus.current
        selected = next(
            (bl for bl in self.doc.blocks if cur is not None and bl.name == cur.name), None
        )
        self.doc.draw(surface, selected=selected)
