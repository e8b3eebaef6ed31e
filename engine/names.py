"""The names a scenario's expressions may use: persona values and declared variables."""

from __future__ import annotations

from engine.expr import NameInfo
from engine.mechanics.caseload import caseload_names
from engine.mechanics.intake import intake_names
from engine.mechanics.places import place_names
from engine.model import (
    BoolVar,
    ChoiceDraw,
    EnumVar,
    FlagDraw,
    IntegerDraw,
    NormalDraw,
    NumberVar,
    PersonaDraw,
    Scenario,
    UniformDraw,
    Variable,
)


def persona_info(draw: PersonaDraw) -> NameInfo:
    if isinstance(draw, UniformDraw | NormalDraw):
        return NameInfo("number", draw.low, draw.high)
    if isinstance(draw, IntegerDraw):
        return NameInfo("number", draw.low, draw.high, integer=True)
    if isinstance(draw, ChoiceDraw):
        return NameInfo("string", values=tuple(draw.options))
    assert isinstance(draw, FlagDraw)
    return NameInfo("bool")


def variable_info(var: Variable) -> NameInfo:
    if isinstance(var, NumberVar):
        return NameInfo("number", var.min, var.max, integer=var.type == "int")
    if isinstance(var, EnumVar):
        return NameInfo("string", values=tuple(var.values))
    assert isinstance(var, BoolVar)
    return NameInfo("bool")


def persona_names(scenario: Scenario) -> dict[str, NameInfo]:
    return {name: persona_info(d) for name, d in scenario.persona.items()}


def all_names(scenario: Scenario) -> dict[str, NameInfo]:
    """Persona values, variables and the names a ``places:`` block adds (``officer_at``,
    ``seen_x``, ``found_x``) and an ``intake:`` block adds (``key_x``, ``rated_x``, totals and
    levels); later ones win on a clash, which lint reports."""
    names = persona_names(scenario)
    names.update({name: variable_info(v) for name, v in scenario.variables.items()})
    names.update(place_names(scenario.places))
    names.update(intake_names(scenario))
    names.update(caseload_names(scenario.caseload))
    return names
