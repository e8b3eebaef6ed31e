"""Monte Carlo runs of one scenario, many at once, on numpy arrays compiled from it.

The interactive :class:`engine.session.Session` plays one run, one event at a
time; that is what a trainee needs, but a validity check of a scenario's scoring
wants thousands of runs per naive strategy. :class:`VectorScenario` compiles the
scenario once into arrays (a runs x variables matrix, enums and persona choices
as integer codes, bools as 0/1) and vectorised evaluators of the expression
trees, then advances every run of a batch together: at each step the runs are
grouped by the decision they stand at, guards are evaluated for the whole group,
each run picks a choice by the strategy, and the choice's effects, reactions,
de-escalation profile, places mechanic and interrupts are applied to the rows
that picked it. Narration and chance nodes are followed the same way.

Semantics are the Session's, step for step. :meth:`VectorScenario.simulate_seeded`
draws persona values, chance outcomes, de-escalation variation and the shown
order of the options exactly as a Session with the same seed does, so tests can
compare each run with the Session's record; :meth:`VectorScenario.simulate`
draws them from one generator for the whole batch (the same distributions),
which is what makes it fast.

Strategies (options are shown in a random order per decision, pinned ones first or
last, as in the Session): ``first``/``last`` take the first/last option as shown;
``longest``/``shortest`` the open option with the longest/shortest text (ties: the
first shown); ``random`` any open option, uniformly; ``random_safe`` likewise but
never one of ``avoid`` while another is open; ``timeout`` lets the timer run out
at every timed decision whose default is open, and otherwise takes the first shown.
A run stops without an ending after ``max_decisions`` decisions, or when no option
of a decision is open (the Session would refuse to go on there too).
"""

from __future__ import annotations

import gc
import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.compile import CompiledScenario, draw_persona
from engine.expr import Node, parse, parse_effect
from engine.mechanics import places as pl
from engine.mechanics.client import (
    CHANGE_TALK,
    DISCORD,
    SUSTAIN_TALK,
    ClientState,
    merged_reactions,
)
from engine.mechanics.deescalation import Deescalator, pushes, variation_draw
from engine.model import (
    BoolVar,
    Chance,
    Choice,
    ChoiceDraw,
    Control,
    Decision,
    EnumVar,
    FlagDraw,
    IntegerDraw,
    ItemKind,
    Narration,
    NormalDraw,
    NumberVar,
    PartnerTask,
    Scenario,
    Terminal,
    UniformDraw,
)
from engine.montecarlo import PICK_STREAM, STRATEGIES, SimRun
from engine.session import ORDER_STREAM, DecisionRecord

Array = np.ndarray[Any, Any]
Vec = Callable[[Array], Any]  # rows of the state matrix -> an array (or a scalar constant)

_DECISION, _NARRATION, _CHANCE, _TERMINAL, _STUCK = 0, 1, 2, 3, 4
_NUM, _INT, _BOOL, _CODE = "float", "int", "bool", "code"


class VectorUnsupported(Exception):
    """A scenario feature this simulator cannot model."""


def round4(values: Array) -> Array:
    """``round(x, 4)`` as Python computes it, elementwise.

    numpy scales by 10**4 before rounding, which can land on the other side of a
    half where Python (which rounds the exact binary value) does not; those rare
    elements are rounded by Python itself.
    """
    out: Array = np.round(values, 4)
    scaled = values * 1e4
    frac = scaled - np.floor(scaled)
    near = np.flatnonzero(np.abs(frac - 0.5) < 1e-6)
    for i in near:
        out[i] = round(float(values[i]), 4)
    return out


# ---------------------------------------------------------------- expressions


