"""Lint checks the scorer adds: scenarios against their policy pack, and the packs themselves.

``pack_checks()`` returns an :data:`engine.lint.ExtraCheck` that fails a scenario
using a fact its pack does not know (at the fact's own line) and a choice that
carries no fact the pack scores. ``split_lint_paths`` separates pack files from
scenario files so ``parolesim lint`` can lint both from one list of paths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from engine.loader import ScenarioFile
from engine.mechanics import intake
from engine.mechanics.caseload import mechanic_facts
from engine.mechanics.places import DERIVED_FACTS
from engine.model import BoolVar, Decision, EnumVar
from engine.problems import ContentError, Problem, Severity, has_errors
from engine.yamlload import PathKey, dotted, load_file
from scoring.pack import (
    PolicyPack,
    check_pack,
    find_pack,
    is_pack_file,
    pack_files_in,
    policy_root,
)
from scoring.rules import judge_facts

SEVERITY_VALUES = ("low", "medium", "high")
VICTIM_VARIABLE = "victim_notification_required"
_PART_KEYS = {"title", "facts", "rules", "policies"}


def pack_search_roots(scenario_path: Path) -> list[Path]:
    """Where a scenario's pack is looked for: a ``policy/`` folder beside or above it, then
    the bundled packs."""
    roots: list[Path] = []
    for parent in [scenario_path.parent, *scenario_path.parent.parents][:4]:
        candidate = parent / "policy"
        if candidate.is_dir() and candidate not in roots:
            roots.append(candidate)
    if policy_root() not in roots:
        roots.append(policy_root())
    return roots


def pack_for_scenario(sf: ScenarioFile) -> PolicyPack:
    """Load the pack a scenario names in ``policy_pack`` (ContentError if missing or broken)."""
    problems: list[Problem] = []
    for root in pack_search_roots(sf.path.resolve()):
        try:
            path = find_pack(sf.scenario.policy_pack, root)
        except ContentError:
            continue
        pack, problems = check_pack(path)
        if pack is not None and not has_errors(problems):
            return pack
        break
    line = sf.line_of(("policy_pack",))
    if problems:
        msg = f"policy pack '{sf.scenario.policy_pack}' has errors; run `parolesim lint` on it"
    else:
        msg = f"no policy pack with id '{sf.scenario.policy_pack}' (looked in scenarios/policy)"
    raise ContentError([Problem(sf.file, line, "policy_pack", msg)])


def check_against_pack(sf: ScenarioFile, pack: PolicyPack) -> list[Problem]:
    """Every fact known to the pack; every choice judged by at least one rule."""
    s = sf.scenario
    out: list[Problem] = []

    def add(path: PathKey, message: str, severity: Severity = Severity.ERROR) -> None:
        out.append(Problem(sf.file, sf.line_of(path), dotted(path), message, severity))

    uses_levels = False
    for nid, node in s.nodes.items():
        if not isinstance(node, Decision):
            continue
        for i, choice in enumerate(node.choices):
            base: PathKey = ("nodes", nid, "choices", i)
            for j, fact in enumerate(choice.facts):
                if fact not in pack.facts:
                    add((*base, "facts", j), _unknown(fact, pack))
                uses_levels = uses_levels or fact in pack.level_of_fact
            coded = [f for f in choice.facts if f in pack.miti_code_of_fact]
            if len(coded) > 1:
                add(
                    (*base, "facts"),
                    f"choice '{choice.id}' carries {len(coded)} MITI behaviour codes "
                    f"({', '.join(coded)}); one utterance gets one code, so only the first "
                    f"('{coded[0]}') is counted: keep the one that fits the words",
                    Severity.WARNING,
                )
            if intake.derives_facts(choice):
                continue  # judged by the facts the intake mechanic derives from the key
            if not any(f in pack.scored_facts for f in choice.facts):
                where = (*base, "facts") if choice.facts else (*base, "id")
                add(
                    where,
                    f"choice '{choice.id}' carries no fact that pack '{pack.id}' scores; every "
                    "choice needs at least one so it is judged against a cited policy",
                )
    for fact in s.reactions:
        if fact not in pack.facts:
            add(("reactions", fact), _unknown(fact, pack))
    out.extend(_family_problems(sf, pack))
    out.extend(_requirement_problems(sf, pack))
    out.extend(_pinned_best(sf, pack))
    sev_name = pack.main.violation_response.severity_variable
    var = s.variables.get(sev_name)
    if var is None:
        if uses_levels or pack.family_uses(s.family, "response_matrix"):
            add(
                ("variables",) if "variables" in sf.document.data else ("family",),
                f"a scenario with violation responses declares an enum variable '{sev_name}' "
                f"with values {', '.join(SEVERITY_VALUES)}; its value at the end of the run is "
                "the severity the sanction matrix uses",
            )
    elif not isinstance(var, EnumVar) or not set(var.values) <= set(SEVERITY_VALUES):
        add(("variables", sev_name), f"'{sev_name}' must be an enum of low, medium, high")
    victim = s.variables.get(VICTIM_VARIABLE)
    if victim is not None and not isinstance(victim, BoolVar):
        add(("variables", VICTIM_VARIABLE), f"'{VICTIM_VARIABLE}' must be a bool variable")
    return out


def _family_problems(sf: ScenarioFile, pack: PolicyPack) -> list[Problem]:
    """The family is one the pack declares, and the mechanics used are the family's."""
    s = sf.scenario
    decl = pack.families.get(s.family)
    if decl is None:
        known = ", ".join(pack.families) or "none"
        return [
            Problem(
                sf.file,
                sf.line_of(("family",)),
                "family",
                f"family '{s.family}' is not declared by policy pack '{pack.id}' (known: {known}); "
                "declare it in the pack's families list (scenarios/README.md, 'Adding a family')",
            )
        ]
    out = []
    for block in ("places", "client", "deescalation", "caseload", "intake"):
        if getattr(s, block) is not None and block not in decl.mechanics:
            out.append(
                Problem(
                    sf.file,
                    sf.line_of((block,)),
                    block,
                    f"family '{s.family}' does not declare the '{block}' mechanic its "
                    f"scenarios use; add it to the family's mechanics in the pack",
                    Severity.WARNING,
                )
            )
    return out


