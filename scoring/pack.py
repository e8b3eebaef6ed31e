"""Loading a policy pack: the main file, its included rule files, and every check.

:func:`check_pack` returns the pack (when usable) and every problem found, each
at its own file and line, so ``parolesim lint`` can show them all at once;
:func:`load_pack` raises :class:`ContentError` instead. The content hash covers
the canonical data of the main file and every include, so editing any rule
changes the hash that score reports carry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from engine.mechanics.intake import Instrument
from engine.problems import ContentError, Problem, Severity, has_errors
from engine.resources import bundled_scenarios
from engine.yamlload import Document, PathKey, content_hash, dotted, load_file
from scoring.packcheck import semantic_problems
from scoring.packmodel import (
    PACK_FORMAT,
    Competency,
    FamilyDecl,
    IncludeFile,
    PackFile,
    Policy,
    Rule,
)

M = TypeVar("M", bound=BaseModel)

POLICY_DIR_NAME = "policy"
DEFAULT_PACK_ID = "model-state-parole"


@dataclass(frozen=True)
class Where:
    """Where something in a pack was written: file, line and dotted path."""

    file: str
    line: int
    path: str


@dataclass(frozen=True)
class PackRule:
    """One rule with its place in the pack (``index`` is its order across all files)."""

    index: int
    rule: Rule
    where: Where
    # PathKey of the rule inside its document, for pointing at a single key
    key: PathKey = ()
    # "folder/file.yaml:line" relative to the pack's folder: the same on every machine
    location: str = ""


@dataclass
class PolicyPack:
    """A loaded, checked policy pack ready for scoring."""

    path: Path
    main: PackFile
    hash: str
    policies: dict[str, Policy]
    competencies: dict[str, Competency]
    facts: dict[str, str]
    fact_where: dict[str, Where]
    rules: tuple[PackRule, ...]
    files: tuple[str, ...]
    file_titles: dict[str, str] = field(default_factory=dict)
    rules_by_fact: dict[str, tuple[PackRule, ...]] = field(default_factory=dict)
    level_of_fact: dict[str, int] = field(default_factory=dict)
    miti_code_of_fact: dict[str, str] = field(default_factory=dict)
    history_facts: frozenset[str] = frozenset()  # facts some rule's after/not_after names
    families: dict[str, FamilyDecl] = field(default_factory=dict)
    instrument: Instrument | None = None  # the risk/needs instrument, when the pack states one
    memo: dict[Any, Any] = field(default_factory=dict)  # derived values, built on first use

    def __post_init__(self) -> None:
        by_fact: dict[str, list[PackRule]] = {}
        for r in self.rules:
            by_fact.setdefault(r.rule.fact, []).append(r)
        self.rules_by_fact = {k: tuple(v) for k, v in by_fact.items()}
        vr = self.main.violation_response
        self.level_of_fact = {f: lvl.level for lvl in vr.levels for f in lvl.facts}
        self.miti_code_of_fact = {f: code for code, fs in self.main.miti.codes.items() for f in fs}
        self.history_facts = frozenset(
            f for r in self.rules for f in (*r.rule.after, *r.rule.not_after)
        )

    @property
    def id(self) -> str:
        return self.main.id

    @property
    def version(self) -> str:
        return self.main.version

    @property
    def agency(self) -> str:
        return self.main.agency

    def family_uses(self, family: str, mechanic: str) -> bool:
        """Whether scenarios of ``family`` use ``mechanic`` (a panel or an engine mechanic)."""
        decl = self.families.get(family)
        return decl is not None and mechanic in decl.mechanics

    def family_title(self, family: str) -> str:
        decl = self.families.get(family)
        return decl.title if decl is not None else family.replace("_", " ").capitalize()

    @property
    def repeatable_facts(self) -> frozenset[str]:
        """Facts credited every time they are earned (all others once per run)."""
        return frozenset(self.main.scoring.repeatable_facts)

    @property
    def scored_facts(self) -> frozenset[str]:
        """Facts that at least one rule turns into a verdict."""
        return frozenset(self.rules_by_fact)

    def identity(self) -> dict[str, str]:
        """``{"id", "version", "hash"}`` as stored beside a score."""
        return {"id": self.id, "version": self.version, "hash": self.hash}


# ---------------------------------------------------------------- locating packs


def policy_root() -> Path:
    """The folder holding the bundled policy packs (``scenarios/policy``)."""
    bundled = bundled_scenarios()
    return (bundled if bundled is not None else Path.cwd() / "scenarios") / POLICY_DIR_NAME


def default_pack_path() -> Path:
    return policy_root() / f"{DEFAULT_PACK_ID}.yaml"


def is_pack_file(path: Path) -> bool:
    """True if ``path`` is a pack's main file (it declares the pack format)."""
    if path.suffix not in {".yaml", ".yml"} or not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8") as fh:
            head = fh.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return any(
        line.strip().startswith("format:") and "parolesim-policy-pack/" in line
        for line in head.splitlines()
    )