class _Codes:
    """Integer codes for every string value (enum values, persona choices, rooms)."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self._index: dict[tuple[type, Any], int] = {}

    def code(self, value: Any) -> int:
        key = (type(value), value)
        got = self._index.get(key)
        if got is None:
            got = self._index[key] = len(self.values)
            self.values.append(value)
        return got


def _safe_div(a: Any, b: Any) -> Any:
    b_arr = np.asarray(b, dtype=float)
    nz = b_arr != 0
    return np.where(nz, np.asarray(a, dtype=float) / np.where(nz, b_arr, 1.0), 0.0)


def _reduce(fn: Callable[[Any, Any], Any], parts: list[Vec]) -> Vec:
    def run(s: Array) -> Any:
        acc = parts[0](s)
        for p in parts[1:]:
            acc = fn(acc, p(s))
        return acc

    return run


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "and": np.logical_and,
    "or": np.logical_or,
    "==": np.equal,
    "!=": np.not_equal,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": _safe_div,
}


class _Compiler:
    """Expression trees to functions of a block of rows of the state matrix."""

    def __init__(self, columns: Mapping[str, int], kinds: Sequence[str], codes: _Codes) -> None:
        self.columns = columns
        self.kinds = kinds
        self.codes = codes
        self._cache: dict[Node, Vec] = {}

    def text(self, text: str) -> Vec:
        return self.node(parse(text))

    def number(self, value: float | str) -> Vec:
        if isinstance(value, str):
            return self.text(value)
        return lambda s: value

    def node(self, node: Node) -> Vec:
        hit = self._cache.get(node)
        if hit is None:
            hit = self._cache[node] = self._build(node)
        return hit

    def _build(self, node: Node) -> Vec:
        op = node.op
        if op in ("num", "bool"):
            value = node.value
            return lambda s: value
        if op == "str":
            code = float(self.codes.code(node.value))
            return lambda s: code
        if op == "name":
            name = str(node.value)
            if name not in self.columns:
                raise VectorUnsupported(f"the expression uses '{name}', which has no column")
            col = self.columns[name]
            if self.kinds[col] == _BOOL:
                return lambda s: s[:, col] != 0
            return lambda s: s[:, col]
        if op == "not":
            a = self.node(node.args[0])
            return lambda s: np.logical_not(a(s))
        if op == "neg":
            a = self.node(node.args[0])
            return lambda s: np.negative(a(s))
        if op == "call":
            fns = [self.node(a) for a in node.args]
            name = node.value
            if name == "min":
                return _reduce(np.minimum, fns)
            if name == "max":
                return _reduce(np.maximum, fns)
            if name == "clamp":
                x, lo, hi = fns
                return lambda s: np.minimum(np.maximum(x(s), lo(s)), hi(s))
            f0 = fns[0]
            if name == "abs":
                return lambda s: np.abs(f0(s))
            return lambda s: np.rint(f0(s))
        fn = _BINARY.get(op)
        if fn is None:
            raise VectorUnsupported(f"operator '{op}' has no vectorised form")
        a, b = (self.node(x) for x in node.args)
        return lambda s: fn(a(s), b(s))


def _column(value: Any, n: int, dtype: Any = float) -> Array:
    """A scalar or array evaluation result as an array of ``n`` values."""
    arr = np.asarray(value, dtype=dtype)
    if arr.ndim == 0:
        return np.full(n, arr, dtype=dtype)
    return arr


# ---------------------------------------------------------------- effects


@dataclass(frozen=True)
class _Effect:
    col: int
    sign: int  # +1 for +=, -1 for -=, 0 for =
    value: Vec
    low: float | None
    high: float | None
    integer: bool

    def __call__(self, s: Array) -> None:
        v = _column(self.value(s), s.shape[0])
        if self.low is None or self.high is None:
            s[:, self.col] = v
            return
        if self.sign:
            v = s[:, self.col] + self.sign * v
        v = np.minimum(np.maximum(v, self.low), self.high)
        s[:, self.col] = np.rint(v) if self.integer else v


# ---------------------------------------------------------------- per-choice plans


@dataclass(frozen=True)
class _Option:
    choice: Choice
    index: int
    next: int
    facts: tuple[str, ...]
    effects: tuple[_Effect, ...]
    # de-escalation: (rise, fall, gain, loss) when influence counts fully / half
    steps: tuple[tuple[float, float, float, float], tuple[float, float, float, float]] | None
    places: bool


@dataclass(frozen=True)
class _DecisionPlan:
    node_id: str
    index: int
    options: list[_Option]
    guards: list[Vec | None]
    lengths: Array
    pin: Array  # -1 pinned first, 0 shuffled, +1 pinned last
    timeout_default: int | None
    ids: tuple[str, ...]


# scenario blocks whose mechanic derives state the arrays do not model: a generated
# caseload per run with plans over it; an intake's seeded key, told answers and ratings
UNVECTORISED_MECHANICS = ("caseload", "intake")


def unsupported(scenario: Scenario) -> str | None:
    """Why this simulator cannot play ``scenario`` (analysis then uses the session loop, which
    is exact for every mechanic), or None when it can."""
    for block in UNVECTORISED_MECHANICS:
        if getattr(scenario, block) is not None:
            return f"the {block} mechanic has no vectorised form"
    return None


class VectorScenario:
    """A scenario compiled into arrays; :meth:`simulate` plays many runs of it at once."""

    def __init__(self, compiled: CompiledScenario) -> None:
        self.compiled = compiled
        s = self.scenario = compiled.scenario
        reason = unsupported(s)
        if reason is not None:
            raise VectorUnsupported(reason)
        self.codes = _Codes()
        self._layout(s)
        self.expr = _Compiler(self.columns, self.kinds, self.codes)
        self.reactions = {
            fact: tuple(self._effect(e) for e in effects)
            for fact, effects in merged_reactions(s).items()
        }
        self._deescalation(compiled.deescalation)
        self._nodes(s)
        self._places(s)
        self.interrupts = [
            (self.expr.text(i.when), self.node_index[i.goto], i.once) for i in s.interrupts
        ]
        self.talk_columns = (
            tuple(self.columns.get(n, -1) for n in (CHANGE_TALK, SUSTAIN_TALK, DISCORD))
            if s.client is not None
            else None
        )
        self._facts_cache: dict[tuple[int, int, int], tuple[str, ...]] = {}

    # ------------------------------------------------------------ compile

    def _layout(self, s: Scenario) -> None:
        names: dict[str, str] = {}
        for name, d in s.persona.items():
            if isinstance(d, UniformDraw | NormalDraw):
                names[name] = _NUM
            elif isinstance(d, IntegerDraw):
                names[name] = _INT
            elif isinstance(d, ChoiceDraw):
                names[name] = _CODE
            else:
                names[name] = _BOOL
        for name, v in s.variables.items():
            if isinstance(v, NumberVar):
                names[name] = _INT if v.type == "int" else _NUM
            elif isinstance(v, BoolVar):
                names[name] = _BOOL
            else:
                names[name] = _CODE
        self.place_state = pl.initial_state(s.places)
        for name in self.place_state:
            names[name] = _CODE if name in (pl.LOCATION, pl.PARTNER_TASK) else _BOOL
        self.names = list(names)
        self.columns = {n: i for i, n in enumerate(self.names)}
        self.kinds = [names[n] for n in self.names]

    def _effect(self, text: str) -> _Effect:
        a = parse_effect(text)
        var = self.scenario.variables.get(a.target)
        if var is None or a.target not in self.columns:
            raise VectorUnsupported(f"effect '{text}' targets '{a.target}', not a variable")
        value = self.expr.node(a.value)
        sign = 1 if a.op == "+=" else -1 if a.op == "-=" else 0
        if isinstance(var, NumberVar):
            return _Effect(self.columns[a.target], sign, value, var.min, var.max, var.type == "int")
        return _Effect(self.columns[a.target], 0, value, None, None, False)

    def _nodes(self, s: Scenario) -> None:
        self.node_ids = list(s.nodes)
        self.node_index = {nid: i for i, nid in enumerate(self.node_ids)}
        # one more slot: a run that could not go on points at -1, the last slot
        self.kind = np.full(len(self.node_ids) + 1, _STUCK, dtype=np.int8)
        self.plans: dict[int, _DecisionPlan] = {}
        self.narration_next: dict[int, int] = {}
        self.chance: dict[int, tuple[list[Vec], Array]] = {}
        self.terminal: dict[int, Terminal] = {}
        for i, (nid, node) in enumerate(s.nodes.items()):
            if isinstance(node, Decision):
                self.kind[i] = _DECISION
                self.plans[i] = self._plan(nid, i, node)
            elif isinstance(node, Narration):
                self.kind[i] = _NARRATION
                self.narration_next[i] = self.node_index[node.next]
            elif isinstance(node, Chance):
                self.kind[i] = _CHANCE
                weights = [self.expr.number(o.weight) for o in node.outcomes]
                nexts = np.array([self.node_index[o.next] for o in node.outcomes], dtype=np.int32)
                self.chance[i] = (weights, nexts)
            else:
                assert isinstance(node, Terminal)
                self.kind[i] = _TERMINAL
                self.terminal[i] = node

    def _plan(self, nid: str, index: int, node: Decision) -> _DecisionPlan:
        if len(node.choices) > 62:
            raise VectorUnsupported(f"decision '{nid}' has more than 62 choices")
        options = []
        de = self.de
        for j, c in enumerate(node.choices):
            # the reactions to the choice's facts first, then its own effects (as compiled)
            reacted = tuple(e for f in c.facts for e in self.reactions.get(f, ()))
            known = [de.table[f] for f in c.facts if f in de.table] if de is not None else []
            options.append(
                _Option(
                    c,
                    j,
                    self.node_index[c.next],
                    tuple(c.facts),
                    reacted + tuple(self._effect(e) for e in c.effects),
                    (pushes(known, False), pushes(known, True)) if known else None,
                    self.scenario.places is not None,
                )
            )
        default = None
        if node.timeout is not None:
            default = next(j for j, c in enumerate(node.choices) if c.id == node.timeout.default)
        pins = [c.pin for c in node.choices]
        return _DecisionPlan(
            nid,
            index,
            options,
            [self.expr.text(c.guard) if c.guard is not None else None for c in node.choices],
            np.array([len(c.text) for c in node.choices], dtype=np.int64),
            np.array([-1 if p == "first" else 1 if p == "last" else 0 for p in pins]),
            default,
            tuple(c.id for c in node.choices),
        )

    def _places(self, s: Scenario) -> None:
        p = s.places
        self.places = p
        if p is None:
            return
        c = self.columns
        self.loc_col, self.task_col = c[pl.LOCATION], c[pl.PARTNER_TASK]
        room_code = {r: self.codes.code(r) for r in p.rooms}
        for t in ("cover", "call", "search", "interview"):
            self.codes.code(t)
        self.codes.code(False)
        size = len(self.codes.values) + 1
        self.off_premises = np.zeros(size, dtype=bool)
        self.sight = {r: np.zeros(size, dtype=bool) for r in p.rooms}  # place -> seen from
        for r, room in p.rooms.items():
            self.off_premises[room_code[r]] = room.off_premises
            for seen in {r, *room.sees}:
                if seen in self.sight:
                    self.sight[seen][room_code[r]] = True
        self.covering_codes = np.zeros(size, dtype=bool)
        self.covering_codes[[self.codes.code("cover"), self.codes.code("call")]] = True
        self.room_code = room_code

        def present(text: str | None) -> Vec | None:
            return None if text is None else self.expr.text(text)

        self.items = [
            (key, item, c[pl.seen_name(key)], c[pl.found_name(key)], present(item.present))
            for key, item in p.items.items()
        ]
        self.people = [
            (key, person, c[pl.seen_name(key)], present(person.present))
            for key, person in p.people.items()
        ]
        self.lawful = {r: present(room.lawful) for r, room in p.rooms.items()}
        self.consent = {r: present(room.consent) for r, room in p.rooms.items()}
        self.search_condition = pl.has_search_condition(s.case_file)

    def _deescalation(self, d: Deescalator | None) -> None:
        self.de = d
        if d is None:
            return
        c = self.columns
        self.de_vol = self.expr.number(d.config.volatility)
        self.de_rec = self.expr.number(d.config.receptiveness)
        self.de_ranges = [(c[r.name], r.low, r.high, r.integer) for r in (d.agitation, d.trust)]

    # ------------------------------------------------------------ public

    def simulate(
        self,
        strategy: str,
        runs: int,
        seed: int,
        *,
        avoid: frozenset[tuple[str, str]] = frozenset(),
        max_decisions: int = 400,
    ) -> list[SimRun]:
        """``runs`` runs under ``strategy``, every random draw from one generator seeded
        with ``seed`` (the same distributions as a Session, not its per-run streams)."""
        return _Batch(self, strategy, runs, avoid, max_decisions, _FastDraws(seed)).run()

    def simulate_seeded(
        self,
        strategy: str,
        seeds: Sequence[int],
        *,
        scripts: Sequence[Sequence[str]] | None = None,
        avoid: frozenset[tuple[str, str]] = frozenset(),
        max_decisions: int = 400,
    ) -> list[SimRun]:
        """One run per seed, drawing exactly what a Session with that seed draws.

        For deterministic strategies (and for ``scripts``: per run, the choice id to take
        at each decision) every run equals ``Session.start(compiled, seed)`` played the
        same way. Slower than :meth:`simulate`: the draws are made run by run.
        """
        draws = _SeededDraws([int(x) for x in seeds])
        return _Batch(self, strategy, len(seeds), avoid, max_decisions, draws, scripts).run()

    def facts_of(self, node: int, choice: int, variant: int) -> tuple[str, ...]:
        """The facts of a decision: the choice's own, then those the places mechanic derived."""
        key = (node, choice, variant)
        hit = self._facts_cache.get(key)
        if hit is None:
            o = self.plans[node].options[choice]
            derived = _derived_facts(o.choice, self, variant)
            hit = tuple(dict.fromkeys((*o.facts, *derived))) if derived else o.facts
            self._facts_cache[key] = hit
        return hit


