"""Lint: every problem in every scenario file at once, each at its own line.

``check_scenario`` runs the engine's semantic checks on a schema-valid scenario:
names and types in expressions, targets, reachability, dead ends, timeouts and
chance weights. ``lint_paths`` walks files and folders, collects syntax, schema
and semantic problems from all of them, and lets other layers (the scorer's
"fact unknown to the pack" check) add theirs through ``extra_checks``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from engine.expr import (
    ExprError,
    NameInfo,
    check,
    compile_expr,
    interval,
    names_in,
    outcomes,
    parse,
    parse_effect,
    quoted,
)
from engine.graph import can_reach_terminal, reachable, successors
from engine.loader import ScenarioFile, validate_for_lint
from engine.mechanics.caseload_lint import check_caseload
from engine.mechanics.client import check_client
from engine.mechanics.deescalation import check_profile
from engine.mechanics.intake_lint import check_intake
from engine.mechanics.places_lint import check_places
from engine.model import (
    BoolVar,
    Chance,
    Decision,
    EnumVar,
    Line,
    Narration,
    NumberVar,
    Scenario,
    Terminal,
)
from engine.names import all_names, persona_names
from engine.problems import ContentError, Problem, Severity, unexpected
from engine.settings import SETTINGS
from engine.twists import check_twists
from engine.yamlload import PathKey, dotted, load_file_lenient

ExtraCheck = Callable[[ScenarioFile], list[Problem]]
SPEAKERS = ("narrator", "officer", "partner")


class _Checker:
    def __init__(self, sf: ScenarioFile) -> None:
        self.sf = sf
        self.s: Scenario = sf.scenario
        self.problems: list[Problem] = []
        self.names = all_names(self.s)
        written = sf.document.data.get("variables") if isinstance(sf.document.data, dict) else None
        # variables not written in the file were declared by a mechanic, which checks its inputs
        self.declared: set[str] = set(written) if isinstance(written, dict) else set()

    def add(self, path: PathKey, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(
            Problem(self.sf.file, self.sf.line_of(path), dotted(path), message, severity)
        )

    def expr(
        self, path: PathKey, text: str, want: str, names: dict[str, NameInfo] | None = None
    ) -> bool:
        try:
            node = parse(text)
            got = check(node, names if names is not None else self.names)
        except ExprError as exc:
            self.add(path, f"{exc.message} (column {exc.column} of {quoted(text, exc.column)})")
            return False
        if got != want:
            self.add(path, f"{text!r} gives a {got}, but a {want} is needed here")
            return False
        return True

    # ------------------------------------------------------------ declarations

    def declarations(self) -> None:
        persona = persona_names(self.s)
        for name in self.s.variables:
            if name in self.s.persona:
                self.add(
                    ("variables", name),
                    f"'{name}' is both a persona value and a variable; rename one",
                )
        for name, var in self.s.variables.items():
            if name not in self.declared:
                continue
            path: PathKey = ("variables", name)
            if isinstance(var, NumberVar):
                if var.max < var.min:
                    self.add((*path, "max"), "max is below min")
                if isinstance(var.initial, str):
                    self.expr((*path, "initial"), var.initial, "number", persona)
                elif not var.min <= var.initial <= var.max:
                    self.add(
                        (*path, "initial"), f"initial {var.initial} is outside {var.min}..{var.max}"
                    )
            elif isinstance(var, BoolVar):
                if isinstance(var.initial, str):
                    self.expr((*path, "initial"), var.initial, "bool", persona)
            elif isinstance(var, EnumVar):
                if var.initial not in var.values and var.initial not in persona:
                    self.add(
                        (*path, "initial"),
                        f"initial {var.initial!r} is not one of {', '.join(var.values)}",
                    )
                if len(set(var.values)) != len(var.values):
                    self.add((*path, "values"), "values repeat")
        for name, draw in self.s.persona.items():
            low, high = getattr(draw, "low", None), getattr(draw, "high", None)
            if low is not None and high is not None and high < low:
                self.add(("persona", name), "high is below low")
            options = getattr(draw, "options", None)
            if options is not None and sum(max(0.0, w) for w in options.values()) <= 0:
                self.add(("persona", name, "options"), "option weights are all zero")

    # ------------------------------------------------------------ nodes

    def lines(self, path: PathKey, lines: Sequence[Line]) -> None:
        for i, line in enumerate(lines):
            if line.when is not None:
                self.expr((*path, i, "when"), line.when, "bool")
            if line.speaker not in SPEAKERS and line.speaker not in self.s.cast:
                known = ", ".join([*SPEAKERS, *self.s.cast])
                self.add(
                    (*path, i, "speaker"),
                    f"speaker '{line.speaker}' is not in the cast (known: {known})",
                )

    def mechanics(self) -> None:
        for fact, effects in self.s.reactions.items():
            for j, effect in enumerate(effects):
                self.effect(("reactions", fact, j), effect)
        seen: set[str] = set()
        for i, intr in enumerate(self.s.interrupts):
            path: PathKey = ("interrupts", i)
            if intr.id in seen:
                self.add((*path, "id"), f"interrupt id '{intr.id}' repeats")
            seen.add(intr.id)
            self.expr((*path, "when"), intr.when, "bool")
            if intr.goto not in self.s.nodes:
                self.add((*path, "goto"), f"node '{intr.goto}' does not exist")
        check_client(self, self.s, self.declared)

    def stage(self) -> None:
        """Settings are ones the art draws; people present or sitting are in the cast."""
        known = ", ".join(sorted(SETTINGS))
        if self.s.setting not in SETTINGS:
            self.add(("setting",), f"unknown setting '{self.s.setting}' (known: {known})")
        cast = ", ".join(self.s.cast) or "none: add a cast"
        for nid, node in self.s.nodes.items():
            base: PathKey = ("nodes", nid)
            if node.scene is not None and node.scene not in SETTINGS:
                self.add((*base, "scene"), f"unknown setting '{node.scene}' (known: {known})")
            for field in ("present", "sitting"):
                for i, who in enumerate(getattr(node, field) or []):
                    if who not in self.s.cast:
                        self.add((*base, field, i), f"'{who}' is not in the cast (cast: {cast})")
            if node.present is not None and node.sitting is not None:
                for i, who in enumerate(node.sitting):
                    if who in self.s.cast and who not in node.present:
                        self.add(
                            (*base, "sitting", i),
                            f"'{who}' sits but is not in this node's present list; "
                            "add them to present",
                        )

    def nodes(self) -> None:
        ids = set(self.s.nodes)
        if self.s.start not in ids:
            self.add(("start",), f"start node '{self.s.start}' does not exist")
        self.stage()
        for nid, node in self.s.nodes.items():
            base: PathKey = ("nodes", nid)
            self.lines((*base, "lines"), node.lines)
            if isinstance(node, Narration) and node.next not in ids:
                self.add((*base, "next"), f"next node '{node.next}' does not exist")
            elif isinstance(node, Decision):
                self.decision(nid, node, ids)
            elif isinstance(node, Chance):
                self.chance(nid, node, ids)
            if (
                not isinstance(node, Terminal)
                and not node.lines
                and not isinstance(node, Decision | Chance)
            ):
                self.add(base, "narration has no lines to show", Severity.WARNING)

    def decision(self, nid: str, node: Decision, ids: set[str]) -> None:
        base: PathKey = ("nodes", nid)
        seen: set[str] = set()
        for i, choice in enumerate(node.choices):
            cpath: PathKey = (*base, "choices", i)
            if choice.id in seen:
                self.add((*cpath, "id"), f"choice id '{choice.id}' repeats in this decision")
            seen.add(choice.id)
            if choice.next not in ids:
                self.add((*cpath, "next"), f"next node '{choice.next}' does not exist")
            if choice.guard is not None:
                self.expr((*cpath, "guard"), choice.guard, "bool")
            for j, effect in enumerate(choice.effects):
                self.effect((*cpath, "effects", j), effect)
            self.lines((*cpath, "reply"), choice.reply)
        if node.timeout is not None:
            default = next((c for c in node.choices if c.id == node.timeout.default), None)
            if default is None:
                self.add(
                    (*base, "timeout", "default"),
                    f"default '{node.timeout.default}' is not a choice of this decision "
                    f"(choices: {', '.join(c.id for c in node.choices)})",
                )
            elif default.guard is not None:
                self.add(
                    (*base, "timeout", "default"),
                    "the default choice has a guard; when it is unavailable the timeout "
                    "cannot be taken, so give the default no guard",
                )
        if all(c.guard is not None for c in node.choices):
            self.add(
                (*base, "choices"),
                "every choice is guarded; if no guard holds the session cannot continue "
                "(add an unguarded choice unless the guards provably cover every case)",
                Severity.WARNING,
            )

    def effect(self, path: PathKey, text: str) -> None:
        try:
            assignment = parse_effect(text)
        except ExprError as exc:
            self.add(path, f"{exc.message} (in {text!r})")
            return
        target = assignment.target
        if target in self.s.persona and target not in self.s.variables:
            self.add(
                path, f"'{target}' is a persona value, fixed for the session; declare a variable"
            )
            return
        var = self.s.variables.get(target)
        if var is None:
            self.add(path, f"'{target}' is not a declared variable (declare it under variables)")
            return
        try:
            got = check(assignment.value, self.names)
        except ExprError as exc:
            self.add(path, f"{exc.message} (column {exc.column} of {quoted(text, exc.column)})")
            return
        want = {"number": "number", "int": "number", "bool": "bool", "enum": "string"}[var.type]
        if got != want:
            self.add(path, f"'{target}' holds a {want}, but {text!r} gives a {got}")
        elif assignment.op != "=" and want != "number":
            self.add(path, f"'{assignment.op}' only works on numbers; use '=' for '{target}'")
        elif (
            isinstance(var, EnumVar)
            and assignment.value.op == "str"
            and assignment.value.value not in var.values
        ):
            self.add(path, f"{assignment.value.value!r} is not one of {', '.join(var.values)}")

    def chance(self, nid: str, node: Chance, ids: set[str]) -> None:
        base: PathKey = ("nodes", nid)
        highs: list[float] = []
        lows: list[float] = []
        for i, outcome in enumerate(node.outcomes):
            opath: PathKey = (*base, "outcomes", i)
            if outcome.next not in ids:
                self.add((*opath, "next"), f"next node '{outcome.next}' does not exist")
            if isinstance(outcome.weight, str):
                if not self.weight((*opath, "weight"), outcome.weight):
                    return
                lo, hi = self.weight_range(outcome.weight)
            else:
                lo = hi = float(outcome.weight)
                if outcome.weight < 0:
                    self.add((*opath, "weight"), "a weight cannot be negative")
            lows.append(lo)
            highs.append(hi)
        if all(h <= 0 for h in highs):
            self.add((*base, "outcomes"), "chance weights are all zero: no outcome can be drawn")
        elif all(lo <= 0 for lo in lows):
            example = all_zero_example([o.weight for o in node.outcomes], self.names)
            if example is not None:
                values = ", ".join(f"{k}={v}" for k, v in sorted(example.items()))
                self.add(
                    (*base, "outcomes"),
                    f"chance weights can all be zero at once (for example when {values}); "
                    "then the last outcome is taken — give one outcome a weight above zero",
                    Severity.WARNING,
                )

    def weight(self, path: PathKey, text: str) -> bool:
        """A chance weight is a number, or a condition that counts as 1 when it holds, else 0."""
        try:
            got = check(parse(text), self.names)
        except ExprError as exc:
            self.add(path, f"{exc.message} (column {exc.column} of {quoted(text, exc.column)})")
            return False
        if got == "string":
            self.add(path, f"{text!r} gives a string, but a weight is a number or a condition")
            return False
        return True

    def weight_range(self, text: str) -> tuple[float, float]:
        node = parse(text)
        if check(node, self.names) == "bool":
            return (0.0, 1.0)
        return interval(node, self.names)

    # ------------------------------------------------------------ graph

    def graph(self) -> None:
        if self.s.start not in self.s.nodes:
            return
        seen = reachable(self.s)
        for nid, node in self.s.nodes.items():
            if nid in seen:
                continue
            if isinstance(node, Terminal):
                self.add(("nodes", nid), f"ending '{nid}' can never be reached")
            else:
                self.add(("nodes", nid), f"node '{nid}' can never be reached from '{self.s.start}'")
        if not any(isinstance(self.s.nodes[n], Terminal) for n in seen):
            self.add(("start",), "no ending can be reached from the start")
        good = can_reach_terminal(self.s)
        for nid in sorted(seen - good):
            self.add(
                ("nodes", nid),
                f"node '{nid}' has no way out: no ending can be reached from it",
            )
        passable = can_reach_terminal(self.s, self.passable_successors)
        for nid in sorted((seen & good) - passable):
            self.add(
                ("nodes", nid),
                f"node '{nid}' is a trap: every way from it to an ending needs a guard that "
                "can never be true with the variables' declared ranges and values, so a "
                "session that gets here never ends",
            )

    def can_be_true(self, text: str) -> bool:
        """False only when ``text`` provably never holds (see ``expr.outcomes``)."""
        try:
            node = parse(text)
            check(node, self.names)
        except ExprError:
            return True  # reported elsewhere; do not pile a guess on top
        return True in outcomes(node, self.names)

    def passable_successors(self, scenario: Scenario, nid: str) -> list[str]:
        """Links a session can take: choices whose guard can hold, and interrupt jumps."""
        node = scenario.nodes.get(nid)
        if isinstance(node, Decision):
            out = [c.next for c in node.choices if c.guard is None or self.can_be_true(c.guard)]
        else:
            out = successors(scenario, nid)
        if not isinstance(node, Terminal):
            out += [i.goto for i in scenario.interrupts if self.can_be_true(i.when)]
        return out


def _samples(info: NameInfo) -> Sequence[object]:
    if info.type == "bool":
        return [False, True]
    if info.type == "string":
        return list(info.values) or [""]
    lo = info.low if info.low is not None and math.isfinite(info.low) else -100.0
    hi = info.high if info.high is not None and math.isfinite(info.high) else 100.0
    points = {lo, hi, (lo + hi) / 2, lo + (hi - lo) / 4, lo + 3 * (hi - lo) / 4}
    if info.integer:
        points = {float(round(p)) for p in points}
    return sorted(points)


def all_zero_example(
    weights: Sequence[float | str], names: dict[str, NameInfo]
) -> dict[str, object] | None:
    """Values of the names involved for which every weight is at most zero, if any are found.

    Corners, midpoints and quarter points of each declared range are tried together
    (at most 4,096 combinations), so a reported example is real, never a guess.
    """
    fns = [compile_expr(parse(str(w))) for w in weights]
    used = sorted(set().union(*(names_in(parse(w)) for w in weights if isinstance(w, str))))
    grids = [_samples(names[n]) for n in used]
    for combo in itertools.islice(itertools.product(*grids), 4096):
        env = dict(zip(used, combo, strict=True))
        if all(float(f(env)) <= 0 for f in fns):
            return env
    return None


def check_scenario(sf: ScenarioFile) -> list[Problem]:
    """The engine's semantic checks of one schema-valid scenario."""
    c = _Checker(sf)
    c.declarations()
    c.mechanics()
    c.nodes()
    c.graph()
    c.problems.extend(check_profile(sf))
    c.problems.extend(check_twists(sf))
    return sorted(set(c.problems + check_places(sf) + check_caseload(sf) + check_intake(sf)))


