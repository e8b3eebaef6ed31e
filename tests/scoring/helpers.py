"""Helpers the scoring tests share: the model pack, fixture scenarios, scripted runs."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

from engine.compile import compile_scenario
from engine.loader import ScenarioFile, load_scenario, load_scenario_text
from engine.session import Session
from scoring.pack import PolicyPack, default_pack_path, load_pack
from tests.clirun import cli as run_cli

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PACK_DIR = ROOT / "scenarios" / "policy"


@cache
def model_pack() -> PolicyPack:
    return load_pack(default_pack_path())


def fixture(name: str) -> ScenarioFile:
    return load_scenario(FIXTURES / f"{name}.yaml")


def play(sf: ScenarioFile, choices: list[str], seed: int = 1) -> Session:
    """Run ``choices`` in order ('timeout' lets the clock run out) with a frozen clock."""
    session = Session.start(compile_scenario(sf), seed, clock=lambda: 0.0, wall_clock=False)
    for c in choices:
        if c == "timeout":
            session.time_out()
        else:
            session.choose(c)
    return session


def scenario_text(nodes: str, *, family: str = "home_visit", variables: str = "") -> str:
    """A complete scenario whose ``nodes:`` block is ``nodes`` (indented two spaces)."""
    head = f"""schema_version: 1
id: score-inline
version: "1.0.0"
title: Inline test scenario
family: {family}
difficulty: introductory
estimated_minutes: 3
policy_pack: model-state-parole
summary: Written inside a test.
objectives: [Make a decision.]
setting: living_room
case_file:
  person: {{name: Rosa Delgado, age: 38}}
  offence: Theft
  release_date: "2026-02-02"
  risk_level: moderate
  assessment: {{instrument: MSDP Field Risk Screen}}
  conditions:
    standard:
      - {{id: report, text: Report as directed.}}
"""
    if variables:
        head += "variables:\n" + variables
    return head + "start: d1\nnodes:\n" + nodes


def inline(nodes: str, **kw: str) -> ScenarioFile:
    return load_scenario_text(scenario_text(nodes, **kw), "inline.yaml")


def copy_pack(tmp: Path) -> Path:
    """A private copy of the model pack (main file and rule files) to edit in a test."""
    dest = tmp / "policy"
    shutil.copytree(PACK_DIR, dest)
    return dest / "model-state-parole.yaml"


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` once in ``path``; return the 1-based line where ``new`` starts."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    index = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:index].count("\n") + 1


def line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd)
