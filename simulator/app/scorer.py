"""Scoring for the app: the policy pack of a scenario, the score of a finished run, and
the HTML report export. The scorer decides every verdict; the app only shows them.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from engine.loader import ScenarioFile
from engine.problems import ContentError
from engine.session import Session
from scoring.pack import PolicyPack, find_pack, load_pack
from scoring.report import ScoreReport
from scoring.scorer import score_session
from simulator.app.services import AttemptInfo, Profile, Records, ServiceError

if TYPE_CHECKING:
    from simulator.app.services import Run

REPORTS_ENV = "PAROLESIM_REPORTS_DIR"


@lru_cache(maxsize=8)
def _pack(pack_id: str) -> PolicyPack:
    return load_pack(find_pack(pack_id))


def pack_for(sf: ScenarioFile) -> PolicyPack:
    """The policy pack the scenario is written for (loaded once per app run)."""
    pack_id = sf.scenario.policy_pack
    try:
        return _pack(pack_id)
    except ContentError as exc:
        first = exc.problems[0].message if exc.problems else "it could not be loaded"
        raise ServiceError(
            f"the policy pack '{pack_id}' that scores this scenario is not usable ({first}); "
            "your run is saved and can be scored once the pack is fixed"
        ) from None


def pack_identity(sf: ScenarioFile) -> dict[str, str] | None:
    try:
        return pack_for(sf).identity()
    except ServiceError:
        return None


def score(session_or_log: Session | dict[str, Any], sf: ScenarioFile) -> ScoreReport:
    return score_session(session_or_log, sf, pack_for(sf))


def finish_run(records: Records, run: Run) -> dict[str, Any]:
    """Score the ended run and close its attempt with the report; returns the report dict.

    When the run cannot be scored the attempt is still closed with its ending, then the
    scoring problem is raised for the screen to show.
    """
    log = run.session.to_log()
    try:
        report = score(run.session, run.sf).to_dict()
    except ServiceError:
        records.finish(run.profile, run.attempt.id, None, log["ending"])
        raise
    records.finish(run.profile, run.attempt.id, report, log["ending"])
    return report


def reports_dir() -> Path:
    """``$PAROLESIM_REPORTS_DIR``, else ``parolesim reports`` in Documents (or the data folder)."""
    override = os.environ.get(REPORTS_ENV)
    if override:
        return Path(override).expanduser()
    docs = Path(platformdirs.user_documents_dir())
    if docs.is_dir():
        return docs / "parolesim reports"
    return Path(platformdirs.user_data_dir("parolesim", appauthor=False)) / "reports"


def export_html(
    records: Records,
    profile: Profile,
    attempt: AttemptInfo,
    report: dict[str, Any],
    sf: ScenarioFile,
) -> Path:
    """Write the debrief as a self-contained HTML file; returns where it went.

    The report is recomputed from the recorded log (replay is exact, so it is the same
    report the debrief shows) because the HTML renderer reads the scorer's objects.
    """
    from simulator.reports.html import render_html

    log = records.log(profile, attempt.id)
    full = score(log, sf)
    if full.overall != report.get("overall"):
        raise ServiceError(
            "the recorded run now scores differently (the policy pack changed); "
            "the export would not match this debrief"
        )
    folder = reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = attempt.started_at.astimezone().strftime("%Y-%m-%d %H%M")
    path = folder / f"{sf.scenario.id} {stamp} attempt {attempt.id}.html"
    path.write_text(render_html(full), encoding="utf-8")
    return path
