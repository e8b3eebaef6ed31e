"""Safe, line-aware YAML loading for scenarios and policy packs.

PyYAML composes the node tree (with its C parser where installed); we build the
Python values ourselves so that every value keeps its line number and so that
YAML 1.1 surprises cannot change an author's meaning: ``yes``/``no``/``on``/
``off`` stay strings, ``1:30`` stays a string, ``0755`` stays a string (no
octal), and only ``true``/``false`` are booleans.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Mapping
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
MAX_DEPTH = 64  # mappings and lists inside one another; a scenario needs about ten

# The tags the format defines: the YAML core types. Anything else (``!!python/...``,
# ``!!binary``, ``!!set``, application tags) is refused rather than silently read as text.
ALLOWED_TAGS = frozenset({"str", "int", "float", "bool", "null", "seq", "map"})

PathKey = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?((0|[1-9][0-9_]*)(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_NULL = {"", "~", "null", "Null", "NULL"}
_YAML = "tag:yaml.org,2002:"


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


class _TooBig(Exception):
    pass


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building a large, acyclic structure.

    Loading a scenario allocates tens of thousands of small objects and no cycles;
    letting the collector rescan the growing heap meanwhile costs a third of the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _line(ev: yaml.Event) -> int:
    mark = ev.start_mark
    return mark.line + 1 if mark is not None else 1


class _OneDocument(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _Builder:
    """Builds plain values straight from the parser's events, recording each value's line.

    Working from events (not composed nodes) skips PyYAML's per-scalar resolver,
    which is most of the cost of loading a large scenario.
    """

    def __init__(self, file: str, events: Iterator[yaml.Event]) -> None:
        self.file = file
        self.events = events
        self.lines: dict[PathKey, int] = {}
        self.count = 0
        self.aliases = 0
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.problems: list[Problem] = []

    def fail(self, line: int, path: PathKey, message: str) -> None:
        self.problems.append(Problem(self.file, line, dotted(path), message))

    def document(self) -> tuple[Any, bool]:
        """The one document in the stream; (None, False) for an empty stream."""
        found, value = False, None
        for ev in self.events:
            if isinstance(ev, yaml.DocumentStartEvent):
                if found:
                    raise _OneDocument(_line(ev))
                found = True
                value, _ = self.value(next(self.events), ())
        return value, found

    def check_tag(self, ev: yaml.Event, path: PathKey) -> bool:
        """False (and a problem) when ``ev`` carries a tag the format does not define."""
        tag = getattr(ev, "tag", None)
        if not tag or tag == "!":
            return True
        if tag.startswith(_YAML) and tag[len(_YAML) :] in ALLOWED_TAGS:
            return True
        shown = "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag
        self.fail(
            _line(ev),
            path,
            f"YAML tag '{shown}' is not part of the scenario format; remove it "
            "(put the text in quotes if it should stay as written)",
        )
        return False

    def value(self, ev: yaml.Event, path: PathKey) -> tuple[Any, int]:
        """Build one value from its first event; returns the value and how many values it holds."""
        line = _line(ev)
        self.lines[path] = line
        if len(path) > MAX_DEPTH:
            raise _TooDeep(line)
        self.check_tag(ev, path)
        if isinstance(ev, yaml.AliasEvent):
            found = self.anchors.get(str(ev.anchor))
            if found is None:  # pragma: no cover - the parser rejects unknown aliases
                self.fail(line, path, f"unknown alias '*{ev.anchor}'")
                return None, 1
            self.aliases += 1
            self.count += found[1]
            if self.aliases > MAX_ALIASES or self.count > MAX_NODES:
                raise _TooBig
            return found
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        if isinstance(ev, yaml.ScalarEvent):
            out: Any = self.scalar(ev, path)
            size = 1
        elif isinstance(ev, yaml.SequenceStartEvent):
            out, size = self.sequence(path)
        elif isinstance(ev, yaml.MappingStartEvent):
            out, size = self.mapping(path)
        else:  # pragma: no cover - the parser only yields the events above here
            self.fail(line, path, "unsupported YAML content")
            return None, 1
        anchor = getattr(ev, "anchor", None)
        if anchor:
            self.anchors[str(anchor)] = (out, size)
        return out, size

    def sequence(self, path: PathKey) -> tuple[list[Any], int]:
        out: list[Any] = []
        size = 1
        for ev in self.events:
            if isinstance(ev, yaml.SequenceEndEvent):
                break
            item, n = self.value(ev, (*path, len(out)))
            out.append(item)
            size += n
        return out, size

    def mapping(self, path: PathKey) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        size = 1
        for ev in self.events:
            if isinstance(ev, yaml.MappingEndEvent):
                break
            key_line = _line(ev)
            if not isinstance(ev, yaml.ScalarEvent):
                self.fail(key_line, path, "mapping keys must be plain words")
                self.value(ev, (*path, "?"))  # consume the key
                self.value(next(self.events), (*path, "?"))
                continue
            key = str(ev.value)
            if key == "<<" and not ev.style:
                self.fail(key_line, path, "merge keys ('<<') are not supported; write the keys out")
                self.value(next(self.events), (*path, key))
                continue
            kpath = (*path, key)
            if key in out:
                self.fail(key_line, kpath, f"duplicate key '{key}': each key may appear once")
                self.value(next(self.events), (*path, "?"))
                continue
            out[key], n = self.value(next(self.events), kpath)
            size += n
            # a key's own line is more useful than the line its value starts on
            self.lines[kpath] = key_line
        return out, size

    def scalar(self, ev: yaml.ScalarEvent, path: PathKey) -> Any:
        value: str = ev.value
        tag = ev.tag
        if tag and tag != "!":
            if tag == _YAML + "str" or not tag.startswith(_YAML):
                return value  # explicitly a string, or refused in check_tag
        elif ev.style:
            return value  # quoted or block: always a string
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


def load_text(text: str, file: str = "<text>") -> Document:
    """Parse YAML text into a :class:`Document`; raise :class:`ContentError` if unusable."""
    doc, problems = load_text_lenient(text, file)
    if problems:
        raise ContentError(problems)
    return doc


def load_text_lenient(text: str, file: str = "<text>") -> tuple[Document, list[Problem]]:
    """Like :func:`load_text`, but mistakes that leave the data usable (a duplicate key,
    a refused tag or merge key) come back beside the document instead of being raised,
    so lint can go on to report the schema and logic problems in the same pass."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise ContentError(
            [Problem(file, 1, "", f"file is larger than {MAX_FILE_BYTES // 1024} KiB; split it")]
        )
    builder = _Builder(file, iter(yaml.parse(text, Loader=_Loader)))
    try:
        with paused_gc():
            data, found = builder.document()
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
    except _OneDocument as exc:
        raise ContentError(
            [Problem(file, exc.line, "", "a file holds one document; remove the second '---'")]
        ) from None
    except _TooDeep as exc:
        raise ContentError(
            [
                Problem(
                    file,
                    exc.line,
                    "",
                    f"values are nested more than {MAX_DEPTH} levels deep; "
                    "a scenario never needs that many",
                )
            ]
        ) from None
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
    if not found or (data is None and not builder.problems):
        raise ContentError([Problem(file, 1, "", "file is empty")])
    return Document(file=file, data=data, lines=builder.lines), builder.problems


