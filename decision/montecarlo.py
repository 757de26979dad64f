"""Monte Carlo evaluation of a scenario: sample, score in chunks, summarise exactly.

Samples are drawn in fixed RNG blocks (:mod:`decision.sampling`), so sample ``k`` is the same
whatever the chunk size; every statistic is accumulated as integers (counts, quantised sums,
histogram bins), so results are bit-identical whatever the chunk size. Memory is bounded by
the chunk size, not by the number of samples.

Score statistics of an option are conditional on its being available; its availability
probability is reported beside them. Quantiles come from a fixed histogram of
``HISTOGRAM_BINS`` bins over ``SCORE_RANGE`` (resolution 1e-4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from decision.analysis.smaa import SmaaAccumulator, SmaaResult
from decision.compile import BoolArray, CompiledModel, FloatArray, ScenarioInputs
from decision.engine import availability, performance, precondition_results, rank
from decision.methods import score as score_method
from decision.sampling import (
    BLOCK,
    WeightModel,
    draw_indicator,
    draw_judgements,
    draw_range,
    draw_weights,
)
from decision.weights import normalise_weights

SCORE_RANGE = (-1.0, 1.0)
HISTOGRAM_BINS = 20_000
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
DEFAULT_CHUNK = 4 * BLOCK
_SUM_BITS = 32  # scores are summed as integer multiples of 2**-32

Progress = Callable[[int, int], None]


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


class _ScoreStats:
    """Exact, chunk-invariant sums of scores, squared scores and a histogram per option."""

    def __init__(self, n_options: int) -> None:
        self.count = np.zeros(n_options, dtype=np.int64)
        self.sums = [0] * n_options
        self.squares = [0] * n_options
        self.histogram = np.zeros((n_options, HISTOGRAM_BINS), dtype=np.int64)

    def add(self, scores: FloatArray, available: BoolArray) -> None:
        o = scores.shape[1]
        scale = float(1 << _SUM_BITS)
        q = np.where(available, np.rint(scores * scale), 0).astype(np.int64)
        q2 = np.where(available, np.rint(scores * scores * scale), 0).astype(np.int64)
        for k, (s, s2) in enumerate(
            zip(q.sum(axis=0).tolist(), q2.sum(axis=0).tolist(), strict=True)
        ):
            self.sums[k] += s
            self.squares[k] += s2
        self.count += available.sum(axis=0)
        low, high = SCORE_RANGE
        bins = np.clip(
            ((scores - low) / (high - low) * HISTOGRAM_BINS).astype(np.int64), 0, HISTOGRAM_BINS - 1
        )
        cells = (np.arange(o) * HISTOGRAM_BINS + bins)[available]
        self.histogram += np.bincount(cells, minlength=o * HISTOGRAM_BINS).reshape(o, -1)

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
        return mean, sd, quantiles


def weight_model(model: CompiledModel, inputs: ScenarioInputs) -> WeightModel:
    """The scenario's knowledge about weights, as a sampler's weight model."""
    spec = inputs.weight_uncertainty
    c = len(model.criteria)
    if spec is None or spec.kind == "exact":
        return WeightModel.exact_weights(list(normalise_weights(inputs.weights)))
    if spec.kind == "missing":
        return WeightModel.missing(c)
    index = model.index("criteria")
    if spec.kind == "ordinal":
        return WeightModel.ordinal([index[name] for name in spec.ranking], c)
    low = [0.0] * c
    high = [1.0] * c
    for name, (lo, hi) in spec.intervals.items():
        low[index[name]], high[index[name]] = lo, hi
    return WeightModel.intervals(low, high)


def _drawer(
    model: CompiledModel, inputs: ScenarioInputs, weights: WeightModel
) -> Callable[[np.random.Generator, int], tuple[NDArray[np.float64], ...]]:
    """Draw one block: indicators, then judgements, then weights (a fixed order)."""
    uncertain = sorted(inputs.settings.items())
    shape = model.spec.judgement_distribution

    def draw(rng: np.random.Generator, n: int) -> tuple[NDArray[np.float64], ...]:
        values = np.tile(inputs.values, (n, 1))
        for k, setting in uncertain:
            values[:, k] = draw_indicator(
                setting, float(model.low[k]), float(model.high[k]), rng, n
            )
        judgement = draw_judgements(
            model.judgement, model.judgement_low, model.judgement_high, rng, n, shape
        )
        return values, judgement, draw_weights(weights, rng, n)

    return draw


def monte_carlo(
    model: CompiledModel,
    inputs: ScenarioInputs,
    *,
    chunk: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
) -> UncertaintySummary:
    """Sample the scenario ``inputs.samples`` times; SMAA-2 and score statistics per option."""
    n = inputs.samples
    o, c = len(model.options), len(model.criteria)
    draw = _drawer(model, inputs, weight_model(model, inputs))
    method, params = inputs.method.name, inputs.method.params()
    chunk = max(1, chunk)
    smaa = SmaaAccumulator(o, c)
    stats = _ScoreStats(o)
    total = 2 * n

    def evaluate_chunk(start: int, stop: int) -> tuple[FloatArray, BoolArray, FloatArray]:
        values, judgement, weights = draw_range(inputs.seed, start, stop, draw)
        perf = performance(model, values, judgement)
        available = availability(model, precondition_results(model, values))
        return perf, available, weights

    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        perf, available, weights = evaluate_chunk(start, stop)
        scores = np.where(
            available, score_method(method, perf, weights, model.benefit, available, params), 0.0
        )
        smaa.add(rank(scores, available), weights)
        stats.add(scores, available)
        if progress:
            progress(stop, total)

    central, ever_first = smaa.central_weights()
    candidates = np.flatnonzero(ever_first)
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        perf, available, _ = evaluate_chunk(start, stop)
        is_first = np.zeros((stop - start, o), dtype=bool)
        if candidates.size:
            k = candidates.size
            stacked = np.broadcast_to(perf, (k, *perf.shape))
            mask = np.broadcast_to(available, (k, *available.shape))
            w = np.broadcast_to(central[candidates][:, None, :], (k, stop - start, c))
            scores = np.where(
                mask, score_method(method, stacked, w, model.benefit, mask, params), 0.0
            )
            ranks = rank(scores, mask)  # (k, m, o)
            is_first[:, candidates] = (ranks[np.arange(k), :, candidates] == 1).T
        smaa.add_confidence(is_first)
        if progress:
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
