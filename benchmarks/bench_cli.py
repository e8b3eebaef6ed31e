"""How long the ``parolesim`` command takes to start, beside a bare ``python -c pass``.

Each command runs as a real process (best of five), the way a user or a script
starts it; the ratio to a bare interpreter start is the figure to read.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from benchmarks.common import Figure, best_of

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = (
    ("--help",),
    ("list",),
    ("lint",),
    ("run", "hv-weapon-disengage", "--auto", "first", "--seed", "1"),
)


def _starter(*args: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    subprocess.run(args, cwd=ROOT, env=env, capture_output=True, check=False)


def run() -> list[Figure]:
    bare = best_of(lambda: _starter(sys.executable, "-c", "pass"))
    return [
        Figure(
            f"parolesim {' '.join(cmd[:2])}",
            best_of(lambda cmd=cmd: _starter(sys.executable, "-m", "simulator", *cmd)),  # type: ignore[misc]
            "s",
            "python -c pass",
            bare,
            target="≤ 0.3 s",
        )
        for cmd in COMMANDS
    ]
