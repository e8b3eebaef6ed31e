"""A keyboard-only tour of the instructor console: sign in as an instructor, open the console
from the review queue, filter by scenario, open a trainee and one of their attempts, the
analytics charts, assign a scenario with a due date, filter by date; then a trainee signs
in and finds the assignment first in their library. Run as a program it saves screenshots:

    python -m tests.app.console_tour OUT_DIR [--scale 100] [--theme normal]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date, timedelta

from simulator.app.records import StoreRecords
from simulator.app.screens.console import ConsoleScreen, TraineeScreen
from simulator.app.screens.console_analytics import AnalyticsScreen
from simulator.app.screens.console_assign import AssignScreen
from simulator.app.screens.form import FormScreen
from simulator.app.screens.fto_home import StaffHomeScreen
from simulator.app.screens.fto_review import AttemptReviewScreen
from simulator.app.screens.library import LibraryScreen
from simulator.app.screens.signin import SignInScreen
from tests.analytics.cohort_seed import PASSWORD, academy
from tests.app.driver import Driver
from tests.app.tour_run import screenshots

DUE = date.today() + timedelta(days=10)


def seed(records: StoreRecords) -> None:
    """Class 26-1 (see ``tests.analytics.cohort_seed``) with the gun scenario assigned: bob
    has played it, alice and carl have not."""
    store = records.store
    found = academy(store)
    store.assignments.assign(found.ines, "Class 26-1", "hv-weapon-disengage", DUE)


def _names(d: Driver) -> list[str]:
    return [f.name for f in d.top.focus.items]


def _to(d: Driver, start: str) -> None:
    d.tab_to(next(n for n in _names(d) if n.startswith(start)))


def console_tour(d: Driver, _seeded: object = None) -> Iterator[str]:
    d.app.reset(SignInScreen(d.app))
    d.frames(2)
    d.tab_to("Sign in as Inés Varga")
    d.key("RETURN")
    d.type(PASSWORD)
    d.key("RETURN")
    assert isinstance(d.top, StaffHomeScreen), type(d.top).__name__
    yield "console-home"
    d.tab_to("Instructor console")
    d.key("RETURN")
    assert isinstance(d.top, ConsoleScreen), type(d.top).__name__
    yield "console"
    _to(d, "Scenario:")
    d.key("RETURN")
    assert d.focused == "Scenario: Unannounced visit: Tess Alvarado at home", d.focused
    yield "console-scenario"
    _to(d, "Trainee alice")
    d.key("RETURN")
    assert isinstance(d.top, TraineeScreen), type(d.top).__name__
    yield "console-trainee"
    _to(d, "Attempt ")
    d.key("RETURN")
    assert isinstance(d.top, AttemptReviewScreen), type(d.top).__name__
    yield "console-attempt"
    d.key("ESCAPE")
    d.key("ESCAPE")
    assert isinstance(d.top, ConsoleScreen), type(d.top).__name__
    _to(d, "Scenario:")
    d.key("RETURN")  # the gun scenario
    d.key("RETURN")  # all scenarios again
    assert d.focused == "Scenario: All", d.focused
    d.tab_to("Analytics")
    d.key("RETURN")
    assert isinstance(d.top, AnalyticsScreen), type(d.top).__name__
    yield "console-analytics"
    charts = d.top
    first = next(b for b in charts.doc.blocks if b.said == "How do you start?")
    for _ in range(30):  # Page Down until the first decision's bars are in view
        if charts.doc.offset <= first.y <= charts.doc.offset + charts.doc.rect.height // 3:
            break
        d.key("PAGEDOWN")
    yield "console-analytics-decisions"
    d.key("ESCAPE")
    d.tab_to("Assign a scenario")
    d.key("RETURN")
    assert isinstance(d.top, AssignScreen), type(d.top).__name__
    yield "console-assign"
    d.tab_to("Assign Unannounced visit: Tess Alvarado at home")
    d.key("RETURN")
    assert isinstance(d.top, FormScreen), type(d.top).__name__
    yield "console-assign-due"
    d.key("RETURN")
    assert isinstance(d.top, ConsoleScreen), type(d.top).__name__
    yield "console-assigned"
    _to(d, "Dates:")
    d.key("RETURN")
    assert d.focused == "Dates: Last 7 days", d.focused
    yield "console-last-week"
    d.key("ESCAPE")
    d.tab_to("Sign out")
    d.key("RETURN")
    d.tab_to("Sign in as Alice Nguyen")
    d.key("RETURN")
    assert isinstance(d.top, LibraryScreen), type(d.top).__name__
    yield "library-assigned-first"


def main(argv: list[str] | None = None) -> int:
    return screenshots("python -m tests.app.console_tour", argv, seed, console_tour)


if __name__ == "__main__":
    sys.exit(main())
