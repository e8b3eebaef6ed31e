"""The ``parolesim`` command line.

Each group of commands lives in its own module under ``simulator.commands`` and
adds itself to the parser through ``register(subparsers)``. Exit codes: 0 on
success, 1 for a content or runtime error, 2 for a usage error. Errors go to
stderr in plain words.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from engine.problems import ContentError
from simulator.errors import CommandError, UsageError

COMMAND_MODULES = (
    "simulator.commands.content",
    "simulator.commands.play",
    "simulator.commands.scoring",
    "simulator.commands.recording",
    "simulator.commands.attempts",
    "simulator.commands.records",
    "simulator.commands.reports",
    "simulator.commands.analyze",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"parolesim: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="parolesim",
        description="Training simulator for new parole officers. With no command, opens the app.",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="records database URL (default: PAROLESIM_DATABASE_URL, else a SQLite file "
        "in your data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _app_only(args_list: list[str]) -> argparse.Namespace | None:
    """``parolesim`` or ``parolesim --db URL``: the app, without loading every command.

    Building the full parser imports each command group (the store, the scorer);
    the app's first frame should not wait for what it does not need yet.
    """
    quick = argparse.ArgumentParser(add_help=False)
    quick.add_argument("--db")
    try:
        args, rest = quick.parse_known_args(args_list)
    except SystemExit:  # pragma: no cover - malformed --db; the full parser explains
        return None
    return None if rest else args


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    quick = _app_only(args_list)
    args = quick if quick is not None else build_parser().parse_args(args_list)
    func = getattr(args, "func", None)
    try:
        if func is None:
            from simulator.commands.app import open_app

            return open_app(args)
        result: int = func(args)
        return result
    except UsageError as exc:
        sys.stderr.write(f"parolesim: {exc}\n")
        return 2
    except ContentError as exc:
        for problem in exc.problems:
            sys.stderr.write(problem.format() + "\n")
        return 1
    except CommandError as exc:
        sys.stderr.write(f"parolesim: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("parolesim: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
