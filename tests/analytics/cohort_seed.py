"""A cohort with real recorded attempts whose choices are known, for the analytics tests,
the console screens and their screenshots.

Class 26-1 (instructor Inés Varga) has trainees alice, bob and carl; Class 26-2
(instructor Gail Porter) has dana. Each attempt plays a real library scenario with the real
policy pack, taking the named choice at each listed decision node and the first option
(as authored) elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from engine.compile import compile_scenario
from engine.loader import load_scenario
from engine.session import Session
from simulator.attempt_link import AttemptLink
from simulator.store import Attempt, Person, Store
from simulator.store.records import Records
from simulator.store.schema import attempts

ROOT = Path(__file__).resolve().parents[2]
VISITOR = ROOT / "scenarios" / "home_visit" / "hv-routine-visitor.yaml"
WEAPON = ROOT / "scenarios" / "home_visit" / "hv-weapon-disengage.yaml"
PASSWORD = "cohort-pass-1"

# what each trainee takes at the visitor scenario's first two decisions, attempt by attempt
GOOD = {"prep_file": "read_file", "prep_checks": "checks_and_log"}
SKIM = {"prep_file": "skim_and_go", "prep_checks": "log_only"}
ASK = {"prep_file": "ask_priya", "prep_checks": "checks_and_log"}


@dataclass(frozen=True)
class Academy:
    admin: Person
    ines: Person  # instructor of Class 26-1
    gail: Person  # instructor of Class 26-2
    attempts: dict[str, list[Attempt]]  # trainee -> their attempts, oldest first


def play(
    store: Records,
    actor: Person,
    trainee: str,
    path: Path,
    picks: Mapping[str, str],
    *,
    seed: int = 4,
) -> Attempt:
    """A finished, scored attempt taking ``picks[node]`` where given, else the first
    option as authored."""
    sf = load_scenario(path)
    link = AttemptLink.start(store, actor, trainee, sf, seed=seed)
    session = Session.start(compile_scenario(sf), seed, on_event=link.on_event)
    while not session.ended:
        choices = [c.id for c in session.available_choices()]
        wanted = picks.get(session.node_id)
        session.choose(wanted if wanted in choices else choices[0])
    return link.close(session)


def backdate(store: Store, attempt_id: int, when: datetime) -> None:
    """Move an attempt's start (for the --since filter): attempts are otherwise all today."""
    with store._db.write() as conn:
        conn.execute(sa.update(attempts).where(attempts.c.id == attempt_id).values(started_at=when))


def academy(store: Records, *, password: str = PASSWORD) -> Academy:
    admin = store.add_person(
        None, "rae", role="admin", display_name="Rae Okafor", password=password
    )
    ines = store.add_person(
        admin, "ines", role="instructor", display_name="Inés Varga", password=password
    )
    gail = store.add_person(
        admin, "gail", role="instructor", display_name="Gail Porter", password=password
    )
    for name, full in (
        ("alice", "Alice Nguyen"),
        ("bob", "Bob Castellanos"),
        ("carl", "Carl Mensah"),
        ("dana", "Dana Whitfield"),
    ):
        store.add_person(admin, name, display_name=full)
    store.add_cohort(admin, "Class 26-1")
    store.add_cohort(admin, "Class 26-2")
    for who in ("alice", "bob", "carl"):
        store.enrol(admin, "Class 26-1", who)
    store.enrol(admin, "Class 26-1", "ines", role="instructor")
    store.enrol(admin, "Class 26-2", "dana")
    store.enrol(admin, "Class 26-2", "gail", role="instructor")
    plan: list[tuple[str, Path, Mapping[str, str]]] = [
        ("alice", VISITOR, SKIM),  # alice: skims first, then does it properly
        ("bob", VISITOR, GOOD),
        ("carl", VISITOR, ASK),
        ("alice", VISITOR, GOOD),
        ("bob", WEAPON, {}),
        ("dana", VISITOR, SKIM),  # another cohort: never counted in Class 26-1
    ]
    played: dict[str, list[Attempt]] = {}
    for trainee, path, picks in plan:
        played.setdefault(trainee, []).append(play(store, admin, trainee, path, picks))
    return Academy(admin, ines, gail, played)


def first_day(store: Store, academy_: Academy) -> None:
    """Date alice's first attempt to 1 November 2026 (the rest stay today)."""
    backdate(store, academy_.attempts["alice"][0].id, datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
