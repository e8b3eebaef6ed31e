"""Running the real ``parolesim`` command line in a subprocess, the way a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cli(
    *args: str,
    stdin: str | None = None,
    cwd: Path = ROOT,
    env: Mapping[str, str] | None = None,
    drop: tuple[str, ...] = (),
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``python -m simulator ARGS`` with this checkout's code; ``drop`` removes variables."""
    full = dict(os.environ if env is None else env)
    full["PYTHONPATH"] = str(ROOT)
    for name in drop:
        full.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        cwd=cwd,
        env=full,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
