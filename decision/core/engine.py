"""The numeric core: performance, availability, scores, ranks and contributions as arrays.

Every array keeps a leading sample axis ``s`` (length 1 for a deterministic run):
``values (s, i)`` -> ``performance (s, o, c)`` (expected over success likelihoods, where an option
has one) and ``available (s, o)`` -> ``scores (s, o)``
-> ``ranks (s, o)``. Nothing here loops in Python over samples or options; the only loops are
over the model's effects and preconditions (a handful), each evaluated for all samples at once.
:class:`OneMoved` gives :func:`state` of rows that each move one indicator from a point (the
tipping points' scans) with the same arithmetic, recomputing only what that indicator reaches.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from decision.core.methods import MethodParams
from decision.core.methods import score as score_method
from decision.core.weights import normalise_weights

if TYPE_CHECKING:
    from decision.core.compile import BoolArray, CompiledModel, FloatArray, ValueFunction

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


@dataclass
class _Terms:
    """One cell's (or likelihood's) sum as the engine folds it: a start value, then its terms
    in order, each ``(indicator, tag, coefficient, value at the point)``; tag ``-1`` marks a
    linear effect, ``f >= 0`` the model's value function ``f``."""

    start: float
    terms: list[tuple[int, int, float, float]]


@dataclass(frozen=True)
class _Chains:
    """The sums that one indicator's term moves, each split at that term: the terms before it
    folded into ``prefix`` (scalar sums round exactly as element-wise ones), its
    ``coefficient`` and the point values of the non-zero terms after it (``suffix``, 0-padded,
    longest first so that the sums still to add at step ``t`` are the first ``counts[t]``)."""

    keys: NDArray[np.intp]
    prefix: FloatArray
    coefficients: FloatArray
    suffix: FloatArray  # (keys, longest suffix)
    counts: tuple[int, ...]

    @classmethod
    def build(cls, sums: list[tuple[int, _Terms, int]]) -> _Chains:
        """The chains of the given sums, each ``(key, sum, t)`` split at its term ``t``."""
        chains = []
        for key, sum_, t in sums:
            total = sum_.start
            for term in sum_.terms[:t]:
                total += term[3]
            # x + 0.0 is x unless x is -0.0, which a sum can only be if every summand is, its
            # start included: with any other start, zero terms change no bit and are left out
            signed = sum_.start == 0.0 and math.copysign(1.0, sum_.start) < 0
            tail = [term[3] for term in sum_.terms[t + 1 :] if signed or term[3] != 0.0]
            chains.append((key, total, sum_.terms[t][2], tail))
        chains.sort(key=lambda chain: len(chain[3]), reverse=True)
        keys = [chain[0] for chain in chains]
        prefix = [chain[1] for chain in chains]
        coefficients = [chain[2] for chain in chains]
        tails = [chain[3] for chain in chains]
        width = max((len(tail) for tail in tails), default=0)
        suffix = np.array([tail + [0.0] * (width - len(tail)) for tail in tails],
                          dtype=np.float64).reshape(len(tails), width)
        return cls(
            np.array(keys, dtype=np.intp),
            np.array(prefix, dtype=np.float64),
            np.array(coefficients, dtype=np.float64),
            suffix,
            tuple(sum(len(tail) > t for tail in tails) for t in range(width)),
        )

    def fold(self, term: FloatArray) -> FloatArray:
        """``(prefix + term) + suffix[0] + ...`` per key, for the moving term ``(keys, n)``."""
        total: FloatArray = self.prefix[:, None] + term
        for t, count in enumerate(self.counts):
            total[:count] += self.suffix[:count, t, None]
        return total


