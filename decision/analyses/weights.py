"""Weight stability and crossovers: how far one criterion's weight can move before the
recommendation, or the whole ranking, changes.

The calling convention of every analysis is in :mod:`decision.analyses.common`.

Weight path of criterion ``c``: ``t`` in [0, 1] is c's normalised weight and the other weights
keep their proportions, ``w_j(t) = (1 - t) w_j / (1 - w_c)``; when ``w_c = 1`` (every other
weight zero) the others share ``1 - t`` equally. With a single criterion nothing can move: the
intervals are [0, 1] and there are no crossovers.

Exactness: under the weighted sum (``wsm``, any normalisation) scores are linear in the weights,
``score_o(w) = N_o . w`` with ``N_oj`` the score under the unit weight vector ``e_j``, so
``score_o(t) = t N_oc + (1 - t) R_o``; intervals and crossovers are then exact (closed form, up
to floating point). Other methods: a scan of :data:`GRID` evenly spaced ``t`` (plus the current
weight), then every change refined by vectorised bisection to :data:`TOLERANCE` in ``t``,
the weight rows scored in batches of :data:`BATCH_BYTES` per array (the changes grow with the
pairs of options, so one batch of all their bisection points would grow with options cubed);
a change that happens and reverts between two grid points (within 1/(GRID - 1)) can be
missed. Only available options compete; unavailable ones are ranked last
whatever the weights, and ties follow the engine's rule (model order). A crossover at t = 0 or
1 exactly means the two options tie there (or, for methods with vetoes such as the weighted
product, that their order changes exactly at the end); scanned changes within the tolerance of
an end are put at the end. Scanned results are only as exact as the method is continuous:
where options tie exactly (degenerate models), rounding noise can decide their order (VIKOR's
Q even jumps when its regret extremes tie), and the scan reports what the engine does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from decision.analyses.common import (
    GRID,
    TOLERANCE,
    IntArray,
    is_linear,
    linear_coefficients,
    name_of,
    point_state,
    refine,
    score_weights,
    top_option,
)
from decision.core.compile import BoolArray, CompiledModel, FloatArray, ScenarioInputs
from decision.core.engine import rank
from decision.core.weights import normalise_weights

if TYPE_CHECKING:
    import pandas as pd

#: Crossovers this close to t = 0 or 1 (floating-point noise) are put at the end.
_END = 1e-12



def rest_directions(weights: FloatArray) -> tuple[FloatArray, BoolArray]:
    """Row c: where the other weights go as c's weight falls (``(c, c)``, rows sum to 1).

    Also returns which criteria use the equal-split convention (their weight is 1).
    """
    n = weights.shape[0]
    rest = np.broadcast_to(weights, (n, n)).copy()
    np.fill_diagonal(rest, 0.0)
    totals = rest.sum(axis=1)
    split = totals <= 0.0
    equal = np.full((n, n), 1.0 / max(n - 1, 1))
    np.fill_diagonal(equal, 0.0)
    rest = np.where(split[:, None], equal, rest / np.where(split, 1.0, totals)[:, None])
    return rest, split


def weight_paths(weights: FloatArray, criterion: int, t: FloatArray) -> FloatArray:
    """Weight rows ``(s, c)`` along criterion's path at the points ``t (s,)``."""
    w = normalise_weights(weights)
    rest, _ = rest_directions(w)
    t = np.asarray(t, dtype=np.float64)
    unit = np.eye(len(w))[criterion]
    result: FloatArray = (1.0 - t)[:, None] * rest[criterion] + t[:, None] * unit
    return result


@dataclass(frozen=True)
class Crossover:
    """Option ``overtaking`` moves ahead of ``overtaken`` as the weight rises through ``t``."""

    t: float
    overtaking: str
    overtaken: str


@dataclass(frozen=True)
class CriterionSensitivity:
    """Stability of the recommendation along one criterion's weight path.

    ``weight`` is the current normalised weight; ``top_interval`` and ``ranking_interval`` are
    the ranges of t (containing ``weight``) where the top option, resp. the whole ranking, stays
    as it is; ``crossovers`` are sorted by t. ``equal_split``: the current weight is 1, so the
    others share 1 - t equally.
    """

    criterion: str
    weight: float
    top: str | None
    top_interval: tuple[float, float]
    ranking_interval: tuple[float, float]
    crossovers: tuple[Crossover, ...]
    equal_split: bool = False


