"""Scoring validity: does a scenario's score measure judgement, or something else?

For authors and instructors. A score is only worth having if a player who knows no
policy cannot pass: not by picking the first option shown, the last, the longest
or shortest text, at random, by avoiding only the obviously critical options, or
by letting timers run out. :func:`analyze` plays each of those strategies many
times, scores every run with the real scorer, and also reports the reachable score
range and the shortest passing path, where the best option sits and how long it is
(length is a tell even when order is shuffled), loops that add points, choices no
rule scores, and per decision its difficulty and discrimination.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.compile import CompiledScenario, compile_scenario
from engine.graph import successors
from engine.loader import ScenarioFile
from engine.mechanics import intake
from engine.mechanics.trajectory import client_trajectory
from engine.model import Chance, Decision, Narration, Scenario
from engine.montecarlo import STRATEGIES, STRATEGY_TITLES, SimRun, run_of, simulate
from engine.session import Session
from scoring import sanctions
from scoring.pack import PolicyPack
from scoring.packmodel import Verdict
from scoring.report import ScoreReport, round_half_up
from scoring.rules import judge_facts
from scoring.scorer import Trace, score_trace

MAX_NAIVE_PASS = 0.05  # the gate: no policy-blind strategy passes more often than this
MAX_BEST_LONGEST = 0.40  # the gate: the best option is the longest text in at most this share
WITHIN = frozenset({Verdict.EXEMPLARY.value, Verdict.ACCEPTABLE.value})
NAIVE = tuple(s for s in STRATEGIES)


@dataclass(frozen=True)
class StrategyResult:
    strategy: str
    title: str
    runs: int
    passed: int
    mean_score: float
    simulator: str

    @property
    def pass_rate(self) -> float:
        return self.passed / self.runs if self.runs else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "title": self.title,
            "runs": self.runs,
            "passed": self.passed,
            "pass_rate": round_half_up(self.pass_rate, 4),
            "mean_score": self.mean_score,
            "simulator": self.simulator,
        }


@dataclass(frozen=True)
class OptionTell:
    """Where a decision's best option sits among its options, as authored."""

    node: str
    best: tuple[str, ...]
    options: int
    position: int  # 1-based authored position of the first best option
    length_rank: int  # 1 = the longest text among the options
    best_is_longest: bool
    pinned: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "best": list(self.best),
            "options": self.options,
            "position": self.position,
            "length_rank": self.length_rank,
            "best_is_longest": self.best_is_longest,
            "pinned": self.pinned,
        }


@dataclass(frozen=True)
class LoopResult:
    """A way back to a decision, and whether going round it once more raised the score
    (the same best play after going round once, then after going round twice)."""

    node: str
    cycle: tuple[str, ...]  # "node:choice" steps that lead back to ``node``
    once: float | None
    twice: float | None

    @property
    def adds_points(self) -> bool:
        if self.once is None or self.twice is None:
            return False
        return self.twice > self.once

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "cycle": list(self.cycle),
            "score_round_once": self.once,
            "score_round_twice": self.twice,
            "adds_points": self.adds_points,
        }


@dataclass(frozen=True)
class DecisionStat:
    node: str
    prompt: str
    visits: int
    within_policy: float | None  # difficulty: share of random runs within policy here
    discrimination: float | None  # point-biserial correlation of "within policy" with passing

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "prompt": self.prompt,
            "visits": self.visits,
            "within_policy": self.within_policy,
            "discrimination": self.discrimination,
        }


@dataclass(frozen=True)
class PathSummary:
    method: str  # "exhaustive" or "sampled"
    paths: int
    min_score: float | None
    max_score: float | None
    shortest_pass: tuple[str, ...] | None  # choice ids of the shortest passing path
    seed: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "paths": self.paths,
            "min_score": self.min_score,
            "max_score": self.max_score,
            "shortest_pass": list(self.shortest_pass) if self.shortest_pass else None,
            "shortest_pass_decisions": len(self.shortest_pass) if self.shortest_pass else None,
            "seed": self.seed,
        }


