"""Normalisations, input checks and the documented edge-case conventions."""

from __future__ import annotations

import numpy as np
import pytest

from decision.core.methods import promethee_ii, topsis, vikor, weighted_product, weighted_sum
from decision.core.methods.inputs import prepare, tree_reduce
from decision.core.methods.normalisation import normalise
from decision.errors import DecisionError

X = np.array([[1.0, 4.0], [2.0, 2.0], [4.0, 1.0]])
MIXED = np.array([True, False])


def test_each_normalisation_on_benefit_and_cost_columns() -> None:
    np.testing.assert_allclose(normalise(X / 4, MIXED, kind="none"),
                               [[0.25, 0], [0.5, 0.5], [1, 0.75]])
    np.testing.assert_allclose(normalise(X, MIXED, kind="minmax"),
                               [[0, 0], [1 / 3, 2 / 3], [1, 1]])
    np.testing.assert_allclose(normalise(X, MIXED, kind="max"),
                               [[0.25, 0], [0.5, 0.5], [1, 0.75]])
    np.testing.assert_allclose(normalise(X, MIXED, kind="sum"),
                               [[1 / 7, 0.25 / 1.75], [2 / 7, 0.5 / 1.75], [4 / 7, 1 / 1.75]])
    norm = np.sqrt(21.0)
    np.testing.assert_allclose(normalise(X, MIXED, kind="vector"),
                               [[1 / norm, 1 - 4 / norm], [2 / norm, 1 - 2 / norm],
                                [4 / norm, 1 - 1 / norm]])


@pytest.mark.parametrize("kind", ["minmax", "max", "sum", "vector"])
def test_unavailable_options_do_not_move_the_statistics(kind: str) -> None:
    available = np.array([True, False, True])
    masked = normalise(X, MIXED, available, kind=kind)
    removed = normalise(X[available], MIXED, kind=kind)
    np.testing.assert_allclose(masked[available], removed)


@pytest.mark.parametrize("kind", ["minmax", "max", "sum", "vector"])
def test_a_degenerate_column_normalises_to_one(kind: str) -> None:
    x = np.array([[0.0, 2.0], [0.0, 3.0]]) if kind != "minmax" else np.array([[5.0, 2.0],
                                                                                [5.0, 3.0]])
    out = normalise(x, np.array([True, True]), kind=kind)
    np.testing.assert_array_equal(out[:, 0], [1.0, 1.0])
    single = normalise(x, np.array([True, True]), np.array([True, False]), kind="minmax")
    np.testing.assert_array_equal(single[0], [1.0, 1.0])


def test_out_of_domain_values_raise_with_location() -> None:
    with pytest.raises(DecisionError, match=r"sum normalisation cannot use 0 .*option 1"):
        normalise(np.array([[1.0], [0.0]]), np.array([False]), kind="sum")
    with pytest.raises(DecisionError, match="max normalisation cannot use -1"):
        normalise(np.array([[1.0], [-1.0]]), np.array([True]), kind="max")
    # ... but not when the offending option is unavailable.
    out = normalise(np.array([[1.0], [0.0]]), np.array([False]), np.array([True, False]),
                    kind="sum")
    assert out[0, 0] == 1.0


def test_weighted_product_zero_is_a_veto_unless_the_weight_is_zero() -> None:
    x = np.array([[0.0, 0.5], [0.5, 0.5]])
    both = np.array([True, True])
    np.testing.assert_allclose(weighted_product(x, [1, 1], both), [0.0, 0.5])
    np.testing.assert_allclose(weighted_product(x, [0, 1], both), [0.5, 0.5])
    with pytest.raises(DecisionError, match=r"none normalisation cannot use 1.5"):
        weighted_product(np.array([[1.5]]), [1], np.array([False]))
    with pytest.raises(DecisionError, match="weighted product needs normalised values >= 0"):
        weighted_product(np.array([[-1.0], [2.0]]), [1], np.array([True]),
                         normalisation="vector")
    # A negative value of an unavailable option is ignored.
    scores = weighted_product(np.array([[0.5], [1.5]]), [1], np.array([False]),
                              np.array([True, False]))
    np.testing.assert_allclose(scores, [0.5, 0.0])


