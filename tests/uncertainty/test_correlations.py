"""Correlated indicators (a scenario's ``correlations``): the Gaussian copula keeps each
marginal, gives the declared rank correlation, draws the same values whatever the chunks, and
leaves scenarios without correlations drawing exactly as before; impossible sets are refused.

Statistical checks use fixed seeds: rank correlations within 0.02 of the declared ones at
n = 20,000 (their standard error is below 0.006), Kolmogorov-Smirnov distances below
1.95 / sqrt(n) (the 0.1% critical value), means within 5 standard errors.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy import stats

import decision
from decision.core.compile import CompiledModel, ScenarioInputs, compile_scenario
from decision.errors import DecisionError
from decision.load.loading import load_scenario
from decision.specs.resolved import Scenario
from decision.specs.scenario import (
    BernoulliSpec,
    ChoiceSpec,
    NormalSpec,
    PertSpec,
    TriangularSpec,
    UniformSpec,
    copula_factor,
    correlation_matrix,
    gaussian_correlation,
    impossible_correlations,
)
from decision.uncertainty.sampling import (
    BLOCK,
    block_drawer,
    block_generator,
    draw_indicator,
    draw_range,
    indicator_quantile,
    weight_model,
)

FloatArray = NDArray[np.float64]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
N = 20_000

#: The mini model's indicators: access in [0, 1], rank in [1, 100], released (boolean).
SETTINGS = """\
indicators:
  access: {dist: pert, low: 0.1, mode: 0.3, high: 0.9}
  rank: {dist: normal, mean: 40, sd: 30}
  released: {dist: bernoulli, p: 0.3}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(f"id: {name}\ntitle: {name}\n{text}")
    return path


def _compiled(path: Path) -> tuple[CompiledModel, ScenarioInputs, Scenario]:
    scenario, model = load_scenario(path)
    compiled = decision.compile_model(model)
    return compiled, compile_scenario(compiled, scenario), scenario


def _values(compiled: CompiledModel, inputs: ScenarioInputs, start: int, stop: int) -> FloatArray:
    draw = block_drawer(compiled, inputs, weight_model(compiled, inputs))
    return draw_range(inputs.seed, start, stop, draw)[0]


def _ks(x: FloatArray, cdf: FloatArray) -> float:
    return float(stats.kstest(x, cdf).statistic)


@pytest.fixture
def correlated(mini: Path) -> Path:
    return _write(
        mini,
        "corr",
        "model: model.yaml\nseed: 11\n" + SETTINGS + "correlations:\n"
        "  - {between: [access, rank], rank: 0.6}\n"
        "  - {between: [released, rank], rank: -0.4}\n",
    )


def test_rank_correlation_is_the_declared_one(correlated: Path) -> None:
    compiled, inputs, _ = _compiled(correlated)
    at = compiled.index("indicators")
    access, rank, released = at["access"], at["rank"], at["released"]
    assert access < rank < released
    assert inputs.correlations == ((access, rank, 0.6), (rank, released, -0.4))
    x = _values(compiled, inputs, 0, N)
    assert abs(stats.spearmanr(x[:, access], x[:, rank]).statistic - 0.6) < 0.02
    # the bernoulli's ties weaken the drawn values' rank correlation, but not its sign
    assert stats.spearmanr(x[:, released], x[:, rank]).statistic < -0.2


def test_marginals_are_unchanged(correlated: Path) -> None:
    compiled, inputs, _ = _compiled(correlated)
    at = compiled.index("indicators")
    x = _values(compiled, inputs, 0, N)
    bound = 1.95 / math.sqrt(N)
    pert = stats.beta(1 + 4 * 0.2 / 0.8, 1 + 4 * 0.6 / 0.8, loc=0.1, scale=0.8)
    assert _ks(x[:, at["access"]], pert.cdf) < bound
    a, b = (1 - 40) / 30, (100 - 40) / 30
    assert _ks(x[:, at["rank"]], stats.truncnorm(a, b, loc=40, scale=30).cdf) < bound
    assert abs(x[:, at["released"]].mean() - 0.3) < 5 * math.sqrt(0.21 / N)
    assert set(np.unique(x[:, at["released"]])) == {0.0, 1.0}


