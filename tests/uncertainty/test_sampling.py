"""Tests of decision.uncertainty.sampling: distribution laws, weights on the simplex, chunk
reproducibility.

Statistical checks use fixed seeds and bounds derived from the sample size: means within
5 standard errors, and Kolmogorov-Smirnov distances below 1.95 / sqrt(n) (the 0.1% critical
value), so a correct sampler fails with probability ~0.001 per check before fixing the seed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from decision.errors import DecisionError
from decision.specs.scenario import (
    BernoulliSpec,
    ChoiceSpec,
    NormalSpec,
    PertSpec,
    TriangularSpec,
    UniformSpec,
)
from decision.uncertainty.sampling import (
    BLOCK,
    WeightModel,
    block_generator,
    block_generators,
    draw_indicator,
    draw_judgements,
    draw_range,
    draw_weights,
    sample_range,
    truncated_normal,
)

FloatArray = NDArray[np.float64]


def rng(seed: int = 12345) -> np.random.Generator:
    return np.random.default_rng(seed)


def ks_distance(x: FloatArray, cdf: Callable[[FloatArray], FloatArray]) -> float:
    """Kolmogorov-Smirnov distance between the sample ``x`` and the continuous law ``cdf``."""
    xs = np.sort(x)
    f = cdf(xs)
    n = len(xs)
    upper = np.arange(1, n + 1) / n - f
    lower = f - np.arange(0, n) / n
    return float(max(upper.max(), lower.max()))


def ks_bound(n: int) -> float:
    return 1.95 / math.sqrt(n)


def mean_within(x: FloatArray, expected: float, sd: float) -> bool:
    """The sample mean is within 5 standard errors of ``expected``."""
    return abs(float(x.mean()) - expected) <= 5 * sd / math.sqrt(len(x))


_erf = np.vectorize(math.erf, otypes=[np.float64])


def normal_cdf(z: FloatArray) -> FloatArray:
    result: FloatArray = 0.5 * (1.0 + _erf(z / math.sqrt(2.0)))
    return result


# --------------------------------------------------------------------------------------------
# Blocks and chunk reproducibility
# --------------------------------------------------------------------------------------------

WEIGHTS = WeightModel.intervals([0.1, 0.0, 0.2], [0.6, 0.5, 0.7])
VALUE = np.array([[0.5, 0.2], [0.3, 0.9]])


def draw_everything(gen: np.random.Generator, n: int) -> tuple[FloatArray, ...]:
    """A representative block draw: rejection samplers included (their draw counts vary)."""
    a = draw_indicator(NormalSpec(dist="normal", mean=0.2, sd=0.5), 0.0, 1.0, gen, n)
    b = draw_indicator(ChoiceSpec(dist="choice", values=[1, 2, 3]), 0.0, 3.0, gen, n)
    j = draw_judgements(VALUE, VALUE - 0.1, VALUE + 0.1, gen, n)
    w = draw_weights(WEIGHTS, gen, n)
    return a, b, j, w


def draw_in_chunks(seed: int, bounds: list[int]) -> tuple[FloatArray, ...]:
    parts = [draw_range(seed, lo, hi, draw_everything) for lo, hi in itertools.pairwise(bounds)]
    return tuple(np.concatenate(p, axis=0) for p in zip(*parts, strict=True))


def test_chunking_gives_identical_draws() -> None:
    n = 3 * BLOCK + 123
    whole = draw_range(7, 0, n, draw_everything)
    assert [a.shape[0] for a in whole] == [n] * 4
    for size in (1000, BLOCK, BLOCK + 1, 2 * BLOCK, 5000):
        bounds = [*range(0, n, size), n]
        for a, b in zip(whole, draw_in_chunks(7, bounds), strict=True):
            assert np.array_equal(a, b)


@settings(max_examples=25, deadline=None)
@given(cuts=st.lists(st.integers(0, 2 * BLOCK + 50), max_size=6))
def test_any_split_gives_identical_draws(cuts: list[int]) -> None:
    n = 2 * BLOCK + 50
    whole = draw_range(3, 0, n, draw_everything)
    bounds = sorted({0, n, *cuts})
    for a, b in zip(whole, draw_in_chunks(3, bounds), strict=True):
        assert np.array_equal(a, b)


def test_a_later_range_matches_the_whole_run() -> None:
    whole = draw_range(11, 0, 3 * BLOCK, draw_everything)
    part = draw_range(11, BLOCK + 17, 2 * BLOCK + 5, draw_everything)
    for a, b in zip(whole, part, strict=True):
        assert np.array_equal(a[BLOCK + 17:2 * BLOCK + 5], b)


def test_block_generators_are_the_spawned_streams() -> None:
    gens = block_generators(5, 2, 3)
    for b, gen in zip(range(2, 5), gens, strict=True):
        expected = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(5, spawn_key=(b,)))
        ).random(4)
        assert np.array_equal(gen.random(4), expected)
    assert not np.array_equal(block_generator(5, 0).random(4), block_generator(5, 1).random(4))
    with pytest.raises(DecisionError):
        block_generator(-1, 0)


@given(start=st.integers(0, 5 * BLOCK), length=st.integers(0, 5 * BLOCK))
def test_sample_range_covers_the_range_once(start: int, length: int) -> None:
    parts = sample_range(start, start + length)
    covered = [b * BLOCK + k for b, s in parts for k in range(s.start, s.stop)]
    assert covered == list(range(start, start + length))
    assert all(0 <= s.start < s.stop <= BLOCK for _, s in parts)


def test_empty_range() -> None:
    assert sample_range(10, 10) == []
    assert [a.shape[0] for a in draw_range(1, 10, 10, draw_everything)] == [0, 0, 0, 0]


# --------------------------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------------------------

N = 20_000


@pytest.mark.parametrize("value", [0.25, 3, True, False])
def test_exact_settings_are_constant(value: float | bool) -> None:
    x = draw_indicator(value, 0.0, 5.0, rng(), 10)
    assert x.dtype == np.float64
    assert np.all(x == float(value))


@pytest.mark.parametrize(
    "spec",
    [
        UniformSpec(dist="uniform", low=0.4, high=0.4),
        TriangularSpec(dist="triangular", low=0.4, mode=0.4, high=0.4),
        PertSpec(dist="pert", low=0.4, mode=0.4, high=0.4),
    ],
)
def test_zero_width_distributions_are_constant(spec: UniformSpec) -> None:
    assert np.all(draw_indicator(spec, 0.0, 1.0, rng(), 50) == 0.4)


def test_normal_on_a_zero_width_range_is_constant() -> None:
    x = draw_indicator(NormalSpec(dist="normal", mean=0.0, sd=1.0), 2.0, 2.0, rng(), 5)
    assert np.all(x == 2.0)


def test_uniform_law() -> None:
    x = draw_indicator(UniformSpec(dist="uniform", low=-1.0, high=3.0), 0, 1, rng(), N)
    assert x.shape == (N,)
    assert ks_distance(x, lambda t: (t + 1.0) / 4.0) < ks_bound(N)


@pytest.mark.parametrize(("low", "mode", "high"), [(0.0, 0.3, 1.0), (2.0, 2.0, 5.0), (0, 1, 1)])
def test_triangular_law(low: float, mode: float, high: float) -> None:
    spec = TriangularSpec(dist="triangular", low=low, mode=mode, high=high)
    x = draw_indicator(spec, 0, 1, rng(), N)

    def cdf(t: FloatArray) -> FloatArray:
        w = high - low
        left = (t - low) ** 2 / (w * (mode - low)) if mode > low else np.zeros_like(t)
        right = 1 - (high - t) ** 2 / (w * (high - mode)) if high > mode else np.ones_like(t)
        out: FloatArray = np.where(t < mode, left, right)
        return out

    assert np.all((x >= low) & (x <= high))
    assert ks_distance(x, cdf) < ks_bound(N)


@pytest.mark.parametrize(("low", "mode", "high", "shape"), [(0, 0.2, 1, 4.0), (10, 40, 50, 2.5)])
def test_pert_moments(low: float, mode: float, high: float, shape: float) -> None:
    spec = PertSpec(dist="pert", low=low, mode=mode, high=high, shape=shape)
    x = draw_indicator(spec, 0, 1, rng(), N)
    w = high - low
    a = 1 + shape * (mode - low) / w
    b = 1 + shape * (high - mode) / w
    mean = low + w * a / (a + b)
    sd = w * math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    assert math.isclose(mean, (low + shape * mode + high) / (shape + 2))
    assert np.all((x >= low) & (x <= high))
    assert mean_within(x, mean, sd)
    # the variance too: the sample variance's standard error is ~ sd**2 * sqrt(2 / n) here
    assert abs(x.var() - sd**2) < 5 * sd**2 * math.sqrt(2.5 / N)


@pytest.mark.parametrize(
    ("mean", "sd", "low", "high"),
    [
        (0.5, 0.2, 0.0, 1.0),  # mostly inside
        (0.0, 1.0, -0.3, 0.4),  # narrow around the mean: uniform proposal
        (0.3, 5.0, 0.0, 1.0),  # nearly flat
        (-5.0, 1.0, 0.0, 1.0),  # far below the range: exponential tail proposal
        (20.0, 1.0, 0.0, 1.0),  # far above: mirrored tail
        (0.0, 1.0, 0.5, 0.6),  # narrow interval in the tail: uniform tail proposal
        (0.0, 1.0, 1.0, 40.0),  # wide one-sided tail
    ],
)
def test_truncated_normal_law(mean: float, sd: float, low: float, high: float) -> None:
    x = truncated_normal(mean, sd, low, high, rng(), N)
    a, b = (low - mean) / sd, (high - mean) / sd
    # the CDF from the upper tail keeps precision when the range is far above the mean
    tail_a, tail_b = normal_cdf(np.array(-a)), normal_cdf(np.array(-b))

    def cdf(t: FloatArray) -> FloatArray:
        out: FloatArray = (tail_a - normal_cdf(-(t - mean) / sd)) / (tail_a - tail_b)
        return out

    assert np.all((x >= low) & (x <= high))
    assert np.count_nonzero((x == low) | (x == high)) == 0  # truncated, never clipped
    if tail_a - tail_b > 1e-12:
        assert ks_distance(x, cdf) < ks_bound(N)


def test_normal_indicator_uses_the_indicator_range() -> None:
    x = draw_indicator(NormalSpec(dist="normal", mean=50, sd=30), 0.0, 100.0, rng(), N)
    assert x.min() >= 0.0 and x.max() <= 100.0
    assert abs(x.mean() - 50.0) < 1.0


def test_truncated_normal_rejects_bad_parameters() -> None:
    with pytest.raises(DecisionError):
        truncated_normal(0.0, 1.0, 2.0, 1.0, rng(), 3)
    with pytest.raises(DecisionError):
        truncated_normal(0.0, 0.0, 0.0, 1.0, rng(), 3)


@pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
def test_bernoulli(p: float) -> None:
    x = draw_indicator(BernoulliSpec(dist="bernoulli", p=p), 0, 1, rng(), N)
    assert set(np.unique(x).tolist()) <= {0.0, 1.0}
    assert mean_within(x, p, math.sqrt(p * (1 - p))) if 0 < p < 1 else np.all(x == p)


def test_choice_frequencies_and_zero_probabilities() -> None:
    spec = ChoiceSpec(dist="choice", values=[1.0, 5.0, 7.0, 9.0], probabilities=[0.2, 0, 0.8, 0])
    x = draw_indicator(spec, 0, 10, rng(), N)
    assert set(np.unique(x).tolist()) == {1.0, 7.0}
    assert mean_within((x == 1.0).astype(float), 0.2, math.sqrt(0.2 * 0.8))


def test_choice_of_booleans_and_default_probabilities() -> None:
    x = draw_indicator(ChoiceSpec(dist="choice", values=[True, False]), 0, 1, rng(), N)
    assert set(np.unique(x).tolist()) == {0.0, 1.0}
    assert mean_within(x, 0.5, 0.5)


# --------------------------------------------------------------------------------------------
# Judgements
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["triangular", "uniform", "pert"])
def test_judgements_stay_in_range_and_zero_width_is_exact(shape: str) -> None:
    value = np.array([[0.5, 0.2, 0.3], [0.7, 0.1, 1.0]])
    low = np.array([[0.3, 0.2, 0.3], [0.6, 0.0, 0.9]])
    high = np.array([[0.9, 0.2, 0.3], [0.8, 0.4, 1.0]])
    x = draw_judgements(value, low, high, rng(), 1000, shape=shape)  # type: ignore[arg-type]
    assert x.shape == (1000, 2, 3)
    assert np.all((x >= low) & (x <= high))
    fixed = high == low
    assert np.all(x[:, fixed] == value[fixed])
    assert np.all(x[:, ~fixed].std(axis=0) > 0)


def test_judgement_means() -> None:
    value, low, high = np.array([0.5, 0.2]), np.array([0.3, 0.0]), np.array([0.9, 0.5])
    n = N
    tri = draw_judgements(value, low, high, rng(), n)
    uni = draw_judgements(value, low, high, rng(), n, shape="uniform")
    pert = draw_judgements(value, low, high, rng(), n, shape="pert")
    for j in range(2):
        lo, mo, hi = low[j], value[j], high[j]
        tri_sd = math.sqrt((lo**2 + mo**2 + hi**2 - lo * mo - lo * hi - mo * hi) / 18)
        assert mean_within(tri[:, j], (lo + mo + hi) / 3, tri_sd)
        assert mean_within(uni[:, j], (lo + hi) / 2, (hi - lo) / math.sqrt(12))
        assert mean_within(pert[:, j], (lo + 4 * mo + hi) / 6, (hi - lo) / 4)


def test_judgement_outside_its_range_is_an_error() -> None:
    with pytest.raises(DecisionError):
        draw_judgements(np.array([0.5]), np.array([0.6]), np.array([0.9]), rng(), 3)
    with pytest.raises(DecisionError):
        draw_judgements(np.array([0.5]), 0.0, 1.0, rng(), 3, shape="normal")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Weights
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("c", [2, 3, 5, 8])
def test_missing_weights_have_beta_marginals(c: int) -> None:
    """Dirichlet(1): every marginal is Beta(1, c - 1), CDF 1 - (1 - x)**(c - 1), mean 1/c."""
    w = draw_weights(WeightModel.missing(c), rng(c), N)
    assert w.shape == (N, c)
    assert np.allclose(w.sum(axis=1), 1.0) and np.all(w >= 0)
    sd = math.sqrt((c - 1) / (c**2 * (c + 1)))
    for j in range(c):
        assert mean_within(w[:, j], 1 / c, sd)
        assert ks_distance(w[:, j], lambda t: 1 - (1 - t) ** (c - 1)) < ks_bound(N)


def test_normalising_independent_uniforms_would_fail_the_marginal_test() -> None:
    """The KS check above has the power to catch the classic biased sampler."""
    c = 3
    u = rng().random((N, c))
    biased = u / u.sum(axis=1, keepdims=True)
    assert ks_distance(biased[:, 0], lambda t: 1 - (1 - t) ** (c - 1)) > ks_bound(N)


def test_exact_weights_are_normalised_and_use_no_randomness() -> None:
    gen = rng()
    before = gen.bit_generator.state
    w = draw_weights(WeightModel.exact_weights([2.0, 1.0, 1.0]), gen, 4)
    assert np.allclose(w, [[0.5, 0.25, 0.25]] * 4)
    assert gen.bit_generator.state == before


def test_ordinal_weights_follow_the_ranking_with_rank_order_centroid_means() -> None:
    """Uniform on the ordinal cone: E[w of rank r] = (1/c) sum_{j >= r} 1/j (ROC weights)."""
    ranking = [2, 0, 3, 1]
    c = len(ranking)
    w = draw_weights(WeightModel.ordinal(ranking), rng(), N)
    ordered = w[:, ranking]
    assert np.all(np.diff(ordered, axis=1) <= 0)
    assert np.allclose(w.sum(axis=1), 1.0)
    for r in range(c):
        roc = sum(1 / j for j in range(r + 1, c + 1)) / c
        assert abs(ordered[:, r].mean() - roc) < 5 * 0.25 / math.sqrt(N)


def test_partial_ordinal_ranking_leaves_other_criteria_free() -> None:
    w = draw_weights(WeightModel.ordinal([1, 0], n_criteria=3), rng(), N)
    assert np.all(w[:, 1] >= w[:, 0])
    # w2 is unconstrained and exchangeable with the ranked pair's mean: E[w2] = 1/3
    assert abs(w[:, 2].mean() - 1 / 3) < 5 * 0.25 / math.sqrt(N)


def test_interval_weights_match_rejection_from_the_simplex() -> None:
    low, high = [0.1, 0.2, 0.0], [0.5, 0.6, 1.0]
    w = draw_weights(WeightModel.intervals(low, high), rng(1), N)
    assert np.all((w >= np.array(low) - 1e-12) & (w <= np.array(high) + 1e-12))
    assert np.allclose(w.sum(axis=1), 1.0)
    brute = draw_weights(WeightModel.missing(3), rng(2), 10 * N)
    brute = brute[np.all((brute >= low) & (brute <= high), axis=1)]
    for j in range(3):
        tolerance = 5 * math.sqrt(w[:, j].var() / N + brute[:, j].var() / len(brute))
        assert abs(w[:, j].mean() - brute[:, j].mean()) < tolerance
        assert abs(np.median(w[:, j]) - np.median(brute[:, j])) < 2 * tolerance


def test_interval_weights_with_a_fixed_weight() -> None:
    w = draw_weights(WeightModel.intervals([0.3, 0.0, 0.0], [0.3, 1.0, 1.0]), rng(), 1000)
    assert np.all(w[:, 0] == 0.3)
    assert np.allclose(w.sum(axis=1), 1.0)


def test_interval_weights_pinned_to_one_point() -> None:
    w = draw_weights(WeightModel.intervals([0.2, 0.8], [0.5, 0.8]), rng(), 5)
    assert np.allclose(w, [[0.2, 0.8]] * 5)


@pytest.mark.parametrize(
    ("low", "high"), [([0.6, 0.5], [1.0, 1.0]), ([0.0, 0.0], [0.4, 0.5]), ([0.5], [0.4])]
)
def test_infeasible_intervals_are_errors(low: list[float], high: list[float]) -> None:
    with pytest.raises(DecisionError):
        WeightModel.intervals(low, high)


def test_hopeless_intervals_are_errors() -> None:
    model = WeightModel.intervals([0.0] * 20, [0.0501] * 20)
    with pytest.raises(DecisionError, match="too few"):
        draw_weights(model, rng(), BLOCK)


def test_bad_weight_models_are_errors() -> None:
    with pytest.raises(DecisionError):
        WeightModel.ordinal([0, 0, 1])
    with pytest.raises(DecisionError):
        WeightModel.ordinal([0, 3], n_criteria=3)
    with pytest.raises(DecisionError):
        WeightModel.exact_weights([0.0, 0.0])
    with pytest.raises(DecisionError):
        WeightModel.missing(0)


@st.composite
def weight_models(draw: st.DrawFn) -> WeightModel:
    c = draw(st.integers(1, 6))
    kind = draw(st.sampled_from(["exact", "intervals", "ordinal", "missing"]))
    if kind == "exact":
        return WeightModel.exact_weights(draw(st.lists(st.floats(0.1, 10), min_size=c, max_size=c)))
    if kind == "ordinal":
        return WeightModel.ordinal(draw(st.permutations(list(range(c)))))
    if kind == "missing":
        return WeightModel.missing(c)
    centre = draw_weights(WeightModel.missing(c), rng(draw(st.integers(0, 1000))), 1)[0]
    spread = draw(st.floats(0.05, 0.5))
    return WeightModel.intervals(np.maximum(centre - spread, 0), np.minimum(centre + spread, 1))


@settings(max_examples=60, deadline=None)
@given(model=weight_models(), seed=st.integers(0, 2**32))
def test_drawn_weights_are_normalised_and_respect_the_model(model: WeightModel, seed: int) -> None:
    w = draw_weights(model, rng(seed), 200)
    assert w.shape == (200, model.n_criteria)
    assert np.all(w >= 0) and np.allclose(w.sum(axis=1), 1.0)
    if model.kind == "intervals":
        assert np.all(w >= np.array(model.low) - 1e-12)
        assert np.all(w <= np.array(model.high) + 1e-12)
    if model.kind == "ordinal":
        assert np.all(np.diff(w[:, list(model.ranking)], axis=1) <= 0)


@pytest.mark.parametrize("shape", ["triangular", "uniform", "pert"])
@pytest.mark.parametrize("slice_values", [1, 7, 2100 * 3 + 5, 1 << 40])
def test_judgements_drawn_in_slices_are_the_same_draws(
    shape: str, slice_values: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slicing the rows (to bound memory for many options) changes no draw, nor the
    generator's state after them."""
    import decision.uncertainty.sampling as sampling

    base = np.random.default_rng(1)
    value = base.uniform(0.2, 0.8, (30, 7))
    low = value - base.uniform(0, 0.2, value.shape)
    high = value + base.uniform(0, 0.2, value.shape)
    low[0, 0] = high[0, 0] = value[0, 0]
    whole_rng = np.random.default_rng(5)
    whole = draw_judgements(value, low, high, whole_rng, 300, shape)  # type: ignore[arg-type]
    monkeypatch.setattr(sampling, "JUDGEMENT_SLICE_VALUES", slice_values)
    sliced_rng = np.random.default_rng(5)
    sliced = draw_judgements(value, low, high, sliced_rng, 300, shape)  # type: ignore[arg-type]
    assert np.array_equal(whole, sliced)
    assert np.array_equal(whole_rng.random(4), sliced_rng.random(4))


