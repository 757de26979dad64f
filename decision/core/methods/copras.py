"""COPRAS: complex proportional assessment (Zavadskas, Kaklauskas & Šarka 1994).

Every column is sum-normalised without mirroring (``n_ij = x_ij / sum_k x_kj`` over available
options, cost columns too), weighted, and split into ``S+_i`` (the sum over benefit criteria)
and ``S-_i`` (over cost criteria). The relative significance is

    Q_i = S+_i + (S-_min * sum_k S-_k) / (S-_i * sum_k (S-_min / S-_k))

over the available options k, and the score is the utility degree ``Q_i / max_k Q_k`` in
(0, 1], higher is better (as pyrepo-mcda's COPRAS; pymcdm 1.4's second term simplifies to
``S-_i`` itself, a known difference, so the cross-check uses pyrepo-mcda).

Domain and conventions: values >= 0 on benefit and > 0 on cost criteria (the ``sum`` domain);
a column of zeros normalises to 1 for every option (the sum convention), adding the same to
everyone. Without a weighted cost criterion (all ``S-`` zero) the second term is 0. When every
available option has ``Q = 0`` (nothing to separate them) each scores 1. The term is computed
from ``S-_min / S-_i`` in (0, 1], so no reciprocal can overflow. Unavailable options take no
part in any sum or minimum and score 0.0.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from decision.core.methods.inputs import (
    FloatArray,
    criteria_dot,
    finish,
    option_extremes,
    prepare,
    quiet_placeholders,
)
from decision.core.methods.normalisation import (
    DOMAINS,
    checked_domain,
    column_scaling,
    out_of_domain,
)


@quiet_placeholders
def copras(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
) -> FloatArray:
    """COPRAS utility degree ``Q / max Q``, shape ``(..., options)``; higher is better."""
    problem = prepare(performance, weights, benefit, available)
    perf, avail = problem.performance, problem.available
    bad = out_of_domain(perf, problem.benefit, "sum")
    perf = checked_domain(bad, perf, avail, "COPRAS", DOMAINS["sum"])
    every = np.ones_like(problem.benefit)
    cs = column_scaling(perf, every, avail, "sum")
    # n = x * scale + offset (offset 1 and scale 0 on a column of zeros): the weights are
    # folded into the scale, so the normalised matrix is never materialised
    w = problem.row_weights
    plus = _folded_dot(cs.values, w * problem.benefit, cs.scale, cs.offset)
    minus = _folded_dot(cs.values, w * ~problem.benefit, cs.scale, cs.offset)
    # minus > 0 for every available option as soon as a cost criterion has weight (cost
    # values are > 0), and all zero otherwise. Sums over the few options are products with a
    # vector of ones (numpy's reduction along a short last axis is several times slower).
    _, low = option_extremes(minus, avail)
    has_cost = low > 0
    safe = np.where(has_cost, minus, 1.0)
    if avail is not None:
        safe = np.where(avail, safe, 1.0)
    ratio = low / safe  # S-_min / S-_i in (0, 1] for available options
    ones = np.ones(problem.n_options)
    if avail is not None:
        ratio = np.where(avail, ratio, 0.0)
        total_minus = np.where(avail, minus, 0.0) @ ones
    else:
        total_minus = minus @ ones
    term = ratio * (total_minus / np.maximum(ratio @ ones, 1.0))[..., None]
    q = plus + np.where(has_cost, term, 0.0)
    top, _ = option_extremes(q, avail)
    utility = np.ones_like(q)
    np.divide(q, top, out=utility, where=np.broadcast_to(top > 0, q.shape))
    return finish(utility, problem)


def _folded_dot(
    values: FloatArray, weights: FloatArray, scale: FloatArray, offset: FloatArray
) -> FloatArray:
    """``sum_j w_j (x_j scale_j + offset_j)`` for ``values (..., options, criteria)``."""
    factor = weights * scale
    out = criteria_dot(values, factor[..., 0, :])
    constant = weights * offset
    if constant.any():
        out += constant.sum(axis=-1)
    return out
