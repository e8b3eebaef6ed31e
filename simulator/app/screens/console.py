"""The instructor console: a cohort's assignments (with who has not attempted each), its
trainees with their attempts, scores and competency ratings, filtered by scenario and date,
live from the records. From here: the cohort's analytics charts, assigning a scenario with
a due date, and each trainee's attempts (Enter on one opens its review timeline).

Everything here is also on the command line: ``parolesim cohort-report`` and
``parolesim assign``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Literal

from engine.wording import plural
from simulator.app.console import PERIODS, ConsoleService, TraineeSummary, since_of
from simulator.app.screens.fto_home import DocScreen, open_review
from simulator.app.services import ServiceError
from simulator.app.widgets import DocBuilder

if TYPE_CHECKING:
    from simulator.app.main import App
    from simulator.store import Cohort
    from simulator.store.assigning import Assignment
    from simulator.store.recording import AttemptRecord

KEYS = (
    "Tab and Shift+Tab: move between the buttons and the trainees",
    "Enter on Cohort, Scenario or Dates: show the next one",
    "Enter on a trainee: their attempts, scores and competency ratings",
    "Analytics: how the cohort chose, most-missed policies, scores",
    "Assign a scenario: pick one from the library, then a due date",
    "Page Up/Down, Home/End: scroll",
    "Esc: back to the review queue",
)


def console_service(app: App) -> ConsoleService:
    from simulator.app.records import StoreRecords

    if app.profile is None or not isinstance(app.records, StoreRecords):
        raise ServiceError("Sign in first: the console needs the records.")
    return ConsoleService(app.records, app.profile)


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%d %b %H:%M")


def _score(value: float | None, passed: bool | None) -> str:
    if value is None:
        return "not scored"
    return f"score {value:.0f} ({'passed' if passed else 'not passed'})"


@dataclass(frozen=True)
class ConsoleView:
    """One cohort under the console's filters, read off the frame loop by :meth:`read`:
    the cohorts the instructor teaches, the chosen one's attempts since the date filter
    and its assignments (or why they could not be read)."""

    service: ConsoleService | None
    cohorts: tuple[Cohort, ...] = ()
    cohort_index: int = 0
    scenario: str | None = None
    period: int = 0
    records: tuple[AttemptRecord, ...] = ()
    assigned: tuple[Assignment, ...] = ()
    error: str = ""

    @classmethod
    def read(
        cls, app: App, cohort: int = 0, scenario: str | None = None, period: int = 0
    ) -> ConsoleView:
        try:
            service = console_service(app)
            cohorts = tuple(service.cohorts())
            if not cohorts:
                return cls(service, scenario=scenario, period=period)
            cohort %= len(cohorts)
            name = cohorts[cohort].name
            since = since_of(PERIODS[period][1])
            records = tuple(service.cohort_records(name, None, since))
            assigned = tuple(service.assignments(name))
        except ServiceError as exc:
            return cls(None, cohort_index=cohort, scenario=scenario, period=period, error=str(exc))
        return cls(service, cohorts, cohort, scenario, period, records, assigned)


def open_console(
    app: App,
    cohort: int = 0,
    scenario: str | None = None,
    period: int = 0,
    *,
    focus: str = "",
    said: str = "",
) -> None:
    """Show the console once the cohort is read (off the frame loop): pushed over the
    review queue, or in place of the console showing (a filter or cohort changed), with
    the focus on the control whose name starts with ``focus``."""
    place: Literal["push", "replace"] = "replace" if isinstance(app.top, ConsoleScreen) else "push"

    def shown(screen: ConsoleScreen) -> None:
        if focus:
            screen.focus.focus_name(next((n for n in screen.names() if n.startswith(focus)), ""))
        if said:
            app.announce(said)

    app.open(
        "Reading the cohort…",
        partial(ConsoleView.read, app, cohort, scenario, period),
        partial(ConsoleScreen, app),
        place=place,
        shown=shown,
    )


class ConsoleScreen(DocScreen):
    """One cohort at a time; the filters and the cohort change with Enter on their buttons."""

    hint = "Tab: next · Enter: open or change · Page Up/Down: scroll · Esc: back"
    keys = KEYS

    def __init__(self, app: App, view: ConsoleView) -> None:
        super().__init__(app)
        self.error = view.error
        self.cohort_index = view.cohort_index
        self.scenario = view.scenario  # changes here without a new read (see next_scenario)
        self.period = view.period
        self.cohorts = view.cohorts
        self.records = view.records
        self.assigned = view.assigned
        self.view = view
        self.heading = "Instructor console"
        if self.cohorts:
            self.heading = f"Instructor console — {self.cohort.name}"

    # ------------------------------------------------------------ state
    @property
    def service(self) -> ConsoleService:
        """The records as this instructor (the screen offers nothing that needs them when
        they could not be read)."""
        if self.view.service is None:
            raise ServiceError(self.error or "Sign in first: the console needs the records.")
        return self.view.service

    @property
    def cohort(self) -> Cohort:
        return self.cohorts[self.cohort_index]

    @property
    def since(self) -> date | None:
        return since_of(PERIODS[self.period][1])

    @property
    def scenario_ids(self) -> list[str]:
        """The scenarios to filter by: those attempted under the date filter, and those
        assigned."""
        seen = [r.attempt.scenario.id for r in self.records] + [
            a.scenario_id for a in self.assigned
        ]
        return sorted(set(seen))

    def titles(self) -> dict[str, str]:
        found = {a.scenario_id: a.scenario_title for a in self.assigned}
        found.update({r.attempt.scenario.id: r.attempt.scenario.title for r in self.records})
        return found

    def shown(self) -> list[AttemptRecord]:
        return [r for r in self.records if self.scenario in (None, r.attempt.scenario.id)]

    # ------------------------------------------------------------ buttons
    def buttons(self) -> list[tuple[str, Callable[[], None], bool]]:
        if self.error or not self.cohorts:
            return [("Back", self.app.pop, False)]
        return [
            ("Analytics", self.analytics, True),
            ("Assign a scenario", self.assign, False),
            ("Back", self.app.pop, False),
        ]

    def _filters(self, b: DocBuilder) -> None:
        """The cohort and the filters, as buttons at the top of the page (they scroll with
        it, so that at large text they never crowd the page out)."""
        scenario = "All" if self.scenario is None else self.titles().get(self.scenario, "")
        changes = [
            (f"Cohort: {self.cohort.name}", self.next_cohort),
            (f"Scenario: {scenario or self.scenario}", self.next_scenario),
            (f"Dates: {PERIODS[self.period][0]}", self.next_period),
            ("Refresh", self.refresh),
        ]
        for i, (text, action) in enumerate(changes):
            b.button(text, partial(self.app.defer, action), inline=i > 0, gap=0.6)

    def _again(self, focus: str, cohort: int, period: int, said: str = "") -> None:
        """Read the cohort again under the changed cohort or filters; the new screen takes
        this one's place with the focus where it was."""
        scenario = self.scenario if cohort == self.cohort_index else None
        open_console(self.app, cohort, scenario, period, focus=focus, said=said)

    def names(self) -> list[str]:
        return [f.name for f in self.focus.items]

    def next_cohort(self) -> None:
        cohort = (self.cohort_index + 1) % len(self.cohorts)
        self._again("Cohort:", cohort, self.period, f"Cohort {self.cohorts[cohort].name}")

    def next_scenario(self) -> None:
        order: list[str | None] = [None, *self.scenario_ids]
        at = order.index(self.scenario) if self.scenario in order else 0
        self.scenario = order[(at + 1) % len(order)]
        self.rebuild()
        self.focus.focus_name(next(n for n in self.names() if n.startswith("Scenario:")))
        self.app.announce(self.focus.current.name if self.focus.current else "")

    def next_period(self) -> None:
        period = (self.period + 1) % len(PERIODS)
        self._again("Dates:", self.cohort_index, period, PERIODS[period][0])

    def refresh(self) -> None:
        self._again("Refresh", self.cohort_index, self.period)

    def analytics(self) -> None:
        from simulator.app.screens.console_analytics import AnalyticsScreen

        cohort, records, scenario = self.cohort, self.records, self.scenario
        since, library = self.since, self.app.catalog.library
        self.app.open(
            "Working out the analytics…",
            partial(self.service.analytics, cohort, records, scenario, since, library),
            lambda found: AnalyticsScreen(self.app, found, PERIODS[self.period][0]),
            failed="The analytics cannot be shown",
        )

    def assign(self) -> None:
        from simulator.app.screens.console_assign import AssignScreen

        self.app.push(AssignScreen(self.app, self.service, self.cohort.name, self.refresh))

    def open_trainee(self, trainee: TraineeSummary) -> None:
        self.app.push(TraineeScreen(self.app, self.service, trainee, self.cohort.name))

    # ------------------------------------------------------------ document
    def blocks(self, b: DocBuilder, width: int, height: int) -> None:
        if self.error:
            b.text(self.error, "bold", "bad")
            return
        if not self.cohorts:
            b.text(
                "You teach no cohort yet. An administrator enrols instructors in a cohort "
                "(parolesim cohorts enrol COHORT YOU --role instructor)."
            )
            return
        self._filters(b)
        self._assignments(b)
        shown = self.shown()
        trainees = self.service.trainees(self.cohort, shown)
        b.heading("Trainees")
        b.text(
            f"{plural(len(trainees), 'trainee')}; {plural(len(shown), 'attempt')} under the "
            "filters. Enter on a trainee shows their attempts and competency ratings.",
            gap=0.5,
        )
        for t in trainees:
            latest = t.latest
            words = (
                f"{plural(len(t.attempts), 'attempt')}, {len(t.scored)} scored, "
                f"{t.passed} passed · best {t.best:.0f} · "
                f"latest {latest.overall:.0f} ({latest.scenario_title})"
                if latest is not None and t.best is not None and latest.overall is not None
                else f"{plural(len(t.attempts), 'attempt')}, none scored"
            )
            b.labelled(
                t.username,
                words,
                label_style="bold",
                bg="surface",
                border="border",
                pad=0.4,
                gap=0.35,
                action=partial(self.app.defer, partial(self.open_trainee, t)),
                name=f"Trainee {t.username}: {words}",
            )

    def _assignments(self, b: DocBuilder) -> None:
        b.heading("Assignments")
        wanted = [a for a in self.assigned if self.scenario in (None, a.scenario_id)]
        if not wanted:
            b.text("No scenario assigned" + (" matches the filter." if self.assigned else " yet."))
        today = date.today()
        for a in wanted:
            late = " — overdue" if a.due_on < today and a.pending else ""
            pending = (
                f"not completed: {', '.join(a.pending)}"
                if a.pending
                else "everyone has completed it"
            )
            b.text(a.scenario_title, "bold", gap=0.1)
            b.text(
                f"due {a.due_on:%d %b %Y}{late} · completed by {len(a.done)} of "
                f"{len(a.done) + len(a.pending)} · {pending}",
                colour="bad" if late else "text",
                gap=0.4,
                indent=0.6,
            )
        b.spacer(0.5)


