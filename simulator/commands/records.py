"""Records administration: ``db upgrade|check``, ``users add|list|passwd|assign-fto``,
``cohorts add|list|enrol`` and ``audit``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from engine.wording import plural
from simulator.commands.signin import (
    add_user_options,
    open_database,
    open_store,
    passwords,
    sign_in,
)
from simulator.connect import server_url
from simulator.errors import CommandError, UsageError

if TYPE_CHECKING:  # the store loads only when a command runs
    pass

# The roles of the records schema (simulator.store.schema.ROLES; a test keeps them
# equal), written out so that building the parser does not load the store.
ROLES = ("trainee", "fto", "instructor", "admin")


def _whole(text: str) -> int:
    """A whole number 0-1,000,000,000 for a count option (argparse reports anything else)."""
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) > 10**9:
        raise argparse.ArgumentTypeError(f"expected a whole number up to 1000000000, got {text!r}")
    return int(text)


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


# --- db ------------------------------------------------------------------------------
def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Create or upgrade the schema; once the records have an admin, only an admin may."""
    from simulator.store.migrate import SchemaKind, head_revision

    with open_database(args, prepare=False) as store:
        if store.schema_state().kind is not SchemaKind.EMPTY and not store.needs_setup():
            store.require_admin(sign_in(store, args), "upgrade the records schema")
        migrated = store.upgrade()
        if migrated is None:
            print(f"{store.location}: schema is current ({head_revision()})")
        else:
            before, after = migrated
            print(f"{store.location}: schema upgraded from {before or '(empty)'} to {after}")
    return 0


def cmd_db_server_role(args: argparse.Namespace) -> int:
    from simulator.store.grants import create_server_role

    secret = passwords(args).read(f"Password for the role {args.name}: ", confirm=True)
    with open_database(args) as store, store._db.write() as conn:
        created = create_server_role(conn, args.name, secret)
    print(
        f"{'created' if created else 'updated'} role {args.name}: it may read and add records "
        "but not truncate tables, rewrite events, signatures or the audit log, or disable "
        "triggers. Start the server with its URL: "
        f"parolesim --db postgresql://{args.name}:PASSWORD@HOST/DB serve"
    )
    return 0


def cmd_db_check(args: argparse.Namespace) -> int:
    from simulator.store import Store
    from simulator.store.migrate import SchemaKind

    if server_url(getattr(args, "server", None)):
        raise UsageError(
            "`db check` reads the database itself: run it on the server with --db URL "
            "(and without --server or PAROLESIM_SERVER)"
        )
    report = Store.examine(getattr(args, "db", None), rescore=None if args.all else args.sample)
    state = report.state
    print(f"database: {report.location} ({report.backend})")
    verdicts = {
        SchemaKind.CURRENT: f"schema: {state.revision} (current)",
        SchemaKind.OLDER: f"schema: {state.revision}, older than {state.head}: run "
        "`parolesim db upgrade`",
        SchemaKind.NEWER: f"schema: {state.revision}, unknown to this parolesim (newer); "
        "upgrade parolesim",
        SchemaKind.EMPTY: "schema: none yet (an empty database; first use creates it)",
        SchemaKind.FOREIGN: "schema: tables named like parolesim's without a version: not ours",
    }
    print(verdicts[state.kind])
    for table, count in sorted(report.counts.items()):
        print(f"  {table}: {plural(count, 'row')}")
    if state.kind is SchemaKind.CURRENT:
        print(f"scores worked out again from their events: {plural(report.rescored, 'attempt')}")
    for problem in report.problems:
        print(f"problem: {problem}")
    if report.problems:
        raise CommandError(
            f"the records database {report.location} has the problems above; it has not been "
            "changed. Restore it from a backup, or ask your administrator to look into them"
        )
    return 0 if state.kind in (SchemaKind.CURRENT, SchemaKind.EMPTY) else 1


