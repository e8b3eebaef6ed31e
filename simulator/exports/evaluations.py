"""FTO evaluations in exports: every evaluation with its ratings, signatures (who, when,
comment) and amendment links, as JSON objects or as CSV rows (one row per rating)."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from simulator.store.evaluations import Evaluation
from simulator.store.schema import SIGNATURE_STEPS

CSV_COLUMNS = [
    "evaluation_id",
    "trainee",
    "fto",
    "kind",
    "observed_on",
    "attempt_id",
    "status",
    "category",
    "value",
    "narrative",
    "remedial_minutes",
    "amends_id",
    "amend_reason",
    "amended_by_id",
    *(f"{step}_{part}" for step in SIGNATURE_STEPS for part in ("signed_by", "signed_at")),
    "trainee_comment",
]


def evaluation_dicts(
    evaluations: Sequence[Evaluation], names: Mapping[int, str]
) -> list[dict[str, Any]]:
    return [
        {**e.to_dict(), "trainee": names.get(e.trainee_id), "fto": names.get(e.fto_id)}
        for e in evaluations
    ]


def evaluations_csv(evaluations: Sequence[Evaluation], names: Mapping[int, str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for e in evaluations:
        signed = {s.step: s for s in e.signatures}
        common: dict[str, Any] = {
            "evaluation_id": e.id,
            "trainee": names.get(e.trainee_id, ""),
            "fto": names.get(e.fto_id, ""),
            "kind": e.kind,
            "observed_on": e.observed_on.isoformat(),
            "attempt_id": e.attempt_id or "",
            "status": e.status,
            "amends_id": e.amends_id or "",
            "amend_reason": e.amend_reason or "",
            "amended_by_id": e.amended_by_id or "",
            "trainee_comment": signed["trainee"].comment if "trainee" in signed else "",
        }
        for step in SIGNATURE_STEPS:
            s = signed.get(step)
            common[f"{step}_signed_by"] = s.person if s else ""
            common[f"{step}_signed_at"] = s.signed_at.isoformat() if s else ""
        for r in e.ratings:
            writer.writerow(
                {
                    **common,
                    "category": r.category,
                    "value": r.value,
                    "narrative": r.narrative,
                    "remedial_minutes": r.remedial_minutes,
                }
            )
    return buffer.getvalue()


def evaluation_statements(
    evaluations: Sequence[Evaluation],
    names: Mapping[int, str],
    *,
    iri_base: str,
    home_page: str | None = None,
) -> list[dict[str, Any]]:
    """xAPI 1.0.3: one ``signed`` statement per signature (FTO, trainee, supervisor), by the
    person who signed, about the evaluation, with its ratings as a result extension. Ids
    derive from the evaluation and step, so exporting twice sends the same statements."""
    from simulator.exports.xapi import LANG, NAMESPACE, VERSION, iso_timestamp

    base = iri_base.rstrip("/")
    page = home_page or base

    def ext(name: str) -> str:
        return f"{base}/xapi/extensions/{name}"

    out: list[dict[str, Any]] = []
    for e in evaluations:
        trainee = names.get(e.trainee_id, str(e.trainee_id))
        activity = {
            "objectType": "Activity",
            "id": f"{base}/evaluations/{e.id}",
            "definition": {
                "name": {LANG: f"{e.kind.capitalize()} Observation Report no. {e.id}: {trainee}"},
                "type": f"{base}/xapi/activity-types/observation-report",
            },
        }
        ratings = {r.category: r.value for r in e.ratings}
        context_ext: dict[str, Any] = {
            ext("trainee"): trainee,
            ext("observed-on"): e.observed_on.isoformat(),
        }
        if e.attempt_id is not None:
            context_ext[ext("attempt")] = e.attempt_id
        if e.amends_id is not None:
            context_ext[ext("amends")] = e.amends_id
            context_ext[ext("amend-reason")] = e.amend_reason
        for s in e.signatures:
            result: dict[str, Any] = {"extensions": {ext("ratings"): ratings}}
            if s.comment:
                result["response"] = s.comment
            out.append(
                {
                    "id": str(uuid.uuid5(NAMESPACE, f"evaluation/{e.id}/{s.step}")),
                    "version": VERSION,
                    "timestamp": iso_timestamp(s.signed_at),
                    "actor": {
                        "objectType": "Agent",
                        "account": {"homePage": page, "name": s.person},
                    },
                    "verb": {"id": f"{base}/xapi/verbs/signed", "display": {LANG: "signed"}},
                    "object": activity,
                    "result": result,
                    "context": {
                        "platform": "parolesim",
                        "language": LANG,
                        "extensions": {**context_ext, ext("signature-step"): s.step},
                    },
                }
            )
    return out
