"""The numeric core: performance, availability, scores, ranks and contributions as arrays.

Every array keeps a leading sample axis ``s`` (length 1 for a deterministic run):
``values (s, i)`` -> ``performance (s, o, c)`` (expected over success likelihoods, where an option
has one) and ``available (s, o)`` -> ``scores (s, o)``
-> ``ranks (s, o)``. Nothing here loops in Python over samples or options; the only loops are
over the model's effects and preconditions (a handful), each evaluated for all samples at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from decision.core.methods import MethodParams
from decision.core.methods import score as score_method
from decision.core.weights import normalise_weights

if TYPE_CHECKING:
    from decision.core.compile import BoolArray, CompiledModel, FloatArray

IntArray = NDArray[np.int64]
#: Samples from which :func:`performance` adds effects column by column (one ufunc call per
#: effect; fewer samples take the sample-minor layout, a few calls per indicator).
_COLUMN_SAMPLES = 1024


@dataclass(frozen=True)
class Evaluation:
    """One batch of evaluated samples."""

    performance: FloatArray  # (s, o, c) on the 0-1 value scale
    available: BoolArray  # (s, o)
    scores: FloatArray  # (s, o); 0.0 for unavailable options
    ranks: IntArray  # (s, o); 1 = best, a permutation of 1..o per sample
    contributions: FloatArray  # (s, o, c) weighted value per criterion (sums to the WSM score)
    weights: FloatArray  # (s, c) normalised


def performance(
    model: CompiledModel,
    values: FloatArray,
    judgement: FloatArray | None = None,
    likelihood: FloatArray | None = None,
) -> FloatArray:
    """Expected performance ``(s, o, c)`` (see :func:`expected`) of the performance if every
    option succeeds, :func:`success_performance`.

    ``values`` is ``(s, i)`` in natural units; ``judgement`` is ``(s, o, c)`` or ``(o, c)``
    (the model's baseline judgements when omitted); ``likelihood`` is ``(s, l)`` or ``(l,)``
    for the model's ``l`` options with a likelihood (their point values when omitted).
    """
    return expected(model, success_performance(model, values, judgement), likelihood, values)


def failure_performance(model: CompiledModel, success: FloatArray) -> FloatArray:
    """Performance ``(s, l, c)`` of the ``l`` options with a likelihood if they fail: their
    ``if_failure`` where given, else the reference option's ``success (s, o, c)``."""
    likelihoods = model.likelihoods
    if likelihoods is None:
        return np.empty((success.shape[0], 0, success.shape[2]))
    failure = likelihoods.failure
    if model.reference is None:  # validation: then if_failure names every criterion
        out: FloatArray = np.broadcast_to(failure, (success.shape[0], *failure.shape))
        return out
    reference = success[:, model.reference, None, :]
    if likelihoods.fails_to_reference:  # the common case: no if_failure anywhere
        shared: FloatArray = np.broadcast_to(reference, (success.shape[0], *failure.shape))
        return shared
    out = np.where(np.isnan(failure), reference, failure)
    return out


def success_likelihood(
    model: CompiledModel, values: FloatArray | None = None, likelihood: FloatArray | None = None
) -> FloatArray:
    """Probability of success ``(s, l)`` of the model's ``l`` options with a likelihood: the
    drawn (or point) probability plus its indicator effects at ``values (s, i)``, clipped to
    [0, 1]. Without ``values`` the effects are not applied (the indicators at baseline).

    ``likelihood`` is ``(s, l)`` or ``(l,)`` (the model's point values when omitted). Effects
    are added indicator by indicator, element-wise, so a sample's probability does not depend
    on how many samples share the batch.
    """
    likelihoods = model.likelihoods
    if likelihoods is None:
        return np.empty((1 if values is None else values.shape[0], 0))
    if values is not None:
        s = values.shape[0]
    else:
        s = 1 if likelihood is None else np.atleast_2d(likelihood).shape[0]
    drawn = likelihoods.value if likelihood is None else likelihood
    if values is None or not likelihoods.effect_columns:
        return np.array(np.broadcast_to(drawn, (s, likelihoods.options.size)), dtype=np.float64)
    # likelihood-major (l, s), so each effect is one contiguous multiply-add per likelihood
    # it moves, in the same order (indicator by indicator) and with the same rounding as a
    # sample-major loop
    moved = np.array(np.broadcast_to(drawn, (s, likelihoods.options.size)).T, order="C")
    step = np.empty(s)
    for k, rows, coefficients in likelihoods.effect_columns:
        delta = values[:, k] - model.baseline[k]
        for row, coefficient in zip(rows.tolist(), coefficients.tolist(), strict=True):
            np.multiply(delta, coefficient, out=step)
            np.add(moved[row], step, out=moved[row])
    np.clip(moved, 0.0, 1.0, out=moved)
    p: FloatArray = moved.T
    return p


def expected(
    model: CompiledModel,
    success: FloatArray,
    likelihood: FloatArray | None = None,
    values: FloatArray | None = None,
    failure: FloatArray | None = None,
) -> FloatArray:
    """``p * success + (1 - p) * failure`` for the options with a likelihood ``p`` (see
    :func:`success_likelihood` and :func:`failure_performance`), ``success (s, o, c)`` itself
    for the others: chance of success weighs the outcomes instead of standing as a criterion
    beside them.

    ``likelihood`` is ``(s, l)`` or ``(l,)`` (the model's point values when omitted);
    ``values (s, i)``, where given, move it by its indicator effects; ``failure (s, l, c)``
    replaces :func:`failure_performance` where given (the assumptions register moves its
    numbers). Options without a
    likelihood, and models without any, are returned untouched (``success`` is updated in
    place and returned).
    """
    likelihoods = model.likelihoods
    if likelihoods is None:
        return success
    if values is None:
        p = likelihoods.value if likelihood is None else likelihood
        p = np.broadcast_to(p, (success.shape[0], likelihoods.options.size))[..., None]
    else:
        p = success_likelihood(model, values, likelihood)[..., None]
    if failure is None:
        failure = failure_performance(model, success)
    mixed = success[:, likelihoods.options]  # a copy (fancy index): mixed in place below
    np.multiply(mixed, p, out=mixed)
    mixed += (1.0 - p) * failure  # p * success + (1 - p) * failure, rounded as written
    # a convex combination of values in [0, 1]; the clip only removes rounding beyond the ends
    success[:, likelihoods.options] = np.clip(mixed, 0.0, 1.0)
    return success


def success_performance(
    model: CompiledModel, values: FloatArray, judgement: FloatArray | None = None
) -> FloatArray:
    """Performance ``(s, o, c)`` if every option succeeds: judgement plus indicator effects
    (linear, then the piecewise-linear value functions), clipped to [0, 1] (arguments as for
    :func:`performance`)."""
    base = model.judgement if judgement is None else judgement
    o, c = model.judgement.shape
    s = values.shape[0]
    delta = np.ascontiguousarray((values - model.baseline).T)  # (i, s)
    # element-wise accumulation over the (few) non-zero effects, indicator by indicator: unlike
    # a BLAS contraction, each sample's result does not depend on how many share the batch
    if s >= _COLUMN_SAMPLES:
        # large batches: add each effect to its (option, criterion) column in place, which
        # spares the two transposed copies of the sample-minor layout below (same arithmetic)
        flat = np.empty((s, o * c))  # C order: the methods' BLAS products depend on layout
        flat.reshape(s, o, c)[...] = base
        step = np.empty(s)
        for k, rows, coefficients in model.effect_columns:
            for row, coefficient in zip(rows.tolist(), coefficients.tolist(), strict=True):
                np.multiply(delta[k], coefficient, out=step)
                np.add(flat[:, row], step, out=flat[:, row])
        for function in model.value_functions:
            column = flat[:, function.column]
            np.add(column, function.shift(values[:, function.indicator]), out=column)
        np.clip(flat, 0.0, 1.0, out=flat)
        return flat.reshape(s, o, c)
    # work sample-minor, (o*c, s), so each affected (option, criterion) row is contiguous
    result = np.broadcast_to(base, (s, o, c)).reshape(s, o * c).T.copy(order="C")
    for k, rows, coefficients in model.effect_columns:
        result[rows] += coefficients[:, None] * delta[k]
    for function in model.value_functions:
        result[function.column] += function.shift(values[:, function.indicator])
    np.clip(result, 0.0, 1.0, out=result)
    out: FloatArray = np.ascontiguousarray(result.T).reshape(s, o, c)
    return out


def precondition_results(model: CompiledModel, values: FloatArray) -> BoolArray:
    """Whether each precondition holds: ``(s, p)`` for the model's ``p`` preconditions."""
    columns = {name: values[:, k] for k, name in enumerate(model.indicators)}
    out = np.ones((values.shape[0], len(model.preconditions)), dtype=bool)
    for p, pre in enumerate(model.preconditions):
        out[:, p] = pre.expression.evaluate(columns)
    return out


def availability(model: CompiledModel, holds: BoolArray) -> BoolArray:
    """Options available ``(s, o)``: every precondition of the option holds."""
    available = np.ones((holds.shape[0], len(model.options)), dtype=bool)
    if model.preconditions:
        owner = np.array([pre.option for pre in model.preconditions])
        failed = np.zeros_like(available)
        # scatter-or: an option fails if any of its preconditions fails
        np.logical_or.at(failed.T, owner, ~holds.T)
        available &= ~failed
    return available


def rank(scores: FloatArray, available: BoolArray) -> IntArray:
    """Ordinal ranks (1 = best) by score, available options first.

    Tie rule: equal scores are ranked in model order (the option listed first wins);
    unavailable options come after every available one, in model order.
    """
    key = np.where(available, scores, -np.inf)
    order = np.argsort(-key, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    positions = np.broadcast_to(np.arange(1, order.shape[-1] + 1), order.shape)
    np.put_along_axis(ranks, order, positions, axis=-1)
    result: IntArray = ranks.astype(np.int64)
    return result


def contributions(perf: FloatArray, weights: FloatArray, benefit: BoolArray) -> FloatArray:
    """Weighted value per criterion ``(s, o, c)``: w_c * v_oc with v = p or 1 - p for costs."""
    value = np.where(benefit, perf, 1.0 - perf)
    result: FloatArray = value * weights[..., None, :]
    return result


def state(
    model: CompiledModel,
    values: FloatArray,
    judgement: FloatArray | None = None,
    likelihood: FloatArray | None = None,
) -> tuple[FloatArray, BoolArray]:
    """Performance ``(s, o, c)`` and availability ``(s, o)`` of indicator values ``(s, i)``
    (and judgements ``(s, o, c)`` and likelihoods ``(s, l)``, the model's own when omitted)."""
    perf = performance(model, values, judgement, likelihood)
    return perf, availability(model, precondition_results(model, values))


def outcome(
    model: CompiledModel,
    perf: FloatArray,
    available: BoolArray,
    weights: FloatArray,
    method: str,
    params: Mapping[str, object] | MethodParams | None = None,
) -> tuple[FloatArray, IntArray]:
    """Scores ``(s, o)`` (0 where unavailable) and ranks of performance under normalised
    weights: the one place the chain score -> mask -> rank is written."""
    scores = score_method(method, perf, weights, model.benefit, available, params)
    scores = np.where(available, scores, 0.0)
    return scores, rank(scores, np.broadcast_to(available, scores.shape))


def evaluate_arrays(
    model: CompiledModel,
    values: FloatArray,
    weights: FloatArray,
    method: str = "wsm",
    params: Mapping[str, object] | MethodParams | None = None,
    judgement: FloatArray | None = None,
    likelihood: FloatArray | None = None,
) -> Evaluation:
    """Score every option in every sample: values ``(s, i)``, weights ``(c,)`` or ``(s, c)``."""
    values = np.atleast_2d(np.asarray(values, dtype=np.float64))
    w = np.broadcast_to(normalise_weights(weights), (values.shape[0], len(model.criteria)))
    perf, available = state(model, values, judgement, likelihood)
    scores, ranks = outcome(model, perf, available, w, method, params)
    return Evaluation(
        performance=perf,
        available=available,
        scores=scores,
        ranks=ranks,
        contributions=contributions(perf, w, model.benefit),
        weights=np.ascontiguousarray(w),
    )
