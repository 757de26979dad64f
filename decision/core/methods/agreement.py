"""Rank agreement between two orderings: Kendall's tau-b, Spearman's rho, the weighted Spearman
coefficient rw and the WS rank similarity coefficient, batched.

Used to say whether the recommendation depends on the method: score the same inputs with two
methods and compare the orderings. Inputs are any ordinal values with the same orientation in
both (two score vectors, or two rank vectors) of shape ``(..., options)``; leading axes
broadcast, so ``x[..., :, None, :]`` against ``x[..., None, :, :]`` gives a method-by-method
matrix. Ties are handled (tau-b; average ranks for rho). An optional ``available`` mask limits
the comparison to available options.

Convention: when either ordering has no variation among the compared options (all tied, or
fewer than two options), the coefficient is undefined; it is then 1.0 if both orderings are
all tied (nothing to disagree about) and 0.0 otherwise, so results are always finite.

rw and WS weigh disagreements near the top more (Pinto da Costa & Soares 2005; Sałabun &
Urbaniak 2020): both read the orderings as ranks with 1 = best, so for them the inputs are
scores, higher is better (as from the methods), ranked over the available options with ties at
their average rank. rw is symmetric and in [-1, 1]; WS is asymmetric (``x`` is the reference
ranking) and in [0, 1]. With fewer than two compared options both are 1.0.

Pairs are compared in blocks of rows (options ``i`` against every ``j``) within
:data:`MEMORY_BUDGET`, so thousands of options never need all options x options arrays at
once; the counts are exact integers, so blocks change no result.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from numpy.typing import ArrayLike

from decision.core.methods.inputs import BoolArray, FloatArray, as_float_array
from decision.errors import DecisionError

#: Peak bytes of the pairwise comparison arrays; more options are compared in more blocks.
MEMORY_BUDGET = 256 * 2**20
#: Arrays of a block's shape alive at once (two signs, a pair mask, a product).
WORK_ARRAYS = 4


def kendall_tau(x: ArrayLike, y: ArrayLike, available: ArrayLike | None = None) -> FloatArray:
    """Kendall's tau-b over the last axis, shape ``(...)``, in [-1, 1]."""
    xs, ys, mask = _prepare(x, y, available)
    shape = xs.shape[:-1]
    concordance, untied_x, untied_y = (np.zeros(shape) for _ in range(3))
    for rows in _row_blocks(xs.shape):
        with np.errstate(over="ignore"):  # a difference may overflow; its sign is right
            sx = np.sign(xs[..., rows, None] - xs[..., None, :])
            sy = np.sign(ys[..., rows, None] - ys[..., None, :])
        if mask is not None:
            pairs = mask[..., rows, None] & mask[..., None, :]
            sx *= pairs
            sy *= pairs
        # Sums over ordered pairs count every unordered pair twice; the factor cancels. Sums
        # of -1, 0 and 1 are exact in any order, so blocks of rows change nothing.
        concordance += np.einsum("...ij,...ij->...", sx, sy)
        untied_x += np.abs(sx).sum(axis=(-2, -1))
        untied_y += np.abs(sy).sum(axis=(-2, -1))
    return _ratio(concordance, untied_x, untied_y)


def spearman_rho(x: ArrayLike, y: ArrayLike, available: ArrayLike | None = None) -> FloatArray:
    """Spearman's rho (Pearson correlation of average ranks) over the last axis, ``(...)``."""
    xs, ys, mask = _prepare(x, y, available)
    rx = average_ranks(xs, mask)
    ry = average_ranks(ys, mask)
    weight = np.ones(rx.shape) if mask is None else mask.astype(np.float64)
    count = np.maximum(weight.sum(axis=-1, keepdims=True), 1.0)
    rx -= (rx * weight).sum(axis=-1, keepdims=True) / count
    ry -= (ry * weight).sum(axis=-1, keepdims=True) / count
    rx *= weight
    ry *= weight
    covariance = np.einsum("...i,...i->...", rx, ry)
    var_x = np.einsum("...i,...i->...", rx, rx)
    var_y = np.einsum("...i,...i->...", ry, ry)
    # Average ranks are half-integers, so an all-tied ordering centres to exactly 0.
    return _ratio(covariance, var_x, var_y)


def weighted_spearman(
    x: ArrayLike, y: ArrayLike, available: ArrayLike | None = None
) -> FloatArray:
    """Weighted Spearman rw of two score vectors over the last axis, ``(...)``.

    With ranks ``r``, ``s`` (1 = highest score) over the N compared options:
    ``rw = 1 - 6 sum_i (r_i - s_i)^2 ((N - r_i + 1) + (N - s_i + 1)) / (N^4 + N^3 - N^2 - N)``.
    """
    rx, ry, count, mask = _top_ranks(x, y, available)
    terms = (rx - ry) ** 2 * ((count - rx + 1.0) + (count - ry + 1.0))
    if mask is not None:
        terms *= mask
    n = count[..., 0]
    denominator = n**4 + n**3 - n**2 - n
    out = np.ones(n.shape)
    np.divide(6.0 * terms.sum(axis=-1), denominator, out=out, where=denominator > 0)
    result: FloatArray = np.where(denominator > 0, 1.0 - out, 1.0)
    return result