@dataclass(frozen=True)
class WeightSensitivity:
    """Weight stability for every criterion of one scenario.

    ``exact``: closed form (weighted sum, or nothing can change: one criterion or no available
    option); otherwise scan + bisection with ``tolerance`` in t.
    """

    scenario: str
    method: str
    exact: bool
    tolerance: float
    criteria: tuple[CriterionSensitivity, ...]

    def criterion(self, name: str) -> CriterionSensitivity:
        """The result for one criterion by id."""
        for item in self.criteria:
            if item.criterion == name:
                return item
        raise KeyError(name)

    def to_frame(self) -> pd.DataFrame:
        """One row per criterion as a pandas DataFrame (needs the ``frames`` extra): weight,
        top, the ends of ``top_interval`` and ``ranking_interval``, crossovers (how many)
        and equal_split."""
        from decision.results.frames import frame

        items = self.criteria
        return frame(
            {
                "weight": [c.weight for c in items],
                "top": [c.top for c in items],
                "top_low": [c.top_interval[0] for c in items],
                "top_high": [c.top_interval[1] for c in items],
                "ranking_low": [c.ranking_interval[0] for c in items],
                "ranking_high": [c.ranking_interval[1] for c in items],
                "crossovers": [len(c.crossovers) for c in items],
                "equal_split": [c.equal_split for c in items],
            },
            [c.criterion for c in items], "criterion",
        )


def weight_sensitivity(
    model: CompiledModel,
    inputs: ScenarioInputs,
    *,
    grid: int = GRID,
    tolerance: float = TOLERANCE,
) -> WeightSensitivity:
    """Top-stability and ranking-stability intervals and crossovers for every criterion."""
    w = normalise_weights(inputs.weights)
    perf, available = point_state(model, inputs)
    linear = is_linear(inputs.method.name)
    if len(w) == 1 or not available.any():
        _, ranks = score_weights(model, inputs, perf, available, w[None, :])
        top = name_of(model, int(top_option(ranks, available[None, :])[0]))
        items = tuple(
            CriterionSensitivity(c, float(w[k]), top, (0.0, 1.0), (0.0, 1.0), ())
            for k, c in enumerate(model.criteria)
        )
        return WeightSensitivity(inputs.id, inputs.method.name, True, 0.0, items)
    if linear:
        items = _closed_form(model, inputs, perf, available, w)
        return WeightSensitivity(inputs.id, inputs.method.name, True, 0.0, items)
    items = _scanned(model, inputs, perf, available, w, grid, tolerance)
    return WeightSensitivity(inputs.id, inputs.method.name, False, tolerance, items)


def _ahead(scores: FloatArray, a: int, b: int) -> bool:
    """Whether option a ranks above b (ties: model order)."""
    return bool(scores[a] > scores[b] or (scores[a] == scores[b] and a < b))


def _closed_form(
    model: CompiledModel,
    inputs: ScenarioInputs,
    perf: FloatArray,
    available: BoolArray,
    w: FloatArray,
) -> tuple[CriterionSensitivity, ...]:
    coef = linear_coefficients(model, inputs, perf, available)
    rest, split = rest_directions(w)
    live = np.flatnonzero(available)
    s0 = coef @ w
    ranks0 = rank(s0[None, :], available[None, :])[0]
    top = int(np.argmin(ranks0))
    items = []
    for c, name in enumerate(model.criteria):
        t0 = float(w[c])
        # score_o(t) = base_o + slope_o * t
        r = coef @ rest[c]
        slope = coef[:, c] - r
        base = r
        top_lo, top_hi, rank_lo, rank_hi = 0.0, 1.0, 0.0, 1.0
        crossings: list[Crossover] = []
        for i, a in enumerate(live):
            for b in live[i + 1 :]:
                d_slope = float(slope[a] - slope[b])
                if d_slope == 0.0:
                    continue
                root = float((base[b] - base[a]) / d_slope)
                if -_END <= root <= 1.0 + _END:
                    root = min(max(root, 0.0), 1.0)
                    up, down = (a, b) if d_slope > 0 else (b, a)
                    crossings.append(Crossover(root, model.options[up], model.options[down]))
                # the leader at t0 stays ahead on the side of the root that contains t0
                lead = a if ranks0[a] < ranks0[b] else b
                lead_rises = (d_slope > 0) == (lead == a)
                lo, hi = (min(root, t0), 1.0) if lead_rises else (0.0, max(root, t0))
                rank_lo, rank_hi = max(rank_lo, lo), min(rank_hi, hi)
                if top in (a, b):
                    top_lo, top_hi = max(top_lo, lo), min(top_hi, hi)
        crossings.sort(key=lambda x: (x.t, x.overtaking, x.overtaken))
        items.append(
            CriterionSensitivity(
                name,
                t0,
                model.options[top],
                (top_lo, top_hi),
                (rank_lo, rank_hi),
                tuple(crossings),
                bool(split[c]),
            )
        )
    return tuple(items)