def test_single_and_no_available_option_conventions() -> None:
    x = np.array([[0.2, 0.9], [0.4, 0.1]])
    one = np.array([True, False])
    none = np.array([False, False])
    assert topsis(x, [1, 1], MIXED, one)[0] == 0.5
    assert vikor(x, [1, 1], MIXED, one)[0] == 1.0
    assert promethee_ii(x, [1, 1], MIXED, one)[0] == 0.0
    for method in (topsis, vikor, promethee_ii, weighted_sum, weighted_product):
        assert np.all(method(x, [1, 1], MIXED, none) == 0.0)


def test_identical_options_get_neutral_scores() -> None:
    x = np.full((3, 2), 0.4)
    np.testing.assert_array_equal(topsis(x, [1, 2], MIXED), [0.5] * 3)
    np.testing.assert_array_equal(vikor(x, [1, 2], MIXED), [1.0] * 3)
    np.testing.assert_array_equal(promethee_ii(x, [1, 2], MIXED), [0.0] * 3)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((np.ones(3), [1], [True]), "shape \\(..., options, criteria\\)"),
        ((np.ones((2, 2)), [1, 1], [1, 0]), "benefit must be a boolean vector"),
        ((np.ones((2, 2)), [1, 1], [1.5, -1]), "True \\(or 1\\) for a benefit"),
        ((np.ones((2, 2)), [1, 1], np.ones((1, 2))), "benefit must be a boolean vector"),
        ((np.ones((2, 2)), [1, 1, 1], [True, True]), "3 weights for 2 criteria"),
        ((np.ones((2, 2)), [-1, 1], [True, True]), "must not be negative"),
        ((np.array([[np.nan, 1.0]]), [1, 1], [True, True]), "NaN or infinity"),
        ((np.ones((3, 2, 2)), np.ones((2, 2)), [True, True]), "do not broadcast"),
    ],
)
def test_bad_inputs_raise_decision_errors(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(DecisionError, match=message):
        prepare(*args)  # type: ignore[arg-type]


def test_bad_availability_mask_raises() -> None:
    with pytest.raises(DecisionError, match="available must be a boolean array"):
        prepare(np.ones((2, 2)), [1, 1], [True, True], [1, 0])


@pytest.mark.parametrize("length", [1, 2, 3, 5, 6, 7, 8, 13, 30])
def test_tree_reduce_equals_numpy(length: int) -> None:
    x = np.random.default_rng(length).random((4, length, 3))
    np.testing.assert_array_equal(tree_reduce(np.maximum, x, -2), x.max(-2, keepdims=True))
    np.testing.assert_array_equal(tree_reduce(np.minimum, x, 1), x.min(1, keepdims=True))


def test_nearly_constant_minmax_columns_stay_accurate() -> None:
    # A column whose range is one ulp of its values: minmax still maps it onto exactly [0, 1].
    a = 1 / 3
    x = np.array([[a, 0.2], [np.nextafter(a, 1.0), 0.7], [a, 0.45]])
    benefit = np.array([True, True])
    np.testing.assert_allclose(weighted_sum(x, [1, 1], benefit, normalisation="minmax"),
                               [0.0, 1.0, 0.25], atol=1e-12)
    # TOPSIS: weighted rows (0, 0), (.5, .5), (0, .25); ideal (.5, .5), anti-ideal (0, 0).
    third = 0.25 / (0.25 + np.sqrt(0.3125))
    np.testing.assert_allclose(topsis(x, [1, 1], benefit, normalisation="minmax"),
                               [0.0, 1.0, third], atol=1e-12)