class TraineeScreen(DocScreen):
    """One trainee's attempts under the console's filters, newest first, with each
    attempt's score and competency ratings; Enter on one opens its review timeline."""

    hint = "Tab: next attempt · Enter: review it · Page Up/Down: scroll · Esc: back"

    def __init__(
        self, app: App, service: ConsoleService, trainee: TraineeSummary, cohort: str
    ) -> None:
        super().__init__(app)
        self.service = service
        self.trainee = trainee
        self.heading = f"{trainee.username} — {cohort}"

    def blocks(self, b: DocBuilder, width: int, height: int) -> None:
        t = self.trainee
        if not t.attempts:
            b.text("No attempts under the console's filters.")
            return
        b.text(
            f"{plural(len(t.attempts), 'attempt')}, {len(t.scored)} scored, {t.passed} passed. "
            "Competency ratings are the pack's 1-7 suggestions (N.O.: fewer than three "
            "observations).",
            gap=0.6,
        )
        for a in reversed(t.attempts):
            score = _score(a.overall, a.passed)
            b.labelled(
                _when(a.started_at),
                f"{a.scenario_title} · {score}",
                label_style="bold",
                bg="surface",
                border="border",
                pad=0.4,
                gap=0.2,
                action=partial(self.app.defer, partial(self.review, a.id)),
                name=f"Attempt {a.id}: {a.scenario_title}, {score}",
            )
            rated = " · ".join(
                f"{r.title} {r.suggestion}" + (f" ({r.score:.0f})" if r.score is not None else "")
                for r in a.ratings
            )
            b.text(rated or "no competency observed", "small", "muted", gap=0.6, indent=0.6)

    def review(self, attempt_id: int) -> None:
        open_review(self.app, self.service, attempt_id)