# bits of a decision's places variant
_CONSENTED, _UNLAWFUL, _PLAIN_VIEW, _STAYED, _WITHDREW = 1, 2, 4, 8, 16


def _derived_facts(choice: Choice, vs: VectorScenario, variant: int) -> tuple[str, ...]:
    p = vs.places
    if p is None:
        return ()
    facts: list[str] = []
    if p.partner and choice.partner in pl.MERGING_TASKS:
        facts.extend(pl.ROLES_MERGED)
    if choice.search is not None:
        if p.rooms[choice.search].control is Control.THIRD_PARTY:
            facts.extend(
                pl.SEARCHED_THIRD_PARTY_WITH_CONSENT
                if variant & _CONSENTED
                else pl.SEARCHED_THIRD_PARTY_WITHOUT_CONSENT
            )
        elif vs.search_condition:
            facts.extend(pl.SEARCHED_UNDER_CONDITION)
        else:
            facts.extend(pl.SEARCHED_WITHOUT_CONDITION)
    if variant & _UNLAWFUL:
        facts.extend(pl.UNLAWFUL_VANTAGE)
    if variant & _PLAIN_VIEW:
        facts.extend(pl.PLAIN_VIEW)
    if variant & _STAYED:
        facts.extend(pl.STAYED_AFTER_WEAPON)
    if variant & _WITHDREW:
        facts.extend(pl.WITHDREW_AFTER_WEAPON)
    return tuple(dict.fromkeys(facts))