# --- users ---------------------------------------------------------------------------
def cmd_users_add(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        actor = None if store.needs_setup() and not args.user else sign_in(store, args)
        secret = None
        if not args.no_password:
            secret = passwords(args).read(f"New password for {args.username}: ", confirm=True)
        person = store.add_person(
            actor,
            args.username,
            role=args.role,
            display_name=args.name or "",
            password=secret,
            email=args.email,
        )
        note = "" if person.has_password else " (no password: anyone at this machine can sign in)"
        print(f"added {person.role} {person.username} (id {person.id}){note}")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        actor = sign_in(store, args)
        found = store.people(actor, role=args.role)
    if args.json:
        _print_json([p.to_dict() for p in found])
        return 0
    for p in found:
        flags = "" if p.active else " (disabled)"
        print(f"{p.id:>5}  {p.username:<20} {p.role:<10} {p.display_name}{flags}")
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        actor = sign_in(store, args, fallback=args.username)
        secret = None
        if not args.clear:
            secret = passwords(args).read(f"New password for {args.username}: ", confirm=True)
        store.set_password(actor, args.username, secret)
    print(f"password {'cleared' if args.clear else 'changed'} for {args.username}")
    return 0


def cmd_users_active(args: argparse.Namespace) -> int:
    active = args.users_command == "enable"
    with open_store(args) as store:
        actor = sign_in(store, args)
        person = store.set_active(actor, args.username, active)
    print(f"{person.username} is {'enabled' if active else 'disabled'}")
    return 0


def cmd_users_assign_fto(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        actor = sign_in(store, args)
        added = store.assign_fto(actor, args.fto, args.trainee)
    print(f"{args.fto} {'now trains' if added else 'already trained'} {args.trainee}")
    return 0


# --- cohorts -------------------------------------------------------------------------
def cmd_cohorts_add(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        actor = sign_in(store, args)
        cohort = store.add_cohort(actor, args.name, args.description)
    print(f"added cohort {cohort.name} (id {cohort.id})")
    return 0


def cmd_cohorts_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        actor = sign_in(store, args)
        found = store.cohorts(actor)
    if args.json:
        _print_json([c.to_dict() for c in found])
        return 0
    for c in found:
        print(f"{c.id:>5}  {c.name}  ({plural(len(c.trainees), 'trainee')})")
        if c.instructors:
            print(f"       instructors: {', '.join(c.instructors)}")
        if c.trainees:
            print(f"       trainees: {', '.join(c.trainees)}")
    return 0


def cmd_cohorts_enrol(args: argparse.Namespace) -> int:
    role = "instructor" if args.instructor else "trainee"
    with open_store(args) as store:
        actor = sign_in(store, args)
        for person in args.people:
            added = store.enrol(actor, args.cohort, person, role=role)
            print(f"{person}: {'enrolled' if added else 'already enrolled'} as {role}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        actor = sign_in(store, args)
        entries = store.audit_log(actor, limit=args.limit, denied_only=args.denied)
    if args.json:
        _print_json([e.to_dict() for e in entries])
        return 0
    for e in entries:
        target = f" {e.target_type} {e.target_id}" if e.target_type else ""
        verdict = "" if e.allowed else "  DENIED"
        print(f"{e.at:%Y-%m-%d %H:%M:%S}Z  {e.actor:<16} {e.action}{target}{verdict}")
    return 0


def register(sub: Any) -> None:
    db = sub.add_parser("db", help="records database: upgrade its schema, check it")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    p = db_sub.add_parser(
        "upgrade", help="create or upgrade the records schema (an admin, once there is one)"
    )
    add_user_options(p)
    p.set_defaults(func=cmd_db_upgrade)
    p = db_sub.add_parser(
        "check",
        help="report schema version, damage, broken signature chains, changed logs and scores "
        "that differ from their events (reads only)",
    )
    p.add_argument(
        "--sample",
        type=_whole,
        default=20,
        metavar="N",
        help="score N attempts picked at random again (default 20)",
    )
    p.add_argument("--all", action="store_true", help="score every attempt again")
    p.set_defaults(func=cmd_db_check)
    p = db_sub.add_parser(
        "server-role",
        help="create the restricted PostgreSQL role `parolesim serve` connects as (run as "
        "the database owner)",
    )
    p.add_argument("name", help="role name, e.g. parolesim_server")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(func=cmd_db_server_role)

    users = sub.add_parser("users", help="people: add, list, passwords, disable, assign FTOs")
    u_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    p = u_sub.add_parser("add", help="add a person (the first admin needs no sign-in)")
    p.add_argument("username")
    p.add_argument(
        "--role", choices=ROLES, default="trainee", help="what the person does (default trainee)"
    )
    p.add_argument("--name", help="display name, e.g. 'Dana Whitfield'")
    p.add_argument("--email", help="the person's email address")
    p.add_argument("--no-password", action="store_true", help="a profile without a password")
    add_user_options(p)
    p.set_defaults(func=cmd_users_add)
    p = u_sub.add_parser("list", help="list the people you may see")
    p.add_argument("--role", choices=ROLES, help="only people with this role")
    p.add_argument("--json", action="store_true", help="print as JSON")
    add_user_options(p)
    p.set_defaults(func=cmd_users_list)
    p = u_sub.add_parser("passwd", help="set (or --clear) a password")
    p.add_argument("username")
    p.add_argument("--clear", action="store_true", help="remove the password")
    add_user_options(p)
    p.set_defaults(func=cmd_users_passwd)
    for action, text in (("disable", "stop a person signing in"), ("enable", "undo disable")):
        p = u_sub.add_parser(action, help=f"{text} (their records stay)")
        p.add_argument("username")
        add_user_options(p)
        p.set_defaults(func=cmd_users_active)
    p = u_sub.add_parser("assign-fto", help="make FTO the field training officer of TRAINEE")
    p.add_argument("fto")
    p.add_argument("trainee")
    add_user_options(p)
    p.set_defaults(func=cmd_users_assign_fto)

    cohorts = sub.add_parser("cohorts", help="academy classes: add, list, enrol")
    c_sub = cohorts.add_subparsers(dest="cohorts_command", metavar="ACTION", required=True)
    p = c_sub.add_parser("add", help="add a cohort")
    p.add_argument("name")
    p.add_argument("--description", default="", help="a line about the class, shown in lists")
    add_user_options(p)
    p.set_defaults(func=cmd_cohorts_add)
    p = c_sub.add_parser("list", help="list cohorts with their people")
    p.add_argument("--json", action="store_true", help="print as JSON")
    add_user_options(p)
    p.set_defaults(func=cmd_cohorts_list)
    p = c_sub.add_parser("enrol", help="enrol trainees (or --instructor instructors)")
    p.add_argument("cohort", help="cohort name or id")
    p.add_argument("people", nargs="+", metavar="PERSON")
    p.add_argument("--instructor", action="store_true", help="enrol as instructors")
    add_user_options(p)
    p.set_defaults(func=cmd_cohorts_enrol)

    p = sub.add_parser("audit", help="the audit log, newest first (admin)")
    p.add_argument("--limit", type=_whole, default=50, help="how many entries (default 50)")
    p.add_argument("--denied", action="store_true", help="only refused actions")
    p.add_argument("--json", action="store_true", help="print as JSON")
    add_user_options(p)
    p.set_defaults(func=cmd_audit)