def pack_files_in(paths: Iterable[Path]) -> list[Path]:
    """Every pack main file among ``paths`` (files, or folders searched recursively)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(f for f in sorted(p.rglob("*.y*ml")) if is_pack_file(f))
        elif is_pack_file(p):
            out.append(p)
    return out


def find_pack(pack_id: str, root: Path | None = None) -> Path:
    """The main file of the pack with id ``pack_id`` under ``root`` (default: bundled packs)."""
    folder = root or policy_root()
    direct = folder / f"{pack_id}.yaml"
    if is_pack_file(direct):
        return direct
    for candidate in pack_files_in([folder]):
        try:
            doc = load_file(candidate)
        except ContentError:
            continue
        if isinstance(doc.data, dict) and doc.data.get("id") == pack_id:
            return candidate
    raise ContentError(
        [Problem(str(folder), 0, "", f"no policy pack with id '{pack_id}' in {folder}")]
    )


# ---------------------------------------------------------------- loading


def load_pack(path: str | Path) -> PolicyPack:
    """Load and check a pack; raise :class:`ContentError` listing every error."""
    pack, problems = check_pack(path)
    if pack is None or has_errors(problems):
        raise ContentError([p for p in problems if p.severity is Severity.ERROR])
    return pack


def check_pack(path: str | Path) -> tuple[PolicyPack | None, list[Problem]]:
    """Load a pack and report every problem (errors and warnings) at its line."""
    main_path = Path(path)
    try:
        main_doc = load_file(main_path)
    except ContentError as exc:
        return None, exc.problems
    if not isinstance(main_doc.data, dict):
        return None, [Problem(main_doc.file, 1, "", "the top level must be a mapping of keys")]
    problems: list[Problem] = []
    if main_doc.data.get("format") != PACK_FORMAT:
        problems.append(
            Problem(
                main_doc.file,
                main_doc.line_of(("format",)),
                "format",
                f"a policy pack starts with 'format: {PACK_FORMAT}'",
            )
        )
    include_docs = _load_includes(main_doc, main_path, problems)
    main = _validate(PackFile, main_doc, problems)
    includes = [(doc, _validate(IncludeFile, doc, problems)) for doc in include_docs]
    if main is None or any(model is None for _, model in includes) or has_errors(problems):
        return None, problems
    parts: list[tuple[Document, IncludeFile]] = [(main_doc, main)]
    parts += [(doc, model) for doc, model in includes if model is not None]
    pack = _assemble(main_path, main, parts)
    problems.extend(semantic_problems(pack, parts))
    return pack, sorted(problems, key=_order)


def _order(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, p.line, p.path, p.message)


def _load_includes(main_doc: Document, main_path: Path, problems: list[Problem]) -> list[Document]:
    raw = main_doc.data.get("includes", [])
    if not isinstance(raw, list):
        return []  # schema validation reports the wrong type
    docs: list[Document] = []
    seen: set[Path] = set()
    base = main_path.parent
    for i, entry in enumerate(raw):
        key = ("includes", i)
        line = main_doc.line_of(key)
        if not isinstance(entry, str) or not entry.strip():
            continue
        rel = Path(entry)
        if rel.is_absolute() or ".." in rel.parts:
            problems.append(
                Problem(
                    main_doc.file,
                    line,
                    dotted(key),
                    f"include '{entry}' must be a path relative to the pack folder, without '..'",
                )
            )
            continue
        target = base / rel
        if target.resolve() in seen:
            problems.append(
                Problem(main_doc.file, line, dotted(key), f"'{entry}' is included twice")
            )
            continue
        seen.add(target.resolve())
        if not target.is_file():
            problems.append(
                Problem(main_doc.file, line, dotted(key), f"included file '{entry}' does not exist")
            )
            continue
        try:
            doc = load_file(target)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(doc.data, dict):
            problems.append(Problem(doc.file, 1, "", "the top level must be a mapping of keys"))
            continue
        docs.append(doc)
    return docs


def _validate(model: type[M], doc: Document, problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, doc))
        return None


def validation_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    """Turn pydantic errors into problems at the line of the offending key."""
    out: dict[str, Problem] = {}
    for err in exc.errors():
        key = _present_prefix(doc.data, tuple(err["loc"]))
        path = dotted(key)
        if err["type"] == "extra_forbidden":
            message = f"unknown key '{err['loc'][-1]}'"
        elif err["type"] == "missing":
            message = f"missing required key '{err['loc'][-1]}'"
        else:
            message = err["msg"].removeprefix("Value error, ")
            shown = err.get("input")
            if err["type"] != "value_error" and isinstance(shown, str | int | float):
                message += f" (got {shown!r})"
        out.setdefault(path, Problem(doc.file, doc.line_of(key), path, message))
    return list(out.values())


def _present_prefix(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """The longest prefix of a pydantic location that names a value in ``data``."""
    key: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict):
            if not (isinstance(part, str) and part in node):
                break
        elif not (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            break
        node = node[part]
        key.append(part)
    return tuple(key)


def _relative(file: str, main_path: Path) -> str:
    try:
        return Path(file).resolve().relative_to(main_path.resolve().parent).as_posix()
    except ValueError:
        return Path(file).name


def _assemble(
    main_path: Path, main: PackFile, parts: list[tuple[Document, IncludeFile]]
) -> PolicyPack:
    policies: dict[str, Policy] = {}
    facts: dict[str, str] = {}
    fact_where: dict[str, Where] = {}
    rules: list[PackRule] = []
    families: dict[str, FamilyDecl] = {}
    instrument: Instrument | None = None
    competencies: dict[str, Competency] = {}
    for doc, model in parts:
        for comp in model.competencies:
            competencies.setdefault(comp.id, comp)
        for fam in model.families:
            families.setdefault(fam.id, fam)
        instrument = instrument or model.instrument
        for p in model.policies:
            policies.setdefault(p.id, p)
        for name in model.facts:
            if name not in facts:
                facts[name] = model.facts[name]
                fact_where[name] = Where(doc.file, doc.line_of(("facts", name)), f"facts.{name}")
        rel = _relative(doc.file, main_path)
        for i, rule in enumerate(model.rules):
            key: PathKey = ("rules", i)
            line = doc.line_of(key)
            where = Where(doc.file, line, dotted(key))
            rules.append(PackRule(len(rules), rule, where, key, f"{rel}:{line}"))
    data = {"pack": parts[0][0].data, "includes": [doc.data for doc, _ in parts[1:]]}
    return PolicyPack(
        path=main_path,
        main=main,
        hash=content_hash(data),
        policies=policies,
        competencies=competencies,
        facts=facts,
        fact_where=fact_where,
        rules=tuple(rules),
        files=tuple(doc.file for doc, _ in parts),
        file_titles={doc.file: model.title for doc, model in parts},
        families=families,
        instrument=instrument,
    )
