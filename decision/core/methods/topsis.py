"""TOPSIS: closeness to the ideal point, relative to the anti-ideal point.

Columns are normalised (``vector``, the classic Hwang & Yoon choice and the default, or
``minmax``), weighted, and each available option's Euclidean distances ``D+`` to the positive
ideal and ``D-`` to the negative ideal (per-column best and worst over available options) give
the closeness ``D- / (D+ + D-)`` in [0, 1]. Cost columns are mirrored by the normalisation
(pymcdm's ``1 - r``), which leaves every distance as in the textbook form whose ideal takes
the column minimum.

Conventions: when ``D+ + D- = 0`` (every available option is identical after weighting, e.g. a
single available option or all-constant columns) the closeness is 0.5, the midpoint. A
constant column puts every option at the same coordinate and so adds nothing to either
distance. Unavailable options score 0.0 and do not move the ideal points.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from decision.core.methods.inputs import (
    FloatArray,
    column_extremes,
    finish,
    prepare,
    quiet_placeholders,
)
from decision.core.methods.normalisation import column_scaling

TopsisNormalisation = Literal["vector", "minmax"]


@quiet_placeholders
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
    # Scaling is monotone, so the ideal points are the scaled column extremes of the values
    # (exactly: rounding is monotone too), which minmax has already computed.
    if cs.high is None or cs.low is None:
        high, low = column_extremes(cs.values, problem.available)
    else:
        high, low = cs.high, cs.low
    # Distances do not change when a column moves by a constant, so offsets are skipped, and
    # so are shifts unless skipping them would cost accuracy.
    values = cs.values
    if not cs.foldable:
        values, high, low = values - cs.shift, high - cs.shift, low - cs.shift
    factor = problem.row_weights * cs.scale
    weighted = values * factor
    rising = factor >= 0
    positive = np.where(rising, high, low) * factor
    negative = np.where(rising, low, high) * factor
    scratch = np.empty_like(weighted)
    d_plus = _distance(weighted, positive, scratch)
    d_minus = _distance(weighted, negative, scratch)
    total = d_plus + d_minus
    closeness = np.full_like(total, 0.5)
    np.divide(d_minus, total, out=closeness, where=total > 0)
    return finish(closeness, problem)


def _distance(weighted: FloatArray, ideal: FloatArray, scratch: FloatArray) -> FloatArray:
    """Euclidean distance of each option row to the ideal row, shape ``(..., options)``."""
    diff = np.subtract(weighted, ideal, out=scratch)
    squared: FloatArray = np.einsum("...c,...c->...", diff, diff)
    return np.sqrt(squared)
