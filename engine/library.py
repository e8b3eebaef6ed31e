"""The scenario library: where scenarios live and how to find one by id or path."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from engine.lint import scenario_files
from engine.loader import ScenarioFile, load_scenario
from engine.problems import ContentError, Problem, unexpected
from engine.resources import bundled_scenarios

ENV_VAR = "PAROLESIM_SCENARIOS"


def scenarios_root() -> Path:
    """``$PAROLESIM_SCENARIOS``, else the bundled library, else ``./scenarios``."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    bundled = bundled_scenarios()
    if bundled is not None:
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
        except Exception as exc:  # one hostile file never hides the others
            problems.append(unexpected(str(f), exc))
    found.sort(key=lambda sf: (sf.scenario.family, sf.scenario.id))
    return Library(tuple(found), tuple(problems))


def _file_named(scenario_id: str, root: Path) -> ScenarioFile | None:
    """The scenario in ``root/**/ID.yaml`` when that file has this id (the library's habit).

    Loading one file instead of the whole library makes ``run ID`` start quickly;
    when no file is so named, or it holds another id, the caller searches them all.
    A broken file of that name is reported with its own problems.
    """
    if not scenario_id or "/" in scenario_id or scenario_id.startswith("."):
        return None
    for candidate in sorted(root.rglob(f"{scenario_id}.y*ml")) if root.is_dir() else []:
        try:
            sf = load_scenario(candidate)
        except ContentError:
            raise  # the file named after the id is broken: say why, not "unknown id"
        except Exception as exc:
            raise ContentError([unexpected(str(candidate), exc)]) from None
        if sf.scenario.id == scenario_id:
            return sf
    return None


def find(id_or_path: str, root: str | Path | None = None) -> ScenarioFile:
    """A scenario by file path or by id in the library; ContentError names what is known."""
    p = Path(id_or_path)
    if p.is_dir():
        raise ContentError(
            [
                Problem(
                    id_or_path,
                    0,
                    "",
                    "is a folder; name one scenario file in it or a scenario id "
                    "(see 'parolesim list')",
                )
            ]
        )
    if p.suffix in (".yaml", ".yml") or p.exists():
        try:
            return load_scenario(p)
        except ContentError:
            raise
        except Exception as exc:
            raise ContentError([unexpected(id_or_path, exc)]) from None
    named = _file_named(id_or_path, Path(root) if root else scenarios_root())
    if named is not None:
        return named
    lib = discover(root)
    sf = lib.by_id(id_or_path)
    if sf is None:
        known = ", ".join(s.scenario.id for s in lib.scenarios) or "none"
        raise ContentError(
            [Problem(id_or_path, 0, "", f"no scenario with id '{id_or_path}' (known: {known})")]
        )
    return sf
