"""The scenario library: where scenarios live and how to find one by id or path."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from engine.lint import scenario_files
from engine.loader import ScenarioFile, load_scenario
from engine.problems import ContentError, Problem

ENV_VAR = "PAROLESIM_SCENARIOS"


def scenarios_root() -> Path:
    """``$PAROLESIM_SCENARIOS``, else the project's ``scenarios/``, else ``./scenarios``."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    bundled = Path(__file__).resolve().parent.parent / "scenarios"
    if bundled.is_dir():
        return bundled
    return Path.cwd() / "scenarios"


@dataclass(frozen=True)
class Library:
    scenarios: tuple[ScenarioFile, ...]
    problems: tuple[Problem, ...]

    def by_id(self, scenario_id: str) -> ScenarioFile | None:
        return next((sf for sf in self.scenarios if sf.scenario.id == scenario_id), None)


def discover(root: str | Path | None = None) -> Library:
    """Load every scenario under ``root``; files that fail to load are reported, not fatal."""
    files, problems = scenario_files([root or scenarios_root()])
    found: list[ScenarioFile] = []
    for f in files:
        try:
            found.append(load_scenario(f))
        except ContentError as exc:
            problems.extend(exc.problems)
    found.sort(key=lambda sf: (sf.scenario.family, sf.scenario.id))
    return Library(tuple(found), tuple(problems))


def find(id_or_path: str, root: str | Path | None = None) -> ScenarioFile:
    """A scenario by file path or by id in the library; ContentError names what is known."""
    p = Path(id_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        return load_scenario(p)
    lib = discover(root)
    sf = lib.by_id(id_or_path)
    if sf is None:
        known = ", ".join(s.scenario.id for s in lib.scenarios) or "none"
        raise ContentError(
            [Problem(id_or_path, 1, "", f"no scenario with id '{id_or_path}' (known: {known})")]
        )
    return sf
