"""xAPI 1.0.3 statements for a Learning Record Store.

Per attempt: one ``answered`` statement per decision (chosen or timed out), and for a
completed attempt a ``completed`` statement plus ``passed`` or ``failed`` when it was scored.
Statement ids are UUIDs derived from the attempt's registration and the statement's content,
so exporting twice sends the same statements (an LRS keeps one copy), and a statement whose
content changed (a re-score) gets a new id. Actors are Agents identified by an account on
``home_page``; activity and extension IRIs live under ``iri_base``, which an academy sets to
an address it controls.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from engine.loader import ScenarioFile
from engine.model import Decision
from engine.problems import ContentError
from engine.session import ReplayError
from simulator.attempt_link import locate_scenario
from simulator.exports.csv_json import policy_of
from simulator.store.attempts import ScenarioRef
from simulator.store.errors import InvalidRecord
from simulator.store.recording import AttemptRecord

VERSION = "1.0.3"
DEFAULT_BASE = "https://parolesim.example"
ADL = "http://adlnet.gov/expapi"
SIMULATION = f"{ADL}/activities/simulation"
INTERACTION = f"{ADL}/activities/cmi.interaction"
SUCCESSFUL = {"exemplary", "acceptable"}
LANG = "en-US"
NAMESPACE = uuid.UUID("6f1b1c2e-61c4-4e5b-9d55-93a7c8b0e2f1")


def verb(name: str) -> dict[str, Any]:
    return {"id": f"{ADL}/verbs/{name}", "display": {LANG: name}}


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration to 0.01 s, as xAPI asks: ``PT1H2M3.5S``."""
    hundredths = max(0, round(seconds * 100))
    hours, rest = divmod(hundredths, 360_000)
    minutes, rest = divmod(rest, 6_000)
    secs = f"{rest / 100:.2f}".rstrip("0").rstrip(".")
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if secs != "0" or out == "PT":
        out += f"{secs}S"
    return out


def absolute_iri(text: str, option: str) -> str:
    """``text`` if it is an absolute http(s) IRI with a host, no spaces and no fragment
    (xAPI needs activity ids and homePages to be IRLs); InvalidRecord says what is expected."""
    parsed = urlsplit(text)
    if (
        parsed.scheme not in ("http", "https")
        or not parsed.netloc
        or parsed.fragment
        or any(c.isspace() or c in '<>"{}|\\^`' for c in text)
    ):
        raise InvalidRecord(
            f"{option} {text!r} is not an absolute http:// or https:// address without spaces "
            "or '#'; give one your academy controls, such as https://academy.example/parolesim"
        )
    return text


