"""The value of information for a decision, from the explored samples, streamed by chunk.

A decision picks one alternative ``a`` now (an option, or a package to commit to) whose value
``V_a`` depends on the uncertain inputs. Deciding on the mean is worth ``max_a E[V_a]``;
knowing every input first is worth ``E[max_a V_a]``; the difference is the expected value of
perfect information (EVPI, never negative, zero when one alternative is best everywhere).
Learning one input ``x_j`` first is worth ``E_{x_j}[max_a E[V_a | x_j]] - max_a E[V_a]``
(EVPPI). It is estimated from the same samples by binning ``x_j`` (Strong and Oakley's
non-parametric estimator in its simplest form): the design's unit-cube column ``u_j`` is cut
into ``bins`` equal-probability bins, and the conditional means are the bins' means. With few
samples per bin the estimate is biased upwards (maxima of noisy means); the estimate under
a random relabelling of the samples to bins, the noise floor, is subtracted and the result
clipped at zero (:meth:`VoiAccumulator.result`).

Everything is tallied per chunk (sums per input, bin and alternative), so a run of any length
keeps ``d x bins x alternatives`` numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from decision.core.compile import FloatArray

#: Equal-probability bins per input for EVPPI (fewer when samples are few: about 200 per bin).
MAX_BINS = 20
SAMPLES_PER_BIN = 200


def bins_for(n: int) -> int:
    """Bins per input for ``n`` samples."""
    return int(max(2, min(MAX_BINS, n // SAMPLES_PER_BIN)))


@dataclass(frozen=True)
class Voi:
    """EVPI of the decision and EVPPI per input (same order as the inputs), on the scale of
    the alternatives' values; ``floor`` is the noise floor subtracted from each EVPPI."""

    evpi: float
    evppi: FloatArray
    floor: float
    best_on_mean: int  # the alternative chosen without further information


class VoiAccumulator:
    """Chunk-by-chunk tallies for :class:`Voi` over ``d`` inputs and ``a`` alternatives."""

    def __init__(self, d: int, alternatives: int, bins: int) -> None:
        self.d, self.a, self.bins = d, alternatives, bins
        self.n = 0
        self.total = np.zeros(alternatives)
        self.best_total = 0.0
        self.sums = np.zeros((d + 1, bins, alternatives))  # the last row: the noise floor
        self.counts = np.zeros((d + 1, bins))

    def add(self, u: FloatArray, values: FloatArray, start: int,
            binned: Binned | None = None) -> None:
        """Add the samples ``start, start + 1, ...`` with unit-cube rows ``u (n, d)`` and the
        alternatives' values ``values (n, a)`` (``binned``: their :func:`bin_samples`, when
        already at hand)."""
        self.merge(voi_tally(u, values, start, self.bins, binned))

    def merge(self, part: VoiTally) -> None:
        """Add a chunk's :func:`voi_tally` (made where the chunk was evaluated), in order."""
        self.n += part.n
        self.total += part.total
        self.best_total += part.best_total
        self.counts += part.counts
        self.sums += part.sums

    def result(self) -> Voi:
        mean = self.total / max(self.n, 1)
        on_mean = float(mean.max())
        evpi = max(self.best_total / max(self.n, 1) - on_mean, 0.0)
        safe = np.where(self.counts > 0, self.counts, 1.0)
        conditional = (self.sums / safe[:, :, None]).max(axis=2)  # (d + 1, bins)
        raw = (conditional * self.counts).sum(axis=1) / max(self.n, 1) - on_mean
        floor = max(float(raw[-1]), 0.0)
        evppi = np.clip(raw[:-1] - floor, 0.0, evpi)
        return Voi(float(evpi), evppi, floor, int(np.argmax(mean)))


@dataclass(frozen=True)
class VoiTally:
    """One chunk's share of a :class:`VoiAccumulator`'s sums (see :func:`voi_tally`)."""

    n: int
    total: FloatArray  # (a,)
    best_total: float
    counts: NDArray[np.int64]  # (d + 1, bins)
    sums: FloatArray  # (d + 1, bins, a)


def voi_tally(u: FloatArray, values: FloatArray, start: int, bins: int,
              binned: Binned | None = None) -> VoiTally:
    """The sums of samples ``start, ...`` (rows ``u (n, d)``, values ``(n, a)``; ``binned``:
    their :func:`bin_samples`, when already at hand), computed as :meth:`VoiAccumulator.add`
    always has, so merging them in order gives the same bits: each cell adds its samples
    in their order (see :meth:`Binned.sums`)."""
    n = values.shape[0]
    layout = bin_samples(u, start, bins) if binned is None else binned
    return VoiTally(n, values.sum(axis=0), float(values.max(axis=1).sum()),
                    layout.counts, layout.sums(values))


