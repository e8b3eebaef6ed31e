"""Every scenario in the library can be played to an ending in the terminal."""

from __future__ import annotations

import io

import pytest

from engine.library import discover
from engine.loader import ScenarioFile
from simulator.textplay import play_text
from tests.conftest import SCENARIOS

LIBRARY = discover(SCENARIOS).scenarios


@pytest.mark.parametrize("sf", LIBRARY, ids=lambda sf: sf.scenario.id)
def test_play_text_reaches_an_ending_answering_the_first_choice_each_time(sf: ScenarioFile) -> None:
    out = io.StringIO()
    code = play_text(sf, seed=5, out=out, inp=io.StringIO("1\n" * 400))
    text = out.getvalue()
    assert code == 0, text[-2000:]
    assert "CASE FILE — " in text
    assert "\n=== " in text  # the ending's title
    assert "Please type a number" not in text
