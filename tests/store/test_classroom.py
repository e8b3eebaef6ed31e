"""Class sessions on the store itself (SQLite and PostgreSQL): an instructor plays the
minimal scenario with Class 26-1, trainees vote on each decision, the class's choice is
played and recorded as one attempt of the instructor, and the debrief carries the votes."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.compile import compile_scenario
from engine.loader import load_scenario
from engine.session import replay
from simulator.store import AccessDenied, InvalidRecord, Store
from simulator.store.classdata import ClassSession
from tests.store.conftest import Cast
from tests.store.helpers import MINIMAL

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"


@pytest.fixture(autouse=True)
def _fixture_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAROLESIM_SCENARIOS", str(FIXTURES))


@pytest.fixture
def classroom(store: Store, cast: Cast) -> tuple[Store, Cast]:
    """Class 26-1 with a second trainee, cara; Class 26-2 holds bob."""
    cara = store.add_person(cast.admin, "cara", display_name="Cara Lindqvist")
    store.enrol(cast.admin, "Class 26-1", cara)
    store.add_cohort(cast.admin, "Class 26-2")
    store.enrol(cast.admin, "Class 26-2", "bob")
    return store, cast


def _run_through(store: Store, cast: Cast, view: ClassSession) -> ClassSession:
    """Vote at each decision (alice the first option, cara the last), close, play the
    first option, until the story ends."""
    cara = store.person("cara")
    while view.current is not None:
        poll = view.current
        store.classes.open_voting(cast.ines, view.id)
        store.classes.vote(cast.alice, view.id, "A")
        store.classes.vote(cara, view.id, poll.options[-1].id)
        view = store.classes.close_voting(cast.ines, view.id)
        view = store.classes.play(cast.ines, view.id, "A")
    return view


def test_a_class_session_is_one_scored_attempt_of_the_instructor_with_the_votes_beside_it(
    classroom: tuple[Store, Cast],
) -> None:
    store, cast = classroom
    view = store.classes.start(cast.ines, "Class 26-1", "fixture-minimal", seed=3)
    assert (view.cohort, view.instructor, view.status, view.viewer) == (
        "Class 26-1",
        "ines",
        "open",
        "instructor",
    )
    first = view.current
    assert first is not None and (first.number, first.node, first.state) == (1, "door", "waiting")
    assert {o.id for o in first.options} == {"knock", "wait"}
    assert any("arrive at the door" in line.text for line in view.story)

    ended = _run_through(store, cast, view)
    assert ended.ending is not None and ended.current is None
    assert [p.state for p in ended.polls] == ["played"] * len(ended.polls) >= ["played"] * 2
    for poll in ended.polls:
        assert poll.played == poll.options[0].id
        assert poll.total == 2 and poll.voters == 2
    final = store.classes.end(cast.ines, view.id)
    assert final.status == "ended" and final.report is not None
    assert len(final.report["decisions"]) == len(final.polls)

    attempt = store.attempts.get(cast.ines, view.attempt_id)
    assert (attempt.trainee, attempt.mode, attempt.status) == ("ines", "classroom", "completed")
    log = store.attempts.log(cast.ines, attempt.id)
    again = replay(compile_scenario(load_scenario(MINIMAL)), log)
    assert [d.choice for d in again.decisions] == [p.played for p in final.polls]

    exported = store.classes.export(cast.ines, view.id)
    votes = [(v["trainee"], v["choice"]) for d in exported["decisions"] for v in d["votes"]]
    assert len(votes) == 2 * len(final.polls)
    assert {t for t, _ in votes} == {"alice", "cara"}
    assert exported["report"]["overall"] == final.report["overall"]


def test_a_trainee_votes_once_per_decision_and_the_count_never_doubles(
    classroom: tuple[Store, Cast],
) -> None:
    store, cast = classroom
    view = store.classes.start(cast.ines, "Class 26-1", "fixture-minimal", seed=3)
    with pytest.raises(InvalidRecord, match="voting on decision 1 is not open"):
        store.classes.vote(cast.alice, view.id, "A")
    store.classes.open_voting(cast.ines, view.id)
    mine = store.classes.vote(cast.alice, view.id, "B")
    assert mine.viewer == "trainee" and mine.my_votes == {1: mine.polls[0].options[1].id}
    assert mine.joined == () and mine.voted == ()  # a trainee sees counts, not names
    for again in ("B", "A"):
        with pytest.raises(InvalidRecord, match="already voted B on decision 1"):
            store.classes.vote(cast.alice, view.id, again)
    live = store.classes.state(cast.ines, view.id)
    assert live.current is not None and live.current.voters == 1
    assert live.current.distribution == {} and live.voted == ("alice",)  # hidden until closed
    closed = store.classes.close_voting(cast.ines, view.id)
    assert closed.current is not None and sum(closed.current.distribution.values()) == 1
    with pytest.raises(InvalidRecord, match="not open"):
        store.classes.vote(store.person("cara"), view.id, "A")


def test_outsiders_are_refused_and_every_refusal_is_audited(
    classroom: tuple[Store, Cast],
) -> None:
    store, cast = classroom
    with pytest.raises(AccessDenied, match="gail \\(instructor\\) may not run class sessions"):
        store.classes.start(cast.gail, "Class 26-1", "fixture-minimal", seed=1)
    with pytest.raises(AccessDenied):
        store.classes.start(cast.alice, "Class 26-1", "fixture-minimal", seed=1)
    view = store.classes.start(cast.ines, "Class 26-1", "fixture-minimal", seed=3)
    store.classes.open_voting(cast.ines, view.id)
    refusals = [
        lambda: store.classes.vote(cast.bob, view.id, "A"),  # another cohort's trainee
        lambda: store.classes.join(cast.bob, view.id),
        lambda: store.classes.vote(cast.fred, view.id, "A"),
        lambda: store.classes.close_voting(cast.gail, view.id),
        lambda: store.classes.close_voting(cast.alice, view.id),
        lambda: store.classes.play(cast.fred, view.id, "A"),
        lambda: store.classes.export(cast.alice, view.id),
        lambda: store.classes.state(cast.bob, view.id),
    ]
    for refused in refusals:
        before = len(store.audit_log(cast.admin, limit=1000, denied_only=True))
        with pytest.raises(AccessDenied):
            refused()
        assert len(store.audit_log(cast.admin, limit=1000, denied_only=True)) == before + 1
    assert store.classes.open_sessions(cast.bob) == []
    assert [s.id for s in store.classes.open_sessions(cast.alice)] == [view.id]
    assert store.classes.state(cast.ines, view.id).current.voters == 0  # type: ignore[union-attr]


def test_a_show_of_hands_adds_to_the_votes_and_the_instructor_may_play_any_option(
    classroom: tuple[Store, Cast],
) -> None:
    store, cast = classroom
    view = store.classes.start(cast.ines, "Class 26-1", "fixture-minimal", seed=3)
    poll = view.current
    assert poll is not None
    a, b = poll.options[0].id, poll.options[1].id
    store.classes.open_voting(cast.ines, view.id)
    store.classes.vote(cast.alice, view.id, a)
    store.classes.count_hands(cast.ines, view.id, {"B": 7, "A": 2})
    store.classes.count_hands(cast.ines, view.id, {"B": 5, "A": 2})  # a recount replaces
    with pytest.raises(InvalidRecord, match="still open; close it first"):
        store.classes.play(cast.ines, view.id)
    closed = store.classes.close_voting(cast.ines, view.id).polls[0]
    assert closed.distribution == {a: 3, b: 5} and closed.leaders() == (b,)
    with pytest.raises(InvalidRecord, match="has no option 'Z'"):
        store.classes.play(cast.ines, view.id, "Z")
    played = store.classes.play(cast.ines, view.id, "A")  # the instructive wrong one
    assert played.polls[0].played == a
    with pytest.raises(InvalidRecord, match="no majority \\(no votes\\)"):
        store.classes.play(cast.ines, view.id)


def test_ending_before_the_story_ends_keeps_the_attempt_as_abandoned(
    classroom: tuple[Store, Cast],
) -> None:
    store, cast = classroom
    view = store.classes.start(cast.ines, "Class 26-1", "fixture-minimal", seed=3)
    store.classes.open_voting(cast.ines, view.id)
    store.classes.vote(cast.alice, view.id, "A")
    final = store.classes.end(cast.admin, view.id)
    assert final.status == "ended" and final.report is None
    assert [(p.state, p.total) for p in final.polls] == [("closed", 1)]  # closed with it
    assert store.attempts.get(cast.ines, view.attempt_id).status == "abandoned"
    with pytest.raises(InvalidRecord, match="has ended"):
        store.classes.join(cast.alice, view.id)
