"""VIKOR: compromise ranking from group utility S, individual regret R and their blend Q.

For available options, with per-column best ``f*`` and worst ``f-`` over available options,
``d_ij = w_j (f*_j - x_ij) / (f*_j - f-_j)`` (benefit; mirrored for cost), ``S = sum_j d``,
``R = max_j d`` and ``Q = v (S - S*) / (S- - S*) + (1 - v) (R - R*) / (R- - R*)``; lower Q is
better, so the registry score is ``1 - Q`` (in [0, 1], higher is better).

Conventions: a constant column (``f* = f-``) carries no regret (its ``d`` is 0). When all
available options share the same S (or R) that term of Q is 0, so a single available option
has ``Q = 0`` and scores 1. Unavailable options score 0.0 and do not move ``f*``, ``f-``,
``S*``, ``S-``, ``R*`` or ``R-``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from decision.core.methods.inputs import (
    BoolArray,
    FloatArray,
    Problem,
    finish,
    option_extremes,
    prepare,
    quiet_placeholders,
    tree_reduce,
)
from decision.core.methods.normalisation import regret_scaling

#: Absolute tolerance for the compromise conditions, so that rounding never decides them.
TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class VikorDetails:
    """VIKOR's intermediate results, batched; ``(...)`` is the batch shape.

    ``S``, ``R``, ``Q``: ``(..., options)``; for unavailable options S = R = 0.0 and Q = 1.0
    (the worst, so that ``1 - Q`` is the 0.0 score of unavailable options).
    ``acceptable_advantage`` (C1) and ``acceptable_stability`` (C2): ``(...)``.
    ``compromise``: ``(..., options)`` mask of the compromise solution set.
    """

    S: FloatArray  # the method's own symbols, kept upper case
    R: FloatArray
    Q: FloatArray
    acceptable_advantage: BoolArray
    acceptable_stability: BoolArray
    compromise: BoolArray


@quiet_placeholders
def vikor(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    *,
    v: float = 0.5,
) -> FloatArray:
    """VIKOR score ``1 - Q``, shape ``(..., options)``; higher is better.

    ``v`` in [0, 1] is the weight of the group-utility (majority) strategy against the
    individual-regret (veto) strategy.
    """
    problem = prepare(performance, weights, benefit, available)
    _, _, q = _sqr(problem, v)
    q = 1.0 - q
    return finish(q, problem)


@quiet_placeholders
def vikor_details(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    *,
    v: float = 0.5,
) -> VikorDetails:
    """S, R, Q, the two compromise conditions and the compromise set (Opricovic & Tzeng 2004).

    With ``a1`` the best and ``a2`` the second-best option by Q among the ``m`` available ones
    and ``DQ = 1 / (m - 1)``:
    C1 (acceptable advantage): ``Q(a2) - Q(a1) >= DQ``; C2 (acceptable stability): ``a1`` is
    also best by S or by R. The compromise set is ``{a1}`` if both hold; ``{a1, a2}`` if only
    C2 fails; all options with ``Q - Q(a1) < DQ`` if C1 fails.

    Conventions: comparisons allow :data:`TOLERANCE`; options tied with ``a1`` (or ``a2``) are
    treated alike, so the result never depends on option order; with one available option C1
    and C2 hold and the set is that option; with none, both are False and the set is empty.
    """
    problem = prepare(performance, weights, benefit, available)
    s, r, q = _sqr(problem, v)
    shape = problem.output_shape
    s, r, q = (np.broadcast_to(a, shape).copy() for a in (s, r, q))
    avail = (
        np.ones(shape, dtype=np.bool_) if problem.available is None
        else np.broadcast_to(problem.available, shape)
    )
    count = avail.sum(axis=-1)

    # Q is in [0, 1], so 2.0 stands in for "no such option" and keeps differences finite.
    ordered = np.sort(np.where(avail, q, 2.0), axis=-1)
    q1 = ordered[..., 0]
    q2 = ordered[..., 1] if shape[-1] > 1 else np.full_like(q1, 2.0)
    dq = 1.0 / np.maximum(count - 1, 1)

    c1: BoolArray = np.asarray((count >= 1) & ((count == 1) | (q2 - q1 >= dq - TOLERANCE)))
    best_q = avail & (q <= q1[..., None] + TOLERANCE)
    best_s = s <= option_extremes(s, avail)[1] + TOLERANCE
    best_r = r <= option_extremes(r, avail)[1] + TOLERANCE
    c2: BoolArray = np.asarray((best_q & (best_s | best_r)).any(axis=-1))

    near = avail & (q - q1[..., None] < dq[..., None] - TOLERANCE)
    first_two = avail & (q <= q2[..., None] + TOLERANCE)
    compromise = np.where(
        c1[..., None], np.where(c2[..., None], best_q, first_two), near | best_q
    )
    np.copyto(s, 0.0, where=~avail)
    np.copyto(r, 0.0, where=~avail)
    np.copyto(q, 1.0, where=~avail)
    return VikorDetails(s, r, q, c1, c2, compromise)


def _sqr(problem: Problem, v: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """S, R and Q for every option (values of unavailable options are meaningless)."""
    available = problem.available
    cs = regret_scaling(problem.performance, problem.benefit, available)
    regret = cs.values - cs.shift  # offsets are 0: a constant column carries no regret
    regret *= problem.row_weights * cs.scale
    s: FloatArray = regret @ np.ones(problem.n_criteria)
    r = tree_reduce(np.maximum, regret, -1)[..., 0]
    q = _spread(s, available)
    q *= v
    q += (1.0 - v) * _spread(r, available)
    return s, r, q


#: Spans of S or R within this many rounding units of their size are ties: options equal in
#: exact arithmetic differ by an ulp or two once the weights are normalised, and dividing by
#: that difference would turn rounding noise into Q = 0 vs Q = 1.
TIE_ULPS = 64


def _spread(x: FloatArray, available: BoolArray | None) -> FloatArray:
    """``(x - min) / (max - min)`` over available options (exactly 0 and 1 at the ends); 0
    where all available options share one value, up to :data:`TIE_ULPS` rounding units."""
    high, low = option_extremes(x, available)
    span = high - low
    tie = span <= TIE_ULPS * np.finfo(np.float64).eps * np.maximum(np.abs(high), np.abs(low))
    out = x - low
    np.divide(out, span, out=out, where=~tie)
    np.copyto(out, 0.0, where=np.broadcast_to(tie, out.shape))
    return out
