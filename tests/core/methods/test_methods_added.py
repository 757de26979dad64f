"""WASPAS, COPRAS, EDAS, MABAC, SPOTIS and PROMETHEE I: worked examples, conventions, and the
invariants that PROMETHEE I's partial order keeps.

Worked examples are checked to the printed precision. Where a source's printed result rests on
a convention we do not share, the test says which and checks what survives it.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from methods_cases import Problem, problems

from decision.core.methods import (
    PreferenceFunction,
    copras,
    edas,
    mabac,
    partial_order,
    promethee_details,
    promethee_i,
    promethee_ii,
    score,
    spotis,
    waspas,
    weighted_product,
    weighted_sum,
)
from decision.errors import DecisionError

SETTINGS = settings(max_examples=40, deadline=None)

# ---------------------------------------------------------------------------- worked examples

# WASPAS (Zavadskas, Turskis, Antucheviciene & Zakarevicius 2012), linear normalisation,
# lambda = 0.5: the five-option example as reproduced in JMcDM's test suite (weights sum to 1).
WASPAS_X = np.array([[3, 12.5, 2, 120, 14, 3], [5, 15, 3, 110, 38, 4], [3, 13, 2, 120, 19, 3],
                     [4, 14, 2, 100, 31, 4], [3, 15, 1.5, 125, 40, 4]], dtype=float)
WASPAS_W = [0.221, 0.159, 0.175, 0.127, 0.117, 0.201]
WASPAS_TYPES = [1, -1, -1, 1, -1, 1]


def test_waspas_worked_example() -> None:
    np.testing.assert_allclose(
        waspas(WASPAS_X, WASPAS_W, WASPAS_TYPES),
        [0.805021, 0.775060, 0.770181, 0.796424, 0.788239], atol=5e-7,
    )


def test_waspas_example_with_unnormalised_weights() -> None:
    """Chakraborty & Zavadskas's (2014) eight-option example as printed in pymcdm's docs
    (0.8329, 0.7884, ...) uses weights summing to 1.0155 as they are; we normalise weights, so
    the values are those of the normalised weights, and the ranking is the same."""
    x = np.array([[30, 23, 5, 0.745, 0.745, 1500, 5000], [18, 13, 15, 0.745, 0.745, 1300, 6000],
                  [15, 12, 10, 0.500, 0.500, 950, 7000], [25, 20, 13, 0.745, 0.745, 1200, 4000],
                  [14, 18, 14, 0.255, 0.745, 950, 3500], [17, 15, 9, 0.745, 0.500, 1250, 5250],
                  [23, 18, 20, 0.500, 0.745, 1100, 3000], [16, 8, 14, 0.255, 0.500, 1500, 3000]])
    w = np.array([0.1181, 0.1181, 0.0445, 0.1181, 0.2861, 0.2861, 0.0445])
    printed = np.array([0.8329, 0.7884, 0.6987, 0.8831, 0.7971, 0.7036, 0.8728, 0.5749])
    ours = waspas(x, w, [1, 1, 1, 1, 1, -1, -1])
    np.testing.assert_array_equal(np.argsort(-ours), np.argsort(-printed))
    np.testing.assert_allclose(ours, [0.8277, 0.7837, 0.6953, 0.8772, 0.7923, 0.7001, 0.8671,
                                      0.5729], atol=5e-5)


def test_waspas_ends_are_wsm_and_wpm_exactly() -> None:
    rng = np.random.default_rng(1)
    x, w = rng.uniform(0.1, 1.0, (20, 5, 4)), rng.uniform(0.1, 1.0, (20, 4))
    b = np.array([True, False, True, True])
    a = rng.random((20, 5)) < 0.8
    for kind in ("linear", "minmax", "none"):
        np.testing.assert_array_equal(waspas(x, w, b, a, lam=1.0, normalisation=kind),
                                      weighted_sum(x, w, b, a, normalisation=kind))
        np.testing.assert_array_equal(waspas(x, w, b, a, lam=0.0, normalisation=kind),
                                      weighted_product(x, w, b, a, normalisation=kind))
        blend = waspas(x, w, b, a, lam=0.3, normalisation=kind)
        np.testing.assert_allclose(
            blend, 0.3 * weighted_sum(x, w, b, a, normalisation=kind)
            + 0.7 * weighted_product(x, w, b, a, normalisation=kind), atol=1e-14)


def test_copras_worked_example() -> None:
    """Zavadskas, Kaklauskas & Šarka's COPRAS on the six-option, nine-criterion table printed in
    pymcdm's docs. pymcdm's printed utilities (0.9459, 1.0, ...) come from its second term,
    which simplifies to S-; the published formula (pyrepo-mcda's) gives these."""
    x = np.array([[1543, 2000, 39000, 15, 13.76, 3.86, 5, 3, 5000],
                  [1496, 3600, 43000, 14, 14, 2.5, 4, 4, 4000],
                  [1584, 3100, 24500, 10, 13.1, 3.7, 2, 2, 3500],
                  [1560, 2700, 36000, 12, 13.2, 3.2, 3, 3, 3500],
                  [1572, 2500, 31500, 13, 13.3, 3.4, 3, 2, 3500],
                  [1580, 2400, 20000, 12, 12.8, 3.9, 2, 2, 3000]])
    w = [0.2027, 0.1757, 0.1622, 0.1351, 0.1081, 0.0946, 0.0676, 0.0405, 0.0135]
    types = [-1, -1, -1, 1, 1, -1, 1, 1, 1]
    np.testing.assert_allclose(copras(x, w, types),
                               [1.0, 0.9167, 0.8675, 0.9084, 0.9315, 0.9486], atol=5e-5)


def test_edas_worked_example() -> None:
    """The five-option EDAS example printed in pymcdm's docs, which its tests attribute to Yazdani,
    Torkayesh, Santibanez-Gonzalez & Otaghsara (2020), Sustainable Operations and Computers 1."""
    x = np.array([[3873, 39.55, 0.27, 0.87, 150, 0.07, 12, 2130],
                  [5067, 67.26, 0.23, 0.23, 40, 0.02, 21, 2200],
                  [2213, 24.69, 0.08, 0.17, 200, 0.04, 35, 570],
                  [6243, 132, 0.07, 0.25, 100, 0.04, 16, 100],
                  [8312, 460.47, 0.05, 0.21, 25, 0.1, 25, 200]])
    w = [0.131, 0.113, 0.126, 0.125, 0.126, 0.129, 0.132, 0.117]
    types = [-1, -1, -1, 1, 1, -1, 1, 1]
    np.testing.assert_allclose(edas(x, w, types), [0.841, 0.632, 0.883, 0.457, 0.104],
                               atol=5e-4)


def test_mabac_worked_example() -> None:
    """Pamučar & Ćirović's (2015) MABAC example of seven options as printed in pymcdm's docs."""
    x = np.array([[22600, 3800, 2, 5, 1.06, 3.00, 3.5, 2.8, 24.5, 6.5],
                  [19500, 4200, 3, 2, 0.95, 3.00, 3.4, 2.2, 24, 7.0],
                  [21700, 4000, 1, 3, 1.25, 3.20, 3.3, 2.5, 24.5, 7.3],
                  [20600, 3800, 2, 5, 1.05, 3.25, 3.2, 2.0, 22.5, 11.0],
                  [22500, 3800, 4, 3, 1.35, 3.20, 3.7, 2.1, 23, 6.3],
                  [23250, 4210, 3, 5, 1.45, 3.60, 3.5, 2.8, 23.5, 7.0],
                  [20300, 3850, 2, 5, 0.90, 3.25, 3.0, 2.6, 21.5, 6.0]])
    w = [0.146, 0.144, 0.119, 0.121, 0.115, 0.101, 0.088, 0.068, 0.050, 0.048]
    types = [-1, 1, 1, 1, -1, -1, 1, 1, 1, 1]
    np.testing.assert_allclose(
        mabac(x, w, types), [0.0826, 0.2183, -0.0488, 0.0246, -0.0704, 0.0465, 0.0464],
        atol=5e-5,
    )


def test_spotis_worked_example() -> None:
    """Dezert, Tchamova, Han & Tacnet's (2020) SPOTIS example with declared bounds: D as
    printed (0.1989, ...); our score is 1 - D."""
    x = np.array([[10.5, -3.1, 1.7], [-4.7, 0, 3.4], [8.1, 0.3, 1.3], [3.2, 7.3, -5.3]])
    bounds = [[-5, 12], [-6, 10], [-8, 5]]
    scores = spotis(x, [0.2, 0.3, 0.5], [1, -1, 1], bounds=bounds)
    np.testing.assert_allclose(1.0 - scores, [0.1989, 0.3705, 0.3063, 0.7491], atol=5e-5)
    via_text = score("spotis", x, [0.2, 0.3, 0.5], [1, -1, 1], None,
                     {"bounds": "-5:12,-6:10,-8:5"})
    np.testing.assert_array_equal(via_text, scores)


def test_promethee_i_worked_example() -> None:
    """pymcdm's PROMETHEE I example (usual function): phi+ = (.55, .35, .6), phi- = (.45,
    .65, .4); A3 is preferred to both others and A1 to A2, a complete order here."""
    x = np.array([[4, 3, 2], [3, 2, 4], [5, 1, 3]], dtype=float)
    details = promethee_details(x, [0.5, 0.3, 0.2], np.ones(3, dtype=bool))
    np.testing.assert_allclose(details.positive, [0.55, 0.35, 0.6], atol=1e-12)
    np.testing.assert_allclose(details.negative, [0.45, 0.65, 0.4], atol=1e-12)
    np.testing.assert_allclose(details.net, [0.1, -0.3, 0.2], atol=1e-12)
    np.testing.assert_array_equal(details.preference,
                                  [[False, True, False], [False, False, False],
                                   [True, True, False]])
    assert not details.incomparability.any() and not details.indifference.any()


def test_promethee_i_incomparability() -> None:
    """Usual functions, equal weights: phi+ = (1/2, 1/6, 2/3, 1/3), phi- = (1/2, 2/3, 1/6,
    1/3). A1 is ahead of A4 on phi+ but behind on phi-: PROMETHEE I leaves them incomparable,
    while their net flows (0 and 0) would tie them."""
    x = np.array([[1.0, 3.0], [2.0, 0.0], [3.0, 2.0], [3.0, 0.0]])
    both = np.ones(2, dtype=bool)
    details = promethee_details(x, [0.5, 0.5], both)
    np.testing.assert_allclose(details.positive, [1 / 2, 1 / 6, 2 / 3, 1 / 3], atol=1e-12)
    np.testing.assert_allclose(details.negative, [1 / 2, 2 / 3, 1 / 6, 1 / 3], atol=1e-12)
    expected = np.zeros((4, 4), dtype=bool)
    expected[0, 3] = expected[3, 0] = True
    np.testing.assert_array_equal(details.incomparability, expected)
    assert details.preference[2].sum() == 3  # A3 is preferred to every other option
    order = partial_order("promethee_i", x, [0.5, 0.5], both, None, {"preference": "usual"})
    np.testing.assert_array_equal(order.incomparability, expected)
    with pytest.raises(DecisionError, match="complete ranking"):
        partial_order("topsis", x, [0.5, 0.5], both)


# ---------------------------------------------------------------------------- conventions


def test_spotis_value_scale_is_the_weighted_sum_and_bounds_are_checked() -> None:
    rng = np.random.default_rng(2)
    x, w = rng.random((10, 6, 3)), rng.uniform(0.1, 1.0, (10, 3))
    b = np.array([True, False, True])
    np.testing.assert_allclose(spotis(x, w, b), weighted_sum(x, w, b), atol=1e-15)
    with pytest.raises(DecisionError, match=r"SPOTIS with bounds \[0, 1\].* cannot use 1.5"):
        spotis([[1.5, 0.2, 0.3]], [1, 1, 1], b)
    # ... unless the option is unavailable
    assert spotis([[1.5, 0.2, 0.3], [0.5, 0.5, 0.5]], [1, 1, 1], b, [False, True])[0] == 0.0
    with pytest.raises(DecisionError, match="not an interval"):
        spotis(x, w, b, bounds=[[0, 1], [1, 1], [0, 2]])
    with pytest.raises(DecisionError, match="bounds of shape"):
        spotis(x, w, b, bounds=[[0, 1], [0, 2]])


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"name": "waspas", "lam": 1.5}, "method.lam: .*less than or equal to 1"),
        ({"name": "waspas", "normalisation": "l1"}, "method.normalisation: Input should be"),
        ({"name": "spotis", "bounds": "0:1:2"}, "method.bounds: .*not low:high"),
        ({"name": "spotis", "bounds": [[1, 0]]}, "method.bounds: .*not an interval"),
        ({"name": "copras", "v": 1}, "unknown parameter 'v' for method copras"),
        ({"name": "promethee_i", "preference": "[{"}, "method.preference: .*not valid JSON"),
    ],
)
def test_bad_parameters_of_the_added_methods(spec: dict[str, object], message: str) -> None:
    from decision.core.methods import parse_method

    with pytest.raises(DecisionError, match=message):
        parse_method(spec)


