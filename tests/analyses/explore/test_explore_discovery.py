"""Scenario discovery recovers a known box: the outcome holds exactly when x > 0.6 and
y < 0.3 (three inert inputs beside them)."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("sklearn")

from decision.analyses.explore.discovery import _inside, _trim, cart, lerp, prim

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
NAMES = ["x", "y", "a", "b", "c"]
N = 20_000
RESOLUTION = 0.02  # a peel moves an edge by about 5% of the box's points: ~0.01 of the range


def _known(seed: int) -> tuple[np.ndarray, np.ndarray]:
    x = np.random.default_rng(seed).random((N, 5))
    return x, (x[:, 0] > 0.6) & (x[:, 1] < 0.3)


def test_prim_recovers_the_box() -> None:
    x, y = _known(1)
    found = prim(x, y, NAMES)
    limits = {lim.input: lim for lim in found.box.limits}
    assert set(limits) == {"x", "y"}
    assert limits["x"].low == pytest.approx(0.6, abs=RESOLUTION) and limits["x"].high is None
    assert limits["y"].high == pytest.approx(0.3, abs=RESOLUTION) and limits["y"].low is None
    assert found.box.coverage > 0.95 and found.box.density > 0.95
    # the trajectory trades coverage for density, starting from the whole space
    first = found.trajectory[0]
    assert first.coverage == 1.0 and first.density == pytest.approx(y.mean())
    assert found.trajectory[found.chosen].density > first.density


def test_cart_recovers_the_box() -> None:
    x, y = _known(2)
    found = cart(x, y, NAMES)
    splits = dict(found.thresholds)
    assert splits["x"] == pytest.approx(0.6, abs=RESOLUTION)
    assert splits["y"] == pytest.approx(0.3, abs=RESOLUTION)
    best = found.rules[0]
    assert best.coverage > 0.95 and best.density > 0.95
    assert sorted(c.split()[0] for c in best.conditions) == ["x", "y"]


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.floats(0.2, 0.8), st.floats(0.2, 0.8), st.integers(0, 2**16))
def test_prim_box_is_consistent(cx: float, cy: float, seed: int) -> None:
    """Whatever the box, the chosen box's figures are what its limits hold, and it is at
    least as dense as the whole space."""
    x = np.random.default_rng(seed).random((4000, 5))
    y = (x[:, 0] > cx) & (x[:, 1] < cy)
    found = prim(x, y, NAMES)
    inside = np.ones(len(x), dtype=bool)
    for lim in found.box.limits:
        j = NAMES.index(lim.input)
        if lim.low is not None:
            inside &= x[:, j] >= lim.low
        if lim.high is not None:
            inside &= x[:, j] <= lim.high
    assert found.box.mass == pytest.approx(inside.mean())
    assert found.box.coverage == pytest.approx((inside & y).sum() / y.sum())
    assert found.box.density >= y.mean()


def test_trim_drops_restrictions_that_barely_change_density() -> None:
    """A box restricted on an input the outcome ignores loses that restriction (its density
    stays within the tolerance) and keeps the two that make the outcome."""
    x, y = _known(3)
    low, high = x.min(axis=0), x.max(axis=0)
    lo, hi = low.copy(), high.copy()
    lo[0], hi[1] = 0.6, 0.3  # the true box
    hi[2] = 0.7  # a spurious restriction
    tlo, thi = _trim(x, y, lo, hi, low, high)
    assert thi[2] == high[2]
    assert tlo[0] == 0.6 and thi[1] == 0.3
    # a restriction that matters is kept even with a tolerance just below its density gain
    inside = _inside(x, tlo, thi)
    wider = _inside(x, np.where(np.arange(x.shape[1]) == 0, low, tlo), thi)
    gain = y[inside].mean() - y[wider].mean()
    kept, _ = _trim(x, y, tlo, thi, low, high, tolerance=gain * 0.99)
    assert kept[0] == 0.6
    dropped, _ = _trim(x, y, tlo, thi, low, high, tolerance=gain * 1.01)
    assert dropped[0] == low[0]


def _reference_prim(x: np.ndarray, y: np.ndarray, alpha: float, min_mass: float
                    ) -> tuple[list[tuple[float, float, float, int]], np.ndarray, np.ndarray]:
    """PRIM's peeling, pasting and trimming written plainly (np.quantile over the box at every
    step, every input checked in full): the trajectory and the final box's limits."""
    n, d = x.shape
    total = int(y.sum())
    low, high = x.min(axis=0), x.max(axis=0)
    inside = np.ones(n, dtype=bool)
    lo, hi = low.copy(), high.copy()
    boxes = [(lo.copy(), hi.copy())]

    def point(inside: np.ndarray) -> tuple[float, float, float, int]:
        m, hits = int(inside.sum()), int((inside & y).sum())
        return (hits / max(total, 1), hits / max(m, 1), m / n,
                int(((lo > low) | (hi < high)).sum()))

    trajectory = [point(inside)]
    while inside.mean() > min_mass and total:
        xi, yi = x[inside], y[inside]
        q = np.quantile(xi, [alpha, 1.0 - alpha], axis=0)
        keep = np.concatenate([xi > q[0], xi < q[1]], axis=1)
        kept = keep.sum(axis=0)
        valid = (kept < xi.shape[0]) & (kept >= 1)
        if not valid.any():
            break
        density = np.where(valid, (keep & yi[:, None]).sum(axis=0) / np.maximum(kept, 1), -1.0)
        pick = int(np.lexsort((-kept, -density))[0])
        inside = inside.copy()
        inside[np.flatnonzero(inside)[~keep[:, pick]]] = False
        j = pick % d
        if pick < d:
            lo[j] = x[inside, j].min()
        else:
            hi[j] = x[inside, j].max()
        boxes.append((lo.copy(), hi.copy()))
        trajectory.append(point(inside))
    cov = np.array([t[0] for t in trajectory])
    den = np.array([t[1] for t in trajectory])
    f = cov * (den - total / n)
    lo, hi = (b.copy() for b in boxes[int(np.flatnonzero(f >= f.max() - 1e-12)[0])])
    for _ in range(100):  # paste
        inside = _inside(x, lo, hi)
        m = int(inside.sum())
        best, best_density = None, float((inside & y).sum()) / max(m, 1)
        step = max(1, int(0.01 * m))
        for j in np.flatnonzero((lo > low) | (hi < high)).tolist():
            others = np.delete(np.arange(d), j)
            near = np.all((x[:, others] >= lo[others]) & (x[:, others] <= hi[others]), axis=1)
            for side in (0, 1):
                out = near & ((x[:, j] < lo[j]) if side == 0 else (x[:, j] > hi[j]))
                values = np.sort(x[out, j])
                if values.size == 0:
                    continue
                edge = (values[-min(step, values.size)] if side == 0
                        else values[min(step, values.size) - 1])
                added = out & ((x[:, j] >= edge) if side == 0 else (x[:, j] <= edge))
                density = float((inside | added)[y].sum()) / float((inside | added).sum())
                if density > best_density + 1e-12:
                    best, best_density = (j, side, float(edge)), density
        if best is None:
            break
        if best[1] == 0:
            lo[best[0]] = best[2]
        else:
            hi[best[0]] = best[2]
    while True:  # trim
        restricted = np.flatnonzero((lo > low) | (hi < high))
        if restricted.size == 0:
            break
        meets = (x >= lo) & (x <= hi)
        inside = meets.all(axis=1)
        density = float(y[inside].sum()) / max(int(inside.sum()), 1)
        missed = ~meets[:, restricted]
        fails = missed.sum(axis=1)
        others = (fails == 0)[:, None] | ((fails == 1)[:, None] & missed)
        without = (others & y[:, None]).sum(axis=0) / np.maximum(others.sum(axis=0), 1)
        k = int(np.argmax(without))
        if density - float(without[k]) >= 0.03:
            break
        lo[restricted[k]], hi[restricted[k]] = low[restricted[k]], high[restricted[k]]
    return trajectory, lo, hi


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 600), st.integers(1, 5),
       st.sampled_from([0.05, 0.1, 0.3]), st.sampled_from([0.0, 0.05, 0.3]))
