"""Password hashing with scrypt (memory-hard), self-describing hash strings.

A hash reads ``scrypt$n=32768,r=8,p=1$<salt>$<key>`` (base64, no padding), so the cost can
be raised later and old hashes still verify. Comparison is constant-time, and checking a
password for an unknown account costs the same as for a real one.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os

N, R, P = 2**15, 8, 1
KEY_BYTES = 32
SALT_BYTES = 16
MIN_LENGTH = 8
MAX_LENGTH = 1024


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=2 * 128 * n * r * p + 1024 * 1024,
        dklen=KEY_BYTES,
    )


def check_strength(password: str) -> None:
    """Raise ValueError if ``password`` is too short or too long to accept."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise ValueError(f"a password may have at most {MAX_LENGTH} characters")


def hash_password(password: str) -> str:
    salt = os.urandom(SALT_BYTES)
    key = _derive(password, salt, N, R, P)
    return f"scrypt$n={N},r={R},p={P}${_b64(salt)}${_b64(key)}"


@functools.cache
def _dummy_hash() -> str:
    return hash_password("parolesim timing equaliser")


def verify_password(password: str, stored: str | None) -> bool:
    """True if ``password`` matches ``stored``; ``stored=None`` burns the same time and fails."""
    target = stored or _dummy_hash()
    try:
        scheme, params, salt_text, key_text = target.split("$")
        values = dict(item.split("=") for item in params.split(","))
        n, r, p = int(values["n"]), int(values["r"]), int(values["p"])
        salt, key = _unb64(salt_text), _unb64(key_text)
    except (ValueError, KeyError):
        return False
    if scheme != "scrypt":
        return False
    candidate = _derive(password, salt, n, r, p)
    return hmac.compare_digest(candidate, key) and stored is not None
