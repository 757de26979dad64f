"""Column normalisations, masked by availability, with cost direction handled here only.

Every normalisation returns benefit-oriented values (higher is better) and uses the statistics
of available options only. Cost criteria follow the conventions of pymcdm so results can be
cross-checked against it:

=========  ============================  ===============================
kind       benefit                       cost
=========  ============================  ===============================
none       x                             1 - x        (x on a 0-1 value scale)
minmax     (x - min) / (max - min)       (max - x) / (max - min)
max        x / max                       1 - x / max  (needs x >= 0)
sum        x / sum(x)                    (1/x) / sum(1/x)  (benefit x >= 0, cost x > 0)
vector     x / sqrt(sum(x^2))            1 - x / sqrt(sum(x^2))
=========  ============================  ===============================

Degenerate column (documented convention): when the denominator is zero (minmax: all available
values equal, including a single available option; max, sum, vector: all available values
zero) every option gets 1.0 on that column, so the column cannot separate options and nothing
becomes NaN. Values outside a kind's domain raise :class:`DecisionError`.

The result is expressed as ``(values - shift) * scale + offset`` with per-column ``shift``,
``scale`` and ``offset``, so methods can fold weights into ``scale`` (or skip ``offset`` when
only differences matter) instead of materialising extra copies.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike

from decision.errors import DecisionError
from decision.methods.inputs import (
    BoolArray,
    FloatArray,
    column_extremes,
    column_max,
    column_sum,
    column_sum_of_squares,
    first_violation,
)

Normalisation = Literal["none", "minmax", "max", "sum", "vector"]
NORMALISATIONS: tuple[str, ...] = get_args(Normalisation)


@dataclass(frozen=True, slots=True)
class ColumnScaling:
    """Normalised values as ``(values - shift) * scale + offset``, column by column.

    ``values`` is ``(..., options, criteria)``; ``shift``, ``scale`` and ``offset`` broadcast to
    ``(..., 1, criteria)``. ``values`` is the performance itself except for ``sum``, whose cost
    columns hold reciprocals.
    """

    values: FloatArray
    shift: FloatArray
    scale: FloatArray
    offset: FloatArray
    #: Column max and min of ``values`` over available options, when the kind computed them.
    high: FloatArray | None = None
    low: FloatArray | None = None

    #: Whether ``values * scale - shift * scale`` is about as accurate as the applied form.
    #: False for minmax, whose nearly constant columns would turn the difference of two huge
    #: products into rounding noise. It depends on the kind of normalisation only, never on the
    #: data, so a sample is computed the same way whatever other samples share its batch.
    foldable: bool = True

    def apply(self) -> FloatArray:
        """The normalised matrix ``(..., options, criteria)``."""
        values, shift, scale, offset = self.values, self.shift, self.scale, self.offset
        if shift.ndim == scale.ndim == offset.ndim == 1 and values.flags.c_contiguous:
            # Column vectors shared by the whole batch: flatten options and criteria so
            # numpy's inner loops run over options * criteria values, not criteria only.
            options = values.shape[-2]
            values = values.reshape(*values.shape[:-2], -1)
            shift, scale, offset = (np.tile(v, options) for v in (shift, scale, offset))
        if shift.any():
            out: FloatArray = values - shift
            out *= scale
        else:
            out = values * scale
        if offset.any():
            out += offset
        return out.reshape(self.values.shape)


def column_scaling(
    performance: FloatArray,
    benefit: BoolArray,
    available: BoolArray | None,
    kind: Normalisation,
) -> ColumnScaling:
    """Per-column affine form of the ``kind`` normalisation over available options."""
    sign = np.where(benefit, 1.0, -1.0)
    cost = (~benefit).astype(np.float64)
    if kind == "none":
        return ColumnScaling(performance, np.zeros_like(sign), sign, cost)
    if kind == "minmax":
        hi, lo = column_extremes(performance, available)
        scaling = _ratio(performance, np.where(benefit, lo, hi), sign, hi - lo,
                         np.zeros_like(sign))
        return replace(scaling, high=hi, low=lo, foldable=False)
    if kind == "max":
        if performance.min() < 0:
            performance = _checked(performance < 0, performance, available, "max", "values >= 0")
        hi = column_max(performance, available)
        return _ratio(performance, np.where(benefit, 0.0, hi), sign, hi, np.zeros_like(sign))
    if kind == "vector":
        norm = np.sqrt(column_sum_of_squares(performance, available))
        return _ratio(performance, np.where(benefit, 0.0, norm), sign, norm, np.zeros_like(sign))
    if kind == "sum":
        if performance.min() <= 0:
            performance = _checked(
                (performance < 0) | ((performance == 0) & ~benefit), performance, available,
                "sum", "values >= 0 on benefit criteria and > 0 on cost criteria",
            )
        values = performance
        if not benefit.all():
            values = performance.copy()
            np.reciprocal(performance, out=values, where=~benefit)
        total = column_sum(values, available)
        ones = np.ones_like(sign)
        return _ratio(values, np.zeros_like(sign), ones, total, np.zeros_like(sign))
    raise DecisionError(f"unknown normalisation '{kind}'", allowed=", ".join(NORMALISATIONS))


def regret_scaling(
    performance: FloatArray,
    benefit: BoolArray,
    available: BoolArray | None,
) -> ColumnScaling:
    """``1 - minmax``: 0 at the column's best available value, 1 at its worst (VIKOR's d).

    Computed from the best value, so the best option's regret is exactly 0; a degenerate
    column carries no regret (0.0 for every option).
    """
    hi, lo = column_extremes(performance, available)
    sign = np.where(benefit, -1.0, 1.0)
    return _ratio(performance, np.where(benefit, hi, lo), sign, hi - lo, np.zeros_like(sign),
                  degenerate_value=0.0)


def normalise(
    performance: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    kind: Normalisation = "minmax",
) -> FloatArray:
    """Normalise ``performance (..., options, criteria)`` column-wise; see the module docs."""
    perf = np.asarray(performance, dtype=np.float64)
    avail = None if available is None else np.asarray(available, dtype=np.bool_)
    return column_scaling(perf, np.asarray(benefit, dtype=np.bool_), avail, kind).apply()


def _ratio(
    values: FloatArray,
    shift: FloatArray,
    sign: FloatArray,
    denominator: FloatArray,
    offset: FloatArray,
    degenerate_value: float = 1.0,
) -> ColumnScaling:
    """``(values - shift) * sign / denominator + offset``; ``degenerate_value`` where the
    denominator is 0."""
    degenerate = ~(denominator > 0)
    if not degenerate.any():
        return ColumnScaling(values, shift, sign / denominator, offset)
    safe = np.where(degenerate, 1.0, denominator)
    scale = np.where(degenerate, 0.0, sign / safe)
    shift = np.where(degenerate, 0.0, shift)
    offset = np.where(degenerate, degenerate_value, offset)
    return ColumnScaling(values, shift, scale, offset)


def _checked(
    bad: BoolArray,
    performance: FloatArray,
    available: BoolArray | None,
    kind: str,
    allowed: str,
) -> FloatArray:
    """Raise if an available option's value is outside the normalisation's domain.

    Out-of-domain values of unavailable options are replaced by 1.0 (in a copy) so that their
    ignored rows stay finite.
    """
    if not bad.any():
        return performance
    if available is not None:
        bad_available = bad & available[..., None]
        if not bad_available.any():
            return np.where(bad, 1.0, performance)
        bad = bad_available
    value = performance[tuple(np.argwhere(bad)[0])]
    raise DecisionError(
        f"{kind} normalisation cannot use {value:g} ({first_violation(bad)})",
        allowed=f"{allowed}, or another normalisation such as minmax",
    )
