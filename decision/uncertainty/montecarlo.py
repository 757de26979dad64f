"""Monte Carlo evaluation of a scenario: sample, score in chunks, summarise exactly.

Samples are drawn in fixed RNG blocks (:mod:`decision.uncertainty.sampling`), so sample ``k``
is the same whatever the chunk size; every statistic is accumulated as integers (counts,
quantised sums, histogram bins), so results are bit-identical whatever the chunk size. Memory
is bounded by the chunk size, not by the number of samples.

Score statistics of an option are conditional on its being available; its availability
probability is reported beside them. Quantiles are exact (a sampled score: the inverted
empirical distribution function) while the scores fit in ``EXACT_QUANTILE_VALUES`` values; past
that they come from a fixed histogram of ``HISTOGRAM_BINS`` bins over ``SCORE_RANGE``
(resolution 1e-4), clamped to the exact smallest and largest score, so a constant score is
still reported exactly.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from decision.core.compile import BoolArray, CompiledModel, FloatArray, ScenarioInputs
from decision.core.engine import (
    outcome,
    state,
)
from decision.core.methods import MethodParams
from decision.core.methods import score as score_method
from decision.core.weights import normalise_weights
from decision.uncertainty.checkpoint import input_fingerprint
from decision.uncertainty.runner import active
from decision.uncertainty.sampling import (
    BLOCK,
    WeightModel,
    block_filler,
    draw_range_into,
    likelihood_shape,
    weight_model,
)
from decision.uncertainty.smaa import WEIGHT_BITS, SmaaAccumulator, SmaaResult, SmaaTally, tally

SCORE_RANGE = (-1.0, 1.0)
HISTOGRAM_BINS = 20_000
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
#: Keep every sampled score for exact quantiles up to this many values (samples x options).
EXACT_QUANTILE_VALUES = 8_000_000
DEFAULT_CHUNK = 2 * BLOCK
#: Keep the first pass's performance for the second (confidence) pass when it fits in this
#: many bytes; beyond it the second pass redraws the same samples instead.
CACHE_BYTES = 64 * 2**20
_SUM_BITS = 32  # scores are summed as integer multiples of 2**-32

#: Threads that evaluate chunks concurrently (results do not depend on it). One: on the
#: two-core machine this project is measured on (shared with other work), a second thread gave
#: 0.6-1.5x at 10^6 samples (issue 21, benchmarks/bench_uncertainty.py), never the 1.6x that
#: would pay for it; the chunks stay independent, so raise it where cores are free.
WORKERS = 1
#: Working memory of one chunk in evaluation (per thread): chunks, and groups of candidates
#: in the confidence pass, are made smaller for models with many options and criteria.
CHUNK_BYTES = 256 * 2**20
#: (samples, options, criteria) float arrays alive at once while a chunk is scored.
_LIVE_ARRAYS = 8

Progress = Callable[[int, int], None]
T = TypeVar("T")
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class UncertaintySummary:
    """What a Monte Carlo run says about each option (arrays indexed by option)."""

    n_samples: int
    availability: FloatArray  # (o,) probability of being available
    score_mean: FloatArray  # (o,) conditional on availability (0 if never available)
    score_sd: FloatArray  # (o,)
    score_quantiles: FloatArray  # (o, q) at QUANTILES
    smaa: SmaaResult
    histogram: NDArray[np.int64]  # (o, HISTOGRAM_BINS) counts of available samples' scores

    def share_at_least(self, threshold: float) -> FloatArray:
        """Per option, the share of all samples in which it is available and scores at least
        ``threshold`` (to the histogram's resolution: bins whose lower edge reaches it)."""
        low, high = SCORE_RANGE
        first = int(np.ceil((threshold - low) / (high - low) * HISTOGRAM_BINS))
        first = min(max(first, 0), HISTOGRAM_BINS)
        share: FloatArray = self.histogram[:, first:].sum(axis=1) / self.n_samples
        return share


@dataclass(frozen=True)
class ScoreTally:
    """Exact score statistics of one chunk, made where the chunk is evaluated (a worker
    thread) and merged in chunk order by ``_ScoreStats.merge``."""

    count: IntArray  # (o,) available samples
    sums: list[int]  # (o,) sums of scores as multiples of 2**-32
    squares: list[int]  # (o,) sums of squared scores, likewise
    smallest: FloatArray  # (o,) over available samples (inf if none)
    largest: FloatArray  # (o,)
    bins: IntArray | None  # (o * HISTOGRAM_BINS,) histogram counts, or None: see cells
    cells: IntArray  # flat histogram cells hit (when bins is None) ...
    cell_counts: IntArray  # ... and how often
    kept: tuple[FloatArray, BoolArray] | None  # the scores themselves, for exact quantiles


def score_tally(scores: FloatArray, available: BoolArray, *, keep: bool) -> ScoreTally:
    """The score statistics of a chunk: ``scores (n, o)`` of which ``available (n, o)``."""
    o = scores.shape[1]
    if scores.shape[0]:
        smallest = np.where(available, scores, np.inf).min(0)
        largest = np.where(available, scores, -np.inf).max(0)
    else:
        smallest, largest = np.full(o, np.inf), np.full(o, -np.inf)
    scale = float(1 << _SUM_BITS)
    q = np.where(available, np.rint(scores * scale), 0).astype(np.int64)
    q2 = np.where(available, np.rint(scores * scores * scale), 0).astype(np.int64)
    low, high = SCORE_RANGE
    bins = np.clip(
        ((scores - low) / (high - low) * HISTOGRAM_BINS).astype(np.int64), 0, HISTOGRAM_BINS - 1
    )
    cells = (np.arange(o) * HISTOGRAM_BINS + bins)[available]
    empty = np.zeros(0, dtype=np.int64)
    if o * HISTOGRAM_BINS <= 4 * cells.size:
        counts, where, how_often = np.bincount(cells, minlength=o * HISTOGRAM_BINS), empty, empty
    else:  # many options, few samples: do not make a temporary of every bin
        counts = None
        where, how_often = np.unique(cells, return_counts=True)
    return ScoreTally(
        count=available.sum(axis=0),
        sums=q.sum(axis=0).tolist(),
        squares=q2.sum(axis=0).tolist(),
        smallest=smallest,
        largest=largest,
        bins=counts,
        cells=where,
        cell_counts=how_often,
        kept=(scores, available) if keep else None,
    )


class _ScoreStats:
    """Exact, chunk-invariant sums of scores, squared scores and a histogram per option."""

    def __init__(self, n_options: int, keep_scores: bool = False) -> None:
        self.count = np.zeros(n_options, dtype=np.int64)
        self.sums = [0] * n_options
        self.squares = [0] * n_options
        self.histogram = np.zeros((n_options, HISTOGRAM_BINS), dtype=np.int64)
        self.smallest = np.full(n_options, np.inf)
        self.largest = np.full(n_options, -np.inf)
        self.kept: list[tuple[FloatArray, BoolArray]] | None = [] if keep_scores else None

    def add(self, scores: FloatArray, available: BoolArray) -> None:
        self.merge(score_tally(scores, available, keep=self.kept is not None))

    def merge(self, part: ScoreTally) -> None:
        """Add the tally of a chunk (see :func:`score_tally`), in chunk order."""
        if self.kept is not None and part.kept is not None:
            self.kept.append(part.kept)
        self.smallest = np.minimum(self.smallest, part.smallest)
        self.largest = np.maximum(self.largest, part.largest)
        for k, (s, s2) in enumerate(zip(part.sums, part.squares, strict=True)):
            self.sums[k] += s
            self.squares[k] += s2
        self.count += part.count
        flat = self.histogram.reshape(-1)
        if part.bins is not None:
            flat += part.bins
        else:
            flat[part.cells] += part.cell_counts

    def summary(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        o = len(self.sums)
        unit = float(1 << _SUM_BITS)
        mean = np.zeros(o)
        sd = np.zeros(o)
        quantiles = np.zeros((o, len(QUANTILES)))
        low, high = SCORE_RANGE
        width = (high - low) / HISTOGRAM_BINS
        for k in range(o):
            n = int(self.count[k])
            if n == 0:
                continue
            mean[k] = self.sums[k] / (n * unit)
            variance = self.squares[k] / (n * unit) - mean[k] ** 2
            sd[k] = float(np.sqrt(max(variance, 0.0) * n / (n - 1))) if n > 1 else 0.0
            cumulative = np.cumsum(self.histogram[k])
            for j, p in enumerate(QUANTILES):
                b = int(np.searchsorted(cumulative, p * n, side="left"))
                quantiles[k, j] = low + (b + 0.5) * width
            quantiles[k] = np.clip(quantiles[k], self.smallest[k], self.largest[k])
        if self.kept is not None and self.kept:
            scores = np.concatenate([s for s, _ in self.kept])
            available = np.concatenate([a for _, a in self.kept])
            for option in np.flatnonzero(self.count).tolist():
                quantiles[option] = np.quantile(
                    scores[available[:, option], option], QUANTILES, method="inverted_cdf"
                )
        return mean, sd, quantiles


def _ordered_map(
    function: Callable[[tuple[int, int]], T], spans: list[tuple[int, int]]
) -> Iterator[T]:
    """``map`` over chunks on ``WORKERS`` threads, in order, with few chunks in flight.

    numpy releases the GIL in its array loops, so chunks overlap on the machine's cores;
    results are consumed in chunk order and every tally is an exact integer, so the output
    does not depend on the number of threads.
    """
    if WORKERS <= 1 or len(spans) <= 1:
        yield from map(function, spans)
        return
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        pending: deque[Future[T]] = deque()
        for span in spans:
            pending.append(pool.submit(function, span))
            if len(pending) > WORKERS:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


_THREAD = threading.local()


def chunk_buffers(rows: int, shapes: tuple[tuple[int, ...], ...]) -> tuple[FloatArray, ...]:
    """Draw buffers of ``rows`` samples of each shape, one set per thread, reused chunk after
    chunk (a module-level function, so a chunk function shipped to a Dask worker takes it by
    reference, not a thread-local by value)."""
    key = (rows, shapes)
    found: dict[object, tuple[FloatArray, ...]] = getattr(_THREAD, "buffers", None) or {}
    if key not in found:
        found = {key: tuple(np.empty((rows, *shape)) for shape in shapes)}  # only the latest
        _THREAD.buffers = found
    return found[key]


def fitting_chunk(n_options: int, n_criteria: int, requested: int = DEFAULT_CHUNK) -> int:
    """Samples per chunk: ``requested``, or fewer so a chunk's arrays fit in
    :data:`CHUNK_BYTES` (results never depend on the chunk size)."""
    per_sample = n_options * n_criteria * 8 * _LIVE_ARRAYS
    return max(1, min(requested, CHUNK_BYTES // per_sample))


def confidence_weights(weights: WeightModel) -> FloatArray | None:
    """With exact weights, the central weights of every option ever ranked first, known before
    sampling; None otherwise.

    Every sample has the same weights ``w``, so an option's central weights are the mean of
    equal quantised vectors, ``rint(w * 2**40) / 2**40`` exactly (see
    :meth:`SmaaAccumulator.central_weights`): the confidence factors can be tallied in the
    first pass instead of a second pass over the same samples.
    """
    if weights.kind != "exact":
        return None
    w = normalise_weights(weights.weights)
    known: FloatArray = np.ldexp(np.rint(w * float(1 << WEIGHT_BITS)), -WEIGHT_BITS)
    return known


def _ranked_first(
    model: CompiledModel,
    perf: FloatArray,
    available: BoolArray,
    central: FloatArray,
    method: str,
    params: MethodParams,
) -> IntArray:
    """The option ranked first ``(k, m)`` in each of ``m`` samples under each of ``k`` weight
    vectors ``central (k, c)``: highest available score, ties to model order (as rank)."""
    k = central.shape[0]
    m = perf.shape[0]
    stacked = np.broadcast_to(perf, (k, *perf.shape))
    mask = np.broadcast_to(available, (k, *available.shape))
    w = np.broadcast_to(central[:, None, :], (k, m, central.shape[1]))
    scores = score_method(method, stacked, w, model.benefit, mask, params)
    first: IntArray = np.argmax(np.where(mask, scores, -np.inf), axis=-1)
    return first


def monte_carlo(
    model: CompiledModel,
    inputs: ScenarioInputs,
    *,
    chunk: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
) -> UncertaintySummary:
    """Sample the scenario ``inputs.samples`` times; SMAA-2 and score statistics per option.

    Chunks are drawn into per-thread buffers and tallied where they are evaluated; the main
    thread merges the integer tallies in chunk order. With exact weights the confidence
    factors are tallied in the same pass (:func:`confidence_weights`); otherwise a second pass
    scores each sample under every candidate's central weights, on the first pass's
    performance when it fits in :data:`CACHE_BYTES`, else on the same samples drawn again.
    """
    n = inputs.samples
    o, c = len(model.options), len(model.criteria)
    weights = weight_model(model, inputs)
    fill = block_filler(model, inputs, weights)
    method, params = inputs.method.name, inputs.method_params
    chunk = fitting_chunk(o, c, chunk)
    smaa = SmaaAccumulator(o, c)
    keep_scores = n * o <= EXACT_QUANTILE_VALUES
    stats = _ScoreStats(o, keep_scores=keep_scores)
    known = confidence_weights(weights)
    runner = active()
    shapes = ((len(inputs.values),), (o, c), (c,), likelihood_shape(model))

    def evaluate_chunk(start: int, stop: int) -> tuple[FloatArray, BoolArray, FloatArray]:
        buffers = chunk_buffers(chunk, shapes)
        values, judgement, w, likelihood = (b[: stop - start] for b in buffers)
        draw_range_into(inputs.seed, start, stop, fill, (values, judgement, w, likelihood))
        chance = None if model.likelihoods is None else likelihood
        perf, available = state(model, values, judgement, chance)
        return perf, available, w

    # a distributed run evaluates chunks elsewhere: nothing to keep for the second pass
    keep = known is None and n * o * c * 8 <= CACHE_BYTES
    keep = keep and (runner is None or not runner.distributed)
    cache: dict[int, tuple[FloatArray, BoolArray]] = {}
    spans = [(start, min(n, start + chunk)) for start in range(0, n, chunk)]
    total = n if known is not None else 2 * n

    def first_pass(span: tuple[int, int]) -> tuple[SmaaTally, ScoreTally, IntArray | None]:
        perf, available, w = evaluate_chunk(*span)
        if keep:
            cache[span[0]] = (perf, available)
        scores, ranks = outcome(model, perf, available, w, method, params)
        firsts = None
        if known is not None:
            first = _ranked_first(model, perf, available, known[None, :], method, params)[0]
            ranked_first = first[available[np.arange(first.size), first]]
            firsts = np.bincount(ranked_first, minlength=o)
        return tally(ranks, w), score_tally(scores, available, keep=keep_scores), firsts

    stage = {**input_fingerprint(model, inputs), "chunk": chunk}
    confidence = np.zeros(o, dtype=np.int64)
    firsts_passed = (
        _ordered_map(first_pass, spans)
        if runner is None
        else runner.map(first_pass, spans, label=f"{inputs.id}-first", fingerprint=stage)
    )
    for (_, stop), (rank_part, score_part, firsts) in zip(spans, firsts_passed, strict=True):
        smaa.merge(rank_part)
        stats.merge(score_part)
        if firsts is not None:
            confidence += firsts
        if progress:
            progress(stop, total)

    central, ever_first = smaa.central_weights()
    candidates = np.flatnonzero(ever_first)
    if known is not None and np.array_equal(
        central[candidates], np.broadcast_to(known, (candidates.size, c))
    ):
        smaa.add_confidence_counts(np.where(ever_first, confidence, 0), n)
    else:

        def second_pass(span: tuple[int, int]) -> BoolArray:
            start, stop = span
            perf, available = cache.pop(start) if start in cache else evaluate_chunk(*span)[:2]
            is_first = np.zeros((stop - start, o), dtype=bool)
            group = max(1, CHUNK_BYTES // ((stop - start) * o * c * 8 * _LIVE_ARRAYS))
            for begin in range(0, candidates.size, group):
                chosen = candidates[begin : begin + group]
                first = _ranked_first(model, perf, available, central[chosen], method, params)
                is_first[:, chosen] = (first == chosen[:, None]).T & available[:, chosen]
            return is_first

        seconds_passed = (
            _ordered_map(second_pass, spans)
            if runner is None
            else runner.map(second_pass, spans, label=f"{inputs.id}-confidence", fingerprint={
                **stage, "candidates": candidates.tolist(), "central": central.tolist()})
        )
        for (_, stop), is_first in zip(spans, seconds_passed, strict=True):
            smaa.add_confidence(is_first)
            if progress and known is None:
                progress(n + stop, total)

    mean, sd, quantiles = stats.summary()
    return UncertaintySummary(
        n_samples=n,
        availability=stats.count / n,
        score_mean=mean,
        score_sd=sd,
        score_quantiles=quantiles,
        smaa=smaa.result(),
        histogram=stats.histogram,
    )
