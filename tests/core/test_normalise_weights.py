"""normalise_weights: sums to 1 and is scale-invariant, also where the plain sum overflows."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from decision.core.weights import normalise_weights

_positive = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False)


def test_weights_whose_sum_overflows_keep_their_proportions() -> None:
    """1.5e308 twice overflows to inf: before, every weight came out 0."""
    w = normalise_weights([1.5e308, 1.5e308, 0.75e308])
    assert np.allclose(w, [0.4, 0.4, 0.2], rtol=0, atol=1e-15)
    assert np.isclose(w.sum(), 1.0)


@given(st.lists(_positive, min_size=1, max_size=8), st.sampled_from([1e-300, 1.0, 1e300, 1.7e308]))
def test_scaling_every_weight_changes_nothing(weights: list[float], k: float) -> None:
    w = np.asarray(weights)
    scaled = (w / w.max()) * k  # the largest weight is k: near overflow at 1.7e308
    expected = w / w.sum()
    got = normalise_weights(scaled)
    assert np.all(np.isfinite(got))
    assert np.allclose(got, expected, rtol=1e-12, atol=0)


def test_batched_rows_are_normalised_independently() -> None:
    w = normalise_weights([[1.0, 3.0], [1.7e308, 1.7e308]])
    assert np.allclose(w, [[0.25, 0.75], [0.5, 0.5]], rtol=0, atol=1e-15)