def scenario_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Expand files and folders into YAML files (folders: recursively, skipping policy packs)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(
                f
                for f in sorted(p.rglob("*.y*ml"))
                if f.suffix in (".yaml", ".yml") and "policy" not in f.relative_to(p).parts[:-1]
            )
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Problem(str(p), 1, "", "no such file or folder"))
    return files, problems


def lint_paths(
    paths: Sequence[str | Path], extra_checks: Sequence[ExtraCheck] = ()
) -> list[Problem]:
    """Lint scenario files and folders; return every problem found, sorted by file and line."""
    files, problems = scenario_files(paths)
    seen_ids: dict[str, str] = {}
    for f in files:
        try:
            doc, soft = load_file_lenient(f)
            problems.extend(soft)
            found, schema = validate_for_lint(doc, f)
            problems.extend(schema)
            if found is None:
                continue
            sf = found
            refused = tuple(p.path for p in schema if p.path)
            problems.extend(  # a value the schema refused is not judged again by logic
                p for p in check_scenario(sf) if not (refused and p.path.startswith(refused))
            )
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        except Exception as exc:  # one hostile file never stops the rest
            problems.append(unexpected(str(f), exc))
            continue
        sid = sf.scenario.id
        if sid in seen_ids:
            problems.append(
                Problem(
                    sf.file,
                    sf.line_of(("id",)),
                    "id",
                    f"scenario id '{sid}' is already used by {seen_ids[sid]}",
                )
            )
        else:
            seen_ids[sid] = sf.file
        for extra in extra_checks:
            try:
                problems.extend(extra(sf))
            except Exception as exc:
                problems.append(unexpected(str(f), exc))
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.path, p.message))