@pytest.mark.parametrize(
    ("function", "values", "message"),
    [
        (copras, [[1.0, 0.0], [2.0, 1.0]], "COPRAS cannot use 0 \\(option 0, criterion 1\\)"),
        (edas, [[1.0, -1.0], [2.0, 1.0]], "EDAS cannot use -1"),
        (waspas, [[1.0, 0.0], [2.0, 1.0]], "linear normalisation cannot use 0"),
    ],
)
def test_values_outside_a_method_domain_are_named(function: object, values: list[list[float]],
                                                  message: str) -> None:
    with pytest.raises(DecisionError, match=message):
        function(np.array(values), [1, 1], [True, False])  # type: ignore[operator]


def test_criterion_types_and_bad_matrices_in_the_python_api() -> None:
    x = np.array([[0.2, 0.9], [0.6, 0.3]])
    for method in (waspas, copras, edas, mabac, spotis, promethee_i):
        np.testing.assert_array_equal(method(x, [1, 1], [1, -1]),
                                      method(x, [1, 1], np.array([True, False])))
        with pytest.raises(DecisionError, match="not a rectangular array"):
            method([[0.1, 0.2], [0.3]], [1, 1], [1, -1])
        with pytest.raises(DecisionError, match="must hold real numbers"):
            method([["a", "b"], ["c", "d"]], [1, 1], [1, -1])
        with pytest.raises(DecisionError, match="benefit must be a boolean vector"):
            method(x, [1, 1], [1, 0])


