"""The home screen of FTOs, instructors and admins: the review queue, newest first.

Each finished attempt of the trainees the signed-in person may see is one row: trainee,
scenario, score, verdict counts and whether an evaluation exists. Enter on a row opens the
attempt's review timeline. Everything here is also ``parolesim review``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Literal

import pygame

from engine.wording import plural
from simulator.app.focus import Focusable
from simulator.app.fto import FtoService
from simulator.app.screens.base import Screen
from simulator.app.services import ServiceError
from simulator.app.widgets import Block, DocBuilder, DocView

if TYPE_CHECKING:
    from engine.loader import ScenarioFile
    from simulator.app.main import App
    from simulator.store import Evaluation
    from simulator.store.reviewing import AttemptReview, QueueItem

ROLE_TITLES = {"fto": "FTO", "instructor": "Instructor", "admin": "Administrator"}


def fto_service(app: App) -> FtoService:
    from simulator.app.records import StoreRecords

    if app.profile is None or not isinstance(app.records, StoreRecords):
        raise ServiceError("Sign in first: the review screens need the records store.")
    return FtoService(app.records, app.profile)


def open_review(app: App, service: FtoService, attempt_id: int) -> None:
    """Show an attempt's review timeline (or why it cannot be opened), read off the frame
    loop with the scenario it was played with."""
    from simulator.app.screens.fto_review import AttemptReviewScreen
    from simulator.fto.timeline import scenario_of

    def load() -> tuple[AttemptReview, ScenarioFile | None]:
        review = service.review(attempt_id)
        return review, scenario_of(review.attempt)

    app.open(
        "Opening the attempt…",
        load,
        lambda found: AttemptReviewScreen(app, service, *found),
        failed="That attempt cannot be opened",
    )


@dataclass(frozen=True)
class StaffHome:
    """What the review queue shows, read off the frame loop by :meth:`read`: the finished
    attempts, the DORs waiting for a supervisor's signature and the names they mention
    (or why none of it could be read)."""

    service: FtoService | None
    items: tuple[QueueItem, ...] = ()
    to_sign: tuple[Evaluation, ...] = ()
    names: Mapping[int, str] = field(default_factory=dict)
    error: str = ""

    @classmethod
    def read(cls, app: App) -> StaffHome:
        try:
            service = fto_service(app)
            items = tuple(service.queue())
            to_sign = tuple(service.awaiting_supervisor())
            people = {p for e in to_sign for p in (e.trainee_id, e.fto_id)}
            names = {p: service.name(p) for p in people}
        except ServiceError as exc:
            return cls(None, error=str(exc))
        return cls(service, items, to_sign, names)


def open_home(app: App, place: Literal["replace", "reset"] = "reset") -> None:
    """Show the review queue once it is read (after signing in, or to refresh it)."""
    app.open(
        "Reading the review queue…",
        partial(StaffHome.read, app),
        partial(StaffHomeScreen, app),
        place=place,
    )


class DocScreen(Screen):
    """A row of buttons over a scrolling document of blocks; the FTO screens build on it."""

    hint = "Tab: next · Enter: open · Page Up/Down: scroll · Esc: back"
    heading = ""

    def buttons(self) -> list[tuple[str, Callable[[], None], bool]]:
        return [("Back", self.app.pop, True)]

    def blocks(self, b: DocBuilder, width: int, height: int) -> None:
        """Fill the document."""

    def build(self) -> None:
        th = self.theme
        w, h = self.size
        m = th.px(0.8)
        stops, below = self.button_row(self.buttons(), self.header_height() + m)
        y = below + th.px(0.8)
        rect = pygame.Rect(m, y, w - 2 * m - th.px(0.8), h - y - m)
        self.doc = DocView(th, rect, name=self.heading or "document")
        b = DocBuilder(th, self.app.text, rect.width)
        self.blocks(b, rect.width, rect.height)
        self.doc.set_blocks(b.blocks)
        self.focus.set([*stops, *self.doc_stops()])

    def doc_stops(self) -> list[Focusable]:
        return self.doc.focusables()

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

    def selected_block(self) -> Block | None:
        cur = self.focus.current
        return next((b for b in self.doc.blocks if cur is not None and b.name == cur.name), None)

    def draw_content(self, surface: pygame.Surface) -> None:
        self.draw_header(surface, self.heading)
        self.doc.draw(surface, selected=self.selected_block())


class StaffHomeScreen(DocScreen):
    back_on_escape = False
    hint = "Tab: next · Enter: review the attempt · Page Up/Down: scroll · Esc: sign out"

    def __init__(self, app: App, home: StaffHome) -> None:
        super().__init__(app)
        profile = app.profile
        role = ROLE_TITLES.get(profile.role, profile.role) if profile else ""
        self.heading = f"Review queue — {profile.display_name if profile else ''} ({role})"
        self.home = home
        self.error = home.error
        self.items = home.items
        self.to_sign = home.to_sign

    def name(self, person_id: int) -> str:
        return self.home.names.get(person_id, f"person {person_id}")

    def buttons(self) -> list[tuple[str, Callable[[], None], bool]]:
        teaching = self.app.profile is not None and self.app.profile.role in ("instructor", "admin")
        staff: list[tuple[str, Callable[[], None], bool]] = (
            [
                ("Instructor console", self.console, True),
                ("Class session", self.class_session, False),
            ]
            if teaching
            else []
        )
        return [*staff, ("Refresh", self.refresh, False), ("Sign out", self.sign_out, False)]

    def console(self) -> None:
        """Cohorts, their trainees and analytics, assignments (instructors and admins)."""
        from simulator.app.screens.console import open_console

        open_console(self.app)

    def class_session(self) -> None:
        from simulator.app.screens.classroom import open_start_class

        open_start_class(self.app)

    def refresh(self) -> None:
        open_home(self.app, "replace")

    def sign_out(self) -> None:
        from simulator.app.screens.signin import sign_out

        sign_out(self.app)

    def blocks(self, b: DocBuilder, width: int, height: int) -> None:
        if self.error:
            b.text(self.error, "bold", "bad")
            return
        if self.to_sign:
            b.heading("Waiting for your signature as supervisor")
            for e in self.to_sign:
                trainee = self.name(e.trainee_id)
                b.labelled(
                    f"DOR no. {e.id}",
                    f"{trainee} · observed {e.observed_on.isoformat()} · FTO "
                    f"{self.name(e.fto_id)} · acknowledged by the trainee",
                    label_style="bold",
                    bg="surface",
                    border="border",
                    pad=0.4,
                    gap=0.35,
                    action=partial(self.app.defer, partial(self.confirm_sign, e, trainee)),
                    name=f"Sign DOR {e.id} of {trainee} as supervisor",
                )
            b.spacer(0.5)
            b.heading("Finished attempts")
        waiting = sum(1 for i in self.items if not i.evaluation_ids)
        b.text(
            f"{plural(len(self.items), 'finished attempt')} of your trainees, {waiting} without an "
            "evaluation. Newest first.",
            "bold",
            gap=0.6,
        )
        if not self.items:
            b.text("Nothing to review yet: attempts appear here when your trainees finish them.")
        for item in self.items:
            a = item.attempt
            when = a.ended_at.astimezone().strftime("%d %b %H:%M") if a.ended_at else ""
            score = f"score {a.overall:.0f}" if a.overall is not None else "not scored"
            verdicts = ", ".join(f"{n} {v}" for v, n in sorted(item.verdicts.items()))
            evaluated = (
                "evaluated (" + ", ".join(f"no. {e}" for e in item.evaluation_ids) + ")"
                if item.evaluation_ids
                else "no evaluation yet"
            )
            b.labelled(
                f"{a.trainee} · {when}",
                f"{a.scenario.title} · {score} · {verdicts or 'no verdicts'} · {evaluated}",
                label_style="bold",
                bg="surface",
                border="border",
                pad=0.4,
                gap=0.35,
                action=partial(self.app.defer, partial(self.open, a.id)),
                name=f"Review attempt {a.id}: {a.trainee}, {a.scenario.title}, {score}",
            )

    def confirm_sign(self, evaluation: Evaluation, trainee: str) -> None:
        from simulator.app.screens.message import MessageScreen
        from simulator.fto.printable import as_text

        page = as_text(evaluation, trainee, self.name(evaluation.fto_id))
        self.app.push(
            MessageScreen(
                self.app,
                f"Sign DOR no. {evaluation.id} as supervisor?",
                page,
                [("Sign", partial(self.sign, evaluation.id)), ("Cancel", lambda: None)],
            )
        )

    def sign(self, evaluation_id: int) -> None:
        service = self.home.service
        if service is None:
            return

        def signed(_evaluation: Evaluation) -> None:
            self.app.announce(f"DOR {evaluation_id} signed as supervisor")
            self.refresh()

        self.app.work(
            "Signing the DOR…",
            partial(service.sign_as_supervisor, evaluation_id),
            signed,
            partial(self.app.show_error, "The DOR was not signed"),
        )

    def open(self, attempt_id: int) -> None:
        if self.home.service is not None:
            open_review(self.app, self.home.service, attempt_id)

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.defer(self.sign_out)
            return True
        return super().handle(event)
