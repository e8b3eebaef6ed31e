"""Kappa as an FTO coordinator reads it, checked against values worked by hand and the
published worked examples (Fleiss 1971 as reproduced on Wikipedia's "Fleiss' kappa" page;
Cohen's kappa's 50-proposal example on Wikipedia's "Cohen's kappa" page)."""

from __future__ import annotations

import pytest

from scoring.agreement import category_counts, fleiss_kappa, weighted_kappa

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories.
FLEISS_EXAMPLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_matches_the_published_worked_example() -> None:
    assert fleiss_kappa(FLEISS_EXAMPLE) == pytest.approx(0.210, abs=0.0005)


def test_cohen_example_two_categories_quadratic_weights_equal_plain_kappa() -> None:
    # Wikipedia, "Cohen's kappa": 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> 0.4.
    first = [1] * 20 + [1] * 5 + [2] * 10 + [2] * 15
    second = [1] * 20 + [2] * 5 + [1] * 10 + [2] * 15
    assert weighted_kappa(first, second, categories=(1, 2)) == pytest.approx(0.4)


def test_weighted_kappa_worked_by_hand_on_the_seven_point_scale() -> None:
    # Pairs (1,1), (2,2), (3,2) on the scale 1-3, weights (i-j)^2/4: observed weighted
    # disagreement = (1/3)(1/4) = 1/12; marginals A = (1/3, 1/3, 1/3), B = (1/3, 2/3, 0);
    # expected = (1/9)(0 + 1/4 + 1) + (2/9)(1/4 + 0 + 1/4) = 1/4; kappa = 1 - (1/12)/(1/4)
    # = 2/3. On the 1-7 scale every weight shrinks by the same factor, so kappa is unchanged.
    assert weighted_kappa([1, 2, 3], [1, 2, 2]) == pytest.approx(2 / 3)
    assert weighted_kappa([1, 2, 3], [1, 2, 2], categories=(1, 2, 3)) == pytest.approx(2 / 3)


def test_near_misses_cost_less_than_far_misses() -> None:
    near = weighted_kappa([2, 4, 6, 4], [3, 4, 5, 4])
    far = weighted_kappa([2, 4, 6, 4], [6, 4, 2, 4])
    assert near is not None and far is not None
    assert near > 0.5 > far


def test_perfect_agreement_is_one_and_constant_raters_are_undefined() -> None:
    assert weighted_kappa([1, 4, 7], [1, 4, 7]) == pytest.approx(1.0)
    assert weighted_kappa([4, 4], [4, 4]) is None
    assert weighted_kappa([], []) is None
    assert fleiss_kappa(category_counts([[4, 4], [4, 4]])) is None


def test_fleiss_refuses_subjects_with_different_numbers_of_raters() -> None:
    with pytest.raises(ValueError, match="same number of raters"):
        fleiss_kappa(category_counts([[4, 4, 5], [4, 4]]))
