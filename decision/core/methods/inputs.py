"""Checked method inputs and the availability-mask helpers every method shares.

Every aggregation method takes the same four arrays: ``performance (..., options, criteria)``,
``weights (..., criteria)`` or ``(criteria,)``, ``benefit (criteria,)`` and
``available (..., options)`` or ``None`` (``benefit`` may also hold pymcdm's criterion types, 1
for benefit and -1 for cost). :func:`prepare` checks their shapes once, normalises
the weights through :func:`decision.core.weights.normalise_weights` (the one place that does it)
and hands the method plain float64/bool arrays. Leading batch axes of the three arrays
broadcast against each other, so one matrix can be scored under many weight samples and vice
versa.

The masked reductions here are what make an unavailable option "take no part": column and
option statistics are taken over available options only, and a batch element with no available
option gets finite (unused) statistics so nothing downstream turns into NaN or infinity.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from numbers import Number
from typing import Any, ParamSpec, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from decision.core.weights import normalise_weights
from decision.errors import DecisionError

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

    Raises :class:`DecisionError` for ragged or non-numeric arrays, mismatched shapes, a
    non-boolean ``benefit`` or ``available``, non-finite performance (unavailable options too:
    give them any finite placeholder) and for bad weights (via :func:`normalise_weights`).
    """
    perf = as_float_array(performance, "performance")
    if perf.ndim < 2 or perf.shape[-2] < 1 or perf.shape[-1] < 1:
        raise DecisionError(
            f"performance must have shape (..., options, criteria), got {perf.shape}",
            allowed="an array with at least one option and one criterion",
        )
    n_options, n_criteria = perf.shape[-2:]
    # One cheap pass; the exact check only runs when the sum is not finite.
    with np.errstate(over="ignore", invalid="ignore"):  # huge finite values may overflow it
        total = perf.sum()
    if not np.isfinite(total) and not np.isfinite(perf).all():
        raise DecisionError(
            "performance contains NaN or infinity",
            allowed="finite numbers (give unavailable options any finite placeholder)",
        )

    ben = _criterion_types(_as_array(benefit, "benefit"))
    if ben.dtype != np.bool_ or ben.shape != (n_criteria,):
        raise DecisionError(
            f"benefit must be a boolean vector of {n_criteria} criteria, "
            f"got dtype {ben.dtype} and shape {ben.shape}",
            allowed="True (or 1) for a benefit criterion, False (or -1) for a cost criterion",
        )

    w = normalise_weights(power_of_two_scaled(as_float_array(weights, "weights")))
    if w.shape[-1] != n_criteria:
        raise DecisionError(
            f"{w.shape[-1]} weights for {n_criteria} criteria",
            allowed="one weight per criterion",
        )

    avail: BoolArray | None = None
    shapes = [perf.shape[:-2], w.shape[:-1]]
    if available is not None:
        avail = _as_array(available, "available")
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


