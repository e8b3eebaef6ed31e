"""Scoring commands: ``score``, ``rescore``, ``policies`` and ``miti``; plus ``run --score``.

``score`` re-derives a run from its session log and judges it against a pack;
``rescore`` shows what a different pack would change; ``policies`` prints a
pack's manual, competencies and matrix; ``miti`` summarises a session an MI
coach coded by hand.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.errors import CommandError

if TYPE_CHECKING:  # the scorer, the packs and the reports load when a command runs
    from engine.loader import ScenarioFile
    from engine.session import Session
    from scoring.pack import PolicyPack
    from scoring.report import ScoreReport

FORMATS = ("text", "json", "html")


# ---------------------------------------------------------------- shared helpers


def resolve_pack(arg: str | None, sf: ScenarioFile | None = None) -> PolicyPack:
    """A pack from a path or a pack id; else the scenario's own pack; else the default."""
    from scoring.lintcheck import pack_for_scenario
    from scoring.pack import default_pack_path, find_pack, load_pack

    if arg:
        p = Path(arg)
        if p.suffix in (".yaml", ".yml") or p.exists():
            if not p.is_file():
                raise CommandError(f"policy pack file {arg} does not exist")
            return load_pack(p)
        return load_pack(find_pack(arg))
    if sf is not None:
        return pack_for_scenario(sf)
    return load_pack(default_pack_path())


MAX_LOG_BYTES = 64 * 1024 * 1024  # a log of 10,000 decisions is a few MiB


def read_session(path: str) -> dict[str, Any]:
    from engine.session import ReplayError, check_log

    p = Path(path)
    try:
        if p.stat().st_size > MAX_LOG_BYTES:
            raise CommandError(
                f"{path}: the file is larger than {MAX_LOG_BYTES // (1024 * 1024)} MiB; "
                "not a session log as printed by `parolesim run --json`"
            )
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot read session file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CommandError(f"session file {path} is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"{path}:{exc.lineno}: not valid JSON ({exc.msg}); expected a session log "
            "as printed by `parolesim run --json`"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("scenario"), dict):
        raise CommandError(f"{path}: not a session log (no 'scenario' object)")
    try:
        check_log(data)
    except ReplayError as exc:
        raise CommandError(f"{path}: not a usable session log: {exc}") from None
    return data


def scenario_for_log(log: dict[str, Any]) -> ScenarioFile:
    from engine.library import find
    from engine.loader import load_scenario

    info = log["scenario"]
    stored = info.get("path")
    if isinstance(stored, str) and Path(stored).is_file():
        return load_scenario(stored)
    sid = info.get("id")
    if not isinstance(sid, str):
        raise CommandError("the session log names no scenario id")
    return find(sid)


def score_log(log: dict[str, Any], policy: str | None) -> tuple[ScoreReport, ScenarioFile]:
    from engine.session import ReplayError
    from scoring.scorer import score_session

    sf = scenario_for_log(log)
    pack = resolve_pack(policy, sf)
    try:
        return score_session(log, sf, pack), sf
    except ReplayError as exc:
        raise CommandError(f"cannot score this session: {exc}") from None


def attach_score(log: dict[str, Any], session: Session, policy: str | None) -> ScoreReport:
    """Add ``score`` and ``policy`` to a session log (what ``run --score`` prints)."""
    from scoring.scorer import score_trace, trace_of

    sf = session.compiled.file
    pack = resolve_pack(policy, sf)
    report = score_trace(trace_of(session), sf.scenario, pack)
    log["policy"] = pack.identity()
    log["score"] = report.to_dict()
    return report


def _write(text: str, output: str | None) -> None:
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from None
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- commands


def cmd_score(args: argparse.Namespace) -> int:
    from simulator.reports.html import render_html
    from simulator.reports.text import render_text

    log = read_session(args.session)
    report, _ = score_log(log, args.policy)
    if args.format == "json":
        _write(_dump(report.to_dict()), args.output)
    elif args.format == "html":
        _write(render_html(report), args.output)
    else:
        _write(render_text(report), args.output)
    return 0


def cmd_rescore(args: argparse.Namespace) -> int:
    from scoring.diff import diff_reports, format_diff

    log = read_session(args.session)
    new, sf = score_log(log, args.policy)
    stored = log.get("score")
    if isinstance(stored, dict) and isinstance(stored.get("decisions"), list):
        old = stored
        source = "the score stored in the session file"
    else:
        old_report, _ = score_log(log, None)
        old = old_report.to_dict()
        source = f"pack '{sf.scenario.policy_pack}' as it is now (the file has no stored score)"
    diff = diff_reports(old, new.to_dict())
    diff["old"]["source"] = source
    if args.json:
        _write(_dump(diff), None)
    else:
        _write(format_diff(diff) + f"\n\n(before = {source})", None)
    return 0


