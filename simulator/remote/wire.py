"""What travels between a workstation and the records server: the store's own dataclasses
as JSON (through pydantic, which knows dataclasses, datetimes and tuples), and store errors
as ``{"error": kind, "message": text}`` with an HTTP status, turned back into the same
exception class on the workstation.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter

from simulator.errors import CommandError
from simulator.store.errors import (
    AccessDenied,
    InvalidRecord,
    NotFound,
    SignInFailed,
    StoreDamaged,
    StoreError,
    StoreLocked,
    StoreSchemaError,
    StoreUnavailable,
)

API = "/api/v1"
TOKEN_HEADER = "Authorization"
WORKSTATION_HEADER = "X-Parolesim-Workstation"

ERRORS: dict[str, tuple[type[StoreError], int]] = {
    "access_denied": (AccessDenied, 403),
    "sign_in_failed": (SignInFailed, 401),
    "not_found": (NotFound, 404),
    "invalid_record": (InvalidRecord, 422),
    "locked": (StoreLocked, 503),
    "unavailable": (StoreUnavailable, 503),
    "schema": (StoreSchemaError, 503),
    "damaged": (StoreDamaged, 503),
    "store_error": (StoreError, 500),
}


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def dump(value: Any, kind: Any) -> Any:
    """``value`` (a store dataclass, or a list of them) as JSON-ready data."""
    return _adapter(kind).dump_python(value, mode="json")


def load(data: Any, kind: Any) -> Any:
    """The store dataclass (or list of them) that :func:`dump` wrote."""
    return _adapter(kind).validate_python(data)


def error_body(exc: StoreError) -> tuple[dict[str, str], int]:
    """The JSON body and HTTP status for a store error (the most specific class wins)."""
    for kind, (cls, status) in ERRORS.items():
        if type(exc) is cls:
            return {"error": kind, "message": str(exc)}, status
    for kind, (cls, status) in ERRORS.items():
        if isinstance(exc, cls):
            return {"error": kind, "message": str(exc)}, status
    return {"error": "store_error", "message": str(exc)}, 500


def error_from(body: Any, status: int, where: str) -> CommandError:
    """The exception a server's error answer stands for."""
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        cls, _ = ERRORS.get(str(body.get("error")), (StoreError, 500))
        return cls(body["message"])
    return StoreUnavailable(f"the records server {where} answered HTTP {status} without a reason")
