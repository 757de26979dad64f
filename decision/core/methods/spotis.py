"""SPOTIS: distance to the ideal solution point within declared bounds (Dezert et al. 2020).

Each criterion has declared bounds ``[low_j, high_j]``; the ideal solution point takes
``high_j`` on benefit and ``low_j`` on cost criteria, ``d_ij = |x_ij - isp_j| / (high_j -
low_j)`` is in [0, 1] and ``D_i = sum_j w_j d_ij``. pymcdm returns D (lower is better); the
registry score is ``1 - D`` in [0, 1], higher is better.

Because the bounds are declared rather than read off the options, an option's score does not
depend on the other options: SPOTIS is free of rank reversal, and it is an absolute method.

``bounds`` is one of

* ``"value_scale"`` (the default): ``[0, 1]`` on every criterion, the 0-1 value scale that a
  model's performance is on. Then ``1 - D`` equals the weighted sum with normalisation
  ``none``;
* ``"observed"``: each column's range over the available options (pymcdm's
  ``SPOTIS.make_bounds``), for a plain matrix without declared bounds. The method is then no
  longer absolute; ``d`` is VIKOR's regret and a constant column carries none;
* an array ``(criteria, 2)`` of ``[low, high]`` per criterion, or one ``[low, high]`` for all,
  in the criteria's units: finite, ``low < high``, with a finite span.

Values of available options outside declared bounds raise :class:`DecisionError`.
Unavailable options take no part and score 0.0.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from decision.core.methods.inputs import (
    FloatArray,
    as_float_array,
    criteria_dot,
    finish,
    prepare,
    quiet_placeholders,
)
from decision.core.methods.normalisation import checked_domain, regret_scaling
from decision.errors import DecisionError

SpotisBounds = Literal["value_scale", "observed"]


@quiet_placeholders
def spotis(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    *,
    bounds: SpotisBounds | ArrayLike = "value_scale",
) -> FloatArray:
    """SPOTIS score ``1 - D``, shape ``(..., options)``; higher is better."""
    problem = prepare(performance, weights, benefit, available)
    perf, avail = problem.performance, problem.available
    if isinstance(bounds, str) and bounds == "observed":
        cs = regret_scaling(perf, problem.benefit, avail)
        regret = cs.values - cs.shift
        regret *= cs.scale
        distance = criteria_dot(regret, problem.weights)
        return finish(1.0 - distance, problem)
    low, high = declared_bounds(bounds, problem.n_criteria)
    outside = (perf < low) | (perf > high)
    if outside.any():
        allowed = ", ".join(f"[{lo:g}, {hi:g}]" for lo, hi in zip(low, high, strict=True))
        checked_domain(outside, perf, avail, "SPOTIS with bounds " + allowed,
                       "values within the declared bounds, or bounds: observed")
        perf = np.where(outside, low, perf)  # unavailable options only: keep them finite
    span = high - low
    # d = (high - x) / span on benefit, (x - low) / span on cost: affine, weights folded in
    sign = np.where(problem.benefit, -1.0, 1.0)
    ideal = np.where(problem.benefit, high, low)
    factor = problem.weights * (sign / span)
    distance = criteria_dot(perf, factor)
    if factor.ndim == 1:
        distance -= factor @ ideal
    else:
        distance -= (factor @ ideal)[..., None]
    return finish(1.0 - distance, problem)


def declared_bounds(bounds: object, n_criteria: int) -> tuple[FloatArray, FloatArray]:
    """``(low, high)`` per criterion from ``"value_scale"`` or an array of bounds; checked."""
    if isinstance(bounds, str):
        if bounds != "value_scale":
            raise DecisionError(
                f"unknown SPOTIS bounds '{bounds}'",
                allowed="value_scale, observed, or [low, high] per criterion",
            )
        return np.zeros(n_criteria), np.ones(n_criteria)
    array = as_float_array(bounds, "bounds")  # type: ignore[arg-type]
    if array.shape == (2,):
        array = np.broadcast_to(array, (n_criteria, 2))
    if array.shape != (n_criteria, 2):
        raise DecisionError(
            f"SPOTIS bounds of shape {array.shape} for {n_criteria} criteria",
            allowed="one [low, high] for all criteria, or one per criterion",
        )
    low, high = array[:, 0].copy(), array[:, 1].copy()
    with np.errstate(over="ignore", invalid="ignore"):
        span = high - low
    good = np.isfinite(span) & (span > 0)
    if not good.all():
        j = int(np.argmin(good))
        raise DecisionError(
            f"SPOTIS bounds [{low[j]:g}, {high[j]:g}] of criterion {j} are not an interval",
            allowed="finite low < high, with a finite high - low",
        )
    return low, high
