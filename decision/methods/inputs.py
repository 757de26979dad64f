"""Checked method inputs and the availability-mask helpers every method shares.

Every aggregation method takes the same four arrays: ``performance (..., options, criteria)``,
``weights (..., criteria)`` or ``(criteria,)``, ``benefit (criteria,)`` and
``available (..., options)`` or ``None``. :func:`prepare` checks their shapes once, normalises the
weights through :func:`decision.weights.normalise_weights` (the one place that does it) and hands
the method plain float64/bool arrays. Leading batch axes of the three arrays broadcast against
each other, so one matrix can be scored under many weight samples and vice versa.

The masked reductions here are what make an unavailable option "take no part": column and
option statistics are taken over available options only, and a batch element with no available
option gets finite (unused) statistics so nothing downstream turns into NaN or infinity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from decision.errors import DecisionError
from decision.weights import normalise_weights

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: The score every method returns for an unavailable option (the engine ranks with the mask).
UNAVAILABLE_SCORE = 0.0


@dataclass(frozen=True, slots=True)
class Problem:
    """Validated method inputs.

    ``available`` is ``None`` when every option is available (the fast path), otherwise a
    boolean array ``(..., options)``. ``weights`` are normalised to sum to 1.
    """

    performance: FloatArray
    weights: FloatArray
    benefit: BoolArray
    available: BoolArray | None
    batch_shape: tuple[int, ...]

    @property
    def n_options(self) -> int:
        return int(self.performance.shape[-2])

    @property
    def n_criteria(self) -> int:
        return int(self.performance.shape[-1])

    @property
    def output_shape(self) -> tuple[int, ...]:
        return (*self.batch_shape, self.n_options)

    @property
    def row_weights(self) -> FloatArray:
        """Weights shaped ``(..., 1, criteria)`` to broadcast over options."""
        return self.weights[..., None, :]


def prepare(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
) -> Problem:
    """Check shapes and values, normalise the weights, and drop an all-True mask.

    Raises :class:`DecisionError` for mismatched shapes, a non-boolean ``benefit`` or
    ``available``, non-finite performance (unavailable options too: give them any finite
    placeholder) and for bad weights (via :func:`normalise_weights`).
    """
    perf = np.asarray(performance, dtype=np.float64)
    if perf.ndim < 2 or perf.shape[-2] < 1 or perf.shape[-1] < 1:
        raise DecisionError(
            f"performance must have shape (..., options, criteria), got {perf.shape}",
            allowed="an array with at least one option and one criterion",
        )
    n_options, n_criteria = perf.shape[-2:]
    # One cheap pass; the exact check only runs when the sum is not finite.
    if not np.isfinite(perf.sum()) and not np.isfinite(perf).all():
        raise DecisionError(
            "performance contains NaN or infinity",
            allowed="finite numbers (give unavailable options any finite placeholder)",
        )

    ben = np.asarray(benefit)
    if ben.dtype != np.bool_ or ben.shape != (n_criteria,):
        raise DecisionError(
            f"benefit must be a boolean vector of {n_criteria} criteria, "
            f"got dtype {ben.dtype} and shape {ben.shape}",
            allowed="True for a benefit criterion, False for a cost criterion",
        )

    w = normalise_weights(weights)
    if w.shape[-1] != n_criteria:
        raise DecisionError(
            f"{w.shape[-1]} weights for {n_criteria} criteria",
            allowed="one weight per criterion",
        )

    avail: BoolArray | None = None
    shapes = [perf.shape[:-2], w.shape[:-1]]
    if available is not None:
        avail = np.asarray(available)
        if avail.dtype != np.bool_ or avail.ndim < 1 or avail.shape[-1] != n_options:
            raise DecisionError(
                f"available must be a boolean array (..., {n_options}), "
                f"got dtype {avail.dtype} and shape {avail.shape}",
                allowed="True where the option is available",
            )
        shapes.append(avail.shape[:-1])
        if avail.all():
            avail = None
    try:
        batch_shape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise DecisionError(
            "batch axes of performance, weights and available do not broadcast: "
            + ", ".join(str(s) for s in shapes),
            allowed="equal leading axes, or axes of length 1, or none",
        ) from None
    if perf.shape[:-2] != batch_shape:
        # Masked reductions and in-place updates need the data to span the whole batch; a
        # zero-copy view does (e.g. one matrix scored under many weight samples).
        perf = np.broadcast_to(perf, (*batch_shape, n_options, n_criteria))
    return Problem(perf, w, ben, avail, tuple(batch_shape))


def tree_reduce(ufunc: np.ufunc, x: FloatArray, axis: int) -> FloatArray:
    """Reduce ``x`` along a short ``axis`` (kept, length 1) with a binary ``ufunc``.

    A log-depth tree of whole-array ufunc calls (3 for 6 options or 8 criteria), each
    vectorised over everything else: several times faster than numpy's own reduction along a
    short inner axis, and exact for max and min.
    """
    axis %= x.ndim

    def part(start: int, stop: int) -> tuple[slice, ...]:
        return (*(slice(None),) * axis, slice(start, stop))

    if x.shape[axis] == 1:
        return x.copy()
    while x.shape[axis] > 1:
        length = x.shape[axis]
        half = length // 2
        folded: FloatArray = ufunc(x[part(0, half)], x[part(half, 2 * half)])
        if length % 2:
            first = folded[part(0, 1)]
            ufunc(first, x[part(2 * half, length)], out=first)
        x = folded
    return x


def column_max(x: FloatArray, available: BoolArray | None) -> FloatArray:
    """Max over available options (axis -2, kept)."""
    return tree_reduce(np.maximum, _stand_in(x, available, -2), -2)


def column_min(x: FloatArray, available: BoolArray | None) -> FloatArray:
    """Min over available options (axis -2, kept)."""
    return tree_reduce(np.minimum, _stand_in(x, available, -2), -2)


def column_extremes(x: FloatArray, available: BoolArray | None) -> tuple[FloatArray, FloatArray]:
    """Max and min over available options (axis -2, kept), masking only once."""
    filled = _stand_in(x, available, -2)
    return tree_reduce(np.maximum, filled, -2), tree_reduce(np.minimum, filled, -2)


def column_sum(x: FloatArray, available: BoolArray | None) -> FloatArray:
    """Sum over available options (axis -2, kept).

    A plain reduction over the options axis adds the options in the same order whatever the
    batch shape, so a sample's result does not depend on how many samples share the call
    (einsum's summation order does depend on it).
    """
    terms = x if available is None else x * available[..., None]
    total: FloatArray = np.add.reduce(terms, axis=-2, keepdims=True)
    return total


def column_sum_of_squares(x: FloatArray, available: BoolArray | None) -> FloatArray:
    """Sum of squares over available options (axis -2, kept); batch-independent as above."""
    squares = x * x
    if available is not None:
        squares *= available[..., None]
    total: FloatArray = np.add.reduce(squares, axis=-2, keepdims=True)
    return total


def option_extremes(x: FloatArray, available: BoolArray | None) -> tuple[FloatArray, FloatArray]:
    """Max and min over available options of ``x (..., options)`` (axis -1, kept)."""
    filled = _stand_in(x, available, -1)
    return tree_reduce(np.maximum, filled, -1), tree_reduce(np.minimum, filled, -1)


def _stand_in(x: FloatArray, available: BoolArray | None, axis: int) -> FloatArray:
    """``x`` with each unavailable option replaced by the batch element's first available one.

    The stand-in cannot change a max or a min over options, so one masked copy serves both and
    no infinities are needed; with no option available the statistics are those of option 0,
    finite and unused.
    """
    if available is None:
        return x
    available = np.broadcast_to(available, x.shape[:-1] if axis == -2 else x.shape)
    first = np.argmax(available, axis=-1)[..., None]
    if axis == -2:
        stand_in = np.take_along_axis(x, first[..., None], axis=-2)
        return np.where(available[..., None], x, stand_in)
    return np.where(available, x, np.take_along_axis(x, first, axis=-1))


def criteria_dot(x: FloatArray, weights: FloatArray) -> FloatArray:
    """``sum_j x[..., j] * weights[..., j]`` for ``x (..., options, criteria)``: ``(..., options)``.

    Weights are ``(criteria,)`` (one BLAS matrix-vector product) or ``(..., criteria)``.
    """
    if weights.ndim == 1:
        flat: FloatArray = x @ weights
        return flat
    batched: FloatArray = np.einsum("...oc,...c->...o", x, weights)
    return batched


def finish(scores: FloatArray, problem: Problem) -> FloatArray:
    """Broadcast scores to ``(..., options)`` and set unavailable options to 0.0."""
    shape = problem.output_shape
    if scores.shape != shape:
        scores = np.broadcast_to(scores, shape).copy()
    if problem.available is not None:
        np.copyto(scores, UNAVAILABLE_SCORE, where=~problem.available)
    return scores


def first_violation(bad: BoolArray) -> str:
    """Describe where the first True of a ``(..., options, criteria)`` mask is."""
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    where = f"option {index[-2]}, criterion {index[-1]}"
    return where + (f", batch index {index[:-2]}" if len(index) > 2 else "")
