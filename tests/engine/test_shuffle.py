"""Option order is shuffled per attempt: drawn from the seed, recorded, replayed exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.compile import compile_scenario
from engine.library import find
from engine.loader import load_scenario
from engine.model import Decision
from engine.session import ReplayError, Session, replay
from scoring.pack import load_pack, policy_root
from scoring.scorer import rescore_log, score_session
from tests.clirun import cli
from tests.engine.helpers import compiled

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "tests" / "fixtures" / "logs"


def _presented_orders(session: Session) -> list[list[str]]:
    return [list(e.data["order"]) for e in session.events if "order" in e.data]


def test_the_order_shown_is_a_permutation_of_the_open_choices_and_is_logged() -> None:
    c = compiled("minimal")
    s = Session.start(c, 3)
    node = s.node
    assert isinstance(node, Decision)
    shown = [ch.id for ch in s.available_choices()]
    assert sorted(shown) == sorted(ch.id for ch in node.choices if ch.guard is None)
    assert s.events[-1].type == "presented"
    assert s.events[-1].data["order"] == shown
    assert s.events[0].data["shuffle"] is True


def test_seeds_show_the_library_options_in_different_orders() -> None:
    """Across seeds the best-known first option is not always first: order is no answer key."""
    c = compile_scenario(find("de-counter-sanction"))
    firsts = {Session.start(c, seed).available_choices()[0].id for seed in range(40)}
    assert len(firsts) >= 3


def test_the_same_seed_and_choices_give_byte_identical_logs_across_processes() -> None:
    args = ("run", "de-counter-sanction", "--seed", "42", "--auto", "first", "--json")
    first, second = cli(*args), cli(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    log = json.loads(first.stdout)
    orders = [e["order"] for e in log["events"] if e["type"] == "presented" and "order" in e]
    chosen = [e["choice"] for e in log["events"] if e["type"] == "chose"]
    # --auto first takes the first option as shown, not as authored
    assert chosen == [order[0] for order in orders[: len(chosen)]]


def test_a_pinned_option_keeps_its_place(tmp_path: Path) -> None:
    source = ROOT / "tests" / "fixtures" / "scenarios" / "minimal.yaml"
    nodes = load_scenario(source).scenario.nodes.values()
    first = next(n for n in nodes if isinstance(n, Decision))
    # pin the first decision's last authored choice to the end of the list
    last_id = first.choices[-1].id
    out = []
    for line in source.read_text().splitlines():
        out.append(line)
        if line.strip() == f"- id: {last_id}":
            indent = line.index("-") + 2
            out.append(" " * indent + "pin: last")
    path = tmp_path / "pinned.yaml"
    path.write_text("\n".join(out) + "\n")
    assert "pin: last" in path.read_text()
    c = compile_scenario(load_scenario(path))
    for seed in range(20):
        assert Session.start(c, seed).available_choices()[-1].id == last_id


def test_replay_of_a_shuffled_log_rebuilds_the_same_order_and_refuses_a_changed_one() -> None:
    c = compiled("minimal")
    s = Session.start(c, 9)
    s.choose(s.available_choices()[0].id)
    log = s.to_log()
    again = replay(c, log)
    assert _presented_orders(again) == _presented_orders(s)
    tampered = json.loads(json.dumps(log))
    for ev in tampered["events"]:
        if "order" in ev and len(ev["order"]) > 1:
            ev["order"] = list(reversed(ev["order"]))
            break
    with pytest.raises(ReplayError, match="diverges"):
        replay(c, tampered)


def test_logs_recorded_before_shuffling_still_replay_and_score() -> None:
    pack = load_pack(policy_root() / "model-state-parole.yaml")
    for name in ("pre-shuffle-places.json", "pre-shuffle-mechanics.json"):
        log = json.loads((LOGS / name).read_text())
        assert "shuffle" not in log["events"][0]
        sf = load_scenario(ROOT / log["scenario"]["path"])
        session = replay(compile_scenario(sf), log)
        assert session.ended and not session.shuffle
        chosen = [e["choice"] for e in log["events"] if e["type"] == "chose"]
        assert [d.choice for d in session.decisions] == chosen
        report = score_session(log, sf, pack)
        assert len(report.decisions) == len(chosen)
        assert rescore_log(log, sf, pack).overall == report.overall
