"""Column normalisations, masked by availability, with cost direction handled here only.

Every normalisation returns benefit-oriented values (higher is better) and uses the statistics
of available options only. Cost criteria follow the conventions of pymcdm so results can be
cross-checked against it:

=========  ============================  ===============================
kind       benefit                       cost
=========  ============================  ===============================
none       x                             1 - x        (needs 0 <= x <= 1: a value scale)
minmax     (x - min) / (max - min)       (max - x) / (max - min)
max        x / max                       1 - x / max  (needs x >= 0)
sum        x / sum(x)                    (1/x) / sum(1/x)  (benefit x >= 0, cost x > 0)
vector     x / sqrt(sum(x^2))            1 - x / sqrt(sum(x^2))
linear     x / max                       min / x      (benefit x >= 0, cost x > 0)
=========  ============================  ===============================

``linear`` is the ratio normalisation of SAW and WASPAS (Zavadskas et al. 2012; pymcdm's
``linear_normalization``): the best value maps to 1 on both kinds of column, and unlike ``max``
a cost column is not mirrored (``min / x`` rather than ``1 - x / max``). pymcdm refuses a zero
anywhere; here a benefit column may hold zeros.

Degenerate column (documented convention): when the denominator is zero (minmax: all available
values equal, including a single available option; max, sum, vector: all available values
zero) every option gets 1.0 on that column, so the column cannot separate options and nothing
becomes NaN. Values outside a kind's domain raise :class:`DecisionError`.

Extreme magnitudes: every kind but ``none`` is invariant under a positive column scale, so a
column whose max, norm, sum or range is too small or too large to divide by (subnormal values,
a sum of squares of 1e200 overflowing) is first multiplied by a power of two (exact), which
gives the same normalised values as exact arithmetic would. Ordinary columns are untouched.

The result is expressed as ``(values - shift) * scale + offset`` with per-column ``shift``,
``scale`` and ``offset``, so methods can fold weights into ``scale`` (or skip ``offset`` when
only differences matter) instead of materialising extra copies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike

from decision.core.methods.inputs import (
    BoolArray,
    FloatArray,
    column_extremes,
    column_max,
    column_sum,
    column_sum_of_squares,
    first_violation,
)
from decision.errors import DecisionError

Normalisation = Literal["none", "minmax", "max", "sum", "vector", "linear"]
NORMALISATIONS: tuple[str, ...] = get_args(Normalisation)

#: The values each kind accepts (the others accept any finite value).
DOMAINS: dict[str, str] = {
    "none": "values in [0, 1] (a 0-1 value scale)",
    "max": "values >= 0",
    "sum": "values >= 0 on benefit criteria and > 0 on cost criteria",
    "linear": "values >= 0 on benefit criteria and > 0 on cost criteria",
}

#: A column denominator (max, vector norm, sum, range) outside [SAFE_LOW, SAFE_HIGH] (and not
#: 0, the degenerate column) is too small to divide by (1 / subnormal overflows) or came from
#: an overflow (a sum of squares of 1e200): the columns are then rescaled by powers of two.
SAFE_LOW = 2.0**-500
SAFE_HIGH = 2.0**500
_ONE_BITS = np.float64(1.0).view(np.uint64)
#: Rows of a matrix that :meth:`ColumnScaling.apply` treats as one inner loop (at most).
ROW_GROUP = 64


@dataclass(frozen=True, slots=True)
class ColumnScaling:
    """Normalised values as ``(values - shift) * scale + offset``, column by column.

    ``values`` is ``(..., options, criteria)``; ``shift``, ``scale`` and ``offset`` broadcast to
    ``(..., 1, criteria)``. ``values`` is the performance itself (for extreme columns times a
    power of two) except for ``sum``, whose cost columns hold reciprocals.
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
            # Column vectors shared by the whole batch: view the rows in groups of k so that
            # numpy's inner loops run over k * criteria values, not criteria only; k divides
            # the number of rows and is at most ROW_GROUP, so the tiled vectors stay small
            # (tiling them to a tall matrix's full length cost more than it saved).
            rows = values.size // max(values.shape[-1], 1)
            k = math.gcd(rows, ROW_GROUP) if rows else 1
            values = values.reshape(-1, k * values.shape[-1])
            shift, scale, offset = (np.tile(v, k) for v in (shift, scale, offset))
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
    """Per-column affine form of the ``kind`` normalisation over available options.

    Raises :class:`DecisionError` for an available option's value outside the kind's domain
    (:data:`DOMAINS`). A column statistic too small or too large to divide by accurately
    (see :data:`SAFE_LOW`) makes every kind but ``none`` rescale the columns by powers of two
    first, which changes no normalised value but keeps them all finite.
    """
    if kind not in NORMALISATIONS:
        raise DecisionError(f"unknown normalisation '{kind}'", allowed=", ".join(NORMALISATIONS))
    bad = out_of_domain(performance, benefit, kind)
    if bad is not None:
        performance = _checked(bad, performance, available, kind, DOMAINS[kind])
    if kind == "none":
        sign = np.where(benefit, 1.0, -1.0)
        return ColumnScaling(performance, np.zeros_like(sign), sign, (~benefit).astype(np.float64))
    scaling = _scaled_columns(performance, benefit, available, kind, check=True)
    if scaling is None:
        rescaled = _rescaled(performance, benefit, available, kind)
        scaling = _scaled_columns(rescaled, benefit, available, kind, check=False)
        assert scaling is not None
    return scaling


