"""Scores the store works out for itself: replay an attempt's event log with the scenario and
policy pack it recorded, and score it. A score report is never taken from a client.

The scenario is found by the path the attempt recorded only when this machine recorded it
(a path written by another workstation is never opened here), else by its id in the
scenario library; either way its content hash must equal the recorded one. The pack is found
by its id among the installed packs and must have the recorded hash too. When either is not
available the attempt stays unscored (``parolesim db check`` and ``rescore`` can score it
later); when the events do not replay, the log is refused.
"""

from __future__ import annotations

import contextlib
import random
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from engine.problems import ContentError
from simulator.store.attempts import (
    Attempt,
    ScenarioRef,
    ending_from_events,
    event_dicts,
    get_attempt,
    session_log,
)
from simulator.store.audit import WORKSTATION
from simulator.store.errors import InvalidRecord, NotFound
from simulator.store.schema import score_reports

if TYPE_CHECKING:  # the engine and the scorer load when a report is first derived: opening
    # the store (the app's sign-in screen) does not wait for them
    from engine.loader import ScenarioFile
    from scoring.pack import PolicyPack

_lock = threading.Lock()
_library: dict[str, Path] = {}
_loaded: dict[tuple[str, int], ScenarioFile] = {}
_packs: dict[tuple[str, int], PolicyPack] = {}


class Unavailable(Exception):
    """The scenario or pack an attempt recorded is not on this machine as it was."""


def _load(path: Path) -> ScenarioFile:
    key = (str(path), path.stat().st_mtime_ns)
    with _lock:
        found = _loaded.get(key)
    if found is None:
        from engine.loader import load_scenario

        found = load_scenario(path)
        with _lock:
            _loaded[key] = found
    return found


def _library_paths(refresh: bool) -> dict[str, Path]:
    with _lock:
        if _library and not refresh:
            return dict(_library)
    from engine.library import discover

    found = {sf.scenario.id: sf.path for sf in discover().scenarios}
    with _lock:
        _library.clear()
        _library.update(found)
    return found


def locate_scenario(
    ref: ScenarioRef, workstation: str | None, *, local_paths: bool = True
) -> ScenarioFile:
    """The scenario an attempt was played with, exactly (by hash), or :class:`Unavailable`.

    ``workstation`` is where the attempt was recorded: its recorded path is opened only if
    that is this machine and ``local_paths`` (a records server never opens them).
    """
    if local_paths and ref.path and workstation == WORKSTATION and Path(ref.path).is_file():
        with contextlib.suppress(ContentError, OSError):
            sf = _load(Path(ref.path))
            if sf.hash == ref.hash:
                return sf
    seen: str | None = None
    for refresh in (False, True):
        path = _library_paths(refresh).get(ref.id)
        if path is None or not path.is_file():
            continue
        with contextlib.suppress(ContentError, OSError):
            sf = _load(path)
            if sf.hash == ref.hash:
                return sf
            seen = sf.hash
    if seen is None:
        raise Unavailable(
            f"scenario '{ref.id}' is not in the scenario library on this machine, so the "
            "attempt cannot be replayed here"
        )
    raise Unavailable(
        f"scenario '{ref.id}' changed since this attempt was recorded (hash {ref.hash[:12]}, "
        f"the library now has {seen[:12]}); it cannot be replayed exactly"
    )


def library_scenario(scenario_id: str) -> ScenarioFile:
    """The scenario with id ``scenario_id`` in this machine's scenario library, as it is now
    (what a cohort is assigned, or a class session plays), or :class:`NotFound`."""
    for refresh in (False, True):
        path = _library_paths(refresh).get(scenario_id)
        if path is not None and path.is_file():
            with contextlib.suppress(ContentError, OSError):
                return _load(path)
    raise NotFound(
        f"there is no scenario '{scenario_id}' in the scenario library; `parolesim list` "
        "shows the scenario ids"
    )


def locate_pack(attempt: Attempt) -> PolicyPack:
    """The installed policy pack with the id and hash the attempt recorded."""
    if attempt.pack is None:
        raise Unavailable(f"attempt {attempt.id} recorded no policy pack")
    from scoring.pack import find_pack, load_pack

    try:
        path = find_pack(attempt.pack.id)
        key = (str(path), path.stat().st_mtime_ns)
        with _lock:
            pack = _packs.get(key)
        if pack is None:
            pack = load_pack(path)
            with _lock:
                _packs[key] = pack
    except (ContentError, OSError) as exc:
        raise Unavailable(f"policy pack '{attempt.pack.id}' is not usable here: {exc}") from None
    if pack.hash != attempt.pack.hash:
        raise Unavailable(
            f"policy pack '{attempt.pack.id}' changed since attempt {attempt.id} was recorded"
        )
    return pack


def derive_report(
    attempt: Attempt, events: list[dict[str, Any]], *, local_paths: bool = True
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The ending and score report of an attempt, worked out from its own events.

    The ending is None until an ``ended`` event is recorded; the report is None when the
    scenario or pack is not available here. :class:`InvalidRecord` when the events do not
    replay (they were not produced by the scenario they claim).
    """
    ending = ending_from_events(events)
    if ending is None:
        return None, None
    try:
        sf = locate_scenario(attempt.scenario, attempt.workstation, local_paths=local_paths)
    except Unavailable:
        return ending, None
    node = sf.scenario.nodes.get(str(ending["id"]))
    title = getattr(node, "title", None)
    if isinstance(title, str):
        ending["title"] = title
    try:
        pack = locate_pack(attempt)
    except Unavailable:
        return ending, None
    from engine.session import ReplayError
    from scoring.scorer import score_session

    log = session_log(attempt, events)
    try:
        return ending, score_session(log, sf, pack).to_dict()
    except ReplayError as exc:
        raise InvalidRecord(
            f"attempt {attempt.id}: its recorded events do not replay in scenario "
            f"'{attempt.scenario.id}' ({exc}); it cannot be scored"
        ) from None


def rescore_sample(conn: sa.Connection, size: int | None) -> tuple[int, list[str]]:
    """Work out again the scores of ``size`` completed attempts picked at random (None: all)
    and compare each with the stored report for the same pack; (attempts checked, one line
    per report that differs)."""
    query = sa.select(score_reports.c.attempt_id, score_reports.c.pack_hash, score_reports.c.report)
    stored = {(a, h): r for a, h, r in conn.execute(query)}
    ids = sorted({a for a, _ in stored})
    if size is not None and len(ids) > size:
        ids = sorted(random.sample(ids, size))
    checked, problems = 0, []
    for attempt_id in ids:
        attempt = get_attempt(conn, attempt_id)
        try:
            _ending, derived = derive_report(attempt, event_dicts(conn, attempt_id))
        except InvalidRecord as exc:
            problems.append(str(exc))
            continue
        if derived is None:
            continue
        checked += 1
        key = (attempt_id, str((derived.get("policy") or {}).get("hash")))
        if key in stored and stored[key] != derived:
            problems.append(
                f"attempt {attempt_id}: the stored score ({stored[key].get('overall')}) "
                f"differs from its events ({derived.get('overall')}); `parolesim rescore` "
                "or an administrator should look at it"
            )
    return checked, problems
