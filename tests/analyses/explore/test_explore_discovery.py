"""Scenario discovery recovers a known box: the outcome holds exactly when x > 0.6 and
y < 0.3 (three inert inputs beside them)."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("sklearn")

from decision.analyses.explore.discovery import cart, prim

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
