"""Kendall's tau-b and Spearman's rho, batched, with ties, masks and conventions."""

from __future__ import annotations

import numpy as np
import pytest

from decision.core.methods.agreement import average_ranks, kendall_tau, spearman_rho
from decision.errors import DecisionError

stats = pytest.importorskip("scipy.stats")  # a reference only (installed with pymcdm)


def test_matches_scipy_with_ties_and_masks() -> None:
    rng = np.random.default_rng(2)
    x = rng.integers(0, 4, (600, 8)).astype(float)
    y = rng.integers(0, 4, (600, 8)).astype(float)
    available = rng.random((600, 8)) < 0.8
    tau, rho = kendall_tau(x, y), spearman_rho(x, y)
    tau_m, rho_m = kendall_tau(x, y, available), spearman_rho(x, y, available)
    checked = 0
    for k in range(600):
        keep = available[k]
        for got_tau, got_rho, xs, ys in ((tau[k], rho[k], x[k], y[k]),
                                         (tau_m[k], rho_m[k], x[k][keep], y[k][keep])):
            if len(xs) < 2 or np.ptp(xs) == 0 or np.ptp(ys) == 0:
                continue
            assert got_tau == pytest.approx(stats.kendalltau(xs, ys).statistic, abs=1e-12)
            assert got_rho == pytest.approx(stats.spearmanr(xs, ys).statistic, abs=1e-12)
            checked += 1
    assert checked > 1000


def test_without_ties_tau_matches_pymcdm() -> None:
    correlations = pytest.importorskip("pymcdm.correlations")
    rng = np.random.default_rng(4)
    x, y = rng.random((200, 6)), rng.random((200, 6))
    tau, rho = kendall_tau(x, y), spearman_rho(x, y)
    for k in range(200):
        rx, ry = average_ranks(x[k]), average_ranks(y[k])
        assert tau[k] == pytest.approx(correlations.kendall_tau(rx, ry), abs=1e-12)
        assert rho[k] == pytest.approx(correlations.spearman(rx, ry), abs=1e-12)


def test_identical_reversed_and_orientation() -> None:
    x = np.array([0.3, 0.1, 0.9, 0.5])
    assert kendall_tau(x, x) == 1.0 and spearman_rho(x, x) == 1.0
    assert kendall_tau(x, -x) == -1.0 and spearman_rho(x, -x) == -1.0
    # Scores and ranks of the same ordering agree when oriented alike.
    assert kendall_tau(x, average_ranks(x)) == 1.0


def test_undefined_cases_follow_the_convention() -> None:
    assert kendall_tau([1, 1, 1], [1, 2, 3]) == 0.0
    assert spearman_rho([1, 2, 3], [5, 5, 5]) == 0.0
    assert kendall_tau([2, 2], [7, 7]) == 1.0
    assert spearman_rho([4.0], [1.0]) == 1.0
    masked = kendall_tau([1, 2, 3], [3, 2, 1], np.array([True, False, False]))
    assert masked == 1.0


def test_average_ranks_with_ties_and_mask() -> None:
    np.testing.assert_array_equal(average_ranks([3, 1, 3, 2]), [3.5, 1, 3.5, 2])
    np.testing.assert_array_equal(
        average_ranks([3, 1, 3, 2], np.array([True, False, True, True])), [2.5, 0, 2.5, 1]
    )


def test_broadcasting_gives_a_method_by_method_matrix() -> None:
    scores = np.random.default_rng(0).random((5, 3, 7))  # (samples, methods, options)
    matrix = kendall_tau(scores[:, :, None, :], scores[:, None, :, :])
    assert matrix.shape == (5, 3, 3)
    np.testing.assert_allclose(np.diagonal(matrix, axis1=1, axis2=2), 1.0)
    np.testing.assert_allclose(matrix, np.swapaxes(matrix, 1, 2))


def test_bad_inputs() -> None:
    with pytest.raises(DecisionError, match="do not match"):
        kendall_tau([1, 2], [1, 2, 3])
    with pytest.raises(DecisionError, match="NaN"):
        spearman_rho([1, np.nan], [1, 2])