@dataclass(frozen=True)
class ScenarioAnalysis:
    id: str
    title: str
    family: str
    runs: int
    strategies: tuple[StrategyResult, ...]
    best_path: tuple[str, ...]
    best_path_score: float
    best_path_passed: bool
    paths: PathSummary
    tells: tuple[OptionTell, ...]
    loops: tuple[LoopResult, ...]
    unscored_choices: tuple[str, ...]
    decisions: tuple[DecisionStat, ...]
    random_scores: tuple[float, ...] = field(default=(), repr=False)

    @property
    def best_longest_share(self) -> float:
        counted = [t for t in self.tells if t.options > 1]
        return sum(t.best_is_longest for t in counted) / len(counted) if counted else 0.0

    @property
    def best_first_share(self) -> float:
        counted = [t for t in self.tells if t.options > 1]
        return sum(t.position == 1 for t in counted) / len(counted) if counted else 0.0

    def gate_failures(
        self, max_pass: float = MAX_NAIVE_PASS, max_longest: float = MAX_BEST_LONGEST
    ) -> list[str]:
        """Why this scenario's score would not measure judgement (empty when it does)."""
        out = []
        for s in self.strategies:
            if s.pass_rate > max_pass:
                out.append(
                    f"{self.id}: {s.title} passes {s.pass_rate:.0%} of runs "
                    f"({s.passed}/{s.runs}); at most {max_pass:.0%} may"
                )
        if not self.best_path_passed:
            out.append(
                f"{self.id}: the best path ({' > '.join(self.best_path)}) does not pass "
                f"({self.best_path_score:g})"
            )
        for loop in self.loops:
            if loop.adds_points:
                out.append(
                    f"{self.id}: going round {' > '.join(loop.cycle)} again raises the score "
                    f"from {loop.once:g} to {loop.twice:g}"
                )
        if self.best_longest_share > max_longest:
            out.append(
                f"{self.id}: the best option is the longest text in "
                f"{self.best_longest_share:.0%} of decisions; at most {max_longest:.0%} may be"
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "family": self.family,
            "runs_per_strategy": self.runs,
            "strategies": [s.to_dict() for s in self.strategies],
            "best_path": {
                "choices": list(self.best_path),
                "score": self.best_path_score,
                "passed": self.best_path_passed,
            },
            "paths": self.paths.to_dict(),
            "best_option": {
                "longest_share": round_half_up(self.best_longest_share, 4),
                "first_share": round_half_up(self.best_first_share, 4),
                "decisions": [t.to_dict() for t in self.tells],
            },
            "loops": [loop.to_dict() for loop in self.loops],
            "unscored_choices": list(self.unscored_choices),
            "decisions": [d.to_dict() for d in self.decisions],
            "gate": {
                "max_naive_pass_rate": MAX_NAIVE_PASS,
                "max_best_longest_share": MAX_BEST_LONGEST,
                "failures": self.gate_failures(),
            },
        }


# ---------------------------------------------------------------- scoring runs


class _Scorer:
    """Scores simulated runs, once per distinct run."""

    def __init__(self, compiled: CompiledScenario, pack: PolicyPack) -> None:
        self.compiled = compiled
        self.scenario = compiled.scenario
        self.pack = pack
        self.cache: dict[Any, ScoreReport] = {}

    def __call__(self, run: SimRun) -> ScoreReport:
        key = (
            tuple((d.node, d.choice, d.facts, d.timed_out, d.available) for d in run.decisions),
            tuple(sorted(run.final_vars.items())),
            run.ending["id"] if run.ending else None,
            run.talk,
        )
        found = self.cache.get(key)
        if found is None:
            trace = Trace(self.compiled.hash, run.decisions, run.final_vars, run.ending, run.talk)
            found = self.cache[key] = score_trace(trace, self.scenario, self.pack)
        return found

    def passes(self, report: ScoreReport, run: SimRun) -> bool:
        return report.passed and run.ending is not None


def critical_options(scenario: Scenario, pack: PolicyPack) -> frozenset[tuple[str, str]]:
    """Options whose own facts are judged critical whatever came before."""
    out = set()
    for nid, node in scenario.nodes.items():
        if isinstance(node, Decision):
            for c in node.choices:
                cj = judge_facts(pack, c.facts, frozenset())
                if any(j.verdict is Verdict.CRITICAL for j in cj.judgments):
                    out.add((nid, c.id))
    return frozenset(out)


