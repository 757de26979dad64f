"""Given-data first-order indices from the explored samples match the Ishigami function's
known ones (no SALib needed), and chunking the samples changes nothing."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.analyses.explore.sensitivity import (
    _POISSON_CDF,
    BOOTSTRAP_REPLICATES,
    GivenData,
    _cell_sums,
    _given_indices,
    _percentiles,
    poisson_counts,
)
from decision.analyses.explore.voi import bin_cells, bin_samples

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))

A, B = 7.0, 0.1
V = A**2 / 8 + B * np.pi**4 / 5 + B**2 * np.pi**8 / 18 + 0.5
FIRST = np.array([0.5 * (1 + B * np.pi**4 / 5) ** 2 / V, A**2 / 8 / V, 0.0, 0.0])


def _ishigami(u: np.ndarray) -> np.ndarray:
    x = -np.pi + 2 * np.pi * u[:, :3]
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_given_data_indices_match_ishigami() -> None:
    u = np.random.default_rng(5).random((1 << 16, 4))  # the fourth input is inert
    y = _ishigami(u)
    acc = GivenData(4, ["y", "constant"], 20)
    acc.add(u, np.column_stack([y, np.ones_like(y)]), 0)
    found, constant = acc.result()
    assert found.method == "given"
    assert found.first == pytest.approx(FIRST, abs=0.015)
    assert found.floor > 0  # the noise floor subtracted
    assert not found.first_conf.any()  # no bootstrap asked for
    assert not constant.first.any()


def test_bootstrap_intervals_match_the_spread_of_repeated_estimates() -> None:
    """The Poisson bootstrap's 95% half-width, over 1.96, estimates the index's standard
    error: on Ishigami at 4,096 samples it agrees with the spread of 24 independent repeats
    (within a factor of 2), and the analytic values lie within the estimate's interval
    widened by the binning bias."""
    n, repeats = 4096, 24
    estimates, halves = [], []
    for seed in range(repeats):
        u = np.random.default_rng(100 + seed).random((n, 4))
        acc = GivenData(4, ["y"], 16, replicates=BOOTSTRAP_REPLICATES)
        acc.add(u, _ishigami(u)[:, None], 0)
        (found,) = acc.result()
        estimates.append(found.first)
        halves.append(found.first_conf)
    spread = np.std(estimates, axis=0, ddof=1)[:3]  # the inert input's index sits at 0
    standard_error = np.mean(halves, axis=0)[:3] / 1.96
    assert np.all(standard_error > spread / 2) and np.all(standard_error < spread * 2)
    bias = 16 / n  # about (bins - 1) / n, see the module docstring
    assert np.all(np.abs(estimates[0] - FIRST) <= halves[0] + bias + 0.02)


def test_bootstrap_does_not_depend_on_chunks() -> None:
    u = np.random.default_rng(7).random((3000, 4))
    values = _ishigami(u)[:, None]
    whole = GivenData(4, ["y"], 10, replicates=8)
    parts = GivenData(4, ["y"], 10, replicates=8)
    whole.add(u, values, 0)
    for start in range(0, 3000, 700):
        parts.add(u[start : start + 700], values[start : start + 700], start)
    assert parts.result()[0].first_conf == pytest.approx(whole.result()[0].first_conf,
                                                          abs=1e-12)


def test_chunks_change_nothing_but_rounding() -> None:
    u = np.random.default_rng(6).random((5000, 4))
    values = _ishigami(u)[:, None]
    whole, parts = GivenData(4, ["y"], 10), GivenData(4, ["y"], 10)
    whole.add(u, values, 0)
    for start in range(0, 5000, 1024):
        parts.add(u[start : start + 1024], values[start : start + 1024], start)
    assert parts.result()[0].first == pytest.approx(whole.result()[0].first, abs=1e-12)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 60), st.integers(1, 4))
def test_bootstrap_percentiles_are_numpys(seed: int, replicates: int, width: int) -> None:
    """The interval's percentiles are np.percentile's, bit for bit (ties included)."""
    rng = np.random.default_rng(seed)
    boot = np.round(rng.normal(size=(replicates, width, 3)), int(rng.integers(1, 6)))
    low, high = _percentiles(boot, (2.5, 97.5))
    expected = np.percentile(boot, [2.5, 97.5], axis=0)
    assert np.array_equal(low, expected[0]) and np.array_equal(high, expected[1])


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(0, 2**40), st.integers(1, 300), st.integers(1, 50))
def test_poisson_counts_are_the_uniforms_inverse_cdf(start: int, n: int, replicates: int
                                                     ) -> None:
    """The weights, counted on the hash's integers, are the inverse CDF of the uniforms
    ``m / 2**53`` against the Poisson(1) steps (the defining float computation)."""
    k = np.arange(start, start + n, dtype=np.uint64)[:, None]
    r = np.arange(1, replicates + 1, dtype=np.uint64)[None, :]
    x = k * np.uint64(0x9E3779B97F4A7C15) + r * np.uint64(0xD1B54A32D192ED03)
    for shift, factor in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB)):
        x ^= x >> np.uint64(shift)
        x *= np.uint64(factor)
    x ^= x >> np.uint64(31)
    u = (x >> np.uint64(11)).astype(np.float64) * 2.0**-53
    expected = (u[..., None] >= _POISSON_CDF[:15]).sum(axis=-1)
    assert np.array_equal(poisson_counts(start, n, replicates), expected)


def test_poisson_counts_reach_the_rare_steps() -> None:
    """Counts of 4 and more (about 2% of the weights) are all there, with Poisson(1)'s
    frequencies."""
    counts = poisson_counts(0, 20_000, 10)
    share = np.bincount(counts.ravel(), minlength=8)[:8] / counts.size
    expected = np.exp(-1.0) / np.array([math.factorial(x) for x in range(8)])
    assert share == pytest.approx(expected, abs=3e-3)
    assert counts.max() >= 6


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 300), st.integers(0, 3), st.integers(1, 4),
       st.integers(1, 10))
def test_plain_cell_sums_are_a_bincounts(seed: int, n: int, d: int, k: int, bins: int) -> None:
    """The unweighted sums the bootstrap's pass gives are, bit for bit, a bincount's over the
    samples in order (the tallies' own figures), whatever the shapes."""
    rng = np.random.default_rng(seed)
    u = rng.random((n, d))
    values = rng.normal(size=(n, k)) * 10.0 ** rng.integers(-3, 6, (n, k))
    values[rng.random((n, k)) < 0.2] = -0.0
    binned = bin_samples(u, 17, bins)
    plain = _cell_sums(binned, poisson_counts(17, n, 3), values)[3]
    flat = bin_cells(u, 17, bins).ravel()
    expected = np.stack([np.bincount(flat, np.repeat(values[:, j], d + 1), (d + 1) * bins)
                         for j in range(k)], axis=-1).reshape(d + 1, bins, -1)
    assert np.array_equal(plain, expected)
    assert not np.signbit(plain[plain == 0]).any()


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 5), st.integers(0, 4), st.integers(1, 24),
       st.integers(1, 5))
