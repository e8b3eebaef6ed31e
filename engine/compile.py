"""Compile a checked scenario into one shared ``transitions`` machine plus closures.

One machine serves every session of a scenario version (cached by content
hash). Sessions are light models: the machine's events are triggered with the
session's model directly, so no per-session ``add_model`` binding is paid.
Guards are evaluated once per decision by the session (it needs the list of
available choices anyway, for the trainee and for the debrief's "better
choice"), and effects are applied right after the machine moves, so each
choice costs one plain trigger plus the closures it really needs.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from transitions import Machine

from engine.expr import Evaluator, compile_expr, parse, parse_effect
from engine.loader import ScenarioFile
from engine.mechanics import deescalation, intake
from engine.mechanics.client import merged_reactions
from engine.model import (
    BoolVar,
    Chance,
    Choice,
    ChoiceDraw,
    Decision,
    EnumVar,
    FlagDraw,
    IntegerDraw,
    Narration,
    NormalDraw,
    NumberVar,
    Scenario,
    UniformDraw,
)
from engine.yamlload import paused_gc

Apply = Callable[[dict[str, Any]], None]


def make_effect(
    target: str,
    op: str,
    value: Evaluator,
    low: float | None = None,
    high: float | None = None,
    integer: bool = False,
) -> Apply:
    """A closure that applies one effect; numbers are clamped to the declared range."""
    if low is None or high is None:

        def assign(env: dict[str, Any]) -> None:
            env[target] = value(env)

        return assign
    lo, hi = low, high
    sign = 1 if op == "+=" else -1 if op == "-=" else 0

    def numeric(env: dict[str, Any]) -> None:
        v = value(env)
        if sign:
            v = env[target] + sign * v
        # NaN (say inf - inf after huge products) counts as the minimum: never a crash
        v = lo if v != v or v < lo else hi if v > hi else v
        env[target] = round(v) if integer else float(v)

    return numeric


@dataclass
class CompiledScenario:
    """Everything a session needs, built once per scenario version."""

    file: ScenarioFile
    machine: Machine
    guards: dict[tuple[str, str], Evaluator] = field(default_factory=dict)
    effects: dict[tuple[str, str], tuple[Apply, ...]] = field(default_factory=dict)
    options: dict[str, tuple[Option, ...]] = field(default_factory=dict)
    weights: dict[str, tuple[Evaluator, ...]] = field(default_factory=dict)
    initial: tuple[tuple[str, Evaluator], ...] = ()
    conditions: dict[str, Evaluator] = field(default_factory=dict)
    interrupts: tuple[tuple[str, Evaluator, bool], ...] = ()
    reactions: dict[str, tuple[Apply, ...]] = field(default_factory=dict)
    deescalation: deescalation.Deescalator | None = None
    intake: intake.Intake | None = None

    def holds(self, condition: str | None, env: dict[str, Any]) -> bool:
        """Whether a line's or interrupt's ``when`` holds (no condition always holds)."""
        return condition is None or bool(self.conditions[condition](env))

    @property
    def scenario(self) -> Scenario:
        return self.file.scenario

    @property
    def hash(self) -> str:
        return self.file.hash

    def trigger(self, name: str, model: object) -> bool:
        result: bool = self.machine.events[name].trigger(model)
        return result


@dataclass(frozen=True)
class Option:
    """One choice of a decision, ready to run: its guard, effects and machine event."""

    choice: Choice
    guard: Evaluator | None
    effects: tuple[Apply, ...]
    facts: tuple[str, ...]
    event: Any  # the transitions Event this choice triggers


class SessionModel:
    """The per-session object the shared machine moves between states."""

    __slots__ = ("env", "state")

    def __init__(self, state: str, env: dict[str, Any]) -> None:
        self.state = state
        self.env = env


def choice_trigger(node_id: str, choice_id: str) -> str:
    return f"{node_id}:{choice_id}"


def _const(value: Any) -> Evaluator:
    return lambda env: value


def _effect(scenario: Scenario, text: str) -> Apply:
    a = parse_effect(text)
    var = scenario.variables[a.target]
    if isinstance(var, NumberVar):
        return make_effect(
            a.target, a.op, compile_expr(a.value), var.min, var.max, var.type == "int"
        )
    return make_effect(a.target, a.op, compile_expr(a.value))


def _initial(name: str, var: Any) -> Evaluator:
    init = var.initial
    if isinstance(var, NumberVar):
        fn = compile_expr(parse(init)) if isinstance(init, str) else _const(init)
        lo, hi, integer = var.min, var.max, var.type == "int"

        def bounded(env: Any) -> Any:
            v = fn(env)
            v = lo if v != v else min(max(v, lo), hi)  # NaN counts as the minimum
            return round(v) if integer else float(v)

        return bounded
    if isinstance(var, BoolVar):
        return compile_expr(parse(init)) if isinstance(init, str) else _const(init)
    assert isinstance(var, EnumVar)
    if init in var.values:
        return _const(init)
    return compile_expr(parse(init))  # an enum variable seeded from a persona value


def build(sf: ScenarioFile) -> CompiledScenario:
    s = sf.scenario
    machine = Machine(
        model=None,
        states=list(s.nodes),
        initial=s.start,
        auto_transitions=False,
        send_event=True,
        ignore_invalid_triggers=False,
    )
    compiled = CompiledScenario(file=sf, machine=machine)
    compiled.deescalation = deescalation.build(s)
    compiled.intake = intake.build(s, sf.path)
    reactions = compiled.reactions = {
        fact: tuple(_effect(s, e) for e in effects) for fact, effects in merged_reactions(s).items()
    }

    def condition(text: str | None) -> None:
        if text is not None and text not in compiled.conditions:
            compiled.conditions[text] = compile_expr(parse(text))

    for intr in s.interrupts:
        condition(intr.when)
        machine.add_transition(f"interrupt:{intr.id}", "*", intr.goto)
    compiled.interrupts = tuple((i.id, compiled.conditions[i.when], i.once) for i in s.interrupts)
    for nid, node in s.nodes.items():
        for line in node.lines:
            condition(line.when)
        if isinstance(node, Narration):
            machine.add_transition(f"{nid}:next", nid, node.next)
        elif isinstance(node, Decision):
            options = []
            for choice in node.choices:
                key = (nid, choice.id)
                guard = None
                if choice.guard is not None:
                    guard = compiled.guards[key] = compile_expr(parse(choice.guard))
                for line in choice.reply:
                    condition(line.when)
                reacted = tuple(e for fact in choice.facts for e in reactions.get(fact, ()))
                effects = reacted + tuple(_effect(s, e) for e in choice.effects)
                if effects:
                    compiled.effects[key] = effects
                trigger = choice_trigger(nid, choice.id)
                machine.add_transition(trigger, nid, choice.next)
                options.append(
                    Option(choice, guard, effects, tuple(choice.facts), machine.events[trigger])
                )
            compiled.options[nid] = tuple(options)
        elif isinstance(node, Chance):
            weights = []
            for i, outcome in enumerate(node.outcomes):
                w = outcome.weight
                weights.append(compile_expr(parse(w)) if isinstance(w, str) else _const(w))
                machine.add_transition(f"{nid}:{i}", nid, outcome.next)
            compiled.weights[nid] = tuple(weights)
    compiled.initial = tuple((name, _initial(name, v)) for name, v in s.variables.items())
    return compiled


_CACHE: dict[tuple[str, str], CompiledScenario] = {}
_LOCK = threading.Lock()


def compile_scenario(sf: ScenarioFile) -> CompiledScenario:
    """The compiled form of a scenario version, built once and shared.

    Keyed by content hash and file path: a log names the file its scenario came from,
    so the same text read from another path (a copy, a relative path) gets its own entry.
    """
    key = (sf.hash, str(sf.path))
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is None:
            with paused_gc():
                hit = _CACHE[key] = build(sf)
        return hit


def draw_persona(scenario: Scenario, rng: Any) -> dict[str, Any]:
    """Draw persona values in declared order from uniform doubles (stable across numpy versions)."""
    out: dict[str, Any] = {}
    for name, d in scenario.persona.items():
        u = float(rng.random())
        if isinstance(d, UniformDraw):
            out[name] = round(d.low + u * (d.high - d.low), 4)
        elif isinstance(d, NormalDraw):
            u2 = float(rng.random())
            z = math.sqrt(-2.0 * math.log(1.0 - u)) * math.cos(2.0 * math.pi * u2)
            out[name] = round(min(max(d.mean + d.sd * z, d.low), d.high), 4)
        elif isinstance(d, IntegerDraw):
            out[name] = min(d.low + int(u * (d.high - d.low + 1)), d.high)
        elif isinstance(d, ChoiceDraw):
            out[name] = pick_weighted(list(d.options.items()), u)
        else:
            assert isinstance(d, FlagDraw)
            out[name] = u < d.p
    return out


def pick_weighted(options: list[tuple[str, float]], u: float) -> str:
    total = sum(max(0.0, w) for _, w in options)
    if total <= 0:
        return options[-1][0]
    acc = 0.0
    for key, w in options:
        acc += max(0.0, w) / total
        if u < acc:
            return key
    return options[-1][0]
