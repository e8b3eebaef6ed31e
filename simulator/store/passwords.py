"""Password hashing with argon2id (argon2-cffi), self-describing hash strings.

``HASHER`` holds the cost (OWASP's first recommended argon2id setting: 46 MiB, 1 pass,
1 lane); a hash records its own parameters, so when they rise, old
hashes still verify and are replaced at the next sign-in (:func:`needs_rehash`). Hashes from
before argon2 (``scrypt$...``) verify too and are replaced the same way. Checking a password
for an unknown account costs the same as for a real one.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

HASHER = PasswordHasher(time_cost=1, memory_cost=46 * 1024, parallelism=1)
MIN_LENGTH = 8
MAX_LENGTH = 1024


def check_strength(password: str) -> None:
    """Raise ValueError if ``password`` is too short or too long to accept."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise ValueError(f"a password may have at most {MAX_LENGTH} characters")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("parolesim timing equaliser")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _verify_scrypt(password: str, stored: str) -> bool:
    """A hash written before argon2: ``scrypt$n=..,r=..,p=..$salt$key``."""
    try:
        _scheme, params, salt_text, key_text = stored.split("$")
        values = dict(item.split("=") for item in params.split(","))
        n, r, p = int(values["n"]), int(values["r"]), int(values["p"])
        salt, key = _unb64(salt_text), _unb64(key_text)
        candidate = hashlib.scrypt(
            password.encode("utf-8"),
            salt=salt,
            n=n,
            r=r,
            p=p,
            maxmem=2 * 128 * n * r * p + 1024 * 1024,
            dklen=len(key),
        )
    except (ValueError, KeyError):
        return False
    return hmac.compare_digest(candidate, key)


def verify_password(password: str, stored: str | None) -> bool:
    """True if ``password`` matches ``stored``; ``stored=None`` burns the same time and fails."""
    if stored is not None and stored.startswith("scrypt$"):
        return _verify_scrypt(password, stored)
    try:
        return HASHER.verify(stored or _dummy_hash(HASHER), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when ``stored`` was made with another scheme or weaker parameters than now."""
    if not stored.startswith("$argon2id$"):
        return True
    try:
        return HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True