@dataclass(frozen=True)
class _Moves:
    """What moving one indicator recomputes: its linear and value-function chains (the success
    cells ``cells``, in that order), its likelihood chains, the likelihood cells to mix again
    (``mix_cells``), their likelihood, success and failure performance at the point
    (``*_point``) and which of those move instead (``*_at``: positions among the mixed cells,
    ``*_from``: positions in ``chances.keys`` or ``cells``), and the preconditions that read
    it."""

    linear: _Chains
    functions: tuple[tuple[ValueFunction, _Chains], ...]
    cells: NDArray[np.intp]
    plain: NDArray[np.intp]  # positions in cells of those not mixed again
    chances: _Chains
    mix_cells: NDArray[np.intp]
    chance_point: FloatArray
    chance_at: NDArray[np.intp]
    chance_from: NDArray[np.intp]
    good_point: FloatArray
    good_at: NDArray[np.intp]
    good_from: NDArray[np.intp]
    bad_point: FloatArray
    bad_at: NDArray[np.intp]
    bad_from: NDArray[np.intp]
    reads: tuple[int, ...]


def _positions(
    sums: list[tuple[int, _Terms]],
) -> dict[tuple[int, int], list[tuple[int, _Terms, int]]]:
    """``(indicator, tag)`` -> the sums with a term of it, and where: ``(key, sum, t)``."""
    found: dict[tuple[int, int], list[tuple[int, _Terms, int]]] = {}
    for key, sum_ in sums:
        for t, (k, tag, _, _) in enumerate(sum_.terms):
            # one term per indicator and sum (an entry with a value function has no linear
            # effect), so the terms after t never move with the same indicator
            found.setdefault((k, tag), []).append((key, sum_, t))
    return found