def test_copras_without_cost_criteria_and_edas_of_identical_options() -> None:
    x = np.array([[1.0, 2.0], [2.0, 2.0], [4.0, 1.0]])
    plus = (x / x.sum(0)) @ np.array([0.5, 0.5])
    np.testing.assert_allclose(copras(x, [1, 1], [True, True]), plus / plus.max())
    # a zero cost weight: no second term either
    np.testing.assert_allclose(copras(x, [1, 0], [True, False]), x[:, 0] / x[:, 0].max())
    np.testing.assert_array_equal(edas(np.full((3, 2), 0.1), [1, 1], [True, False]), [0.5] * 3)
    np.testing.assert_array_equal(copras(np.full((3, 2), 0.1), [1, 1], [True, False]), [1.0] * 3)


# ---------------------------------------------------------------------------- PROMETHEE I


@SETTINGS
@given(problem=problems(min_options=1), data=st.data())
def test_promethee_i_order_is_consistent_and_exclusive(problem: Problem,
                                                       data: st.DataObject) -> None:
    """Exactly one of P(a, b), P(b, a), I(a, b), R(a, b) holds for two available options; the
    net flow never contradicts a strict preference; net = sum_j w_j phi_j; the net flow is
    PROMETHEE II's to the bit; permuting options permutes everything."""
    x, w, b, a = problem.performance, problem.weights, problem.benefit, problem.available
    d = promethee_details(x, w, b, a)
    pairs = a[:, None] & a[None, :] & ~np.eye(len(a), dtype=bool)
    total = (d.preference.astype(int) + d.preference.T + d.indifference + d.incomparability)
    np.testing.assert_array_equal(total, pairs.astype(int))
    np.testing.assert_array_equal(d.indifference, d.indifference.T)
    np.testing.assert_array_equal(d.incomparability, d.incomparability.T)
    rows, cols = np.nonzero(d.preference)
    assert np.all(d.net[rows] > d.net[cols] - 1e-12)
    np.testing.assert_array_equal(d.net, promethee_ii(x, w, b, a))
    np.testing.assert_array_equal(promethee_i(x, w, b, a), d.net)
    np.testing.assert_allclose(d.criterion_net @ (w / w.sum()), d.net, atol=1e-12)
    np.testing.assert_allclose(d.positive - d.negative, d.net, atol=1e-12)
    order = np.array(data.draw(st.permutations(range(len(a)))), dtype=np.intp)
    p = promethee_details(x[order], w, b, a[order])
    np.testing.assert_array_equal(p.incomparability, d.incomparability[np.ix_(order, order)])
    np.testing.assert_array_equal(p.preference, d.preference[np.ix_(order, order)])
    np.testing.assert_allclose(p.positive, d.positive[order], atol=1e-12)


