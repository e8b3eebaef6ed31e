"""People who use parolesim (trainees, FTOs, instructors, admins) and signing in.

Usernames are lower-case and never all digits, so ``alice`` and ``42`` can both be used to
name a person (by username or by id) without ambiguity. A profile may have no password (a
trainee's own machine); signing in to it then needs none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from simulator.store import passwords
from simulator.store.errors import InvalidRecord, NotFound, SignInFailed
from simulator.store.schema import ROLES, audit_log, inserted_id, people, utcnow

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Person:
    """Someone with a profile in the records store."""

    id: int
    username: str
    display_name: str
    role: str
    email: str | None
    active: bool
    has_password: bool
    created_at: datetime

    @property
    def signature_name(self) -> str:
        """How a signed record names the person: "Alice Nguyen (alice)", or the username
        when no display name was given."""
        if self.display_name and self.display_name != self.username:
            return f"{self.display_name} ({self.username})"
        return self.username

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "email": self.email,
            "active": self.active,
            "has_password": self.has_password,
            "created_at": self.created_at.isoformat(),
        }


def person_from_row(row: sa.Row[Any]) -> Person:
    """The :class:`Person` of a row that holds the ``people`` table's columns."""
    return Person(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        email=row.email,
        active=row.active,
        has_password=row.password_hash is not None,
        created_at=row.created_at,
    )


def _where(ref: str | int) -> sa.ColumnElement[bool]:
    if isinstance(ref, int):
        return people.c.id == ref
    text = ref.strip()
    if text.isascii() and text.isdigit():
        return people.c.id == int(text) if len(text) <= 18 else sa.false()
    return people.c.username == text.lower()


def find_person(conn: sa.Connection, ref: str | int) -> Person:
    """The person named by username or numeric id; :class:`NotFound` if there is none."""
    row = conn.execute(sa.select(people).where(_where(ref))).first()
    if row is None:
        raise NotFound(f"no person with username or id {ref!r}; `parolesim users list` shows them")
    return person_from_row(row)


def people_by_ids(conn: sa.Connection, ids: list[int]) -> dict[int, Person]:
    if not ids:
        return {}
    return {
        row.id: person_from_row(row)
        for row in conn.execute(sa.select(people).where(people.c.id.in_(ids)))
    }


def list_people(conn: sa.Connection, role: str | None = None) -> list[Person]:
    query = sa.select(people).order_by(people.c.username)
    if role is not None:
        query = query.where(people.c.role == role)
    return [person_from_row(row) for row in conn.execute(query)]


def admin_exists(conn: sa.Connection) -> bool:
    query = sa.select(people.c.id).where(people.c.role == "admin", people.c.active).limit(1)
    return conn.execute(query).first() is not None


def validate_new_person(username: str, role: str, email: str | None) -> str:
    """The normalised username, or :class:`InvalidRecord` saying what was expected."""
    name = username.strip().lower()
    if not USERNAME.match(name) or name.isdigit():
        raise InvalidRecord(
            f"username {username!r} is not usable: expected 1-64 lower-case letters, digits, "
            "'.', '_' or '-', starting with a letter or digit, and not only digits"
        )
    if role not in ROLES:
        raise InvalidRecord(f"role {role!r} is not one of: {', '.join(ROLES)}")
    if email is not None and not EMAIL.match(email):
        raise InvalidRecord(f"email {email!r} does not look like an address (name@example.org)")
    return name


def hash_new_password(password: str | None) -> str | None:
    if password is None:
        return None
    try:
        passwords.check_strength(password)
    except ValueError as exc:
        raise InvalidRecord(str(exc)) from exc
    return passwords.hash_password(password)


def require_password(role: str, password: str | None) -> None:
    """Staff (admins, FTOs, instructors) always have a password; only a trainee's profile
    on their own machine may go without."""
    if role != "trainee" and password is None:
        raise InvalidRecord(
            f"every {role} needs a password (they can see or sign other people's records); "
            "give one, or add the person as a trainee"
        )


def add_person(
    conn: sa.Connection,
    username: str,
    display_name: str,
    role: str,
    *,
    password: str | None = None,
    email: str | None = None,
) -> Person:
    name = validate_new_person(username, role, email)
    require_password(role, password)
    if conn.execute(sa.select(people.c.id).where(people.c.username == name)).first():
        raise InvalidRecord(f"username {name!r} is already taken")
    result = conn.execute(
        sa.insert(people).values(
            username=name,
            display_name=display_name.strip() or name,
            role=role,
            email=email,
            password_hash=hash_new_password(password),
            active=True,
            created_at=utcnow(),
        )
    )
    person_id = inserted_id(result)
    return find_person(conn, person_id)


def set_password(conn: sa.Connection, person: Person, password: str | None) -> None:
    require_password(person.role, password)
    hashed = hash_new_password(password)
    conn.execute(sa.update(people).where(people.c.id == person.id).values(password_hash=hashed))


def set_active(conn: sa.Connection, person: Person, active: bool) -> None:
    conn.execute(sa.update(people).where(people.c.id == person.id).values(active=active))


FAILURE_LIMIT = 5  # failed sign-ins in a row before the account waits
LOCKOUT = timedelta(minutes=15)


def sign_in_key(conn: sa.Connection, ref: str | int) -> str:
    """How failed sign-ins of ``ref`` are counted: the account's username if it exists, else
    what was typed (so guessing at ``alice`` and at her id count together)."""
    row = conn.execute(sa.select(people.c.username).where(_where(ref))).first()
    return row.username if row is not None else str(ref).strip().lower()[:64]


def locked_until(conn: sa.Connection, key: str, now: datetime) -> datetime | None:
    """When a locked account may try again: after ``FAILURE_LIMIT`` failures with no success
    in between, for ``LOCKOUT`` after the last failure; None if it is not locked."""
    recent = conn.execute(
        sa.select(audit_log.c.allowed, audit_log.c.at)
        .where(
            audit_log.c.action.in_(("sign_in", "sign_in_locked")),
            audit_log.c.target_type == "person",
            audit_log.c.target_id == key,
            audit_log.c.at > now - LOCKOUT,
        )
        .order_by(audit_log.c.id.desc())
        .limit(FAILURE_LIMIT)
    ).all()
    if len(recent) < FAILURE_LIMIT or any(row.allowed for row in recent):
        return None
    last: datetime = recent[0].at
    return last + LOCKOUT


def check_sign_in(
    conn: sa.Connection, ref: str | int, password: str | None
) -> tuple[Person, str | None]:
    """The person if ``password`` opens their profile, and a new hash to store when theirs
    was made with weaker settings; :class:`SignInFailed` otherwise.

    A profile without a password opens with any password or none.
    """
    if isinstance(ref, str) and ref.strip().isdigit() and not ref.strip().isascii():
        raise SignInFailed(f"cannot sign in as {ref!r}: unknown account or wrong password")
    row = conn.execute(sa.select(people).where(_where(ref))).first()
    stored = row.password_hash if row is not None else None
    if row is not None and stored is None:
        if not row.active:
            raise SignInFailed(f"cannot sign in as {ref!r}: unknown account or wrong password")
        return person_from_row(row), None
    ok = passwords.verify_password(password or "", stored)
    if row is None or not ok or not row.active or stored is None:
        raise SignInFailed(f"cannot sign in as {ref!r}: unknown account or wrong password")
    rehashed = passwords.hash_password(password or "") if passwords.needs_rehash(stored) else None
    return person_from_row(row), rehashed


def store_rehash(conn: sa.Connection, person: Person, hashed: str) -> None:
    conn.execute(sa.update(people).where(people.c.id == person.id).values(password_hash=hashed))
