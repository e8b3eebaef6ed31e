"""Shared pieces of the benchmarks: figures, timing, and the machine description."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field


@dataclass
class Figure:
    """One measured figure beside the baseline measured in the same run."""

    name: str
    value: float
    unit: str
    baseline_name: str = ""
    baseline_value: float | None = None
    target: str = ""
    notes: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if not self.baseline_value:
            return None
        return self.value / self.baseline_value

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["ratio"] = self.ratio
        return d

    def format(self) -> str:
        line = f"{self.name:<58} {self.value:>12.4f} {self.unit}"
        if self.baseline_value is not None:
            line += f"   baseline {self.baseline_name}: {self.baseline_value:.4f} {self.unit}"
            if self.ratio is not None:
                line += f"   ratio {self.ratio:.2f}x"
        if self.target:
            line += f"   target {self.target}"
        if self.extra:
            line += "   " + ", ".join(f"{k}={v:.4f}" for k, v in self.extra.items())
        if self.notes:
            line += f"   ({self.notes})"
        return line


def best_of(func: Callable[[], object], repeat: int = 5, number: int = 1) -> float:
    """Best wall-clock seconds per call of ``func`` over ``repeat`` rounds of ``number`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            func()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * pct / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def machine() -> str:
    return (
        f"{platform.node() or 'host'}: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )
