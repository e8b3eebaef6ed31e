"""Home-visit places: the facts a choice earns are derived from what it does at the address.

A scenario's optional ``places:`` block describes the address (rooms, who controls
each, what can be seen from where, items and people that may be there depending on
persona and variables). Choices act on it with ``search:``, ``look_from:``,
``move_to:`` and ``partner:``. :func:`act` is the one function the session calls for
every decision: from the choice, the case file and the state before the choice it
derives the facts the choice earned (a search of a co-resident's room without their
consent, a search under the signed search condition, a plain-view observation,
merged contact and cover roles, staying after a weapon was seen, withdrawing) and
the state changes (where the officers are, what has been seen or found).

Authors therefore cannot mislabel a search: the facts come from the case file's
conditions and the room's control, not from the author's wording, and the pack's
verdicts follow. The state is kept in the session's variables under names a
scenario may use in guards and lines: ``officer_at`` (a room id) and, for each item
or person ``x``, ``seen_x``, plus ``found_x`` for items.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.expr import Evaluator, NameInfo, compile_expr, parse
from engine.model import (
    CaseFile,
    Choice,
    Control,
    ItemKind,
    PartnerTask,
    Places,
    Scenario,
)

LOCATION = "officer_at"
PARTNER_TASK = "partner_task"
SEARCH_CONDITION_ID = "search"

# The facts this mechanic derives, by what causes them. Scoring judges them like any
# other fact; a scenario with a `places:` block may not write them by hand.
SEARCHED_THIRD_PARTY_WITHOUT_CONSENT = ("searched_third_party_area_without_consent",)
SEARCHED_THIRD_PARTY_WITH_CONSENT = ("obtained_third_party_consent", "searched_third_party_area")
SEARCHED_UNDER_CONDITION = ("searched_parolee_area_under_condition",)
SEARCHED_WITHOUT_CONDITION = ("searched_without_search_condition",)
PLAIN_VIEW = ("plain_view_observation",)
UNLAWFUL_VANTAGE = ("entered_without_invitation_or_authority",)
ROLES_MERGED = ("roles_merged",)
STAYED_AFTER_WEAPON = ("stayed_after_weapon_seen",)
WITHDREW_AFTER_WEAPON = ("withdrew_after_weapon_seen",)
DERIVED_FACTS: frozenset[str] = frozenset(
    SEARCHED_THIRD_PARTY_WITHOUT_CONSENT
    + SEARCHED_THIRD_PARTY_WITH_CONSENT
    + SEARCHED_UNDER_CONDITION
    + SEARCHED_WITHOUT_CONDITION
    + PLAIN_VIEW
    + UNLAWFUL_VANTAGE
    + ROLES_MERGED
    + STAYED_AFTER_WEAPON
    + WITHDREW_AFTER_WEAPON
)
MERGING_TASKS = frozenset({PartnerTask.SEARCH, PartnerTask.INTERVIEW})
COVERING_TASKS = frozenset({PartnerTask.COVER, PartnerTask.CALL})


@dataclass(frozen=True)
class PlaceOutcome:
    """What acting at the address did: facts earned, state changes, (speaker, text) lines."""

    facts: tuple[str, ...] = ()
    updates: Mapping[str, Any] = field(default_factory=dict)
    lines: tuple[tuple[str, str], ...] = ()


NOTHING = PlaceOutcome()


def merged(first: PlaceOutcome, second: PlaceOutcome) -> PlaceOutcome:
    """Two mechanics' outcomes of one choice as one (facts and lines in order)."""
    if second is NOTHING:
        return first
    if first is NOTHING:
        return second
    return PlaceOutcome(
        tuple(dict.fromkeys((*first.facts, *second.facts))),
        {**first.updates, **second.updates},
        first.lines + second.lines,
    )


def seen_name(key: str) -> str:
    return f"seen_{key}"


def found_name(key: str) -> str:
    return f"found_{key}"


def place_names(places: Places | None) -> dict[str, NameInfo]:
    """The names the mechanic adds to a scenario's expressions, with their types."""
    if places is None:
        return {}
    names = {
        LOCATION: NameInfo("string", values=tuple(places.rooms)),
        PARTNER_TASK: NameInfo("string", values=tuple(t.value for t in PartnerTask)),
    }
    for key in places.items:
        names[seen_name(key)] = NameInfo("bool")
        names[found_name(key)] = NameInfo("bool")
    for key in places.people:
        names[seen_name(key)] = NameInfo("bool")
    return names


