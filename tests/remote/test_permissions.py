"""Who may do what, as a table: every records call and the records commands, as every role,
directly on the store and through the records server, on SQLite and PostgreSQL. Each
refusal must leave a denied row in the audit log, and each permitted read of another
person's records a ``read_records`` row.

The academy (tests/remote/conftest.py): alice is a trainee in Class 26-1 taught by ines
(instructor); bob is a trainee assigned to fred (FTO); rae is the admin.
"""

from __future__ import annotations

import io
import itertools
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from simulator.cli import main
from simulator.store import AccessDenied, Person, Rating
from simulator.store.records import Records
from tests.remote.conftest import Academy
from tests.store.conftest import STAFF_PASSWORD
from tests.store.helpers import minimal_ref

ROLES = ("alice", "fred", "ines", "rae")  # trainee, FTO, instructor, admin
RATINGS = [Rating("officer_safety", 5)]
_unique = itertools.count()

Call = Callable[[Records, Person, Academy], Any]


def _fresh_attempt(ac: Academy) -> int:
    return ac.store.attempts.start(ac.cast.fred, "bob", minimal_ref(), seed=5).id


def _acknowledged_evaluation(ac: Academy) -> int:
    draft = ac.store.evaluations.create(ac.cast.fred, "bob", RATINGS)
    ac.store.evaluations.sign(ac.cast.fred, draft.id)
    ac.store.evaluations.sign(ac.cast.bob, draft.id)
    return draft.id


def _voting_class(ac: Academy) -> int:
    """A new class session of Class 26-1 with voting open on its first decision."""
    view = ac.store.classes.start(ac.cast.ines, "Class 26-1", "fixture-minimal", seed=4)
    return ac.store.classes.open_voting(ac.cast.ines, view.id).id


# (what, call, roles allowed, is it a read of bob's or alice's records, roles to try)
ROWS: list[tuple[str, Call, set[str], bool, tuple[str, ...]]] = [
    ("progress of bob", lambda r, a, ac: r.progress(a, "bob"), {"fred", "rae"}, True, ROLES),
    (
        "progress of alice",
        lambda r, a, ac: r.progress(a, "alice"),
        {"alice", "ines", "rae"},
        True,
        ROLES,
    ),
    ("bob's attempts", lambda r, a, ac: r.attempts.find(a, "bob"), {"fred", "rae"}, True, ROLES),
    (
        "bob's attempt",
        lambda r, a, ac: r.attempts.get(a, ac.bobs_attempt.id),
        {"fred", "rae"},
        True,
        ROLES,
    ),
    (
        "bob's log",
        lambda r, a, ac: r.attempts.log(a, ac.bobs_attempt.id, with_score=True),
        {"fred", "rae"},
        True,
        ROLES,
    ),
    (
        "bob's score",
        lambda r, a, ac: r.attempts.report(a, ac.bobs_attempt.id),
        {"fred", "rae"},
        True,
        ROLES,
    ),
    (
        "bob's records for export",
        lambda r, a, ac: r.attempts.records(a, ["bob"]),
        {"fred", "rae"},
        True,
        ROLES,
    ),
    (
        "bob's evaluations",
        lambda r, a, ac: r.evaluations.find(a, "bob"),
        {"fred", "rae"},
        True,
        ROLES,
    ),
    (
        "start an attempt for bob",
        lambda r, a, ac: r.attempts.start(a, "bob", minimal_ref(), seed=9),
        {"fred", "rae"},
        False,
        ROLES,
    ),
    (
        "record bob's events",
        lambda r, a, ac: r.attempts.recorder(a, _fresh_attempt(ac)),
        {"fred", "rae"},
        False,
        ROLES,
    ),
    (
        "abandon bob's attempt",
        lambda r, a, ac: r.attempts.abandon(a, _fresh_attempt(ac)),
        {"fred", "rae"},
        False,
        ROLES,
    ),
    (
        "re-score bob's attempt",
        lambda r, a, ac: r.attempts.rescore(a, ac.bobs_attempt.id),
        {"fred", "rae"},
        False,
        ROLES,
    ),
    (
        "try bob's attempt again from a decision",
        lambda r, a, ac: r.attempts.branch(a, ac.bobs_attempt.id, 1),
        {"fred", "rae"},
        False,
        ROLES,
    ),
    (
        "write an evaluation of bob",
        lambda r, a, ac: r.evaluations.create(a, "bob", RATINGS),
        {"fred"},
        False,
        ROLES,
    ),
    (
        "approve bob's evaluation",
        lambda r, a, ac: r.evaluations.sign(a, _acknowledged_evaluation(ac)),
        {"rae"},
        False,
        ("alice", "ines", "rae"),  # fred wrote it: his own step is done, not a permission
    ),
    ("read the audit log", lambda r, a, ac: r.audit_log(a, limit=3), {"rae"}, False, ROLES),
    (
        "add a person",
        lambda r, a, ac: r.add_person(a, f"new{next(_unique)}"),
        {"rae"},
        False,
        ROLES,
    ),
    (
        "set bob's password",
        lambda r, a, ac: r.set_password(a, "bob", None),
        {"rae"},
        False,
        ROLES,
    ),
    ("enable gail", lambda r, a, ac: r.set_active(a, "gail", True), {"rae"}, False, ROLES),
    ("assign an FTO", lambda r, a, ac: r.assign_fto(a, "fred", "bob"), {"rae"}, False, ROLES),
    (
        "add a cohort",
        lambda r, a, ac: r.add_cohort(a, f"Class {next(_unique)}"),
        {"rae"},
        False,
        ROLES,
    ),
    (
        "enrol alice",
        lambda r, a, ac: r.enrol(a, "Class 26-1", "alice"),
        {"rae"},
        False,
        ROLES,
    ),
    (
        "assign a scenario to Class 26-1",
        lambda r, a, ac: r.assignments.assign(a, "Class 26-1", "fixture-minimal", date(2027, 1, 8)),
        {"ines", "rae"},
        False,
        ROLES,
    ),
    (
        "see who has done Class 26-1's assignments",
        lambda r, a, ac: r.assignments.for_cohort(a, "Class 26-1"),
        {"ines", "rae"},
        True,
        ROLES,
    ),
    (
        "alice's assignments",
        lambda r, a, ac: r.assignments.for_trainee(a, "alice"),
        {"alice", "ines", "rae"},
        True,
        ROLES,
    ),
    (
        "Class 26-1's attempt records for its analytics",
        lambda r, a, ac: r.attempts.of_cohort(a, "Class 26-1"),
        {"ines", "rae"},
        True,
        ROLES,
    ),
    (
        "start a class session for Class 26-1",
        lambda r, a, ac: r.classes.start(a, "Class 26-1", "fixture-minimal", seed=2),
        {"ines", "rae"},
        False,
        ROLES,
    ),
    (
        "close voting in Class 26-1's class session",
        lambda r, a, ac: r.classes.close_voting(a, _voting_class(ac)),
        {"ines", "rae"},
        False,
        ROLES,
    ),
    (
        "vote in Class 26-1's class session",
        lambda r, a, ac: r.classes.vote(a, _voting_class(ac), "A"),
        {"alice"},
        False,
        ROLES,
    ),
    (
        "follow Class 26-1's class session",
        lambda r, a, ac: r.classes.state(a, _voting_class(ac)),
        {"alice", "ines", "rae"},
        False,
        ROLES,
    ),
    (
        "export Class 26-1's class session with its votes",
        lambda r, a, ac: r.classes.export(a, _voting_class(ac)),
        {"ines", "rae"},
        False,
        ROLES,
    ),
    (
        "see Class 26-1",
        lambda r, a, ac: r.cohort(a, "Class 26-1"),
        {"alice", "ines", "rae"},
        False,
        ROLES,
    ),
]