def test_given_indices_are_the_direct_formula(seed: int, b: int, d: int, bins: int,
                                              k: int) -> None:
    """The indices, worked out outcome by outcome over rows of cells, are bit for bit the
    formula written cell by cell: the spread of the bins' means, summed over the bins, over
    the variance, less the noise floor's (one bin or one outcome included)."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 30, (b, (d + 1) * bins)).astype(np.float64)
    sums = rng.normal(size=(b, (d + 1) * bins, k)) * counts[:, :, None]
    n = counts[:, -bins:].sum(axis=1)
    total, squares = rng.normal(size=(b, k)) * 10, np.abs(rng.normal(size=(b, k))) * 100
    before = sums.copy()
    first, floor, degenerate = _given_indices(n, total, squares, counts, sums, d, bins)
    assert np.array_equal(sums, before)  # the tallies are left as they were
    size = np.maximum(n, 1.0)[:, None]
    mean = total / size
    variance = np.maximum(squares / size - mean * mean, 0.0)
    conditional = sums / np.where(counts > 0, counts, 1.0)[:, :, None]
    spread = counts[:, :, None] * (conditional - mean[:, None, :]) ** 2
    between = spread.reshape(b, d + 1, bins, -1).sum(axis=2) / size[:, :, None]
    share = between / np.where(variance > 0, variance, 1.0)[:, None, :]
    expected = np.clip(share[:, :-1, :] - share[:, -1:, :], 0.0, 1.0)
    assert np.array_equal(first, np.moveaxis(expected, 1, 2))
    assert np.array_equal(floor, share[:, -1, :])
    assert np.array_equal(degenerate, variance <= 1e-15 * np.maximum(1.0, mean * mean))