def cmd_policies(args: argparse.Namespace) -> int:
    from scoring.factsdoc import facts_markdown
    from simulator.reports.text import render_policies_text

    pack = resolve_pack(args.pack)
    if args.facts:
        _write(facts_markdown(pack), args.output)
    elif args.by_family:
        from engine.library import discover
        from scoring.familydoc import policies_by_family, replace_section

        section = policies_by_family(pack, discover().scenarios)
        if args.output and Path(args.output).suffix == ".md" and Path(args.output).exists():
            target = Path(args.output)
            target.write_text(replace_section(target.read_text(encoding="utf-8"), section))
        else:
            _write(section, args.output)
    elif args.json:
        _write(_dump(policies_dict(pack)), args.output)
    else:
        _write(render_policies_text(pack), args.output)
    return 0


def policies_dict(pack: PolicyPack) -> dict[str, Any]:
    main = pack.main
    vr = main.violation_response
    return {
        "id": pack.id,
        "agency": pack.agency,
        "title": main.title,
        "version": pack.version,
        "hash": pack.hash,
        "disclaimer": " ".join(main.disclaimer.split()),
        "policies": [
            {
                "id": p.id,
                "title": p.title,
                "summary": " ".join(p.summary.split()),
                "source": p.source,
            }
            for p in pack.policies.values()
        ],
        "competencies": [c.model_dump() for c in pack.competencies.values()],
        "pass_criteria": main.pass_criteria.model_dump(),
        "matrix": {
            "severity_variable": vr.severity_variable,
            "levels": [lvl.model_dump() for lvl in vr.levels],
            "cells": {
                sev: {risk: list(band) for risk, band in row.items()}
                for sev, row in vr.matrix.items()
            },
            "incentives": vr.incentives.model_dump(),
        },
        "facts": len(pack.facts),
        "rules": len(pack.rules),
    }


def cmd_miti(args: argparse.Namespace) -> int:
    from scoring.miti import MitiCsvError, read_coded_csv, summarise
    from simulator.reports.text import render_miti_text

    pack = resolve_pack(args.policy)
    try:
        coded = read_coded_csv(args.file)
    except MitiCsvError as exc:
        raise CommandError(str(exc)) from None
    summary = summarise(coded.counts, pack.main.miti, coded.globals, utterances=coded.utterances)
    if args.json:
        data = summary.to_dict()
        data["uncoded_rows"] = coded.uncoded
        data["thresholds"] = pack.main.miti.thresholds.model_dump()
        data["policy"] = pack.identity()
        _write(_dump(data), None)
    else:
        _write(render_miti_text(summary, pack, coded.uncoded), None)
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("score", help="score a session log against a policy pack")
    p.add_argument("session", help="session JSON (from `parolesim run --json`)")
    p.add_argument("--policy", help="pack file or id (default: the scenario's pack)")
    p.add_argument("--format", choices=FORMATS, default="text", help="text (default), json or html")
    p.add_argument("-o", "--output", help="write to this file instead of the terminal")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("rescore", help="what a different policy pack changes in a scored session")
    p.add_argument("session", help="session JSON, ideally from `parolesim run --json --score`")
    p.add_argument("--policy", required=True, help="the new pack file or id")
    p.add_argument("--json", action="store_true", help="print the changes as JSON")
    p.set_defaults(func=cmd_rescore)

    p = sub.add_parser("policies", help="a policy pack's policies, competencies and matrix")
    p.add_argument("pack", nargs="?", help="pack file or id (default: model-state-parole)")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.add_argument("--facts", action="store_true", help="print the fact vocabulary as Markdown")
    p.add_argument(
        "--by-family",
        action="store_true",
        help="which policies each scenario family cites (Markdown; with -o FILE.md, "
        "replaces that section of an existing guide)",
    )
    p.add_argument("-o", "--output", help="write to this file instead of the terminal")
    p.set_defaults(func=cmd_policies)

    p = sub.add_parser("miti", help="MITI 4.2.1 summary of a hand-coded session (CSV)")
    p.add_argument("file", help="CSV with a 'code' column, one row per officer utterance")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.add_argument(
        "--policy", help="pack whose MITI thresholds to use (default: model-state-parole)"
    )
    p.set_defaults(func=cmd_miti)
