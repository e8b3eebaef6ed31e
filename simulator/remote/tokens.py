"""Session tokens the records server hands out at sign-in.

A token names the person and when it expires, signed with HMAC-SHA256 under the server's
secret (``PAROLESIM_SERVER_SECRET``). Any server process holding the same secret accepts it,
so servers behind a load balancer keep no session state; every request still re-reads the
person from the database, so a disabled account stops working at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time

SECRET_ENV = "PAROLESIM_SERVER_SECRET"
LIFETIME = 12 * 3600  # one working day
MIN_SECRET = 32


def server_secret() -> bytes:
    """The secret from the environment, or a random one for a single server process."""
    text = os.environ.get(SECRET_ENV, "")
    if text:
        if len(text) < MIN_SECRET:
            raise ValueError(
                f"{SECRET_ENV} must have at least {MIN_SECRET} characters (try "
                "`python3 -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        return text.encode("utf-8")
    return secrets.token_bytes(48)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _sign(secret: bytes, body: str) -> str:
    return _b64(hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest())


def issue(secret: bytes, person_id: int, *, now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + LIFETIME)
    body = f"{person_id}.{expires}.{_b64(secrets.token_bytes(9))}"
    return f"{body}.{_sign(secret, body)}"


def verify(secret: bytes, token: str, *, now: float | None = None) -> int | None:
    """The person id a valid, unexpired token names; None for anything else."""
    body, _, signature = token.rpartition(".")
    if not body or not hmac.compare_digest(_sign(secret, body), signature):
        return None
    parts = body.split(".")
    if len(parts) != 3 or not parts[0].isascii() or not parts[0].isdigit():
        return None
    if not parts[1].isascii() or not parts[1].isdigit():
        return None
    if int(parts[1]) < (now if now is not None else time.time()):
        return None
    return int(parts[0])
