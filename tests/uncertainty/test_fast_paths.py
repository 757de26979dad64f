"""The Monte Carlo fast paths give the bits of the plain arithmetic they replace (issue 21).

- the in-place, bit-masked triangular inverse CDF against :func:`_triangular` (``np.where``);
- drawing a range into buffers against :func:`draw_range` (per-block arrays, concatenated);
- tallies made per chunk and merged against the accumulators fed directly;
- the confidence factors of exact weights, tallied in the first pass, against the second pass;
- every method's scores under a stack of weight vectors against each vector alone, which is
  what lets the confidence pass score one distinct vector instead of one per candidate.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import decision
import decision.uncertainty.montecarlo as montecarlo
import decision.uncertainty.sampling as sampling
from decision.core.compile import compile_scenario
from decision.core.methods import METHODS
from decision.core.methods import score as score_method
from decision.load.loading import load_scenario
from decision.specs import MethodChoice
from decision.specs.scenario import WeightUncertaintySpec
from decision.uncertainty.montecarlo import _ScoreStats, monte_carlo, score_tally
from decision.uncertainty.sampling import (
    BLOCK,
    JudgementSampler,
    _triangular,
    block_drawer,
    block_filler,
    draw_range,
    draw_range_into,
    weight_model,
)
from decision.uncertainty.smaa import SmaaAccumulator, tally
from tests.conftest import ROOT

SAMPLED = ROOT / "scenarios" / "western-tilt.yaml"


def _model_and_inputs(samples: int, method: str | None = None):  # type: ignore[no-untyped-def]
    scenario, model = load_scenario(SAMPLED)
    compiled = decision.compile_model(model)
    choice = MethodChoice(name=method) if method else None
    return compiled, compile_scenario(compiled, scenario, samples=samples, seed=5, method=choice)


def _reference_judgements(
    value: np.ndarray, low: np.ndarray, high: np.ndarray, u: np.ndarray
) -> np.ndarray:
    return np.where(high > low, _triangular(u, low, value, high), value)


@settings(max_examples=40, deadline=None)
@given(
    shape=st.sampled_from([(3,), (7, 6), (2, 3, 4), (1,)]),
    n=st.integers(0, 700),
    slab=st.sampled_from([1, 5, 64, 1 << 14]),
    seed=st.integers(0, 2**32 - 1),
)
def test_triangular_sampler_gives_the_bits_of_the_inverse_cdf(
    shape: tuple[int, ...], n: int, slab: int, seed: int
) -> None:
    base = np.random.default_rng(seed)
    value = base.uniform(-1, 1, shape)
    low = value - base.uniform(0, 1, shape) * base.integers(0, 2, shape)  # some zero widths
    high = value + base.uniform(0, 1, shape) * base.integers(0, 2, shape)
    low.flat[0] = value.flat[0]  # a mode at the low end
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sampling, "TRIANGULAR_SLAB_VALUES", slab)
        sampler = JudgementSampler(value, low, high)
    out = np.full((n, *shape), np.nan)
    drawn_rng, reference_rng = np.random.default_rng(seed), np.random.default_rng(seed)
    drawn = sampler.draw(drawn_rng, n, out)
    expected = _reference_judgements(value, low, high, reference_rng.random((n, *shape)))
    assert drawn is out
    assert np.array_equal(drawn.view(np.int64), expected.view(np.int64))  # bits, signs of 0
    assert np.array_equal(drawn_rng.random(3), reference_rng.random(3))  # same draws consumed


def test_negative_zero_judgements_of_zero_width_stay_exact() -> None:
    value = np.array([-0.0, 0.5])
    drawn = JudgementSampler(value, value, value).draw(np.random.default_rng(1), 4)
    assert np.array_equal(drawn.view(np.int64), np.tile(value, (4, 1)).view(np.int64))


@pytest.mark.parametrize(
    ("start", "stop"),
    [(0, 2 * BLOCK), (0, BLOCK + 17), (BLOCK - 5, 3 * BLOCK + 2), (100, 200), (7, 7)],
)
def test_drawing_into_buffers_gives_the_draws_of_draw_range(start: int, stop: int) -> None:
    model, inputs = _model_and_inputs(10)
    weights = weight_model(model, inputs)
    expected = draw_range(inputs.seed, start, stop, block_drawer(model, inputs, weights))
    outs = [np.full((stop - start, *a.shape[1:]), np.nan) for a in expected]
    draw_range_into(inputs.seed, start, stop, block_filler(model, inputs, weights), outs)
    for got, want in zip(outs, expected, strict=True):
        assert np.array_equal(got, want)


@settings(max_examples=30, deadline=None)
@given(
    o=st.integers(1, 6),
    n=st.integers(1, 300),
    cuts=st.lists(st.integers(0, 300), max_size=4),
    seed=st.integers(0, 2**32 - 1),
)
def test_chunk_tallies_merge_to_the_direct_accumulation(
    o: int, n: int, cuts: list[int], seed: int
) -> None:
    rng = np.random.default_rng(seed)
    ranks = np.argsort(rng.random((n, o)), axis=1) + 1
    weights = rng.dirichlet(np.ones(3), n)
    scores = rng.uniform(-1, 1, (n, o))
    available = rng.random((n, o)) < 0.7
    direct, merged = SmaaAccumulator(o, 3), SmaaAccumulator(o, 3)
    direct.add(ranks, weights)
    direct_stats, merged_stats = _ScoreStats(o, keep_scores=True), _ScoreStats(o, True)
    direct_stats.add(scores, available)
    bounds = sorted({0, n, *(min(c, n) for c in cuts)})
    for lo, hi in itertools.pairwise(bounds):
        merged.merge(tally(ranks[lo:hi], weights[lo:hi]))
        merged_stats.merge(score_tally(scores[lo:hi], available[lo:hi], keep=True))
    ours, theirs = direct.result(), merged.result()
    for field in dataclasses.fields(ours):
        assert np.array_equal(getattr(ours, field.name), getattr(theirs, field.name)), field.name
    for a, b in zip(direct_stats.summary(), merged_stats.summary(), strict=True):
        assert np.array_equal(a, b)
    assert np.array_equal(direct_stats.histogram, merged_stats.histogram)


@pytest.mark.parametrize("method", ["wsm", "topsis", "vikor", "promethee"])
def test_first_pass_confidence_equals_the_second_pass(
    method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    model, inputs = _model_and_inputs(9_000, method)
    assert montecarlo.confidence_weights(weight_model(model, inputs)) is not None
    fused = monte_carlo(model, inputs, chunk=3000)
    monkeypatch.setattr(montecarlo, "confidence_weights", lambda weights: None)
    two_pass = monte_carlo(model, inputs, chunk=3000)
    assert fused.smaa.confidence_factors is not None
    assert np.array_equal(fused.smaa.confidence_factors, two_pass.smaa.confidence_factors)
    assert fused.smaa.n_confidence_samples == two_pass.smaa.n_confidence_samples == 9_000


@pytest.mark.parametrize("workers", [1, 2])
def test_threads_and_uncertain_weights_change_no_bit(
    workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    model, inputs = _model_and_inputs(6_000)
    inputs = dataclasses.replace(inputs, weight_uncertainty=WeightUncertaintySpec(kind="missing"))
    monkeypatch.setattr(montecarlo, "WORKERS", 1)
    reference = monte_carlo(model, inputs, chunk=BLOCK)
    monkeypatch.setattr(montecarlo, "WORKERS", workers)
    monkeypatch.setattr(montecarlo, "CACHE_BYTES", 0)  # the second pass draws the samples again
    other = monte_carlo(model, inputs, chunk=1000)
    for field in dataclasses.fields(reference.smaa):
        name = field.name
        assert np.array_equal(getattr(reference.smaa, name), getattr(other.smaa, name)), name
    assert np.array_equal(reference.score_quantiles, other.score_quantiles)


@pytest.mark.parametrize("method", sorted(METHODS))
def test_scores_under_stacked_weights_are_each_vector_alone(method: str) -> None:
    rng = np.random.default_rng(11)
    m, o, c = 257, 5, 4
    perf = rng.random((m, o, c))
    available = rng.random((m, o)) < 0.85
    available[:, 0] = True
    central = rng.dirichlet(np.ones(c), 3)
    benefit = np.array([True, False, True, True])
    params = METHODS[method].parse({})
    k = central.shape[0]
    stacked = score_method(
        method,
        np.broadcast_to(perf, (k, m, o, c)),
        np.broadcast_to(central[:, None, :], (k, m, c)),
        benefit,
        np.broadcast_to(available, (k, m, o)),
        params,
    )
    for j in range(k):
        alone = score_method(
            method,
            perf[None],
            np.broadcast_to(central[j][None, None, :], (1, m, c)),
            benefit,
            available[None],
            params,
        )
        assert np.array_equal(stacked[j], alone[0])


def test_performance_of_a_large_batch_is_that_of_small_batches() -> None:
    """Large batches add effects column by column, small ones in a sample-minor layout."""
    from decision.core.engine import _COLUMN_SAMPLES, performance

    model, inputs = _model_and_inputs(10)
    n = 2 * _COLUMN_SAMPLES + 3
    values, judgement, _ = draw_range(
        inputs.seed, 0, n, block_drawer(model, inputs, weight_model(model, inputs))
    )
    values[:5] = model.low + 2 * (model.high - model.low)  # effects past the clip
    whole = performance(model, values, judgement)
    step = _COLUMN_SAMPLES - 1
    parts = [
        performance(model, values[a : a + step], judgement[a : a + step])
        for a in range(0, n, step)
    ]
    assert np.array_equal(whole.view(np.int64), np.concatenate(parts).view(np.int64))
    assert whole.flags.c_contiguous and whole.shape == (n, *model.judgement.shape)
    # the model's own judgements (o, c), broadcast to every sample: C order all the same
    own = performance(model, values)
    assert own.flags.c_contiguous
    pieces = [performance(model, values[a : a + step]) for a in range(0, n, step)]
    assert np.array_equal(own, np.concatenate(pieces))