def ws_coefficient(x: ArrayLike, y: ArrayLike, available: ArrayLike | None = None) -> FloatArray:
    """WS rank similarity of ``y`` to the reference ``x`` over the last axis, ``(...)``.

    With ranks ``r`` of ``x`` and ``s`` of ``y`` (1 = highest score) over N compared options:
    ``WS = 1 - sum_i 2^-r_i |r_i - s_i| / max(|r_i - 1|, |r_i - N|)``.
    """
    rx, ry, count, mask = _top_ranks(x, y, available)
    reach = np.maximum(np.abs(rx - 1.0), np.abs(count - rx))
    terms = np.zeros(rx.shape)
    np.divide(np.exp2(-rx) * np.abs(rx - ry), reach, out=terms, where=reach > 0)
    if mask is not None:
        terms *= mask
    result: FloatArray = 1.0 - terms.sum(axis=-1)
    return result


def _top_ranks(
    x: ArrayLike, y: ArrayLike, available: ArrayLike | None
) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray | None]:
    """Ranks with 1 = highest score of both orderings, the count ``(..., 1)`` and the mask."""
    xs, ys, mask = _prepare(x, y, available)
    rx = average_ranks(-xs, mask)
    ry = average_ranks(-ys, mask)
    if mask is None:
        count = np.full((*xs.shape[:-1], 1), float(xs.shape[-1]))
    else:
        count = mask.sum(axis=-1, keepdims=True).astype(np.float64)
    return rx, ry, count, mask


def average_ranks(values: ArrayLike, available: ArrayLike | None = None) -> FloatArray:
    """Ranks 1..n over the last axis, smallest value first, ties sharing their average rank.

    Only available options are ranked among each other; unavailable ones get rank 0.0.
    """
    v = as_float_array(values, "values")
    mask = None
    if available is not None:
        v, mask = np.broadcast_arrays(v, np.asarray(available, dtype=np.bool_))
    n_below = np.empty(v.shape, dtype=np.int64)
    n_tied = np.empty(v.shape, dtype=np.int64)
    for rows in _row_blocks(v.shape):
        below = v[..., None, :] < v[..., rows, None]  # [i, j]: option j is below option i
        tied = v[..., None, :] == v[..., rows, None]
        if mask is not None:
            below &= mask[..., None, :]
            tied &= mask[..., None, :]
        n_below[..., rows] = below.sum(axis=-1)
        n_tied[..., rows] = tied.sum(axis=-1)
    ranks: FloatArray = n_below + 0.5 * (n_tied - 1.0) + 1.0
    if mask is None:
        return ranks
    masked: FloatArray = np.where(mask, ranks, 0.0)
    return masked


def _row_blocks(shape: tuple[int, ...]) -> Iterator[slice]:
    """Blocks of options ``i`` whose ``(..., rows, options)`` pair arrays fit the budget.

    :data:`WORK_ARRAYS` such arrays of at most 8 bytes an entry are alive at once; a block
    has at least one row.
    """
    n = shape[-1] if shape else 0
    per_row = 8 * WORK_ARRAYS * max(1, math.prod(shape))
    step = max(1, MEMORY_BUDGET // per_row)
    for start in range(0, n, step):
        yield slice(start, min(start + step, n))


def _prepare(
    x: ArrayLike, y: ArrayLike, available: ArrayLike | None
) -> tuple[FloatArray, FloatArray, BoolArray | None]:
    xs = as_float_array(x, "ordering")
    ys = as_float_array(y, "ordering")
    if xs.ndim < 1 or ys.ndim < 1 or xs.shape[-1] != ys.shape[-1]:
        raise DecisionError(
            f"orderings of shapes {xs.shape} and {ys.shape} do not match",
            allowed="two arrays (..., options) with the same number of options",
        )
    if not (np.isfinite(xs).all() and np.isfinite(ys).all()):
        raise DecisionError("orderings contain NaN or infinity", allowed="finite numbers")
    mask: BoolArray | None = None
    shapes = [xs.shape, ys.shape]
    if available is not None:
        mask = np.asarray(available)
        if mask.dtype != np.bool_:
            raise DecisionError("available must be a boolean mask", allowed="True / False")
        shapes.append(mask.shape)
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise DecisionError(
            "shapes do not broadcast: " + ", ".join(str(s) for s in shapes),
            allowed="arrays (..., options) with compatible leading axes",
        ) from None
    xs, ys = np.broadcast_to(xs, shape), np.broadcast_to(ys, shape)
    if mask is not None:
        mask = np.broadcast_to(mask, shape)
    return xs, ys, mask


def _ratio(numerator: FloatArray, spread_x: FloatArray, spread_y: FloatArray) -> FloatArray:
    """``numerator / sqrt(spread_x * spread_y)``, or the documented convention if undefined."""
    product = spread_x * spread_y
    out = np.where((spread_x == 0) & (spread_y == 0), 1.0, 0.0)
    np.divide(numerator, np.sqrt(product), out=out, where=product > 0)
    result: FloatArray = np.clip(out, -1.0, 1.0)
    return result