class OneMoved:
    """:func:`state` of many rows that each move one indicator away from a point ``x0``, bit
    for bit, at a fraction of the cost: for the scans and bisections of the tipping points.

    Row ``r`` is ``x0`` with indicator ``which[r]`` set to ``values[r]``. Every other entry of
    the row is the point's, so only the (option, criterion) cells, likelihoods and
    preconditions that the moved indicator reaches can differ from the point's state; those are
    recomputed with the engine's arithmetic in the engine's order (effects indicator by
    indicator, then value functions, then the clip and the mix with the failure case), every
    other entry is copied from the point. The model's own judgements and likelihoods only.
    """

    def __init__(self, model: CompiledModel, x0: FloatArray) -> None:
        self.model = model
        point = np.array(x0, dtype=np.float64)[None, :]
        self.x0: FloatArray = point[0]
        self.success0: FloatArray = success_performance(model, point).reshape(-1)  # (o * c,)
        perf0 = expected(model, success_performance(model, point), values=point)
        self.perf0: FloatArray = perf0.reshape(-1)
        self.holds0: BoolArray = precondition_results(model, point)[0]
        self.available0: BoolArray = availability(model, self.holds0[None, :])[0]
        self.p0: FloatArray = success_likelihood(model, point)[0]  # (l,)
        delta0 = point[0] - model.baseline  # the engine's values - baseline, entry by entry
        self._cells = _positions(self._success_sums(delta0))
        self._chance_positions = _positions(self._chance_sums(delta0))
        #: what moving each indicator recomputes, worked out when first moved
        self._moved: dict[int, _Moves] = {}

    def _success_sums(self, delta0: FloatArray) -> list[tuple[int, _Terms]]:
        """Per flat (option, criterion) cell with any term: its sum, in the engine's order."""
        model = self.model
        base = model.judgement.reshape(-1)
        sums: dict[int, _Terms] = {}
        for k, rows, coefficients in model.effect_columns:
            for row, coefficient in zip(rows.tolist(), coefficients.tolist(), strict=True):
                point = float(np.float64(coefficient) * delta0[k])
                sums.setdefault(row, _Terms(float(base[row]), [])).terms.append(
                    (k, -1, coefficient, point)
                )
        for f, function in enumerate(model.value_functions):
            at = self.x0[function.indicator : function.indicator + 1]
            sums.setdefault(function.column, _Terms(float(base[function.column]), [])).terms.append(
                (function.indicator, f, 0.0, float(function.shift(at)[0]))
            )
        return sorted(sums.items())

    def _chance_sums(self, delta0: FloatArray) -> list[tuple[int, _Terms]]:
        """Per likelihood with any effect: its sum, in the engine's order."""
        likelihoods = self.model.likelihoods
        sums: dict[int, _Terms] = {}
        if likelihoods is not None:
            for k, rows, coefficients in likelihoods.effect_columns:
                for row, coefficient in zip(rows.tolist(), coefficients.tolist(), strict=True):
                    point = float(delta0[k] * np.float64(coefficient))
                    sums.setdefault(row, _Terms(float(likelihoods.value[row]), [])).terms.append(
                        (k, -1, coefficient, point)
                    )
        return sorted(sums.items())

    def _moves(
        self,
        k: int,
        cells: dict[tuple[int, int], list[tuple[int, _Terms, int]]],
        chances: dict[tuple[int, int], list[tuple[int, _Terms, int]]],
    ) -> _Moves:
        """What moving indicator ``k`` recomputes."""
        model = self.model
        linear = _Chains.build(cells.get((k, -1), []))
        functions = tuple(
            (function, _Chains.build(cells[(k, f)]))
            for f, function in enumerate(model.value_functions)
            if function.indicator == k
        )
        moved = np.concatenate([linear.keys, *(chain.keys for _, chain in functions)])
        moving = _Chains.build(chances.get((k, -1), []))
        name = model.indicators[k]
        pres = model.preconditions
        reads = tuple(p for p, pre in enumerate(pres) if name in pre.expression.names)
        mixed = self._mixed
        if mixed is None:
            none = np.empty(0, dtype=np.intp)
            return _Moves(linear, functions, moved, np.arange(moved.size), moving, none,
                          np.empty(0), none, none, np.empty(0), none, none, np.empty(0), none,
                          none, reads)
        cell, chance, bad_cell = mixed
        # position of each (likelihood, success cell) among those that move, -1 where it stays
        chance_at = np.full(self.p0.size, -1, dtype=np.intp)
        chance_at[moving.keys] = np.arange(moving.keys.size)
        at = np.full(self.success0.size + 1, -1, dtype=np.intp)  # [-1]: no failure cell
        at[moved] = np.arange(moved.size)
        chance_from, good_from, bad_from = chance_at[chance], at[cell], at[bad_cell]
        mix = np.flatnonzero((chance_from >= 0) | (good_from >= 0) | (bad_from >= 0))
        chance_from, good_from, bad_from = chance_from[mix], good_from[mix], bad_from[mix]
        likelihoods = model.likelihoods
        assert likelihoods is not None
        fixed = likelihoods.failure.reshape(-1)[mix]
        bad_point = np.where(bad_cell[mix] >= 0, self.success0[bad_cell[mix]], fixed)
        return _Moves(
            linear, functions, moved, np.flatnonzero(~np.isin(moved, cell[mix])), moving,
            cell[mix],
            self.p0[chance[mix]], np.flatnonzero(chance_from >= 0), chance_from[chance_from >= 0],
            self.success0[cell[mix]], np.flatnonzero(good_from >= 0), good_from[good_from >= 0],
            bad_point, np.flatnonzero(bad_from >= 0), bad_from[bad_from >= 0],
            reads,
        )

    @cached_property
    def _mixed(self) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]] | None:
        """Per (likelihood, criterion), row-major: its option's success cell, the likelihood,
        and the reference's cell it fails to (-1: its own ``if_failure``); None without
        likelihoods."""
        model = self.model
        likelihoods = model.likelihoods
        if likelihoods is None:
            return None
        c = model.judgement.shape[1]
        criteria = np.arange(c)
        cell = (likelihoods.options[:, None] * c + criteria).reshape(-1)
        chance = np.repeat(np.arange(likelihoods.options.size), c)
        to_reference = np.isnan(likelihoods.failure).reshape(-1) & (model.reference is not None)
        reference = -1 if model.reference is None else model.reference
        bad_cell = np.where(to_reference, np.tile(reference * c + criteria, chance.size // c), -1)
        return cell.astype(np.intp), chance.astype(np.intp), bad_cell.astype(np.intp)

    def state(self, which: IntArray, values: FloatArray) -> tuple[FloatArray, BoolArray]:
        """Performance ``(s, o, c)`` and availability ``(s, o)`` of the rows, exactly as
        :func:`state` of the rows written out."""
        o, c = self.model.judgement.shape
        s = which.size
        perf = np.empty((s, o * c))
        perf[...] = self.perf0
        available = np.empty((s, o), dtype=bool)
        available[...] = self.available0
        # rows grouped by indicator, in order (a scan's are already: one run per indicator)
        order = np.arange(s) if s < 2 or np.all(which[1:] >= which[:-1]) else np.argsort(
            which, kind="stable"
        )
        ordered = which[order]
        starts = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
        for rows in np.split(order, starts) if s else []:
            k = int(which[rows[0]])
            # a run of consecutive rows (a scan's block) is written through a slice
            at: slice | IntArray = (
                slice(int(rows[0]), int(rows[-1]) + 1) if rows[-1] - rows[0] == rows.size - 1
                else rows[:, None]
            )
            moves = self._moved.get(k)
            if moves is None:
                moves = self._moved[k] = self._moves(k, self._cells, self._chance_positions)
            self._block(moves, k, at, values[rows], perf, available)
        return perf.reshape(s, o, c), available

    def _block(
        self,
        moves: _Moves,
        k: int,
        at: slice | IntArray,
        v: FloatArray,
        perf: FloatArray,
        available: BoolArray,
    ) -> None:
        """Write the state of the rows ``at`` that move indicator ``k`` to ``v``."""
        model = self.model
        n = v.size
        delta = v - model.baseline[k]
        # (cells, n) and (likelihoods, n): each sum's values contiguous
        parts = [moves.linear.fold(moves.linear.coefficients[:, None] * delta)]
        for function, chain in moves.functions:
            parts.append(chain.fold(function.shift(v)[None, :]))
        success = np.concatenate(parts) if len(parts) > 1 else parts[0]
        np.clip(success, 0.0, 1.0, out=success)
        if moves.plain.size:  # the cells mixed below are written there
            plain = success if moves.plain.size == moves.cells.size else success[moves.plain]
            perf[at, moves.cells[moves.plain]] = plain.T
        if moves.mix_cells.size:
            chance = np.empty((moves.mix_cells.size, n))
            chance[...] = moves.chance_point[:, None]
            if moves.chance_at.size:
                chances = moves.chances
                p = chances.fold(chances.coefficients[:, None] * delta)
                np.clip(p, 0.0, 1.0, out=p)
                chance[moves.chance_at] = p[moves.chance_from]
            # as in expected: p * success + (1 - p) * failure, rounded as written, clipped
            good = np.multiply(moves.good_point[:, None], chance)
            if moves.good_at.size:
                good[moves.good_at] = success[moves.good_from] * chance[moves.good_at]
            bad: FloatArray = moves.bad_point[:, None]
            if moves.bad_at.size:
                bad = np.repeat(bad, n, axis=1)
                bad[moves.bad_at] = success[moves.bad_from]
            failing = np.subtract(1.0, chance, out=chance)  # (chance is not needed after)
            np.multiply(failing, bad, out=failing)
            good += failing
            np.clip(good, 0.0, 1.0, out=good)
            perf[at, moves.mix_cells] = good.T
        if moves.reads:
            holds = np.empty((n, self.holds0.size), dtype=bool)
            holds[...] = self.holds0
            names = model.indicators
            for p_ in moves.reads:
                expression = model.preconditions[p_].expression
                columns = {
                    name: v if name == names[k] else np.full(n, self.x0[names.index(name)])
                    for name in expression.names
                }
                holds[:, p_] = expression.evaluate(columns)
            available[at if isinstance(at, slice) else at[:, 0]] = availability(model, holds)
