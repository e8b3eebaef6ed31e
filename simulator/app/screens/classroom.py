"""Class-session screens around the projector: the instructor picks a cohort and a scenario
to start a session (the cohort's assigned scenarios first); a trainee's workstation shows
the decision the class is on and takes their one vote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import pygame

from simulator.app.classroom import ClassService, Follower
from simulator.app.focus import Focusable
from simulator.app.screens.base import Screen
from simulator.app.screens.fto_home import DocScreen
from simulator.app.services import FAMILY_LABELS, ServiceError
from simulator.app.widgets import DocBuilder

if TYPE_CHECKING:
    from simulator.app.main import App
    from simulator.store.classdata import ClassSession

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def class_service(app: App) -> ClassService:
    from simulator.app.records import StoreRecords

    if app.profile is None or not isinstance(app.records, StoreRecords):
        raise ServiceError("Sign in first: class sessions need the records store.")
    return ClassService(app.records, app.profile)


@dataclass(frozen=True)
class ClassStart:
    """What the start-class screen lists, read off the frame loop by :meth:`read`: each
    cohort taught with its assigned scenarios (id -> due date) and the sessions still open
    (or why they could not be read)."""

    cohorts: tuple[tuple[str, dict[str, str]], ...] = ()
    running: tuple[ClassSession, ...] = ()
    error: str = ""

    @classmethod
    def read(cls, app: App) -> ClassStart:
        try:
            service = class_service(app)
            cohorts = tuple((c.name, service.assigned(c.name)) for c in service.teaching())
            running = tuple(v for v in service.open_sessions() if v.viewer == "instructor")
        except ServiceError as exc:
            return cls(error=str(exc))
        return cls(cohorts, running)


def open_start_class(app: App) -> None:
    """Show the start-class screen once its cohorts and open sessions are read."""
    app.open("Reading your cohorts…", partial(ClassStart.read, app), partial(StartClassScreen, app))


def show_session(
    app: App,
    label: str,
    load: Callable[[ClassService], ClassSession],
    *,
    projector: bool,
    failed: str,
) -> None:
    """Open a class session off the frame loop (start it, return to it or join it) and show
    it: on the projector in place of the start-class screen, or as a trainee's voting
    screen over their library."""
    from simulator.app.screens.projector import ProjectorScreen

    try:
        service = class_service(app)
    except ServiceError as exc:
        app.show_error(failed, str(exc))
        return

    def make(view: ClassSession) -> Screen:
        if projector:
            return ProjectorScreen(app, service, view)
        return VoteScreen(app, service, view)

    app.open(
        label,
        partial(load, service),
        make,
        place="replace" if projector else "push",
        failed=failed,
    )


class StartClassScreen(DocScreen):
    """The sessions still open for the instructor's cohorts (to return to the projector,
    after a hot seat or a restart), then each cohort they teach with the library's
    scenarios under it (assigned ones first, with their due date); Enter on one starts the
    session on the projector."""

    heading = "Start a class session"

    def __init__(self, app: App, start: ClassStart) -> None:
        super().__init__(app)
        self.error = start.error
        self.cohorts = start.cohorts
        self.running = start.running

    def blocks(self, b: DocBuilder, width: int, height: int) -> None:
        if self.error:
            b.text(self.error, "bold", "bad")
            return
        if not self.cohorts:
            b.text("You teach no cohort yet: an administrator enrols you as its instructor.")
            return
        if self.running:
            b.heading("Open sessions")
            for v in self.running:
                poll = v.current
                where = f"decision {poll.number}, voting {poll.state}" if poll else "story ended"
                self._card(
                    b,
                    f"{v.scenario_title} — {v.cohort}",
                    f"{where} · {v.joined_count} joined · started by {v.instructor}",
                    partial(self.resume, v.id),
                    f"Return to {v.scenario_title} with {v.cohort}",
                )
            b.spacer(0.5)
        b.text(
            "The session plays on this screen for the room; trainees join from their "
            "workstations (the library shows 'Join class session'). No score shows until the end.",
            gap=0.6,
        )
        scenarios = {sf.scenario.id: sf.scenario for sf in self.app.catalog.scenarios}
        for cohort, assigned in self.cohorts:
            b.heading(cohort)
            order = [s for s in assigned if s in scenarios] + [
                s for s in scenarios if s not in assigned
            ]
            for sid in order:
                s = scenarios[sid]
                due = f" · assigned, due {assigned[sid]}" if sid in assigned else ""
                self._card(
                    b,
                    s.title,
                    f"{FAMILY_LABELS.get(s.family, s.family)} · {s.estimated_minutes} min{due}",
                    partial(self.start, cohort, sid),
                    f"Start {s.title} with {cohort}",
                )

    def _card(
        self, b: DocBuilder, label: str, text: str, action: Callable[[], None], name: str
    ) -> None:
        """One choice as a framed row: Enter (or a click) runs ``action``."""
        b.labelled(
            label,
            text,
            label_style="bold",
            bg="surface",
            border="border",
            pad=0.4,
            gap=0.3,
            action=partial(self.app.defer, action),
            name=name,
        )

    def resume(self, session_id: int) -> None:
        show_session(
            self.app,
            "Opening the class session…",
            lambda service: service.state(session_id, story=True),
            projector=True,
            failed="The class session cannot be shown",
        )

    def start(self, cohort: str, scenario_id: str) -> None:
        show_session(
            self.app,
            "Starting the class session…",
            lambda service: service.start(cohort, scenario_id),
            projector=True,
            failed="The class session did not start",
        )


class VoteScreen(Screen):
    """A trainee's workstation in a class session: the decision, the options as large
    buttons (or their letter keys), their vote once cast, and the distribution once
    voting closes."""

    title = "Class session"
    hint = "A, B, C…: vote · Tab: next · Enter: vote for it · Esc: leave (you can rejoin)"

    def __init__(self, app: App, service: ClassService, view: ClassSession) -> None:
        super().__init__(app)
        self.service = service
        self.view = view
        self.follower = Follower(service, view.id, story=False)

    def leave(self) -> None:
        self.follower.stop()

    def vote(self, letter: str) -> None:
        poll = self.view.current
        if poll is None or poll.state != "open" or poll.number in self.view.my_votes:
            return

        def counted(view: ClassSession) -> None:
            self.view = view
            self.app.announce(f"You voted {letter}. Your vote is counted.")
            self.follower.poke()
            self.rebuild()

        self.app.work(
            "Casting your vote…",
            partial(self.service.vote, self.view.id, letter),
            counted,
            partial(self.app.show_error, "Your vote was not counted"),
        )

    def update(self, dt: float) -> None:
        newer = self.follower.take()
        if newer is not None and newer != self.view:
            self.view = newer
            poll = newer.current
            if poll is not None and poll.state == "open" and poll.number not in newer.my_votes:
                self.app.announce(f"Voting is open on decision {poll.number}")
            self.rebuild()

    def handle(self, event: pygame.event.Event) -> bool:
        poll = self.view.current
        if event.type == pygame.KEYDOWN and poll is not None and not self.focus.typing():
            name = pygame.key.name(event.key).upper()
            if len(name) == 1 and name in LETTERS[: len(poll.options)]:
                self.app.defer(partial(self.vote, name))
                return True
        return super().handle(event)

    def _open(self) -> bool:
        poll = self.view.current
        return poll is not None and poll.state == "open" and poll.number not in self.view.my_votes

    def build(self) -> None:
        th = self.theme
        w, h = self.size
        m = th.px(1.0)
        top = self.header_height() + th.px(0.6)
        _, leave = self.button(
            pygame.Rect(m, top, self.button_width("Leave"), self.button_height()),
            "Leave",
            self.app.pop,
        )
        self.area = pygame.Rect(0, top + self.button_height() + th.px(0.4), w, 0)
        self.area.height = h - self.area.y
        self.scroll = getattr(self, "scroll", 0)
        y = self.area.y + th.px(0.4) + self._above_height(w - 2 * m)
        stops: list[Focusable] = []
        self.rows: list[tuple[pygame.Rect, str, list[str], bool]] = []
        poll = self.view.current
        if poll is not None and self.view.status == "open":
            from simulator.app.text import wrap

            font = th.font("heading")
            text_w = w - 2 * m - th.px(4.0)
            mine = self.view.my_votes.get(poll.number)
            for i, option in enumerate(poll.options):
                lines = wrap(font, option.text, text_w)
                bh = max(th.px(3.2), len(lines) * font.get_linesize() + th.px(0.6))
                rect = pygame.Rect(m, y, w - 2 * m, bh)
                self.rows.append((rect, LETTERS[i], lines, mine == option.id))
                action: Callable[[], None] = partial(self.vote, LETTERS[i])
                stops.append(
                    Focusable(
                        f"Vote {LETTERS[i]}: {option.text}",
                        rect=partial(self._on_screen, rect),
                        activate=partial(self.app.defer, action),
                        on_focus=partial(self._reveal, rect),
                        clip=lambda: self.area,
                    )
                )
                y += bh + th.px(0.5)
        self.page_bottom = y + m
        self.focus.set([*stops, leave])

    def _on_screen(self, rect: pygame.Rect) -> pygame.Rect:
        return rect.move(0, -self.scroll)

    def _reveal(self, rect: pygame.Rect) -> None:
        """Scroll so the focused option is wholly in view (large text, small windows)."""
        margin = self.theme.px(0.6)
        if rect.bottom - self.scroll > self.area.bottom - margin:
            self.scroll = rect.bottom - self.area.bottom + margin
        elif rect.top - self.scroll < self.area.top + margin:
            self.scroll = max(0, rect.top - self.area.top - margin)
        self.dirty = True

    def _above(self) -> list[tuple[str, str, str]]:
        """(text, style, colour) lines above the options."""
        view = self.view
        poll = view.current
        lines = [
            (f"{view.scenario_title} — {view.cohort}, with {view.instructor}", "bold", "muted")
        ]
        if view.status == "ended":
            lines.append(
                ("The session has ended. The debrief is on the projector.", "title", "text")
            )
            for p in view.polls:
                mine = view.my_votes.get(p.number)
                spread = " · ".join(f"{p.letter(k)} {v}" for k, v in p.distribution.items())
                you = f"you voted {p.letter(mine)}" if mine else "you did not vote"
                lines.append(
                    (
                        f"Decision {p.number}: class {spread or '-'}; played "
                        f"{p.letter(p.played or '')}; {you}",
                        "body",
                        "text",
                    )
                )
            return lines
        if poll is None:
            lines.append(
                ("The story has reached its ending. Watch the projector.", "title", "text")
            )
            return lines
        lines.append((f"Decision {poll.number}: {poll.prompt}", "title", "text"))
        mine = view.my_votes.get(poll.number)
        if poll.state == "waiting":
            lines.append(("Voting opens when your instructor opens it.", "heading", "muted"))
        elif poll.state == "open" and mine is None:
            lines.append(("Voting is open: choose one option. You vote once.", "heading", "accent"))
        elif poll.state == "open":
            lines.append(
                (
                    f"You voted {poll.letter(mine or '')}. Your vote is counted; wait for "
                    "the others.",
                    "heading",
                    "good",
                )
            )
        else:
            spread = " · ".join(f"{poll.letter(k)} {v}" for k, v in poll.distribution.items())
            you = f" You voted {poll.letter(mine)}." if mine else ""
            lines.append(
                (f"Voting closed. The class: {spread or 'no votes'}.{you}", "heading", "text")
            )
        return lines

    def _above_height(self, width: int) -> int:
        from simulator.app.text import wrap

        th = self.theme
        total = 0
        for text, style, _colour in self._above():
            total += len(wrap(th.font(style), text, width)) * th.line_height(style) + th.px(0.4)
        return total + th.px(0.6)

    def draw_content(self, surface: pygame.Surface) -> None:
        from simulator.app.screens.projector import draw_option
        from simulator.app.text import wrap

        th = self.theme
        w, _h = self.size
        m = th.px(1.0)
        old = surface.get_clip()
        surface.set_clip(self.area)
        y = self.area.y + th.px(0.4) - self.scroll
        for text, style, colour in self._above():
            font = th.font(style)
            for line in wrap(font, text, w - 2 * m):
                surface.blit(font.render(line, True, th.colour(colour)), (m, y))
                y += font.get_linesize()
            y += th.px(0.4)
        for rect, letter, lines, marked in self.rows:
            draw_option(surface, th, self._on_screen(rect), letter, lines, "heading", marked=marked)
        surface.set_clip(old)
        self.draw_header(surface, "Class session — your vote")
