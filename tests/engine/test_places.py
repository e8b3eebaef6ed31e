"""The places mechanic: facts derived from searches, looks, moves and the partner's task."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.compile import compile_scenario
from engine.lint import lint_paths
from engine.loader import load_scenario, load_scenario_text
from engine.mechanics import places
from engine.problems import ContentError
from engine.session import Session, replay

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "places" / "places-fixture.yaml"
TEXT = FIXTURE.read_text(encoding="utf-8")


def start(text: str = TEXT, seed: int = 1) -> Session:
    sf = load_scenario_text(text, "places-fixture.yaml") if text != TEXT else load_scenario(FIXTURE)
    return Session.start(compile_scenario(sf), seed, clock=lambda: 0.0, wall_clock=False)


def facts_of(session: Session, *choices: str) -> list[tuple[str, ...]]:
    before = len(session.decisions)
    for c in choices:
        session.choose(c)
    return [d.facts for d in session.decisions[before:]]


def lint_text(tmp_path: Path, text: str) -> list[str]:
    f = tmp_path / "variant.yaml"
    f.write_text(text, encoding="utf-8")
    return [p.format() for p in lint_paths([f])]


# ---------------------------------------------------------------- searches


def test_search_of_a_co_residents_room_without_consent_is_derived_as_such() -> None:
    s = start()
    [facts] = facts_of(s, "search_jordan")
    assert facts == (
        "articulated_reasonable_suspicion",
        "searched_third_party_area_without_consent",
    )
    assert s.vars["found_shotgun"] and s.vars["seen_shotgun"]
    assert s.vars["officer_at"] == "jordan_room"


def test_search_of_a_co_residents_room_after_their_consent_counts_the_consent() -> None:
    s = start()
    facts = facts_of(s, "jordan_yes", "search_jordan")[-1]
    assert "searched_third_party_area_without_consent" not in facts
    assert {"obtained_third_party_consent", "searched_third_party_area"} <= set(facts)


def test_search_of_the_parolees_room_relies_on_the_signed_search_condition() -> None:
    s = start()
    [facts] = facts_of(s, "search_sam")
    assert "searched_parolee_area_under_condition" in facts
    assert s.vars["found_scale"] is True


def test_search_without_a_search_condition_in_the_case_file_is_unauthorised() -> None:
    condition = "      - {id: search, text: You and property under your control may be searched.}\n"
    text = TEXT.replace("    special:\n" + condition, "")
    assert text != TEXT
    s = start(text)
    [facts] = facts_of(s, "search_sam")
    assert "searched_without_search_condition" in facts
    assert "searched_parolee_area_under_condition" not in facts


def test_a_search_narrates_what_it_found_and_what_it_did_not() -> None:
    s = start()
    s.choose("search_sam")
    assert s.transcript[-1].text == "You search Sam's room: you find a scale in the sock drawer."
    s.choose("invite")
    s.choose("secure_gun")
    s.choose("search_jordan")
    assert "You search Jordan's room: nothing turns up." in [t.text for t in s.transcript]


# ---------------------------------------------------------------- plain view and vantage points


def test_looking_from_a_lawful_place_sees_what_is_in_plain_view_but_not_what_is_hidden() -> None:
    s = start()
    [facts] = facts_of(s, "look_porch")
    assert "plain_view_observation" in facts
    assert s.vars["seen_pipe"] and s.vars["seen_jordan"]
    assert not s.vars["seen_dog"]  # the hall is not in view from the porch
    assert not s.vars["seen_scale"]  # hidden in a drawer
    assert s.transcript[-1].text == (
        "From the porch you can see Jordan on the couch and a glass pipe on the coffee table."
    )


def test_looking_again_at_what_was_already_seen_earns_no_second_plain_view_fact() -> None:
    s = start()
    first, again = facts_of(s, "look_porch", "look_porch")
    assert "plain_view_observation" in first
    assert "plain_view_observation" not in again


def test_an_item_that_the_persona_leaves_out_is_never_seen() -> None:
    text = TEXT.replace("pipe_there: {kind: flag, p: 1.0}", "pipe_there: {kind: flag, p: 0.0}")
    s = start(text)
    [facts] = facts_of(s, "look_porch")
    assert "plain_view_observation" not in facts
    assert s.vars["seen_pipe"] is False
    assert s.transcript[-1].text == "From the porch you can see Jordan on the couch."


def test_looking_from_a_room_the_officer_was_not_invited_into_is_not_plain_view() -> None:
    s = start()
    [facts] = facts_of(s, "look_living")
    assert "entered_without_invitation_or_authority" in facts
    assert "plain_view_observation" not in facts
    invited = start()
    facts = facts_of(invited, "invite", "look_living")[-1]
    assert "entered_without_invitation_or_authority" not in facts
    assert "plain_view_observation" in facts
    assert invited.vars["seen_dog"] is True  # the hall is in view from the living room


def test_walking_in_uninvited_is_derived_even_without_looking() -> None:
    [facts] = facts_of(start(), "walk_in")
    assert facts == ("positioned_safely", "entered_without_invitation_or_authority")


# ---------------------------------------------------------------- contact and cover


@pytest.mark.parametrize(
    ("choice", "merged"),
    [("partner_searches", True), ("partner_interviews", True), ("partner_radios", False)],
)
def test_the_partner_leaving_cover_to_search_or_interview_merges_the_roles(
    choice: str, merged: bool
) -> None:
    [facts] = facts_of(start(), choice)
    assert ("roles_merged" in facts) is merged


def test_a_visit_without_a_partner_cannot_merge_roles() -> None:
    text = TEXT.replace("  start: street\n", "  start: street\n  partner: false\n")
    text = text.replace(", partner: search", "").replace(", partner: interview", "")
    text = text.replace(", partner: call", "")
    [facts] = facts_of(start(text), "search_sam")
    assert "roles_merged" not in facts


# ---------------------------------------------------------------- weapons and leaving


def test_staying_after_a_weapon_is_found_is_derived_on_every_choice_that_stays() -> None:
    s = start()
    found, stay, move = facts_of(s, "search_jordan", "talk", "walk_in")
    assert "stayed_after_weapon_seen" not in found  # finding it is not yet staying
    assert "stayed_after_weapon_seen" in stay
    assert "stayed_after_weapon_seen" in move  # another room is still the premises


def test_leaving_the_premises_after_a_weapon_is_seen_is_withdrawing() -> None:
    s = start()
    facts = facts_of(s, "search_jordan", "leave")[-1]
    assert "withdrew_after_weapon_seen" in facts
    assert "stayed_after_weapon_seen" not in facts
    assert s.ended


def test_a_weapon_no_longer_there_does_not_keep_the_officers_in_danger() -> None:
    s = start()
    facts = facts_of(s, "search_jordan", "secure_gun", "talk")
    assert "stayed_after_weapon_seen" in facts[1]  # the choice made while it was still there
    assert "stayed_after_weapon_seen" not in facts[2]


def test_leaving_with_no_weapon_seen_is_just_leaving() -> None:
    [facts] = facts_of(start(), "leave")
    assert facts == ("disengaged_for_safety",)


def test_a_covering_partner_calls_out_a_weapon_in_view_before_the_next_decision() -> None:
    s = start()
    s.choose("knife_appears")
    assert s.vars["seen_knife"] is False  # not in view from the street
    s.choose("invite")
    s.choose("walk_in")
    assert s.vars["seen_knife"] is True
    last = s.transcript[-1]
    assert (last.speaker, last.text) == ("partner", "Heads up: a hunting knife on the hall shelf.")
    [facts] = facts_of(s, "talk")
    assert "stayed_after_weapon_seen" in facts


def test_a_partner_who_is_searching_misses_the_weapon_until_back_on_cover() -> None:
    s = start()
    s.choose("knife_appears")
    s.choose("invite")
    s.choose("walk_in_partner_searching")
    assert s.vars["seen_knife"] is False
    assert s.vars["partner_task"] == "search"
    [facts] = facts_of(s, "talk")
    assert "stayed_after_weapon_seen" not in facts  # nobody knew yet
    assert s.vars["seen_knife"] is True


def test_an_obvious_weapon_is_seen_even_when_the_partner_is_not_covering() -> None:
    text = TEXT.replace(
        "kind: weapon, present: knife_out}", "kind: weapon, obvious: true, present: knife_out}"
    )
    s = start(text)
    for c in ("knife_appears", "invite", "walk_in_partner_searching"):
        s.choose(c)
    assert s.vars["seen_knife"] is True
    assert s.transcript[-1].speaker != "partner"  # nobody needs to point it out
    [facts] = facts_of(s, "talk")
    assert "stayed_after_weapon_seen" in facts


def test_lint_refuses_an_item_both_hidden_and_obvious(tmp_path: Path) -> None:
    text = TEXT.replace(
        "kind: contraband, hidden: true}", "kind: contraband, hidden: true, obvious: true}"
    )
    [problem] = lint_text(tmp_path, text)
    assert "cannot be both hidden" in problem


# ---------------------------------------------------------------- session integration


def test_reactions_apply_to_derived_facts() -> None:
    s = start()
    s.choose("search_jordan")
    assert s.vars["upset"] == 3
    s.choose("jordan_yes")
    s.choose("search_jordan")
    assert s.vars["upset"] == 3


def test_derived_state_is_usable_in_guards(tmp_path: Path) -> None:
    text = TEXT.replace(
        "      - {id: talk, text: Keep talking., facts: [active_listening], next: act}",
        "      - {id: talk, text: Keep talking., facts: [active_listening], next: act, "
        "guard: \"not seen_pipe and officer_at == 'street'\"}",
    )
    s = start(text)
    assert "talk" in [c.id for c in s.available_choices()]
    s.choose("look_porch")
    assert "talk" not in [c.id for c in s.available_choices()]


def test_replay_rebuilds_derived_facts_state_and_narration() -> None:
    s = start()
    for c in ("look_porch", "invite", "partner_searches", "search_jordan", "talk", "leave"):
        s.choose(c)
    again = replay(s.compiled, s.to_log())
    assert [d.facts for d in again.decisions] == [d.facts for d in s.decisions]
    assert again.vars == s.vars
    assert again.transcript == s.transcript


def test_possible_facts_covers_every_fact_the_mechanic_derives() -> None:
    sf = load_scenario(FIXTURE)
    choices = {c.id: c for c in sf.scenario.nodes["act"].choices}  # type: ignore[union-attr]
    s = start()
    for c in (
        "search_jordan",
        "talk",
        "look_living",
        "partner_interviews",
        "jordan_yes",
        "search_jordan",
        "invite",
        "look_porch",
        "search_sam",
        "leave",
    ):
        s.choose(c)
    for d in s.decisions:
        derived = set(d.facts) - set(choices[d.choice].facts)
        assert derived <= places.possible_facts(sf.scenario, choices[d.choice])
        assert derived <= places.DERIVED_FACTS


# ---------------------------------------------------------------- lint


def test_lint_accepts_the_fixture() -> None:
    assert lint_paths([FIXTURE]) == []


def test_lint_reports_a_search_of_an_unknown_room_with_its_line(tmp_path: Path) -> None:
    text = TEXT.replace("search: jordan_room", "search: jordans_room")
    [problem] = lint_text(tmp_path, text)
    line = 1 + text.splitlines().index(
        next(x for x in text.splitlines() if "search: jordans_room" in x)
    )
    assert problem.startswith(f"{tmp_path / 'variant.yaml'}:{line}:")
    assert "'jordans_room' is not a room of places.rooms" in problem


def test_lint_reports_an_item_in_an_unknown_place_and_an_unknown_item_in_a_guard(
    tmp_path: Path,
) -> None:
    text = TEXT.replace("place: sam_room, kind: contraband", "place: attic, kind: contraband")
    text = text.replace(
        "{id: talk, text: Keep talking., facts: [active_listening], next: act}",
        '{id: talk, text: Keep talking., facts: [active_listening], next: act, guard: "seen_bong"}',
    )
    problems = lint_text(tmp_path, text)
    assert any("place 'attic' is not a room" in p for p in problems)
    assert any("'seen_bong' is not a declared variable" in p for p in problems)


def test_lint_refuses_hand_written_derived_facts(tmp_path: Path) -> None:
    text = TEXT.replace(
        "facts: [articulated_reasonable_suspicion], search: sam_room",
        "facts: [searched_parolee_area_under_condition], search: sam_room",
    )
    [problem] = lint_text(tmp_path, text)
    assert "'searched_parolee_area_under_condition' is derived by the engine" in problem


def test_lint_checks_controllers_of_third_party_rooms(tmp_path: Path) -> None:
    missing = TEXT.replace("      controller: roommate\n", "")
    assert any("needs a controller" in p for p in lint_text(tmp_path, missing))
    unknown = TEXT.replace("controller: roommate", "controller: landlord")
    problems = lint_text(tmp_path, unknown)
    assert any("controller 'landlord' is not in the cast" in p for p in problems)


def test_lint_refuses_a_view_into_a_locked_room(tmp_path: Path) -> None:
    text = TEXT.replace("sees: [hall]}", "sees: [hall, jordan_room]}")
    [problem] = lint_text(tmp_path, text)
    assert "'jordan_room' is locked" in problem


def test_lint_requires_a_way_off_the_premises_when_a_weapon_may_be_there(tmp_path: Path) -> None:
    text = TEXT.replace("move_to: street, next: done", "next: done")
    [problem] = lint_text(tmp_path, text)
    assert "no choice moves the officers off the premises" in problem


def test_lint_refuses_actions_in_a_scenario_without_places(tmp_path: Path) -> None:
    minimal = FIXTURE.parent.parent / "scenarios" / "minimal.yaml"
    facts = "        facts: [active_listening]\n"
    body = minimal.read_text(encoding="utf-8").replace(facts, facts + "        search: kitchen\n")
    [problem] = lint_text(tmp_path, body)
    assert "'search' acts on the address, but this scenario has no places: block" in problem


def test_lint_refuses_a_variable_that_clashes_with_a_derived_name(tmp_path: Path) -> None:
    clash = "  seen_pipe: {type: bool, initial: false}\n"
    text = TEXT.replace("  upset: {type: int", clash + "  upset: {type: int")
    problems = lint_text(tmp_path, text)
    assert any("'seen_pipe' is set by the places mechanic" in p for p in problems)


def test_loading_refuses_a_scenario_whose_places_are_broken() -> None:
    with pytest.raises(ContentError) as err:
        load_scenario_text(TEXT.replace("start: street", "start: garage"), "broken.yaml")
    assert "start place 'garage' is not a room" in str(err.value)


def test_looking_back_through_a_doorway_does_not_repeat_what_was_already_described() -> None:
    s = start()
    s.choose("look_living")
    living = s.transcript[-1].text
    assert living.startswith("From the living room you can see") and "Jordan on the couch" in living
    s.choose("look_porch")  # the porch sees only into the living room, already described
    porch = s.transcript[-1].text
    assert porch == "From the porch nothing you have not already seen is in view."