def out_of_domain(performance: FloatArray, benefit: BoolArray, kind: str) -> BoolArray | None:
    """Mask of values outside ``kind``'s domain (:data:`DOMAINS`), or None if none is.

    One or two cheap reductions decide the common case; the mask is built only when needed.
    """
    if kind == "none":
        # Non-negative floats order like their bits read as unsigned integers, and every
        # negative float (sign bit set) reads as more than 1.0: one pass decides the common
        # case; the exact test settles the rest (-0.0 is in the domain).
        if performance.view(np.uint64).max() <= _ONE_BITS:
            return None
        if performance.min() >= 0.0 and performance.max() <= 1.0:
            return None
        outside: BoolArray = (performance < 0.0) | (performance > 1.0)
        return outside
    if kind == "max":
        if performance.min() >= 0.0:
            return None
        negative: BoolArray = performance < 0.0
        return negative
    if kind in ("sum", "linear"):
        if performance.min() > 0.0:
            return None
        bad: BoolArray = (performance < 0.0) | ((performance == 0.0) & ~benefit)
        return bad
    return None


def regret_scaling(
    performance: FloatArray,
    benefit: BoolArray,
    available: BoolArray | None,
) -> ColumnScaling:
    """``1 - minmax``: 0 at the column's best available value, 1 at its worst (VIKOR's d).

    Computed from the best value, so the best option's regret is exactly 0; a degenerate
    column carries no regret (0.0 for every option). Columns whose range is too small or too
    large to divide by are rescaled by powers of two first, as in :func:`column_scaling`.
    """
    hi, lo = column_extremes(performance, available)
    with np.errstate(over="ignore"):  # -1e308 to 1e308: caught by the check
        unsafe = _unsafe(hi - lo)
    if unsafe:
        performance = _rescaled(performance, benefit, available, "minmax")
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


def _scaled_columns(
    performance: FloatArray,
    benefit: BoolArray,
    available: BoolArray | None,
    kind: Normalisation,
    *,
    check: bool,
) -> ColumnScaling | None:
    """The ``kind`` normalisation as a :class:`ColumnScaling` (values already in its domain).

    With ``check``, returns None instead when a denominator is unsafe (:func:`_unsafe`), or,
    for ``vector``, when the squares of a non-zero column all underflowed to 0.
    """
    sign = np.where(benefit, 1.0, -1.0)
    zero = np.zeros_like(sign)
    if kind == "minmax":
        hi, lo = column_extremes(performance, available)
        with np.errstate(over="ignore"):  # -1e308 to 1e308: caught by the check below
            span = hi - lo
        if check and _unsafe(span):
            return None
        scaling = _ratio(performance, np.where(benefit, lo, hi), sign, span, zero)
        return replace(scaling, high=hi, low=lo, foldable=False)
    if kind == "max":
        hi = column_max(performance, available)
        if check and _unsafe(hi):
            return None
        return _ratio(performance, np.where(benefit, 0.0, hi), sign, hi, zero)
    if kind == "vector":
        with np.errstate(over="ignore", invalid="ignore"):  # caught by the check below
            norm = np.sqrt(column_sum_of_squares(performance, available))
        if check and (_unsafe(norm) or _squares_underflowed(norm, performance, available)):
            return None
        return _ratio(performance, np.where(benefit, 0.0, norm), sign, norm, zero)
    # sum and linear: cost columns as reciprocals; linear divides by their max (x / max and
    # (1 / x) / max(1 / x) = min / x), sum by their total
    values = performance
    if not benefit.all():
        values = performance.copy()
        with np.errstate(over="ignore"):  # 1 / subnormal: caught by the check of the total
            np.reciprocal(performance, out=values, where=~benefit)
    with np.errstate(over="ignore", invalid="ignore"):
        total = column_max(values, available) if kind == "linear" else column_sum(values, available)
    if check and _unsafe(total):
        return None
    return _ratio(values, zero, np.ones_like(sign), total, zero)


