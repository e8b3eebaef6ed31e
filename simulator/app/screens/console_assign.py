"""Assign a scenario to a cohort: the library as a list (Enter picks one), then its due date
(YYYY-MM-DD, a week ahead to start with). Assigning a scenario the cohort already has
changes its due date. Also ``parolesim assign``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from simulator.app.console import ConsoleService, parse_due
from simulator.app.screens.form import FormScreen
from simulator.app.screens.fto_home import DocScreen
from simulator.app.services import FAMILY_LABELS, ServiceError
from simulator.app.widgets import DocBuilder

if TYPE_CHECKING:
    from engine.loader import ScenarioFile
    from simulator.app.main import App


class AssignScreen(DocScreen):
    hint = "Tab: next scenario · Enter: assign it · Page Up/Down: scroll · Esc: back"

    def __init__(
        self, app: App, service: ConsoleService, cohort: str, done: Callable[[], None]
    ) -> None:
        super().__init__(app)
        self.service = service
        self.cohort = cohort
        self.done = done
        self.heading = f"Assign a scenario to {cohort}"

    def blocks(self, b: DocBuilder, width: int, height: int) -> None:
        scenarios = self.app.catalog.scenarios
        if not scenarios:
            b.text("The scenario library is empty: there is nothing to assign.")
            return
        b.text(
            "Choose the scenario, then its due date. Trainees see their assignments first "
            "in their library.",
            gap=0.6,
        )
        family = None
        for sf in scenarios:
            s = sf.scenario
            if s.family != family:
                family = s.family
                b.heading(FAMILY_LABELS[family], gap=0.3)
            words = f"{s.difficulty.value.capitalize()} · {s.estimated_minutes} min · {s.id}"
            b.labelled(
                s.title,
                words,
                label_style="bold",
                bg="surface",
                border="border",
                pad=0.35,
                gap=0.3,
                action=partial(self.app.defer, partial(self.ask_due, sf)),
                name=f"Assign {s.title}",
            )

    def ask_due(self, sf: ScenarioFile) -> None:
        title = sf.scenario.title

        def submit(values: list[str]) -> str | Callable[[], None]:
            try:
                due = parse_due(values[0])
                found = self.service.assign(self.cohort, sf.scenario.id, due)
            except ServiceError as exc:
                return str(exc)
            return partial(self.finished, f"{found.scenario_title} is due {found.due_on:%d %b %Y}")

        form = FormScreen(
            self.app,
            f"Due date for {title}",
            f"{self.cohort} will see it first in their library. Type the date as YYYY-MM-DD.",
            [("Due date", False)],
            "Assign",
            submit,
            busy="Assigning…",
        )
        form.values = [(datetime.now(UTC).date() + timedelta(days=7)).isoformat()]
        self.app.push(form)

    def finished(self, words: str) -> None:
        if self.app.top is self:
            self.app.pop()
        self.done()
        self.app.announce(f"Assigned: {words}")