def _criterion_types(types: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """pymcdm's criterion types (1 benefit, -1 cost, as ``decision rank --types``) as booleans;
    anything else is returned unchanged for :func:`prepare` to refuse."""
    if types.dtype.kind not in "iuf" or types.ndim != 1 or types.size == 0:
        return types
    benefit: np.ndarray[Any, Any] = np.asarray(types == 1)
    if not (benefit | (types == -1)).all():
        return types
    return benefit


def as_float_array(value: ArrayLike, name: str) -> FloatArray:
    """``value`` as a float64 array, refusing ragged nesting and anything but real numbers.

    Booleans, integers and floats convert; an object array converts only if every element is
    a real number (``Decimal``, ``Fraction``, a large ``int``). Text, complex numbers, dates
    and ``None`` (which numpy would silently turn into NaN) raise :class:`DecisionError`
    rather than numpy's bare ``ValueError``.
    """
    array = _as_array(value, name)
    if array.dtype.kind in "biuf":
        return array.astype(np.float64, copy=False)
    if array.dtype.kind == "O" and all(
        isinstance(item, Number) and not isinstance(item, complex) for item in array.flat
    ):
        try:  # a rare path (Python objects), so a loop over the items is fine
            return array.astype(np.float64)
        except (TypeError, ValueError, OverflowError):
            pass
    raise DecisionError(
        f"{name} must hold real numbers, got dtype {array.dtype}",
        allowed="an array of finite numbers (no text, complex numbers or None)",
    )


def _as_array(value: ArrayLike, name: str) -> np.ndarray[Any, Any]:
    """``np.asarray(value)``, with numpy's error for ragged nesting as a :class:`DecisionError`."""
    try:
        return np.asarray(value)
    except (ValueError, TypeError) as error:
        raise DecisionError(
            f"{name} is not a rectangular array ({_first_sentence(error)})",
            allowed="nested sequences of equal length, e.g. one row per option",
        ) from None


def _first_sentence(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text.split(". ")[0].rstrip(".")[:120]


def power_of_two_scaled(weights: FloatArray) -> FloatArray:
    """Weights divided, per weight vector, by a power of two near their largest value.

    Exact (a power-of-two scale loses nothing), so the normalised weights are unchanged; it
    only keeps the sum of weights near 1e308 from overflowing to infinity. Non-finite or
    negative weights are left for :func:`normalise_weights` to report.
    """
    if weights.ndim == 0 or weights.size == 0 or not weights.max() > 2.0**512:
        return weights  # the common case, decided by one flat reduction (NaN compares False)
    top = np.max(np.abs(weights), axis=-1, keepdims=True)
    _, exponent = np.frexp(top)
    scaled: FloatArray = np.ldexp(weights, -exponent)
    return scaled


P = ParamSpec("P")
R = TypeVar("R")


def quiet_placeholders(method: Callable[P, R]) -> Callable[P, R]:
    """Run ``method`` with numpy's overflow and invalid-value warnings off.

    Unavailable options may hold any finite placeholder, however far outside the available
    options' range, and arithmetic on their rows (which every method ignores) may overflow.
    Available options are safe by construction (domains are checked, extreme columns are
    rescaled), and :func:`finish` refuses any of their scores that is not finite, so a warning
    would only ever be noise on stderr, where the CLI promises one line.
    """

    @functools.wraps(method)
    def quiet(*args: P.args, **kwargs: P.kwargs) -> R:
        with np.errstate(over="ignore", invalid="ignore"):
            return method(*args, **kwargs)

    return quiet


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
    """Broadcast scores to ``(..., options)`` and set unavailable options to 0.0.

    A score that is NaN or infinite means the method could not compute it in floating point;
    that raises :class:`DecisionError` rather than reaching a ranking, a table or JSON.
    """
    shape = problem.output_shape
    if scores.shape != shape:
        scores = np.broadcast_to(scores, shape).copy()
    if problem.available is not None:
        np.copyto(scores, UNAVAILABLE_SCORE, where=~problem.available)
    # Scores are bounded (|score| <= a few units), so their sum is finite unless one is not.
    if not np.isfinite(np.add.reduce(scores, axis=None)):
        bad = ~np.isfinite(scores)
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f"option {index[-1]}" + (f", batch index {index[:-1]}" if len(index) > 1 else "")
        raise DecisionError(
            f"the score cannot be computed in floating point ({where} is {scores[index]})",
            allowed="performance values whose magnitudes floating point can compare, "
            "or another method or normalisation",
        )
    return scores


def batch_blocks(batch: int, element_bytes: int, budget: int) -> Iterator[slice]:
    """Consecutive slices of a batch of ``batch`` elements, each within ``budget`` bytes.

    ``element_bytes`` is what one element costs; a block holds at least one element. For
    methods whose steps are elementwise over the batch, blocks change no result.
    """
    step = max(1, budget // max(1, element_bytes))
    for start in range(0, batch, step):
        yield slice(start, min(start + step, batch))


def first_violation(bad: BoolArray) -> str:
    """Describe where the first True of a ``(..., options, criteria)`` mask is."""
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    where = f"option {index[-2]}, criterion {index[-1]}"
    return where + (f", batch index {index[:-2]}" if len(index) > 2 else "")
