"""Scenario discovery: the conditions under which an outcome of interest happens, as PRIM
boxes and a CART tree over the explored inputs.

CART is scikit-learn's ``DecisionTreeClassifier``. PRIM (Friedman and Fisher 1999; the
scenario-discovery reading of Bryant and Lempert 2010) is written here: the maintained
implementations are the EMA Workbench's, which comes only with the whole workbench
(ema-workbench and its simulation-model framework), and the ``prim`` package (Project
Platypus), which works on pandas frames and installs matplotlib and mplcursors for its
interactive plots; neither is a dependency worth a hundred vectorised lines.

PRIM here: peeling removes, at each step, the ``alpha`` share of the box's points at the low
or high end of one input, whichever leaves the densest box (density: the share of the box's
points where the outcome holds); it stops when the box holds less than ``min_mass`` of all
points. Each step weighs every candidate peel at once: the inputs are sorted once, and a step
reads each input's sorted box points only from the ends of its span as far as the quantile
(numpy's, to the bit), not the whole box. The peeling trajectory gives the coverage-density
trade-off (coverage: the share of all cases of the outcome inside the box). The chosen box is
the one with the largest coverage times the density gained over the base rate (a box as dense
as the whole space explains nothing; a dense box covering few cases little; ties: the larger
box), then pasted: an edge is moved back out while that raises the density, then trimmed: a
restriction is dropped while dropping one lowers the density by less than
:data:`TRIM_TOLERANCE` (the one that lowers it least first), since peeling also restricts
inputs that barely matter and a box should read as a few conditions. A box limit is the
smallest or largest value of its points, so the box is closed; a dimension is restricted when
a limit is inside the data's range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from decision.core.compile import BoolArray, FloatArray

PEEL_ALPHA = 0.05
PASTE_ALPHA = 0.01
MIN_MASS = 0.05
#: Density a restriction must add to stay in the box (an absolute share: 0.03 is three
#: percentage points of density; at 0.01 boxes on the Belarus model kept up to 11 inputs).
TRIM_TOLERANCE = 0.03
#: Peeling walks only the box's points once it holds less than a third of those it walks.
_SHRINK = 3


@dataclass(frozen=True)
class Limit:
    """A restricted input: ``low <= x <= high`` (None: that side unrestricted)."""

    input: str
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Box:
    """A PRIM box: its restricted inputs and how well it describes the outcome."""

    limits: list[Limit]
    coverage: float  # share of the outcome's cases inside the box
    density: float  # share of the box's points where the outcome holds
    mass: float  # share of all points inside the box


@dataclass(frozen=True)
class TrajectoryPoint:
    coverage: float
    density: float
    mass: float
    restricted: int


@dataclass(frozen=True)
class PrimResult:
    box: Box
    trajectory: list[TrajectoryPoint]
    chosen: int  # position of the chosen box on the peeling trajectory


def _stats(inside: BoolArray, y: BoolArray, total: int) -> tuple[float, float, float]:
    m = int(inside.sum())
    hits = int((inside & y).sum())
    return hits / max(total, 1), hits / max(m, 1), m / inside.size


@dataclass(frozen=True)
class Columns:
    """The inputs ``x (n, d)`` column by column: ``values (d, n)`` (each input's values,
    contiguous) and ``order (d, n)``, each input's samples in ascending order of its values.
    Sorted once and shared by the PRIM runs of several outcomes on the same inputs
    (:func:`sort_columns`)."""

    values: FloatArray
    order: NDArray[np.intp]


def sort_columns(x: FloatArray) -> Columns:
    """:class:`Columns` of inputs ``x (n, d)``."""
    values = np.ascontiguousarray(x.T)
    return Columns(values, np.argsort(values, axis=1))  # ties in any order: see _peels


def _shrink(order: NDArray[np.intp], inside: BoolArray) -> NDArray[np.intp]:
    """``order (d, k)`` restricted to the samples ``inside (n,)``."""
    keep = inside[order]  # (d, k): the same number in each row
    return order[keep].reshape(order.shape[0], -1)


def lerp(a: FloatArray, b: FloatArray, t: FloatArray) -> FloatArray:
    """numpy's quantile interpolation between order statistics ``a <= b`` at ``t``, to the
    bit (``numpy.lib._function_base_impl._lerp``: from the nearer end, so it is monotonic)."""
    diff = b - a
    out: FloatArray = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)
    return out


def _peels(values: FloatArray, order: NDArray[np.intp], member: BoolArray,
           inside: BoolArray, hit: BoolArray, start: NDArray[np.intp], stop: NDArray[np.intp],
           m: int, quantiles: FloatArray) -> tuple[NDArray[np.int64], NDArray[np.int64],
                                                   NDArray[np.intp]]:
    """Every candidate peel of the box: rows ``0..d-1`` peel an input's low end (values up
    to its ``quantiles[0]`` quantile over the box), rows ``d..2d-1`` its high end (values
    from its ``quantiles[1]`` quantile up). For each: the box points it removes, those with
    the outcome, and how far the span ``[start, stop)`` of the input's ``order`` moves.

    The quantile is numpy's linear one: order statistics of the box's values at ``(m - 1) q``
    interpolated as numpy does (:func:`lerp`). They are found walking each input's span
    from its end, only as far as the second one (``K`` samples: about ``alpha`` of the
    span); a peel removes the box points up to the nearer one, or, when the quantile falls
    on the farther one (ties: a boolean input, say), every box point with that value, which
    masked passes over the input's samples count."""
    d, k = order.shape
    n = values.shape[1]
    virtual = (m - 1) * quantiles
    below = np.minimum(np.floor(virtual).astype(np.intp), m - 1)
    above = np.minimum(below + 1, m - 1)
    # ranks from each row's end: the nearer order statistic, then the farther
    near_rank = np.repeat([int(below[0]), m - 1 - int(above[1])], d)
    far_rank = np.repeat([int(above[0]), m - 1 - int(below[1])], d)
    up = np.arange(2 * d) < d
    begin = np.concatenate([start, stop - 1])
    span = np.tile(stop - start, 2)
    first = np.tile(np.arange(d) * k, 2) + begin  # flat index of each row's first sample
    # a sample's code: 1 if it is a box point with the outcome, plus ``point`` if it is a box
    # point, so one running sum counts both (sample n: past a row's end, nothing)
    point = 1 << n.bit_length()
    code = np.zeros(n + 1, dtype=np.int64)
    code[:n] = inside * point + hit
    size = min(k, int(int(far_rank.max() + 1) * float(span.max()) / max(m, 1) * 1.25) + 16)
    while True:
        offset = np.arange(size)
        flat = np.empty((2 * d, size), dtype=np.intp)
        np.add(first[:d, None], offset, out=flat[:d])  # walking up
        np.subtract(first[d:, None], offset, out=flat[d:])  # walking down
        samples = np.take(order, flat, mode="clip")
        reach = np.where(up, begin + size - 1, begin - size + 1)
        if np.any((reach >= k) | (reach < 0)):
            # past a row's end: no sample (past the span, samples are out of the box anyway)
            row_end = np.where(up, k - begin, begin + 1)
            samples = np.where(offset[None, :] < row_end[:, None], samples, n)
        counts = np.cumsum(code[samples], axis=1)
        if size == k or bool(np.all(counts[:, -1] >= (far_rank + 1) * point)):
            break
        size = min(k, 2 * size)
    # where each row's running count of box points first reaches a rank: one search over
    # the rows' counts laid end to end, each row lifted above the one before
    rows = np.arange(2 * d)
    lift = rows * (int(counts[:, -1].max()) + 1)
    lifted = (counts + lift[:, None]).ravel()
    near_at = np.searchsorted(lifted, (near_rank + 1) * point + lift) - rows * size
    far_at = np.searchsorted(lifted, (far_rank + 1) * point + lift) - rows * size
    column = np.tile(np.arange(d) * n, 2)
    near = values.ravel()[column + samples[rows, near_at]]
    far = values.ravel()[column + samples[rows, far_at]]
    below_value, above_value = np.where(up, near, far), np.where(up, far, near)
    fraction = np.repeat(virtual - np.floor(virtual), d)
    threshold = lerp(below_value, above_value, fraction)
    points = (near_rank + 1).astype(np.int64)
    hits = counts[rows, near_at] & (point - 1)
    moved = near_at + 1
    ties = np.flatnonzero(np.where(up, threshold >= far, threshold <= far))
    for r in ties.tolist():  # the peel takes every box point with the farther one's value
        j, row = r % d, values[r % d]
        beyond = row <= threshold[r] if r < d else row >= threshold[r]
        points[r] = np.count_nonzero(beyond & inside)
        hits[r] = np.count_nonzero(beyond & hit)
        # below the span's start every value is below the threshold, above its stop above it
        moved[r] = np.count_nonzero(beyond & member) - (start[j] if r < d else k - stop[j])
    return points, hits, moved


