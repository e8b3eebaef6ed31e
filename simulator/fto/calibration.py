"""The calibration report: how closely FTOs agree when they rate the same attempts.

Per category the spread of the ratings given; per pair of FTOs the quadratic-weighted
Cohen's kappa over every (attempt, category) both rated 1-7; Fleiss' kappa for the group
over the (attempt, category) subjects rated 1-7 by the most common number of raters; and
the attempts whose ratings disagree most. Only sessions every invited FTO has finished
count (until then the ratings are hidden, so rating stays blind). N.O. and N.R.T. are not
points on the scale and are left out of the statistics.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from statistics import mean, pstdev
from typing import Any

from scoring.agreement import category_counts, fleiss_kappa, weighted_kappa
from simulator.store.reviewing import CalibrationSession


@dataclass(frozen=True)
class Spread:
    category: str
    count: int
    low: int
    high: int
    mean: float
    sd: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "ratings": self.count,
            "min": self.low,
            "max": self.high,
            "mean": round(self.mean, 2),
            "sd": round(self.sd, 2),
        }


@dataclass(frozen=True)
class CalibrationReport:
    sessions: int
    waiting: tuple[tuple[int, int, int], ...]  # (attempt, rated, invited) still blind
    spreads: tuple[Spread, ...]
    pairs: tuple[tuple[str, str, int, float | None], ...]  # (fto, fto, shared items, kappa)
    fleiss: float | None
    fleiss_subjects: int
    fleiss_raters: int
    disagreements: tuple[tuple[int, str, int, dict[str, int]], ...]  # attempt, category, range

    def to_dict(self) -> dict[str, Any]:
        return {
            "complete_sessions": self.sessions,
            "waiting": [{"attempt": a, "rated": r, "invited": n} for a, r, n in self.waiting],
            "categories": [s.to_dict() for s in self.spreads],
            "pairs": [
                {"ftos": [a, b], "shared_ratings": n, "weighted_kappa": k}
                for a, b, n, k in self.pairs
            ],
            "fleiss_kappa": self.fleiss,
            "fleiss_subjects": self.fleiss_subjects,
            "fleiss_raters": self.fleiss_raters,
            "largest_disagreements": [
                {"attempt": a, "category": c, "range": r, "ratings": v}
                for a, c, r, v in self.disagreements
            ],
        }


def calibration_report(sessions: Sequence[CalibrationSession], top: int = 5) -> CalibrationReport:
    done = [s for s in sessions if s.complete]
    waiting = tuple((s.attempt.id, len(s.rated), len(s.raters)) for s in sessions if not s.complete)
    # (attempt, category) -> rater -> 1..7
    items: dict[tuple[int, str], dict[str, int]] = {}
    for s in done:
        for rater, given in s.ratings.items():
            for category, value in given.items():
                if isinstance(value, int):
                    items.setdefault((s.attempt.id, category), {})[rater] = value
    by_category: dict[str, list[int]] = {}
    for (_, category), scored in items.items():
        by_category.setdefault(category, []).extend(scored.values())
    spreads = tuple(
        Spread(c, len(v), min(v), max(v), mean(v), pstdev(v))
        for c, v in sorted(by_category.items())
    )
    raters = sorted({r for given in items.values() for r in given})
    pairs = []
    for a, b in combinations(raters, 2):
        shared = [(g[a], g[b]) for g in items.values() if a in g and b in g]
        kappa = weighted_kappa([x for x, _ in shared], [y for _, y in shared]) if shared else None
        pairs.append((a, b, len(shared), kappa))
    sizes = Counter(len(g) for g in items.values() if len(g) >= 2)
    fleiss, subjects, group = None, 0, 0
    if sizes:
        group = max(sizes, key=lambda n: (sizes[n], n))
        chosen = [list(g.values()) for g in items.values() if len(g) == group]
        subjects = len(chosen)
        fleiss = fleiss_kappa(category_counts(chosen))
    ranked = sorted(
        (
            (attempt, category, max(g.values()) - min(g.values()), dict(sorted(g.items())))
            for (attempt, category), g in items.items()
            if len(g) >= 2
        ),
        key=lambda x: (-x[2], x[0], x[1]),
    )
    return CalibrationReport(
        len(done), waiting, spreads, tuple(pairs), fleiss, subjects, group, tuple(ranked[:top])
    )
