"""Errors the records store raises, each with a message a trainee or an admin can act on.

They are :class:`~simulator.errors.CommandError` subclasses, so the CLI prints them and
exits with code 1; the app catches :class:`StoreError` and shows the message.
"""

from __future__ import annotations

from simulator.errors import CommandError


class StoreError(CommandError):
    """The records store could not do what was asked."""


class StoreUnavailable(StoreError):
    """The database cannot be opened at all (missing server, unreadable file, bad URL)."""


class StoreDamaged(StoreError):
    """The database file is not a SQLite database or its pages are damaged."""


class StoreLocked(StoreError):
    """Another program holds a lock on the database longer than we are willing to wait."""


class StoreSchemaError(StoreError):
    """The database schema is newer than this program, older than it, or not ours at all."""


class NotFound(StoreError):
    """A person, cohort, attempt or evaluation named by the caller does not exist."""


class InvalidRecord(StoreError):
    """The caller asked for something the records rules forbid (bad role, bad rating...)."""


class SignInFailed(StoreError):
    """Unknown account, wrong password or disabled account; deliberately does not say which."""


class AccessDenied(StoreError):
    """The signed-in person may not do this; the denial has been written to the audit log."""
