"""Lint for the ``intake:`` block and the choices that act on it.

The instrument must be one the pack states; the key must rate every item of it, each a
whole number (or a number expression over persona values) within the item's range;
every action must name the instrument's domains and items with ratings in range; and
the facts the mechanic derives may not be written by hand, so a rating cannot be
mislabelled.
"""

from __future__ import annotations

from engine.expr import NameInfo, TypeName, type_problem
from engine.loader import ScenarioFile
from engine.mechanics.intake import DERIVED_FACTS, Instrument, find_instrument, intake_names
from engine.model import Choice, IntakeProfile
from engine.names import persona_names
from engine.problems import ContentError, Problem, Severity
from engine.yamlload import PathKey, dotted


class _IntakeChecker:
    def __init__(self, sf: ScenarioFile) -> None:
        self.sf = sf
        self.problems: list[Problem] = []
        self.instrument: Instrument | None = None

    def add(self, path: PathKey, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(
            Problem(self.sf.file, self.sf.line_of(path), dotted(path), message, severity)
        )

    def block(self, profile: IntakeProfile) -> None:
        s = self.sf.scenario
        try:
            inst = self.instrument = find_instrument(
                self.sf.path, s.policy_pack, profile.instrument
            )
        except ContentError as exc:
            self.add(("intake", "instrument"), exc.problems[0].message)
            return
        except Exception as exc:  # a broken instrument file: say which, not crash
            self.add(("intake", "instrument"), f"the instrument file cannot be read: {exc}")
            return
        missing = [i for i in inst.items if i not in profile.key]
        if missing:
            self.add(
                ("intake", "key"),
                f"the key must rate every item of '{inst.id}'; missing: {', '.join(missing)}",
            )
        names = persona_names(s)
        for item, value in profile.key.items():
            path: PathKey = ("intake", "key", item)
            if item not in inst.items:
                self.add(path, self._unknown_item(item))
                continue
            top = inst.items[item].max
            if isinstance(value, int):
                if not 0 <= value <= top:
                    self.add(path, f"'{item}' is rated 0..{top}, not {value}")
                continue
            if isinstance(value, list):
                for i, case in enumerate(value):
                    if case.value > top:
                        self.add((*path, i, "value"), f"'{item}' is rated 0..{top}")
                    if case.when is not None:
                        self._expression(
                            (*path, i, "when"), case.when, names, "bool", "a true/false condition"
                        )
                    elif i != len(value) - 1:
                        self.add((*path, i), "only the last case may leave out `when`")
                continue
            self._expression(path, value, names, "number", f"a number 0..{top} (the item's key)")
        for item, told in profile.answers.items():
            apath: PathKey = ("intake", "answers", item)
            if item not in inst.items:
                self.add(apath, self._unknown_item(item))
                continue
            for value in told:
                if not 0 <= value <= inst.items[item].max:
                    self.add((*apath, value), f"'{item}' is rated 0..{inst.items[item].max}")
        own = {**s.variables, **s.persona}
        for name in intake_names(s):
            if name in own:
                self.add(
                    ("variables",) if name in s.variables else ("persona",),
                    f"'{name}' is a name the intake mechanic sets; rename the declaration",
                )

    def _expression(
        self, path: PathKey, text: str, names: dict[str, NameInfo], want: TypeName, what: str
    ) -> None:
        problem = type_problem(text, names, want, what)
        if problem is not None:
            self.add(path, problem)

    def _unknown_item(self, item: str) -> str:
        assert self.instrument is not None
        known = ", ".join(self.instrument.items)
        return f"'{item}' is not an item of instrument '{self.instrument.id}' (known: {known})"

    def _domain(self, path: PathKey, domain: str) -> None:
        assert self.instrument is not None
        if domain not in self.instrument.domain_ids:
            known = ", ".join(self.instrument.domain_ids)
            self.add(path, f"'{domain}' is not a domain of '{self.instrument.id}' (known: {known})")

    def choice(self, path: PathKey, choice: Choice) -> None:
        has_block = self.sf.scenario.intake is not None
        action = choice.intake
        if has_block:
            for i, fact in enumerate(choice.facts):
                if fact in DERIVED_FACTS:
                    self.add(
                        (*path, "facts", i),
                        f"'{fact}' is derived by the intake mechanic from the key; remove it and "
                        "describe the action instead (intake: rate, level, targets, dosage)",
                    )
        if action is None:
            return
        if not has_block:
            self.add((*path, "intake"), "an intake action needs the scenario's `intake:` block")
            return
        if self.instrument is None:
            return
        base: PathKey = (*path, "intake")
        for i, domain in enumerate(action.ask):
            self._domain((*base, "ask", i), domain)
        for i, domain in enumerate(action.targets):
            self._domain((*base, "targets", i), domain)
        if len(set(action.targets)) != len(action.targets):
            self.add((*base, "targets"), "a domain is targeted twice")
        for item, value in action.rate.items():
            if item not in self.instrument.items:
                self.add((*base, "rate", item), self._unknown_item(item))
            elif not 0 <= value <= self.instrument.items[item].max:
                top = self.instrument.items[item].max
                self.add((*base, "rate", item), f"'{item}' is rated 0..{top}, not {value}")


def check_intake(sf: ScenarioFile) -> list[Problem]:
    """Problems in a scenario's intake block and in the choices acting on it."""
    c = _IntakeChecker(sf)
    if sf.scenario.intake is not None:
        c.block(sf.scenario.intake)
    for nid, i, choice in sf.scenario.each_choice():
        c.choice(("nodes", nid, "choices", i), choice)
    return c.problems
