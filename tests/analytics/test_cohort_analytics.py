"""Cohort analytics on real recorded attempts (SQLite, and PostgreSQL when configured),
checked against figures worked out by hand from what each trainee chose and scored."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date

import pytest

from engine.compile import compile_scenario
from engine.loader import load_scenario
from engine.session import replay
from simulator.analytics.cohort import cohort_analytics
from simulator.store import AccessDenied, Store
from tests.analytics.cohort_seed import VISITOR, Academy, academy, first_day
from tests.store.conftest import _quick_password_hashes, db_url, store

__all__ = ["_quick_password_hashes", "db_url", "store"]


@pytest.fixture
def seeded(store: Store) -> Academy:
    return academy(store)


def test_each_decision_shows_how_the_cohort_chose_and_the_share_within_policy(
    store: Store, seeded: Academy
) -> None:
    found = cohort_analytics(store, seeded.ines, "Class 26-1")
    assert found.trainees == ("alice", "bob", "carl")
    assert found.active == ("alice", "bob", "carl")
    assert found.attempts == 5  # dana's attempt is in another cohort
    visitor = next(s for s in found.scenarios if s.id == "hv-routine-visitor")
    assert (visitor.attempts, visitor.trainees) == (4, 3)
    first, second = visitor.decisions[0], visitor.decisions[1]
    # alice skimmed then read the file, bob read it, carl asked Priya
    assert first.node == "prep_file" and first.reached == 4
    assert [(o.choice, o.count, o.share, o.verdict) for o in first.options] == [
        ("read_file", 2, 0.5, "exemplary"),
        ("ask_priya", 1, 0.25, "deviation"),
        ("skim_and_go", 1, 0.25, "deviation"),
    ]
    assert first.within == 0.5
    assert first.options[0].text.startswith("Read the case file")
    # three ran the checks; alice's first run only logged; nobody radioed later
    assert second.node == "prep_checks" and second.reached == 4
    assert [(o.choice, o.count, o.share, o.verdict) for o in second.options] == [
        ("checks_and_log", 3, 0.75, "exemplary"),
        ("log_only", 1, 0.25, "deviation"),
        ("radio_later", 0, 0.0, None),
    ]
    assert second.within == 0.75
    assert second.options[2].text == "Head straight out and radio your location when you get there."


def test_scores_and_first_to_latest_change_match_the_recorded_attempts(
    store: Store, seeded: Academy
) -> None:
    found = cohort_analytics(store, seeded.ines, "Class 26-1")
    mine = [a for who in ("alice", "bob", "carl") for a in seeded.attempts[who]]
    scores = [float(a.overall or 0) for a in mine]
    assert found.scores.count == 5
    assert found.scores.mean == round(sum(scores) / 5, 2)
    assert found.scores.median == round(sorted(scores)[2], 2)
    assert found.scores.sd == round(statistics.stdev(scores), 2)
    assert (found.scores.low, found.scores.high) == (min(scores), max(scores))
    assert found.scores.pass_rate == round(sum(bool(a.passed) for a in mine) / 5, 2)
    bins = [0] * 10
    for s in scores:
        bins[min(9, int(s // 10))] += 1
    assert list(found.scores.bins) == bins
    assert found.scores.pass_mark == 70.0
    # only alice played one scenario twice
    alice_first, alice_latest = (float(a.overall or 0) for a in seeded.attempts["alice"])
    change = found.change
    assert change.pairs == 1
    assert (change.first_mean, change.latest_mean) == (alice_first, alice_latest)
    assert change.mean_change == round(alice_latest - alice_first, 2)
    assert (change.improved, change.unchanged, change.worse) == (
        int(alice_latest > alice_first),
        int(alice_latest == alice_first),
        int(alice_latest < alice_first),
    )


def test_most_missed_policies_count_every_judgement_of_the_cohorts_choices(
    store: Store, seeded: Academy
) -> None:
    found = cohort_analytics(store, seeded.ines, "Class 26-1")
    admin = seeded.admin
    judged: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for who in ("alice", "bob", "carl"):
        for attempt in seeded.attempts[who]:
            report = store.attempts.report(admin, attempt.id) or {}
            for d in report["decisions"]:
                for j in d["judgments"]:
                    judged[j["policy"]["id"]] += 1
                    missed[j["policy"]["id"]] += j["verdict"] in (
                        "deviation",
                        "violation",
                        "critical",
                    )
    top = found.policies[0]
    assert (top.judged, top.missed) == (judged[top.id], missed[top.id])
    assert top.missed == max(missed.values())
    assert all((p.judged, p.missed) == (judged[p.id], missed[p.id]) for p in found.policies)
    assert [p.missed for p in found.policies] == sorted(
        (p.missed for p in found.policies), reverse=True
    )
    titles = {c.id: c.title for c in found.competencies}
    assert titles["field_safety"] == "Field safety and contact planning"


def test_filters_by_scenario_and_date(store: Store, seeded: Academy) -> None:
    only = cohort_analytics(store, seeded.ines, "Class 26-1", scenario="hv-weapon-disengage")
    assert only.attempts == 1 and only.active == ("bob",)
    assert [s.id for s in only.scenarios] == ["hv-weapon-disengage"]
    first_day(store, seeded)
    since = cohort_analytics(store, seeded.ines, "Class 26-1", since=date(2026, 11, 15))
    assert since.attempts == 4  # alice's first attempt, on 1 November, is left out
    assert since.change.pairs == 0
    visitor = next(s for s in since.scenarios if s.id == "hv-routine-visitor")
    assert [(o.choice, o.count) for o in visitor.decisions[0].options][:1] == [("read_file", 2)]
    assert "skim_and_go" not in [o.choice for o in visitor.decisions[0].options if o.count]


def test_a_branched_attempt_counts_only_the_decisions_it_took_itself(
    store: Store, seeded: Academy
) -> None:
    admin = seeded.admin
    carl = seeded.attempts["carl"][0]
    log = store.attempts.log(admin, carl.id)
    at = next(
        e["seq"] for e in log["events"] if e["type"] == "chose" and e["node"] == "prep_checks"
    )
    child = store.attempts.branch(admin, carl.id, at)
    sf = load_scenario(VISITOR)
    session = replay(
        compile_scenario(sf),
        store.attempts.log(admin, child.id),
        on_event=store.attempts.recorder(admin, child.id),
    )
    session.choose("log_only")
    while not session.ended:
        session.choose(session.available_choices()[0].id)
    store.attempts.finish(admin, child.id)
    found = cohort_analytics(store, seeded.ines, "Class 26-1", scenario="hv-routine-visitor")
    first, second = found.scenarios[0].decisions[:2]
    assert found.attempts == 5
    assert first.reached == 4  # carl's prep_file choice was copied, not taken again
    assert second.reached == 5
    assert [(o.choice, o.count) for o in second.options][:2] == [
        ("checks_and_log", 3),
        ("log_only", 2),
    ]


def test_only_the_cohorts_instructors_and_admins_see_its_analytics_and_refusals_are_audited(
    store: Store, seeded: Academy
) -> None:
    admin = seeded.admin
    assert cohort_analytics(store, admin, "Class 26-1").attempts == 5
    refused = [
        (seeded.gail, "Class 26-1"),  # teaches another cohort
        (seeded.ines, "Class 26-2"),
        (store.person("alice"), "Class 26-1"),  # a trainee of the cohort
    ]
    for actor, cohort in refused:
        with pytest.raises(AccessDenied, match="may not see the analytics"):
            cohort_analytics(store, actor, cohort)
        entry = store.audit_log(admin, limit=1, denied_only=True)[0]
        assert (entry.actor, entry.action, entry.allowed) == (actor.username, "teach_cohort", False)
    cohort_analytics(store, seeded.ines, "Class 26-1")
    read = store.audit_log(admin, limit=1)[0]
    assert (read.actor, read.action, read.allowed) == ("ines", "read_records", True)


def test_weapon_scenario_reaches_its_critical_decision(store: Store, seeded: Academy) -> None:
    found = cohort_analytics(store, seeded.ines, "Class 26-1", scenario="hv-weapon-disengage")
    verdicts = {o.verdict for d in found.scenarios[0].decisions for o in d.options if o.count}
    assert "critical" in verdicts  # bob froze with the shotgun coming at him
