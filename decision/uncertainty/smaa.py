"""SMAA-2 (Lahdelma & Salminen 2001) from streamed ranks and weights.

The engine evaluates samples in chunks and feeds each chunk's ranks ``(n, o)`` (1 = best, a
permutation per row) and normalised weights ``(n, c)`` to :class:`SmaaAccumulator`. It keeps:

- ``b[o, r]``: how often option ``o`` takes rank ``r + 1`` (rank acceptability = b / n);
- per option, the sum of the weight vectors of the samples where it ranks first (its central
  weight vector is their mean);
- ``wins[o, p]``: how often ``o`` ranks above ``p`` (pairwise winning index = wins / n);
- in a second pass over the same samples, how often ``o`` ranks first when every sample is
  scored with ``o``'s central weights (its confidence factor).

Chunk invariance: everything accumulated is an integer. Counts are integers; weights are
rounded to multiples of 2**-40 (an error below 1e-12) and summed as integers (exact Python
ints across chunks), so totals, and therefore results, are bit-identical for any chunk sizes
and any order of the chunks; the one float division happens in :meth:`SmaaAccumulator.result`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from decision.errors import DecisionError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Weights are summed as integer multiples of 2**-WEIGHT_BITS.
WEIGHT_BITS = 40
_SCALE = float(1 << WEIGHT_BITS)
#: Rows per inner batch: bounds memory of pairwise comparisons and keeps int64 sums of
#: quantised weights (each <= 2**40) below 2**62.
_BATCH = 1 << 16
#: Bytes of the pairwise tally's largest temporary (a batch of samples x options^2).
PAIRWISE_BYTES = 32 * 2**20


def default_meta_weights(n_options: int) -> FloatArray:
    """Linear meta-weights ``alpha_r = (m - r) / (m - 1)``, r = 1..m (``[1.0]`` if m = 1)."""
    m = n_options
    if m == 1:
        return np.ones(1)
    result: FloatArray = (m - np.arange(1, m + 1, dtype=np.float64)) / (m - 1)
    return result


def _check_meta_weights(meta: ArrayLike, m: int) -> FloatArray:
    alpha = np.array(meta, dtype=np.float64)  # a copy: the result freezes it
    if alpha.shape != (m,):
        raise DecisionError(f"need {m} meta-weights (one per rank), got shape {alpha.shape}")
    if not np.all(np.isfinite(alpha)) or np.any(alpha < 0):
        raise DecisionError("meta-weights must be finite and >= 0")
    if alpha[0] != 1.0 or np.any(np.diff(alpha) > 0):
        raise DecisionError(
            "meta-weights must start at 1 and never increase",
            allowed="1 = alpha_1 >= alpha_2 >= ... >= 0",
        )
    return alpha


@dataclass(frozen=True, eq=False)
class SmaaResult:
    """SMAA-2 results for ``o`` options and ``c`` criteria (arrays indexed by option).

    - ``rank_acceptability (o, o)``: share of samples where option ``o`` has rank ``r + 1``;
    - ``meta_weights (o,)`` and ``holistic_acceptability (o,) = rank_acceptability @ meta_weights``;
    - ``central_weights (o, c)``: mean weight vector over samples where ``o`` ranks first; an
      option never first gets all zeros and ``ever_first[o] = False``;
    - ``pairwise_winning (o, o)``: share of samples where ``o`` ranks above the other option;
    - ``confidence_factors (o,)``: share of the second-pass samples where ``o`` ranks first
      with its own central weights (0.0 for options never first); None without a second pass.
    """

    n_samples: int
    rank_acceptability: FloatArray
    meta_weights: FloatArray
    holistic_acceptability: FloatArray
    central_weights: FloatArray
    ever_first: BoolArray
    pairwise_winning: FloatArray
    confidence_factors: FloatArray | None
    n_confidence_samples: int


def smaa_batch(n_options: int) -> int:
    """Samples tallied at once: the pairwise tally holds ``batch x options^2`` bytes, kept
    within :data:`PAIRWISE_BYTES` (exact integer tallies: the batch never changes a result)."""
    return max(1, min(_BATCH, PAIRWISE_BYTES // (n_options * n_options)))


@dataclass(frozen=True)
class SmaaTally:
    """The SMAA-2 tallies of one chunk of samples, made where the chunk is evaluated (a worker
    thread) and merged in order by :meth:`SmaaAccumulator.merge`."""

    n_samples: int
    rank_counts: IntArray  # (o, o) option x rank index
    pairwise_counts: IntArray  # (o, o) how often the row option ranks above the column one
    weight_sums: list[list[int]]  # (o, c) sums of quantised weights where the option is first


def tally(ranks: NDArray[np.integer[Any]], weights: FloatArray) -> SmaaTally:
    """The tallies of ``ranks (n, o)`` (1 = best, permutations: not checked here) and
    normalised ``weights (n, c)``, in batches of :func:`smaa_batch` rows."""
    n, o = ranks.shape
    c = weights.shape[1]
    rank_counts = np.zeros((o, o), dtype=np.int64)
    pairwise = np.zeros((o, o), dtype=np.int64)
    weight_sums = [[0] * c for _ in range(o)]
    offsets = np.arange(o, dtype=np.int64) * o - 1
    batch = smaa_batch(o)
    for start in range(0, n, batch):
        r = ranks[start : start + batch]
        m = r.shape[0]
        cells = offsets + r  # (m, o): option * o + rank index
        rank_counts += np.bincount(cells.ravel(), minlength=o * o).reshape(o, o)
        small: NDArray[np.signedinteger[Any]] = r.astype(np.int8 if o <= 127 else np.int32)
        # narrow integers and a uint8 view make this, the costliest tally, about twice as fast
        above = (small[:, :, None] < small[:, None, :]).reshape(m, o * o).view(np.uint8)
        pairwise += above.sum(axis=0, dtype=np.int64).reshape(o, o)
        first = np.argmin(r, axis=1)  # the option with rank 1
        q = np.rint(weights[start : start + batch] * _SCALE).astype(np.int64)
        sums = np.zeros((o, c), dtype=np.int64)  # each below 2**40 * batch <= 2**56
        np.add.at(sums, first, q)
        for acc, row in zip(weight_sums, sums.tolist(), strict=True):
            for j, value in enumerate(row):
                acc[j] += value
    return SmaaTally(n, rank_counts, pairwise, weight_sums)


class SmaaAccumulator:
    """Streams chunks of ranks and weights into exact integer SMAA-2 tallies."""

    def __init__(self, n_options: int, n_criteria: int) -> None:
        if n_options < 1 or n_criteria < 1:
            raise ValueError("need at least one option and one criterion")
        self.n_options = n_options
        self.n_criteria = n_criteria
        self.n_samples = 0
        self.rank_counts: IntArray = np.zeros((n_options, n_options), dtype=np.int64)
        self.pairwise_counts: IntArray = np.zeros((n_options, n_options), dtype=np.int64)
        # exact sums of quantised weights, as Python ints (no overflow whatever n)
        self._weight_sums: list[list[int]] = [[0] * n_criteria for _ in range(n_options)]
        self.n_confidence_samples = 0
        self.confidence_counts: IntArray = np.zeros(n_options, dtype=np.int64)

    def add(self, ranks: ArrayLike, weights: ArrayLike) -> None:
        """Add a chunk: ``ranks (n, o)`` (1 = best, a permutation per row), ``weights (n, c)``."""
        r = np.asarray(ranks)
        w = np.asarray(weights, dtype=np.float64)
        o, c = self.n_options, self.n_criteria
        if r.ndim != 2 or r.shape[1] != o:
            raise ValueError(f"ranks must be (n, {o}), got {r.shape}")
        if w.shape != (r.shape[0], c):
            raise ValueError(f"weights must be ({r.shape[0]}, {c}), got {w.shape}")
        if not np.issubdtype(r.dtype, np.integer):
            raise ValueError("ranks must be integers")
        if not np.array_equal(np.sort(r, axis=1), np.broadcast_to(np.arange(1, o + 1), r.shape)):
            raise ValueError("each row of ranks must be a permutation of 1..n_options")
        if not (np.all(np.isfinite(w)) and np.all(w >= 0) and np.all(w <= 1)):
            raise ValueError("weights must be normalised (finite, within [0, 1])")
        self.merge(tally(r, w))

    def merge(self, part: SmaaTally) -> None:
        """Add the tally of a chunk (see :func:`tally`); integers, so any order gives the same."""
        self.n_samples += part.n_samples
        self.rank_counts += part.rank_counts
        self.pairwise_counts += part.pairwise_counts
        for acc, row in zip(self._weight_sums, part.weight_sums, strict=True):
            for j, value in enumerate(row):
                acc[j] += value

    def central_weights(self) -> tuple[FloatArray, BoolArray]:
        """Central weight vectors ``(o, c)`` (zeros for options never first) and ``ever_first``."""
        first_counts = self.rank_counts[:, 0].tolist()
        central = np.zeros((self.n_options, self.n_criteria))
        for i, count in enumerate(first_counts):
            if count:
                # int / int is correctly rounded: one rounding, whatever the totals
                central[i] = [s / (count << WEIGHT_BITS) for s in self._weight_sums[i]]
        return central, self.rank_counts[:, 0] > 0

    def add_confidence(self, is_first: ArrayLike) -> None:
        """Second pass: ``is_first (n, o)``: did ``o`` rank first under its central weights."""
        f = np.asarray(is_first, dtype=bool)
        if f.ndim != 2 or f.shape[1] != self.n_options:
            raise ValueError(f"is_first must be (n, {self.n_options}), got {f.shape}")
        self.add_confidence_counts(np.count_nonzero(f, axis=0), f.shape[0])

    def add_confidence_counts(self, counts: ArrayLike, n: int) -> None:
        """Second pass, tallied: per option, how many of ``n`` samples it ranked first in."""
        self.n_confidence_samples += n
        self.confidence_counts += np.asarray(counts, dtype=np.int64)

    def result(self, meta_weights: ArrayLike | None = None) -> SmaaResult:
        """The SMAA-2 indices so far; ``meta_weights`` default to :func:`default_meta_weights`."""
        if self.n_samples == 0:
            raise ValueError("no samples were added")
        o, n = self.n_options, self.n_samples
        if meta_weights is None:
            alpha = default_meta_weights(o)
        else:
            alpha = _check_meta_weights(meta_weights, o)
        acceptability = self.rank_counts / n
        central, ever_first = self.central_weights()
        confidence: FloatArray | None = None
        if self.n_confidence_samples:
            confidence = np.where(
                ever_first, self.confidence_counts / self.n_confidence_samples, 0.0
            )
        holistic: FloatArray = (acceptability * alpha).sum(axis=1)  # row-wise: order-free
        pairwise: FloatArray = self.pairwise_counts / n
        arrays = [acceptability, alpha, holistic, central, ever_first, pairwise, confidence]
        for array in arrays:
            if array is not None:
                array.flags.writeable = False
        return SmaaResult(
            n_samples=n,
            rank_acceptability=acceptability,
            meta_weights=alpha,
            holistic_acceptability=holistic,
            central_weights=central,
            ever_first=ever_first,
            pairwise_winning=pairwise,
            confidence_factors=confidence,
            n_confidence_samples=self.n_confidence_samples,
        )
