"""The instructor console's one door to the records: the cohorts an instructor teaches, their
trainees' attempts with scores and competency ratings, the cohort's analytics and its
assignments, read live through the Records interface (the embedded store, a PostgreSQL
database or a records server) as the signed-in instructor. Store errors become
:class:`ServiceError` with the store's words, as on the command line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from simulator.app.fto import FtoService
from simulator.app.services import ServiceError

if TYPE_CHECKING:
    from engine.library import Library
    from simulator.analytics.cohort import CohortAnalytics
    from simulator.store import Cohort
    from simulator.store.assigning import Assignment
    from simulator.store.recording import AttemptRecord

# the date filter's choices: (label, days back; None = all dates)
PERIODS: tuple[tuple[str, int | None], ...] = (
    ("All dates", None),
    ("Last 7 days", 7),
    ("Last 30 days", 30),
    ("Last 90 days", 90),
)


@dataclass(frozen=True)
class Rated:
    """One competency of one attempt: its score and the suggested 1-7 rating (or N.O.)."""

    title: str
    score: float | None
    suggestion: str


@dataclass(frozen=True)
class AttemptLine:
    """One attempt as the console lists it."""

    id: int
    scenario_id: str
    scenario_title: str
    started_at: datetime
    status: str
    overall: float | None
    passed: bool | None
    ratings: tuple[Rated, ...]


@dataclass
class TraineeSummary:
    """A trainee of a cohort and their attempts under the console's filters."""

    username: str
    attempts: list[AttemptLine] = field(default_factory=list)

    @property
    def scored(self) -> list[AttemptLine]:
        return [a for a in self.attempts if a.overall is not None]

    @property
    def latest(self) -> AttemptLine | None:
        return self.scored[-1] if self.scored else None

    @property
    def best(self) -> float | None:
        return max((a.overall for a in self.scored if a.overall is not None), default=None)

    @property
    def passed(self) -> int:
        return sum(1 for a in self.scored if a.passed)


def _line(record: AttemptRecord) -> AttemptLine:
    a, report = record.attempt, record.report or {}
    ratings = tuple(
        Rated(str(c.get("title") or c.get("id")), c.get("score"), str(c.get("suggestion") or ""))
        for c in report.get("competencies") or []
        if c.get("observed")
    )
    return AttemptLine(
        a.id,
        a.scenario.id,
        a.scenario.title or a.scenario.id,
        a.started_at,
        a.status,
        a.overall,
        a.passed,
        ratings,
    )


class ConsoleService(FtoService):
    """The FTO screens' service (review timelines, names) plus cohorts, their records,
    analytics and assignments."""

    def cohorts(self) -> list[Cohort]:
        """The cohorts this instructor teaches (an admin: every cohort)."""
        every = self._call(lambda: self.store.cohorts(self.me))
        if self.me.role == "admin":
            return every
        return [c for c in every if self.me.username in c.instructors]

    def cohort_records(
        self, cohort: str, scenario: str | None, since: date | None
    ) -> list[AttemptRecord]:
        return self._call(
            lambda: self.store.attempts.of_cohort(self.me, cohort, scenario=scenario, since=since)
        )

    def trainees(self, cohort: Cohort, records: Sequence[AttemptRecord]) -> list[TraineeSummary]:
        """Every trainee of ``cohort`` (those without attempts too), attempts oldest first."""
        found = {t: TraineeSummary(t) for t in cohort.trainees}
        for r in records:
            if r.trainee.username in found and r.attempt.mode != "classroom":
                found[r.trainee.username].attempts.append(_line(r))
        return list(found.values())

    def analytics(
        self,
        cohort: Cohort,
        records: Sequence[AttemptRecord],
        scenario: str | None,
        since: date | None,
        library: Library,
    ) -> CohortAnalytics:
        from simulator.analytics.cohort import analyse_cohort

        return analyse_cohort(cohort, records, scenario=scenario, since=since, library=library)

    def assignments(self, cohort: str) -> list[Assignment]:
        return self._call(lambda: self.store.assignments.for_cohort(self.me, cohort))

    def assign(self, cohort: str, scenario_id: str, due_on: date) -> Assignment:
        return self._call(
            lambda: self.store.assignments.assign(self.me, cohort, scenario_id, due_on)
        )


def since_of(days: int | None, today: date | None = None) -> date | None:
    """The first day a "last N days" filter keeps (today counts as one of them)."""
    if days is None:
        return None
    return (today or datetime.now(UTC).date()) - timedelta(days=days - 1)


def parse_due(text: str, today: date | None = None) -> date:
    """A due date typed as YYYY-MM-DD, not in the past; a plain message otherwise."""
    try:
        due = date.fromisoformat(text.strip())
    except ValueError:
        raise ServiceError(
            f"“{text.strip()}” is not a date: type it as YYYY-MM-DD, e.g. 2026-12-14"
        ) from None
    if due < (today or datetime.now(UTC).date()):
        raise ServiceError(f"{due.isoformat()} has passed: choose today or a later day")
    return due