def _newest(ac: Academy, *, denied: bool) -> tuple[str, str, bool]:
    entry = ac.store.audit_log(ac.cast.admin, limit=1, denied_only=denied)[0]
    return entry.actor, entry.action, entry.allowed


def _audit_tail(ac: Academy, limit: int) -> list[tuple[str, str, bool]]:
    return [(e.actor, e.action, e.allowed) for e in ac.store.audit_log(ac.cast.admin, limit=limit)]


@pytest.mark.parametrize("transport", ["direct", "server"])
def test_every_call_as_every_role_is_allowed_or_refused_and_audited(
    academy: Academy, transport: str
) -> None:
    records: Records = academy.client if transport == "server" else academy.store
    people = academy.remote if transport == "server" else vars(academy.cast)
    by_name = {p.username: p for p in people.values()} if transport != "server" else people
    wrong: list[str] = []
    for what, call, allowed, is_read, roles in ROWS:
        for role in roles:
            actor = by_name[role]
            try:
                call(records, actor, academy)
            except AccessDenied:
                if role in allowed:
                    wrong.append(f"{role} was refused: {what}")
                elif _newest(academy, denied=True)[0] != role:
                    wrong.append(f"{role}'s refusal to {what} is not in the audit log")
                continue
            if role not in allowed:
                wrong.append(f"{role} was allowed: {what}")
            elif (
                is_read
                and role not in ("alice",)
                and (role, "read_records", True) not in (_audit_tail(academy, 8))
            ):
                wrong.append(f"{role}'s read ({what}) is not in the audit log")
    assert wrong == []


CLI_ROWS: list[tuple[list[str], set[str]]] = [
    (["progress", "--trainee", "bob"], {"fred", "rae"}),
    (["export", "--format", "json", "--trainee", "bob"], {"fred", "rae"}),
    (["resume", "--trainee", "bob"], {"fred", "rae"}),
    (["audit", "--limit", "2"], {"rae"}),
    (["users", "assign-fto", "fred", "bob"], {"rae"}),
    (["users", "enable", "gail"], {"rae"}),
    (["cohorts", "enrol", "Class 26-1", "alice"], {"rae"}),
    (["users", "list"], set(ROLES)),
    (["cohorts", "list"], set(ROLES)),
    (["cohort-report", "Class 26-1", "--json"], {"ines", "rae"}),
    (["class", "list"], set(ROLES)),
    (["assign", "Class 26-1", "--list"], {"ines", "rae"}),
    (["class", "start", "Class 26-1", "fixture-minimal"], {"ines", "rae"}),
]


def _run(args: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    code = main(args)
    return code, err.getvalue()


@pytest.mark.parametrize("transport", ["direct", "server"])
def test_every_records_command_as_every_role(
    academy: Academy, transport: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = ["--server", academy.server] if transport == "server" else ["--db", academy.url]
    wrong: list[str] = []
    for command, allowed in CLI_ROWS:
        for role in ROLES:
            stdin = "" if role == "alice" else STAFF_PASSWORD + "\n"
            with monkeypatch.context() as patch:
                code, err = _run(
                    [*where, *command, "--user", role, "--password-stdin"], stdin, patch
                )
            if role in allowed and code != 0:
                wrong.append(f"{role} could not `{' '.join(command)}`: {err.strip()}")
            if role not in allowed and (code != 1 or "may not" not in err):
                wrong.append(f"{role} was not refused `{' '.join(command)}` ({code}: {err})")
            if role not in allowed and _newest(academy, denied=True)[0] != role:
                wrong.append(f"{role}'s refused `{' '.join(command)}` is not in the audit log")
    assert wrong == []
