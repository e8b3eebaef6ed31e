"""Briefing: what the scenario is about, what to learn from it, and the case file.

Read the case file before you start: many right answers depend on it (conditions,
household, history). From here the trainee starts a practice or an assessment
attempt, or resumes one left unfinished.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

import pygame

from simulator.app import services
from simulator.app.casefile import CaseFilePanel
from simulator.app.focus import Focusable
from simulator.app.screens.base import Screen
from simulator.app.services import FAMILY_LABELS, AttemptInfo, ServiceError
from simulator.app.widgets import DocBuilder, DocView

if TYPE_CHECKING:
    from engine.loader import ScenarioFile
    from simulator.app.main import App

HINT = "Tab: next · Left/Right: case file tabs · Esc: back"
KEYS = (
    "Tab and Shift+Tab: move between the buttons, the summary and the case file tabs",
    "Enter or Space: press the focused button (Start practice, Start assessment, Back)",
    "Left/Right: the case file's tabs",
    "Page Up/Page Down, Home/End: scroll the case file; Up/Down on the summary: scroll it",
    "Esc: back to the library",
)


def unfinished_attempts(app: App, sf: ScenarioFile) -> list[AttemptInfo]:
    """The trainee's attempts at ``sf`` still in progress, oldest first (none when they
    cannot be read: the briefing then offers a new start only)."""
    if app.profile is None:
        return []
    try:
        attempts = app.records.attempts(app.profile)
    except ServiceError:
        return []
    return [a for a in attempts if a.status == "in_progress" and a.scenario_id == sf.scenario.id]


def open_briefing(app: App, sf: ScenarioFile) -> None:
    """Show ``sf``'s briefing once the trainee's unfinished attempts at it are read (off the
    frame loop), so it can offer to resume one."""
    app.open(
        "Opening the briefing…",
        partial(unfinished_attempts, app, sf),
        partial(BriefingScreen, app, sf),
    )


class BriefingScreen(Screen):
    hint = HINT
    keys = KEYS

    def __init__(self, app: App, sf: ScenarioFile, unfinished: Sequence[AttemptInfo] = ()) -> None:
        """``unfinished``: the trainee's attempts at ``sf`` still in progress (a button
        offers to resume the newest)."""
        super().__init__(app)
        self.sf = sf
        self.tab = ""  # the panel starts on its first tab
        self.unfinished = list(unfinished)

    def build(self) -> None:
        th = self.theme
        w, h = self.size
        m = th.px(0.8)
        top = self.header_height() + m
        bh = self.button_height()
        buttons = [
            ("Start practice", self.start_practice, True),
            ("Start assessment", self.start_assessment, False),
        ]
        if self.unfinished:
            buttons.insert(0, ("Resume where you left off", self.resume, True))
            buttons[1] = ("Start practice", self.start_practice, False)
        buttons.append(("Back to library", self.app.pop, False))
        wide = w >= th.em * 50
        if wide:
            left = pygame.Rect(m, top, int(w * 0.42) - m, h - top - m)
            case = pygame.Rect(left.right + m * 2, top, w - left.right - m * 3, h - top - m)
        else:  # one column: summary and objectives become the case file's first tab
            left = pygame.Rect(m, top, w - 2 * m, h - top - m)
        rects, bottom = self.flow(
            [self.button_width(t) for t, _, _ in buttons], left.x, left.right, 0, bh
        )
        shift = left.bottom - bottom
        stops: list[Focusable] = []
        for rect, (text, action, primary) in zip(rects, buttons, strict=True):
            _, f = self.button(rect.move(0, shift), text, action, primary=primary)
            stops.append(f)
        content_bottom = left.bottom - bottom - th.px(0.8)
        if wide:
            doc_rect = pygame.Rect(left.x, left.y, left.width - th.px(0.6), content_bottom - left.y)
            self.doc: DocView | None = DocView(th, doc_rect, name="briefing")
            b = DocBuilder(th, self.app.text, doc_rect.width)
            self._overview(b)
            self.doc.set_blocks(b.blocks)
            self.case = CaseFilePanel(
                th, self.app.text, self.sf.scenario, case, self.tab, on_tab=self._on_tab
            )
            doc = self.doc
            doc_stop = Focusable(
                "summary and objectives",
                rect=lambda: doc.rect.inflate(8, 8),
                on_key=doc.handle_arrow_key,
            )
            self.focus.set([*stops, doc_stop, *self.case.focusables()])
        else:
            self.doc = None
            case = pygame.Rect(left.x, left.y, left.width, content_bottom - left.y)
            self.case = CaseFilePanel(
                th,
                self.app.text,
                self.sf.scenario,
                case,
                self.tab,
                on_tab=self._on_tab,
                overview=self._overview,
            )
            self.focus.set([*stops, *self.case.focusables()])

    def _overview(self, b: DocBuilder) -> None:
        s = self.sf.scenario
        b.text(
            f"{FAMILY_LABELS[s.family]} · {s.difficulty.value.capitalize()} · "
            f"about {s.estimated_minutes} minutes",
            "small",
            "muted",
            gap=0.4,
        )
        b.text(s.summary, gap=0.8)
        b.heading("Learning objectives")
        b.bullets(list(s.objectives))
        if self.unfinished:
            a = self.unfinished[-1]
            b.text(
                f"You have an unfinished {services.MODE_LABELS.get(a.mode, a.mode).lower()} "
                f"attempt from {a.started_at.astimezone():%d %b %Y, %H:%M}.",
                "bold",
                gap=0.4,
            )

    def read_aloud(self) -> str:
        """The briefing in full: title, summary and objectives, then the case file tab."""
        overview = self.doc.spoken() if self.doc is not None else ""
        cur = self.focus.current
        focused = f" Focused: {cur.name}." if cur is not None else ""
        return f"Briefing: {self.sf.scenario.title}. {overview} {self.case.spoken()}{focused}"

    def _on_tab(self, tab: str) -> None:
        self.tab = tab

    # ------------------------------------------------------------ actions
    def _play(self, run: services.Run) -> None:
        from simulator.app.screens.play import PlayScreen

        self.app.run = run
        self.app.replace(PlayScreen(self.app, run))

    def _start(self, mode: str) -> None:
        profile = self.app.profile
        assert profile is not None
        self.app.work(
            "Starting the scenario…",
            lambda: services.start_run(
                self.app.records, profile, self.sf, mode, self.app.settings.time_factor
            ),
            self._play,
            lambda msg: self.app.show_error("The attempt could not start", msg),
        )

    def start_practice(self) -> None:
        self._start("practice")

    def start_assessment(self) -> None:
        self._start("assessment")

    def resume(self) -> None:
        profile = self.app.profile
        assert profile is not None
        attempt = self.unfinished[-1]
        self.app.work(
            "Opening your attempt…",
            lambda: services.resume_run(self.app.records, self.app.catalog, profile, attempt),
            self._play,
            lambda msg: self.app.show_error("The attempt could not be resumed", msg),
        )

    # ------------------------------------------------------------ events and drawing
    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN:
            cur = self.focus.current
            if cur is not None and cur.on_key is not None and cur.on_key(event):
                return True
            if event.key in (pygame.K_LEFT, pygame.K_RIGHT):
                self.case.cycle(1 if event.key == pygame.K_RIGHT else -1)
                self.focus.focus_name(f"{self.case.label()} tab")
                self.app.announce(self.case.spoken())
                return True
            if event.key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN, pygame.K_HOME, pygame.K_END):
                return self.case.doc.handle_scroll_key(event)
        if event.type in (pygame.MOUSEWHEEL, pygame.MOUSEBUTTONDOWN):
            mouse = pygame.mouse.get_pos() if event.type == pygame.MOUSEWHEEL else event.pos
            if self.case.handle(event, mouse):
                return True
            if self.doc is not None and self.doc.handle_wheel(event, mouse):
                return True
        return super().handle(event)

    def draw_content(self, surface: pygame.Surface) -> None:
        self.draw_header(surface, self.sf.scenario.title)
        if self.doc is not None:
            self.doc.draw(surface)
        self.case.draw(surface)
