"""A trainee's progress: attempts per scenario, best and latest scores, pass rate, and the
trend of each competency week by week.

Two queries, whatever the number of attempts: the attempts with their latest score, and the
competency scores of those latest reports. Everything else is arithmetic over the rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from simulator.store.accounts import Person
from simulator.store.schema import attempts, score_competencies, score_reports


@dataclass
class ScenarioProgress:
    scenario_id: str
    title: str
    attempts: int = 0
    completed: int = 0
    scored: int = 0
    passed: int = 0
    best: float | None = None
    latest: float | None = None
    last_played: datetime | None = None

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.scored if self.scored else None


@dataclass(frozen=True)
class TrendPoint:
    week: date  # the Monday of the ISO week
    mean: float
    count: int


@dataclass
class CompetencyTrend:
    id: str
    title: str
    fto_category: str | None
    points: list[TrendPoint] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        """Latest week's mean minus the first week's mean (None with one week of data)."""
        if len(self.points) < 2:
            return None
        return self.points[-1].mean - self.points[0].mean


@dataclass
class Progress:
    trainee: Person
    attempts: int = 0
    completed: int = 0
    in_progress: int = 0
    abandoned: int = 0
    scored: int = 0
    passed: int = 0
    scenarios: list[ScenarioProgress] = field(default_factory=list)
    competencies: list[CompetencyTrend] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.scored if self.scored else None

    def to_dict(self) -> dict[str, Any]:
        def stamp(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "trainee": {
                "id": self.trainee.id,
                "username": self.trainee.username,
                "display_name": self.trainee.display_name,
            },
            "attempts": self.attempts,
            "completed": self.completed,
            "in_progress": self.in_progress,
            "abandoned": self.abandoned,
            "scored": self.scored,
            "passed": self.passed,
            "pass_rate": self.pass_rate,
            "scenarios": [
                {**asdict(s), "last_played": stamp(s.last_played), "pass_rate": s.pass_rate}
                for s in self.scenarios
            ],
            "competencies": [
                {
                    "id": c.id,
                    "title": c.title,
                    "fto_category": c.fto_category,
                    "change": c.change,
                    "trend": [
                        {"week": p.week.isoformat(), "mean": p.mean, "count": p.count}
                        for p in c.points
                    ],
                }
                for c in self.competencies
            ],
        }


def _week(moment: datetime) -> date:
    day = moment.date()
    return day - timedelta(days=day.weekday())


def _latest_report_ids(trainee_id: int) -> sa.Select[int]:
    return (
        sa.select(sa.func.max(score_reports.c.id))
        .join(attempts, attempts.c.id == score_reports.c.attempt_id)
        .where(attempts.c.trainee_id == trainee_id, attempts.c.status == "completed")
        .group_by(score_reports.c.attempt_id)
    )


def load_progress(conn: sa.Connection, trainee: Person) -> Progress:
    progress = Progress(trainee=trainee)
    latest = (
        sa.select(score_reports.c.attempt_id, score_reports.c.overall, score_reports.c.passed)
        .where(score_reports.c.id.in_(_latest_report_ids(trainee.id)))
        .subquery()
    )
    rows = conn.execute(
        sa.select(
            attempts.c.scenario_id,
            attempts.c.scenario_title,
            attempts.c.status,
            attempts.c.started_at,
            latest.c.overall,
            latest.c.passed,
        )
        .outerjoin(latest, latest.c.attempt_id == attempts.c.id)
        .where(attempts.c.trainee_id == trainee.id)
        .order_by(attempts.c.started_at, attempts.c.id)
    )
    by_scenario: dict[str, ScenarioProgress] = {}
    for scenario_id, title, status, started_at, overall, passed in rows:
        item = by_scenario.get(scenario_id)
        if item is None:
            item = by_scenario[scenario_id] = ScenarioProgress(scenario_id, title)
        item.title = title
        item.attempts += 1
        item.last_played = started_at
        progress.attempts += 1
        if status == "in_progress":
            progress.in_progress += 1
        elif status == "abandoned":
            progress.abandoned += 1
        else:
            item.completed += 1
            progress.completed += 1
        if overall is not None:
            item.scored += 1
            progress.scored += 1
            item.latest = overall
            item.best = overall if item.best is None else max(item.best, overall)
            if passed:
                item.passed += 1
                progress.passed += 1
    progress.scenarios = sorted(by_scenario.values(), key=lambda s: s.scenario_id)
    progress.competencies = _trends(conn, trainee.id)
    return progress


def _trends(conn: sa.Connection, trainee_id: int) -> list[CompetencyTrend]:
    rows = conn.execute(
        sa.select(
            score_competencies.c.competency_id,
            score_competencies.c.title,
            score_competencies.c.fto_category,
            score_competencies.c.score,
            sa.func.coalesce(attempts.c.ended_at, attempts.c.started_at),
        )
        .join(score_reports, score_reports.c.id == score_competencies.c.report_id)
        .join(attempts, attempts.c.id == score_reports.c.attempt_id)
        .where(score_competencies.c.report_id.in_(_latest_report_ids(trainee_id)))
    )
    trends: dict[str, CompetencyTrend] = {}
    sums: dict[str, dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    for competency_id, title, category, score, when in rows:
        if competency_id not in trends:
            trends[competency_id] = CompetencyTrend(competency_id, title, category)
        sums[competency_id][_week(when)].append(score)
    for competency_id, trend in trends.items():
        weeks = sums[competency_id]
        trend.points = [
            TrendPoint(week, sum(values) / len(values), len(values))
            for week, values in sorted(weeks.items())
        ]
    return sorted(trends.values(), key=lambda c: c.id)