def test_draws_do_not_depend_on_chunks(correlated: Path) -> None:
    compiled, inputs, _ = _compiled(correlated)
    whole = _values(compiled, inputs, 0, 2 * BLOCK + 100)
    bounds = [0, 7, BLOCK - 1, BLOCK + 5, 2 * BLOCK + 100]
    parts = [_values(compiled, inputs, a, b) for a, b in itertools.pairwise(bounds)]
    np.testing.assert_array_equal(whole, np.concatenate(parts))


def test_without_correlations_the_draws_are_the_old_ones(mini: Path) -> None:
    """No correlations: each uncertain indicator in position order from the block's generator,
    exactly as before correlations existed; a child's rank 0 removes its parent's pair."""
    plain = _write(mini, "plain", "model: model.yaml\nseed: 5\n" + SETTINGS)
    compiled, inputs, _ = _compiled(plain)
    assert inputs.correlations == ()
    expected = np.tile(inputs.values, (BLOCK, 1))
    rng = block_generator(5, 0)
    for k in sorted(inputs.settings):
        low, high = float(compiled.low[k]), float(compiled.high[k])
        expected[:, k] = draw_indicator(inputs.settings[k], low, high, rng, BLOCK)
    np.testing.assert_array_equal(_values(compiled, inputs, 0, BLOCK), expected)
    _write(mini, "parent", "model: model.yaml\nseed: 5\n" + SETTINGS
           + "correlations:\n  - {between: [access, rank], rank: 0.5}\n")
    child = _write(mini, "child", "extends: parent\ncorrelations:\n"
                   "  - {between: [rank, access], rank: 0}\n")
    compiled, removed, scenario = _compiled(child)
    assert scenario.correlations == {} and removed.correlations == ()
    np.testing.assert_array_equal(_values(compiled, removed, 0, BLOCK), expected)


def test_the_copula_draws_after_the_other_indicators(mini: Path) -> None:
    """An uncorrelated indicator drawn before the correlated ones keeps its draws."""
    plain = _write(mini, "plain", "model: model.yaml\n" + SETTINGS)
    paired = _write(mini, "paired", "extends: plain\ncorrelations:\n"
                    "  - {between: [released, rank], rank: -0.7}\n")
    compiled, before, _ = _compiled(plain)
    _, after, _ = _compiled(paired)
    at = compiled.index("indicators")
    assert at["access"] < min(at["rank"], at["released"])
    x, y = _values(compiled, before, 0, 5000), _values(compiled, after, 0, 5000)
    np.testing.assert_array_equal(x[:, at["access"]], y[:, at["access"]])
    assert not np.array_equal(x[:, at["rank"]], y[:, at["rank"]])


def test_a_period_that_fixes_an_indicator_drops_its_pairs(correlated: Path) -> None:
    scenario, model = load_scenario(correlated)
    compiled = decision.compile_model(model)
    fixed = dataclasses.replace(scenario, indicators={**scenario.indicators, "rank": 50.0})
    assert compile_scenario(compiled, fixed).correlations == ()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("  - {between: [access, rank], rank: 0.9}\n  - {between: [rank, released], rank: 0.9}\n"
         "  - {between: [access, released], rank: -0.9}\n",
         "access~rank 0.9, access~released -0.9, rank~released 0.9 cannot hold together"),
        ("  - {between: [access, rank], rank: 0.5}\n  - {between: [rank, access], rank: 0.2}\n",
         "'access' and 'rank' are also correlated by correlation 1"),
        ("  - {between: [access, access], rank: 0.5}\n", "correlated with itself"),
        ("  - {between: [access, rank], rank: 1}\n", "correlations[0].rank"),
        ("  - {between: [access, ranks], rank: 0.5}\n", "unknown indicator 'ranks'"),
    ],
)
def test_impossible_correlations_are_refused(mini: Path, text: str, says: str) -> None:
    path = _write(mini, "bad", "model: model.yaml\n" + SETTINGS + "correlations:\n" + text)
    with pytest.raises(DecisionError) as caught:
        load_scenario(path)
    assert says in str(caught.value)


def test_only_uncertain_indicators_are_correlated(mini: Path) -> None:
    exact = _write(mini, "exact", "model: model.yaml\nindicators:\n  access: 0.5\n"
                   "  rank: {dist: uniform, low: 1, high: 9}\n"
                   "correlations:\n  - {between: [rank, access], rank: 0.5}\n")
    with pytest.raises(DecisionError, match=r"indicator 'access' is set to 0\.5"):
        load_scenario(exact)
    _write(mini, "parent", "model: model.yaml\n" + SETTINGS
           + "correlations:\n  - {between: [access, rank], rank: 0.5}\n")
    child = _write(mini, "child", "extends: parent\nindicators:\n  rank: 20\n")
    with pytest.raises(DecisionError, match="correlates it with 'access'"):
        load_scenario(child)


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

