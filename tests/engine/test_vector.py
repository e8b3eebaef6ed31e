"""The vectorised simulator plays every library scenario exactly as the Session does.

``simulate_seeded`` makes the Session's own draws, so for deterministic strategies and
for any forced choice sequence each run must equal the Session's record, variables,
ending and client talk. ``simulate`` draws from one generator per batch; its outcome
distribution must match the Session's within sampling error.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from engine import montecarlo
from engine.compile import CompiledScenario, compile_scenario
from engine.library import discover
from engine.loader import load_scenario
from engine.model import Choice, Decision
from engine.montecarlo import simulate_loop
from engine.session import Session
from engine.vector import (
    STRATEGIES,
    SimRun,
    VectorScenario,
    VectorUnsupported,
    round4,
    unsupported,
)
from scoring.scorer import trace_of
from tests.engine.helpers import FIXTURES

SEEDS = (0, 1, 7, 2024)


@functools.cache
def library() -> dict[str, CompiledScenario]:
    """Every library scenario the vectorised simulator can model (the others fall back to the
    session loop; see the test of that below)."""
    lib = discover()
    return {
        sf.scenario.id: compile_scenario(sf)
        for sf in lib.scenarios
        if unsupported(sf.scenario) is None
    }


@functools.cache
def vector(scenario_id: str) -> VectorScenario:
    return VectorScenario(library()[scenario_id])


Picker = Callable[[Session, list[Choice]], str | None]  # None: let the timer run out


def _first(session: Session, available: list[Choice]) -> str:
    return available[0].id


def _by_length(pick_max: bool) -> Picker:
    def pick(session: Session, available: list[Choice]) -> str:
        lengths = [len(c.text) for c in available]
        best = max(lengths) if pick_max else min(lengths)
        return available[lengths.index(best)].id

    return pick


def _timeout(session: Session, available: list[Choice]) -> str | None:
    timeout = session.compiled.scenario.nodes[session.node_id]
    if session.timeout_seconds is not None:
        default = timeout.timeout.default  # type: ignore[union-attr]
        if default in [c.id for c in available]:
            return None
    return available[0].id


def _last(session: Session, available: list[Choice]) -> str:
    return available[-1].id


# the Session lists the open choices in the order the trainee is shown them
SESSION_PICKERS: dict[str, Picker] = {
    "first": _first,
    "last": _last,
    "longest": _by_length(True),
    "shortest": _by_length(False),
    "timeout": _timeout,
}


def play(compiled: CompiledScenario, seed: int, pick: Picker) -> Session:
    s = Session.start(compiled, seed, clock=lambda: 0.0, wall_clock=False)
    for _ in range(400):
        if s.ended:
            break
        choice = pick(s, s.available_choices())
        if choice is None:
            s.time_out()
        else:
            s.choose(choice)
    return s


def assert_same(run: SimRun, session: Session, *, talk: bool = False) -> None:
    want = [d._replace(t=0.0, seq=i) for i, d in enumerate(session.decisions)]
    assert list(run.decisions) == want
    assert run.final_vars == session.vars
    assert {k: type(v) for k, v in run.final_vars.items()} == {
        k: type(v) for k, v in session.vars.items()
    }
    ending = session.ending
    assert run.ending == (
        {"id": session.node_id, "outcome": ending.outcome.value, "title": ending.title}
        if ending is not None
        else None
    )
    if talk:
        assert run.talk == trace_of(session).talk


@pytest.mark.parametrize("strategy", sorted(SESSION_PICKERS))
def test_deterministic_strategies_equal_the_session_in_every_library_scenario(
    strategy: str,
) -> None:
    assert len(library()) >= 23
    for sid, compiled in library().items():
        runs = vector(sid).simulate_seeded(strategy, SEEDS)
        for seed, run in zip(SEEDS, runs, strict=True):
            session = play(compiled, seed, SESSION_PICKERS[strategy])
            assert_same(run, session, talk=compiled.scenario.client is not None and seed == 0)


def test_any_choice_sequence_equals_the_session_in_every_library_scenario() -> None:
    """Random paths played in the Session, then forced on the vector simulator."""
    rng = np.random.default_rng(99)

    def random_pick(session: Session, available: list[Choice]) -> str:
        return available[int(rng.integers(len(available)))].id

    for sid, compiled in library().items():
        seeds = [int(x) for x in rng.integers(0, 2**31, size=5)]
        sessions = [play(compiled, seed, random_pick) for seed in seeds]
        scripts = [[d.choice for d in s.decisions] for s in sessions]
        runs = vector(sid).simulate_seeded("first", seeds, scripts=scripts)
        for run, session in zip(runs, sessions, strict=True):
            assert_same(run, session, talk=compiled.scenario.client is not None)


@pytest.mark.parametrize(
    ("sid", "mechanic"),
    [("cl-monday-gps-police", "caseload"), ("in-low-risk-young-mother", "intake")],
)
def test_a_mechanic_the_vector_cannot_model_falls_back_to_the_session_loop(
    sid: str, mechanic: str
) -> None:
    """A caseload or intake scenario is refused with the reason, and analysis plays it run
    by run in the Session instead, with each run exactly the session its seed gives."""
    lib = {sf.scenario.id: sf for sf in discover().scenarios}
    compiled = compile_scenario(lib[sid])
    with pytest.raises(VectorUnsupported, match=f"the {mechanic} mechanic has no vectorised"):
        VectorScenario(compiled)
    runs, simulator = montecarlo.simulate(compiled, "first", 3, 5)
    assert simulator == "session loop"
    for i, run in enumerate(runs):
        session = play(compiled, 5 + i, _first)
        assert [d.choice for d in run.decisions] == [d.choice for d in session.decisions]


def test_runs_differ_by_seed_where_the_scenario_draws() -> None:
    """The equality tests above would prove little if every seed played the same run."""
    runs = vector("de-domestic-dispute").simulate_seeded("random", range(40))
    assert len({r.ending["id"] for r in runs if r.ending}) >= 3
    assert len({r.final_vars["agitation"] for r in runs}) >= 10
    assert len({tuple(d.choice for d in r.decisions) for r in runs}) >= 10


def _distance(a: Counter[str | None], b: Counter[str | None]) -> tuple[float, float]:
    """The largest gap between two ending frequencies, and the gap sampling allows there."""
    na, nb = sum(a.values()), sum(b.values())
    worst, allowed = 0.0, 0.0
    for key in set(a) | set(b):
        pa, pb = a[key] / na, b[key] / nb
        p = (a[key] + b[key]) / (na + nb)
        gap = abs(pa - pb)
        if gap > worst:
            worst, allowed = gap, 4.5 * math.sqrt(p * (1 - p) * (1 / na + 1 / nb)) + 0.005
    return worst, allowed


def test_fast_draws_give_the_session_outcome_distribution_under_random_play() -> None:
    """Batch draws (persona, chance, variation, order) against the Session's own streams."""
    for sid in ("de-domestic-dispute", "hv-locked-room-dog"):
        vs = vector(sid)
        for strategy in ("random", "first"):
            fast = Counter(
                r.ending["id"] if r.ending else None for r in vs.simulate(strategy, 2000, 5)
            )
            exact = Counter(
                r.ending["id"] if r.ending else None
                for r in vs.simulate_seeded(strategy, range(600))
            )
            worst, allowed = _distance(fast, exact)
            assert worst <= allowed, (sid, strategy, fast, exact)


