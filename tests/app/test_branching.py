"""Practice mode: "try again from this decision" starts a new attempt from that point."""

from __future__ import annotations

from simulator.app.main import App
from simulator.app.records import StoreRecords
from simulator.app.screens.debrief import DebriefScreen
from simulator.app.screens.play import PlayScreen
from tests.app.driver import Driver
from tests.app.test_flow import open_minimal


def test_try_again_from_a_decision_branches_a_new_attempt_and_keeps_both(
    drive: Driver, app: App, records: StoreRecords
) -> None:
    drive.create_profile("Rowan Pike")
    open_minimal(drive)
    drive.key("RETURN")
    first = app.run
    assert first is not None
    drive.play_to_end()
    drive.key("RETURN")
    assert isinstance(drive.top, DebriefScreen)
    chose_seq = next(e.seq for e in first.session.events if e.type == "chose")

    drive.tab_to("Try again from decision 1")
    drive.key("RETURN")

    assert isinstance(drive.top, PlayScreen)
    second = app.run
    assert second is not None and second.attempt.id != first.attempt.id
    assert second.attempt.parent_id == first.attempt.id
    assert second.attempt.branch_seq == chose_seq
    assert second.session.node_id == "door" and second.session.decisions == []
    assert second.session.persona == first.session.persona
    other = second.session.available_choices()[1]  # the second option as shown this time
    drive.key("2")
    assert second.session.decisions[0].choice == other.id
    drive.play_to_end()
    assert app.profile is not None
    done = [a for a in records.attempts(app.profile) if a.status == "completed"]
    assert {a.id for a in done} == {first.attempt.id, second.attempt.id}


def test_assessment_mode_offers_no_try_again(drive: Driver, app: App) -> None:
    drive.create_profile("Noor Castle")
    open_minimal(drive)
    drive.tab_to("Start assessment")
    drive.key("RETURN")
    assert app.run is not None and app.run.mode == "assessment"
    drive.play_to_end()
    drive.key("RETURN")
    debrief = drive.top
    assert isinstance(debrief, DebriefScreen)
    assert not [f for f in debrief.focus.items if f.name.startswith("Try again")]