def test_every_distribution_owns_its_behaviour() -> None:
    """A distribution is a spec class (centre, support, kind, describe) and one draw function
    keyed by its ``dist``: nothing else needs to know it."""
    import typing

    from decision.specs.scenario import DistributionSpec
    from decision.uncertainty.sampling import DRAWS, draw_indicator

    examples = {
        "uniform": {"low": 0.2, "high": 0.6},
        "triangular": {"low": 0.2, "mode": 0.3, "high": 0.6},
        "pert": {"low": 0.2, "mode": 0.3, "high": 0.6},
        "normal": {"mean": 0.4, "sd": 0.1},
        "bernoulli": {"p": 0.3},
        "choice": {"values": [0.2, 0.5]},
        "experts": {"experts": [{"by": "A", "low": 0.2, "mode": 0.3, "high": 0.4},
                                {"by": "B", "low": 0.3, "mode": 0.5, "high": 0.6}]},
    }
    members = typing.get_args(typing.get_args(DistributionSpec)[0])
    dists = {typing.get_args(m.model_fields["dist"].annotation)[0]: m for m in members}
    assert set(dists) == set(DRAWS) == set(examples)
    for name, member in dists.items():
        setting = member.model_validate({"dist": name, **examples[name]})
        assert setting.describe() and setting.kind in ("boolean", "numeric")
        for _, value in setting.support():
            assert 0.0 <= value <= 1.0
        draws = draw_indicator(setting, 0.0, 1.0, np.random.default_rng(1), 500)
        assert draws.shape == (500,) and np.all((draws >= 0) & (draws <= 1))
        assert min(draws) <= setting.centre <= max(draws) or name == "bernoulli"
