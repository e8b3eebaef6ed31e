"""Load a scenario file: YAML with lines, then the schema, then the engine's own checks.

Schema errors from pydantic are turned into problems at the line of the value
they are about, with wording an author can act on.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.mechanics.client import with_client
from engine.model import SCHEMA_VERSION, Scenario
from engine.problems import ContentError, Problem, has_errors
from engine.yamlload import Document, PathKey, dotted, load_file, load_text, paused_gc


@dataclass(frozen=True)
class ScenarioFile:
    """A validated scenario and where it came from."""

    path: Path
    scenario: Scenario
    document: Document
    hash: str

    @property
    def file(self) -> str:
        return self.document.file

    def line_of(self, path: PathKey) -> int:
        return self.document.line_of(path)


def data_path(loc: tuple[Any, ...], data: Any) -> PathKey:
    """Map a pydantic error location onto the YAML data, dropping union tag names."""
    out: list[str | int] = []
    cur = data
    for part in loc:
        if isinstance(cur, dict):
            if part in cur:
                out.append(part)
                cur = cur[part]
                continue
            if isinstance(part, str) and part in (cur.get("kind"), cur.get("type")):
                continue  # a discriminated-union tag, not a key
            if isinstance(part, str) and ("[" in part or part.startswith("function-")):
                continue  # pydantic's internal validator labels
            out.append(part)
            cur = None
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            out.append(part)
            cur = cur[part]
        elif cur is not None and isinstance(part, str):
            continue  # a union member's label (``bool``, ``str``) under a plain value
        else:
            if isinstance(part, str | int) and not (isinstance(part, str) and "[" in part):
                out.append(part)
            cur = None
    return tuple(out)


def _message(err: dict[str, Any], path: PathKey) -> str:
    kind = err.get("type", "")
    field = path[-1] if path else ""
    if kind == "extra_forbidden":
        if err.get("input") is None and " " in str(field):
            return (
                f"unknown key '{field}': a comma inside {{…}} cut the text before it in two; "
                "quote this text (put the whole text in quotes)"
            )
        return f"unknown key '{field}'; check the spelling (see `parolesim schema`)"
    if kind == "missing":
        hint = ""
        if field == "default":
            hint = " (a timed decision needs the choice taken when time runs out)"
        return f"missing required key '{field}'{hint}"
    if kind in ("literal_error", "enum"):
        expected = err.get("ctx", {}).get("expected", "")
        return f"{err.get('input')!r} is not allowed here; expected {expected}"
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return (
            f"'{ctx.get('discriminator', 'kind')}' is {ctx.get('tag')!r}; "
            f"expected one of {ctx.get('expected_tags')}"
        )
    if kind == "union_tag_not_found":
        disc = err.get("ctx", {}).get("discriminator", "kind")
        return f"missing '{disc}' (what kind of entry this is)"
    value = err.get("input")
    quoted = " (it is in quotes: remove them)" if isinstance(value, str) else ""
    if kind == "bool_type":
        return f"{value!r} is not a yes/no value; write true or false"
    if kind in ("int_type", "int_from_float"):
        return f"{value!r} is not a whole number{quoted}"
    if kind == "float_type":
        return f"{value!r} is not a number{quoted}"
    if kind == "string_type":
        return f"{value!r} is not text; put it in quotes if it should be text"
    if kind == "string_pattern_mismatch":
        return (
            f"{err.get('input')!r} is not a valid identifier: use lowercase letters, digits, "
            "'_' or '-', starting with a letter or digit"
        )
    return str(err.get("msg", "invalid value"))


def schema_problems(doc: Document, exc: ValidationError) -> list[Problem]:
    """One problem per place; a value that fits none of a union's forms lists each form."""
    messages: dict[PathKey, list[str]] = {}
    for err in exc.errors():
        path = data_path(tuple(err["loc"]), doc.data)
        said = messages.setdefault(path, [])
        message = _message(dict(err), path)
        if message not in said:
            said.append(message)
    return sorted(
        Problem(doc.file, doc.line_of(path), dotted(path), "; or ".join(said))
        for path, said in messages.items()
    )


def validate_document(doc: Document) -> Scenario:
    """Validate a loaded document against the scenario schema (no semantic checks)."""
    data = doc.data
    if not isinstance(data, dict):
        raise ContentError([Problem(doc.file, 1, "", "a scenario file is a mapping of keys")])
    version = data.get("schema_version")
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise ContentError(
            [
                Problem(
                    doc.file,
                    doc.line_of(("schema_version",)),
                    "schema_version",
                    f"schema_version {version} is newer than this parolesim understands "
                    f"({SCHEMA_VERSION}); update parolesim",
                )
            ]
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ContentError(schema_problems(doc, exc)) from None


def _without(data: Any, path: PathKey) -> None:
    """Delete the value at ``path`` inside ``data`` (nested dicts and lists), if present."""
    *parents, last = path
    cur = data
    for part in parents:
        in_dict = isinstance(cur, dict) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if not (in_dict or in_list):
            return
        cur = cur[part]
    if isinstance(cur, dict):
        cur.pop(last, None)


def validate_for_lint(doc: Document, path: Path) -> tuple[ScenarioFile | None, list[Problem]]:
    """Schema problems, and a scenario to run the logic checks on whenever one can be had.

    A value the schema refuses (an unknown key, a wrong type in an optional field) is
    left out and the file validated again: when that succeeds, lint runs the logic
    checks too and reports schema and logic problems in one pass. A missing required
    value cannot be left out, so then only the schema problems are reported.
    """
    try:
        return from_document(doc, path, check=False), []
    except ContentError as exc:
        problems = exc.problems
    data = doc.data
    if not isinstance(data, dict):
        return None, problems
    pruned = copy.deepcopy(data)
    errors = _schema_errors(pruned)
    if any(e["type"] == "missing" for e in errors):
        return None, problems  # something the author must add: no guessing past it
    for _ in range(4):  # leaving a required value out may leave out what holds it
        if not errors:
            break
        for err in errors:
            place = data_path(tuple(err["loc"]), pruned)
            if err["type"] == "missing":
                place = place[:-1]  # the optional block that lacks it goes instead
                if len(place) <= 2 or isinstance(place[-1], int):
                    return None, problems  # a node or list entry: its loss would mislead
            if not place:
                return None, problems
            _without(pruned, place)
        errors = _schema_errors(pruned)
    if errors:
        return None, problems
    try:
        with paused_gc():
            scenario = with_client(Scenario.model_validate(pruned))
    except (ValidationError, ContentError):
        return None, problems
    sf = ScenarioFile(path=path, scenario=scenario, document=doc, hash=doc.content_hash)
    return sf, problems


def _schema_errors(data: dict[str, Any]) -> list[Any]:
    try:
        Scenario.model_validate(data)
    except ValidationError as exc:
        return list(exc.errors())
    return []


def from_document(doc: Document, path: Path, *, check: bool = True) -> ScenarioFile:
    with paused_gc():
        scenario = with_client(validate_document(doc))
    sf = ScenarioFile(path=path, scenario=scenario, document=doc, hash=doc.content_hash)
    if check:
        from engine.lint import check_scenario

        problems = check_scenario(sf)
        if has_errors(problems):
            raise ContentError(problems)
    return sf


def load_scenario(path: str | Path, *, check: bool = True) -> ScenarioFile:
    """Load, validate and (by default) check one scenario file; raise ContentError if unusable."""
    return from_document(load_file(path), Path(path), check=check)


def load_scenario_text(text: str, name: str = "<text>", *, check: bool = True) -> ScenarioFile:
    return from_document(load_text(text, name), Path(name), check=check)
