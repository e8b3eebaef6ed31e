"""Cross-reference checks of a policy pack, each reported at its own file and line.

Schema validation (:mod:`scoring.packmodel`) fixes the shape of each file; these
checks catch what only the whole pack can show: a rule citing an unknown policy
or competency, a fact declared twice, a rule that can never apply, a matrix
cell missing, thresholds out of order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from engine.problems import Problem, Severity
from engine.yamlload import Document, PathKey, dotted
from scoring.packmodel import BY_MATRIX, IncludeFile, Verdict

if TYPE_CHECKING:
    from scoring.pack import PolicyPack

SEVERITIES = ("low", "medium", "high")
RISKS = ("low", "moderate", "high")


class _Report:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, doc: Document, key: PathKey, message: str) -> None:
        self.problems.append(Problem(doc.file, doc.line_of(key), dotted(key), message))

    def warn(self, doc: Document, key: PathKey, message: str) -> None:
        self.problems.append(
            Problem(doc.file, doc.line_of(key), dotted(key), message, Severity.WARNING)
        )


def semantic_problems(pack: PolicyPack, parts: list[tuple[Document, IncludeFile]]) -> list[Problem]:
    out = _Report()
    main_doc = parts[0][0]
    _duplicates(out, parts)
    used_facts: set[str] = set()
    cited: set[str] = set()
    for doc, model in parts:
        _rules(out, pack, doc, model, used_facts, cited)
    _scoring(out, pack, main_doc, used_facts)
    _miti(out, pack, main_doc, used_facts, cited)
    _violation_response(out, pack, main_doc, used_facts, cited)
    _families(out, pack, parts, cited)
    for doc, model in parts:
        for name in model.facts:
            if name not in used_facts:
                out.warn(
                    doc,
                    ("facts", name),
                    f"fact '{name}' is declared but no rule or setting uses it",
                )
        for i, policy in enumerate(model.policies):
            if policy.id not in cited:
                out.warn(
                    doc,
                    ("policies", i, "id"),
                    f"policy {policy.id} is not cited by any rule or setting",
                )
    return out.problems


def _families(
    out: _Report, pack: PolicyPack, parts: list[tuple[Document, IncludeFile]], cited: set[str]
) -> None:
    """Each family declared once, naming competencies and clauses the pack has."""
    seen: dict[str, str] = {}
    for doc, model in parts:
        for i, fam in enumerate(model.families):
            base: PathKey = ("families", i)
            where = f"{doc.file}:{doc.line_of((*base, 'id'))}"
            if fam.id in seen:
                out.error(
                    doc,
                    (*base, "id"),
                    f"family '{fam.id}' is declared twice (first at {seen[fam.id]})",
                )
            seen.setdefault(fam.id, where)
            for j, comp in enumerate(fam.competencies):
                if comp not in pack.competencies:
                    known = ", ".join(sorted(pack.competencies))
                    out.error(
                        doc,
                        (*base, "competencies", j),
                        f"unknown competency '{comp}'; known: {known}",
                    )
            for j, pid in enumerate(fam.policies):
                if pid not in pack.policies:
                    out.error(doc, (*base, "policies", j), f"unknown policy '{pid}'")
    if not seen:
        out.error(
            parts[0][0],
            ("format",),
            "the pack declares no scenario families; add a `families:` list (see "
            "scenarios/README.md, 'Adding a family')",
        )


def _duplicates(out: _Report, parts: list[tuple[Document, IncludeFile]]) -> None:
    policy_seen: dict[str, str] = {}
    fact_seen: dict[str, str] = {}
    for doc, model in parts:
        for i, p in enumerate(model.policies):
            if p.id in policy_seen:
                out.error(
                    doc,
                    ("policies", i, "id"),
                    f"duplicate policy id {p.id} (first defined at {policy_seen[p.id]})",
                )
            else:
                policy_seen[p.id] = f"{doc.file}:{doc.line_of(('policies', i, 'id'))}"
        for name in model.facts:
            if name in fact_seen:
                out.error(
                    doc,
                    ("facts", name),
                    f"duplicate fact '{name}' (first declared at {fact_seen[name]})",
                )
            else:
                fact_seen[name] = f"{doc.file}:{doc.line_of(('facts', name))}"
    comp_seen: dict[str, str] = {}
    for doc, model in parts:
        for i, c in enumerate(model.competencies):
            key: PathKey = ("competencies", i, "id")
            if c.id in comp_seen:
                out.error(
                    doc,
                    key,
                    f"duplicate competency id '{c.id}' (first defined at {comp_seen[c.id]})",
                )
            else:
                comp_seen[c.id] = f"{doc.file}:{doc.line_of(key)}"


def _rules(
    out: _Report,
    pack: PolicyPack,
    doc: Document,
    model: IncludeFile,
    used: set[str],
    cited: set[str],
) -> None:
    unconditional: dict[str, int] = {}
    for i, rule in enumerate(model.rules):
        base: PathKey = ("rules", i)
        used.add(rule.fact)
        cited.add(rule.policy)
        if rule.fact not in pack.facts:
            out.error(doc, (*base, "fact"), f"fact '{rule.fact}' is not declared under facts:")
        if rule.policy not in pack.policies:
            out.error(doc, (*base, "policy"), f"rule cites unknown policy id '{rule.policy}'")
        if rule.competency not in pack.competencies:
            known = ", ".join(sorted(pack.competencies))
            out.error(
                doc,
                (*base, "competency"),
                f"unknown competency '{rule.competency}'; known: {known}",
            )
        if rule.verdict == BY_MATRIX and rule.fact not in pack.level_of_fact:
            out.error(
                doc,
                (*base, "verdict"),
                f"'by_matrix' needs a fact listed in violation_response.levels; "
                f"'{rule.fact}' is not",
            )
        for cond in ("after", "not_after", "with", "without"):
            facts = getattr(rule, "with_" if cond == "with" else cond)
            for j, f in enumerate(facts):
                used.add(f)
                if f not in pack.facts:
                    out.error(doc, (*base, cond, j), f"condition fact '{f}' is not declared")
        if rule.fact in unconditional:
            out.warn(
                doc,
                base,
                f"this rule never applies: the rule at line {unconditional[rule.fact]} already "
                f"judges '{rule.fact}' with no conditions",
            )
        elif not rule.conditional:
            unconditional[rule.fact] = doc.line_of(base)


def _scoring(out: _Report, pack: PolicyPack, doc: Document, used: set[str]) -> None:
    s = pack.main.scoring
    missing = [v.value for v in Verdict if v not in s.verdict_points]
    if missing:
        out.error(doc, ("scoring", "verdict_points"), f"points missing for: {', '.join(missing)}")
    else:
        points = [s.verdict_points[v] for v in Verdict]
        if any(not 0 <= p <= 100 for p in points) or points != sorted(points, reverse=True):
            out.error(
                doc,
                ("scoring", "verdict_points"),
                "points must be 0-100 and never rise from exemplary down to critical",
            )
    if sorted(s.ratings) != list(range(1, 8)):
        out.error(doc, ("scoring", "ratings"), "ratings must give a threshold for each of 1 to 7")
    else:
        thresholds = [s.ratings[r] for r in range(7, 0, -1)]
        if thresholds != sorted(thresholds, reverse=True) or len(set(thresholds)) != 7:
            out.error(doc, ("scoring", "ratings"), "rating thresholds must fall from 7 down to 1")
        if s.ratings[1] != 0:
            out.error(doc, ("scoring", "ratings", 1), "rating 1 must start at 0")
    used.add(s.timeout_fact)
    if s.timeout_fact not in pack.scored_facts:
        out.error(
            doc,
            ("scoring", "timeout_fact"),
            f"timeout fact '{s.timeout_fact}' must be declared and scored by a rule",
        )
    if s.in_time_fact is not None:
        used.add(s.in_time_fact)
        if s.in_time_fact not in pack.scored_facts:
            out.error(
                doc,
                ("scoring", "in_time_fact"),
                f"in-time fact '{s.in_time_fact}' must be declared and scored by a rule",
            )
    for name in pack.main.pass_criteria.min_rating:
        key: PathKey = ("pass_criteria", "min_rating", name)
        if name not in pack.competencies:
            out.error(doc, key, f"unknown competency '{name}'")
        elif not 1 <= pack.main.pass_criteria.min_rating[name] <= 7:
            out.error(doc, key, "a minimum rating is between 1 and 7")


def _miti(out: _Report, pack: PolicyPack, doc: Document, used: set[str], cited: set[str]) -> None:
    m = pack.main.miti
    cited.add(m.policy)
    if m.policy not in pack.policies:
        out.error(doc, ("miti", "policy"), f"unknown policy id '{m.policy}'")
    seen: dict[str, str] = {}
    for code, facts in m.codes.items():
        for j, f in enumerate(facts):
            used.add(f)
            key: PathKey = ("miti", "codes", code, j)
            if f not in pack.facts:
                out.error(doc, key, f"fact '{f}' is not declared")
            if f in seen:
                out.error(doc, key, f"fact '{f}' already counts as {seen[f]}")
            seen[f] = code
    for name in (
        "technical",
        "relational",
        "percent_complex_reflections",
        "reflection_to_question",
    ):
        t = getattr(m.thresholds, name)
        if t.fair > t.good:
            out.error(doc, ("miti", "thresholds", name), "'fair' must not be above 'good'")


def _violation_response(
    out: _Report, pack: PolicyPack, doc: Document, used: set[str], cited: set[str]
) -> None:
    vr = pack.main.violation_response
    base: PathKey = ("violation_response",)
    n = len(vr.levels)
    for i, lvl in enumerate(vr.levels):
        if lvl.level != i + 1:
            out.error(
                doc,
                (*base, "levels", i, "level"),
                f"levels are numbered 1, 2, 3 ... from least restrictive; expected {i + 1}",
            )
    seen: dict[str, int] = {}
    for i, lvl in enumerate(vr.levels):
        for j, f in enumerate(lvl.facts):
            used.add(f)
            key: PathKey = (*base, "levels", i, "facts", j)
            if f not in pack.facts:
                out.error(doc, key, f"fact '{f}' is not declared")
            if f in seen:
                out.error(doc, key, f"fact '{f}' is already level {seen[f]}")
            seen[f] = lvl.level
    for sev in SEVERITIES:
        row = vr.matrix.get(sev)  # type: ignore[call-overload]
        if row is None:
            out.error(doc, (*base, "matrix"), f"matrix has no row for severity '{sev}'")
            continue
        for risk in RISKS:
            cell = row.get(risk)
            key = (*base, "matrix", sev, risk)
            if cell is None:
                out.error(doc, (*base, "matrix", sev), f"matrix has no cell for risk '{risk}'")
            elif not 1 <= cell[0] <= cell[1] <= n:
                out.error(
                    doc, key, f"a band is [lowest, highest] with 1 <= lowest <= highest <= {n}"
                )
    refs: Iterable[tuple[PathKey, str]] = [
        ((*base, "policy"), vr.policy),
        ((*base, "incentives", "policy"), vr.incentives.policy),
        ((*base, "due_process", "policy"), vr.due_process.policy),
        *(
            [((*base, "administrative", "policy"), vr.administrative.policy)]
            if vr.administrative
            else []
        ),
        *([((*base, "override", "policy"), vr.override.policy)] if vr.override else []),
        *(
            [((*base, "need_responses", "policy"), vr.need_responses.policy)]
            if vr.need_responses
            else []
        ),
        *(
            ((*base, "notifications", i, "policy"), n_.policy)
            for i, n_ in enumerate(vr.notifications)
        ),
    ]
    for key, pid in refs:
        cited.add(pid)
        if pid not in pack.policies:
            out.error(doc, key, f"unknown policy id '{pid}'")
    fact_refs: list[tuple[PathKey, str]] = [
        ((*base, "incentives", "facts", i), f) for i, f in enumerate(vr.incentives.facts)
    ]
    fact_refs += [
        ((*base, "due_process", "steps", i, "fact"), s.fact)
        for i, s in enumerate(vr.due_process.steps)
    ]
    fact_refs += [
        ((*base, "notifications", i, "fact"), x.fact) for i, x in enumerate(vr.notifications)
    ]
    if vr.administrative is not None:
        fact_refs += [
            ((*base, "administrative", "steps", i, "fact"), s.fact)
            for i, s in enumerate(vr.administrative.steps)
        ]
    if vr.override is not None:
        fact_refs += [
            ((*base, "override", "reasons_fact"), vr.override.reasons_fact),
            ((*base, "override", "approval_fact"), vr.override.approval_fact),
        ]
    if vr.need_responses is not None:
        for i, f in enumerate(vr.need_responses.facts):
            fact_refs.append(((*base, "need_responses", "facts", i), f))
            if f in pack.level_of_fact:
                out.error(
                    doc,
                    (*base, "need_responses", "facts", i),
                    f"fact '{f}' is a need-based response and cannot also be a sanction level",
                )
    for key, f in fact_refs:
        used.add(f)
        if f not in pack.facts:
            out.error(doc, key, f"fact '{f}' is not declared")
    tracks = [("due_process", vr.due_process)] + (
        [("administrative", vr.administrative)] if vr.administrative else []
    )
    for name, track in tracks:
        if track.to_level is not None and track.to_level < track.from_level:
            out.error(doc, (*base, name, "to_level"), "to_level must not be below from_level")
    for key, level in [
        ((*base, name, "from_level"), track.from_level) for name, track in tracks
    ] + [
        ((*base, "notifications", i, "from_level"), x.from_level)
        for i, x in enumerate(vr.notifications)
    ]:
        if not 1 <= level <= n:
            out.error(doc, key, f"from_level must be a level between 1 and {n}")
