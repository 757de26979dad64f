"""What the per-scenario analyses share: the point state, scoring under other weights, the top
option, and vectorised bisection.

Every analysis takes ``(model: CompiledModel, inputs: ScenarioInputs)`` (the study hands over
each scenario's; see :class:`~decision.study.scenario.ScenarioRun`) and works at the scenario's
point values ``inputs.values`` with its weights and method. Results are frozen dataclasses that
:func:`decision.results.to_data` serialises.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from decision.core.compile import BoolArray, CompiledModel, FloatArray, ScenarioInputs
from decision.core.engine import outcome, state
from decision.core.methods import get_method, score
from decision.core.weights import normalise_weights

IntArray = NDArray[np.int64]

#: Points of a scan (over a weight path, or an indicator's range) for methods without a
#: closed form.
GRID = 2001
#: Bisection tolerance (in t, or relative to an indicator's range).
TOLERANCE = 1e-9
#: Interior points evaluated per bisection round (one batch; shrinks a bracket 33-fold).
SECTIONS = 32


def is_linear(method: str) -> bool:
    """Whether the method's scores are linear in the weights (the weighted sum)."""
    return get_method(method).name == "wsm"


def top_option(ranks: IntArray, available: BoolArray) -> IntArray:
    """Index of the first-ranked option per row, or -1 where no option is available."""
    first: IntArray = np.argmin(ranks, axis=-1).astype(np.int64)
    result: IntArray = np.where(available.any(axis=-1), first, -1)
    return result


def name_of(model: CompiledModel, index: int) -> str | None:
    """Option id at ``index``; None for -1 (no option available)."""
    return None if index < 0 else model.options[index]


def point_state(model: CompiledModel, inputs: ScenarioInputs) -> tuple[FloatArray, BoolArray]:
    """Performance ``(o, c)`` and availability ``(o,)`` at the scenario's point values."""
    perf, available = state(model, inputs.values[None, :])
    return perf[0], available[0]


def score_weights(
    model: CompiledModel,
    inputs: ScenarioInputs,
    perf: FloatArray,
    available: BoolArray,
    weights: FloatArray,
) -> tuple[FloatArray, IntArray]:
    """Scores and ranks ``(s, o)`` of one performance matrix under weight rows ``(s, c)``."""
    return outcome(model, perf, available, weights, inputs.method.name, inputs.method_params)


def refine(
    lo: FloatArray,
    hi: FloatArray,
    changed: Callable[[IntArray, FloatArray], BoolArray],
    tolerance: float | FloatArray,
    sections: int = SECTIONS,
) -> tuple[FloatArray, FloatArray]:
    """Vectorised multi-point bisection of many brackets at once.

    ``lo`` holds points where the outcome is unchanged and ``hi`` points where it has changed
    (``lo`` may be above ``hi``). ``changed(events (k,), points (k, m))`` evaluates the outcome of
    each event at its points, all in one batch. Each round keeps the sub-bracket of the first
    changed point seen from ``lo``, until ``|hi - lo| <= tolerance``; returns the brackets.
    """
    lo = np.array(lo, dtype=np.float64)
    hi = np.array(hi, dtype=np.float64)
    tol = np.broadcast_to(np.asarray(tolerance, dtype=np.float64), lo.shape)
    frac = np.arange(1, sections + 1) / (sections + 1)
    for _ in range(64):
        idx = np.flatnonzero(np.abs(hi - lo) > tol).astype(np.int64)
        if idx.size == 0:
            break
        pts = lo[idx, None] + (hi[idx] - lo[idx])[:, None] * frac
        hit = changed(idx, pts)
        first = np.where(hit.any(axis=1), hit.argmax(axis=1), sections)
        ext = np.concatenate([lo[idx, None], pts, hi[idx, None]], axis=1)
        rows = np.arange(idx.size)
        lo[idx], hi[idx] = ext[rows, first], ext[rows, first + 1]
    return lo, hi


def linear_coefficients(
    model: CompiledModel, inputs: ScenarioInputs, perf: FloatArray, available: BoolArray
) -> FloatArray:
    """``N (o, c)``: each option's score under each unit weight vector (weighted sum only)."""
    n = len(model.criteria)
    scores, _ = score_weights(model, inputs, perf, available, np.eye(n))
    result: FloatArray = scores.T.copy()
    return result


def top_and_availability(
    model: CompiledModel, inputs: ScenarioInputs, values: FloatArray
) -> tuple[IntArray, BoolArray]:
    """Top option index (-1: none available) ``(s,)`` and availability ``(s, o)`` at values.

    The engine's steps of :func:`~decision.core.engine.evaluate_arrays` without the contributions,
    which nothing here needs.
    """
    perf, available = state(model, values)
    return top_of_state(model, inputs, perf, available), available


def top_of_state(
    model: CompiledModel, inputs: ScenarioInputs, perf: FloatArray, available: BoolArray
) -> IntArray:
    """Top option index (-1: none available) ``(s,)`` of performance ``(s, o, c)`` and
    availability ``(s, o)`` under the scenario's weights and method."""
    # the first-ranked option without the ranking: the first (in model order) of the highest
    # scores among the available options, as :func:`~decision.core.engine.rank` orders them
    scores = score(
        inputs.method.name, perf, normalise_weights(inputs.weights), model.benefit, available,
        inputs.method_params,
    )
    best: IntArray = np.argmax(np.where(available, scores, -np.inf), axis=-1).astype(np.int64)
    result: IntArray = np.where(available.any(axis=-1), best, -1)
    return result