def test_random_play_matches_sessions_played_at_random() -> None:
    compiled = library()["vd-curfew-gps"]
    rng = np.random.default_rng(3)

    def random_pick(session: Session, available: list[Choice]) -> str:
        return available[int(rng.integers(len(available)))].id

    sessions = Counter(play(compiled, seed, random_pick).node_id for seed in range(400))
    fast = Counter(
        r.ending["id"] if r.ending else None
        for r in vector("vd-curfew-gps").simulate("random", 4000, 11)
    )
    worst, allowed = _distance(Counter(dict(sessions)), fast)
    assert worst <= allowed, (sessions, fast)


def test_random_safe_never_picks_an_avoided_choice_while_another_is_available() -> None:
    vs = vector("vd-new-arrest")
    plain = vs.simulate("random", 500, 1)
    taken = Counter((d.node, d.choice) for r in plain for d in r.decisions)
    avoid = frozenset(pair for pair, _ in taken.most_common(6))
    for run in vs.simulate("random_safe", 500, 1, avoid=avoid):
        for d in run.decisions:
            if (d.node, d.choice) in avoid:
                assert all((d.node, c) in avoid for c in d.available)


def test_a_run_cut_at_max_decisions_has_no_ending() -> None:
    vs = vector("de-suicide-screen")
    whole = vs.simulate("random", 200, 4)
    cut = vs.simulate("random", 200, 4, max_decisions=3)
    assert any(r.ending is None for r in cut)
    for short, full in zip(cut, whole, strict=True):
        assert short.decisions == full.decisions[:3]
        if len(full.decisions) > 3:
            assert short.ending is None
        else:
            assert short == full


