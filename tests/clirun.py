"""Running the ``parolesim`` command line the way a user would, in-process or as a process.

``cli`` calls ``simulator.cli.main`` in this test process with its own arguments,
standard streams, environment and working folder, and returns what a subprocess
would (exit code, stdout, stderr): the parsing, the commands and the error handling
are all the real ones, without paying a Python start and imports per call.
``cli_process`` runs ``python -m simulator`` for the few end-to-end tests where the
process itself matters (entry point, start-up, no traceback, exit status).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cli_process(
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


@contextlib.contextmanager
def _environment(env: Mapping[str, str] | None, drop: tuple[str, ...], cwd: Path) -> Iterator[None]:
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    for name in drop:
        os.environ.pop(name, None)
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def cli(
    *args: str,
    stdin: str | None = None,
    cwd: Path = ROOT,
    env: Mapping[str, str] | None = None,
    drop: tuple[str, ...] = (),
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``parolesim ARGS`` run in this process; the result looks like a finished subprocess.

    ``timeout`` is accepted for the same signature as :func:`cli_process`; an
    in-process call cannot be cut short.
    """
    from simulator.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin or ""), out, err
    try:
        with _environment(env, drop, cwd):
            try:
                code: int | str | None = main(list(args))
            except SystemExit as exc:
                code = exc.code
            except Exception:  # what the interpreter would print before exiting 1
                traceback.print_exc()
                code = 1
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    if isinstance(code, str):
        err.write(code + "\n")
        code = 1
    return subprocess.CompletedProcess(
        ["parolesim", *args], code or 0, out.getvalue(), err.getvalue()
    )