def _requirement_problems(sf: ScenarioFile, pack: PolicyPack) -> list[Problem]:
    """Every requirement names pack facts, and at least one of them can be earned."""
    s = sf.scenario
    earnable = set(DERIVED_FACTS) if s.places is not None else set()
    earnable.update(mechanic_facts(s))
    if s.intake is not None:
        earnable |= intake.DERIVED_FACTS
    for node in s.nodes.values():
        if isinstance(node, Decision):
            for choice in node.choices:
                earnable.update(choice.facts)
    out = []
    for i, req in enumerate(s.requires):
        for j, fact in enumerate(req.facts):
            if fact not in pack.facts:
                path: PathKey = ("requires", i, "facts", j)
                out.append(Problem(sf.file, sf.line_of(path), dotted(path), _unknown(fact, pack)))
        if not earnable.intersection(req.facts):
            path = ("requires", i, "facts")
            out.append(
                Problem(
                    sf.file,
                    sf.line_of(path),
                    dotted(path),
                    f"requirement '{req.title}' can never be met: no choice carries any of "
                    f"{', '.join(req.facts)}; add one of them to the choice that does the job",
                )
            )
    return out


def _pinned_best(sf: ScenarioFile, pack: PolicyPack) -> list[Problem]:
    """A pinned option keeps its place when options are shuffled; if it is also the best
    option of its decision, its position gives the answer away."""
    out = []
    for nid, node in sf.scenario.nodes.items():
        if not isinstance(node, Decision) or not any(c.pin for c in node.choices):
            continue
        keyed = [
            (judge_facts(pack, c.facts, frozenset()).sort_key(), i, c)
            for i, c in enumerate(node.choices)
        ]
        best_key = min(k for k, _, _ in keyed)
        for key, i, c in keyed:
            if c.pin and key == best_key:
                path: PathKey = ("nodes", nid, "choices", i, "pin")
                out.append(
                    Problem(
                        sf.file,
                        sf.line_of(path),
                        dotted(path),
                        f"option '{c.id}' is the best answer of '{nid}' and is pinned "
                        f"{c.pin}: its place gives the answer away; pin only options whose "
                        "place carries meaning (e.g. 'leave' last)",
                        Severity.WARNING,
                    )
                )
    return out