def prim(x: FloatArray, y: BoolArray, names: Sequence[str], *, alpha: float = PEEL_ALPHA,
         min_mass: float = MIN_MASS, trim: float = TRIM_TOLERANCE,
         columns: Columns | None = None) -> PrimResult:
    """PRIM on inputs ``x (n, d)`` and outcome ``y (n,)`` (see the module docstring);
    ``columns``: ``x`` already sorted (:func:`sort_columns`).

    Each peel's quantiles are numpy's (linear interpolation between two order statistics of
    the box's points) without partitioning the box: the box's points are found in each
    input's sorted order from the ends of the box's span, only as far as the quantile, so a
    step costs about ``alpha * n`` samples per input rather than the box's whole size."""
    n, d = x.shape
    cols = columns if columns is not None else sort_columns(x)
    values, order = cols.values, cols.order  # order: only the box's samples once it is small
    total = int(y.sum())
    low, high = values.min(axis=1), values.max(axis=1)
    inside = np.ones(n, dtype=bool)
    hit = y.copy()  # the box's points with the outcome
    member = inside.copy()  # the samples in ``order``
    boxes: list[tuple[FloatArray, FloatArray]] = [(low.copy(), high.copy())]
    trajectory = [TrajectoryPoint(*_stats(inside, y, total), 0)]
    lo, hi = low.copy(), high.copy()
    # the box's points lie in [start, stop) of each input's order
    start, stop = np.zeros(d, dtype=np.intp), np.full(d, n, dtype=np.intp)
    quantiles = np.array([alpha, 1.0 - alpha])
    m, hits = n, total
    while d and m / n > min_mass and total:
        points, peeled_hits, moved = _peels(values, order, member, inside, hit, start, stop,
                                            m, quantiles)
        kept = m - points  # (2d,)
        kept_hits = hits - peeled_hits
        removes = kept < m
        valid = removes & (kept >= 1)
        if not valid.any():
            break
        density = np.where(valid, kept_hits / np.maximum(kept, 1), -1.0)
        # the densest box; ties: the peel that removes least
        pick = int(np.lexsort((-kept, -density))[0])
        j = pick % d
        if pick < d:
            gone = order[j, start[j] : start[j] + moved[pick]]
            start[j] += moved[pick]
        else:
            gone = order[j, stop[j] - moved[pick] : stop[j]]
            stop[j] -= moved[pick]
        inside[gone] = False
        hit[gone] = False
        m, hits = int(kept[pick]), int(kept_hits[pick])
        if pick < d:
            lo[j] = values[j, inside].min()
        else:
            hi[j] = values[j, inside].max()
        boxes.append((lo.copy(), hi.copy()))
        restricted = int(((lo > low) | (hi < high)).sum())
        trajectory.append(TrajectoryPoint(hits / max(total, 1), hits / max(m, 1), m / n,
                                          restricted))
        if _SHRINK * m < order.shape[1]:  # the box is small: walk its points only from now on
            order, member = _shrink(order, inside), inside.copy()
            start, stop = np.zeros(d, dtype=np.intp), np.full(d, m, dtype=np.intp)
    cov = np.array([t.coverage for t in trajectory])
    den = np.array([t.density for t in trajectory])
    f = cov * (den - total / max(n, 1))
    chosen = int(np.flatnonzero(f >= f.max() - 1e-12)[0])
    blo, bhi = _trim(x, y, *_paste(x, y, *boxes[chosen], low, high), low, high, trim)
    return PrimResult(_box(x, y, blo, bhi, low, high, names, total), trajectory, chosen)


