"""Cohort analytics: how a cohort's trainees chose at each decision, which policies and
competencies they missed most, how they scored, and how their latest attempt of a scenario
compares with their first. Figures are aggregated with numpy.

The input is what the records keep about each attempt (its session log and stored score
report, an :class:`~simulator.store.recording.AttemptRecord`), read through the Records
interface with the reader's own reach, so the same figures come from the embedded store, a
PostgreSQL database or a records server. Only completed, scored attempts count, and not
class sessions (the instructor's attempt). A branched attempt ("try again from this
decision") counts only the decisions it took itself: those it copied from the attempt it
branched from are counted with that attempt, so no choice is counted twice.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.store.recording import AttemptRecord

if TYPE_CHECKING:
    from engine.library import Library
    from simulator.store.accounts import Person
    from simulator.store.cohorts import Cohort
    from simulator.store.records import Records

WITHIN = frozenset({"exemplary", "acceptable"})  # a choice within policy
MISSED = frozenset({"deviation", "violation", "critical"})  # a choice that missed policy
EDGES = np.linspace(0.0, 100.0, 11)  # score bins 0-10, ..., 90-100 (100 in the last)
TOP = 8  # most-missed policies and competencies listed


@dataclass(frozen=True)
class OptionShare:
    """One option of a decision: how many chose it, their share, and its verdict."""

    choice: str
    text: str
    count: int
    share: float
    verdict: str | None  # the verdict most often given to it (None: nobody chose it)


@dataclass(frozen=True)
class DecisionSpread:
    """How the cohort chose at one decision node of a scenario."""

    node: str
    prompt: str
    reached: int  # decisions taken here (each attempt that reached it, once per visit)
    within: float | None  # share of those choices within policy (None: none scored)
    timed_out: int
    options: tuple[OptionShare, ...]


@dataclass(frozen=True)
class ScoreSpread:
    """Overall scores: summary figures and counts per 10-point bin (0-10 ... 90-100)."""

    count: int
    mean: float | None
    median: float | None
    sd: float | None
    low: float | None
    high: float | None
    pass_rate: float | None
    bins: tuple[int, ...]
    pass_mark: float | None = None  # the pack's pass mark (the most common among attempts)


@dataclass(frozen=True)
class Change:
    """First against latest attempt, over each trainee with two or more attempts of a
    scenario (a pair per trainee and scenario)."""

    pairs: int
    first_mean: float | None
    latest_mean: float | None
    mean_change: float | None
    improved: int
    unchanged: int
    worse: int
    first_pass_rate: float | None
    latest_pass_rate: float | None


@dataclass(frozen=True)
class Missed:
    """A policy or competency: how often choices were judged against it and missed it."""

    id: str
    title: str
    judged: int
    missed: int
    rate: float  # missed / judged
    mean_score: float | None = None  # competencies: the mean of their scores per attempt


@dataclass(frozen=True)
class ScenarioAnalytics:
    id: str
    title: str
    attempts: int
    trainees: int
    scores: ScoreSpread
    change: Change
    decisions: tuple[DecisionSpread, ...]
    policies: tuple[Missed, ...]
    competencies: tuple[Missed, ...]


@dataclass(frozen=True)
class CohortAnalytics:
    cohort: str
    trainees: tuple[str, ...]  # the cohort's trainees
    active: tuple[str, ...]  # those with at least one counted attempt
    attempts: int
    scenario: str | None  # the --scenario filter
    since: date | None  # the --since filter
    scores: ScoreSpread
    change: Change
    policies: tuple[Missed, ...]
    competencies: tuple[Missed, ...]
    scenarios: tuple[ScenarioAnalytics, ...]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["since"] = self.since.isoformat() if self.since else None
        return data


# ---------------------------------------------------------------- one attempt, flattened


@dataclass(frozen=True)
class _Taken:
    """One decision one attempt took, as the aggregation needs it."""

    node: str
    prompt: str
    choice: str
    text: str
    verdict: str | None
    timed_out: bool
    available: tuple[str, ...]
    judgments: tuple[tuple[str, str, str, str], ...]  # (policy id, title, competency, verdict)
    better: tuple[str, str] | None  # (choice, text) the report suggested instead


@dataclass(frozen=True)
class _Counted:
    trainee: str
    scenario: str
    title: str
    started: datetime
    overall: float
    passed: bool
    pass_mark: float | None
    taken: tuple[_Taken, ...]
    competencies: tuple[tuple[str, str, float | None], ...]  # (id, title, score)


def _judgments(d: Mapping[str, Any]) -> tuple[tuple[str, str, str, str], ...]:
    out = []
    for j in d.get("judgments") or []:
        policy = j.get("policy") or {}
        if policy.get("id") and j.get("verdict"):
            out.append(
                (
                    str(policy["id"]),
                    str(policy.get("title") or ""),
                    str(j.get("competency") or ""),
                    str(j["verdict"]),
                )
            )
    return tuple(out)


def _taken(record: AttemptRecord, report: Mapping[str, Any]) -> tuple[_Taken, ...]:
    """The report's decisions this attempt took itself (a branch skips the copied ones:
    the report's decisions follow the log's chose/timed_out events one for one; a report
    that does not match its log that way is counted whole)."""
    decisions = [d for d in report.get("decisions") or [] if isinstance(d, Mapping)]
    events = [e for e in record.log.get("events") or [] if e.get("type") in ("chose", "timed_out")]
    start = record.attempt.branch_seq or 0
    if len(events) == len(decisions):
        decisions = [d for d, e in zip(decisions, events, strict=True) if int(e["seq"]) >= start]
    out = []
    for d in decisions:
        better = d.get("better_choice")
        out.append(
            _Taken(
                node=str(d.get("node")),
                prompt=str(d.get("prompt") or ""),
                choice=str(d.get("choice")),
                text=str(d.get("text") or ""),
                verdict=str(d["verdict"]) if d.get("verdict") else None,
                timed_out=bool(d.get("timed_out")),
                available=tuple(str(a) for a in d.get("available") or []),
                judgments=_judgments(d),
                better=(str(better["choice"]), str(better.get("text") or ""))
                if isinstance(better, Mapping) and better.get("choice")
                else None,
            )
        )
    return tuple(out)


def counted(
    records: Iterable[AttemptRecord],
    trainees: Sequence[str],
    *,
    scenario: str | None = None,
    since: date | None = None,
) -> list[_Counted]:
    """The attempts the analytics counts: completed and scored, by one of ``trainees``, not
    a class session, of ``scenario`` and started on or after ``since`` when given; oldest
    first."""
    wanted = set(trainees)
    out = []
    for r in records:
        a, report = r.attempt, r.report
        if (
            a.status != "completed"
            or a.mode == "classroom"
            or report is None
            or report.get("overall") is None
            or r.trainee.username not in wanted
            or (scenario is not None and a.scenario.id != scenario)
            or (since is not None and a.started_at.date() < since)
        ):
            continue
        out.append(
            _Counted(
                trainee=r.trainee.username,
                scenario=a.scenario.id,
                title=str((report.get("scenario") or {}).get("title") or a.scenario.title),
                started=a.started_at,
                overall=float(report["overall"]),
                passed=bool(report.get("passed")),
                pass_mark=float(report["pass_threshold"])
                if isinstance(report.get("pass_threshold"), int | float)
                else None,
                taken=_taken(r, report),
                competencies=tuple(
                    (str(c["id"]), str(c.get("title") or c["id"]), c.get("score"))
                    for c in report.get("competencies") or []
                    if isinstance(c, Mapping) and c.get("id")
                ),
            )
        )
    out.sort(key=lambda c: c.started)
    return out


# ---------------------------------------------------------------- aggregation


def _f(x: Any) -> float:
    return round(float(x), 2)


def score_spread(attempts: Sequence[_Counted]) -> ScoreSpread:
    scores = np.array([a.overall for a in attempts], dtype=float)
    bins, _ = np.histogram(scores, bins=EDGES)
    if scores.size == 0:
        return ScoreSpread(0, None, None, None, None, None, None, tuple(int(b) for b in bins))
    passed = np.array([a.passed for a in attempts], dtype=bool)
    marks = Counter(a.pass_mark for a in attempts if a.pass_mark is not None)
    return ScoreSpread(
        count=int(scores.size),
        mean=_f(scores.mean()),
        median=_f(np.median(scores)),
        sd=_f(scores.std(ddof=1)) if scores.size > 1 else None,
        low=_f(scores.min()),
        high=_f(scores.max()),
        pass_rate=_f(passed.mean()),
        bins=tuple(int(b) for b in bins),
        pass_mark=marks.most_common(1)[0][0] if marks else None,
    )


def change(attempts: Sequence[_Counted]) -> Change:
    """Each trainee's first and latest attempt of each scenario (attempts oldest first)."""
    runs: dict[tuple[str, str], list[_Counted]] = defaultdict(list)
    for a in attempts:
        runs[(a.trainee, a.scenario)].append(a)
    pairs = [(r[0], r[-1]) for r in runs.values() if len(r) > 1]
    if not pairs:
        return Change(0, None, None, None, 0, 0, 0, None, None)
    first = np.array([p[0].overall for p in pairs])
    latest = np.array([p[1].overall for p in pairs])
    delta = latest - first
    return Change(
        pairs=len(pairs),
        first_mean=_f(first.mean()),
        latest_mean=_f(latest.mean()),
        mean_change=_f(delta.mean()),
        improved=int(np.count_nonzero(delta > 0)),
        unchanged=int(np.count_nonzero(delta == 0)),
        worse=int(np.count_nonzero(delta < 0)),
        first_pass_rate=_f(np.mean([p[0].passed for p in pairs])),
        latest_pass_rate=_f(np.mean([p[1].passed for p in pairs])),
    )


