"""MABAC: distance of each option from the border approximation area (Pamučar & Ćirović 2015).

Columns are min-max normalised over available options (``n`` in [0, 1], cost columns mirrored),
weighted as ``V_ij = w_j (n_ij + 1)``; the border approximation area of a column is the
geometric mean of ``V`` over the ``m`` available options, ``G_j = w_j (prod_i (n_ij + 1)) **
(1/m)``, and the score is ``S_i = sum_j (V_ij - G_j)``: positive above the border, negative
below, higher is better. This is pymcdm's and pyrepo-mcda's MABAC with min-max normalisation.

Conventions: a constant column (or a single available option) normalises to 1 (the min-max
convention), so ``V = G`` there and it adds nothing. The geometric mean is computed as
``exp(mean(log1p(n)))``, which differs from the product form by rounding only. Unavailable
options take no part in ``G`` and score 0.0.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from decision.core.methods.inputs import (
    FloatArray,
    criteria_dot,
    finish,
    prepare,
    quiet_placeholders,
)
from decision.core.methods.normalisation import column_scaling


@quiet_placeholders
def mabac(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
) -> FloatArray:
    """MABAC scores ``S``, shape ``(..., options)``; higher is better."""
    problem = prepare(performance, weights, benefit, available)
    cs = column_scaling(problem.performance, problem.benefit, problem.available, "minmax")
    values = cs.apply()  # n in [0, 1]
    with np.errstate(divide="ignore"):  # an unavailable placeholder may normalise to -1
        logs = np.log1p(values)
    count: FloatArray | float = float(problem.n_options)
    if problem.available is not None:
        # placeholders of unavailable options may normalise below -1 (log1p is then NaN)
        np.copyto(logs, 0.0, where=~problem.available[..., None])
        count = np.maximum(problem.available.sum(axis=-1), 1)[..., None, None].astype(np.float64)
    border: FloatArray = np.add.reduce(logs, axis=-2, keepdims=True)
    border /= count
    np.exp(border, out=border)  # (..., 1, criteria): geometric mean of n + 1
    # S_i = sum_j w_j (n_ij + 1 - g_j)
    values += 1.0
    values -= border
    return finish(criteria_dot(values, problem.weights), problem)
