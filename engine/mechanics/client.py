"""The client model: how a person's talk responds to the officer's MI behaviour.

A motivational interviewing scenario declares ``client:`` (readiness,
ambivalence, reactivity and starting discord, each a number or an expression
over persona values). This module then

* declares the talk variables every conversation shares (``change_talk``,
  ``sustain_talk``, ``discord``, each 0-10) and the profile values as
  ``client_readiness``, ``client_ambivalence`` and ``client_reactivity`` (0-1),
  unless the author declared a variable of that name;
* supplies standard reactions to the MITI 4.2.1 behaviour facts, merged into
  the scenario's reactions when it is compiled (``client.reactions`` replaces
  the standard reaction for a fact; the scenario's own ``reactions`` are
  applied after it).

The reactions follow what the MI literature describes: a complex reflection of
ambivalence invites change talk, more so from a ready or torn person;
confrontation and unasked persuasion provoke sustain talk and discord (the
"righting reflex"), more so from a reactive person; emphasising autonomy and
asking permission lower discord; discord damps what good listening can evoke.
Everything is an ordinary effect expression, so runs stay deterministic and
replay exactly: the seeded variation comes from the persona values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from engine.expr import ExprError, interval, parse
from engine.model import ClientProfile, Decision, NumberVar, Scenario
from engine.names import persona_names
from engine.problems import Severity
from engine.yamlload import PathKey

CHANGE_TALK = "change_talk"
SUSTAIN_TALK = "sustain_talk"
DISCORD = "discord"
READINESS = "client_readiness"
AMBIVALENCE = "client_ambivalence"
REACTIVITY = "client_reactivity"
TALK = (CHANGE_TALK, SUSTAIN_TALK, DISCORD)
PROFILE = (READINESS, AMBIVALENCE, REACTIVITY)
VARIABLES = (*PROFILE, *TALK)

# How much good listening is damped by discord: at discord 10 gains are halved.
_OPEN = "(1 - discord / 20)"

STANDARD_REACTIONS: dict[str, tuple[str, ...]] = {
    "complex_reflection": (
        f"change_talk += (0.6 + 0.8 * client_readiness + 0.4 * client_ambivalence) * {_OPEN}",
        "sustain_talk -= 0.5 + 0.5 * client_ambivalence",
        "discord -= 1",
    ),
    "simple_reflection": (
        f"change_talk += (0.3 + 0.4 * client_readiness) * {_OPEN}",
        "discord -= 0.5",
    ),
    "affirm": (
        f"change_talk += (0.3 + 0.5 * client_readiness) * {_OPEN}",
        "discord -= 0.5",
    ),
    "seeking_collaboration": (
        f"change_talk += (0.4 + 0.4 * client_readiness) * {_OPEN}",
        "discord -= 1",
    ),
    "emphasizing_autonomy": (
        "sustain_talk -= 0.5",
        "discord -= 1 + client_reactivity",
    ),
    "question": (
        f"change_talk += 0.4 * client_readiness * {_OPEN}",
        "sustain_talk += 0.4 * client_ambivalence * (1 - client_readiness)",
    ),
    "question_open": (
        f"change_talk += 0.4 * client_readiness * {_OPEN}",
        "sustain_talk += 0.4 * client_ambivalence * (1 - client_readiness)",
    ),
    "question_closed": ("sustain_talk += 0.3 * client_ambivalence",),
    "giving_information": ("change_talk += 0.2 * client_readiness",),
    "persuade_with_permission": (
        "change_talk += 0.3 * client_readiness",
        "sustain_talk += 0.2 * client_ambivalence",
    ),
    "persuade": (
        "sustain_talk += 0.8 + client_ambivalence",
        "change_talk -= 0.5",
        "discord += 0.5 + client_reactivity",
    ),
    "confront": (
        "sustain_talk += 1 + client_ambivalence",
        "change_talk -= 1",
        "discord += 1.5 + 2 * client_reactivity",
    ),
    "labelling_language": (
        "change_talk -= 0.5",
        "discord += 1 + client_reactivity",
    ),
}


@dataclass(frozen=True)
class ClientState:
    """The client's talk at one moment (each 0-10)."""

    change_talk: float
    sustain_talk: float
    discord: float

    @property
    def balance(self) -> float:
        """Change talk minus sustain talk: above zero the person argues for change."""
        return self.change_talk - self.sustain_talk


def state_of(env: Mapping[str, Any]) -> ClientState:
    return ClientState(
        float(env.get(CHANGE_TALK, 0.0)),
        float(env.get(SUSTAIN_TALK, 0.0)),
        float(env.get(DISCORD, 0.0)),
    )


def _text(value: float | str) -> str:
    return f"({value})" if isinstance(value, str) else repr(float(value))