def _missed(
    judged: Sequence[tuple[str, str, str]], titles: Mapping[str, str]
) -> list[tuple[str, str, int, int, float]]:
    """(id, title, judged, missed, rate) per id of ``judged`` (id, title, verdict), most
    missed first (then highest rate, then id)."""
    if not judged:
        return []
    ids = sorted({j[0] for j in judged})
    index = {k: i for i, k in enumerate(ids)}
    where = np.array([index[j[0]] for j in judged])
    miss = np.array([j[2] in MISSED for j in judged], dtype=float)
    n = np.bincount(where, minlength=len(ids))
    m = np.bincount(where, weights=miss, minlength=len(ids)).astype(int)
    rows = [
        (k, titles.get(k) or k, int(n[i]), int(m[i]), _f(m[i] / n[i])) for i, k in enumerate(ids)
    ]
    rows.sort(key=lambda r: (-r[3], -r[4], r[0]))
    return rows


def policies_missed(attempts: Sequence[_Counted]) -> tuple[Missed, ...]:
    judged = [(j[0], j[1], j[3]) for a in attempts for t in a.taken for j in t.judgments]
    titles = {j[0]: j[1] for j in judged if j[1]}
    rows = _missed(judged, titles)
    return tuple(Missed(*r) for r in rows if r[3] > 0)[:TOP]


