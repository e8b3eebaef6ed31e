"""Agreement between raters on the 1-7 scale, for FTO calibration sessions.

Quadratic-weighted Cohen's kappa compares two raters: a disagreement of two points costs
four times one of one point, which suits an ordered scale where 3 against 4 is a near miss
and 1 against 7 is not. Fleiss' kappa compares a whole group of raters who each rated the
same subjects, treating the ratings as categories. Both are 1 for perfect agreement, 0 for
agreement no better than chance, and negative for worse than chance.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SCALE = tuple(range(1, 8))


def weighted_kappa(
    first: Sequence[int], second: Sequence[int], categories: Sequence[int] = SCALE
) -> float | None:
    """Quadratic-weighted Cohen's kappa of two raters' paired ratings.

    None when it is undefined: no pairs, or both raters always gave one and the same value
    (chance agreement is then total and kappa divides zero by zero).
    """
    if len(first) != len(second):
        raise ValueError("both raters must rate the same subjects")
    if not first:
        return None
    index = {c: i for i, c in enumerate(categories)}
    k = len(categories)
    observed = np.zeros((k, k))
    for a, b in zip(first, second, strict=True):
        observed[index[a], index[b]] += 1
    observed /= observed.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    i, j = np.indices((k, k))
    weights = (i - j) ** 2 / (k - 1) ** 2
    chance = float((weights * expected).sum())
    if chance == 0.0:
        return None
    return 1.0 - float((weights * observed).sum()) / chance


def fleiss_kappa(counts: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa from a subjects x categories table of how many raters chose each.

    Every subject must have the same number of raters (at least two). None when chance
    agreement is total (every rating in one category).
    """
    table = np.asarray(counts, dtype=float)
    if table.ndim != 2 or table.shape[0] == 0:
        return None
    raters = table.sum(axis=1)
    if not np.all(raters == raters[0]) or raters[0] < 2:
        raise ValueError("every subject needs the same number of raters, at least two")
    n = raters[0]
    per_subject = ((table * table).sum(axis=1) - n) / (n * (n - 1))
    p_bar = float(per_subject.mean())
    shares = table.sum(axis=0) / table.sum()
    p_e = float((shares * shares).sum())
    if p_e == 1.0:
        return None
    return (p_bar - p_e) / (1.0 - p_e)


def category_counts(
    ratings_per_subject: Sequence[Sequence[int]], categories: Sequence[int] = SCALE
) -> list[list[int]]:
    """The table :func:`fleiss_kappa` reads, from each subject's list of ratings."""
    index = {c: i for i, c in enumerate(categories)}
    table = []
    for ratings in ratings_per_subject:
        row = [0] * len(categories)
        for value in ratings:
            row[index[value]] += 1
        table.append(row)
    return table
