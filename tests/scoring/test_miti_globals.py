"""Estimated MITI global ratings (scoring.miti_globals), checked against hand arithmetic."""

from __future__ import annotations

from engine.mechanics.client import ClientState
from scoring.miti_globals import Move, estimate_globals

COUNTS = {
    "complex_reflection": 3,
    "simple_reflection": 1,
    "affirm": 1,
    "seeking_collaboration": 1,
    "emphasizing_autonomy": 1,
    "persuade_with_permission": 1,
    "question": 1,
    "persuade": 1,
}  # n = 10
TALK = (
    ClientState(2.0, 6.0, 3.0),
    ClientState(3.5, 5.0, 2.0),
    ClientState(3.0, 5.5, 4.0),
    ClientState(5.0, 3.5, 1.0),
)
MOVES = (
    Move("You feel torn.", ("complex_reflection",)),
    Move("You should just go.", ("persuade",)),
    Move("It's your call, and you sound ready.", ("emphasizing_autonomy", "complex_reflection")),
)


def test_each_global_is_the_mean_of_its_behaviour_and_talk_parts_rounded_half_up() -> None:
    est = estimate_globals(COUNTS, MOVES, TALK)
    assert est is not None
    parts = {g.name: (g.behaviour, g.talk, g.rating) for g in est.ratings}
    # behaviour: 1 + (8*5 - 4*1)/10 = 4.6; talk: 3 + (5 - 2)/2 = 4.5; mean 4.55 -> 5
    assert parts["cultivating_change_talk"] == (4.6, 4.5, 5)
    # behaviour: 5 - 8/10 = 4.2; talk: 3 + (6 - 3.5)/2 = 4.25 (shown 4.3); mean 4.225 -> 4
    assert parts["softening_sustain_talk"] == (4.2, 4.3, 4)
    # behaviour: 3 + (16*2 + 8 - 16)/20 = 4.2; talk: 5 - peak discord 4/2 = 3; mean 3.6 -> 4
    assert parts["partnership"] == (4.2, 3.0, 4)
    # behaviour: 1 + (16*3 + 8)/20 = 3.8; talk: 5 - final discord 1/2 = 4.5; mean 4.15 -> 4
    assert parts["empathy"] == (3.8, 4.5, 4)
    assert est.as_globals() == {
        "cultivating_change_talk": 5,
        "softening_sustain_talk": 4,
        "partnership": 4,
        "empathy": 4,
    }


def test_examples_quote_the_line_that_moved_the_client_most() -> None:
    est = estimate_globals(COUNTS, MOVES, TALK)
    assert est is not None
    by = {g.name: g for g in est.ratings}
    assert by["cultivating_change_talk"].example == "It's your call, and you sound ready."
    assert by["cultivating_change_talk"].example_effect == "raised change talk by 2"
    assert by["partnership"].example_effect == "lowered discord by 3"
    assert by["softening_sustain_talk"].example == "It's your call, and you sound ready."
    assert by["empathy"].example == "It's your call, and you sound ready."


def test_a_pushing_session_rates_one_and_quotes_the_push() -> None:
    talk = (ClientState(4.0, 4.0, 2.0), ClientState(3.0, 6.0, 5.0), ClientState(1.0, 8.0, 8.5))
    moves = (Move("That's an excuse.", ("confront",)), Move("Just do it.", ("persuade",)))
    est = estimate_globals({"confront": 1, "persuade": 1}, moves, talk)
    assert est is not None
    # change talk: behaviour 1 + (0 - 8)/2 -> 1; talk 3 + (1 - 4)/2 = 1.5; mean 1.25 -> 1
    assert est.as_globals() == {
        "cultivating_change_talk": 1,
        "softening_sustain_talk": 1,
        "partnership": 1,
        "empathy": 1,
    }
    by = {g.name: g for g in est.ratings}
    assert by["partnership"].example == "Just do it."
    assert by["partnership"].example_effect == "raised discord by 3.5"
    assert by["softening_sustain_talk"].example_effect == "strengthened sustain talk by 2"


def test_without_a_client_model_only_the_behaviour_part_counts() -> None:
    est = estimate_globals(COUNTS, MOVES)
    assert est is not None
    assert [(g.talk, g.example) for g in est.ratings] == [(None, None)] * 4
    assert est.as_globals() == {
        "cultivating_change_talk": 5,
        "softening_sustain_talk": 4,
        "partnership": 4,
        "empathy": 4,
    }


def test_nothing_coded_gives_no_estimate() -> None:
    assert estimate_globals({}, (), TALK) is None


def test_the_estimate_is_the_same_from_stored_talk_values() -> None:
    stored = tuple(
        ClientState(round(s.change_talk, 6), round(s.sustain_talk, 6), round(s.discord, 6))
        for s in (ClientState(1 / 3, 6.0, 2.5), ClientState(2.0 + 1 / 3, 5.1, 1.5))
    )
    live = (ClientState(1 / 3, 6.0, 2.5), ClientState(2.0 + 1 / 3, 5.1, 1.5))
    moves = (Move("You want this.", ("complex_reflection",)),)
    a = estimate_globals({"complex_reflection": 1}, moves, live)
    b = estimate_globals({"complex_reflection": 1}, moves, stored)
    assert a == b
