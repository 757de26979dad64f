"""TOPSIS: closeness to the ideal point, relative to the anti-ideal point.

Columns are normalised (``vector``, the classic Hwang & Yoon choice and the default, or
``minmax``), weighted, and each available option's Euclidean distances ``D+`` to the positive
ideal and ``D-`` to the negative ideal (per-column best and worst over available options) give
the closeness ``D- / (D+ + D-)`` in [0, 1].

Conventions: when ``D+ + D- = 0`` (every available option is identical after weighting, e.g. a
single available option or all-constant columns) the closeness is 0.5, the midpoint. A
constant column puts every option at the same coordinate and so adds nothing to either
distance. Unavailable options score 0.0 and do not move the ideal points.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from decision.methods.inputs import FloatArray, column_max, column_min, finish, prepare
from decision.methods.normalisation import column_scaling

TopsisNormalisation = Literal["vector", "minmax"]


def topsis(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    *,
    normalisation: TopsisNormalisation = "vector",
) -> FloatArray:
    """TOPSIS closeness coefficients, shape ``(..., options)``; higher is better."""
    problem = prepare(performance, weights, benefit, available)
    cs = column_scaling(problem.performance, problem.benefit, problem.available, normalisation)
    # Distances to the ideal points do not change when a column moves by a constant, so the
    # column shift and offset are skipped: one pass applies the weighted scale.
    weighted = cs.values * (problem.row_weights * cs.scale)
    d_plus = _distance(weighted, column_max(weighted, problem.available))
    d_minus = _distance(weighted, column_min(weighted, problem.available))
    total = d_plus + d_minus
    closeness = np.full_like(total, 0.5)
    np.divide(d_minus, total, out=closeness, where=total > 0)
    return finish(closeness, problem)


def _distance(weighted: FloatArray, ideal: FloatArray) -> FloatArray:
    """Euclidean distance of each option row to the ideal row, shape ``(..., options)``."""
    diff = weighted - ideal
    squared: FloatArray = np.einsum("...c,...c->...", diff, diff)
    return np.sqrt(squared)
