"""Trends as a coordinator reads them: ratings in date order, days to the first 4, and the
flags for 1-3 in the last three evaluations or any N.R.T.; amended evaluations left out."""

from __future__ import annotations

from datetime import UTC, date, datetime

from simulator.fto.trends import trends
from simulator.store import Evaluation, Rating


def _evaluation(
    ident: int, day: date, *ratings: Rating, amended_by: int | None = None
) -> Evaluation:
    return Evaluation(
        id=ident,
        trainee_id=1,
        fto_id=2,
        kind="daily",
        observed_on=day,
        attempt_id=None,
        summary="",
        ratings=ratings,
        signatures=(),
        amends_id=None,
        amend_reason=None,
        amended_by_id=amended_by,
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
    )


def test_days_to_first_4_and_flags_for_recent_lows_and_nrt() -> None:
    found = {
        t.category: t
        for t in trends(
            [
                _evaluation(1, date(2026, 11, 2), Rating("officer_safety", 2, "n"),
                            Rating("interviewing", 4)),
                _evaluation(2, date(2026, 11, 5), Rating("officer_safety", 3)),
                _evaluation(3, date(2026, 11, 9), Rating("officer_safety", 4)),
                _evaluation(4, date(2026, 11, 12), Rating("officer_safety", 5),
                            Rating("interviewing", "N.R.T.", "no change after two sessions")),
                # replaced by an amendment: it does not count
                _evaluation(5, date(2026, 11, 13), Rating("report_writing", 1, "n"), amended_by=6),
                _evaluation(6, date(2026, 11, 13), Rating("report_writing", 4)),
            ]
        )
    }  # fmt: skip
    safety = found["officer_safety"]
    assert [v for _, v, _ in safety.points] == [2, 3, 4, 5]
    assert safety.days_to_first_4 == 7
    assert safety.flags == []  # the 2 and 3 are older than the last three evaluations
    interviewing = found["interviewing"]
    assert interviewing.days_to_first_4 == 0
    assert interviewing.flags == ["not responding to training (N.R.T.) on 2026-11-12"]
    assert [v for _, v, _ in found["report_writing"].points] == [4]


def test_a_low_rating_in_the_last_three_evaluations_is_flagged() -> None:
    [safety] = trends(
        [
            _evaluation(1, date(2026, 11, 2), Rating("officer_safety", 5)),
            _evaluation(2, date(2026, 11, 3), Rating("officer_safety", 3)),
        ]
    )
    assert safety.flags == ["rated below 4 in the last three evaluations (3 on 2026-11-03)"]