def test_prim_matches_the_plain_algorithm(seed: int, n: int, d: int, alpha: float,
                                          min_mass: float) -> None:
    """The sorted-order peeling (windows from the span's ends, ties counted in full, the box
    shrunk as it empties) finds exactly what np.quantile over the whole box at every step
    finds, on inputs with ties: booleans, a few levels, constants, repeated values."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, d))
    kinds = rng.integers(0, 5, d)
    x[:, kinds == 1] = x[:, kinds == 1] > 0.5  # boolean
    x[:, kinds == 2] = np.round(x[:, kinds == 2] * 3)  # a few levels
    x[:, kinds == 3] = 0.25  # constant
    x[:, kinds == 4] = np.round(x[:, kinds == 4], 2)  # repeated values
    y = (x[:, 0] > rng.random()) ^ (rng.random(n) < rng.random() * 0.3)
    names = [f"x{j}" for j in range(d)]
    found = prim(x, y, names, alpha=alpha, min_mass=min_mass)
    trajectory, lo, hi = _reference_prim(x, y, alpha, min_mass)
    assert [(t.coverage, t.density, t.mass, t.restricted) for t in found.trajectory] == trajectory
    low, high = x.min(axis=0), x.max(axis=0)
    assert {lim.input: (lim.low, lim.high) for lim in found.box.limits} == {
        names[j]: (float(lo[j]) if lo[j] > low[j] else None,
                   float(hi[j]) if hi[j] < high[j] else None)
        for j in range(d) if lo[j] > low[j] or hi[j] < high[j]}


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.floats(-1e6, 1e6), st.floats(0, 1e6), st.floats(0, 1, exclude_max=True))
def test_peel_interpolation_is_numpys(a: float, gap: float, t: float) -> None:
    """PRIM interpolates its quantiles itself, bit for bit as np.quantile does between the
    two order statistics (a change in numpy's formula shows here)."""
    b = a + gap
    assert lerp(np.array([a]), np.array([b]), np.array([t]))[0] == np.quantile([a, b], t)