def competencies_missed(attempts: Sequence[_Counted]) -> tuple[Missed, ...]:
    judged = [(j[2], "", j[3]) for a in attempts for t in a.taken for j in t.judgments if j[2]]
    titles = {c[0]: c[1] for a in attempts for c in a.competencies}
    scores: dict[str, list[float]] = defaultdict(list)
    for a in attempts:
        for cid, _title, score in a.competencies:
            if score is not None:
                scores[cid].append(float(score))
    rows = _missed(judged, titles)
    return tuple(
        Missed(*r, mean_score=_f(np.mean(scores[r[0]])) if scores.get(r[0]) else None)
        for r in rows
        if r[3] > 0
    )[:TOP]


def decision_spreads(
    attempts: Sequence[_Counted], texts: Mapping[str, tuple[str, Mapping[str, str]]] | None = None
) -> tuple[DecisionSpread, ...]:
    """Per decision node (in the order the cohort first met them): each option's count and
    share, and the share of choices within policy. ``texts`` (node -> (prompt, choice ->
    text), from the scenario) names options nobody chose; otherwise they keep their id."""
    order: dict[str, int] = {}
    taken: dict[str, list[_Taken]] = defaultdict(list)
    for a in attempts:
        for i, t in enumerate(a.taken):
            order.setdefault(t.node, len(order) * 1000 + i)
            taken[t.node].append(t)
    out = []
    for node in sorted(taken, key=lambda n: order[n]):
        here = taken[node]
        prompt, named = (texts or {}).get(node, ("", {}))
        option_text: dict[str, str] = dict(named)
        for t in here:
            option_text.setdefault(t.choice, t.text)
            if t.better is not None:
                option_text.setdefault(*t.better)
        ids = list(dict.fromkeys([c for t in here for c in t.available] + [t.choice for t in here]))
        index = {c: i for i, c in enumerate(ids)}
        counts = np.bincount([index[t.choice] for t in here], minlength=len(ids))
        verdicts: dict[str, Counter[str]] = defaultdict(Counter)
        for t in here:
            if t.verdict:
                verdicts[t.choice][t.verdict] += 1
        scored = [t.verdict for t in here if t.verdict and t.verdict != "unscored"]
        within = _f(np.mean([v in WITHIN for v in scored])) if scored else None
        options = [
            OptionShare(
                choice=c,
                text=option_text.get(c) or c,
                count=int(counts[i]),
                share=_f(counts[i] / len(here)),
                verdict=verdicts[c].most_common(1)[0][0] if verdicts.get(c) else None,
            )
            for i, c in enumerate(ids)
        ]
        options.sort(key=lambda o: (-o.count, ids.index(o.choice)))
        out.append(
            DecisionSpread(
                node=node,
                prompt=prompt or here[0].prompt,
                reached=len(here),
                within=within,
                timed_out=sum(1 for t in here if t.timed_out),
                options=tuple(options),
            )
        )
    return tuple(out)


