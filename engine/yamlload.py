"""Safe, line-aware YAML loading for scenarios and policy packs.

PyYAML composes the node tree (with its C parser where installed); we build the
Python values ourselves so that every value keeps its line number and so that
YAML 1.1 surprises cannot change an author's meaning: ``yes``/``no``/``on``/
``off`` stay strings, ``1:30`` stays a string, ``0755`` stays a string (no
octal), and only ``true``/``false`` are booleans.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from engine.problems import ContentError, Problem

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 200_000
MAX_ALIASES = 200

PathKey = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?((0|[1-9][0-9_]*)(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_NULL = {"", "~", "null", "Null", "NULL"}
_YAML = "tag:yaml.org,2002:"
_RESOLVER = yaml.resolver.Resolver()
_IMPLICIT_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null")}


@dataclass
class Document:
    """A loaded YAML file: its plain data and the line of every value in it."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        key = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)

    @property
    def content_hash(self) -> str:
        return content_hash(self.data)


def content_hash(data: Any) -> str:
    """sha256 of the canonical JSON form: key order and formatting do not matter."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def dotted(path: PathKey) -> str:
    """``('nodes', 'door', 'choices', 1, 'next')`` -> ``nodes.door.choices[1].next``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[PathKey, int] = {}
        self.count = 0
        self.seen: set[int] = set()
        self.aliases = 0
        self.problems: list[Problem] = []

    def fail(self, line: int, path: PathKey, message: str) -> None:
        self.problems.append(Problem(self.file, line, dotted(path), message))

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        if id(node) in self.seen and not isinstance(node, yaml.ScalarNode):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _TooBig
        self.seen.add(id(node))
        line = node.start_mark.line + 1
        self.lines[path] = line
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        self.fail(line, path, "unsupported YAML node")  # pragma: no cover
        return None

    def mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == _YAML + "merge":
                self.fail(key_line, path, "merge keys ('<<') are not supported; write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_line, path, "mapping keys must be plain words")
                continue
            key = str(key_node.value)
            if key in out:
                self.fail(
                    key_line, (*path, key), f"duplicate key '{key}': each key may appear once"
                )
                continue
            out[key] = self.build(value_node, (*path, key))
            # a key's own line is more useful than the line its value starts on
            self.lines[(*path, key)] = key_line
        return out

    def scalar(self, node: yaml.ScalarNode, path: PathKey) -> Any:
        value: str = node.value
        if node.tag not in _IMPLICIT_TAGS and not node.tag.startswith(_YAML):
            self.fail(
                node.start_mark.line + 1, path, f"custom YAML tag '{node.tag}' is not allowed"
            )
            return value
        if node.style not in (None, ""):
            return value  # quoted or block: always a string
        if node.tag == _YAML + "str" and _implicit_tag(value) != node.tag:
            return value  # explicitly tagged !!str
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if value in _NULL:
            return None
        if _INT.match(value):
            return int(value.replace("_", ""))
        if _FLOAT.match(value) and any(c.isdigit() for c in value):
            return float(value.replace("_", ""))
        if value in {".inf", "+.inf", ".Inf"}:
            return float("inf")
        if value in {"-.inf", "-.Inf"}:
            return float("-inf")
        return value


def _implicit_tag(value: str) -> str:
    """The tag YAML would give this plain scalar on its own (to spot an explicit ``!!str``)."""
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return tag


class _TooBig(Exception):
    pass


def load_text(text: str, file: str = "<text>") -> Document:
    """Parse YAML text into a :class:`Document`; raise :class:`ContentError` if unusable."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise ContentError(
            [Problem(file, 1, "", f"file is larger than {MAX_FILE_BYTES // 1024} KiB; split it")]
        )
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = exc.problem or str(exc)
        context = f" ({exc.context})" if exc.context else ""
        raise ContentError(
            [Problem(file, line, "", f"YAML syntax: {what}{context}; check indentation and quotes")]
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise ContentError([Problem(file, 1, "", f"YAML syntax: {exc}")]) from None
    if node is None:
        raise ContentError([Problem(file, 1, "", "file is empty")])
    builder = _Builder(file)
    try:
        data = builder.build(node, ())
    except _TooBig:
        raise ContentError(
            [
                Problem(
                    file,
                    1,
                    "",
                    "document expands to too many values (anchors and aliases are limited to "
                    f"{MAX_ALIASES} reuses and {MAX_NODES} values)",
                )
            ]
        ) from None
    if builder.problems:
        raise ContentError(builder.problems)
    return Document(file=file, data=data, lines=builder.lines)


def load_file(path: str | Path) -> Document:
    """Read and parse one YAML file, naming the file in every problem."""
    p = Path(path)
    name = str(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ContentError([Problem(name, 1, "", f"cannot read file: {exc.strerror}")]) from None
    if size > MAX_FILE_BYTES:
        raise ContentError(
            [Problem(name, 1, "", f"file is larger than {MAX_FILE_BYTES // 1024} KiB; split it")]
        )
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(
            [Problem(name, 1, "", f"file is not UTF-8 text ({exc.reason}); save it as UTF-8")]
        ) from None
    return load_text(text, name)


def as_mapping(doc: Document) -> Mapping[str, Any]:
    if not isinstance(doc.data, dict):
        raise ContentError([Problem(doc.file, 1, "", "the top level must be a mapping of keys")])
    return doc.data
