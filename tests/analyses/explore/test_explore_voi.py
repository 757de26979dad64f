"""The value of information: zero under dominance, the closed form on a two-option linear
example, and never negative nor above the EVPI per input."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.analyses.explore.voi import VoiAccumulator, bin_cells, bin_samples, voi

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))


def test_evpi_is_zero_when_one_option_dominates() -> None:
    u = np.random.default_rng(0).random((50_000, 3))
    worse = u[:, 0] * 0.5
    found = voi(u, np.stack([worse + 0.1, worse], axis=1))
    assert found.evpi == 0.0
    assert np.all(found.evppi == 0.0)
    assert found.best_on_mean == 0


def test_two_option_linear_closed_form() -> None:
    """V1 = x with x ~ U(0, 1), V2 = 0.5: EVPI = E[max(x, 0.5)] - 0.5 = 1/8, all of it from
    x (EVPPI of x = EVPI, of the inert input 0)."""
    u = np.random.default_rng(1).random((200_000, 2))
    found = voi(u, np.stack([u[:, 0], np.full(len(u), 0.5)], axis=1))
    assert found.evpi == pytest.approx(0.125, abs=3e-3)
    assert found.evppi[0] == pytest.approx(0.125, abs=3e-3)  # bins of width 1/20: bias < 1e-3
    assert found.evppi[1] < 2e-3


def test_chunks_change_nothing_but_rounding() -> None:
    rng = np.random.default_rng(2)
    u, v = rng.random((10_000, 3)), rng.random((10_000, 2))
    whole = voi(u, v, bins=10)
    acc = VoiAccumulator(3, 2, 10)
    for start in range(0, 10_000, 3_000):
        acc.add(u[start : start + 3_000], v[start : start + 3_000], start)
    parts = acc.result()
    assert parts.evpi == pytest.approx(whole.evpi, abs=1e-12)
    np.testing.assert_allclose(parts.evppi, whole.evppi, atol=1e-12)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(0, 2**16), st.integers(2, 4), st.floats(-1, 1))
def test_bounds(seed: int, options: int, slope: float) -> None:
    rng = np.random.default_rng(seed)
    u = rng.random((2_000, 3))
    v = rng.normal(size=(2_000, options)) * 0.1 + slope * u[:, :1] * np.arange(options)
    found = voi(u, v)
    assert found.evpi >= 0
    assert np.all(found.evppi >= 0) and np.all(found.evppi <= found.evpi + 1e-12)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 400), st.integers(0, 3), st.integers(1, 5),
       st.integers(1, 12))
def test_cell_sums_are_a_bincounts(seed: int, n: int, d: int, alternatives: int,
                                   bins: int) -> None:
    """The slot-by-slot cell sums are, bit for bit, what a bincount over the samples in
    order gives (zeros of either sign and empty cells included)."""
    rng = np.random.default_rng(seed)
    u = rng.random((n, d))
    values = rng.normal(size=(n, alternatives)) * 10.0 ** rng.integers(-3, 6, (n, alternatives))
    values[rng.random((n, alternatives)) < 0.2] = -0.0
    binned = bin_samples(u, 17, bins)
    flat = bin_cells(u, 17, bins).ravel()
    expected = np.stack([np.bincount(flat, np.repeat(values[:, j], d + 1), (d + 1) * bins)
                         for j in range(alternatives)], axis=-1).reshape(d + 1, bins, -1)
    found = binned.sums(values)
    assert np.array_equal(found, expected)
    assert not np.signbit(found[found == 0]).any()
    assert np.array_equal(binned.counts, np.bincount(flat, minlength=(d + 1) * bins)
                          .reshape(d + 1, bins))