def analyse(
    cohort: str,
    trainees: Sequence[str],
    records: Iterable[AttemptRecord],
    *,
    scenario: str | None = None,
    since: date | None = None,
    texts: Mapping[str, Mapping[str, tuple[str, Mapping[str, str]]]] | None = None,
) -> CohortAnalytics:
    """The cohort's analytics from its trainees' attempt records. ``texts`` gives, per
    scenario id, each decision's prompt and option texts (see :func:`decision_spreads`)."""
    attempts = counted(records, trainees, scenario=scenario, since=since)
    by_scenario: dict[str, list[_Counted]] = defaultdict(list)
    for a in attempts:
        by_scenario[a.scenario].append(a)
    scenarios = tuple(
        ScenarioAnalytics(
            id=sid,
            title=runs[-1].title,
            attempts=len(runs),
            trainees=len({a.trainee for a in runs}),
            scores=score_spread(runs),
            change=change(runs),
            decisions=decision_spreads(runs, (texts or {}).get(sid)),
            policies=policies_missed(runs),
            competencies=competencies_missed(runs),
        )
        for sid, runs in sorted(by_scenario.items())
    )
    return CohortAnalytics(
        cohort=cohort,
        trainees=tuple(trainees),
        active=tuple(sorted({a.trainee for a in attempts})),
        attempts=len(attempts),
        scenario=scenario,
        since=since,
        scores=score_spread(attempts),
        change=change(attempts),
        policies=policies_missed(attempts),
        competencies=competencies_missed(attempts),
        scenarios=scenarios,
    )


def scenario_texts(
    scenario_ids: Iterable[str], library: Library | None = None
) -> dict[str, dict[str, tuple[str, dict[str, str]]]]:
    """Each decision's prompt and option texts, from the scenario library (default: the
    installed one; a scenario no longer there is left out: its options then read as the
    recorded texts or ids)."""
    from engine.library import discover
    from engine.model import Decision

    library = library or discover()
    out: dict[str, dict[str, tuple[str, dict[str, str]]]] = {}
    for sid in scenario_ids:
        sf = library.by_id(sid)
        if sf is None:
            continue
        out[sid] = {
            node_id: (node.prompt, {c.id: c.text for c in node.choices})
            for node_id, node in sf.scenario.nodes.items()
            if isinstance(node, Decision)
        }
    return out


def cohort_analytics(
    records: Records,
    actor: Person,
    cohort: str | int,
    *,
    scenario: str | None = None,
    since: date | None = None,
    texts: bool = True,
) -> CohortAnalytics:
    """Read ``cohort``'s attempt records as ``actor`` (a cohort's instructor or an admin;
    anyone else is refused, and the refusal audited, by the records) and aggregate them.
    ``texts`` names options nobody chose from the scenario library."""
    found = records.attempts.of_cohort(actor, cohort, scenario=scenario, since=since)
    group = records.cohort(actor, cohort)
    return analyse_cohort(group, found, scenario=scenario, since=since, texts=texts)


def analyse_cohort(
    cohort: Cohort,
    found: Sequence[AttemptRecord],
    *,
    scenario: str | None = None,
    since: date | None = None,
    texts: bool = True,
    library: Library | None = None,
) -> CohortAnalytics:
    """:func:`analyse` for ``cohort``'s records, its options named from ``library`` (default:
    the installed scenario library) when ``texts``."""
    ids = sorted({r.attempt.scenario.id for r in found})
    return analyse(
        cohort.name,
        cohort.trainees,
        found,
        scenario=scenario,
        since=since,
        texts=scenario_texts(ids, library) if texts and ids else None,
    )