@SETTINGS
@given(problem=problems(min_available=1))
def test_promethee_i_masking_equals_removal(problem: Problem) -> None:
    keep = problem.available
    masked = promethee_details(problem.performance, problem.weights, problem.benefit, keep)
    removed = promethee_details(problem.performance[keep], problem.weights, problem.benefit)
    np.testing.assert_allclose(masked.positive[keep], removed.positive, atol=1e-12)
    np.testing.assert_allclose(masked.criterion_net[keep], removed.criterion_net, atol=1e-12)
    np.testing.assert_array_equal(masked.incomparability[np.ix_(keep, keep)],
                                  removed.incomparability)
    assert not masked.preference[~keep].any() and not masked.preference[:, ~keep].any()
    assert np.all(masked.positive[~keep] == 0.0)


def test_promethee_details_batch_equals_loop() -> None:
    rng = np.random.default_rng(3)
    x, w = rng.random((30, 5, 3)), rng.uniform(0.1, 1.0, (30, 3))
    b = np.array([True, False, True])
    a = rng.random((30, 5)) < 0.8
    prefs = [PreferenceFunction("linear", q=0.05, p=0.3), PreferenceFunction("usual"),
             PreferenceFunction("gaussian", s=0.2)]
    batch = promethee_details(x, w, b, a, preference=prefs)
    for k in range(30):
        one = promethee_details(x[k], w[k], b, a[k], preference=prefs)
        np.testing.assert_array_equal(batch.positive[k], one.positive)
        np.testing.assert_array_equal(batch.criterion_net[k], one.criterion_net)
        np.testing.assert_array_equal(batch.incomparability[k], one.incomparability)


def test_edas_column_one_ulp_from_constant_counts_as_constant() -> None:
    """Found by hypothesis: with one value 1 ulp above the rest, the rounding of the average
    decided the sign of every deviation, and NSP/NSN scaled it to whole points, so permuting
    the options changed the scores. Such a column now has no deviation: all options tie."""
    x = np.full((5, 4), 0.01)
    x[2, 3] = np.nextafter(0.01, 1.0)
    weights, benefit = np.array([0.5, 0.0, 0.0, 1.0]), np.zeros(4, dtype=bool)
    available = np.array([False, True, True, True, True])
    order = np.array([0, 1, 3, 2, 4])
    scores = edas(x, weights, benefit, available)
    np.testing.assert_array_equal(scores, [0.0, 0.5, 0.5, 0.5, 0.5])
    np.testing.assert_array_equal(edas(x[order], weights, benefit, available[order]), scores[order])
    x[2, 3] = 0.0101  # a real difference still counts: the cost option above average loses
    assert edas(x, weights, benefit, available)[2] < 0.5
