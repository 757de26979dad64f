"""Scenario discovery recovers a known box: the outcome holds exactly when x > 0.6 and
y < 0.3 (three inert inputs beside them)."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("sklearn")

from decision.analyses.explore.discovery import _inside, _trim, cart, prim

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