# ---------------------------------------------------------------- static tells


def option_tells(scenario: Scenario, pack: PolicyPack) -> tuple[OptionTell, ...]:
    out = []
    for nid, node in scenario.nodes.items():
        if not isinstance(node, Decision):
            continue
        keys = [judge_facts(pack, c.facts, frozenset()).sort_key() for c in node.choices]
        best_key = min(keys)
        best = [i for i, k in enumerate(keys) if k == best_key]
        lengths = [len(c.text) for c in node.choices]
        first_best = best[0]
        rank = 1 + sum(1 for n in lengths if n > lengths[first_best])
        longest = max(lengths)
        out.append(
            OptionTell(
                node=nid,
                best=tuple(node.choices[i].id for i in best),
                options=len(node.choices),
                position=first_best + 1,
                length_rank=rank,
                best_is_longest=len(node.choices) > 1
                and any(lengths[i] == longest for i in best)
                and len(best) < len(node.choices),
                pinned=any(node.choices[i].pin is not None for i in best),
            )
        )
    return tuple(out)


def unscored_choices(scenario: Scenario, pack: PolicyPack) -> tuple[str, ...]:
    return tuple(
        f"{nid}:{c.id}"
        for nid, node in scenario.nodes.items()
        if isinstance(node, Decision)
        for c in node.choices
        if not any(f in pack.scored_facts for f in c.facts) and not intake.derives_facts(c)
    )


# ---------------------------------------------------------------- best path and loops


def _greedy_pick(pack: PolicyPack, session: Session, taken: set[tuple[str, str]]) -> str:
    """The option a player who knows the pack would take: best verdict given the facts so
    far and the matrix band the run is in, preferring one not taken before at this decision
    (so a loop is left)."""
    prior = {f for d in session.decisions for f in d.facts}
    shown = session.available_choices()
    band = sanctions.band_for(
        pack,
        sanctions.severity_of(pack, session.vars),
        session.compiled.scenario.case_file.risk_level.value,
        sanctions.priors_of(pack, session.vars),
    )
    order = {o.choice.id: i for i, o in enumerate(session.compiled.options[session.node_id])}

    def facts_of(c: Any) -> Any:
        """The facts the option earns here: its own, or with those a mechanic derives from
        this run's state (intake ratings against the seeded key), found on a fork."""
        if not intake.derives_facts(c):
            return c.facts
        trial = session.fork()
        trial.choose(c.id)
        return trial.decisions[-1].facts

    def key(c: Any) -> tuple[bool, tuple[int, Any], int]:
        fresh = (session.node_id, c.id) in taken
        return (fresh, judge_facts(pack, facts_of(c), prior, band).sort_key(), order.get(c.id, 0))

    return str(min(shown, key=key).id)


def best_path(
    compiled: CompiledScenario, pack: PolicyPack, seed: int, session: Session | None = None
) -> Session:
    """Play on (from ``session`` or the start) taking the greedy-best option each time."""
    s = session or Session.start(compiled, seed, clock=lambda: 0.0, wall_clock=False)
    taken: set[tuple[str, str]] = {(d.node, d.choice) for d in s.decisions}
    for _ in range(400):
        if s.ended:
            break
        cid = _greedy_pick(pack, s, taken)
        taken.add((s.node_id, cid))
        s.choose(cid)
    return s


def _cycles(scenario: Scenario) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """For each decision on a cycle, one shortest way back to it: (node, ((node, choice), …))."""
    out = []
    for nid, node in scenario.nodes.items():
        if not isinstance(node, Decision):
            continue
        best: tuple[tuple[str, str], ...] | None = None
        for c in node.choices:
            path = _path_back(scenario, c.next, nid)
            if path is None:
                continue
            steps = ((nid, c.id), *path)
            if best is None or len(steps) < len(best):
                best = steps
        if best is not None:
            out.append((nid, best))
    return out


