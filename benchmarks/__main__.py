"""``python -m benchmarks [NAME ...] [--json]``: run the named benchmark groups (default: all).

Each group is a module ``benchmarks/bench_<name>.py`` with ``run() -> list[Figure]``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
from pathlib import Path

from benchmarks.common import Figure, machine

# pygame greets on import with a line on stdout; with --json stdout must be JSON only
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def groups() -> list[str]:
    here = Path(__file__).parent
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(here)])
        if m.name.startswith("bench_")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument(
        "names", nargs="*", help=f"groups to run (default all: {', '.join(groups())})"
    )
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    args = parser.parse_args(argv)
    names = args.names or groups()
    unknown = [n for n in names if n not in groups()]
    if unknown:
        parser.error(
            f"unknown benchmark group(s): {', '.join(unknown)}; known: {', '.join(groups())}"
        )
    results: dict[str, list[Figure]] = {}
    for name in names:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        if not args.json:
            print(f"== {name}", flush=True)
        figures: list[Figure] = module.run()
        results[name] = figures
        if not args.json:
            for f in figures:
                print(f.format(), flush=True)
    if args.json:
        out = {
            "machine": machine(),
            "groups": {k: [f.to_dict() for f in v] for k, v in results.items()},
        }
        json.dump(out, sys.stdout, indent=2)
        print()
    else:
        print(f"machine: {machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