_bounds = st.tuples(
    st.floats(-50, 50, allow_nan=False), st.floats(0, 40, allow_nan=False),
    st.floats(0, 1, allow_nan=False),
).map(lambda t: (t[0], t[0] + t[1], t[0] + t[1] * t[2]))  # low, high, a point between


@st.composite
def _settings(draw: st.DrawFn) -> tuple[object, float, float]:
    low, high, mid = draw(_bounds)
    kind = draw(st.sampled_from(["uniform", "triangular", "pert", "normal", "bernoulli",
                                 "choice"]))
    if kind == "uniform":
        return UniformSpec(dist="uniform", low=low, high=high), low, high
    if kind == "triangular":
        return TriangularSpec(dist="triangular", low=low, mode=mid, high=high), low, high
    if kind == "pert":
        shape = draw(st.floats(0.5, 10))
        return PertSpec(dist="pert", low=low, mode=mid, high=high, shape=shape), low, high
    if kind == "normal":
        sd = draw(st.floats(0.1, 30))
        return NormalSpec(dist="normal", mean=mid, sd=sd), low, high
    if kind == "bernoulli":
        return BernoulliSpec(dist="bernoulli", p=draw(st.floats(0, 1))), 0.0, 1.0
    values = draw(st.lists(st.floats(low, high, allow_nan=False), min_size=1, max_size=5))
    return ChoiceSpec(dist="choice", values=values), low, high


@settings(max_examples=EXAMPLES, deadline=None)
@given(_settings())
def test_quantiles_are_monotone_and_in_range(case: tuple[object, float, float]) -> None:
    setting, low, high = case
    u = np.concatenate([[0.0, 1e-300, 1e-12], np.linspace(0, 1, 201), [1 - 1e-12, 1.0]])
    u.sort()
    x = indicator_quantile(setting, low, high, u)  # type: ignore[arg-type]
    assert x.shape == u.shape
    assert np.all(np.isfinite(x))
    assert np.all(np.diff(x) >= 0)
    assert np.all((x >= low) & (x <= high))


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.floats(-0.99, 0.99, allow_nan=False), min_size=3, max_size=3))
def test_factor_exists_exactly_for_semidefinite_matrices(ranks: list[float]) -> None:
    pairs = {("a", "b"): ranks[0], ("a", "c"): ranks[1], ("b", "c"): ranks[2]}
    matrix = np.array(correlation_matrix(["a", "b", "c"], pairs))
    factor = copula_factor(matrix.tolist())
    smallest = float(np.linalg.eigvalsh(matrix).min())
    if abs(smallest) < 1e-8:
        return  # at the boundary either answer is right within the tolerance
    assert (factor is not None) == (smallest > 0)
    if factor is not None:
        lower = np.array(factor)
        np.testing.assert_allclose(lower @ lower.T, matrix, atol=1e-9)
        assert impossible_correlations(pairs) is None
    else:
        assert impossible_correlations(pairs) == ["a", "b", "c"]


def test_semidefinite_singular_matrix_has_a_factor() -> None:
    """Ranks whose copula correlations are 0.5, 0.5, -0.5 give a singular matrix."""
    rank = 6 / math.pi * math.asin(0.25)
    assert gaussian_correlation(rank) == pytest.approx(0.5)
    pairs = {("a", "b"): rank, ("a", "c"): rank, ("b", "c"): -rank}
    matrix = np.array(correlation_matrix(["a", "b", "c"], pairs))
    assert abs(np.linalg.det(matrix)) < 1e-12
    factor = copula_factor(matrix.tolist())
    assert factor is not None
    np.testing.assert_allclose(np.array(factor) @ np.array(factor).T, matrix, atol=1e-9)


def test_the_smallest_contradiction_is_named() -> None:
    """A fourth, unrelated indicator is not among those named."""
    pairs = {("a", "b"): 0.9, ("b", "c"): 0.9, ("a", "c"): -0.9, ("c", "d"): 0.3}
    assert impossible_correlations(pairs) == ["a", "b", "c"]
