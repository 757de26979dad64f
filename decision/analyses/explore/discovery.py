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
points. Each step is one vectorised pass over the inputs (quantiles and densities of every
candidate peel at once). The peeling trajectory gives the coverage-density trade-off
(coverage: the share of all cases of the outcome inside the box). The chosen box is the one
with the largest coverage times the density gained over the base rate (a box as dense as the
whole space explains nothing; a dense box covering few cases little; ties: the larger box),
then pasted: an edge is moved back out while that raises the density, then trimmed: a
restriction is dropped while dropping one lowers the density by less than
:data:`TRIM_TOLERANCE` (the one that lowers it least first), since peeling also restricts
inputs that barely matter and a box should read as a few conditions. A box limit is
the smallest or largest value of its points, so the box is closed; a dimension is restricted
when a limit is inside the data's range.
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


def prim(x: FloatArray, y: BoolArray, names: Sequence[str], *, alpha: float = PEEL_ALPHA,
         min_mass: float = MIN_MASS, trim: float = TRIM_TOLERANCE) -> PrimResult:
    """PRIM on inputs ``x (n, d)`` and outcome ``y (n,)`` (see the module docstring)."""
    n, d = x.shape
    total = int(y.sum())
    low, high = x.min(axis=0), x.max(axis=0)
    inside = np.ones(n, dtype=bool)
    boxes: list[tuple[FloatArray, FloatArray]] = [(low.copy(), high.copy())]
    trajectory = [TrajectoryPoint(*_stats(inside, y, total), 0)]
    lo, hi = low.copy(), high.copy()
    while inside.mean() > min_mass and total:
        xi, yi = x[inside], y[inside]
        q = np.quantile(xi, [alpha, 1.0 - alpha], axis=0)  # (2, d)
        keep_low = xi > q[0]  # peel the low end: (m, d)
        keep_high = xi < q[1]
        keep = np.concatenate([keep_low, keep_high], axis=1)  # (m, 2d)
        kept = keep.sum(axis=0)
        removes = kept < xi.shape[0]
        valid = removes & (kept >= 1)
        if not valid.any():
            break
        density = np.where(valid, (keep & yi[:, None]).sum(axis=0) / np.maximum(kept, 1), -1.0)
        # the densest box; ties: the peel that removes least
        pick = int(np.lexsort((-kept, -density))[0])
        rows = np.flatnonzero(inside)
        inside = inside.copy()
        inside[rows[~keep[:, pick]]] = False
        j = pick % d
        if pick < d:
            lo[j] = x[inside, j].min()
        else:
            hi[j] = x[inside, j].max()
        boxes.append((lo.copy(), hi.copy()))
        restricted = int(((lo > low) | (hi < high)).sum())
        trajectory.append(TrajectoryPoint(*_stats(inside, y, total), restricted))
    cov = np.array([t.coverage for t in trajectory])
    den = np.array([t.density for t in trajectory])
    f = cov * (den - total / max(n, 1))
    chosen = int(np.flatnonzero(f >= f.max() - 1e-12)[0])
    blo, bhi = _trim(x, y, *_paste(x, y, *boxes[chosen], low, high), low, high, trim)
    return PrimResult(_box(x, y, blo, bhi, low, high, names, total), trajectory, chosen)


def _inside(x: FloatArray, lo: FloatArray, hi: FloatArray) -> BoolArray:
    out: BoolArray = np.all((x >= lo) & (x <= hi), axis=1)
    return out


def _paste(x: FloatArray, y: BoolArray, lo: FloatArray, hi: FloatArray, low: FloatArray,
           high: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Move edges back out while that raises the box's density (``PASTE_ALPHA`` of the
    box's points at a time)."""
    lo, hi = lo.copy(), hi.copy()
    for _ in range(100):
        inside = _inside(x, lo, hi)
        m = int(inside.sum())
        best, best_density = None, float((inside & y).sum()) / max(m, 1)
        step = max(1, int(PASTE_ALPHA * m))
        for j in np.flatnonzero((lo > low) | (hi < high)).tolist():
            others = np.delete(np.arange(x.shape[1]), j)
            near = np.all((x[:, others] >= lo[others]) & (x[:, others] <= hi[others]), axis=1)
            for side in (0, 1):
                out = near & ((x[:, j] < lo[j]) if side == 0 else (x[:, j] > hi[j]))
                values = np.sort(x[out, j])
                if values.size == 0:
                    continue
                edge = values[-min(step, values.size)] if side == 0 else values[
                    min(step, values.size) - 1]
                added = out & ((x[:, j] >= edge) if side == 0 else (x[:, j] <= edge))
                density = float((inside | added)[y].sum()) / float((inside | added).sum())
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
        restricted = np.flatnonzero((lo > low) | (hi < high))
        if restricted.size == 0:
            return lo, hi
        meets = (x >= lo) & (x <= hi)  # (n, d)
        inside = meets.all(axis=1)
        density = float(y[inside].sum()) / max(int(inside.sum()), 1)
        missed = ~meets[:, restricted]  # (n, r)
        fails = missed.sum(axis=1)  # restrictions each point fails
        # in the box without restriction j: fails none, or only j
        others = (fails == 0)[:, None] | ((fails == 1)[:, None] & missed)
        sizes = others.sum(axis=0)
        without = (others & y[:, None]).sum(axis=0) / np.maximum(sizes, 1)
        k = int(np.argmax(without))  # the cheapest to drop (ties: the first input)
        if density - float(without[k]) >= tolerance:
            return lo, hi
        j = int(restricted[k])
        lo[j], hi[j] = low[j], high[j]


def _box(x: FloatArray, y: BoolArray, lo: FloatArray, hi: FloatArray, low: FloatArray,
         high: FloatArray, names: Sequence[str], total: int) -> Box:
    inside = _inside(x, lo, hi)
    coverage, density, mass = _stats(inside, y, total)
    limits = [
        Limit(names[j], float(lo[j]) if lo[j] > low[j] else None,
              float(hi[j]) if hi[j] < high[j] else None)
        for j in range(x.shape[1])
        if lo[j] > low[j] or hi[j] < high[j]
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