def _unknown(fact: str, pack: PolicyPack) -> str:
    close = sorted(f for f in pack.facts if _similar(fact, f))[:3]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"fact '{fact}' is not in policy pack '{pack.id}' (see scenarios/policy/FACTS.md){hint}"


def _similar(a: str, b: str) -> bool:
    wa, wb = set(a.split("_")), set(b.split("_"))
    return len(wa & wb) >= max(1, min(len(wa), len(wb)) - 1)


def pack_checks(
    pack: PolicyPack | None = None,
) -> list[Callable[[ScenarioFile], list[Problem]]]:
    """The engine lint extra checks scoring adds (one: facts against the scenario's pack).

    With ``pack``, every scenario is checked against that pack instead of its own.
    """
    cache: dict[tuple[str, tuple[Path, ...]], PolicyPack | Problem] = {}

    def check(sf: ScenarioFile) -> list[Problem]:
        if pack is not None:
            return check_against_pack(sf, pack)
        key = (sf.scenario.policy_pack, tuple(pack_search_roots(sf.path.resolve())))
        if key not in cache:
            try:
                cache[key] = pack_for_scenario(sf)
            except ContentError as exc:
                cache[key] = exc.problems[0]
        found = cache[key]
        if isinstance(found, Problem):
            line = sf.line_of(("policy_pack",))
            return [Problem(sf.file, line, "policy_pack", found.message)]
        return check_against_pack(sf, found)

    return [check]


# ---------------------------------------------------------------- linting packs


def _is_pack_part(path: Path) -> bool:
    try:
        doc = load_file(path)
    except ContentError:
        return False
    data = doc.data
    return isinstance(data, dict) and bool(data) and set(data) <= _PART_KEYS


def split_lint_paths(paths: Sequence[str | Path]) -> tuple[list[str], list[Problem]]:
    """Split ``parolesim lint`` paths: lint every pack found, return the rest for the engine.

    Folders are searched for packs (including ``policy/`` folders); a pack's own
    files and its included rule files are never handed to the scenario linter.
    """
    from engine.lint import scenario_files

    given = [Path(p) for p in paths]
    packs = pack_files_in(given)
    parts = [p for p in given if p.is_file() and not is_pack_file(p) and _is_pack_part(p)]
    problems: list[Problem] = []
    for part in parts:
        owner = _owner_pack(part)
        if owner is None:
            problems.append(Problem(str(part), 1, "", "a rule file that no policy pack includes"))
        else:
            packs.append(owner)
    problems += lint_packs(dict.fromkeys(packs))
    files, _ = scenario_files([p for p in given if p.exists()])
    owned = _owned_files(packs) | {p.resolve() for p in parts}
    rest = [str(f) for f in files if f.resolve() not in owned and not is_pack_file(f)]
    rest += [str(p) for p in given if not p.exists()]
    return rest, problems


def _owner_pack(part: Path) -> Path | None:
    target = part.resolve()
    for folder in [part.parent, *part.parent.parents][:3]:
        for candidate in pack_files_in([folder]) if folder.is_dir() else []:
            if target in _owned_files([candidate]):
                return candidate
    return None


def _owned_files(packs: Iterable[Path]) -> set[Path]:
    owned: set[Path] = set()
    for pack_path in packs:
        owned.add(pack_path.resolve())
        try:
            doc = load_file(pack_path)
        except ContentError:
            continue
        includes = doc.data.get("includes") if isinstance(doc.data, dict) else None
        for inc in includes if isinstance(includes, list) else []:
            if isinstance(inc, str):
                owned.add((pack_path.parent / inc).resolve())
    return owned


def lint_packs(packs: Iterable[Path]) -> list[Problem]:
    problems: list[Problem] = []
    for path in packs:
        problems.extend(check_pack(path)[1])
    return problems
