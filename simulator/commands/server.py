"""``parolesim serve``: run the records server for an academy's workstations.

    parolesim serve --db postgresql://parolesim_server@dbhost/academy --host 0.0.0.0

Workstations then use ``--server http://HOST:8470`` (or ``PAROLESIM_SERVER``). Several server
processes may serve one database behind a load balancer if they share
``PAROLESIM_SERVER_SECRET``; they keep no other state.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from typing import Any

from simulator.commands.signin import open_database
from simulator.errors import UsageError

DEFAULT_PORT = 8470
STOP_SECONDS = 3  # on stop, requests still open after this are cut (event streams)


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from simulator.remote.server import SERVER_POOL, WORKER_DB_ENV, create_app, worker_app
    except ImportError as exc:
        raise UsageError(
            f"the records server needs its extra packages ({exc.name} is missing): "
            "pip install 'parolesim[server]'"
        ) from None
    from simulator.remote.tokens import SECRET_ENV, server_secret
    from simulator.store.db import resolve_url

    try:
        secret = server_secret()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.workers < 1:
        raise UsageError(f"--workers must be 1 or more, got {args.workers}")
    if args.workers > 1 and resolve_url(args.db)[0].get_backend_name() == "sqlite":
        raise UsageError(
            "--workers above 1 needs PostgreSQL: SQLite takes one writer at a time, and one "
            "server process already writes the appends that arrive together in one commit"
        )
    store = open_database(args)
    store.close()  # schema checked (or created); the server opens its own below
    from simulator.store import Store

    served = Store.open(args.db, local_paths=False, pool_size=SERVER_POOL)
    sys.stderr.write(
        f"parolesim records server: {served.location} ({served.backend}) on "
        f"http://{args.host}:{args.port}"
        + (f" with {args.workers} worker processes\n" if args.workers > 1 else "\n")
    )
    if not os.environ.get(SECRET_ENV):
        sys.stderr.write(
            f"note: {SECRET_ENV} is not set, so sign-ins last only while this server runs "
            "and cannot be shared with other server machines\n"
        )
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "log_level": args.log_level,
        "access_log": args.log_level == "debug",
        # a projector's open event stream must not keep the server from stopping
        "timeout_graceful_shutdown": STOP_SECONDS,
    }
    if args.workers > 1:
        served.close()
        # Each worker opens the database itself and signs tokens with the same secret.
        os.environ.setdefault(SECRET_ENV, secrets.token_urlsafe(48))
        if args.db:
            os.environ[WORKER_DB_ENV] = args.db
        target = f"{worker_app.__module__}:{worker_app.__name__}"
        uvicorn.run(target, factory=True, workers=args.workers, **options)
        return 0
    try:
        uvicorn.run(create_app(served, secret), **options)
    finally:
        served.close()
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="run the records server that workstations reach with --server URL",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument(
        "--log-level",
        choices=("critical", "error", "warning", "info", "debug"),
        default="warning",
        help="how much the server logs (default warning)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes sharing the port (PostgreSQL only; default 1): one per core "
        "lets a classroom's appends that arrive together run side by side",
    )
    p.set_defaults(func=cmd_serve)
