"""Weighted sum (additive value) and weighted product aggregation.

Both score each option from its own normalised row, so with ``normalisation="none"`` they are
absolute methods: an option's score does not depend on the other options (performance is then
read as a 0-1 value scale, cost criteria as ``1 - x``). With any other normalisation the column
statistics come from available options only (see :mod:`decision.methods.normalisation`).
Unavailable options score 0.0.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from decision.errors import DecisionError
from decision.methods.inputs import FloatArray, criteria_dot, finish, first_violation, prepare
from decision.methods.normalisation import Normalisation, column_scaling


def weighted_sum(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    *,
    normalisation: Normalisation = "none",
) -> FloatArray:
    """Score ``sum_j w_j * n_ij`` of the normalised matrix ``n``; shape ``(..., options)``.

    The weights are folded into the column scaling, so the whole method is one batched
    matrix-vector product over the raw performance.
    """
    problem = prepare(performance, weights, benefit, available)
    cs = column_scaling(problem.performance, problem.benefit, problem.available, normalisation)
    w = problem.row_weights
    # sum_j w_j ((x_j - shift_j) scale_j + offset_j)
    #   = x . (w scale) + sum_j w_j (offset_j - shift_j scale_j)
    scores = criteria_dot(cs.values, (w * cs.scale)[..., 0, :])
    scores += (w * (cs.offset - cs.shift * cs.scale)).sum(axis=-1)
    return finish(scores, problem)


def weighted_product(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    *,
    normalisation: Normalisation = "none",
) -> FloatArray:
    """Score ``prod_j n_ij ** w_j`` of the normalised matrix ``n``; shape ``(..., options)``.

    Zero values (documented convention): a normalised value of 0 on a criterion with positive
    weight makes the score 0 (a veto: e.g. the worst option on any criterion under minmax, or
    a cost criterion at 1 under "none"); on a zero-weight criterion it is ignored (0**0 = 1).
    Negative normalised values of available options raise :class:`DecisionError`.
    """
    problem = prepare(performance, weights, benefit, available)
    cs = column_scaling(problem.performance, problem.benefit, problem.available, normalisation)
    values = cs.apply()
    if values.min() < 0:
        bad = values < 0
        if problem.available is not None:
            np.copyto(values, 1.0, where=bad & ~problem.available[..., None])
            bad &= problem.available[..., None]
        if bad.any():
            raise DecisionError(
                f"weighted product needs normalised values >= 0, got "
                f"{values[tuple(np.argwhere(bad)[0])]:g} ({first_violation(bad)})",
                allowed="performance in [0, 1] with normalisation 'none', or non-negative "
                "values with minmax, max, sum or vector",
            )
    # prod_j n_j ** w_j = exp(sum_j w_j log n_j); log 0 = -inf gives the veto, and 0**0 = 1 is
    # kept by reading zero-weight columns as 1.
    zero_weight = problem.weights == 0
    if zero_weight.any():
        np.copyto(values, 1.0, where=zero_weight[..., None, :])
    with np.errstate(divide="ignore"):
        np.log(values, out=values)
    scores = np.exp(criteria_dot(values, problem.weights))
    return finish(scores, problem)
