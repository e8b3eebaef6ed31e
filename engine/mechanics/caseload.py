"""Caseload triage: a generated caseload, plans over it, and the period rolled forward.

A scenario's ``caseload:`` block says how big the caseload is, its risk mix, how many
hours the period has, which alerts arrive and which plans the trainee can choose. The
people are drawn with numpy from the session seed on a stream of their own, so the
persona, chance and option-order draws a seed gives are unchanged. A choice's
``caseload:`` action carries out a plan (or deals with an alert, or steps low-risk people
down): :func:`act` works out, vectorised over the caseload, which contacts the plan makes
within the hours and derives the facts the pack judges (every high-risk contact due
made or not, low-risk people seen face to face beyond the standard, alerts left open),
then rolls the period forward with numpy and narrates what happened. The state is kept in
the session's variables (``cl_*``), so replaying the log rebuilds it exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.expr import NameInfo
from engine.mechanics.caseload_spec import LEVELS, MODES, Caseload, CaseloadPlan
from engine.model import Choice, Scenario

CASELOAD_STREAM = 0xCA5E  # the caseload's own stream of the attempt's seed
ROLL_STREAM = 0x0E11  # the rolls of the period, one per plan carried out

# hours a contact takes, travel and notes included (the agency's planning figures)
HOURS = np.array([0.0, 0.1, 0.25, 0.75, 1.5])  # none, kiosk, phone, office, home
LOW, MODERATE, HIGH, INTENSIVE = range(4)
NONE, KIOSK, PHONE, OFFICE, HOME = range(5)
# the contact each level's standard calls for when one is due (MSDP-15.01)
STANDARD = np.array([KIOSK, OFFICE, HOME, HOME])
# how likely each level is to have a contact due in a week (a day: a fifth of it)
DUE_WEEK = np.array([0.15, 0.35, 0.6, 1.0])
CONDITIONS = ("GPS", "testing", "curfew", "treatment", "no-contact")
EVENTS = (
    "",
    "started a job",
    "moved address",
    "missed an office report",
    "began treatment",
    "negative test",
    "asked to travel",
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "Amara Ines Joaquin Priya Tomasz Delphine Kwame Lucia Farid Marisol Oren Hana Desmond "
    "Ximena Bogdan Yusra Callum Noor Ezra Paulina Tariq Wren Ignacio Saanvi Mateo Ruth "
    "Kenji Odalys Brennan Leila Soren Beatriz Idris Fiona Lamar Anouk Ravi Tessa Nikolai "
    "Zora"
)
LAST = _words(
    "Abernathy Baptiste Castellanos Dembele Eriksen Fairweather Galloway Haddad Ilunga "
    "Jovanovic Kaminski Lindqvist Mbeki Nakamura Okafor Petrakis Quintero Rasmussen Szabo "
    "Thibodeaux Umarov Valdivia Whitlock Yamazaki Zielinski Achebe Brannigan Cuthbert "
    "Delacroix Esposito Fenwick Gutierrez Holloway Iwu Jankowski Kovalenko Lachance "
    "Moreau"
)


# variables the mechanic keeps (a scenario's guards and lines may read them)
PLANNED = "cl_planned"
HOURS_LEFT = "cl_hours_left"
HIGH_MISSED = "cl_high_missed"
LOW_OVER = "cl_low_over"
ALERTS_OPEN = "cl_alerts_open"
CONTACTS = "cl_contacts"
INCIDENTS = "cl_incidents"
STEPPED_DOWN = "cl_stepped_down"
HANDLED = "cl_handled_{}"
ARRIVED = "cl_alert_{}"

# facts this mechanic derives from a plan; a scenario may not write them by hand
HIGH_RISK_MISSED = "caseload_high_risk_contact_missed"
HIGH_RISK_MET = "caseload_high_risk_contacts_met"
LOW_RISK_OVER = "caseload_low_risk_over_supervised"
LOW_RISK_MATCHED = "caseload_low_risk_contact_matched"
ALERT_OPEN = "caseload_alert_left_open"
ALERTS_FIRST = "caseload_alerts_first"
DERIVED_FACTS: frozenset[str] = frozenset(
    (HIGH_RISK_MISSED, HIGH_RISK_MET, LOW_RISK_OVER, LOW_RISK_MATCHED, ALERT_OPEN, ALERTS_FIRST)
)
OVER_SUPERVISED_AT = 3  # this many low-risk people seen face to face beyond the standard
WORKLOAD = 0.65  # the share of the period's hours the high-risk contacts due may need


@dataclass(frozen=True)
class People:
    """A caseload as columns, one row per person (the arrays are never written to)."""

    names: tuple[str, ...]
    risk: np.ndarray[Any, Any]  # assessed: 0 low, 1 moderate, 2 high
    level: np.ndarray[Any, Any]  # supervision level on file: 0 low .. 3 intensive
    matched: np.ndarray[Any, Any]  # the level the risk calls for (file level when not above it)
    conditions: np.ndarray[Any, Any]  # bit i: CONDITIONS[i]
    last_contact: np.ndarray[Any, Any]  # days since the last face-to-face contact
    due: np.ndarray[Any, Any]  # a contact is due in the period
    court: np.ndarray[Any, Any]  # day of the period with a court date, -1 none
    event: np.ndarray[Any, Any]  # index into EVENTS
    alerts: tuple[tuple[str, int], ...]  # alert id -> person row

    def __len__(self) -> int:
        return len(self.names)

    def alert_of(self, alert_id: str) -> int:
        return dict(self.alerts)[alert_id]


def generate(spec: Caseload, seed: int) -> People:
    """The caseload a session with ``seed`` works: drawn from its own stream of the seed."""
    rng = np.random.default_rng([int(seed), CASELOAD_STREAM])
    lo, hi = spec.size
    n = int(rng.integers(lo, hi + 1))
    shares = np.array([spec.mix.get(k, 0.0) for k in ("low", "moderate", "high")], dtype=float)
    risk = rng.choice(3, size=n, p=shares / shares.sum()).astype(np.int8)
    level = risk.copy()
    level[(risk == HIGH) & (rng.random(n) < spec.intensive)] = INTENSIVE
    inherited = (risk == LOW) & (rng.random(n) < spec.inherited)
    level[inherited] = rng.choice([MODERATE, HIGH], size=int(inherited.sum()), p=[0.4, 0.6])
    matched = np.where(inherited, risk, level).astype(np.int8)
    weekly = DUE_WEEK[level] if spec.period == "week" else DUE_WEEK[level] / 5
    weekly = np.where(level == INTENSIVE, 1.0 if spec.period == "week" else 0.6, weekly)
    due = rng.random(n) < weekly
    last = rng.integers(3, 40, size=n) + np.where(level == LOW, rng.integers(20, 80, size=n), 0)
    _within_workload(due, matched, level, last, spec.hours)
    bits = (rng.random((n, len(CONDITIONS))) < np.array([0.0, 0.55, 0.2, 0.35, 0.12])).astype(
        np.int64
    )
    bits[:, 0] = level == INTENSIVE
    conditions = (bits << np.arange(len(CONDITIONS))).sum(axis=1)
    days = 7 if spec.period == "week" else 1
    court = np.where(rng.random(n) < 0.06 * days / 7 + 0.02, rng.integers(0, days, size=n), -1)
    event = np.where(rng.random(n) < 0.3, rng.integers(1, len(EVENTS), size=n), 0)
    combo = rng.choice(len(FIRST) * len(LAST), size=n, replace=False)  # no two alike
    first, last_name = np.divmod(combo, len(LAST))
    names = tuple(
        f"{FIRST[f]} {LAST[g]}" for f, g in zip(first.tolist(), last_name.tolist(), strict=True)
    )
    alerts: list[tuple[str, int]] = []
    taken: set[int] = set()
    for alert_id, alert in spec.alerts.items():
        want = LEVELS.index(alert.level)
        fits = np.flatnonzero((level == want) & (matched == want))
        pool = [int(i) for i in fits if int(i) not in taken]
        if not pool:
            pool = [i for i in range(n) if i not in taken]
        row = pool[int(rng.integers(len(pool)))]
        taken.add(row)
        alerts.append((alert_id, row))
    named = list(names)
    for alert_id, row in alerts:  # a person with an alert is never quiet on the dashboard
        due[row] = True
        alert = spec.alerts[alert_id]
        if alert.person:
            named[row] = alert.person
        if alert.conditions is not None:
            conditions[row] = sum(1 << CONDITIONS.index(c) for c in alert.conditions)
    names = tuple(named)
    return People(names, risk, level, matched, conditions, last, due, court, event, tuple(alerts))


def _within_workload(
    due: np.ndarray[Any, Any],
    matched: np.ndarray[Any, Any],
    level: np.ndarray[Any, Any],
    last: np.ndarray[Any, Any],
    hours: float,
) -> None:
    """Keep the high-risk contacts due within WORKLOAD of the period's hours (caseloads are
    assigned by the workload standard): the most recently seen high-risk people beyond it
    are not due this period. Changes ``due`` in place."""
    heavy = due & (matched == HIGH) & (level != INTENSIVE)
    fixed = float((HOURS[HOME] * (due & (level == INTENSIVE))).sum())
    rows = np.flatnonzero(heavy)
    rows = rows[np.argsort(-last[rows], kind="stable")]
    room = WORKLOAD * hours - fixed
    keep = np.cumsum(np.full(len(rows), HOURS[HOME])) <= room
    due[rows[~keep]] = False


_CACHE: dict[tuple[int, int], tuple[Caseload, People]] = {}
_CACHE_SIZE = 64


def _cached(spec: Caseload, seed: int) -> People:
    """The caseload of ``spec`` and ``seed``, generated once (specs are compiled once per
    scenario version and live as long as it, so their identity is a safe key)."""
    key = (id(spec), int(seed))
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is spec:
        return hit[1]
    people = generate(spec, seed)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (spec, people)
    return people


def people_of(scenario: Scenario, seed: int) -> People | None:
    """The session's caseload (generated once per scenario and seed)."""
    return None if scenario.caseload is None else _cached(scenario.caseload, int(seed))


