"""Risk/needs intake: an interview, item ratings against a seeded key, and an RNR case plan.

The agency's instrument (domains, items scored 0-1 or 0-2 with anchors, total cut-offs)
is data in the policy pack; :class:`Instrument` fixes its shape. A scenario's
``intake:`` block gives the correct rating of every item for this person (the key, an
expression over persona values, so it varies by seed). Choices act on it with
``intake:`` actions, and :meth:`Intake.act` derives what each earned, from the state
before the choice:

- ``ask``: the answers the person gives about a domain. An MI-consistent question (an
  open question or a reflection, nothing closed or confrontational) gets the true value;
  a closed or confronting one gets a guarded answer, each item told ``guarded_drop``
  lower. What was told is narrated and kept (``told_<domain>``: 0 not asked, 1 guarded,
  2 full).
- ``rate``: the trainee's item ratings, compared with the key item by item.
- ``level``: the risk level set, compared with the key's level and with the level the
  trainee's own total gives (a departure is an undocumented override).
- ``targets`` and ``dosage``: the case plan's targets against the person's highest
  criminogenic needs in the key, and its dosage against the key's risk level (RNR).

Facts come from the key and the instrument, never from an author's wording, so a rating
cannot be mislabelled; the pack judges them with its clauses. Everything is
deterministic, so sessions replay exactly.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from engine.expr import Evaluator, NameInfo, compile_expr, parse
from engine.mechanics.places import NOTHING, PlaceOutcome
from engine.model import (
    Choice,
    Id,
    IntakeAction,
    IntakeProfile,
    KeyCase,
    Lax,
    Name,
    RiskLevel,
    Scenario,
    Strict,
)
from engine.problems import ContentError, Problem
from engine.resources import bundled_scenarios
from engine.yamlload import content_hash, load_file

LEVELS: tuple[str, ...] = tuple(level.value for level in RiskLevel)
NOT_RATED = -1
NO_LEVEL = "none"
TOLD_NOTHING, TOLD_GUARDED, TOLD_FULL = 0, 1, 2

# The facts this mechanic derives; a scenario with an `intake:` block may not write them.
RATINGS_MATCH = "intake_item_ratings_match_key"
RATING_OFF_BY_ONE = "intake_item_rating_off_by_one"
RATING_OFF_BY_TWO = "intake_item_rating_off_by_two"
RATED_WITHOUT_INTERVIEW = "intake_rated_without_interview"
LEVEL_MATCHES = "risk_level_matches_key"
LEVEL_ABOVE = "risk_level_above_key"
LEVEL_BELOW = "risk_level_below_key"
LEVEL_DEPARTS = "risk_level_departs_from_item_total"
TARGETS_TOP = "case_plan_targets_top_needs"
TARGETS_LOWER = "case_plan_targets_lower_need"
TARGETS_STATIC = "case_plan_targets_static_factor"
DOSAGE_MATCHES = "dosage_matches_risk"
DOSAGE_ABOVE = "dosage_exceeds_risk"
DOSAGE_BELOW = "dosage_below_risk"
DERIVED_FACTS: frozenset[str] = frozenset(
    {
        RATINGS_MATCH,
        RATING_OFF_BY_ONE,
        RATING_OFF_BY_TWO,
        RATED_WITHOUT_INTERVIEW,
        LEVEL_MATCHES,
        LEVEL_ABOVE,
        LEVEL_BELOW,
        LEVEL_DEPARTS,
        TARGETS_TOP,
        TARGETS_LOWER,
        TARGETS_STATIC,
        DOSAGE_MATCHES,
        DOSAGE_ABOVE,
        DOSAGE_BELOW,
    }
)
INSTRUMENT_FILE_GLOB = "instrument-*.yaml"


# ---------------------------------------------------------------- the instrument (pack data)


class InstrumentItem(Strict):
    """One item: what it asks, its maximum (1 or 2) and the anchor for every rating."""

    id: Name
    text: str = Field(min_length=1)
    max: Literal[1, 2]
    anchors: dict[Lax[int], str] = Field(description="rating -> the anchor that earns it")

    @model_validator(mode="after")
    def _every_rating_anchored(self) -> InstrumentItem:
        if sorted(self.anchors) != list(range(self.max + 1)):
            raise ValueError(f"item '{self.id}' needs an anchor for each rating 0..{self.max}")
        return self


class InstrumentDomain(Strict):
    id: Name
    title: str = Field(min_length=1)
    from_record: bool = Field(
        default=False, description="rated from the record (static history), not the interview"
    )
    items: list[InstrumentItem] = Field(min_length=1)


class CutOff(Strict):
    level: Lax[RiskLevel]
    low: int = Field(ge=0)
    high: int | None = Field(default=None, description="inclusive; none for the top band")


class Instrument(Strict):
    """The agency's risk/needs instrument, as its pack file states it."""

    id: Id
    title: str = Field(min_length=1)
    short: str = Field(min_length=1, description="its abbreviation, as case files name it")
    purpose: str = Field(min_length=1)
    training_note: str = Field(min_length=20, description="that the cut-offs are a model")
    sources: list[str] = Field(min_length=1)
    domains: list[InstrumentDomain] = Field(min_length=1)
    cutoffs: list[CutOff] = Field(min_length=1)

    @model_validator(mode="after")
    def _bands_cover_totals(self) -> Instrument:
        ids = [i.id for d in self.domains for i in d.items]
        if len(set(ids)) != len(ids):
            raise ValueError("item ids must be unique across domains")
        expect = 0
        for i, band in enumerate(self.cutoffs):
            if band.low != expect:
                raise ValueError(f"cut-off band {i + 1} must start at {expect}, not {band.low}")
            last = i == len(self.cutoffs) - 1
            if (band.high is None) != last:
                raise ValueError("only the top cut-off band is open-ended (no 'high')")
            if band.high is not None:
                if band.high < band.low:
                    raise ValueError(f"cut-off band {i + 1} ends before it starts")
                expect = band.high + 1
        return self

    @functools.cached_property
    def items(self) -> dict[str, InstrumentItem]:
        return {i.id: i for d in self.domains for i in d.items}

    @functools.cached_property
    def domain_of(self) -> dict[str, InstrumentDomain]:
        return {i.id: d for d in self.domains for i in d.items}

    @functools.cached_property
    def domain_ids(self) -> dict[str, InstrumentDomain]:
        return {d.id: d for d in self.domains}

    @property
    def max_total(self) -> int:
        return sum(i.max for i in self.items.values())

    def level_of(self, total: int) -> str:
        for band in self.cutoffs:
            if band.high is None or total <= band.high:
                return band.level.value
        return self.cutoffs[-1].level.value


