"""The project's own promises: layering, no eval, ruff and mypy clean."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEADLESS = ("engine", "scoring")
FORBIDDEN = {"pygame", "pygame_gui", "simulator"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", HEADLESS)
def test_headless_layers_never_import_pygame_or_the_simulator(package: str) -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(_imports(p) & FORBIDDEN)
        for p in (ROOT / package).rglob("*.py")
        if _imports(p) & FORBIDDEN
    }
    assert offenders == {}


def test_engine_never_imports_scoring() -> None:
    offenders = [str(p) for p in (ROOT / "engine").rglob("*.py") if "scoring" in _imports(p)]
    assert offenders == []


@pytest.mark.parametrize("package", HEADLESS)
def test_no_eval_or_exec_in_headless_layers(package: str) -> None:
    for p in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"eval", "exec", "compile"}, f"{p}:{node.lineno}"


def _tool(name: str) -> list[str]:
    exe = shutil.which(name, path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", name]


def test_ruff_lint_and_format_are_clean() -> None:
    targets = ["engine", "scoring", "simulator", "tests", "benchmarks"]
    lint = subprocess.run(
        [*_tool("ruff"), "check", *targets], cwd=ROOT, capture_output=True, text=True
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = subprocess.run(
        [*_tool("ruff"), "format", "--check", *targets], cwd=ROOT, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy_strict_is_clean() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stdout + r.stderr
