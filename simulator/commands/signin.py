"""Opening the store and signing in, shared by every records command.

Who is acting comes from ``--user NAME`` (or ``PAROLESIM_USER``), falling back to the
trainee a command is about. Passwords are never arguments: they are asked for with getpass,
or read one per line from standard input with ``--password-stdin`` (the acting person's
password first, then any new password).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING, Any

from simulator.connect import open_records, server_url
from simulator.errors import UsageError

if TYPE_CHECKING:  # the store (SQLAlchemy) loads only when a command opens it
    from simulator.store import Person, Store
    from simulator.store.records import Records


class _RefusePassword(argparse.Action):
    """``--password VALUE`` is refused without echoing VALUE: it would sit in shell history."""

    def __call__(self, parser: Any, namespace: Any, values: Any, option: str | None = None) -> None:
        parser.error(
            "passwords are never given as arguments (they would stay in your shell history); "
            "type it when asked, or use --password-stdin"
        )


def add_user_options(parser: Any) -> None:
    parser.add_argument("--password", action=_RefusePassword, help=argparse.SUPPRESS)
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="who you are: username or id (default: $PAROLESIM_USER)",
    )
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read password(s) from standard input, one per line, instead of asking",
    )


def open_store(args: argparse.Namespace) -> Records:
    """The records this command uses: the ``--server`` (or ``PAROLESIM_SERVER``), else the
    ``--db`` database, else the embedded SQLite file."""
    return open_records(getattr(args, "db", None), getattr(args, "server", None))


def open_database(
    args: argparse.Namespace, *, upgrade: bool | None = None, prepare: bool = True
) -> Store:
    """The database itself, for commands that manage it (``db upgrade``, ``serve``)."""
    if server_url(getattr(args, "server", None)):
        raise UsageError(
            "this command works on the database itself, not through a records server: run it "
            "on the server with --db URL (and without --server or PAROLESIM_SERVER)"
        )
    from simulator.store import Store

    return Store.open(getattr(args, "db", None), upgrade=upgrade, prepare=prepare)


class Passwords:
    """Reads passwords from the terminal (getpass) or from stdin lines, in order."""

    def __init__(self, from_stdin: bool) -> None:
        self.from_stdin = from_stdin

    def read(self, prompt: str, *, confirm: bool = False) -> str:
        if self.from_stdin:
            line = sys.stdin.readline()
            if not line:
                raise UsageError(f"--password-stdin: no line left on standard input for {prompt!r}")
            return line.rstrip("\r\n")
        if not sys.stdin.isatty():
            raise UsageError(
                f"{prompt.rstrip(': ')} is needed and there is no terminal to ask on; "
                "use --password-stdin"
            )
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Again, to confirm: ") != first:
            raise UsageError("the two passwords differ; nothing was changed")
        return first


def passwords(args: argparse.Namespace) -> Passwords:
    return Passwords(bool(getattr(args, "password_stdin", False)))


def actor_ref(args: argparse.Namespace, fallback: str | None = None) -> str | None:
    return getattr(args, "user", None) or os.environ.get("PAROLESIM_USER") or fallback


def sign_in(store: Records, args: argparse.Namespace, fallback: str | None = None) -> Person:
    """Sign in as the acting person, asking for a password only if the profile has one."""
    from simulator.store import NotFound

    ref = actor_ref(args, fallback)
    if not ref:
        raise UsageError("say who you are with --user NAME (or set PAROLESIM_USER)")
    try:
        needs_password = store.person(ref).has_password
    except NotFound:
        needs_password = False  # unknown: let sign_in fail (and audit) the usual way
    secret = passwords(args).read(f"Password for {ref}: ") if needs_password else None
    return store.sign_in(ref, secret)
