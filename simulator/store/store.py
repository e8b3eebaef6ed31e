"""``Store``: the one interface to the records, the same for SQLite and PostgreSQL.

    store = Store.open()                      # or Store.open("postgresql://...")
    me = store.sign_in("alice")               # password needed only if the profile has one
    attempt = store.attempts.start(me, me, scenario_ref, seed=42)
    session = Session.start(compiled, 42, on_event=store.attempts.recorder(me, attempt.id))
    ...
    store.attempts.finish(me, attempt.id)     # the store scores it from the events
    store.progress(me, me)

Opening a store makes sure its schema is usable: a new store is created; an older SQLite
store is backed up beside itself and upgraded; an older PostgreSQL store (shared by several
workstations) waits for ``parolesim db upgrade``; a newer or foreign schema is refused.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlalchemy as sa

from engine.wording import plural
from simulator.store import accounts, audit, cohorts, migrate, tamper
from simulator.store.access import Action, visible_people
from simulator.store.accounts import Person
from simulator.store.assigning import Assignments
from simulator.store.audit import AuditEntry
from simulator.store.classroom import Classes
from simulator.store.cohorts import Cohort
from simulator.store.core import Database, Denied, PersonRef
from simulator.store.db import (
    describe,
    lock_timeout,
    make_engine,
    resolve_url,
    split_read_only,
    translated_errors,
)
from simulator.store.derive import rescore_sample
from simulator.store.errors import (
    InvalidRecord,
    SignInFailed,
    StoreSchemaError,
    StoreUnavailable,
)
from simulator.store.evaluating import Evaluations
from simulator.store.migrate import SchemaKind, SchemaState
from simulator.store.progress import Progress, load_progress
from simulator.store.recording import Attempts
from simulator.store.reviewing import Reviews
from simulator.store.schema import metadata, utcnow

log = logging.getLogger(__name__)


@dataclass
class Examination:
    """What ``parolesim db check`` reports about a database, without changing it."""

    location: str
    backend: str
    state: SchemaState
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    rescored: int = 0  # stored scores worked out again from their events

    @property
    def healthy(self) -> bool:
        return not self.problems and self.state.kind is SchemaKind.CURRENT


def _refuse(state: SchemaState, where: str) -> None:
    if state.kind is SchemaKind.NEWER:
        raise StoreSchemaError(
            f"the records database {where} has schema revision {state.revision!r}, which this "
            f"parolesim does not know (it knows up to {state.head!r}): it was written by a "
            "newer parolesim. Upgrade parolesim on this workstation; the database was not "
            "changed."
        )
    if state.kind is SchemaKind.FOREIGN:
        raise StoreSchemaError(
            f"the database {where} has tables named like parolesim's but no parolesim schema "
            "version; it was not changed. Point --db at a parolesim records database or an "
            "empty one."
        )


def _postgres_read_only(conn: sa.Connection) -> bool:
    """Whether this PostgreSQL session can only read: read-only sessions, or a role that
    may not add audit rows (say, one granted only SELECT)."""
    if conn.exec_driver_sql("SHOW transaction_read_only").scalar_one() == "on":
        return True
    table = conn.exec_driver_sql("SELECT to_regclass('audit_log')").scalar_one()
    if table is None:
        return False
    allowed = conn.exec_driver_sql("SELECT has_table_privilege('audit_log', 'INSERT')")
    return not allowed.scalar_one()


class Store:
    """The records store. Create it with :meth:`open`; close it (or use ``with``)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.migrated: tuple[str | None, str] | None = None  # (from, to) if opening migrated
        self.attempts = Attempts(db)
        self.evaluations = Evaluations(db)
        self.reviews = Reviews(db)
        self.assignments = Assignments(db)
        self.classes = Classes(db, self.attempts)

    # --- opening -----------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        busy_timeout: float | None = None,
        upgrade: bool | None = None,
        local_paths: bool = True,
        pool_size: int = 5,
        prepare: bool = True,
        read_only: bool = False,
    ) -> Store:
        """Open the records at ``url`` (default: see ``simulator.store.db``).

        ``upgrade=None`` creates a new store and upgrades an older SQLite one; ``True`` also
        upgrades an older PostgreSQL one (``parolesim db upgrade``); ``False`` changes no
        schema and refuses anything but the current one. ``local_paths=False`` (a records
        server) never opens a scenario path an attempt recorded, only the scenario library.

        The store is read-only (reads work, writes are refused, nothing is audited) when
        ``read_only`` is given, when a SQLite URL ends in ``?mode=ro`` or its file may not be
        written, and when a PostgreSQL role may not add audit rows or its sessions are
        read-only (``default_transaction_read_only=on``).
        """
        busy_timeout = lock_timeout() if busy_timeout is None else busy_timeout
        resolved, default = resolve_url(url)
        resolved, asked = split_read_only(resolved)
        read_only = read_only or asked
        where = describe(resolved)
        with translated_errors(where, busy_timeout):
            engine = make_engine(
                resolved,
                default_location=default,
                busy_timeout=busy_timeout,
                pool_size=pool_size,
                read_only=read_only,
            )
        db = Database(
            engine, resolved, where, busy_timeout, local_paths=local_paths, read_only=read_only
        )
        store = cls(db)
        try:
            if not read_only and db.backend == "postgresql":
                with db.read() as conn:
                    db.read_only = _postgres_read_only(conn)
            if db.read_only:
                store._check_readable()
            elif prepare:
                store._prepare(upgrade)
            else:
                with store._db.read() as conn:
                    _refuse(migrate.inspect_schema(conn), store.location)
        except BaseException:
            store.close()
            raise
        return store

    def _check_readable(self) -> None:
        """A read-only store must already hold the current schema: nothing can be made."""
        with self._db.read() as conn:
            state = migrate.inspect_schema(conn)
        _refuse(state, self.location)
        if state.kind is SchemaKind.EMPTY:
            raise StoreUnavailable(
                f"the records database {self.location} holds no parolesim records, and it is "
                "open read-only, so none were created"
            )
        if state.kind is SchemaKind.OLDER:
            raise StoreSchemaError(
                f"the records database {self.location} is at schema revision "
                f"{state.revision or '(none)'} and open read-only; this parolesim needs "
                f"{state.head}. Run `parolesim db upgrade` on the writable store first."
            )

    def _prepare(self, upgrade: bool | None) -> None:
        with self._db.read() as conn:
            state = migrate.inspect_schema(conn)
        if state.kind is SchemaKind.CURRENT:
            return
        _refuse(state, self.location)
        if state.kind is SchemaKind.EMPTY:
            with self._db.read() as conn:
                others = sorted(sa.inspect(conn).get_table_names())
            if others:
                shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
                raise StoreSchemaError(
                    f"the database {self.location} already holds other tables ({shown}); "
                    f"parolesim will not add its {len(metadata.tables)} tables among them and "
                    "changed nothing. Point --db at an empty database, or on PostgreSQL at a "
                    "schema of its own (add ?options=-csearch_path%3Dparolesim to the URL "
                    "after `CREATE SCHEMA parolesim`)"
                )
        allowed = (
            upgrade
            if upgrade is not None
            else (state.kind is SchemaKind.EMPTY or self.backend == "sqlite")
        )
        if not allowed:
            raise StoreSchemaError(
                f"the records database {self.location} is at schema revision "
                f"{state.revision or '(none)'}; this parolesim needs {state.head}. Run "
                "`parolesim db upgrade` once (all workstations must run this version after)."
            )
        self.migrated = self.upgrade()

    def schema_state(self) -> SchemaState:
        with self._db.read() as conn:
            return migrate.inspect_schema(conn)

    def require_admin(self, actor: Person, what: str) -> None:
        """Refuse (and audit) unless ``actor`` is an active admin."""
        with self._db.write() as conn:
            self._db.require(
                conn,
                self._db.actor(conn, actor),
                Action.MANAGE_PEOPLE,
                None,
                what=what,
                target=("store", "schema"),
            )

    def upgrade(self) -> tuple[str | None, str] | None:
        """Bring the schema to this program's head; (from, to) revisions, None if current."""
        with self._db.write() as conn:
            migrate.serialise_schema_changes(conn)
            state = migrate.inspect_schema(conn)
            _refuse(state, self.location)
            if state.kind is SchemaKind.CURRENT:
                return None
            if state.kind is SchemaKind.OLDER and self.path is not None:
                copy = migrate.backup_sqlite(self.path, state.revision or "none")
                log.warning("backed up %s to %s before upgrading it", self.path, copy)
            migrate.upgrade(conn)
        return state.revision, state.head

    @classmethod
    def examine(
        cls,
        url: str | None = None,
        *,
        busy_timeout: float | None = None,
        rescore: int | None = 20,
    ) -> Examination:
        """Check a database without changing it (opened read-only): schema revision,
        integrity, the signature chain, each finished attempt's log hash, row counts, and
        the stored scores of ``rescore`` attempts picked at random (None: all) worked out
        again from their events."""
        resolved, _default = resolve_url(url)
        where = describe(resolved)
        if resolved.get_backend_name() == "sqlite" and not Path(where).exists():
            raise StoreUnavailable(
                f"there is no records database at {where} yet; parolesim creates it the first "
                "time it records an attempt or adds a person"
            )
        if resolved.get_backend_name() == "sqlite" and Path(where).stat().st_size == 0:
            report = Examination(where, "sqlite", SchemaState(SchemaKind.EMPTY, None, ""))
            report.problems.append(
                "the file is empty (0 bytes): it holds no records; if it held records it was "
                "truncated. Restore it from a backup (it has not been changed)"
            )
            return report
        busy_timeout = lock_timeout() if busy_timeout is None else busy_timeout
        with translated_errors(where, busy_timeout):
            engine = make_engine(
                resolved, default_location=False, busy_timeout=busy_timeout, read_only=True
            )
        db = Database(engine, resolved, where, busy_timeout, read_only=True)
        try:
            with db.read() as conn:
                state = migrate.inspect_schema(conn)
                report = Examination(where, db.backend, state)
                if db.backend == "sqlite":
                    found = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                    report.problems = [p for p in found if p != "ok"]
                    report.problems += [
                        f"foreign key broken in {r[0]} row {r[1]}"
                        for r in conn.exec_driver_sql("PRAGMA foreign_key_check")
                    ]
                if state.kind in (SchemaKind.CURRENT, SchemaKind.OLDER):
                    present = set(sa.inspect(conn).get_table_names())
                    for name, table in metadata.tables.items():
                        if name in present:
                            count = conn.execute(sa.select(sa.func.count()).select_from(table))
                            report.counts[name] = int(count.scalar_one())
                if state.kind is SchemaKind.CURRENT and not report.problems:
                    report.problems += tamper.verify_chain(conn)
                    report.problems += tamper.verify_logs(conn)
                    checked, differ = rescore_sample(conn, rescore)
                    report.rescored = checked
                    report.problems += differ
            return report
        finally:
            db.dispose()

    # --- about the store ---------------------------------------------------------------
    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._db.backend

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine (for a listener that needs a connection of its own)."""
        return self._db.engine

    @property
    def read_only(self) -> bool:
        """True when this store can only be read: reads work and are not audited here."""
        return self._db.read_only

    @property
    def location(self) -> str:
        """The SQLite file path or the PostgreSQL URL without password (for messages)."""
        return self._db.where

    @property
    def path(self) -> Path | None:
        return Path(str(self._db.url.database)) if self.backend == "sqlite" else None

    def close(self) -> None:
        self._db.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- people ------------------------------------------------------------------------
    def sign_in(self, ref: str | int, password: str | None = None) -> Person:
        """The person behind username or id ``ref``; a failure is audited and raises
        :class:`SignInFailed` without saying whether the account exists. After
        ``FAILURE_LIMIT`` failures in a row the account waits ``LOCKOUT`` (audited too);
        a hash made with weaker settings than today's is replaced on success."""
        now = utcnow()
        failure: SignInFailed | None = None
        person: Person | None = None
        rehashed: str | None = None
        with self._db.read() as conn:
            key = accounts.sign_in_key(conn, ref)
            until = accounts.locked_until(conn, key, now)
            if until is None:
                try:
                    person, rehashed = accounts.check_sign_in(conn, ref, password)
                except SignInFailed as exc:
                    failure = exc
        # A read-only store can record nothing: there the sign-in is not audited (nor a
        # hash renewed); the writable store audits its own sign-ins.
        if not self._db.read_only:
            with self._db.write() as conn:
                if until is not None:
                    audit.record(
                        conn,
                        None,
                        "sign_in_locked",
                        target_type="person",
                        target_id=key,
                        allowed=False,
                    )
                elif failure is not None or person is None:
                    audit.record(
                        conn, None, "sign_in", target_type="person", target_id=key, allowed=False
                    )
                else:
                    if rehashed is not None:
                        accounts.store_rehash(conn, person, rehashed)
                    audit.record(conn, person, "sign_in", target_type="person", target_id=key)
        if until is not None:
            minutes = max(1, math.ceil((until - now).total_seconds() / 60))
            raise SignInFailed(
                f"too many failed sign-ins for {str(ref)[:64]!r}: "
                f"wait {plural(minutes, 'minute')}, or ask an admin to reset the password"
            )
        if failure is not None:
            raise failure
        assert person is not None
        return person

    def person(self, ref: PersonRef) -> Person:
        """Look a person up by username or id (names are not secret; records are)."""
        with self._db.read() as conn:
            return self._db.person(conn, ref)

    def profiles(self, role: str = "trainee") -> list[Person]:
        """Active people of a role, for a sign-in picker (names are not secret; records are)."""
        with self._db.read() as conn:
            return [p for p in accounts.list_people(conn, role) if p.active]

    def needs_setup(self) -> bool:
        """True while no active admin exists: then anyone at the machine may add people."""
        with self._db.read() as conn:
            return not accounts.admin_exists(conn)

    def add_person(
        self,
        actor: Person | None,
        username: str,
        *,
        role: str = "trainee",
        display_name: str = "",
        password: str | None = None,
        email: str | None = None,
    ) -> Person:
        """Add a profile. ``actor`` must be an admin, except while the store has none
        (first set-up), when ``actor=None`` is accepted."""
        with self._db.write() as conn:
            if actor is None:
                if accounts.admin_exists(conn):
                    raise Denied(
                        "this store has an admin: sign in as an admin to add people (--user)",
                        None,
                        Action.MANAGE_PEOPLE.value,
                        ("person", username[:64]),
                    )
            else:
                actor = self._db.actor(conn, actor)
                self._db.require(
                    conn,
                    actor,
                    Action.MANAGE_PEOPLE,
                    None,
                    what="add people",
                    target=("person", username),
                )
            person = accounts.add_person(
                conn, username, display_name, role, password=password, email=email
            )
            audit.record(
                conn,
                actor,
                "add_person",
                target_type="person",
                target_id=person.id,
                detail={"username": person.username, "role": person.role},
            )
            return person

    def set_password(self, actor: Person, ref: PersonRef, password: str | None) -> None:
        """Set or clear (``None``) a password: one's own, or anyone's as admin."""
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            subject = self._db.person(conn, ref)
            if subject.id != actor.id:
                self._db.require(
                    conn,
                    actor,
                    Action.MANAGE_PEOPLE,
                    None,
                    target=("person", subject.username),
                    what="set passwords",
                )
            accounts.set_password(conn, subject, password)
            audit.record(
                conn,
                actor,
                "set_password" if password else "clear_password",
                target_type="person",
                target_id=subject.id,
            )

    def set_active(self, actor: Person, ref: PersonRef, active: bool) -> Person:
        """Disable (or re-enable) a profile; a disabled person cannot sign in or act, and
        their records stay."""
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            subject = self._db.person(conn, ref)
            self._db.require(
                conn,
                actor,
                Action.MANAGE_PEOPLE,
                None,
                target=("person", subject.username),
                what="disable or enable people",
            )
            if subject.id == actor.id and not active:
                raise InvalidRecord("you cannot disable your own account; ask another admin")
            accounts.set_active(conn, subject, active)
            audit.record(
                conn,
                actor,
                "enable_person" if active else "disable_person",
                target_type="person",
                target_id=subject.id,
            )
            return self._db.person(conn, subject.id)

    def people(self, actor: Person, *, role: str | None = None) -> list[Person]:
        """Everyone (admin), or the actor and the people whose records they may see."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            found = accounts.list_people(conn, role)
            scope = visible_people(actor, Action.VIEW_RECORDS)
            if scope is None:
                return found
            visible = set(conn.execute(scope).scalars()) | {actor.id}
            return [p for p in found if p.id in visible]

    def assign_fto(self, actor: Person, fto: PersonRef, trainee: PersonRef) -> bool:
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            self._db.require(conn, actor, Action.MANAGE_PEOPLE, None, what="assign FTOs")
            trainer, subject = self._db.person(conn, fto), self._db.person(conn, trainee)
            added = cohorts.assign_fto(conn, trainer, subject)
            audit.record(
                conn,
                actor,
                "assign_fto",
                target_type="person",
                target_id=subject.id,
                detail={"fto": trainer.username, "changed": added},
            )
            return added

    # --- cohorts -----------------------------------------------------------------------
    def add_cohort(self, actor: Person, name: str, description: str = "") -> Cohort:
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            self._db.require(
                conn,
                actor,
                Action.MANAGE_COHORTS,
                None,
                what="add cohorts",
                target=("cohort", name),
            )
            cohort = cohorts.add_cohort(conn, name, description)
            audit.record(
                conn,
                actor,
                "add_cohort",
                target_type="cohort",
                target_id=cohort.id,
                detail={"name": cohort.name},
            )
            return cohort

    def enrol(
        self, actor: Person, cohort: str | int, person: PersonRef, *, role: str = "trainee"
    ) -> bool:
        """Put ``person`` in ``cohort`` as a trainee or an instructor; False if already in."""
        with self._db.write() as conn:
            actor = self._db.actor(conn, actor)
            self._db.require(
                conn,
                actor,
                Action.MANAGE_COHORTS,
                None,
                what="enrol people",
                target=("cohort", cohort),
            )
            found, member = cohorts.find_cohort(conn, cohort), self._db.person(conn, person)
            added = cohorts.enrol(conn, found, member, role)
            audit.record(
                conn,
                actor,
                "enrol",
                target_type="cohort",
                target_id=found.id,
                detail={"person": member.username, "role": role, "changed": added},
            )
            return added

    def cohorts(self, actor: Person) -> list[Cohort]:
        """Every cohort (admin), else the cohorts the actor teaches or belongs to."""
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            every = cohorts.list_cohorts(conn)
            if actor.role == "admin":
                return every
            return [c for c in every if actor.username in c.trainees + c.instructors]

    def cohort(self, actor: Person, ref: str | int) -> Cohort:
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            found = cohorts.find_cohort(conn, ref)
            if actor.role != "admin" and actor.username not in found.instructors + found.trainees:
                self._db.require(
                    conn,
                    actor,
                    Action.MANAGE_COHORTS,
                    None,
                    target=("cohort", found.id),
                    what="see this cohort",
                )
            return found

    # --- progress and audit ------------------------------------------------------------
    def progress(self, actor: Person, trainee: PersonRef) -> Progress:
        with self._db.read() as conn:
            actor = self._db.actor(conn, actor)
            subject = self._db.person(conn, trainee)
            self._db.require(conn, actor, Action.VIEW_RECORDS, subject, what="see the progress")
            return load_progress(conn, subject)

    def audit_log(
        self, actor: Person, *, limit: int = 100, denied_only: bool = False
    ) -> list[AuditEntry]:
        with self._db.read() as conn:
            self._db.require(
                conn,
                self._db.actor(conn, actor),
                Action.READ_AUDIT,
                None,
                what="read the audit log",
            )
            return audit.entries(conn, limit=limit, denied_only=denied_only)

    def record_export(self, actor: Person, fmt: str, attempts: int, detail: dict[str, Any]) -> None:
        """Note in the audit log that ``actor`` exported records (not on a read-only store,
        where nothing can be written)."""
        if self._db.read_only:
            return
        with self._db.write() as conn:
            audit.record(
                conn,
                actor,
                "export",
                target_type="export",
                target_id=fmt,
                detail={"attempts": attempts, **detail},
            )
