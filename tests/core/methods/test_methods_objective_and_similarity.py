"""Objective weights (entropy, CRITIC) and top-weighted rank similarity (rw, WS): checked
against pymcdm on 600 random tables / ranking pairs each, with masks, batches and conventions."""

from __future__ import annotations

import numpy as np
import pytest

from decision.core.methods.agreement import average_ranks, weighted_spearman, ws_coefficient
from decision.core.methods.objective_weights import critic_weights, entropy_weights
from decision.errors import DecisionError

pymcdm_weights = pytest.importorskip("pymcdm.weights")
correlations = pytest.importorskip("pymcdm.correlations")
COUNT = 600
TOL = 1e-9


def _tables(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    # 3+ options: with two, min-max columns are 0/1 and every correlation is +-1, so CRITIC's
    # information can be 0 everywhere (pymcdm divides by it; we fall back to equal weights)
    return [rng.uniform(0.05, 1.0, (int(rng.integers(3, 12)), int(rng.integers(2, 8))))
            * 10.0 ** rng.uniform(-1, 2) for _ in range(COUNT)]


def test_entropy_weights_match_pymcdm() -> None:
    worst = 0.0
    for x in _tables(1):
        worst = max(worst, float(np.abs(entropy_weights(x) - pymcdm_weights.entropy_weights(x))
                                 .max()))
    assert worst <= TOL


def test_critic_weights_match_pymcdm_on_oriented_tables() -> None:
    rng = np.random.default_rng(2)
    worst = 0.0
    for x in _tables(2):
        benefit = rng.random(x.shape[1]) < 0.6
        expected = pymcdm_weights.critic_weights(np.where(benefit, x, -x))
        worst = max(worst, float(np.abs(critic_weights(x, benefit) - expected).max()))
    assert worst <= TOL


@pytest.mark.parametrize("which", ["entropy", "critic"])
def test_objective_weights_batch_mask_and_conventions(which: str) -> None:
    def weigh(x: np.ndarray, available: np.ndarray | None = None) -> np.ndarray:
        if which == "entropy":
            return entropy_weights(x, available)
        return critic_weights(x, np.arange(x.shape[-1]) % 2 == 0, available)

    rng = np.random.default_rng(3)
    x = rng.uniform(0.1, 1.0, (40, 6, 4))
    available = rng.random((40, 6)) < 0.75
    batch = weigh(x, available)
    assert batch.shape == (40, 4)
    np.testing.assert_allclose(batch.sum(-1), 1.0)
    for k in range(40):
        keep = available[k]
        if keep.sum() >= 1:
            np.testing.assert_allclose(batch[k], weigh(x[k][keep]), atol=1e-12)
    constant = x[0].copy()
    constant[:, 1] = 0.5
    assert weigh(constant)[1] == 0.0
    np.testing.assert_array_equal(weigh(np.full((3, 4), 0.5)), [0.25] * 4)
    np.testing.assert_array_equal(weigh(x[0][:1]), [0.25] * 4)  # one option: equal weights


def test_entropy_refuses_negative_values() -> None:
    with pytest.raises(DecisionError, match="entropy weights cannot use -1"):
        entropy_weights([[1.0, -1.0], [2.0, 3.0]])


def test_rank_similarity_matches_pymcdm_with_ties_and_masks() -> None:
    rng = np.random.default_rng(4)
    x = rng.integers(0, 5, (COUNT, 7)).astype(float)
    y = rng.integers(0, 5, (COUNT, 7)).astype(float)
    available = rng.random((COUNT, 7)) < 0.8
    rw, ws = weighted_spearman(x, y, available), ws_coefficient(x, y, available)
    checked = 0
    for k in range(COUNT):
        keep = available[k]
        if keep.sum() < 2:
            assert rw[k] == 1.0
            continue
        rx, ry = average_ranks(-x[k][keep]), average_ranks(-y[k][keep])
        assert rw[k] == pytest.approx(correlations.weighted_spearman(rx, ry), abs=1e-12)
        assert ws[k] == pytest.approx(correlations.rank_similarity_coef(rx, ry), abs=1e-12)
        checked += 1
    assert checked > 500


def test_rank_similarity_orientation_and_asymmetry() -> None:
    scores = np.array([0.9, 0.5, 0.1, 0.3])
    assert weighted_spearman(scores, scores) == 1.0 and ws_coefficient(scores, scores) == 1.0
    assert weighted_spearman(scores, -scores) == -1.0
    # swapping the top two costs more than swapping the bottom two
    top = np.array([0.5, 0.9, 0.1, 0.3])
    bottom = np.array([0.9, 0.5, 0.3, 0.1])
    assert ws_coefficient(scores, top) < ws_coefficient(scores, bottom)
    assert weighted_spearman(scores, top) < weighted_spearman(scores, bottom)
    other = np.array([0.1, 0.9, 0.5, 0.3])
    assert ws_coefficient(scores, other) != ws_coefficient(other, scores)  # asymmetric
