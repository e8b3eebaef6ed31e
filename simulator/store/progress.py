"""A trainee's progress: attempts per scenario, best and latest scores, pass rate, and the
trend of each competency week by week.

Two queries, whatever the number of attempts: the attempts with their latest score, and the
competency scores of those latest reports. Everything else is arithmetic over the rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

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


class week_start(sa.sql.functions.GenericFunction[date]):
    """The Monday of a UTC timestamp's ISO week, computed by the database."""

    type = sa.Date()
    inherit_cache = True


@compiles(week_start, "sqlite")
def _week_sqlite(element: week_start, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '-6 days', 'weekday 1')"


@compiles(week_start, "postgresql")
def _week_postgresql(element: week_start, compiler: Any, **kw: Any) -> str:
    inner = compiler.process(element.clauses, **kw)
    return f"CAST(date_trunc('week', {inner} AT TIME ZONE 'UTC') AS DATE)"


def _latest_report_id() -> sa.ScalarSelect[int]:
    """The newest report of the attempt in the outer query (indexed by attempt id)."""
    newer = score_reports.alias("newer")
    return (
        sa.select(sa.func.max(newer.c.id))
        .where(newer.c.attempt_id == attempts.c.id)
        .correlate(attempts)
        .scalar_subquery()
    )


def _scored_attempts(trainee_id: int) -> sa.Select[Any]:
    """The trainee's attempts, each with its latest report (if any) joined."""
    return (
        sa.select()
        .select_from(attempts)
        .outerjoin(score_reports, score_reports.c.id == _latest_report_id())
        .where(attempts.c.trainee_id == trainee_id)
    )


def load_progress(conn: sa.Connection, trainee: Person) -> Progress:
    """The trainee's progress, aggregated by the database (a few dozen rows come back
    whatever the number of attempts)."""
    progress = Progress(trainee=trainee)
    passed = sa.func.sum(sa.case((score_reports.c.passed, 1), else_=0))
    groups = conn.execute(
        _scored_attempts(trainee.id)
        .add_columns(
            attempts.c.scenario_id,
            attempts.c.status,
            sa.func.max(attempts.c.scenario_title),
            sa.func.count(),
            sa.func.count(score_reports.c.id),
            passed,
            sa.func.max(score_reports.c.overall),
            sa.func.max(attempts.c.started_at),
        )
        .group_by(attempts.c.scenario_id, attempts.c.status)
    )
    by_scenario: dict[str, ScenarioProgress] = {}
    for scenario_id, status, title, count, scored, wins, best, last in groups:
        item = by_scenario.setdefault(scenario_id, ScenarioProgress(scenario_id, title))
        item.attempts += count
        item.scored += scored
        item.passed += int(wins or 0)
        if best is not None:
            item.best = best if item.best is None else max(item.best, best)
        if item.last_played is None or last > item.last_played:
            item.last_played, item.title = last, title
        if status == "completed":
            item.completed += count
        setattr(progress, status, getattr(progress, status) + count)
    progress.scored = sum(s.scored for s in by_scenario.values())
    progress.passed = sum(s.passed for s in by_scenario.values())
    progress.attempts = progress.completed + progress.in_progress + progress.abandoned
    for scenario_id, latest in _latest_scores(conn, trainee.id):
        by_scenario[scenario_id].latest = latest
    progress.scenarios = sorted(by_scenario.values(), key=lambda s: s.scenario_id)
    progress.competencies = _trends(conn, trainee.id)
    return progress


def _latest_scores(conn: sa.Connection, trainee_id: int) -> list[tuple[str, float]]:
    """Per scenario, the score of the most recently started scored attempt."""
    order = sa.func.row_number().over(
        partition_by=attempts.c.scenario_id,
        order_by=(attempts.c.started_at.desc(), attempts.c.id.desc()),
    )
    ranked = (
        _scored_attempts(trainee_id)
        .add_columns(attempts.c.scenario_id, score_reports.c.overall, order.label("rank"))
        .where(score_reports.c.id.is_not(None))
        .subquery()
    )
    query = sa.select(ranked.c.scenario_id, ranked.c.overall).where(ranked.c.rank == 1)
    return [(row.scenario_id, row.overall) for row in conn.execute(query)]


def _trends(conn: sa.Connection, trainee_id: int) -> list[CompetencyTrend]:
    week = week_start(sa.func.coalesce(attempts.c.ended_at, attempts.c.started_at))
    rows = conn.execute(
        sa.select(
            score_competencies.c.competency_id,
            sa.func.max(score_competencies.c.title),
            sa.func.max(score_competencies.c.fto_category),
            week,
            sa.func.avg(score_competencies.c.score),
            sa.func.count(),
        )
        .select_from(attempts)
        .join(score_reports, score_reports.c.id == _latest_report_id())
        .join(score_competencies, score_competencies.c.report_id == score_reports.c.id)
        .where(attempts.c.trainee_id == trainee_id, attempts.c.status == "completed")
        .group_by(score_competencies.c.competency_id, week)
        .order_by(score_competencies.c.competency_id, week)
    )
    trends: dict[str, CompetencyTrend] = {}
    for competency_id, title, category, monday, mean, count in rows:
        trend = trends.setdefault(competency_id, CompetencyTrend(competency_id, title, category))
        trend.points.append(TrendPoint(monday, float(mean), int(count)))
    return list(trends.values())