class InstrumentFile(Strict):
    """A pack include file that states the instrument (it may carry policies and facts,
    which the pack reads; the engine reads only ``instrument``)."""

    model_config = Strict.model_config | {"extra": "ignore"}
    instrument: Instrument


# ---------------------------------------------------------------- finding it


def _pack_folders(scenario_path: Path, pack_id: str) -> list[Path]:
    """Where a scenario's pack folder may be: beside the library it sits in, else bundled."""
    out = [parent / "policy" / pack_id for parent in list(scenario_path.resolve().parents)[:3]]
    bundled = bundled_scenarios()
    if bundled is not None:
        out.append(bundled / "policy" / pack_id)
    return out


@functools.lru_cache(maxsize=16)
def _instrument_in(path: Path, stamp: tuple[int, int]) -> Instrument | None:
    """The instrument a file states, read once per version of the file (``stamp``: its
    modification time and size), so an edited instrument is read again."""
    doc = load_file(path)
    if not isinstance(doc.data, dict) or "instrument" not in doc.data:
        return None
    return InstrumentFile.model_validate(doc.data).instrument


def find_instrument(scenario_path: Path, pack_id: str, instrument_id: str) -> Instrument:
    """The pack's instrument with this id; ContentError says where it was looked for."""
    looked: list[str] = []
    for folder in _pack_folders(scenario_path, pack_id):
        if not folder.is_dir():
            continue
        looked.append(str(folder))
        for candidate in sorted(folder.glob(INSTRUMENT_FILE_GLOB)):
            st = candidate.stat()
            found = _instrument_in(candidate.resolve(), (st.st_mtime_ns, st.st_size))
            if found is not None and found.id == instrument_id:
                return found
    where = ", ".join(looked) or f"no policy/{pack_id} folder near the scenario"
    raise ContentError(
        [
            Problem(
                str(scenario_path),
                0,
                "intake.instrument",
                f"no instrument '{instrument_id}' in policy pack '{pack_id}' "
                f"({INSTRUMENT_FILE_GLOB} files in {where}); name one the pack states",
            )
        ]
    )


def instrument_of(scenario: Scenario, path: Path | None = None) -> Instrument | None:
    """The instrument a scenario's intake uses, for showing it beside the case file: found
    from the scenario's file when given, else from the library it is in; None when the
    scenario has no intake or the instrument cannot be found (lint reports that)."""
    if scenario.intake is None:
        return None
    if path is None:
        from engine.library import scenarios_root  # the library imports lint, which imports us

        path = scenarios_root() / scenario.family / f"{scenario.id}.yaml"
    try:
        return find_instrument(path, scenario.policy_pack, scenario.intake.instrument)
    except ContentError:
        return None


# ---------------------------------------------------------------- names in expressions


def key_name(item: str) -> str:
    return f"key_{item}"


def rated_name(item: str) -> str:
    return f"rated_{item}"


