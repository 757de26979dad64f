"""Weighted sum (additive value) and weighted product aggregation.

Both score each option from its own normalised row, so with ``normalisation="none"`` they are
absolute methods: an option's score does not depend on the other options (performance is then
read as a 0-1 value scale, cost criteria as ``1 - x``). With any other normalisation the column
statistics come from available options only (see :mod:`decision.core.methods.normalisation`).
Unavailable options score 0.0.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from decision.core.methods.inputs import (
    BoolArray,
    FloatArray,
    Problem,
    criteria_dot,
    finish,
    first_violation,
    prepare,
    quiet_placeholders,
)
from decision.core.methods.normalisation import ColumnScaling, Normalisation, column_scaling
from decision.errors import DecisionError


@quiet_placeholders
def weighted_sum(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    *,
    normalisation: Normalisation = "none",
) -> FloatArray:
    """Score ``sum_j w_j * n_ij`` of the normalised matrix ``n``; shape ``(..., options)``.

    The weights are folded into the column scaling, so the whole method is usually one
    batched matrix-vector product over the raw performance (see ``ColumnScaling.foldable``).
    """
    problem = prepare(performance, weights, benefit, available)
    cs = column_scaling(problem.performance, problem.benefit, problem.available, normalisation)
    if not cs.foldable:  # nearly constant minmax columns: normalise first, for accuracy
        return finish(criteria_dot(cs.apply(), problem.weights), problem)
    w = problem.row_weights
    # sum_j w_j ((x_j - shift_j) scale_j + offset_j)
    #   = x . (w scale) + sum_j w_j (offset_j - shift_j scale_j)
    scores = criteria_dot(cs.values, (w * cs.scale)[..., 0, :])
    constant = cs.offset - cs.shift * cs.scale
    if constant.ndim == 1:
        scores += w @ constant
    else:
        scores += np.einsum("...oc,...oc->...o", *np.broadcast_arrays(w, constant))
    return finish(scores, problem)


@quiet_placeholders
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
    A negative normalised value of an available option on a weighted criterion raises
    :class:`DecisionError`. Computed as ``exp(sum_j w_j log n_ij)``.
    """
    problem = prepare(performance, weights, benefit, available)
    cs = column_scaling(problem.performance, problem.benefit, problem.available, normalisation)
    return finish(product_scores(cs, cs.apply(), problem), problem)


def product_scores(cs: ColumnScaling, values: FloatArray, problem: Problem) -> FloatArray:
    """``prod_j n_ij ** w_j`` of the normalised matrix ``values`` (overwritten), ``(..., options)``.

    Shared by WPM and WASPAS; raises for a negative normalised value of an available option
    on a weighted criterion (see :func:`weighted_product`).
    """
    # prod_j n_j ** w_j = exp(sum_j w_j log n_j): log 0 = -inf gives the veto; reading
    # zero-weight columns as 1 keeps 0**0 = 1; a negative n turns its row's score into NaN,
    # which is cheaper to look for afterwards than negative values before.
    zero_weight = problem.weights == 0
    if zero_weight.any():
        np.copyto(values, 1.0, where=zero_weight[..., None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        np.log(values, out=values)
    scores = criteria_dot(values, problem.weights)
    np.exp(scores, out=scores)
    invalid = np.isnan(scores)
    if problem.available is not None:
        invalid &= problem.available  # unavailable rows are set to 0.0 by finish
    if invalid.any():
        _raise_negative(cs.apply(), problem.available, ~zero_weight)
    return scores


def _raise_negative(values: FloatArray, available: BoolArray | None, weighted: BoolArray) -> None:
    """Report the first negative normalised value of an available option on a weighted
    criterion (the way a score becomes NaN here; any other NaN is left to ``finish``)."""
    bad = (values < 0) & weighted[..., None, :]
    if available is not None:
        bad &= available[..., None]
    if not bad.any():
        return
    raise DecisionError(
        f"weighted product needs normalised values >= 0, got "
        f"{values[tuple(np.argwhere(bad)[0])]:g} ({first_violation(bad)})",
        allowed="performance in [0, 1] with normalisation 'none', or non-negative values "
        "with minmax, max, sum or vector",
    )
