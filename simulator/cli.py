"""The ``parolesim`` command line.

Each group of commands lives in its own module under ``simulator.commands`` and
adds itself to the parser through ``register(subparsers)``. Exit codes: 0 on
success, 1 for a content or runtime error, 2 for a usage error. Errors go to
stderr in plain words.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

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
    "simulator.commands.server",
    "simulator.commands.fto",
    "simulator.commands.cohort",
    "simulator.commands.classroom",
)


# Which module defines each command, so that ``parolesim list`` imports only what
# ``list`` needs. A command missing here still works: the full parser is built.
COMMAND_HOMES = {
    "lint": "simulator.commands.content",
    "list": "simulator.commands.content",
    "schema": "simulator.commands.content",
    "run": "simulator.commands.play",
    "play": "simulator.commands.play",
    "score": "simulator.commands.scoring",
    "rescore": "simulator.commands.scoring",
    "policies": "simulator.commands.scoring",
    "miti": "simulator.commands.scoring",
    "analyze": "simulator.commands.analyze",
    "cohort-report": "simulator.commands.cohort",
    "assign": "simulator.commands.classroom",
    "class": "simulator.commands.classroom",
}
DB_HELP = (
    "records database URL (default: PAROLESIM_DATABASE_URL, else a SQLite file in your data folder)"
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"parolesim: {message}\n")
        raise SystemExit(2)


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """The command-line parser with the commands of ``modules`` (default: all of them)."""
    parser = _Parser(
        prog="parolesim",
        description="Training simulator for new parole officers. With no command, opens the app.",
    )
    parser.add_argument("--db", metavar="URL", help=DB_HELP)
    parser.add_argument(
        "--server",
        metavar="URL",
        help="records server URL, e.g. http://records.academy.example:8470 (default: "
        "PAROLESIM_SERVER); used instead of a database",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in modules:
        importlib.import_module(name).register(sub)
    _db_everywhere(parser)
    return parser


def _db_everywhere(parser: argparse.ArgumentParser) -> None:
    """Accept ``--db URL`` after the (sub)command too, not only before it."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                if "--db" not in child._option_string_actions:
                    child.add_argument(
                        "--db", metavar="URL", default=argparse.SUPPRESS, help=DB_HELP
                    )
                _db_everywhere(child)


def _command_of(args_list: list[str]) -> str | None:
    """The command word in ``args_list`` (skipping ``--db URL``), if any."""
    i = 0
    while i < len(args_list):
        arg = args_list[i]
        if arg == "--db":
            i += 2
            continue
        if arg.startswith("-"):
            return None  # --help, --db=URL or a mistake: the full parser explains
        return arg
    return None


def parse(args_list: list[str]) -> argparse.Namespace:
    """Parse with only the command's own module loaded when the command is known."""
    home = COMMAND_HOMES.get(_command_of(args_list) or "")
    parser = build_parser((home,) if home else COMMAND_MODULES)
    return parser.parse_args(args_list)


def _app_only(args_list: list[str]) -> argparse.Namespace | None:
    """``parolesim`` or ``parolesim --db URL``: the app, without loading every command.

    Building the full parser imports each command group (the store, the scorer);
    the app's first frame should not wait for what it does not need yet.
    """
    quick = argparse.ArgumentParser(add_help=False)
    quick.add_argument("--db")
    quick.add_argument("--server")
    try:
        args, rest = quick.parse_known_args(args_list)
    except SystemExit:  # pragma: no cover - malformed --db; the full parser explains
        return None
    return None if rest else args


def _use_parse_cache() -> None:
    """Parsed scenario files are kept in the user's cache folder (``PAROLESIM_CACHE_DIR``
    overrides it; an empty value turns the cache off)."""
    from engine.yamlload import set_parse_cache

    folder = os.environ.get("PAROLESIM_CACHE_DIR")
    if folder is None:
        from platformdirs import user_cache_dir

        folder = str(Path(user_cache_dir("parolesim", appauthor=False)) / "parsed")
    set_parse_cache(folder or None)


def main(argv: Sequence[str] | None = None) -> int:
    # pygame greets on import with a line on stdout; a command's output is its own
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    _use_parse_cache()
    args_list = list(sys.argv[1:] if argv is None else argv)
    quick = _app_only(args_list)
    args = quick if quick is not None else parse(args_list)
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