def _unsafe(denominator: FloatArray) -> bool:
    """Whether a column denominator is NaN, infinite, above SAFE_HIGH or in (0, SAFE_LOW).

    Zero is safe: it marks a degenerate column, handled by :func:`_ratio`.
    """
    if denominator.max() <= SAFE_HIGH and denominator.min() >= SAFE_LOW:
        return False  # the common case, decided by two reductions over the small array
    inside = (denominator <= SAFE_HIGH) & ((denominator >= SAFE_LOW) | (denominator == 0.0))
    return not bool(inside.all())


def _squares_underflowed(
    norm: FloatArray, performance: FloatArray, available: BoolArray | None
) -> bool:
    """Whether a zero vector norm belongs to a column that is not all zeros (its values are
    so small that every square underflowed)."""
    if norm.min() > 0.0:
        return False
    hi, lo = column_extremes(performance, available)
    return bool(((norm == 0.0) & ((hi != 0.0) | (lo != 0.0))).any())


def _rescaled(
    performance: FloatArray,
    benefit: BoolArray,
    available: BoolArray | None,
    kind: Normalisation,
) -> FloatArray:
    """Each column (of each batch element) times a power of two that brings its largest
    magnitude over available options into [0.5, 1).

    Multiplying by a power of two is exact, and every kind but ``none`` is invariant under a
    positive column scale, so the normalised values are those of exact arithmetic, without the
    overflow or underflow of the original scale. Cost columns of ``sum`` (which becomes
    ``1/x``) are scaled by their smallest value instead, so every reciprocal stays <= 2.
    Unavailable options get 1.0 (any finite, in-domain value would do: they are ignored).
    """
    hi, lo = column_extremes(performance, available)
    top = np.maximum(hi, -lo)
    if kind in ("sum", "linear"):
        top = np.where(benefit, top, lo)  # lo > 0 on cost columns: the domain is checked
    _, exponent = np.frexp(top)  # top = f * 2**exponent with f in [0.5, 1); 0 for top == 0
    with np.errstate(over="ignore", under="ignore"):
        scaled: FloatArray = np.ldexp(performance, -exponent)
    if available is not None:
        np.copyto(scaled, 1.0, where=~available[..., None])
    return scaled


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


def checked_domain(
    bad: BoolArray | None,
    performance: FloatArray,
    available: BoolArray | None,
    method: str,
    allowed: str,
) -> FloatArray:
    """:func:`_checked` for a method's own domain: raises "``method`` cannot use ``value``"
    for an available option's value where ``bad`` is True (None: nothing is bad)."""
    if bad is None:
        return performance
    return _checked(bad, performance, available, method, allowed, prefix=f"{method} cannot use")


def _checked(
    bad: BoolArray,
    performance: FloatArray,
    available: BoolArray | None,
    kind: str,
    allowed: str,
    prefix: str | None = None,
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
    if prefix is not None:
        raise DecisionError(f"{prefix} {value:g} ({first_violation(bad)})", allowed=allowed)
    raise DecisionError(
        f"{kind} normalisation cannot use {value:g} ({first_violation(bad)})",
        allowed=f"{allowed}, or another normalisation such as minmax",
    )
