"""Global sensitivity of the explored outcomes to every uncertain input, with SALib.

Sobol first-order and total indices (Saltelli's scheme, ``N * (d + 2)`` evaluations, no
second-order terms) and, for models with many inputs, Morris elementary effects
(``r * (d + 1)`` evaluations). SALib samples the unit cube: its rows are this package's
unit-cube design (:mod:`decision.analyses.explore.design`), so the same inverse CDFs and the
documented simplex transform of the weights apply. Confidence intervals are SALib's
bootstrap (95%).

Without SALib, :class:`GivenData` estimates first-order indices from the explored samples
themselves (the given-data estimator: ``Var(E[Y | x_j]) / Var(Y)`` with the conditional means
taken over equal-probability bins of ``u_j``, as the EVPPI's of
:mod:`decision.analyses.explore.voi`); no extra evaluations, no total-effect indices. The
binning biases each index upwards by about ``(bins - 1) / n``; the index of a random
relabelling of the samples to bins (the noise floor) is subtracted and the result clipped to
[0, 1].

``function(u)`` maps unit-cube rows ``(m, d)`` to named outcomes ``{name: (m,)}``; it is
called chunk by chunk so memory stays bounded whatever ``N``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from decision.analyses.explore.discovery import lerp
from decision.analyses.explore.voi import Binned, VoiAccumulator, VoiTally, bin_samples
from decision.core.compile import FloatArray
from decision.errors import DecisionError

Function = Callable[[FloatArray], Mapping[str, FloatArray]]
Progress = Callable[[int, int], None]
CHUNK = 8192
#: Sobol base samples by default (a power of two).
DEFAULT_BASE = 1 << 9
#: Morris trajectories by default.
DEFAULT_TRAJECTORIES = 64


@dataclass(frozen=True)
class Indices:
    """Indices of one outcome per input (same order as the inputs); ``*_conf`` are the
    half-widths of 95% bootstrap intervals, ``floor`` the given-data estimator's noise floor
    (0 for SALib's methods)."""

    outcome: str
    first: FloatArray  # S1 (Sobol), normalised mu* (Morris) or the given-data index
    first_conf: FloatArray
    total: FloatArray  # ST (Sobol) or sigma (Morris)
    total_conf: FloatArray
    method: str
    floor: float = 0.0


def _evaluate(function: Function, rows: FloatArray, progress: Progress | None
              ) -> dict[str, FloatArray]:
    parts: dict[str, list[FloatArray]] = {}
    for start in range(0, rows.shape[0], CHUNK):
        for name, values in function(rows[start : start + CHUNK]).items():
            parts.setdefault(name, []).append(np.asarray(values, dtype=np.float64))
        if progress:
            progress(min(rows.shape[0], start + CHUNK), rows.shape[0])
    return {name: np.concatenate(v) for name, v in parts.items()}


def _problem(names: Sequence[str]) -> dict[str, Any]:
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def sobol(names: Sequence[str], function: Function, base: int = DEFAULT_BASE, seed: int = 0,
          progress: Progress | None = None) -> list[Indices]:
    """Sobol S1 and ST of every outcome of ``function`` (see the module docstring)."""
    from SALib.analyze import sobol as analyze  # type: ignore[import-untyped]
    from SALib.sample import sobol as sample  # type: ignore[import-untyped]

    if base < 2 or base & (base - 1):
        raise DecisionError(f"{base} Sobol base samples are not a power of two",
                            key_path="--sensitivity-samples", allowed="a power of two >= 2")
    problem = _problem(names)
    rows = sample.sample(problem, base, calc_second_order=False, seed=seed)
    found = _evaluate(function, rows, progress)
    out = []
    for name, y in found.items():
        if np.ptp(y) == 0:  # a constant outcome: no variance to share out
            zero = np.zeros(len(names))
            out.append(Indices(name, zero, zero, zero, zero, "sobol"))
            continue
        # SALib seeds its bootstrap only for a truthy seed (``if seed:``): a seed of 0 drew the
        # intervals from NumPy's unseeded global generator, different on every run
        s = analyze.analyze(problem, y, calc_second_order=False, seed=seed + 1)
        out.append(Indices(name, np.asarray(s["S1"]), np.asarray(s["S1_conf"]),
                           np.asarray(s["ST"]), np.asarray(s["ST_conf"]), "sobol"))
    return out


def morris(names: Sequence[str], function: Function,
           trajectories: int = DEFAULT_TRAJECTORIES, seed: int = 0,
           progress: Progress | None = None) -> list[Indices]:
    """Morris screening of every outcome: mu* (normalised to sum 1, as a share of influence)
    and its bootstrap interval in ``first``, sigma in ``total``."""
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    problem = _problem(names)
    rows = sample.sample(problem, trajectories, num_levels=4, seed=seed)
    found = _evaluate(function, rows, progress)
    out = []
    for name, y in found.items():
        s = analyze.analyze(problem, rows, y, num_levels=4, seed=seed)
        mu = np.asarray(s["mu_star"], dtype=np.float64)
        scale = mu.sum() or 1.0
        out.append(Indices(name, mu / scale, np.asarray(s["mu_star_conf"]) / scale,
                           np.asarray(s["sigma"]), np.zeros(len(names)), "morris"))
    return out


class GivenData:
    """Given-data first-order indices of outcomes ``names`` over ``d`` inputs, tallied chunk
    by chunk (see the module docstring): ``first`` the index (``total`` repeats it: no total
    effect is estimated), ``floor`` the noise floor subtracted from it, and ``first_conf`` the
    half-width of its 95% interval from ``replicates`` Poisson-bootstrap replicates.

    The Poisson bootstrap (Hanley & MacGibbon 2006) weighs each sample by a Poisson(1) count
    in each replicate instead of resampling rows, so it runs chunk by chunk with the tallies;
    the counts come from a hash of the sample's number and the replicate (splitmix64), so the
    interval is the same whatever the chunks. The interval is the replicates' 2.5 and 97.5
    percentiles, half their distance.
    """

    def __init__(self, d: int, names: Sequence[str], bins: int, replicates: int = 0) -> None:
        self.names = list(names)
        self.d, self.bins, self.replicates = d, bins, replicates
        self.tallies = VoiAccumulator(d, len(self.names), bins)
        self.squares = np.zeros(len(self.names))
        k, size = len(self.names), (d + 1) * bins
        self.boot_n = np.zeros(replicates)
        self.boot_total = np.zeros((replicates, k))
        self.boot_squares = np.zeros((replicates, k))
        self.boot_counts = np.zeros((replicates, size))
        self.boot_sums = np.zeros((replicates, size, k))

    def add(self, u: FloatArray, values: FloatArray, start: int,
            binned: Binned | None = None) -> None:
        """Samples ``start, ...`` with unit-cube rows ``u (n, d)`` and outcomes ``(n, k)``
        (``binned``: their :func:`~decision.analyses.explore.voi.bin_samples`, when at
        hand)."""
        if binned is None:
            binned = bin_samples(u, start, self.bins)
        self.squares += (values * values).sum(axis=0)
        if not self.replicates:
            self.tallies.add(u, values, start, binned)
            return
        weights = poisson_counts(start, values.shape[0], self.replicates)  # (n, r)
        counts, sums, squares, plain = _cell_sums(binned, weights, values)
        # the unweighted tallies from the same operands (voi_tally's figures, to the bit)
        self.tallies.merge(VoiTally(values.shape[0], values.sum(axis=0),
                                    float(values.max(axis=1).sum()), binned.counts, plain))
        self.boot_counts += counts
        self.boot_sums += sums
        # the totals: over the bins of any one input (the noise floor's, which has squares)
        floor = slice(self.d * self.bins, None)
        self.boot_n += counts[:, floor].sum(axis=1)
        self.boot_total += sums[:, floor].sum(axis=1)
        self.boot_squares += squares

    def result(self) -> list[Indices]:
        t = self.tallies
        first, floor, degenerate = _given_indices(
            np.array([t.n], dtype=np.float64), t.total[None], self.squares[None],
            t.counts.reshape(1, -1), t.sums.reshape(1, -1, len(self.names)), self.d, self.bins,
        )
        half = np.zeros((len(self.names), self.d))
        if self.replicates > 1:
            boot, _, _ = _given_indices(
                self.boot_n, self.boot_total, self.boot_squares, self.boot_counts,
                self.boot_sums, self.d, self.bins,
            )  # (r, k, d)
            low, high = _percentiles(boot, (2.5, 97.5))
            half = (high - low) / 2
        out = []
        for j, name in enumerate(self.names):
            if degenerate[0, j]:
                zero = np.zeros(self.d)
                out.append(Indices(name, zero, zero, zero, zero, "given"))
                continue
            out.append(Indices(name, first[0, j], half[j], first[0, j], np.zeros(self.d),
                               "given", float(floor[0, j])))
        return out


#: Replicates of the Poisson bootstrap behind the given-data indices' intervals.
BOOTSTRAP_REPLICATES = 40
#: P(X <= x) for X ~ Poisson(1), x = 0..15 (the weights' inverse CDF; beyond 15 is below
#: 1e-13 and counted as 15).
_POISSON_CDF = np.cumsum([np.exp(-1.0) / math.factorial(x) for x in range(16)])
#: The steps of :data:`_POISSON_CDF` on the hash's 53-bit integers ``m`` (``u = m / 2**53``):
#: ``u >= step`` exactly when ``m >= ceil(step * 2**53)`` (the scaling by a power of two is
#: exact), so the counts compare integers and never form ``u``.
_POISSON_STEPS = np.array([math.ceil(float(step) * 2.0**53) for step in _POISSON_CDF[:15]],
                          dtype=np.uint64)
#: Steps compared over every weight; the rarer counts (P(X >= 4) is about 2%) only over the
#: weights past the last of these.
_COMMON_STEPS = 4


def poisson_counts(start: int, n: int, replicates: int) -> NDArray[np.uint8]:
    """Poisson(1) weights ``(n, replicates)`` of samples ``start, ...``: a splitmix64 hash of
    (sample, replicate) to a uniform, through the inverse CDF."""
    k = np.arange(start, start + n, dtype=np.uint64)[:, None]
    r = np.arange(1, replicates + 1, dtype=np.uint64)[None, :]
    x = k * np.uint64(0x9E3779B97F4A7C15) + r * np.uint64(0xD1B54A32D192ED03)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    x >>= np.uint64(11)  # the uniform's 53 bits
    # the inverse CDF: how many of its steps lie at or below the uniform (at most 15)
    counts = np.zeros(x.shape, dtype=np.uint8)
    for step in _POISSON_STEPS[:_COMMON_STEPS]:
        counts += x >= step
    flat, rare = counts.reshape(-1), np.flatnonzero(x >= _POISSON_STEPS[_COMMON_STEPS])
    if rare.size:
        beyond = x.reshape(-1)[rare]
        more = np.zeros(rare.size, dtype=np.uint8)
        for step in _POISSON_STEPS[_COMMON_STEPS:]:
            more += beyond >= step
        flat[rare] += more
    return counts


def _cell_sums(binned: Binned, weights: NDArray[np.uint8], values: FloatArray
               ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Every replicate's weighted count ``(r, cells)``, weighted sums ``(r, cells, k)`` of
    the samples in each cell, and weighted sums of squares ``(r, k)`` of all samples, for
    the replicates' ``weights (n, r)``; and the unweighted sums of each cell ``(d + 1,
    bins, k)``, :meth:`~decision.analyses.explore.voi.Binned.sums`' figures (each cell's
    samples added in order, slot by slot, from the operands gathered anyway).

    With the samples laid out bin by bin (:class:`~decision.analyses.explore.voi.Binned`,
    padded with a zero row), each bin's tallies of every replicate are one small matrix
    product: ``[1, values]^T @ weights`` over the bin's samples (for the last input, the
    noise floor's, ``[1, values, values^2]``: the squares over all its bins)."""
    (n, r), k = weights.shape, values.shape[1]
    d1, bins = binned.counts.shape
    padded_w = np.concatenate([weights, np.zeros((1, r), dtype=weights.dtype)])
    padded_v = np.zeros((n + 1, 2 * k + 1))
    padded_v[:n, 0] = 1.0  # the weighted count
    padded_v[:n, 1 : k + 1] = values
    padded_v[:n, k + 1 :] = values * values
    narrow = np.ascontiguousarray(padded_v[:, : k + 1])
    out = np.empty((d1, bins, k + 1, r))
    plain = np.empty((d1, bins, k))
    # each input's operands, in buffers sized for the fullest input and reused (taken with
    # mode="clip": every slot is a row of the padded arrays, and "raise" would buffer them)
    size = bins * max((slots.shape[0] for slots in binned.slots), default=0)
    small_w, wide_w = np.empty(size * r, dtype=weights.dtype), np.empty(size * r)
    rows_v = np.empty(size * (2 * k + 1))
    product = np.empty(0)
    for j, slots in enumerate(binned.slots):  # inputs are dozens; samples stay vectorised
        source = narrow if j < d1 - 1 else padded_v
        by_bin = slots.T  # (bins, L): each bin's samples
        cells = by_bin.size
        picked = small_w[: cells * r].reshape(*by_bin.shape, r)
        np.take(padded_w, by_bin, axis=0, out=picked, mode="clip")
        w = wide_w[: cells * r].reshape(picked.shape)  # (bins, L, r)
        np.copyto(w, picked)
        v = rows_v[: cells * source.shape[1]].reshape(*by_bin.shape, source.shape[1])
        np.take(source, by_bin, axis=0, out=v, mode="clip")  # (bins, L, columns)
        np.add.reduce(v[:, :, 1 : k + 1], axis=1, out=plain[j])  # slot by slot, as sums
        if j < d1 - 1:
            np.matmul(v.transpose(0, 2, 1), w, out=out[j])  # (bins, columns, r)
        else:
            product = np.matmul(v.transpose(0, 2, 1), w)
            out[j] = product[:, : k + 1]
    squares = product[:, k + 1 :].sum(axis=0).T  # the last input's: (r, k)
    plain += 0.0  # -0.0 sums as a bincount's 0.0 + ..., as Binned.sums
    if k == 1:  # one outcome: the reduction would run along the slots (numpy pairs them)
        plain = binned.sums(values)
    tallies = out.reshape(d1 * bins, k + 1, r)
    return tallies[:, 0, :].T, tallies[:, 1:, :].transpose(2, 0, 1), squares, plain