def client_variables(profile: ClientProfile) -> dict[str, NumberVar]:
    """The variables the client model declares, with initial values from the profile."""
    r, a = f"clamp({_text(profile.readiness)}, 0, 1)", f"clamp({_text(profile.ambivalence)}, 0, 1)"

    def var(low: float, high: float, initial: str, description: str) -> NumberVar:
        return NumberVar(type="number", min=low, max=high, initial=initial, description=description)

    return {
        READINESS: var(0, 1, _text(profile.readiness), "client model: readiness to change"),
        AMBIVALENCE: var(0, 1, _text(profile.ambivalence), "client model: ambivalence"),
        REACTIVITY: var(0, 1, _text(profile.reactivity), "client model: reactivity"),
        CHANGE_TALK: var(0, 10, f"1 + 4 * {r}", "client model: change talk"),
        SUSTAIN_TALK: var(0, 10, f"1 + 3 * {a} + 3 * (1 - {r})", "client model: sustain talk"),
        DISCORD: var(0, 10, _text(profile.discord), "client model: discord"),
    }


def with_client(scenario: Scenario) -> Scenario:
    """The scenario with the client model's variables declared (author declarations win)."""
    if scenario.client is None:
        return scenario
    added = {
        name: var
        for name, var in client_variables(scenario.client).items()
        if name not in scenario.variables and name not in scenario.persona
    }
    if not added:
        return scenario
    return scenario.model_copy(update={"variables": {**scenario.variables, **added}})


def client_reactions(scenario: Scenario) -> dict[str, list[str]]:
    """The client model's reactions: the standard ones, with the profile's replacements."""
    if scenario.client is None:
        return {}
    out = {fact: list(effects) for fact, effects in STANDARD_REACTIONS.items()}
    out.update({fact: list(effects) for fact, effects in scenario.client.reactions.items()})
    return out


def merged_reactions(scenario: Scenario) -> dict[str, list[str]]:
    """Every reaction the compiled scenario applies: the client's first, then the scenario's."""
    out = client_reactions(scenario)
    for fact, effects in scenario.reactions.items():
        out[fact] = [*out.get(fact, []), *effects]
    return out


# ---------------------------------------------------------------- lint


class Checker(Protocol):
    """The part of the engine's lint checker the client checks use."""

    def add(self, path: PathKey, message: str, severity: Severity = Severity.ERROR) -> None: ...

    def expr(self, path: PathKey, text: str, want: str, names: Any = None) -> bool: ...

    def effect(self, path: PathKey, text: str) -> None: ...


_RANGES = {"readiness": (0.0, 1.0), "ambivalence": (0.0, 1.0), "reactivity": (0.0, 1.0)}


def check_client(c: Checker, scenario: Scenario, declared: set[str]) -> None:
    """Lint the ``client:`` profile; ``declared`` are the variables written in the file."""
    profile = scenario.client
    if profile is None:
        return
    persona = persona_names(scenario)
    if profile.speaker not in scenario.cast:
        known = ", ".join(scenario.cast) or "none"
        c.add(
            ("client", "speaker"),
            f"speaker '{profile.speaker}' is not in the cast (known: {known})",
        )
    ranges = {**_RANGES, "discord": (0.0, 10.0)}
    for key, (low, high) in ranges.items():
        value = getattr(profile, key)
        path: PathKey = ("client", key)
        if isinstance(value, str):
            if not c.expr(path, value, "number", persona):
                continue
            try:
                lo, hi = interval(parse(value), persona)
            except ExprError:
                continue
        else:
            lo = hi = float(value)
        if lo < low or hi > high:
            c.add(
                path,
                f"{key} can fall outside {low:g}..{high:g} (it can be {lo:g}..{hi:g}); "
                "it will be clamped",
                Severity.WARNING,
            )
    for name in VARIABLES:
        if name in scenario.persona:
            c.add(
                ("persona", name),
                f"'{name}' is a client-model variable; rename this persona value",
            )
        elif name in declared and not isinstance(scenario.variables.get(name), NumberVar):
            c.add(
                ("variables", name),
                f"'{name}' is a client-model variable and must be a number (0-10 for talk)",
            )
    for fact, effects in profile.reactions.items():
        for j, effect in enumerate(effects):
            c.effect(("client", "reactions", fact, j), effect)
    reacting = set(client_reactions(scenario))
    used = {
        f
        for node in scenario.nodes.values()
        if isinstance(node, Decision)
        for choice in node.choices
        for f in choice.facts
    }
    if not used & reacting:
        c.add(
            ("client",),
            "no choice carries a fact the client reacts to (MITI behaviour facts such as "
            "complex_reflection or confront), so the client's talk never changes",
            Severity.WARNING,
        )