def load_file(path: str | Path) -> Document:
    """Read and parse one YAML file, naming the file in every problem."""
    doc, problems = load_file_lenient(path)
    if problems:
        raise ContentError(problems)
    return doc


# ---------------------------------------------------------------- parse cache

CACHE_FORMAT = 1
_cache_dir: Path | None = None


def set_parse_cache(folder: str | Path | None) -> None:
    """Keep parsed files in ``folder`` (None: no cache). The command line and the app set it
    to the user's cache folder; parsing a scenario is most of what ``parolesim list`` does.

    An entry is keyed by the sha256 of the file's text (and this format and Python's
    version), holds only plain data (marshal: strings, numbers, lists, dicts, tuples) and
    is written only for a file that parsed without a problem, so a cached load gives
    exactly the document a fresh parse would.
    """
    global _cache_dir
    _cache_dir = Path(folder) if folder is not None else None


def _cache_path(text: str) -> Path | None:
    if _cache_dir is None:
        return None
    key = hashlib.sha256(
        f"{CACHE_FORMAT}:{sys.version_info[:2]}:".encode() + text.encode("utf-8")
    ).hexdigest()
    return _cache_dir / key[:2] / f"{key}.marshal"


def _cached(text: str, file: str) -> Document | None:
    path = _cache_path(text)
    if path is None:
        return None
    try:
        data, lines = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None  # absent, unreadable or damaged: parse again
    return Document(file, data, lines)


def _store(text: str, doc: Document) -> None:
    path = _cache_path(text)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        blob = marshal.dumps((doc.data, doc.lines))
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
        os.replace(tmp, path)  # readers see a whole entry or none
    except (OSError, ValueError):
        pass  # a cache that cannot be written only costs the next start its speed


def load_file_lenient(path: str | Path) -> tuple[Document, list[Problem]]:
    """Read one YAML file; usable-data mistakes are returned (see :func:`load_text_lenient`)."""
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
    hit = _cached(text, name)
    if hit is not None:
        return hit, []
    doc, problems = load_text_lenient(text, name)
    if not problems:
        _store(text, doc)
    return doc, problems


def as_mapping(doc: Document) -> Mapping[str, Any]:
    if not isinstance(doc.data, dict):
        raise ContentError([Problem(doc.file, 1, "", "the top level must be a mapping of keys")])
    return doc.data
