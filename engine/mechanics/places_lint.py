"""Lint for the ``places:`` block and the choices that act on it.

Every reference must resolve (rooms, controllers, items' and people's places), every
condition must be a true/false expression, and the facts the engine derives may not
be written by hand in a scenario that has places, so a search cannot be mislabelled.
"""

from __future__ import annotations

from engine.expr import NameInfo, type_problem
from engine.loader import ScenarioFile
from engine.mechanics.places import (
    DERIVED_FACTS,
    MERGING_TASKS,
    SEARCH_CONDITION_ID,
    place_names,
)
from engine.model import Choice, Control, Decision, ItemKind, Places, Scenario
from engine.names import all_names
from engine.problems import Problem, Severity
from engine.yamlload import PathKey, dotted

ACTIONS = ("search", "look_from", "move_to")


class _PlacesChecker:
    def __init__(self, sf: ScenarioFile) -> None:
        self.sf = sf
        self.s: Scenario = sf.scenario
        self.names: dict[str, NameInfo] = all_names(self.s)
        self.problems: list[Problem] = []

    def add(self, path: PathKey, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(
            Problem(self.sf.file, self.sf.line_of(path), dotted(path), message, severity)
        )

    def condition(self, path: PathKey, text: str | None) -> None:
        if text is None:
            return
        problem = type_problem(text, self.names, "bool", "a true/false condition")
        if problem is not None:
            self.add(path, problem)

    def room_ref(self, path: PathKey, room: str, what: str) -> bool:
        places = self.s.places
        assert places is not None
        if room in places.rooms:
            return True
        known = ", ".join(places.rooms)
        self.add(path, f"{what} '{room}' is not a room of places.rooms (known: {known})")
        return False

    # ------------------------------------------------------------ the block

    def block(self, places: Places) -> None:
        base: PathKey = ("places",)
        self.room_ref((*base, "start"), places.start, "start place")
        for key, room in places.rooms.items():
            rpath: PathKey = (*base, "rooms", key)
            for i, other in enumerate(room.sees):
                if not self.room_ref((*rpath, "sees", i), other, "place in view"):
                    continue
                if other == key:
                    self.add((*rpath, "sees", i), "a place is always in view from itself")
                elif places.rooms[other].locked:
                    self.add(
                        (*rpath, "sees", i),
                        f"'{other}' is locked, so nothing in it can be seen from '{key}'",
                    )
            self.condition((*rpath, "lawful"), room.lawful)
            self.condition((*rpath, "consent"), room.consent)
            if room.control is Control.THIRD_PARTY:
                if not room.controller:
                    self.add(
                        (*rpath, "controller"),
                        "a third_party room needs a controller: the cast key of the person "
                        "it belongs to",
                    )
                elif room.controller not in self.s.cast:
                    self.add(
                        (*rpath, "controller"),
                        f"controller '{room.controller}' is not in the cast "
                        f"(known: {', '.join(self.s.cast) or 'none'})",
                    )
            else:
                if room.controller:
                    self.add(
                        (*rpath, "controller"),
                        "only third_party rooms name a controller; the parolee controls "
                        "parolee and shared rooms",
                    )
                if room.consent is not None:
                    self.add(
                        (*rpath, "consent"),
                        "consent applies to third_party rooms; the search condition decides "
                        "parolee and shared rooms",
                    )
        for group in ("items", "people"):
            entries = places.items if group == "items" else places.people
            for key, entry in entries.items():
                epath: PathKey = (*base, group, key)
                self.room_ref((*epath, "place"), entry.place, "place")
                self.condition((*epath, "present"), entry.present)
                if getattr(entry, "hidden", False) and getattr(entry, "obvious", False):
                    self.add(
                        (*epath, "obvious"),
                        "an item cannot be both hidden (found only by a search) and obvious",
                    )
        for key in set(places.items) & set(places.people):
            self.add(
                (*base, "people", key),
                f"'{key}' is both an item and a person; their seen_{key} names would clash",
            )
        own = {**self.s.variables, **self.s.persona}
        for name in place_names(places):
            if name in own:
                where = "variables" if name in self.s.variables else "persona"
                self.add(
                    (where, name),
                    f"'{name}' is set by the places mechanic; rename this {where[:-1]}",
                )
        in_standard = any(c.id == SEARCH_CONDITION_ID for c in self.s.case_file.conditions.standard)
        if in_standard:
            self.add(
                ("case_file", "conditions", "standard"),
                f"the search condition (id '{SEARCH_CONDITION_ID}') is read from the special "
                "conditions; move it there or searches count as unauthorised",
                Severity.WARNING,
            )
        exits = {k for k, r in places.rooms.items() if r.off_premises}
        weapons = any(i.kind is ItemKind.WEAPON for i in places.items.values())
        if weapons and not any(c.move_to in exits for c in self.choices()):
            self.add(
                (*base, "items"),
                "a weapon may be here but no choice moves the officers off the premises, "
                "so seeing it can only end in staying; add a way to withdraw",
            )

    def choices(self) -> list[Choice]:
        return [c for n in self.s.nodes.values() if isinstance(n, Decision) for c in n.choices]

    # ------------------------------------------------------------ choices

    def choice(self, path: PathKey, choice: Choice) -> None:
        places = self.s.places
        acting = [a for a in ACTIONS if getattr(choice, a) is not None]
        if places is None:
            for a in [*acting, *(["partner"] if choice.partner is not None else [])]:
                self.add(
                    (*path, a),
                    f"'{a}' acts on the address, but this scenario has no places: block",
                )
            return
        if len(acting) > 1:
            self.add(
                (*path, acting[1]),
                f"a choice does one of {', '.join(ACTIONS)}; this one has {', '.join(acting)}",
            )
        for a in acting:
            room = getattr(choice, a)
            ok = self.room_ref((*path, a), room, "place")
            if ok and a == "search" and places.rooms[room].off_premises:
                self.add(
                    (*path, a),
                    f"'{room}' is off the premises; a residence search needs a room "
                    "of the residence",
                )
        if choice.partner is not None and not places.partner:
            self.add(
                (*path, "partner"),
                "this visit has no partner (places.partner is false)",
            )
        for i, fact in enumerate(choice.facts):
            if fact in DERIVED_FACTS:
                self.add(
                    (*path, "facts", i),
                    f"'{fact}' is derived by the engine in a scenario with places; remove it "
                    "and describe the action instead (search:, look_from:, move_to:, partner:)",
                )
        if choice.partner in MERGING_TASKS and "contact_role" in choice.facts:
            self.add(
                (*path, "facts"),
                f"'contact_role' contradicts partner: {choice.partner}; with both officers "
                "on the same task no one covers",
            )


def check_places(sf: ScenarioFile) -> list[Problem]:
    """Problems in a scenario's places block and in the choices acting on it."""
    c = _PlacesChecker(sf)
    if sf.scenario.places is not None:
        c.block(sf.scenario.places)
    for nid, i, choice in sf.scenario.each_choice():
        c.choice(("nodes", nid, "choices", i), choice)
    return c.problems
