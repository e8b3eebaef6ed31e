"""What changes, decision by decision, when a run is scored with a different pack.

Works on ``ScoreReport.to_dict()`` forms, so the "before" side can be the score
stored in a session file when it was first run, even if that pack has since
changed on disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _side(decision: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    policy = decision.get("policy") or {}
    return {
        "verdict": decision.get("verdict"),
        "policy": policy.get("id"),
        "points": decision.get("points"),
        "feedback": decision.get("feedback", ""),
    }


def diff_reports(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Decision-by-decision and competency-by-competency changes between two score dicts."""
    old_dec = list(old.get("decisions") or [])
    new_dec = list(new.get("decisions") or [])
    decisions = []
    for i in range(max(len(old_dec), len(new_dec))):
        a = old_dec[i] if i < len(old_dec) else None
        b = new_dec[i] if i < len(new_dec) else None
        ref = b or a or {}
        sa, sb = _side(a), _side(b)
        changed = sa != sb
        decisions.append(
            {
                "index": i,
                "node": ref.get("node"),
                "choice": ref.get("choice"),
                "old": sa,
                "new": sb,
                "changed": changed,
            }
        )
    old_comp = {c["id"]: c for c in old.get("competencies") or []}
    new_comp = {c["id"]: c for c in new.get("competencies") or []}
    competencies = []
    for cid in list(old_comp) + [c for c in new_comp if c not in old_comp]:
        a, b = old_comp.get(cid), new_comp.get(cid)
        pa = {"score": a.get("score"), "rating": a.get("rating")} if a else None
        pb = {"score": b.get("score"), "rating": b.get("rating")} if b else None
        if pa != pb:
            competencies.append({"id": cid, "old": pa, "new": pb})
    summary_keys = ("overall", "passed")
    changed = (
        any(d["changed"] for d in decisions)
        or bool(competencies)
        or any(old.get(k) != new.get(k) for k in summary_keys)
    )
    return {
        "format": "parolesim-rescore/1",
        "scenario": dict(new.get("scenario") or {}),
        "old": {
            "policy": dict(old.get("policy") or {}),
            "overall": old.get("overall"),
            "passed": old.get("passed"),
        },
        "new": {
            "policy": dict(new.get("policy") or {}),
            "overall": new.get("overall"),
            "passed": new.get("passed"),
        },
        "changed": changed,
        "decisions": decisions,
        "competencies": competencies,
    }


def format_diff(d: Mapping[str, Any]) -> str:
    """The diff as plain text, one line per decision."""

    def pack(p: Mapping[str, Any]) -> str:
        return f"{p.get('id')} {p.get('version')} (hash {str(p.get('hash', ''))[:12]})"

    def passed(v: Any) -> str:
        return "passed" if v else "not passed"

    old, new = d["old"], d["new"]
    lines = [
        f"Rescore of {d['scenario'].get('title', '')} ({d['scenario'].get('id', '')})",
        f"  was scored with: {pack(old['policy'])}",
        f"  now scored with: {pack(new['policy'])}",
        f"Overall: {old['overall']} ({passed(old['passed'])}) -> "
        f"{new['overall']} ({passed(new['passed'])})",
        "",
        "Decisions:",
    ]
    for dec in d["decisions"]:
        head = f"  {dec['index'] + 1:>2}. {dec['node']} / {dec['choice']}: "
        a, b = dec["old"], dec["new"]
        if not dec["changed"]:
            lines.append(head + f"unchanged ({b['verdict']}, {b['policy']})")
            continue

        def side(s: Mapping[str, Any] | None) -> str:
            if s is None:
                return "absent"
            return f"{s['verdict']} {s['policy'] or '-'} ({s['points']} points)"

        lines.append(head + f"{side(a)} -> {side(b)}")
        if b and b.get("feedback"):
            lines.append(f"      now: {b['feedback']}")
    if d["competencies"]:
        lines += ["", "Competencies that changed:"]
        for c in d["competencies"]:

            def comp(s: Mapping[str, Any] | None) -> str:
                if s is None or s.get("score") is None:
                    return "not observed"
                return f"{s['score']} (rating {s['rating']})"

            lines.append(f"  {c['id']}: {comp(c['old'])} -> {comp(c['new'])}")
    if not d["changed"]:
        lines += ["", "No change: the new pack judges this run exactly as before."]
    return "\n".join(lines)