# ---------------------------------------------------------------- random draws


class _FastDraws:
    """Every draw of a batch from one generator: the Session's distributions, not its streams."""

    exact = False

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def chance(self, rows: Array) -> Array:
        return self.rng.random(rows.size)

    def pick(self, rows: Array, count: Array) -> Array:
        """For each run, a uniform index below its ``count`` (0 where the count is 0)."""
        u = self.rng.random(rows.size)
        nth: Array = np.minimum(np.floor(u * count), np.maximum(count - 1, 0))
        return nth.astype(np.int64)

    def persona(self, vs: VectorScenario, n: int) -> dict[str, Array]:
        out: dict[str, Array] = {}
        rng = self.rng
        for name, d in vs.scenario.persona.items():
            u = rng.random(n)
            if isinstance(d, UniformDraw):
                out[name] = round4(d.low + u * (d.high - d.low))
            elif isinstance(d, NormalDraw):
                u2 = rng.random(n)
                z = np.sqrt(-2.0 * np.log(1.0 - u)) * np.cos(2.0 * math.pi * u2)
                out[name] = round4(np.minimum(np.maximum(d.mean + d.sd * z, d.low), d.high))
            elif isinstance(d, IntegerDraw):
                out[name] = np.minimum(d.low + np.floor(u * (d.high - d.low + 1)), d.high)
            elif isinstance(d, ChoiceDraw):
                keys = list(d.options)
                weights = [max(0.0, w) for w in d.options.values()]
                pick = _weighted(weights, u)
                codes = np.array([vs.codes.code(k) for k in keys], dtype=float)
                out[name] = codes[pick]
            else:
                assert isinstance(d, FlagDraw)
                out[name] = (u < d.p).astype(float)
        return out

    def variation(self, rows: Array, index: int) -> Array:
        return self.rng.random(rows.size)

    def order_keys(self, rows: Array, plan: _DecisionPlan, avail: Array) -> Array:
        return np.asarray(self.rng.random(avail.shape))

    def script(self, rows: Array, index: int, plan: _DecisionPlan) -> Array:
        raise VectorUnsupported("scripted choices need simulate_seeded")


class _SeededDraws:
    """The draws a Session with each run's seed makes, run by run."""

    exact = True

    def __init__(self, seeds: list[int]) -> None:
        self.seeds = seeds
        self.rngs = [np.random.default_rng(s) for s in seeds]
        self.shufflers = [np.random.default_rng([s, ORDER_STREAM]) for s in seeds]
        # random strategies draw from a stream of their own, so the runs' chance
        # outcomes and shown orders stay the Session's
        self.pickers = [np.random.default_rng([s, PICK_STREAM]) for s in seeds]
        self.scripts: Sequence[Sequence[str]] | None = None

    def chance(self, rows: Array) -> Array:
        rngs = self.rngs
        return np.array([float(rngs[r].random()) for r in rows.tolist()], dtype=float)

    def pick(self, rows: Array, count: Array) -> Array:
        """``integers(count)`` from each run's picking stream (that is how
        ``engine.montecarlo``'s session loop picks, so the two agree run for run)."""
        pickers = self.pickers
        return np.array(
            [
                int(pickers[r].integers(c)) if c > 0 else 0
                for r, c in zip(rows.tolist(), count.tolist(), strict=True)
            ],
            dtype=np.int64,
        )

    def persona(self, vs: VectorScenario, n: int) -> dict[str, Array]:
        drawn = [draw_persona(vs.scenario, rng) for rng in self.rngs]
        out: dict[str, Array] = {}
        for name in vs.scenario.persona:
            values = [d[name] for d in drawn]
            if vs.kinds[vs.columns[name]] == _CODE:
                out[name] = np.array([vs.codes.code(v) for v in values], dtype=float)
            else:
                out[name] = np.array(values, dtype=float)
        return out

    def variation(self, rows: Array, index: int) -> Array:
        seeds = self.seeds
        return np.array([variation_draw(seeds[r], index) for r in rows.tolist()], dtype=float)

    def order_keys(self, rows: Array, plan: _DecisionPlan, avail: Array) -> Array:
        """Each open option's place in the order the Session shows it (``_shown_order``):
        pinned-first ones, the rest permuted by the attempt's order stream, pinned-last ones."""
        keys = np.full(avail.shape, np.inf)
        pins = plan.pin.tolist()
        for k, (r, row) in enumerate(zip(rows.tolist(), avail.tolist(), strict=True)):
            open_now = [j for j, ok in enumerate(row) if ok]
            free = [j for j in open_now if pins[j] == 0]
            if len(free) > 1:
                free = [free[i] for i in self.shufflers[r].permutation(len(free))]
            shown = [
                *(j for j in open_now if pins[j] < 0),
                *free,
                *(j for j in open_now if pins[j] > 0),
            ]
            for place, j in enumerate(shown):
                keys[k, j] = place
        return keys

    def script(self, rows: Array, index: int, plan: _DecisionPlan) -> Array:
        assert self.scripts is not None
        out = np.empty(rows.size, dtype=np.int64)
        for k, r in enumerate(rows.tolist()):
            script = self.scripts[r]
            if index >= len(script):
                raise ValueError(f"run {r}: the script ends before decision {index + 1}")
            want = script[index]
            if want not in plan.ids:
                raise ValueError(
                    f"run {r}: '{want}' is not a choice at '{plan.node_id}' "
                    f"(choices: {', '.join(plan.ids)})"
                )
            out[k] = plan.ids.index(want)
        return out


