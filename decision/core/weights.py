"""Weight normalisation: the one place where criterion weights are scaled to sum to 1.

Every method and the engine call :func:`normalise_weights`, so scaling all weights by any
k > 0 changes nothing downstream.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from decision.errors import DecisionError


def normalise_weights(weights: ArrayLike) -> NDArray[np.float64]:
    """Scale weights ``(..., criteria)`` so each weight vector sums to 1.

    Raises :class:`DecisionError` for negative, non-finite or all-zero weight vectors.
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim == 0:
        raise DecisionError("weights must be a vector", allowed="one weight per criterion")
    if not np.all(np.isfinite(w)):
        raise DecisionError("weights must be finite numbers", allowed="numbers >= 0, not NaN")
    if np.any(w < 0):
        raise DecisionError("weights must not be negative", allowed="numbers >= 0")
    with np.errstate(over="ignore"):  # an overflowing sum is rescaled below
        total = w.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        raise DecisionError("weights are all zero", allowed="at least one weight > 0")
    if np.any(np.isinf(total)):  # finite weights whose sum overflows: scale by the largest first
        w = w / w.max(axis=-1, keepdims=True)
        total = w.sum(axis=-1, keepdims=True)
    result: NDArray[np.float64] = w / total
    return result
