"""MITI 4.2.1 arithmetic against transcripts coded and computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.miti import GLOBALS, MitiCsvError, parse_coded_csv, summarise
from scoring.packmodel import MitiMinimum
from scoring.report import round_half_up
from tests.scoring.helpers import cli, model_pack

CODED = """speaker,utterance,code,cultivating_change_talk,softening_sustain_talk,partnership,empathy
officer,What brings you in today?,Q,4,3,4,4
officer,You're tired of the back-and-forth.,CR,,,,
officer,So the job matters.,SR,,,,
officer,It's your call.,Emphasize,,,,
officer,You showed up early every week.,AF; CR,,,,
officer,Have you thought about stopping?,Question,,,,
officer,(inaudible),,,,,
officer,You need to quit or you'll be back inside.,Persuade,,,,
officer,Would it help if I shared an idea?,PwP,,,,
officer,What would you want to try?,Seeking Collaboration,,,,
"""


def test_hand_coded_transcript_gives_the_hand_computed_summary() -> None:
    coded = parse_coded_csv(CODED, "session.csv")
    assert coded.utterances == 10 and coded.uncoded == 1
    s = summarise(coded.counts, model_pack().main.miti, coded.globals, utterances=coded.utterances)
    assert s.counts == {
        "giving_information": 0,
        "persuade": 1,
        "persuade_with_permission": 1,
        "question": 2,
        "simple_reflection": 1,
        "complex_reflection": 2,
        "affirm": 1,
        "seeking_collaboration": 1,
        "emphasizing_autonomy": 1,
        "confront": 0,
    }
    # %CR = 2 / (1 + 2) = 66.67 -> 66.7, good (>= 50)
    assert (s.percent_complex_reflections.value, s.percent_complex_reflections.level) == (
        66.7,
        "good",
    )
    # R:Q = 3 / 2 = 1.5, fair (>= 1, < 2)
    assert (s.reflection_to_question.value, s.reflection_to_question.level) == (1.5, "fair")
    # adherent = Seek 1 + Affirm 1 + Emphasize 1; non-adherent = Confront 0 + Persuade 1
    assert (s.adherent, s.non_adherent) == (3, 1)
    # Technical (4 + 3) / 2 = 3.5 fair; Relational (4 + 4) / 2 = 4.0 good
    assert (s.technical.value, s.technical.level) == (3.5, "fair")
    assert (s.relational.value, s.relational.level) == (4.0, "good")


def test_persuade_with_permission_side_is_a_pack_setting() -> None:
    counts = {"persuade_with_permission": 2, "affirm": 1, "persuade": 1}
    base = model_pack().main.miti
    neither = summarise(counts, base)
    adherent = summarise(counts, base.model_copy(update={"persuade_with_permission": "adherent"}))
    non = summarise(counts, base.model_copy(update={"persuade_with_permission": "non_adherent"}))
    assert (neither.adherent, neither.non_adherent) == (1, 1)
    assert (adherent.adherent, adherent.non_adherent) == (3, 1)
    assert (non.adherent, non.non_adherent) == (1, 3)


def test_no_questions_leaves_the_ratio_undefined_not_made_up() -> None:
    s = summarise(
        {"simple_reflection": 3, "complex_reflection": 1, "affirm": 2}, model_pack().main.miti
    )
    assert s.reflection_to_question.value is None
    assert s.reflection_to_question.level == "undefined"
    assert s.reflection_to_question.reason == "no questions coded"
    assert s.percent_complex_reflections.value == 25.0


def test_no_reflections_leaves_percent_complex_undefined_and_ratio_zero() -> None:
    s = summarise({"question": 4, "giving_information": 2}, model_pack().main.miti)
    assert s.percent_complex_reflections.value is None
    assert s.percent_complex_reflections.reason == "no reflections coded"
    assert (s.reflection_to_question.value, s.reflection_to_question.level) == (0.0, "below fair")


def test_an_empty_session_is_too_few_to_rate_not_good() -> None:
    s = summarise({}, model_pack().main.miti)
    for m in (s.reflection_to_question, s.percent_complex_reflections, s.technical, s.relational):
        assert (m.value, m.level) == (None, "too few to rate")
    assert "0 coded utterances; at least 6" in s.reflection_to_question.reason


def test_a_short_session_is_too_few_to_rate_even_with_good_ratios() -> None:
    miti = model_pack().main.miti
    s = summarise({"complex_reflection": 3, "question": 1}, miti, {g: 5 for g in GLOBALS})
    assert s.reflection_to_question.level == "too few to rate"
    assert s.technical.level == "too few to rate"
    # enough coded talk, but too few reflections and questions to rate the two ratios
    s = summarise({"complex_reflection": 2, "question": 1, "affirm": 4}, miti)
    assert s.reflection_to_question.level == "too few to rate"
    assert "3 reflections and questions together; at least 4" in s.reflection_to_question.reason
    assert s.technical.level == "not rated"


def test_an_empty_session_with_no_minimum_is_undefined_and_globals_not_rated() -> None:
    miti = model_pack().main.miti.model_copy(
        update={"minimum": MitiMinimum(coded=1, reflections_and_questions=0)}
    )
    s = summarise({"affirm": 1}, miti)
    assert s.reflection_to_question.reason == "no questions or reflections coded"
    assert s.percent_complex_reflections.level == "undefined"
    assert s.technical.level == "not rated" and s.relational.level == "not rated"


def test_thresholds_are_inclusive_at_fair_and_good() -> None:
    miti = model_pack().main.miti
    assert (
        summarise(
            {"simple_reflection": 3, "complex_reflection": 2, "question": 5}, miti
        ).percent_complex_reflections.level
        == "fair"
    )  # 40.0
    assert (
        summarise(
            {"simple_reflection": 2, "complex_reflection": 2, "question": 2}, miti
        ).reflection_to_question.level
        == "good"
    )  # 2.0


def test_rounding_is_half_up_not_bankers() -> None:
    assert round_half_up(6.25, 1) == 6.3
    assert round_half_up(2.5, 0) == 3.0
    # 1 complex of 16 reflections = 6.25% -> 6.3
    s = summarise({"simple_reflection": 15, "complex_reflection": 1}, model_pack().main.miti)
    assert s.percent_complex_reflections.value == 6.3


def test_unknown_code_is_an_error_naming_its_line() -> None:
    text = "code\nQ\nCR\nReframe\n"
    with pytest.raises(MitiCsvError, match=r"^coded\.csv:4: unknown MITI code 'Reframe'"):
        parse_coded_csv(text, "coded.csv")


def test_missing_code_column_and_bad_globals_are_errors() -> None:
    with pytest.raises(MitiCsvError, match="no 'code' column"):
        parse_coded_csv("utterance\nhello\n", "x.csv")
    with pytest.raises(
        MitiCsvError, match=r"x\.csv:2: empathy must be a whole number 1-5, got '6'"
    ):
        parse_coded_csv("code,empathy\nQ,6\n", "x.csv")
    with pytest.raises(MitiCsvError, match=r"x\.csv:3: empathy is 3 here but 4 on an earlier row"):
        parse_coded_csv("code,empathy\nQ,4\nSR,3\n", "x.csv")


def test_miti_command_prints_json_and_exits_1_on_an_unknown_code(tmp_path: Path) -> None:
    good = tmp_path / "coded.csv"
    good.write_text(CODED, encoding="utf-8")
    r = cli("miti", str(good), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["percent_complex_reflections"] == {"value": 66.7, "level": "good", "reason": ""}
    assert data["uncoded_rows"] == 1
    text = cli("miti", str(good))
    assert "% complex reflections: 66.7% (good)" in text.stdout
    assert "reflection-to-question ratio: 1.5:1 (fair)" in text.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("code\nQ\nXYZ\n", encoding="utf-8")
    r = cli("miti", str(bad))
    assert r.returncode == 1
    assert f"{bad}:3: unknown MITI code 'XYZ'" in r.stderr
    none = tmp_path / "none.csv"
    none.write_text("code\nSR\nCR\nSR\nCR\nAF\nGI\n", encoding="utf-8")
    out = cli("miti", str(none)).stdout
    assert "reflection-to-question ratio: undefined: no questions coded" in out
    short = tmp_path / "short.csv"
    short.write_text("code\nSR\nCR\n", encoding="utf-8")
    out = cli("miti", str(short)).stdout
    assert "reflection-to-question ratio: too few to rate: 2 coded utterances" in out
