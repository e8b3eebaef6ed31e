"""Small helpers the engine tests share."""

from __future__ import annotations

from pathlib import Path

from engine.compile import CompiledScenario, compile_scenario
from engine.loader import load_scenario

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios"


def compiled(name: str) -> CompiledScenario:
    return compile_scenario(load_scenario(FIXTURES / f"{name}.yaml"))
