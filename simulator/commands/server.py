"""``parolesim serve``: run the records server for an academy's workstations.

    parolesim serve --db postgresql://parolesim_server@dbhost/academy --host 0.0.0.0

Workstations then use ``--server http://HOST:8470`` (or ``PAROLESIM_SERVER``). Several server
processes may serve one database behind a load balancer if they share
``PAROLESIM_SERVER_SECRET``; they keep no other state.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from simulator.commands.signin import open_database
from simulator.errors import UsageError

DEFAULT_PORT = 8470
SERVER_POOL = 40  # as many as the threads that run requests (anyio's default limit)
STOP_SECONDS = 3  # on stop, requests still open after this are cut (event streams)


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from simulator.remote.server import create_app
    except ImportError as exc:
        raise UsageError(
            f"the records server needs its extra packages ({exc.name} is missing): "
            "pip install 'parolesim[server]'"
        ) from None
    from simulator.remote.tokens import SECRET_ENV, server_secret

    try:
        secret = server_secret()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    store = open_database(args)
    store.close()  # schema checked (or created); the server opens its own below
    from simulator.store import Store

    served = Store.open(args.db, local_paths=False, pool_size=SERVER_POOL)
    sys.stderr.write(
        f"parolesim records server: {served.location} ({served.backend}) on "
        f"http://{args.host}:{args.port}\n"
    )
    if not os.environ.get(SECRET_ENV):
        sys.stderr.write(
            f"note: {SECRET_ENV} is not set, so sign-ins last only while this process runs "
            "and cannot be shared with other server processes\n"
        )
    try:
        uvicorn.run(
            create_app(served, secret),
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            access_log=args.log_level == "debug",
            # a projector's open event stream must not keep the server from stopping
            timeout_graceful_shutdown=STOP_SECONDS,
        )
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
    p.set_defaults(func=cmd_serve)