def _inside(x: FloatArray, lo: FloatArray, hi: FloatArray) -> BoolArray:
    out: BoolArray = np.all((x >= lo) & (x <= hi), axis=1)
    return out


def _restricted(lo: FloatArray, hi: FloatArray, low: FloatArray, high: FloatArray
                ) -> NDArray[np.intp]:
    """The inputs a box restricts: every point meets the others' limits (the data's range)."""
    return np.flatnonzero((lo > low) | (hi < high))


def _missed(x: FloatArray, lo: FloatArray, hi: FloatArray, dims: NDArray[np.intp]
            ) -> BoolArray:
    """Whether each point misses each restricted input's limits ``(n, r)``."""
    xr = x[:, dims]
    out: BoolArray = (xr < lo[dims]) | (xr > hi[dims])
    return out


def _paste(x: FloatArray, y: BoolArray, lo: FloatArray, hi: FloatArray, low: FloatArray,
           high: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Move edges back out while that raises the box's density (``PASTE_ALPHA`` of the
    box's points at a time). A point can be added by moving input ``j``'s edge when ``j``
    is the only restriction it misses."""
    lo, hi = lo.copy(), hi.copy()
    for _ in range(100):
        dims = _restricted(lo, hi, low, high)
        missed = _missed(x, lo, hi, dims)
        fails = np.count_nonzero(missed, axis=1)
        inside = fails == 0
        m = int(inside.sum())
        box_hits = int(np.count_nonzero(inside & y))
        best, best_density = None, float(box_hits) / max(m, 1)
        step = max(1, int(PASTE_ALPHA * m))
        alone = fails == 1
        for k, j in enumerate(dims.tolist()):
            near = alone & missed[:, k]  # outside the box by input j only
            xj = x[:, j]
            for side in (0, 1):
                out = near & ((xj < lo[j]) if side == 0 else (xj > hi[j]))
                values = np.sort(xj[out])
                if values.size == 0:
                    continue
                edge = values[-min(step, values.size)] if side == 0 else values[
                    min(step, values.size) - 1]
                added = out & ((xj >= edge) if side == 0 else (xj <= edge))
                density = (float(box_hits + int(np.count_nonzero(added & y)))
                           / float(m + int(np.count_nonzero(added))))
                if density > best_density + 1e-12:
                    best, best_density = (j, side, float(edge)), density
        if best is None:
            break
        j, side, edge = best
        if side == 0:
            lo[j] = edge
        else:
            hi[j] = edge
    return lo, hi


def _trim(x: FloatArray, y: BoolArray, lo: FloatArray, hi: FloatArray, low: FloatArray,
          high: FloatArray, tolerance: float = TRIM_TOLERANCE
          ) -> tuple[FloatArray, FloatArray]:
    """Drop restrictions while the cheapest one to drop costs less than ``tolerance`` of
    density (each candidate box is one vectorised pass: a point is in the box without
    restriction ``j`` when it meets every other one)."""
    lo, hi = lo.copy(), hi.copy()
    while True:
        restricted = _restricted(lo, hi, low, high)
        if restricted.size == 0:
            return lo, hi
        missed = _missed(x, lo, hi, restricted)  # (n, r)
        fails = missed.sum(axis=1)  # restrictions each point fails
        inside = fails == 0
        density = float(y[inside].sum()) / max(int(inside.sum()), 1)
        # in the box without restriction j: fails none, or only j
        others = inside[:, None] | ((fails == 1)[:, None] & missed)
        sizes = others.sum(axis=0)
        without = (others & y[:, None]).sum(axis=0) / np.maximum(sizes, 1)
        k = int(np.argmax(without))  # the cheapest to drop (ties: the first input)
        if density - float(without[k]) >= tolerance:
            return lo, hi
        j = int(restricted[k])
        lo[j], hi[j] = low[j], high[j]


def _box(x: FloatArray, y: BoolArray, lo: FloatArray, hi: FloatArray, low: FloatArray,
         high: FloatArray, names: Sequence[str], total: int) -> Box:
    dims = _restricted(lo, hi, low, high)
    inside: BoolArray = np.count_nonzero(_missed(x, lo, hi, dims), axis=1) == 0
    coverage, density, mass = _stats(inside, y, total)
    limits = [
        Limit(names[j], float(lo[j]) if lo[j] > low[j] else None,
              float(hi[j]) if hi[j] < high[j] else None)
        for j in dims.tolist()
    ]
    return Box(limits, coverage, density, mass)


@dataclass(frozen=True)
class Rule:
    """A leaf of the CART tree where the outcome is the majority: its path of conditions,
    and how well it describes the outcome (as for a box)."""

    conditions: list[str]
    coverage: float
    density: float
    mass: float


@dataclass(frozen=True)
class TreeResult:
    rules: list[Rule]  # most covering first
    depth: int
    thresholds: list[tuple[str, float]]  # every split: input and threshold


def cart(x: FloatArray, y: BoolArray, names: Sequence[str], *, max_depth: int = 3,
         min_leaf: float = 0.02, seed: int = 0) -> TreeResult:
    """A CART classification tree of ``y`` on ``x`` (scikit-learn); its leaves where the
    outcome is the majority, each as a rule."""
    from sklearn.tree import DecisionTreeClassifier  # type: ignore[import-untyped]

    n = x.shape[0]
    tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=max(1, int(min_leaf * n)),
                                  random_state=seed).fit(x, y)
    t = tree.tree_
    total = int(y.sum())
    left, right, feature, threshold = t.children_left, t.children_right, t.feature, t.threshold
    leaf_of = tree.apply(x)
    rules: list[Rule] = []
    splits: list[tuple[str, float]] = []

    def walk(node: int, path: list[str]) -> None:
        if left[node] == right[node]:  # a leaf
            inside: NDArray[np.bool_] = leaf_of == node
            coverage, density, mass = _stats(inside, y, total)
            if density > 0.5:
                rules.append(Rule(path, coverage, density, mass))
            return
        name, value = names[int(feature[node])], float(threshold[node])
        splits.append((name, value))
        walk(int(left[node]), [*path, f"{name} <= {value:.4g}"])
        walk(int(right[node]), [*path, f"{name} > {value:.4g}"])

    walk(0, [])
    rules.sort(key=lambda r: (-r.coverage, -r.density))
    return TreeResult(rules, int(tree.get_depth()), splits)