def initial_state(spec: Caseload | None) -> dict[str, Any]:
    if spec is None:
        return {}
    state: dict[str, Any] = {
        PLANNED: False,
        HOURS_LEFT: float(spec.hours),
        HIGH_MISSED: 0,
        LOW_OVER: 0,
        ALERTS_OPEN: 0,  # an alert is open once it has arrived
        CONTACTS: 0,
        INCIDENTS: 0,
        STEPPED_DOWN: False,
    }
    state.update({HANDLED.format(a): False for a in spec.alerts})
    state.update({ARRIVED.format(a): False for a in spec.alerts})
    return state


def arrivals(
    scenario: Scenario, seed: int, node: str, env: Mapping[str, Any]
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Entering ``node``: the alerts that arrive there show on the dashboard, and the
    narrator reads each one out with the person's name."""
    spec = scenario.caseload
    if spec is None:
        return {}, ()
    here = [a for a, alert in spec.alerts.items() if alert.arrives == node]
    if not here:
        return {}, ()
    people = _cached(spec, int(seed))
    arrived: dict[str, Any] = {ARRIVED.format(a): True for a in here}
    lines = tuple(
        "Alert — " + spec.alerts[a].text.replace("{name}", people.names[people.alert_of(a)])
        for a in here
    )
    state = {**env, **arrived}
    return {**arrived, ALERTS_OPEN: len(open_alerts(spec, state))}, lines


def caseload_names(spec: Caseload | None) -> dict[str, NameInfo]:
    """The variables a ``caseload:`` block adds, for lint and expressions."""
    if spec is None:
        return {}
    names = {
        PLANNED: NameInfo("bool"),
        HOURS_LEFT: NameInfo("number", 0.0, float(spec.hours)),
        HIGH_MISSED: NameInfo("number", 0, 130, integer=True),
        LOW_OVER: NameInfo("number", 0, 130, integer=True),
        ALERTS_OPEN: NameInfo("number", 0, len(spec.alerts), integer=True),
        CONTACTS: NameInfo("number", 0, 130, integer=True),
        INCIDENTS: NameInfo("number", 0, 130, integer=True),
        STEPPED_DOWN: NameInfo("bool"),
    }
    names.update({HANDLED.format(a): NameInfo("bool") for a in spec.alerts})
    names.update({ARRIVED.format(a): NameInfo("bool") for a in spec.alerts})
    return names


def open_alerts(spec: Caseload, env: Mapping[str, Any]) -> list[str]:
    """Alerts that have arrived and that no choice has dealt with yet."""
    return [
        a
        for a in spec.alerts
        if env.get(ARRIVED.format(a), False) and not env.get(HANDLED.format(a), False)
    ]


@dataclass(frozen=True)
class Coverage:
    """What one plan does over the caseload: the contact each person gets (MODES index)."""

    mode: np.ndarray[Any, Any]
    hours: float
    high_missed: int
    low_over: int
    alerts_open: int
    alerts_first: bool


def cover(
    people: People, plan: CaseloadPlan, hours: float, open_rows: list[int], stepped: bool
) -> Coverage:
    """Which contacts ``plan`` makes within ``hours``, vectorised over the caseload.

    People are taken in the plan's priority order; each gets the contact the plan gives
    their level (assessed or on file) and is skipped once the hours would run out.
    """
    n = len(people)
    on_file = people.matched if stepped else people.level
    basis = people.matched if plan.basis == "risk" else on_file
    give = np.array([MODES.index(plan.contacts[lv]) for lv in LEVELS])[basis]
    wanted = np.ones(n, dtype=bool) if plan.everyone else people.due.copy()
    alert = np.zeros(n, dtype=bool)
    alert[open_rows] = True
    give = np.where(alert, np.maximum(give, PHONE), give)  # an alert takes at least a call
    keys = []  # np.lexsort: the last key decides first
    for key in reversed(plan.order):
        if key == "alerts":
            keys.append(~alert)
        elif key == "risk":
            keys.append(-basis.astype(np.int64))
        elif key == "due":
            keys.append(~people.due)
        elif key == "court":
            keys.append(np.where(people.court < 0, 99, people.court))
        elif key == "last_contact":
            keys.append(-people.last_contact)
        else:
            keys.append(np.arange(n))
    order = np.lexsort([np.arange(n), *keys]) if keys else np.arange(n)
    cost = np.where(wanted, HOURS[give], 0.0)[order]
    fits = np.cumsum(cost) <= hours + 1e-9
    mode = np.zeros(n, dtype=np.int8)
    chosen = order[fits & (cost > 0)]
    mode[chosen] = give[chosen]
    need = STANDARD[people.matched]
    high = people.due & (people.matched >= HIGH)
    high_missed = int((high & (mode < need)).sum())
    low_over = int(((people.risk == LOW) & (mode >= OFFICE)).sum())
    alerts_open = int((alert & (mode < PHONE)).sum())
    alerts_first = bool(plan.order[0] == "alerts") or not open_rows
    used = float(np.round(HOURS[mode].sum(), 2))
    return Coverage(mode, used, high_missed, low_over, alerts_open, alerts_first)


def roll(people: People, coverage: Coverage, seed: int, step: int) -> np.ndarray[Any, Any]:
    """The period rolled forward: who had an incident (new arrest, abscond, a technical
    violation), drawn from the plan's contacts. Shown, never scored: the score judges the
    plan against the standards, not the luck of the week."""
    rng = np.random.default_rng([int(seed), ROLL_STREAM, int(step)])
    base = np.array([0.004, 0.015, 0.04, 0.05])[people.matched]
    missed = people.due & (coverage.mode < STANDARD[people.matched]) & (people.matched >= HIGH)
    over = (people.risk == LOW) & (coverage.mode >= OFFICE)
    p = base * np.where(missed, 2.5, 1.0) * np.where(over, 2.0, 1.0)
    p = np.where(coverage.mode >= OFFICE, p * 0.7, p)
    hit: np.ndarray[Any, Any] = rng.random(len(people)) < p
    return hit


@dataclass(frozen=True)
class CaseloadOutcome:
    """What a caseload action did: facts earned, state changes, narrator lines."""

    facts: tuple[str, ...] = ()
    updates: Mapping[str, Any] | None = None
    lines: tuple[str, ...] = ()


NOTHING = CaseloadOutcome()


def act(scenario: Scenario, choice: Choice, env: Mapping[str, Any], seed: int) -> CaseloadOutcome:
    """The facts, state changes and narration of one choice's caseload action.

    ``env`` is the session's state before the choice; it is not changed here.
    """
    spec = scenario.caseload
    action = choice.caseload
    if spec is None or action is None:
        return NOTHING
    people = _cached(spec, int(seed))
    updates: dict[str, Any] = {}
    lines: list[str] = []
    for alert_id in action.handle:
        updates[HANDLED.format(alert_id)] = True
    if action.step_down:
        updates[STEPPED_DOWN] = True
        moved = int((people.level != people.matched).sum())
        lines.append(
            f"{moved} low-risk people are put back to the supervision level their risk calls for."
        )
    state = {**env, **updates}
    still_open = open_alerts(spec, state)
    updates[ALERTS_OPEN] = len(still_open)
    if action.plan is None:
        return CaseloadOutcome((), updates, tuple(lines))
    plan = spec.plans[action.plan]
    left = float(env.get(HOURS_LEFT, spec.hours))
    budget = min(left, plan.hours) if plan.hours is not None else left
    rows = [people.alert_of(a) for a in still_open]
    cov = cover(people, plan, budget, rows, bool(state.get(STEPPED_DOWN, False)))
    step = int(env.get(CONTACTS, 0)) * 1000 + round(left * 10)
    hits = roll(people, cov, seed, step)
    facts = [
        HIGH_RISK_MISSED if cov.high_missed else HIGH_RISK_MET,
        LOW_RISK_OVER if cov.low_over >= OVER_SUPERVISED_AT else LOW_RISK_MATCHED,
    ]
    if rows:
        facts.append(ALERT_OPEN if cov.alerts_open or not cov.alerts_first else ALERTS_FIRST)
    reached = int((cov.mode > NONE).sum())
    updates.update(
        {
            PLANNED: True,
            HOURS_LEFT: round(max(0.0, left - cov.hours), 2),
            HIGH_MISSED: int(env.get(HIGH_MISSED, 0)) + cov.high_missed,
            LOW_OVER: int(env.get(LOW_OVER, 0)) + cov.low_over,
            ALERTS_OPEN: cov.alerts_open,
            CONTACTS: int(env.get(CONTACTS, 0)) + reached,
            INCIDENTS: int(env.get(INCIDENTS, 0)) + int(hits.sum()),
        }
    )
    lines.append(summary(plan, cov, reached, budget))
    lines.append(incidents_line(people, hits))
    return CaseloadOutcome(tuple(facts), updates, tuple(lines))


def summary(plan: CaseloadPlan, cov: Coverage, reached: int, budget: float) -> str:
    """One narrator line: what the plan covered, in the numbers a supervisor asks for."""
    parts = [f"{plan.title}: {reached} contacts in {cov.hours:g} of {budget:g} hours."]
    parts.append(
        f"{cov.high_missed} high-risk contacts due were not made to standard."
        if cov.high_missed
        else "Every high-risk contact due was made to standard."
    )
    if cov.low_over:
        parts.append(f"{cov.low_over} low-risk people were seen face to face beyond the standard.")
    if cov.alerts_open:
        parts.append(f"{cov.alerts_open} open alerts were not reached.")
    return " ".join(parts)


def incidents_line(people: People, hits: np.ndarray[Any, Any]) -> str:
    rows = [int(i) for i in np.flatnonzero(hits)]
    if not rows:
        return "By the end of the period nobody on the caseload had a new incident."
    named = ", ".join(people.names[i] for i in rows[:4]) + (" and others" if len(rows) > 4 else "")
    who = "person" if len(rows) == 1 else "people"
    return f"By the end of the period {len(rows)} {who} had a new incident: {named}."


def fill(scenario: Scenario, seed: int, text: str) -> str:
    """``text`` with each ``{alert_id}`` replaced by the name of the person that alert is
    about, so a line can name who the seed put on the alert."""
    spec = scenario.caseload
    if spec is None or "{" not in text:
        return text
    people = _cached(spec, int(seed))
    for alert_id, row in people.alerts:
        text = text.replace("{" + alert_id + "}", people.names[row])
    return text


def possible_facts(scenario: Scenario, choice: Choice) -> frozenset[str]:
    """Every fact :func:`act` could derive for this choice (for pack checks)."""
    if scenario.caseload is None or choice.caseload is None or choice.caseload.plan is None:
        return frozenset()
    return DERIVED_FACTS


def mechanic_facts(scenario: Scenario) -> frozenset[str]:
    """The facts the caseload mechanic can derive anywhere in ``scenario``."""
    return DERIVED_FACTS if scenario.caseload is not None else frozenset()