def iso_timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class StatementBuilder:
    def __init__(self, iri_base: str = DEFAULT_BASE, home_page: str | None = None) -> None:
        self.base = absolute_iri(iri_base, "--iri-base").rstrip("/")
        self.home_page = absolute_iri(home_page, "--home-page") if home_page else self.base
        self._scenarios: dict[str, ScenarioFile | None] = {}

    def ext(self, name: str) -> str:
        return f"{self.base}/xapi/extensions/{name}"

    def scenario_activity(self, record: AttemptRecord) -> dict[str, Any]:
        s = record.attempt.scenario
        return {
            "objectType": "Activity",
            "id": f"{self.base}/scenarios/{s.id}",
            "definition": {
                "name": {LANG: s.title or s.id},
                "description": {LANG: f"parolesim scenario {s.id}, version {s.version}"},
                "type": SIMULATION,
            },
        }

    def scenario_file(self, ref: ScenarioRef, workstation: str) -> ScenarioFile | None:
        """The scenario the attempt was played with, if this machine has that version (a
        path recorded by another workstation is never opened)."""
        if ref.hash not in self._scenarios:
            try:
                self._scenarios[ref.hash] = locate_scenario(ref, workstation)
            except (ReplayError, ContentError):
                self._scenarios[ref.hash] = None
        return self._scenarios[ref.hash]

    def decision_activity(
        self, record: AttemptRecord, node: str, judged: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        s = record.attempt.scenario
        sf = self.scenario_file(s, record.attempt.workstation)
        decision = sf.scenario.nodes.get(node) if sf else None
        prompt = getattr(decision, "prompt", None) or (judged or {}).get("prompt")
        definition: dict[str, Any] = {
            "name": {LANG: str(prompt or f"Decision '{node}'")},
            "description": {LANG: f"Decision '{node}' in {s.title or s.id}"},
            "type": INTERACTION,
            "interactionType": "choice",
        }
        if isinstance(decision, Decision):
            definition["choices"] = [
                {"id": c.id, "description": {LANG: c.text}} for c in decision.choices
            ]
        return {
            "objectType": "Activity",
            "id": f"{self.base}/scenarios/{s.id}/decisions/{node}",
            "definition": definition,
        }

    def statement(
        self,
        record: AttemptRecord,
        key: str,
        verb_name: str,
        obj: dict[str, Any],
        result: dict[str, Any],
        at: datetime,
        parent: bool,
    ) -> dict[str, Any]:
        a = record.attempt
        extensions: dict[str, Any] = {
            self.ext("scenario-hash"): a.scenario.hash,
            self.ext("scenario-version"): a.scenario.version,
            self.ext("seed"): a.seed,
            self.ext("mode"): a.mode,
        }
        policy = policy_of(record)
        if policy is not None:
            extensions[self.ext("policy-id")] = policy.get("id")
            extensions[self.ext("policy-hash")] = policy.get("hash")
        context: dict[str, Any] = {
            "registration": a.uuid,
            "platform": "parolesim",
            "language": LANG,
            "extensions": extensions,
        }
        if parent:
            context["contextActivities"] = {"parent": [self.scenario_activity(record)]}
        statement = {
            "version": VERSION,
            "timestamp": iso_timestamp(at),
            "actor": {
                "objectType": "Agent",
                "name": record.trainee.display_name,
                "account": {"homePage": self.home_page, "name": record.trainee.username},
            },
            "verb": verb(verb_name),
            "object": obj,
            "result": result,
            "context": context,
        }
        # The same content keeps its id (an LRS keeps one copy of a re-export); changed
        # content (say, a re-score) is a new statement, as xAPI forbids reusing an id.
        content = json.dumps(statement, sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        return {"id": str(uuid.uuid5(NAMESPACE, f"{a.uuid}/{key}/{digest}")), **statement}

    def for_attempt(self, record: AttemptRecord) -> list[dict[str, Any]]:
        a, events, report = record.attempt, record.log["events"], record.report
        judged = list((report or {}).get("decisions") or [])
        out: list[dict[str, Any]] = []
        shown_at: dict[str, float] = {}
        k = 0
        for event in events:
            if event["type"] == "presented":
                shown_at[str(event["node"])] = float(event["t"])
            if event["type"] not in ("chose", "timed_out"):
                continue
            node, choice = str(event["node"]), str(event.get("choice"))
            match = judged[k] if k < len(judged) else None
            if match is not None and (match.get("node"), match.get("choice")) == (node, choice):
                k += 1
            else:
                match = None
            result: dict[str, Any] = {
                "response": choice,
                "duration": iso_duration(float(event["t"]) - shown_at.get(node, 0.0)),
                "extensions": {self.ext("timed-out"): event["type"] == "timed_out"},
            }
            if match is not None and match.get("verdict") not in (None, "unscored"):
                result["success"] = match["verdict"] in SUCCESSFUL
                result["extensions"][self.ext("verdict")] = match["verdict"]
                if match.get("policy"):
                    result["extensions"][self.ext("policy-clause")] = match["policy"].get("id")
            at = a.started_at + timedelta(seconds=float(event["t"]))
            out.append(
                self.statement(
                    record,
                    f"decision/{event['seq']}",
                    "answered",
                    self.decision_activity(record, node, match),
                    result,
                    at,
                    parent=True,
                )
            )
        if a.status != "completed":
            return out
        total = float(events[-1]["t"]) if events else 0.0
        if a.ended_at is not None:  # a headless run's log has no clock: use the record's
            total = max(total, (a.ended_at - a.started_at).total_seconds())
        at = a.ended_at or a.started_at + timedelta(seconds=total)
        result = {"completion": True, "duration": iso_duration(total)}
        if report is not None and isinstance(report.get("overall"), int | float):
            overall = float(report["overall"])
            result["score"] = {"scaled": overall / 100, "raw": overall, "min": 0, "max": 100}
        activity = self.scenario_activity(record)
        out.append(self.statement(record, "completed", "completed", activity, result, at, False))
        if report is not None and isinstance(report.get("passed"), bool):
            graded = {**result, "success": report["passed"]}
            name = "passed" if report["passed"] else "failed"
            out.append(self.statement(record, name, name, activity, graded, at, False))
        return out


def to_statements(
    records: Iterable[AttemptRecord],
    *,
    iri_base: str = DEFAULT_BASE,
    home_page: str | None = None,
) -> list[dict[str, Any]]:
    builder = StatementBuilder(iri_base, home_page)
    statements: list[dict[str, Any]] = []
    for record in records:
        statements.extend(builder.for_attempt(record))
    return statements