def told_name(domain: str) -> str:
    return f"told_{domain}"


KEY_TOTAL, KEY_LEVEL, RATED_TOTAL, LEVEL_SET = "key_total", "key_level", "rated_total", "level_set"


def intake_names(scenario: Scenario) -> dict[str, NameInfo]:
    """The names the mechanic adds to a scenario's expressions, with their types: the key
    and the trainee's rating of each item in the key, what was told of each domain the
    scenario asks about, the totals and the levels."""
    profile = scenario.intake
    if profile is None:
        return {}
    names: dict[str, NameInfo] = {}
    for _, _, choice in scenario.each_choice():
        for domain in choice.intake.ask if choice.intake is not None else ():
            names[told_name(domain)] = NameInfo("number", 0, 2, integer=True)
    for item in profile.key:
        names[key_name(item)] = NameInfo("number", 0, 2, integer=True)
        names[rated_name(item)] = NameInfo("number", NOT_RATED, 2, integer=True)
    names[KEY_TOTAL] = NameInfo("number", 0, 2 * len(profile.key), integer=True)
    names[RATED_TOTAL] = NameInfo("number", 0, 2 * len(profile.key), integer=True)
    names[KEY_LEVEL] = NameInfo("string", values=LEVELS)
    names[LEVEL_SET] = NameInfo("string", values=(NO_LEVEL, *LEVELS))
    return names


def possible_facts(scenario: Scenario, choice: Choice) -> frozenset[str]:
    """Every fact :meth:`Intake.act` could derive for this choice in some run (for pack
    checks and the guide's table): the key varies by seed, so each outcome is possible."""
    a = choice.intake
    if scenario.intake is None or a is None:
        return frozenset()
    out: set[str] = set()
    if a.rate:
        out.update((RATINGS_MATCH, RATING_OFF_BY_ONE, RATING_OFF_BY_TWO, RATED_WITHOUT_INTERVIEW))
    if a.level is not None:
        out.update((LEVEL_MATCHES, LEVEL_ABOVE, LEVEL_BELOW, LEVEL_DEPARTS))
    if a.targets:
        out.update((TARGETS_TOP, TARGETS_LOWER, TARGETS_STATIC))
    if a.dosage is not None:
        out.update((DOSAGE_MATCHES, DOSAGE_ABOVE, DOSAGE_BELOW))
    return frozenset(out)


def derives_facts(choice: Choice) -> bool:
    """Whether the mechanic derives scored facts from this choice (a rating, a level, plan
    targets or a dosage); a question only changes what the person tells."""
    a = choice.intake
    return a is not None and bool(a.rate or a.level or a.targets or a.dosage)


# ---------------------------------------------------------------- the mechanic


