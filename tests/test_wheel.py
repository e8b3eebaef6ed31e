"""The built wheel works with no checkout present: a fresh venv in a temporary folder.

One test builds the sdist and the wheel from it (``python -m build``), installs the
wheel into a new virtual environment outside the repository, and drives the installed
``parolesim`` the way a new user would. Dependencies come from pip's cache and the
machine's configured package index; nothing is read from this checkout at run time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = (
    "scenarios/home_visit/hv-weapon-disengage.yaml",
    "scenarios/policy/model-state-parole.yaml",
    "scenarios/policy/FACTS.md",
    "assets/themes/normal.json",
    "assets/themes/high_contrast.json",
)


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run ``cmd``; it must succeed. Returns what it printed (stdout, then stderr)."""
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{cmd} exited {proc.returncode}:\n{proc.stderr[-3000:]}"
    return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], Path]:
    """(the venv's bin folder, a clean environment, a working folder outside the repo)."""
    base = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PAROLESIM_"))}
    dist = base / "dist"
    # no isolation: the test extras already hold the build backend (setuptools>=77)
    _run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        base,
        env,
    )
    venv.EnvBuilder(with_pip=False).create(base / "venv")  # this pip installs into it
    bin_dir = base / "venv" / "bin"
    (wheel,) = dist.glob("parolesim-*.whl")
    target = ["--python", str(bin_dir / "python")]
    _run([sys.executable, "-m", "pip", *target, "install", "-q", str(wheel)], base, env)
    work = base / "elsewhere"
    work.mkdir()
    env.update(
        PAROLESIM_DATA_DIR=str(base / "data"),
        PAROLESIM_CONFIG_DIR=str(base / "config"),
        SDL_VIDEODRIVER="dummy",
        SDL_AUDIODRIVER="dummy",
    )
    return bin_dir, env, work


def test_the_sdist_and_wheel_carry_the_library_pack_themes_and_licence(
    installed: tuple[Path, dict[str, str], Path],
) -> None:
    dist = installed[0].parent.parent / "dist"
    (wheel,) = dist.glob("parolesim-*.whl")
    (sdist,) = dist.glob("parolesim-*.tar.gz")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(SHIPPED) <= names
    on_disk = {
        p.relative_to(ROOT).as_posix()
        for folder in ("scenarios", "assets")
        for p in (ROOT / folder).rglob("*")
        if p.suffix in (".yaml", ".yml", ".md", ".json")
    }
    assert on_disk - names == set(), "data files left out of the wheel"
    assert "parolesim-0.1.0.dist-info/licenses/LICENSE" in names
    with tarfile.open(sdist) as tar:
        in_sdist = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {*SHIPPED, "LICENSE"} <= in_sdist


def test_the_installed_wheel_lists_runs_scores_lints_and_opens_the_app_outside_the_repo(
    installed: tuple[Path, dict[str, str], Path],
) -> None:
    bin_dir, env, work = installed
    exe = str(bin_dir / "parolesim")

    listed = json.loads(_run([exe, "list", "--json"], work, env).partition("\n]")[0] + "]")
    ids = {row["id"] for row in listed}
    assert len(ids) >= 20 and "hv-weapon-disengage" in ids

    ran = _run(
        [exe, "run", "hv-weapon-disengage", "--seed", "3", "--auto", "first", "--score"], work, env
    )
    assert "RESULT:" in ran and "policy" in ran.lower()

    assert "Model State Division of Parole" in _run([exe, "policies"], work, env)
    linted = _run([exe, "lint"], work, env)  # exit 0: warnings at most
    assert linted.splitlines()[-1].startswith(("no problems found", "0 errors")), linted[-500:]

    script = work / "script.txt"
    script.write_text("until SignInScreen\nshot first\nmark signin\nquit\n")
    shots = work / "shots"
    app_env = dict(env, PAROLESIM_APP_SCRIPT=str(script), PAROLESIM_SCREENSHOT_DIR=str(shots))
    assert "MARK signin" in _run([exe], work, app_env)
    assert (shots / "first.png").stat().st_size > 1000