def initial_state(places: Places | None) -> dict[str, Any]:
    """Officers at the start place; nothing seen or found yet."""
    if places is None:
        return {}
    return {name: (places.start if name == LOCATION else False) for name in place_names(places)}


def has_search_condition(case_file: CaseFile) -> bool:
    """Whether the person signed a search condition (special condition with id ``search``)."""
    return any(c.id == SEARCH_CONDITION_ID for c in case_file.conditions.special)


def uses_places(choice: Choice) -> bool:
    return any(
        v is not None for v in (choice.search, choice.look_from, choice.move_to, choice.partner)
    )


@functools.lru_cache(maxsize=2048)
def _compiled(text: str) -> Evaluator:
    return compile_expr(parse(text))


def _holds(text: str | None, env: Mapping[str, Any], default: bool = True) -> bool:
    return default if text is None else bool(_compiled(text)(env))


def weapon_known(places: Places, env: Mapping[str, Any]) -> bool:
    """A weapon has been seen or found and is still there."""
    return any(
        item.kind is ItemKind.WEAPON and bool(env.get(seen_name(key))) and _holds(item.present, env)
        for key, item in places.items.items()
    )


def _labels(labels: Iterable[str]) -> str:
    """'a', 'a and b', or 'a; b; and c' (labels may contain commas of their own)."""
    out = list(labels)
    if len(out) <= 2:
        return " and ".join(out)
    return "; ".join(out[:-1]) + "; and " + out[-1]


def _search(
    scenario: Scenario, room_id: str, env: Mapping[str, Any], updates: dict[str, Any]
) -> tuple[tuple[str, ...], str]:
    places = scenario.places
    assert places is not None
    room = places.rooms[room_id]
    if room.control is Control.THIRD_PARTY:
        consented = room.consent is not None and _holds(room.consent, env)
        facts = (
            SEARCHED_THIRD_PARTY_WITH_CONSENT if consented else SEARCHED_THIRD_PARTY_WITHOUT_CONSENT
        )
    elif has_search_condition(scenario.case_file):
        facts = SEARCHED_UNDER_CONDITION
    else:
        facts = SEARCHED_WITHOUT_CONDITION
    found = [
        (key, item)
        for key, item in places.items.items()
        if item.place == room_id and _holds(item.present, env)
    ]
    for key, _ in found:
        updates[seen_name(key)] = True
        updates[found_name(key)] = True
    what = f"you find {_labels(i.label for _, i in found)}" if found else "nothing turns up"
    return facts, f"You search {room.name}: {what}."


def _look(
    places: Places, room_id: str, env: Mapping[str, Any], updates: dict[str, Any]
) -> tuple[bool, str]:
    """Mark what is in plain view from a place as seen; report whether anything new showed."""
    room = places.rooms[room_id]
    in_sight = {room_id, *room.sees}
    people = [
        (k, p) for k, p in places.people.items() if p.place in in_sight and _holds(p.present, env)
    ]
    items = [
        (k, i)
        for k, i in places.items.items()
        if i.place in in_sight and not i.hidden and _holds(i.present, env)
    ]
    new_item = any(not env.get(seen_name(k)) for k, _ in items)
    # what is in this room is described; what shows through a doorway is named only when
    # it was not seen before (looking back at the room just left does not repeat it)
    things: list[tuple[str, str, str]] = [(k, p.label, p.place) for k, p in people]
    things += [(k, i.label, i.place) for k, i in items]
    labels = [label for k, label, place in things if place == room_id or not env.get(seen_name(k))]
    for k, _ in (*people, *items):
        updates[seen_name(k)] = True
    if labels:
        return new_item, f"From {room.name} you can see {_labels(labels)}."
    if people or items:
        return new_item, f"From {room.name} nothing you have not already seen is in view."
    return new_item, f"From {room.name} nothing out of the ordinary is in view."