def _path_back(scenario: Scenario, start: str, goal: str) -> tuple[tuple[str, str], ...] | None:
    """Decision steps from ``start`` back to ``goal`` through the graph (breadth first)."""
    from collections import deque

    prev: dict[str, tuple[str, str | None]] = {start: ("", None)}
    todo = deque([start])
    while todo:
        nid = todo.popleft()
        if nid == goal:
            steps: list[tuple[str, str]] = []
            cur = nid
            while cur != start:
                parent, choice = prev[cur]
                if choice is not None:
                    steps.append((parent, choice))
                cur = parent
            return tuple(reversed(steps))
        node = scenario.nodes.get(nid)
        nexts: list[tuple[str, str | None]] = []
        if isinstance(node, Decision):
            nexts = [(c.next, c.id) for c in node.choices]
        elif isinstance(node, Narration | Chance):
            nexts = [(n, None) for n in successors(scenario, nid)]
        for nxt, choice in nexts:
            if nxt in scenario.nodes and nxt not in prev:
                prev[nxt] = (nid, choice)
                todo.append(nxt)
    return None


def _reach(compiled: CompiledScenario, node: str, seed: int, tries: int = 40) -> Session | None:
    """A session waiting at decision ``node``, reached by random play (None if not found)."""
    for i in range(tries):
        rng = np.random.default_rng([seed + i, 0x100F])
        s = Session.start(compiled, seed + i, clock=lambda: 0.0, wall_clock=False)
        for _ in range(400):
            if s.ended:
                break
            if s.node_id == node:
                return s
            shown = s.available_choices()
            s.choose(shown[int(rng.integers(len(shown)))].id)
    return None


def loop_results(
    compiled: CompiledScenario, pack: PolicyPack, score: _Scorer, seed: int
) -> tuple[LoopResult, ...]:
    out = []
    for nid, steps in _cycles(compiled.scenario):
        at = _reach(compiled, nid, seed)
        cycle = tuple(f"{n}:{c}" for n, c in steps)
        if at is None:
            out.append(LoopResult(nid, cycle, None, None))
            continue
        scores = [_round_and_finish(score, pack, seed, at, steps, rounds) for rounds in (1, 2)]
        out.append(LoopResult(nid, cycle, scores[0], scores[1]))
    return tuple(out)


def _round_and_finish(
    score: _Scorer,
    pack: PolicyPack,
    seed: int,
    at: Session,
    steps: tuple[tuple[str, str], ...],
    rounds: int,
) -> float | None:
    """The score of going round ``steps`` ``rounds`` times from ``at``, then playing best."""
    s = at.fork()
    for _ in range(rounds):
        for n, c in steps:
            if s.ended or s.node_id != n or c not in {ch.id for ch in s.available_choices()}:
                return None
            s.choose(c)
    s = best_path(score.compiled, pack, seed, s)
    return score(_sim(score.compiled, s)).overall if s.ended else None


# ---------------------------------------------------------------- paths


def enumerate_paths(
    compiled: CompiledScenario, pack: PolicyPack, score: _Scorer, seed: int, budget: int
) -> PathSummary | None:
    """Every path for one seed, if there are at most ``budget`` (else None)."""
    scores: list[float] = []
    shortest: tuple[str, ...] | None = None
    stack = [Session.start(compiled, seed, clock=lambda: 0.0, wall_clock=False)]
    leaves = 0
    while stack:
        s = stack.pop()
        if s.ended or len(s.decisions) >= 60:
            leaves += 1
            if leaves > budget:
                return None
            run = _sim(compiled, s)
            report = score(run)
            scores.append(report.overall)
            if score.passes(report, run):
                path = tuple(d.choice for d in s.decisions)
                if shortest is None or len(path) < len(shortest):
                    shortest = path
            continue
        seen_here = {(d.node, d.choice) for d in s.decisions}
        for c in s.available_choices():
            if (s.node_id, c.id) in seen_here:
                continue  # a loop adds nothing (measured separately); do not walk it twice
            child = s.fork()
            child.choose(c.id)
            stack.append(child)
    return PathSummary(
        "exhaustive",
        len(scores),
        min(scores) if scores else None,
        max(scores) if scores else None,
        shortest,
        seed,
    )


def _sim(compiled: CompiledScenario, s: Session) -> SimRun:
    """A finished session as a simulated run (with the client's talk, for conversations)."""
    if compiled.scenario.client is None:
        return run_of(s)
    return run_of(s, tuple(p.state for p in client_trajectory(compiled, s)))