def _weighted(weights: Sequence[Any], u: Array) -> Array:
    """Index picked by ``u`` from cumulative normalised weights, as the Session sums them."""
    n = u.shape[0]
    last = len(weights) - 1
    ws = [_column(w, n) for w in weights]
    total = np.zeros(n)
    for w in ws:
        total = total + w
    out = np.full(n, last, dtype=np.int64)
    open_ = total > 0
    safe = np.where(open_, total, 1.0)
    acc = np.zeros(n)
    for i, w in enumerate(ws):
        acc = acc + w / safe
        hit = open_ & (u < acc)
        out[hit] = i
        open_ &= ~hit
    return out


# ---------------------------------------------------------------- a batch of runs


class _Batch:
    def __init__(
        self,
        vs: VectorScenario,
        strategy: str,
        runs: int,
        avoid: frozenset[tuple[str, str]],
        max_decisions: int,
        draws: _FastDraws | _SeededDraws,
        scripts: Sequence[Sequence[str]] | None = None,
    ) -> None:
        if scripts is None and strategy not in STRATEGIES:
            raise ValueError(f"unknown strategy '{strategy}'; known: {', '.join(STRATEGIES)}")
        if scripts is not None:
            if not isinstance(draws, _SeededDraws) or len(scripts) != runs:
                raise ValueError("scripts need simulate_seeded and one script per seed")
            draws.scripts = scripts
        self.vs = vs
        self.strategy = strategy if scripts is None else "script"
        self.n = runs
        self.max_decisions = max_decisions
        self.draws = draws
        self.avoid = {
            i: np.array([(plan.node_id, cid) in avoid for cid in plan.ids])
            for i, plan in vs.plans.items()
        }
        self.x = np.zeros((runs, len(vs.names)))
        self.at = np.full(runs, vs.node_index[vs.scenario.start], dtype=np.int64)
        self.fired = np.zeros((runs, len(vs.interrupts)), dtype=bool)
        self.hist: list[tuple[Array, ...]] = []
        self.talk: list[tuple[Array, Array]] = []

    # ------------------------------------------------------------ setup

    def _begin(self) -> None:
        vs, x, n = self.vs, self.x, self.n
        for name, values in self.draws.persona(vs, n).items():
            x[:, vs.columns[name]] = values
        for name, var in vs.scenario.variables.items():
            col = vs.columns[name]
            init = var.initial
            if isinstance(var, NumberVar):
                v = _column(vs.expr.text(init)(x) if isinstance(init, str) else init, n)
                v = np.minimum(np.maximum(v, var.min), var.max)
                x[:, col] = np.rint(v) if var.type == "int" else v
            elif isinstance(var, BoolVar):
                x[:, col] = _column(vs.expr.text(init)(x) if isinstance(init, str) else init, n)
            else:
                assert isinstance(var, EnumVar)
                if init in var.values:
                    x[:, col] = vs.codes.code(init)
                else:
                    x[:, col] = _column(vs.expr.text(str(init))(x), n)
        for name, value in vs.place_state.items():
            x[:, vs.columns[name]] = (
                vs.codes.code(value) if vs.kinds[vs.columns[name]] == _CODE else float(value)
            )
        self._enter(np.arange(n))
        self._record_talk(np.arange(n))

    # ------------------------------------------------------------ the loop

    def run(self) -> list[SimRun]:
        with _results_gc():
            return self._run()

    def _run(self) -> list[SimRun]:
        self._begin()
        kind = self.vs.kind
        for step in range(self.max_decisions):
            live = np.flatnonzero(kind[self.at] == _DECISION)
            if not live.size:
                break
            nodes = self.at[live]
            order = _group_order(nodes)
            live, nodes = live[order], nodes[order]
            m = live.size
            # this step's decisions, aligned with ``live``
            hist = (
                live,
                nodes.copy(),  # node (-1: the run could not go on)
                np.zeros(m, dtype=np.int64),  # choice
                np.zeros(m, dtype=np.int64),  # places variant
                np.zeros(m, dtype=bool),  # timed out
                np.zeros(m, dtype=np.int64),  # available, as a bit mask
            )
            self.hist.append(hist)
            bounds = [0, *(np.flatnonzero(np.diff(nodes)) + 1).tolist(), m]
            for a, b in itertools.pairwise(bounds):
                self._decide(int(nodes[a]), live[a:b], step, hist, slice(a, b))
            self._enter(live)
            self._record_talk(live)
        return self._results()

    def _decide(
        self, node: int, rows: Array, step: int, hist: tuple[Array, ...], part: slice
    ) -> None:
        vs = self.vs
        plan = vs.plans[node]
        s = self.x[rows]
        m = rows.size
        k = len(plan.options)
        avail = np.ones((m, k), dtype=bool)
        for j, g in enumerate(plan.guards):
            if g is not None:
                avail[:, j] = _column(g(s), m, bool)
        keys = None
        if self.draws.exact or self.strategy not in ("random", "random_safe", "script"):
            # the Session draws an order at every decision it presents, whatever is picked
            keys = self.draws.order_keys(rows, plan, avail)
        pick, timed = self._pick(plan, rows, avail, step, keys)
        stuck = pick < 0
        hist[2][part] = pick
        hist[4][part] = timed
        hist[5][part] = avail.astype(np.int64) @ (np.int64(1) << np.arange(k, dtype=np.int64))
        nxt = np.empty(m, dtype=np.int64)
        variant = np.zeros(m, dtype=np.int64)
        for j in np.unique(pick[~stuck]).tolist():
            sel = np.flatnonzero(pick == j)
            sub = s[sel]
            nx, var = self._apply(plan.options[j], sub, rows[sel], step)
            s[sel] = sub
            nxt[sel] = nx
            variant[sel] = var
        if stuck.any():
            # no choice is available: the run cannot go on (the Session would refuse too)
            hist[1][part][stuck] = -1
            nxt[stuck] = -1
        hist[3][part] = variant
        self.x[rows] = s
        self.at[rows] = nxt

    def _pick(
        self, plan: _DecisionPlan, rows: Array, avail: Array, step: int, keys: Array | None
    ) -> tuple[Array, Array]:
        m = rows.size
        timed = np.zeros(m, dtype=bool)
        strategy = self.strategy
        if strategy == "script":
            pick = self.draws.script(rows, step, plan)
            bad = ~avail[np.arange(m), pick]
            if bad.any():
                r = int(rows[np.flatnonzero(bad)[0]])
                raise ValueError(
                    f"run {r}: '{plan.ids[pick[bad][0]]}' is not available at '{plan.node_id}'"
                )
            return pick, timed
        if strategy in ("random", "random_safe"):
            allowed = avail
            if strategy == "random_safe":
                safe = avail & ~self.avoid[plan.index]
                allowed = np.where(safe.any(axis=1)[:, None], safe, avail)
            count = allowed.sum(axis=1)
            nth = self.draws.pick(rows, count)
            if keys is None:  # any fixed order of the allowed options serves a uniform pick
                cum = np.cumsum(allowed, axis=1)
            else:  # the nth allowed option as shown, as a player picking from the screen
                shown = np.argsort(np.where(allowed, keys, np.inf), axis=1, kind="stable")
                cum = np.empty_like(allowed, dtype=np.int64)
                np.put_along_axis(
                    cum, shown, np.cumsum(np.take_along_axis(allowed, shown, axis=1), axis=1), 1
                )
            pick = np.argmax(allowed & (cum == (nth + 1)[:, None]), axis=1)
            return np.where(count > 0, pick, -1), timed
        assert keys is not None
        # shown position: pinned-first options lead, pinned-last ones close the list
        keys = keys + plan.pin * 1e9
        keys = np.where(avail, keys, np.inf)
        candidates = avail
        if strategy in ("longest", "shortest"):
            lengths = np.where(avail, plan.lengths, -1 if strategy == "longest" else 1 << 40)
            best = lengths.max(axis=1) if strategy == "longest" else lengths.min(axis=1)
            candidates = avail & (lengths == best[:, None])
        if strategy == "last":
            pick = np.argmax(np.where(avail, keys, -np.inf), axis=1)
        else:
            pick = np.argmin(np.where(candidates, keys, np.inf), axis=1)
        if strategy == "timeout" and plan.timeout_default is not None:
            d = plan.timeout_default
            ok = avail[:, d]
            pick = np.where(ok, d, pick)
            timed = ok.copy()
        return np.where(avail.any(axis=1), pick, -1), timed

    def _apply(self, o: _Option, s: Array, rows: Array, step: int) -> tuple[Array, Array]:
        """One choice for the rows that took it: the Session's ``_decide`` after the pick."""
        vs = self.vs
        m = rows.size
        placed = self._act(o, s) if o.places else None
        if o.steps is not None:
            self._react(o, s, rows, step)
        for effect in o.effects:
            effect(s)
        variant = np.zeros(m, dtype=np.int64)
        if placed is not None:
            variant, updates = placed
            for col, value, where in updates:
                if where is None:
                    s[:, col] = value
                else:
                    s[where, col] = value
            own = set(o.facts)
            for v in np.unique(variant).tolist():
                reacting = [
                    e
                    for f in _derived_facts(o.choice, vs, v)
                    if f not in own
                    for e in vs.reactions.get(f, ())
                ]
                if not reacting:
                    continue
                sel = np.flatnonzero(variant == v)
                sub = s[sel]
                for e in reacting:
                    e(sub)
                s[sel] = sub
        nxt = np.full(m, o.next, dtype=np.int64)
        if vs.interrupts:
            fired = self.fired[rows]
            pending = np.ones(m, dtype=bool)
            for i, (when, goto, once) in enumerate(vs.interrupts):
                can = pending & ~fired[:, i] if once else pending.copy()
                if not can.any():
                    continue
                hit = can & _column(when(s), m, bool)
                fired[hit, i] = True
                nxt[hit] = goto
                pending &= ~hit
            self.fired[rows] = fired
        return nxt, variant

    def _react(self, o: _Option, s: Array, rows: Array, step: int) -> None:
        vs = self.vs
        de = vs.de
        assert de is not None and o.steps is not None
        m = rows.size
        draw = self.draws.variation(rows, step)
        factor = 1.0 + de.config.variation * (2.0 * draw - 1.0)
        (ag_col, ag_lo, ag_hi, ag_int), (tr_col, tr_lo, tr_hi, tr_int) = vs.de_ranges
        full, half = o.steps
        if de.config.rapport_at is not None:
            premature = s[:, tr_col] < de.config.rapport_at
            rise, fall, gain, loss = (
                np.where(premature, b, a) for a, b in zip(full, half, strict=True)
            )
        else:
            rise, fall, gain, loss = (np.asarray(v) for v in full)
        volatility = np.maximum(0.0, _column(vs.de_vol(s), m))
        receptiveness = np.maximum(0.0, _column(vs.de_rec(s), m))
        d_ag = factor * (rise * volatility - fall * receptiveness)
        d_tr = factor * (gain * receptiveness - loss)
        for col, lo, hi, integer, delta in (
            (ag_col, ag_lo, ag_hi, ag_int, d_ag),
            (tr_col, tr_lo, tr_hi, tr_int, d_tr),
        ):
            value = np.minimum(np.maximum(s[:, col] + delta, lo), hi)
            s[:, col] = np.rint(value) if integer else round4(value)

    # ------------------------------------------------------------ places

    def _act(self, o: _Option, s: Array) -> tuple[Array, list[tuple[int, float, Array | None]]]:
        """``places.act`` for a block of rows, from the state before the choice."""
        vs = self.vs
        p = vs.places
        assert p is not None
        m = s.shape[0]
        c = o.choice
        variant = np.zeros(m, dtype=np.int64)
        task = (c.partner or PartnerTask.COVER).value
        updates: list[tuple[int, float, Array | None]] = [
            (vs.task_col, float(vs.codes.code(task)), None)
        ]
        here = s[:, vs.loc_col].astype(np.int64)
        danger = np.zeros(m, dtype=bool)
        for _, item, seen_col, _, present in vs.items:
            if item.kind is ItemKind.WEAPON:
                danger |= (s[:, seen_col] != 0) & _holds(present, s)
        location: Any = None
        if c.search is not None:
            room = p.rooms[c.search]
            if room.control is Control.THIRD_PARTY and room.consent is not None:
                consent = vs.consent[c.search]
                assert consent is not None
                variant |= np.where(_column(consent(s), m, bool), _CONSENTED, 0)
            for _, item, seen_col, found_col, present in vs.items:
                if item.place == c.search:
                    there = _holds(present, s)
                    updates.append((seen_col, 1.0, there))
                    updates.append((found_col, 1.0, there))
            location = c.search
        target = c.look_from or c.move_to
        if target is not None:
            lawful = _holds(vs.lawful[target], s)
            variant |= np.where(lawful, 0, _UNLAWFUL)
            location = target
            if c.look_from is not None:
                sight = {target, *p.rooms[target].sees}
                new_item = np.zeros(m, dtype=bool)
                for _, person, seen_col, present in vs.people:
                    if person.place in sight:
                        there = _holds(present, s)
                        updates.append((seen_col, 1.0, there))
                for _, item, seen_col, _, present in vs.items:
                    if item.place in sight and not item.hidden:
                        there = _holds(present, s)
                        new_item |= there & (s[:, seen_col] == 0)
                        updates.append((seen_col, 1.0, there))
                variant |= np.where(lawful & new_item, _PLAIN_VIEW, 0)
        if location is not None:
            updates.append((vs.loc_col, float(vs.room_code[location]), None))
            after_off = np.full(m, p.rooms[location].off_premises)
        else:
            after_off = vs.off_premises[here]
        here_off = vs.off_premises[here]
        variant |= np.where(danger & ~after_off, _STAYED, 0)
        variant |= np.where(danger & after_off & ~here_off, _WITHDREW, 0)
        return variant, updates

    def _notice(self, rows: Array) -> None:
        """``places.on_decision`` for runs just put to a decision."""
        vs = self.vs
        p = vs.places
        if p is None or not rows.size:
            return
        s = self.x[rows]
        here = s[:, vs.loc_col].astype(np.int64)
        covering = (
            vs.covering_codes[s[:, vs.task_col].astype(np.int64)]
            if p.partner
            else np.zeros(rows.size, dtype=bool)
        )
        changed = False
        for _, item, seen_col, _, present in vs.items:
            if item.hidden:
                continue
            watch = (
                np.ones(rows.size, dtype=bool)
                if item.obvious
                else covering
                if item.kind is ItemKind.WEAPON
                else None
            )
            if watch is None:
                continue
            hit = watch & vs.sight[item.place][here] & (s[:, seen_col] == 0)
            if hit.any():
                hit &= _holds(present, s)
                s[hit, seen_col] = 1.0
                changed = True
        if changed:
            self.x[rows] = s

    # ------------------------------------------------------------ auto nodes

    def _enter(self, rows: Array) -> None:
        """Follow narration and chance nodes until each run waits at a decision or ended."""
        vs = self.vs
        rows = rows[self.at[rows] >= 0]
        for _ in range(100_000):
            if not rows.size:
                return
            kinds = vs.kind[self.at[rows]]
            if vs.places is not None:
                self._notice(rows[kinds == _DECISION])
            rows = rows[(kinds == _NARRATION) | (kinds == _CHANCE)]
            if not rows.size:
                return
            nodes = self.at[rows]
            order = _group_order(nodes)
            rows, nodes = rows[order], nodes[order]
            for group in np.split(rows, np.flatnonzero(np.diff(nodes)) + 1):
                node = int(self.at[group[0]])
                if vs.kind[node] == _NARRATION:
                    self.at[group] = vs.narration_next[node]
                    continue
                weights, nexts = vs.chance[node]
                s = self.x[group]
                ws = [np.maximum(0.0, _column(w(s), group.size)) for w in weights]
                self.at[group] = nexts[_weighted(ws, self.draws.chance(group))]
        raise VectorUnsupported("the scenario loops through narration/chance nodes forever")

    def _record_talk(self, rows: Array) -> None:
        cols = self.vs.talk_columns
        if cols is None:
            return
        t = np.zeros((rows.size, 3))
        for k, col in enumerate(cols):
            if col >= 0:
                t[:, k] = self.x[rows, col]
        self.talk.append((rows, t))

    # ------------------------------------------------------------ results

    def _results(self) -> list[SimRun]:
        vs, n = self.vs, self.n
        made: list[DecisionRecord] = []  # every distinct record, once
        runs_of: list[Array] = []  # per step: the runs that decided, and their records
        ids_of: list[Array] = []
        for i, (live, node, choice, variant, timed, avail) in enumerate(self.hist):
            active = np.flatnonzero(node >= 0)
            if not active.size:
                continue
            # one small integer per distinct record: the masks ranked, then packed with the rest
            masks, mask_rank = np.unique(avail[active], return_inverse=True)
            small = ((node[active] * 64 + choice[active]) * 32 + variant[active]) * 2 + timed[
                active
            ]
            keys, inverse = np.unique(small * masks.size + mask_rank, return_inverse=True)
            small_u, rank_u = np.divmod(keys, masks.size)
            rest, ti_u = np.divmod(small_u, 2)
            rest, va_u = np.divmod(rest, 32)
            nd_u, ch_u = np.divmod(rest, 64)
            uniq = zip(
                nd_u.tolist(),
                ch_u.tolist(),
                va_u.tolist(),
                ti_u.tolist(),
                masks[rank_u].tolist(),
                strict=True,
            )
            runs_of.append(live[active])
            ids_of.append(inverse.reshape(-1) + len(made))
            for nd, ch, va, ti, av in uniq:
                plan = vs.plans[nd]
                made.append(
                    DecisionRecord(
                        plan.node_id,
                        plan.ids[ch],
                        vs.facts_of(nd, ch, va),
                        bool(ti),
                        tuple(cid for b, cid in enumerate(plan.ids) if av >> b & 1),
                        0.0,
                        i,
                    )
                )
        values = self._decoded()
        names = vs.names
        endings: dict[int, tuple[str, str, str]] = {
            i: (vs.node_ids[i], t.outcome.value, t.title) for i, t in vs.terminal.items()
        }
        talk = self._talk_points()
        # every run's records in step order, as one flat list cut at each run's end
        order, cuts = _by_run(
            np.concatenate(runs_of) if runs_of else np.zeros(0, dtype=np.int64), n
        )
        flat = np.concatenate(ids_of)[order].tolist() if ids_of else []
        record = made.__getitem__
        decisions = [tuple(map(record, flat[a:b])) for a, b in cuts]
        final_vars = [dict(zip(names, vals, strict=True)) for vals in values]
        ending = [
            {"id": e[0], "outcome": e[1], "title": e[2]} if (e := endings.get(at)) else None
            for at in self.at.tolist()
        ]
        return list(map(SimRun, decisions, final_vars, ending, talk))

    def _decoded(self) -> list[tuple[Any, ...]]:
        vs = self.vs
        cols: list[list[Any]] = []
        for j, kind in enumerate(vs.kinds):
            col = self.x[:, j]
            if kind == _NUM:
                cols.append(col.tolist())
            elif kind == _INT:
                cols.append(col.astype(np.int64).tolist())
            elif kind == _BOOL:
                cols.append((col != 0).tolist())
            else:
                table = vs.codes.values
                cols.append([table[c] for c in col.astype(np.int64).tolist()])
        return list(zip(*cols, strict=True)) if cols else [() for _ in range(self.n)]

    def _talk_points(self) -> list[tuple[ClientState, ...]]:
        if not self.talk:
            return [() for _ in range(self.n)]
        order, cuts = _by_run(np.concatenate([r for r, _ in self.talk]), self.n)
        values = np.concatenate([t for _, t in self.talk])[order]
        states = list(map(ClientState, *(values[:, k].tolist() for k in range(3))))
        return [tuple(states[a:b]) for a, b in cuts]