class Intake:
    """A scenario's intake, compiled: its instrument, key expressions and fact tables."""

    def __init__(self, profile: IntakeProfile, instrument: Instrument) -> None:
        self.profile = profile
        self.instrument = instrument
        self.key: dict[str, Evaluator] = {item: _key(v) for item, v in profile.key.items()}
        self.open_facts = frozenset(profile.open_facts)
        # recorded in the log, so a run replays only against the instrument it was played with
        self.identity = {
            "id": instrument.id,
            "hash": content_hash(instrument.model_dump(mode="json"))[:16],
        }
        self.closed_facts = frozenset(profile.closed_facts)

    def initial_state(self, env: Mapping[str, Any]) -> dict[str, Any]:
        """The key drawn for this person, nothing told or rated yet; record domains told."""
        inst = self.instrument
        out: dict[str, Any] = {}
        for item, fn in self.key.items():
            out[key_name(item)] = max(0, min(int(fn(env)), inst.items[item].max))
            out[rated_name(item)] = NOT_RATED
        for d in inst.domains:
            out[told_name(d.id)] = TOLD_FULL if d.from_record else TOLD_NOTHING
        total = sum(out[key_name(i)] for i in self.key)
        out[KEY_TOTAL] = total
        out[KEY_LEVEL] = inst.level_of(total)
        out[RATED_TOTAL] = 0
        out[LEVEL_SET] = NO_LEVEL
        return out

    def act(self, choice: Choice, env: Mapping[str, Any]) -> PlaceOutcome:
        """Facts, state changes and lines of a choice's intake action (state before it)."""
        action = choice.intake
        if action is None:
            return NOTHING
        facts: list[str] = []
        updates: dict[str, Any] = {}
        lines: list[tuple[str, str]] = []
        if action.ask:
            self._ask(action, choice, env, updates, lines)
        if action.rate:
            facts.extend(self._rate(action, env, updates))
        if action.level is not None:
            facts.extend(self._level(action.level.value, env, updates))
        if action.targets:
            facts.append(self._targets(action, env))
        if action.dosage is not None:
            level = action.dosage.value
            facts.append(
                _compare(level, env[KEY_LEVEL], DOSAGE_ABOVE, DOSAGE_BELOW) or DOSAGE_MATCHES
            )
        return PlaceOutcome(tuple(dict.fromkeys(facts)), updates, tuple(lines))

    def told_value(self, item: str, told: int, env: Mapping[str, Any]) -> int:
        """What the person tells about an item: the key, or less when guarded."""
        key = int(env[key_name(item)])
        return key if told == TOLD_FULL else max(0, key - self.profile.guarded_drop)

    def _ask(
        self,
        action: IntakeAction,
        choice: Choice,
        env: Mapping[str, Any],
        updates: dict[str, Any],
        lines: list[tuple[str, str]],
    ) -> None:
        facts = set(choice.facts)
        full = bool(facts & self.open_facts) and not facts & self.closed_facts
        told = TOLD_FULL if full else TOLD_GUARDED
        inst = self.instrument
        for domain in action.ask:
            before = int(env[told_name(domain)])
            if before >= told:
                continue  # already told as much or more: answers are not repeated
            updates[told_name(domain)] = told
            for item in inst.domain_ids[domain].items:
                value = self.told_value(item.id, told, env)
                said = self.profile.answers.get(item.id, {}).get(value)
                if said:
                    lines.append((self.profile.speaker, said))
                else:
                    lines.append(
                        (
                            "narrator",
                            f"{item.text} - from what you are told: {item.anchors[value]}.",
                        )
                    )

    def _rate(
        self, action: IntakeAction, env: Mapping[str, Any], updates: dict[str, Any]
    ) -> list[str]:
        worst = 0
        unasked = False
        for item, value in action.rate.items():
            worst = max(worst, abs(value - int(env[key_name(item)])))
            domain = self.instrument.domain_of[item].id
            unasked = unasked or int(env[told_name(domain)]) == TOLD_NOTHING
            updates[rated_name(item)] = value
        rated = {i: int(env[rated_name(i)]) for i in self.key} | dict(action.rate)
        updates[RATED_TOTAL] = sum(max(0, v) for v in rated.values())
        out = [
            RATINGS_MATCH if worst == 0 else RATING_OFF_BY_ONE if worst == 1 else RATING_OFF_BY_TWO
        ]
        if unasked:
            out.append(RATED_WITHOUT_INTERVIEW)
        return out

    def _level(self, level: str, env: Mapping[str, Any], updates: dict[str, Any]) -> list[str]:
        updates[LEVEL_SET] = level
        out = [_compare(level, env[KEY_LEVEL], LEVEL_ABOVE, LEVEL_BELOW) or LEVEL_MATCHES]
        own = self.instrument.level_of(int(env[RATED_TOTAL]))
        if own != level:
            out.append(LEVEL_DEPARTS)
        return out

    def need_scores(self, env: Mapping[str, Any]) -> dict[str, float]:
        """Each dynamic domain's share of its maximum in the key (the criminogenic needs)."""
        out = {}
        for d in self.instrument.domains:
            if not d.from_record:
                top = sum(i.max for i in d.items)
                out[d.id] = sum(int(env[key_name(i.id)]) for i in d.items) / top
        return out

    def _targets(self, action: IntakeAction, env: Mapping[str, Any]) -> str:
        inst = self.instrument
        if any(inst.domain_ids[t].from_record for t in action.targets):
            return TARGETS_STATIC
        needs = self.need_scores(env)
        ranked = sorted(needs.values(), reverse=True)
        bar = ranked[min(len(action.targets), len(ranked)) - 1]
        top = all(needs[t] >= bar and needs[t] > 0 for t in action.targets)
        return TARGETS_TOP if top else TARGETS_LOWER


def _const(value: int) -> Evaluator:
    return lambda env: value


def _key(value: int | str | list[KeyCase]) -> Evaluator:
    """An item's key as a function of the persona: a number, an expression or cases."""
    if isinstance(value, int):
        return _const(value)
    if isinstance(value, str):
        return compile_expr(parse(value))
    cases = [(None if c.when is None else compile_expr(parse(c.when)), c.value) for c in value]

    def first_case(env: Mapping[str, Any]) -> int:
        for when, v in cases:
            if when is None or when(env):
                return v
        return 0

    return first_case


def _compare(chosen: str, key: str, above: str, below: str) -> str | None:
    """``above``/``below`` when ``chosen`` is a higher/lower level than ``key``, else None."""
    a, b = LEVELS.index(chosen), LEVELS.index(key)
    return above if a > b else below if a < b else None


def build(scenario: Scenario, path: Path) -> Intake | None:
    """The compiled intake of a scenario (None without an ``intake:`` block)."""
    profile = scenario.intake
    if profile is None:
        return None
    return Intake(profile, find_instrument(path, scenario.policy_pack, profile.instrument))