# ---------------------------------------------------------------- per decision


def decision_stats(
    scenario: Scenario, reports: Sequence[ScoreReport], passed: Sequence[bool]
) -> tuple[DecisionStat, ...]:
    """Difficulty and discrimination of each decision over random runs (first visit each)."""
    rows: dict[str, tuple[list[int], list[int]]] = {}
    for report, ok in zip(reports, passed, strict=True):
        seen: set[str] = set()
        for d in report.decisions:
            if d.node in seen or d.verdict == "unscored":
                continue
            seen.add(d.node)
            within, outcome = rows.setdefault(d.node, ([], []))
            within.append(1 if d.verdict in WITHIN else 0)
            outcome.append(1 if ok else 0)
    out = []
    for nid, node in scenario.nodes.items():
        if not isinstance(node, Decision):
            continue
        within, outcome = rows.get(nid, ([], []))
        difficulty = round_half_up(sum(within) / len(within), 3) if within else None
        out.append(
            DecisionStat(
                nid, node.prompt, len(within), difficulty, _point_biserial(within, outcome)
            )
        )
    return tuple(out)


def _point_biserial(x: Sequence[int], y: Sequence[int]) -> float | None:
    if len(x) < 3:
        return None
    a = np.asarray(x, dtype=float)
    b = np.asarray(y, dtype=float)
    if a.std() == 0 or b.std() == 0:
        return None
    return round_half_up(float(np.corrcoef(a, b)[0, 1]), 3)


# ---------------------------------------------------------------- the whole analysis


def analyze(
    sf: ScenarioFile,
    pack: PolicyPack,
    *,
    runs: int = 200,
    seed: int = 0,
    strategies: Iterable[str] = NAIVE,
    path_budget: int = 2000,
    vectorised: bool = True,
    exact: bool = False,
) -> ScenarioAnalysis:
    compiled = compile_scenario(sf)
    scenario = compiled.scenario
    score = _Scorer(compiled, pack)
    avoid = critical_options(scenario, pack)
    results = []
    random_reports: list[ScoreReport] = []
    random_passed: list[bool] = []
    sampled: list[tuple[SimRun, ScoreReport, bool]] = []
    for strategy in strategies:
        sims, how = simulate(
            compiled, strategy, runs, seed, avoid=avoid, vectorised=vectorised, exact=exact
        )
        passed = 0
        total = 0.0
        for run in sims:
            report = score(run)
            ok = score.passes(report, run)
            passed += ok
            total += report.overall
            sampled.append((run, report, ok))
            if strategy == "random":
                random_reports.append(report)
                random_passed.append(ok)
        results.append(
            StrategyResult(
                strategy,
                STRATEGY_TITLES[strategy],
                len(sims),
                passed,
                round_half_up(total / len(sims), 1) if sims else 0.0,
                how,
            )
        )
    best = best_path(compiled, pack, seed)
    best_report = score(_sim(compiled, best))
    paths = enumerate_paths(compiled, pack, score, seed, path_budget) if path_budget else None
    if paths is None:
        scores = [r.overall for _, r, _ in sampled]
        passing = [run for run, _, ok in sampled if ok]
        shortest = min(passing, key=lambda r: len(r.decisions), default=None)
        paths = PathSummary(
            "sampled",
            len(sampled),
            min(scores) if scores else None,
            max(scores) if scores else None,
            tuple(d.choice for d in shortest.decisions) if shortest else None,
            seed,
        )
    return ScenarioAnalysis(
        id=scenario.id,
        title=scenario.title,
        family=scenario.family,
        runs=runs,
        strategies=tuple(results),
        best_path=tuple(d.choice for d in best.decisions),
        best_path_score=best_report.overall,
        best_path_passed=best_report.passed and best.ended,
        paths=paths,
        tells=option_tells(scenario, pack),
        loops=loop_results(compiled, pack, score, seed),
        unscored_choices=unscored_choices(scenario, pack),
        decisions=decision_stats(scenario, random_reports, random_passed),
        random_scores=tuple(r.overall for r in random_reports),
    )