def test_strategies_are_checked_and_the_same_seed_gives_the_same_runs() -> None:
    vs = vector("mi-job-search")
    with pytest.raises(ValueError, match="unknown strategy 'best'"):
        vs.simulate("best", 10, 1)
    for strategy in STRATEGIES:
        assert vs.simulate(strategy, 50, 8) == vs.simulate(strategy, 50, 8)
    a, b = vs.simulate("random", 50, 8), vs.simulate("random", 50, 9)
    assert [r.decisions for r in a] != [r.decisions for r in b]


def test_pinned_options_keep_their_place_for_first_and_last(tmp_path: Path) -> None:
    """Pin, at every decision, the first authored option last and the last one first."""
    sf = library()["hv-routine-visitor"].file
    decisions = [n for n in sf.scenario.nodes.values() if isinstance(n, Decision)]
    # only ids that name nothing but unpinned choices, so the text edit below hits choices
    s = sf.scenario
    others = {i.id for i in s.interrupts} | {
        c.id for c in (*s.case_file.conditions.standard, *s.case_file.conditions.special)
    }
    others |= {c.id for d in decisions for c in d.choices if c.pin is not None}
    to_last = {d.choices[0].id for d in decisions if len(d.choices) > 2} - others
    to_first = {d.choices[-1].id for d in decisions if len(d.choices) > 2} - to_last - others
    assert to_last and to_first
    out = []
    for line in sf.path.read_text().splitlines():
        out.append(line)
        word = line.strip().removeprefix("- id: ")
        if line.strip().startswith("- id: ") and word in to_last | to_first:
            pin = "last" if word in to_last else "first"
            out.append(" " * (line.index("-") + 2) + f"pin: {pin}")
    path = tmp_path / "pinned.yaml"
    path.write_text("\n".join(out) + "\n")
    compiled = compile_scenario(load_scenario(path))
    vs = VectorScenario(compiled)
    for strategy in ("first", "last", "longest"):
        for seed, run in zip(SEEDS, vs.simulate_seeded(strategy, SEEDS), strict=True):
            assert_same(run, play(compiled, seed, SESSION_PICKERS[strategy]))
    pinned = to_last | to_first
    for strategy, ids in (("first", to_first), ("last", to_last)):
        for run in vs.simulate(strategy, 300, 2):
            for d in run.decisions:
                open_pinned = [c for c in d.available if c in ids]
                if open_pinned:
                    assert d.choice in open_pinned
                    assert d.choice == open_pinned[0 if strategy == "first" else -1]
                elif any(c not in pinned for c in d.available):
                    assert d.choice not in pinned


def test_round4_rounds_halves_as_python_does() -> None:
    """numpy scales before rounding and disagrees with Python at many 5-digit halves."""
    x = np.round(np.arange(-100_000, 100_000, 10) * 1e-4 + 0.00005, 5)
    want = [round(v, 4) for v in x.tolist()]
    assert any(w != v for w, v in zip(want, np.round(x, 4).tolist(), strict=True))
    assert round4(x).tolist() == want


def test_a_decision_too_wide_for_the_masks_is_refused_with_the_reason(tmp_path: Path) -> None:
    source = (FIXTURES / "minimal.yaml").read_text()
    extra = "".join(
        f"      - id: wait{i}\n        text: Wait {i}.\n        next: roll\n" for i in range(62)
    )
    wide = source.replace("        next: roll\n  roll:", "        next: roll\n" + extra + "  roll:")
    assert wide != source
    path = tmp_path / "wide.yaml"
    path.write_text(wide)
    with pytest.raises(VectorUnsupported, match="decision 'door' has more than 62 choices"):
        VectorScenario(compile_scenario(load_scenario(path)))
    assert VectorScenario(compile_scenario(load_scenario(FIXTURES / "minimal.yaml")))


def test_seeded_runs_equal_the_montecarlo_session_loop_for_every_strategy() -> None:
    """``simulate_seeded`` over seeds s, s+1, ... is ``engine.montecarlo.simulate_loop``,
    random picks included (same picking stream, options picked as shown)."""
    for sid in (
        "de-domestic-dispute",
        "hv-locked-room-dog",
        "mi-reconnecting-owen",
        "vd-curfew-gps",
    ):
        compiled = library()[sid]
        first_options = frozenset(
            (plan.node_id, plan.ids[0]) for plan in vector(sid).plans.values()
        )
        for strategy in STRATEGIES:
            loop = simulate_loop(compiled, strategy, 8, 300, avoid=first_options)
            runs = vector(sid).simulate_seeded(strategy, range(300, 308), avoid=first_options)
            for want, got in zip(loop, runs, strict=True):
                assert list(got.decisions) == [
                    d._replace(t=0.0, seq=i) for i, d in enumerate(want.decisions)
                ]
                assert (got.final_vars, got.ending, got.talk) == (
                    want.final_vars,
                    want.ending,
                    tuple(want.talk),
                )
