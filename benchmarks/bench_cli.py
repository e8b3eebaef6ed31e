"""How long the ``parolesim`` command takes to start, beside a bare ``python -c pass``.

Each command runs as a real process, the way a user or a script starts it. Two
figures per command: the best wall-clock time of five runs, and the best CPU time
(user + system) of the same runs, which a busy shared machine disturbs far less
than wall-clock time. Read each beside the same figure for ``python -c pass``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import Figure

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = (
    ("--help",),
    ("list",),
    ("lint",),
    ("run", "hv-weapon-disengage", "--auto", "first", "--seed", "1"),
)
REPEAT = 5


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _best(*args: str) -> tuple[float, float]:
    """(best wall seconds, best CPU seconds) of ``REPEAT`` runs of ``args``."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    walls, cpus = [], []
    for _ in range(REPEAT):
        cpu0, t0 = _child_cpu(), time.perf_counter()
        subprocess.run(args, cwd=ROOT, env=env, capture_output=True, check=False)
        walls.append(time.perf_counter() - t0)
        cpus.append(_child_cpu() - cpu0)
    return min(walls), min(cpus)


def run() -> list[Figure]:
    bare_wall, bare_cpu = _best(sys.executable, "-c", "pass")
    figures = []
    for cmd in COMMANDS:
        wall, cpu = _best(sys.executable, "-m", "simulator", *cmd)
        name = f"parolesim {' '.join(cmd[:2])}"
        figures.append(
            Figure(f"{name} (wall)", wall, "s", "python -c pass", bare_wall, target="≤ 0.3 s")
        )
        figures.append(Figure(f"{name} (CPU)", cpu, "s", "python -c pass", bare_cpu))
    return figures
