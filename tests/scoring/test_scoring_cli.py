"""The scoring commands as a user runs them: run --score, score, rescore, policies."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from tests.scoring.helpers import FIXTURES, cli, copy_pack, edit, model_pack

HV = str(FIXTURES / "hv_shared_flat.yaml")
BAD_RUN = "just_go,timeout,search_tanya_room,stay_talk"


def scored_log(tmp_path: Path, choices: str = BAD_RUN) -> Path:
    r = cli("run", HV, "--choices", choices, "--json", "--score")
    assert r.returncode == 0, r.stderr
    path = tmp_path / "session.json"
    path.write_text(r.stdout, encoding="utf-8")
    return path


def test_run_with_score_adds_score_and_policy_to_the_session_json(tmp_path: Path) -> None:
    data = json.loads(scored_log(tmp_path).read_text(encoding="utf-8"))
    assert data["format"] == "parolesim-session/1"
    assert data["policy"] == model_pack().identity()
    score = data["score"]
    assert score["passed"] is False
    assert [d["verdict"] for d in score["decisions"]] == [
        "deviation",
        "violation",
        "violation",
        "critical",
    ]
    assert {c["id"] for c in score["competencies"]} == set(model_pack().competencies)
    assert score["critical_failures"][0]["policy"]["id"] == "MSDP-4.01"


def test_run_with_score_in_text_mode_prints_the_debrief() -> None:
    r = cli("run", HV, "--choices", BAD_RUN, "--score")
    assert r.returncode == 0, r.stderr
    assert "DEBRIEF: Shared flat on Alder Street" in r.stdout
    assert "‼ CRITICAL" in r.stdout


def test_score_command_gives_the_same_score_as_run_in_every_format(tmp_path: Path) -> None:
    log = scored_log(tmp_path)
    stored = json.loads(log.read_text(encoding="utf-8"))["score"]
    as_json = cli("score", str(log), "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == stored
    out = tmp_path / "debrief.html"
    r = cli("score", str(log), "--format", "html", "-o", str(out))
    assert r.returncode == 0 and r.stdout == ""
    HTMLParser().feed(out.read_text(encoding="utf-8"))
    assert out.read_text(encoding="utf-8").count('class="decision"') == 4
    text = cli("score", str(log))
    assert "RESULT: NOT PASSED" in text.stdout


def test_score_reports_unreadable_and_diverging_logs_plainly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    r = cli("score", str(bad))
    assert r.returncode == 1 and f"{bad}:1: not valid JSON" in r.stderr
    log = json.loads(scored_log(tmp_path).read_text(encoding="utf-8"))
    log["scenario"]["hash"] = "0" * 64
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(log), encoding="utf-8")
    r = cli("score", str(changed))
    assert r.returncode == 1 and "different version" in r.stderr


def test_rescore_shows_the_decision_a_changed_rule_affects(tmp_path: Path) -> None:
    log = scored_log(tmp_path)
    main = copy_pack(tmp_path)
    search = main.parent / "model-state-parole" / "rules-search.yaml"
    edit(
        search,
        "  - fact: searched_third_party_area\n    verdict: violation",
        "  - fact: searched_third_party_area\n    verdict: deviation",
    )
    r = cli("rescore", str(log), "--policy", str(main), "--json")
    assert r.returncode == 0, r.stderr
    diff = json.loads(r.stdout)
    assert diff["changed"] is True
    assert diff["old"]["policy"]["hash"] == model_pack().hash
    assert diff["new"]["policy"]["hash"] != model_pack().hash
    changed = [d for d in diff["decisions"] if d["changed"]]
    assert [(d["node"], d["old"]["verdict"], d["new"]["verdict"]) for d in changed] == [
        ("living_room", "violation", "deviation")
    ]
    assert diff["new"]["overall"] > diff["old"]["overall"]
    text = cli("rescore", str(log), "--policy", str(main)).stdout
    assert "living_room / search_tanya_room: violation MSDP-3.04" in text
    same = cli("rescore", str(log), "--policy", "model-state-parole", "--json")
    assert json.loads(same.stdout)["changed"] is False


def test_policies_lists_the_manual_competencies_and_matrix() -> None:
    r = cli("policies", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert len(data["policies"]) >= 40
    assert data["matrix"]["cells"]["medium"]["moderate"] == [2, 4]
    assert data["competencies"][0]["fto_category"] == "officer_safety"
    text = cli("policies", "model-state-parole").stdout
    assert "MSDP-7.06  Due process before custody or revocation" in text
    assert "Morrissey v. Brewer, 408 U.S. 471 (1972)." in text
    missing = cli("policies", "no-such-pack")
    assert missing.returncode == 1 and "no policy pack with id 'no-such-pack'" in missing.stderr


def test_scoring_an_unfinished_run_reports_it_unfinished_and_never_passes(tmp_path: Path) -> None:
    full = json.loads(cli("run", HV, "--auto", "first", "--seed", "1", "--json").stdout)
    chose = [i for i, e in enumerate(full["events"]) if e["type"] == "chose"]
    cut = dict(full, events=full["events"][: chose[0] + 1])
    cut.pop("ending", None)
    path = tmp_path / "unfinished.json"
    path.write_text(json.dumps(cut), encoding="utf-8")
    text = cli("score", str(path))
    assert "RESULT: UNFINISHED, NOT PASSED" in text.stdout
    assert "unfinished: the run stopped after 1 decision," in text.stdout
    report = json.loads(cli("score", str(path), "--format", "json").stdout)
    assert report["passed"] is False and report["outcome"] is None
