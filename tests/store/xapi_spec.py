"""The xAPI 1.0.3 rules a statement must follow (Data part, section 2.4), written from the
specification independently of the exporter, so that the tests check one against the other."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

STATEMENT_KEYS = {
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
INTERACTION_TYPES = {
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
}
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
DURATION = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
)


def is_iri(value: Any) -> bool:
    if not isinstance(value, str) or " " in value:
        return False
    parsed = urlparse(value)
    return bool(parsed.scheme) and bool(parsed.netloc or parsed.path)


def is_irl(value: Any) -> bool:
    return is_iri(value) and urlparse(value).scheme in ("http", "https")


def language_map(value: Any) -> list[str]:
    if not isinstance(value, dict) or not value:
        return ["is not a non-empty language map"]
    return [f"bad language tag {k!r}" for k in value if not LANGUAGE_TAG.match(k)] + [
        f"value for {k} is not a string" for k, v in value.items() if not isinstance(v, str)
    ]


def _uuid(value: Any) -> bool:
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def _extensions(value: Any, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}.extensions is not an object"]
    return [f"{where}.extensions key {k!r} is not an IRI" for k in value if not is_iri(k)]


def _activity(value: Any, where: str) -> list[str]:
    problems = []
    if value.get("objectType", "Activity") != "Activity":
        problems.append(f"{where}.objectType is not Activity")
    if not is_iri(value.get("id")):
        problems.append(f"{where}.id is not an IRI")
    definition = value.get("definition")
    if definition is not None:
        for key in ("name", "description"):
            if key in definition:
                problems += [f"{where}.definition.{key} {p}" for p in language_map(definition[key])]
        if "type" in definition and not is_iri(definition["type"]):
            problems.append(f"{where}.definition.type is not an IRI")
        if "interactionType" in definition:
            if definition["interactionType"] not in INTERACTION_TYPES:
                problems.append(f"{where}.definition.interactionType is unknown")
            for c in definition.get("choices", []):
                if not isinstance(c.get("id"), str):
                    problems.append(f"{where} choice without id")
                problems += [f"{where} choice {p}" for p in language_map(c.get("description"))]
        elif "choices" in definition:
            problems.append(f"{where}.definition.choices without interactionType")
    return problems


def problems_of(st: dict[str, Any]) -> list[str]:
    """Every way ``st`` breaks the xAPI 1.0.3 statement rules (empty when it is valid)."""
    out = [f"unknown property {k!r}" for k in st if k not in STATEMENT_KEYS]
    if not _uuid(st.get("id")):
        out.append("id is not a UUID")
    if st.get("version") != "1.0.3":
        out.append("version is not 1.0.3")
    actor = st.get("actor") or {}
    if actor.get("objectType", "Agent") != "Agent":
        out.append("actor is not an Agent")
    ifis = [k for k in IFIS if k in actor]
    if len(ifis) != 1:
        out.append(f"actor has {len(ifis)} inverse functional identifiers, not exactly one")
    elif ifis == ["account"]:
        account = actor["account"]
        if not is_irl(account.get("homePage")) or not isinstance(account.get("name"), str):
            out.append("actor.account needs an IRL homePage and a name")
    elif ifis == ["mbox"] and not str(actor["mbox"]).startswith("mailto:"):
        out.append("actor.mbox is not a mailto IRI")
    verb = st.get("verb") or {}
    if not is_iri(verb.get("id")):
        out.append("verb.id is not an IRI")
    out += [f"verb.display {p}" for p in language_map(verb.get("display"))]
    obj = st.get("object")
    if not isinstance(obj, dict):
        out.append("object is missing")
    else:
        out += _activity(obj, "object")
    result = st.get("result")
    if result is not None:
        score = result.get("score")
        if score is not None:
            if not -1 <= score.get("scaled", 0) <= 1:
                out.append("result.score.scaled is outside -1..1")
            lo, hi = score.get("min"), score.get("max")
            if lo is not None and hi is not None and not lo < hi:
                out.append("result.score.min is not below max")
            raw = score.get("raw")
            if raw is not None and ((lo is not None and raw < lo) or (hi is not None and raw > hi)):
                out.append("result.score.raw is outside min..max")
        for key in ("success", "completion"):
            if key in result and not isinstance(result[key], bool):
                out.append(f"result.{key} is not a boolean")
        if "response" in result and not isinstance(result["response"], str):
            out.append("result.response is not a string")
        if "duration" in result and not DURATION.match(str(result["duration"])):
            out.append(f"result.duration {result['duration']!r} is not an ISO 8601 duration")
        if "extensions" in result:
            out += _extensions(result["extensions"], "result")
    context = st.get("context")
    if context is not None:
        if "registration" in context and not _uuid(context["registration"]):
            out.append("context.registration is not a UUID")
        if "language" in context and not LANGUAGE_TAG.match(context["language"]):
            out.append("context.language is not an RFC 5646 tag")
        if "extensions" in context:
            out += _extensions(context["extensions"], "context")
        for kind, activities in (context.get("contextActivities") or {}).items():
            if kind not in ("parent", "grouping", "category", "other"):
                out.append(f"context.contextActivities has unknown key {kind!r}")
            for a in activities if isinstance(activities, list) else [activities]:
                out += _activity(a, f"context.contextActivities.{kind}")
    stamp = st.get("timestamp")
    try:
        parsed = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            out.append("timestamp has no timezone")
    except ValueError:
        out.append(f"timestamp {stamp!r} is not ISO 8601")
    return out
