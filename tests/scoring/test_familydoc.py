"""The authoring guide's table of policies per family is generated and kept current."""

from __future__ import annotations

from engine.library import discover
from scoring.familydoc import END, START, policies_by_family
from scoring.pack import find_pack, load_pack
from tests.conftest import SCENARIOS


def test_the_guide_lists_the_policies_each_family_cites_as_generated() -> None:
    pack = load_pack(find_pack("model-state-parole"))
    section = policies_by_family(pack, discover(SCENARIOS).scenarios)
    guide = (SCENARIOS / "README.md").read_text(encoding="utf-8")
    assert section in guide, "run: parolesim policies --by-family -o scenarios/README.md"
    assert guide.count(START) == 1 and guide.count(END) == 1


def test_every_family_cites_policies_the_pack_has() -> None:
    pack = load_pack(find_pack("model-state-parole"))
    section = policies_by_family(pack, discover(SCENARIOS).scenarios)
    for title in ("Home visits", "De-escalation", "Violation decisions", "Motivational"):
        assert f"**{title}" in section
    assert "(unknown policy)" not in section
