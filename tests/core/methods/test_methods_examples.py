"""Published worked examples, checked to the printed precision."""

from __future__ import annotations

import numpy as np

from decision.core.methods import promethee_ii, score, topsis, vikor, vikor_details

# Tzeng & Huang (2011), Multiple Attribute Decision Making, TOPSIS example T1.
T1 = np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], dtype=float)
T1_WEIGHTS = np.array([0.3, 0.4, 0.3])
ALL_BENEFIT = np.ones(3, dtype=bool)

# The pymcdm TOPSIS / VIKOR documentation example: criteria [cost, benefit].
SMALL = np.array([[1, 3000], [2, 3750], [5, 4500]], dtype=float)
SMALL_BENEFIT = np.array([False, True])
SMALL_WEIGHTS = np.array([0.5, 0.5])


def test_topsis_vector_tzeng_huang() -> None:
    closeness = topsis(T1, T1_WEIGHTS, ALL_BENEFIT, normalisation="vector")
    np.testing.assert_allclose(closeness, [0.5037, 0.6581, 0.7482, 0.3340], atol=5e-5)


def test_topsis_minmax_cost_and_benefit() -> None:
    closeness = topsis(SMALL, SMALL_WEIGHTS, SMALL_BENEFIT, normalisation="minmax")
    np.testing.assert_allclose(closeness, [0.500, 0.617, 0.500], atol=5e-4)


def test_promethee_ii_usual_net_flows() -> None:
    x = np.array([[4, 3, 2], [3, 2, 4], [5, 1, 3]], dtype=float)
    flows = promethee_ii(x, [0.5, 0.3, 0.2], ALL_BENEFIT)
    np.testing.assert_allclose(flows, [0.1, -0.3, 0.2], atol=1e-12)


def test_vikor_cost_benefit_example() -> None:
    details = vikor_details(SMALL, SMALL_WEIGHTS, SMALL_BENEFIT, v=0.5)
    np.testing.assert_allclose(details.S, [0.5, 0.375, 0.5], atol=1e-12)
    np.testing.assert_allclose(details.R, [0.5, 0.25, 0.5], atol=1e-12)
    np.testing.assert_allclose(details.Q, [1.0, 0.0, 1.0], atol=1e-12)
    assert details.acceptable_advantage and details.acceptable_stability
    np.testing.assert_array_equal(details.compromise, [False, True, False])  # {A2}
    np.testing.assert_allclose(vikor(SMALL, SMALL_WEIGHTS, SMALL_BENEFIT), [0.0, 1.0, 0.0],
                               atol=1e-12)


def test_vikor_tzeng_huang_matrix() -> None:
    # By hand: f* = (8, 8, 8), f- = (5, 4, 4); S = (.6, .3, .15, .65), R = (.3, .2, .15, .4);
    # Q = (.75, .25, 0, 1). DQ = 1/3 and Q(A2) - Q(A3) = .25 < DQ, so C1 fails and the
    # compromise set is every option within DQ of A3: {A2, A3}. C2 holds (A3 is best by S and R).
    details = vikor_details(T1, T1_WEIGHTS, ALL_BENEFIT, v=0.5)
    np.testing.assert_allclose(details.S, [0.6, 0.3, 0.15, 0.65], atol=1e-12)
    np.testing.assert_allclose(details.R, [0.3, 0.2, 0.15, 0.4], atol=1e-12)
    np.testing.assert_allclose(details.Q, [0.75, 0.25, 0.0, 1.0], atol=1e-12)
    assert not details.acceptable_advantage
    assert details.acceptable_stability
    np.testing.assert_array_equal(details.compromise, [False, True, True, False])


def test_registry_reproduces_the_examples() -> None:
    np.testing.assert_allclose(
        score("topsis", T1, T1_WEIGHTS, ALL_BENEFIT, None, {"normalisation": "vector"}),
        [0.5037, 0.6581, 0.7482, 0.3340], atol=5e-5,
    )
    np.testing.assert_allclose(
        score("vikor", SMALL, SMALL_WEIGHTS, SMALL_BENEFIT, None, {"v": 0.5}), [0, 1, 0],
        atol=1e-12,
    )
