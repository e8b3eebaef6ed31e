"""Accounts: argon2id password hashes (rehashed when the cost rises), staff passwords,
lockout after repeated failures, signing in with and without a password, first set-up."""

from __future__ import annotations

import base64
import hashlib

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from simulator.store import AccessDenied, InvalidRecord, SignInFailed, Store, passwords
from simulator.store.accounts import FAILURE_LIMIT
from simulator.store.passwords import hash_password, verify_password
from simulator.store.schema import people
from tests.store.conftest import STAFF_PASSWORD, Cast


def test_password_hash_is_argon2id_with_its_parameters_and_salts_each_hash() -> None:
    one, two = hash_password("correct horse"), hash_password("correct horse")
    assert one.startswith("$argon2id$v=19$m=")
    assert one != two  # a fresh salt every time
    assert verify_password("correct horse", one) and verify_password("correct horse", two)
    assert not verify_password("correct horsf", one)
    assert not verify_password("anything", None)


def test_a_weaker_hash_is_replaced_at_the_next_sign_in(
    store: Store, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.set_password(cast.admin, "alice", "lantern-harbour-9")
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    monkeypatch.setattr(passwords, "HASHER", stronger)
    assert store.sign_in("alice", "lantern-harbour-9").id == cast.alice.id
    with store._db.read() as conn:
        stored = conn.execute(sa.select(people.c.password_hash).where(people.c.id == cast.alice.id))
        new_hash = stored.scalar_one()
    assert "m=16,t=2" in new_hash and not passwords.needs_rehash(new_hash)
    assert store.sign_in("alice", "lantern-harbour-9").id == cast.alice.id


def test_every_staff_member_needs_a_password(store: Store, cast: Cast) -> None:
    for role in ("admin", "fto", "instructor"):
        with pytest.raises(InvalidRecord, match=f"every {role} needs a password"):
            store.add_person(cast.admin, f"new-{role}", role=role)
    with pytest.raises(InvalidRecord, match="every fto needs a password"):
        store.set_password(cast.admin, "fred", None)


def test_repeated_failures_lock_the_account_and_each_refusal_is_audited(
    store: Store, cast: Cast
) -> None:
    for _ in range(FAILURE_LIMIT):
        with pytest.raises(SignInFailed, match="unknown account or wrong password"):
            store.sign_in("fred", "guess-again")
    with pytest.raises(SignInFailed, match="too many failed sign-ins for 'fred': wait 15"):
        store.sign_in("fred", STAFF_PASSWORD)  # even the right password waits
    with pytest.raises(SignInFailed, match="too many failed"):
        store.sign_in(str(cast.fred.id), STAFF_PASSWORD)  # by id too
    actions = [(e.action, e.target_id, e.allowed) for e in store.audit_log(cast.admin, limit=3)]
    assert actions[:2] == [("sign_in_locked", "fred", False)] * 2
    assert store.sign_in("ines", STAFF_PASSWORD).username == "ines"  # others are not locked


def test_a_hash_made_with_other_parameters_still_verifies() -> None:
    salt = b"0123456789abcdef"
    key = hashlib.scrypt(b"old password", salt=salt, n=2**14, r=8, p=1, dklen=32)

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode().rstrip("=")

    stored = f"scrypt$n=16384,r=8,p=1${b64(salt)}${b64(key)}"
    assert verify_password("old password", stored)
    assert not verify_password("old passwort", stored)


def test_sign_in_needs_the_password_of_a_profile_that_has_one(store: Store, cast: Cast) -> None:
    store.set_password(cast.admin, "alice", "lantern-harbour-9")
    assert store.sign_in("alice", "lantern-harbour-9").username == "alice"
    assert store.sign_in(str(cast.alice.id), "lantern-harbour-9").id == cast.alice.id
    with pytest.raises(SignInFailed, match="unknown account or wrong password"):
        store.sign_in("alice", "lantern-harbour-8")
    with pytest.raises(SignInFailed, match="unknown account or wrong password"):
        store.sign_in("alice")
    with pytest.raises(SignInFailed, match="unknown account or wrong password"):
        store.sign_in("nobody-here", "whatever")


def test_a_profile_without_password_signs_in_with_none(store: Store, cast: Cast) -> None:
    assert not cast.bob.has_password
    assert store.sign_in("bob").id == cast.bob.id


def test_failed_sign_ins_are_audited(store: Store, cast: Cast) -> None:
    store.set_password(cast.admin, "alice", "lantern-harbour-9")
    with pytest.raises(SignInFailed):
        store.sign_in("alice", "guess")
    denied = store.audit_log(cast.admin, denied_only=True)
    assert [(e.action, e.target_id, e.actor) for e in denied][:1] == [
        ("sign_in", "alice", "(nobody signed in)")
    ]


def test_passwords_are_stored_only_as_argon2id_hashes(store: Store, cast: Cast) -> None:
    store.set_password(cast.admin, "alice", "lantern-harbour-9")
    with store._db.read() as conn:  # the raw row, as anyone with the file would see it
        stored = conn.exec_driver_sql(
            "SELECT password_hash FROM people WHERE username = 'alice'"
        ).scalar()
    assert isinstance(stored, str)
    assert stored.startswith("$argon2id$") and "lantern" not in stored


def test_short_passwords_and_bad_usernames_are_refused_with_what_is_expected(
    store: Store, cast: Cast
) -> None:
    with pytest.raises(InvalidRecord, match="at least 8 characters"):
        store.set_password(cast.admin, "alice", "short")
    with pytest.raises(InvalidRecord, match="lower-case letters"):
        store.add_person(cast.admin, "Has Spaces")
    with pytest.raises(InvalidRecord, match="not only digits"):
        store.add_person(cast.admin, "12345")
    with pytest.raises(InvalidRecord, match="already taken"):
        store.add_person(cast.admin, "ALICE")
    with pytest.raises(InvalidRecord, match="role 'sheriff'"):
        store.add_person(cast.admin, "carol", role="sheriff")


def test_anyone_may_add_people_until_an_admin_exists(store: Store) -> None:
    assert store.needs_setup()
    trainee = store.add_person(None, "solo", display_name="Solo Trainee")
    assert store.needs_setup()  # a trainee-only personal store stays open to set-up
    store.add_person(None, "rae", role="admin", password=STAFF_PASSWORD)
    assert not store.needs_setup()
    with pytest.raises(AccessDenied, match="sign in as an admin"):
        store.add_person(None, "sneaky", role="admin")
    with pytest.raises(AccessDenied):
        store.add_person(trainee, "sneaky2")
    admin = store.sign_in("rae", STAFF_PASSWORD)
    actions = [(e.action, e.allowed) for e in store.audit_log(admin)]
    assert ("manage_people", False) in actions


def test_people_may_change_their_own_password_but_not_someone_elses(
    store: Store, cast: Cast
) -> None:
    store.set_password(cast.alice, "alice", "my-own-secret")
    assert store.sign_in("alice", "my-own-secret").id == cast.alice.id
    with pytest.raises(AccessDenied):
        store.set_password(cast.alice, "bob", "taken-over-1")
    store.set_password(cast.admin, "alice", None)
    assert store.sign_in("alice").id == cast.alice.id