def _percentiles(values: FloatArray, percents: Sequence[float]) -> list[FloatArray]:
    """``np.percentile(values, percents, axis=0)``, bit for bit, from one sort (np.percentile
    goes through np.unique, whose first call imports numpy.ma: a tenth of the discovery's
    time when nothing else has)."""
    ordered = np.sort(values, axis=0)
    last = values.shape[0] - 1
    out = []
    for percent in percents:
        virtual = last * (percent / 100)
        below = min(math.floor(virtual), last)
        above = min(below + 1, last)
        out.append(lerp(ordered[below], ordered[above], np.asarray(virtual - below)))
    return out


def _given_indices(
    n: FloatArray, total: FloatArray, squares: FloatArray, counts: FloatArray, sums: FloatArray,
    d: int, bins: int,
) -> tuple[FloatArray, FloatArray, np.ndarray]:
    """The given-data index ``(b, k, d)``, its noise floor ``(b, k)`` and whether each outcome
    is constant ``(b, k)``, for ``b`` sets of (weighted) tallies: ``n (b,)``, ``total`` and
    ``squares (b, k)``, ``counts (b, (d + 1) * bins)``, ``sums (b, (d + 1) * bins, k)``."""
    size = np.maximum(n, 1.0)[:, None]
    mean = total / size  # (b, k)
    variance = np.maximum(squares / size - mean * mean, 0.0)
    safe = np.where(counts > 0, counts, 1.0)
    # counts * (sums / counts - mean)**2 per cell, each outcome's cells in a row (whole-row
    # loops, not one per cell), then back to (b, cells, k) for the sum over bins, in order
    spread = sums.transpose(0, 2, 1).copy()  # (b, k, cells), a copy whatever the shapes
    spread /= safe[:, None, :]
    spread -= mean[:, :, None]
    np.square(spread, out=spread)
    spread *= counts[:, None, :]
    by_cell = np.ascontiguousarray(spread.transpose(0, 2, 1))
    between = by_cell.reshape(n.size, d + 1, bins, -1).sum(axis=2) / size[:, :, None]
    degenerate = variance <= 1e-15 * np.maximum(1.0, mean * mean)
    share = between / np.where(variance > 0, variance, 1.0)[:, None, :]  # (b, d + 1, k)
    floor = share[:, -1, :]
    first = np.clip(share[:, :-1, :] - floor[:, None, :], 0.0, 1.0)
    return np.moveaxis(first, 1, 2), floor, degenerate