def act(scenario: Scenario, choice: Choice, env: Mapping[str, Any]) -> PlaceOutcome:
    """The facts, state changes and narration of one choice at the address.

    ``env`` is the session's state *before* the choice; it is not changed here.
    """
    places = scenario.places
    if places is None or LOCATION not in env:
        return NOTHING
    facts: list[str] = []
    updates: dict[str, Any] = {PARTNER_TASK: (choice.partner or PartnerTask.COVER).value}
    lines: list[str] = []
    here = str(env[LOCATION])
    danger = weapon_known(places, env)
    if places.partner and choice.partner in MERGING_TASKS:
        facts.extend(ROLES_MERGED)
    if choice.search is not None:
        found_facts, line = _search(scenario, choice.search, env, updates)
        facts.extend(found_facts)
        lines.append(line)
        updates[LOCATION] = choice.search
    target = choice.look_from or choice.move_to
    if target is not None:
        lawful = _holds(places.rooms[target].lawful, env)
        if not lawful:
            facts.extend(UNLAWFUL_VANTAGE)
        updates[LOCATION] = target
        if choice.look_from is not None:
            new_item, line = _look(places, target, env, updates)
            lines.append(line)
            if lawful and new_item:
                facts.extend(PLAIN_VIEW)
    if danger:
        after = places.rooms[str(updates.get(LOCATION, here))]
        if not after.off_premises:
            facts.extend(STAYED_AFTER_WEAPON)
        elif not places.rooms[here].off_premises:
            facts.extend(WITHDREW_AFTER_WEAPON)
    return PlaceOutcome(
        tuple(dict.fromkeys(facts)), updates, tuple(("narrator", line) for line in lines)
    )


def on_decision(scenario: Scenario, env: Mapping[str, Any]) -> PlaceOutcome:
    """What the officers have noticed by the time a decision is put to the trainee.

    Watching the room is the cover officer's whole job: any weapon in view of where the
    officers stand is seen, and the partner says so, unless the previous choice had the
    partner searching or interviewing instead (that is how merged roles cost something).
    Items marked ``obvious`` are seen by everyone as soon as they are in view.
    """
    places = scenario.places
    if places is None or LOCATION not in env:
        return NOTHING
    covering = places.partner and env.get(PARTNER_TASK) in {t.value for t in COVERING_TASKS}
    here = places.rooms[str(env[LOCATION])]
    in_sight = {str(env[LOCATION]), *here.sees}
    noticed = [
        (key, item)
        for key, item in places.items.items()
        if (item.obvious or (covering and item.kind is ItemKind.WEAPON))
        and item.place in in_sight
        and not item.hidden
        and not env.get(seen_name(key))
        and _holds(item.present, env)
    ]
    if not noticed:
        return NOTHING
    return PlaceOutcome(
        (),
        {seen_name(key): True for key, _ in noticed},
        tuple(("partner", f"Heads up: {i.label}.") for _, i in noticed if not i.obvious),
    )


def possible_facts(scenario: Scenario, choice: Choice) -> frozenset[str]:
    """Every fact :func:`act` could derive for this choice in some state (for pack checks)."""
    places = scenario.places
    if places is None:
        return frozenset()
    out: set[str] = set()
    if places.partner and choice.partner in MERGING_TASKS:
        out.update(ROLES_MERGED)
    if choice.search is not None and choice.search in places.rooms:
        room = places.rooms[choice.search]
        if room.control is Control.THIRD_PARTY:
            out.update(SEARCHED_THIRD_PARTY_WITHOUT_CONSENT)
            if room.consent is not None:
                out.update(SEARCHED_THIRD_PARTY_WITH_CONSENT)
        elif has_search_condition(scenario.case_file):
            out.update(SEARCHED_UNDER_CONDITION)
        else:
            out.update(SEARCHED_WITHOUT_CONDITION)
    target = choice.look_from or choice.move_to
    if target is not None and target in places.rooms:
        if places.rooms[target].lawful is not None:
            out.update(UNLAWFUL_VANTAGE)
        if choice.look_from is not None:
            out.update(PLAIN_VIEW)
    if any(i.kind is ItemKind.WEAPON for i in places.items.values()):
        out.update(STAYED_AFTER_WEAPON + WITHDREW_AFTER_WEAPON)
    return frozenset(out)