#: Bytes of one ``(rows, options, criteria)`` array of a batch of weight rows scored at once (and
#: of one ``(grid, pairs)`` array of pair orders): the crossovers to refine grow with the pairs
#: of options, and one batch of all their bisection points with options cubed (a 200-option
#: model asked for 9.8 GB).
BATCH_BYTES = 32 * 2**20


def _batches(rows: int, row_elements: int) -> list[slice]:
    """Slices of ``rows`` rows of ``row_elements`` float64 numbers each, at most
    :data:`BATCH_BYTES` a slice (one row at the least)."""
    step = max(BATCH_BYTES // (8 * max(row_elements, 1)), 1)
    return [slice(start, min(start + step, rows)) for start in range(0, rows, step)]


def _flips(
    ranks: IntArray, pair_a: IntArray, pair_b: IntArray
) -> tuple[list[int], list[int], list[bool]]:
    """Where the order of a pair of options changes along the rows of ``ranks`` (grid step
    ``k`` to ``k + 1``): the steps, the pairs (indices into ``pair_a``/``pair_b``) and whether
    ``a`` was ahead before the step, ordered by step then pair; the pairs taken in batches."""
    steps, pairs, ahead_before = [], [], []
    for part in _batches(pair_a.size, ranks.shape[0]):
        ahead = ranks[:, pair_a[part]] < ranks[:, pair_b[part]]  # (rows, pairs of the batch)
        k, p = np.nonzero(ahead[1:] != ahead[:-1])
        steps.append(k)
        pairs.append(p + part.start)
        ahead_before.append(ahead[k, p])
    if not steps:
        return [], [], []
    k, p, before = np.concatenate(steps), np.concatenate(pairs), np.concatenate(ahead_before)
    order = np.lexsort((p, k))
    return k[order].tolist(), p[order].tolist(), before[order].tolist()


def _snap(t: float, tolerance: float) -> float:
    """A change within the tolerance of an end of the path happens at that end."""
    return 0.0 if t <= tolerance else 1.0 if t >= 1.0 - tolerance else t


def _run(same: BoolArray, start: int) -> tuple[int, int]:
    """First and last index of the run of True in ``same`` that contains ``start``."""
    left = same[: start + 1][::-1]
    right = same[start:]
    n_left = int(np.argmin(left)) if not left.all() else left.size
    n_right = int(np.argmin(right)) if not right.all() else right.size
    return start - n_left + 1, start + n_right - 1


def _scanned(
    model: CompiledModel,
    inputs: ScenarioInputs,
    perf: FloatArray,
    available: BoolArray,
    w: FloatArray,
    grid: int,
    tolerance: float,
) -> tuple[CriterionSensitivity, ...]:
    n_crit = len(w)
    rest, split = rest_directions(w)
    eye = np.eye(n_crit)
    live = np.flatnonzero(available)
    pair_a, pair_b = (x.ravel() for x in np.triu_indices(live.size, 1))
    pair_a, pair_b = live[pair_a], live[pair_b]
    _, ranks0_2d = score_weights(model, inputs, perf, available, w[None, :])
    ranks0 = ranks0_2d[0]
    top0 = int(np.argmin(ranks0))
    # every criterion's grid (plus its current weight), scored in batches
    ts = [np.union1d(np.linspace(0.0, 1.0, grid), [w[c]]) for c in range(n_crit)]
    crit = np.concatenate([np.full(t.size, c) for c, t in enumerate(ts)])
    t_all = np.concatenate(ts)
    weights = (1.0 - t_all)[:, None] * rest[crit] + t_all[:, None] * eye[crit]
    ranks = np.concatenate([
        score_weights(model, inputs, perf, available, weights[part])[1]
        for part in _batches(weights.shape[0], perf.size)
    ])
    tops = np.argmin(ranks, axis=1)
    # events: kind 0 = top, 1 = whole ranking, 2 = pair order; (criterion, kind, pair, lo, hi)
    ev_crit: list[int] = []
    ev_kind: list[int] = []
    ev_pair: list[int] = []
    ev_lo: list[float] = []
    ev_hi: list[float] = []
    ev_ref: list[bool] = []
    run_ends: list[dict[tuple[int, int], float]] = []
    offset = 0
    for c, t in enumerate(ts):
        rows = slice(offset, offset + t.size)
        offset += t.size
        start = int(np.searchsorted(t, w[c]))
        ends: dict[tuple[int, int], float] = {}
        same_sets = (tops[rows] == top0, (ranks[rows] == ranks0).all(axis=1))
        for kind, same in enumerate(same_sets):
            first, last = _run(same, start)
            ends[(kind, 0)], ends[(kind, 1)] = float(t[first]), float(t[last])
            for side, (inside, outside) in enumerate(((first, first - 1), (last, last + 1))):
                if 0 <= outside < t.size:
                    ev_crit.append(c)
                    ev_kind.append(kind)
                    ev_pair.append(-1 - side)
                    ev_lo.append(float(t[inside]))
                    ev_hi.append(float(t[outside]))
                    ev_ref.append(False)
        run_ends.append(ends)
        for k, p, ref in zip(*_flips(ranks[rows], pair_a, pair_b), strict=True):
            ev_crit.append(c)
            ev_kind.append(2)
            ev_pair.append(p)
            ev_lo.append(float(t[k]))
            ev_hi.append(float(t[k + 1]))
            ev_ref.append(ref)
    e_crit = np.array(ev_crit, dtype=np.int64)
    e_kind = np.array(ev_kind, dtype=np.int64)
    e_pair = np.array(ev_pair, dtype=np.int64)
    e_ref = np.array(ev_ref, dtype=bool)

    def changed(events: IntArray, pts: FloatArray) -> BoolArray:
        """Whether each event's outcome has changed at its points, in batches of events."""
        result = np.empty(pts.shape, dtype=bool)
        for part in _batches(pts.shape[0], pts.shape[1] * perf.size):
            result[part] = changed_batch(events[part], pts[part])
        return result

    def changed_batch(events: IntArray, pts: FloatArray) -> BoolArray:
        k, m = pts.shape
        cc = np.repeat(e_crit[events], m)
        tt = pts.ravel()
        wr = (1.0 - tt)[:, None] * rest[cc] + tt[:, None] * eye[cc]
        _, rk = score_weights(model, inputs, perf, available, wr)
        rk = rk.reshape(k, m, -1)
        kind = e_kind[events][:, None]
        top_changed = np.argmin(rk, axis=2) != top0
        rank_changed = (rk != ranks0).any(axis=2)
        pair_changed = np.zeros((k, m), dtype=bool)
        if pair_a.size:
            pair = np.clip(e_pair[events], 0, None)
            rank_a = np.take_along_axis(rk, pair_a[pair][:, None, None], 2)[..., 0]
            rank_b = np.take_along_axis(rk, pair_b[pair][:, None, None], 2)[..., 0]
            pair_changed = (rank_a < rank_b) != e_ref[events][:, None]
        result: BoolArray = np.where(
            kind == 0, top_changed, np.where(kind == 1, rank_changed, pair_changed)
        )
        return result

    lo, hi = refine(np.array(ev_lo), np.array(ev_hi), changed, tolerance)
    mid = (lo + hi) / 2.0
    items = []
    for c, name in enumerate(model.criteria):
        ends = run_ends[c]
        bounds = dict(ends)
        crossings: list[Crossover] = []
        for e in np.flatnonzero(e_crit == c):
            kind = int(e_kind[e])
            if kind < 2:
                bounds[(kind, -1 - int(e_pair[e]))] = _snap(float(mid[e]), tolerance)
                continue
            a, b = int(pair_a[e_pair[e]]), int(pair_b[e_pair[e]])
            # "a ahead" was e_ref below the crossing in the scan direction (increasing t)
            up, down = (b, a) if e_ref[e] else (a, b)
            crossings.append(Crossover(_snap(float(mid[e]), tolerance), model.options[up],
                                       model.options[down]))
        crossings.sort(key=lambda x: (x.t, x.overtaking, x.overtaken))
        items.append(
            CriterionSensitivity(
                name,
                float(w[c]),
                model.options[top0],
                (bounds[(0, 0)], bounds[(0, 1)]),
                (bounds[(1, 0)], bounds[(1, 1)]),
                tuple(crossings),
                bool(split[c]),
            )
        )
    return tuple(items)