@contextmanager
def _results_gc() -> Iterator[None]:
    """Build a batch's results without the collector, then file them as old objects.

    A batch makes hundreds of thousands of small acyclic objects (records, variable
    dicts, client states) that the caller keeps. Left young, the collector's next pass
    walks every one of them (a quarter of the whole batch's time); ``freeze`` then
    ``unfreeze`` moves everything tracked to the oldest generation at once, which is
    where surviving objects end up anyway. Nothing is lost: any garbage among them is
    still found by the next full collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _by_run(rows: Array, n: int) -> tuple[Array, list[tuple[int, int]]]:
    """For items listed step by step with the run each belongs to: the order that lists
    them run by run (steps kept in order), and each run's slice of that order."""
    counts = np.bincount(rows, minlength=n)
    ends = np.cumsum(counts)
    return _group_order(rows), list(zip((ends - counts).tolist(), ends.tolist(), strict=True))


def _group_order(nodes: Array) -> Array:
    """A stable order that groups runs by node (16-bit keys sort by radix, in linear time)."""
    if nodes.size and int(nodes.max()) < 2**15:
        return np.argsort(nodes.astype(np.int16), kind="stable")
    return np.argsort(nodes, kind="stable")


def _holds(present: Vec | None, s: Array) -> Array:
    if present is None:
        return np.ones(s.shape[0], dtype=bool)
    return _column(present(s), s.shape[0], bool)