@dataclass(frozen=True)
class Binned:
    """Samples ``start, ...`` by cell (:func:`bin_samples`): each cell's count
    ``(d + 1, bins)`` (the cells of :func:`bin_cells`), and input by input the samples of
    each bin in order, slot by slot: ``slots[j]`` ``(L_j, bins)`` holds each bin's ``l``-th
    sample in row ``l`` (``n``, no sample, past a bin's end; ``L_j`` the fullest bin's)."""

    counts: NDArray[np.int64]
    slots: list[NDArray[np.intp]]

    def sums(self, values: FloatArray) -> FloatArray:
        """Each cell's sum of ``values (n, a)``, ``(d + 1, bins, a)``: slot by slot, so each
        cell adds its samples in their order, as a bincount does (the same bits; a zero sum
        is +0.0, as a bincount's)."""
        n, a = values.shape
        d1, bins = self.counts.shape
        if bins * a == 1:  # one bin of one alternative: the reduction's own loop would pair
            total = np.bincount(np.zeros(n, dtype=np.intp), values[:, 0], 1)
            return np.full((d1, 1, 1), float(total[0]))
        padded = np.zeros((n + 1, a))
        padded[:n] = values
        out = np.empty((d1, bins, a))
        # each input's samples slot by slot, in one buffer sized for the fullest input
        # (taken with mode="clip": every slot is a row of ``padded``, and "raise" buffers)
        work = np.empty(max((s.size for s in self.slots), default=0) * a)
        for j, slots in enumerate(self.slots):  # inputs are dozens; samples stay vectorised
            taken = work[: slots.size * a].reshape(*slots.shape, a)
            np.take(padded, slots, axis=0, out=taken, mode="clip")
            np.add.reduce(taken, axis=0, out=out[j])
        out += 0.0  # -0.0 sums as a bincount's 0.0 + ...
        return out


def bin_samples(u: FloatArray, start: int, bins: int) -> Binned:
    """The :class:`Binned` layout of samples ``start, ...`` with unit-cube rows ``u (n, d)``.

    One stable sort per input orders its samples bin by bin; each sample's slot then follows
    from its rank alone (rank minus its bin's first rank, plus the bin's own offset), so the
    slots of every input are laid out by one scatter into one array (bin-major: ``slots[j]``
    is a transposed view of it)."""
    n, d = u.shape
    kind = np.uint8 if bins <= 1 << 8 else np.uint16 if bins <= 1 << 16 else np.intp
    local = np.empty((d + 1, n), dtype=kind)  # each input's bin (bin_cells, input by input)
    scaled = u * bins  # truncating non-negatives floors them, as bin_cells' cast does
    np.minimum(scaled, bins - 1, out=scaled)
    np.copyto(local[:d], scaled.T, casting="unsafe")
    local[d] = _floor_bins(start, n, bins)
    order = np.argsort(local, axis=1, kind="stable")  # bin by bin, samples in order
    counts = np.empty((d + 1, bins), dtype=np.int64)
    for j in range(d + 1):  # inputs are dozens
        counts[j] = np.bincount(local[j], minlength=bins)
    fullest = counts.max(axis=1)
    width = int(fullest.max()) if n else 0
    # rank r of input j's order, in bin b, goes to slot (b, r - first[j, b]) of row j
    first = np.cumsum(counts, axis=1) - counts
    shift = (np.arange(d + 1) * (bins * width))[:, None] + np.arange(bins) * width - first
    layout = np.full((d + 1, bins, width), n, dtype=np.intp)
    target = np.repeat(shift.ravel(), counts.ravel()).reshape(d + 1, n)
    target += np.arange(n)
    layout.reshape(-1)[target] = order
    slots = [layout[j, :, :length].T for j, length in enumerate(fullest.tolist())]
    return Binned(counts, slots)


def _floor_bins(start: int, n: int, bins: int) -> NDArray[np.intp]:
    """The noise floor's bins of samples ``start, ...``: a hash of the sample's number."""
    k = np.arange(start, start + n, dtype=np.uint64)
    mixed = (k * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(40)
    out: NDArray[np.intp] = (mixed % np.uint64(bins)).astype(np.intp)
    return out


def bin_cells(u: FloatArray, start: int, bins: int) -> NDArray[np.intp]:
    """Flat cells ``(n, d + 1)`` of samples ``start, ...`` with unit-cube rows ``u (n, d)``:
    input ``j``'s equal-probability bin at ``j * bins + bin``, and in the last column a bin by
    a hash of the sample's number, unrelated to any input (the noise floor)."""
    n, d = u.shape
    b = np.minimum((u * bins).astype(np.intp), bins - 1)  # (n, d)
    b = np.concatenate([b, _floor_bins(start, n, bins)[:, None]], axis=1)
    cells: NDArray[np.intp] = (np.arange(d + 1) * bins)[None, :] + b
    return cells


def voi(u: FloatArray, values: FloatArray, bins: int | None = None) -> Voi:
    """:class:`Voi` of the alternatives' ``values (n, a)`` over inputs ``u (n, d)`` in one go."""
    acc = VoiAccumulator(u.shape[1], values.shape[1], bins or bins_for(values.shape[0]))
    acc.add(u, values, 0)
    return acc.result()
