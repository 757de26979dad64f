"""EDAS: evaluation based on distance from the average solution (Keshavarz Ghorabaee et al. 2015).

For the average ``AV_j`` of each column over the ``m`` available options, the positive and
negative distances from average are ``PDA_ij = max(0, (x_ij - AV_j) / AV_j)`` and ``NDA_ij =
max(0, (AV_j - x_ij) / AV_j)`` on benefit criteria (swapped on cost criteria); ``SP_i = sum_j
w_j PDA_ij``, ``SN_i = sum_j w_j NDA_ij``, ``NSP = SP / max SP``, ``NSN = 1 - SN / max SN``
and the appraisal score is ``AS = (NSP + NSN) / 2`` in [0, 1], higher is better (pymcdm's and
pyrepo-mcda's EDAS).

Domain and conventions: values >= 0 (the average must be positive for the ratios to keep
their sign). ``(x - AV) / AV`` is computed as ``m * x / sum(x) - 1`` through the ``sum``
normalisation, which rescales extreme columns exactly, so a column of 1e300s or of subnormals
gives the same result as its ordinary equivalent. A column that is constant over the available
options (all zeros included), or whose spread is within the rounding of its average (at most
``ROUNDING * m`` times its largest value), has no distance from it: PDA = NDA = 0 exactly. Without
that, a column one ulp from constant gives deviations of rounding size whose sign depends on the
order of the sum, and NSP and NSN scale them up to whole points (a permutation of the options
then changed the scores: hypothesis found it). When no option is above the average on a
weighted criterion (every SP is 0) NSP is 0, and when none is below, NSN is 1, so identical
options all score 0.5.
Unavailable options take no part in the averages or maxima and score 0.0.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from decision.core.methods.inputs import (
    FloatArray,
    column_extremes,
    criteria_dot,
    finish,
    option_extremes,
    prepare,
    quiet_placeholders,
)
from decision.core.methods.normalisation import checked_domain, column_scaling, out_of_domain

#: Relative spread, per available option, below which a column counts as constant (a few ulps
#: per term of the average's sum).
ROUNDING = 4 * float(np.finfo(np.float64).eps)


@quiet_placeholders
def edas(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
) -> FloatArray:
    """EDAS appraisal scores ``AS``, shape ``(..., options)``; higher is better."""
    problem = prepare(performance, weights, benefit, available)
    perf, avail = problem.performance, problem.available
    every = np.ones_like(problem.benefit)
    perf = checked_domain(out_of_domain(perf, every, "max"), perf, avail, "EDAS", "values >= 0")
    # x / sum(x) over available options (every column as a benefit one)
    cs = column_scaling(perf, every, avail, "sum")
    share = cs.apply()
    count: FloatArray | float = float(problem.n_options)
    if avail is not None:
        count = np.maximum(avail.sum(axis=-1), 1)[..., None, None].astype(np.float64)
    share *= count
    share -= 1.0  # (x - AV) / AV
    high, low = column_extremes(perf, avail)
    constant = (high - low) <= ROUNDING * count * np.abs(high)
    if constant.any():
        np.copyto(share, 0.0, where=np.broadcast_to(constant, share.shape))
    # With the orientation s_j = +-1: SP + SN = sum_j w_j |d_j| and SP - SN = sum_j w_j s_j d_j,
    # two products instead of masking positive and negative parts (an option with no
    # deviation on one side gets exactly 0 there: the two sums are then exact negatives).
    w = problem.weights
    spread = criteria_dot(np.abs(share), w)
    lead = criteria_dot(share, w * np.where(problem.benefit, 1.0, -1.0))
    sp = spread + lead
    sp *= 0.5
    sn = spread - lead
    sn *= 0.5
    top_sp, _ = option_extremes(sp, avail)
    top_sn, _ = option_extremes(sn, avail)
    nsp = np.zeros_like(sp)
    np.divide(sp, top_sp, out=nsp, where=np.broadcast_to(top_sp > 0, sp.shape))
    nsn = np.zeros_like(sn)
    np.divide(sn, top_sn, out=nsn, where=np.broadcast_to(top_sn > 0, sn.shape))
    score = nsp - nsn
    score += 1.0
    score *= 0.5
    return finish(score, problem)
