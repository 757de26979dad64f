"""Experts' judgements of an indicator, pooled (``{dist: experts, ...}`` in a scenario).

A pool of one expert is that expert's plain setting (the same draws); a pool of several is
a mixture whose draws follow its CDF, whose weights are respected, and whose inverse CDF is
monotone and inverts the CDF; its point value is the weighted mean of the modes; the pooled
setting works with correlations; and experts whose ranges do not overlap are flagged in the
report's data, naming the scenario and indicator.
"""

from __future__ import annotations

import contextlib
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy import stats

import decision
from decision.core.compile import compile_scenario
from decision.load.loading import load_scenario
from decision.specs.scenario import ExpertsSpec, PertSpec, TriangularSpec, UniformSpec
from decision.uncertainty.sampling import (
    block_drawer,
    draw_indicator,
    draw_range,
    experts_cdf,
    indicator_quantile,
    weight_model,
)

FloatArray = NDArray[np.float64]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
N = 20_000
#: Two-sided 5% critical value of the one-sample KS statistic at N (asymptotic).
KS_BOUND = 1.36 / math.sqrt(N)
SHAPES = ("triangular", "pert", "uniform")

#: Two experts who agree in part and one who stands apart, weights 2 : 1 : 1.
POOL = [
    {"by": "Ana", "low": 10.0, "mode": 20.0, "high": 40.0, "weight": 2},
    {"by": "Ben", "low": 30.0, "mode": 35.0, "high": 50.0},
    {"by": "Cy", "low": 70.0, "mode": 80.0, "high": 95.0},
]


def _pool(shape: str, experts: list[dict[str, Any]] = POOL) -> ExpertsSpec:
    return ExpertsSpec.model_validate({"dist": "experts", "shape": shape, "experts": experts})


@st.composite
def _expert(draw: st.DrawFn) -> dict[str, Any]:
    low, mode, high = sorted(draw(st.floats(-1e3, 1e3)) for _ in range(3))
    return {"by": "X", "low": low, "mode": mode, "high": high}


@settings(max_examples=EXAMPLES, deadline=None)
@given(expert=_expert(), shape=st.sampled_from(SHAPES), seed=st.integers(0, 2**32 - 1))
def test_one_expert_draws_as_its_plain_setting(
    expert: dict[str, Any], shape: str, seed: int
) -> None:
    plain: UniformSpec | TriangularSpec | PertSpec
    if shape == "uniform":
        plain = UniformSpec(dist="uniform", low=expert["low"], high=expert["high"])
    elif shape == "pert":
        plain = PertSpec(dist="pert", low=expert["low"], mode=expert["mode"], high=expert["high"])
    else:
        plain = TriangularSpec(
            dist="triangular", low=expert["low"], mode=expert["mode"], high=expert["high"]
        )
    pooled = _pool(shape, [expert])
    a = draw_indicator(pooled, -1e3, 1e3, np.random.default_rng(seed), 64)
    b = draw_indicator(plain, -1e3, 1e3, np.random.default_rng(seed), 64)
    np.testing.assert_array_equal(a, b)
    u = np.linspace(0.0, 1.0, 33)
    np.testing.assert_array_equal(
        indicator_quantile(pooled, -1e3, 1e3, u), indicator_quantile(plain, -1e3, 1e3, u)
    )
    assert pooled.centre == expert["mode"]


@pytest.mark.parametrize("shape", SHAPES)
def test_mixture_draws_follow_its_cdf(shape: str) -> None:
    pool = _pool(shape)
    x = draw_indicator(pool, 0.0, 100.0, np.random.default_rng(7), N)
    assert x.min() >= 10.0 and x.max() <= 95.0
    statistic = stats.kstest(x, lambda v: experts_cdf(pool, np.asarray(v))).statistic
    assert statistic < KS_BOUND


def _scipy_law(shape: str, e: dict[str, Any]) -> Any:
    low, mode, high = e["low"], e["mode"], e["high"]
    width = high - low
    if shape == "uniform":
        return stats.uniform(loc=low, scale=width)
    if shape == "pert":
        return stats.beta(1 + 4 * (mode - low) / width, 1 + 4 * (high - mode) / width,
                          loc=low, scale=width)
    return stats.triang((mode - low) / width, loc=low, scale=width)


@pytest.mark.parametrize("shape", SHAPES)
def test_mixture_cdf_is_the_weighted_sum_of_the_experts(shape: str) -> None:
    # cross-check with scipy's laws, weighted 2 : 1 : 1
    x = np.linspace(0.0, 100.0, 401)
    laws = [_scipy_law(shape, e) for e in POOL]
    expected = (2 * laws[0].cdf(x) + laws[1].cdf(x) + laws[2].cdf(x)) / 4
    np.testing.assert_allclose(experts_cdf(_pool(shape), x), expected, atol=1e-12)


@pytest.mark.parametrize("shape", SHAPES)
def test_weights_are_respected(shape: str) -> None:
    # Cy's range is apart from the others': the share drawn there is Cy's weight
    experts = [{**POOL[0], "weight": 1}, POOL[1], {**POOL[2], "weight": 6}]
    x = draw_indicator(_pool(shape, experts), 0.0, 100.0, np.random.default_rng(3), N)
    share = float(np.mean(x >= 70.0))
    assert abs(share - 0.75) < 5 * math.sqrt(0.75 * 0.25 / N)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    experts=st.lists(_expert(), min_size=2, max_size=4),
    weights=st.lists(st.floats(0.1, 10.0), min_size=4, max_size=4),
    shape=st.sampled_from(SHAPES),
)
def test_quantile_is_monotone_and_inverts_the_cdf(
    experts: list[dict[str, Any]], weights: list[float], shape: str
) -> None:
    pairs = zip(experts, weights[: len(experts)], strict=True)
    named = [{**e, "by": f"E{k}", "weight": w} for k, (e, w) in enumerate(pairs)]
    pool = _pool(shape, named)
    u = np.sort(np.random.default_rng(0).random(257))
    q = indicator_quantile(pool, -1e3, 1e3, u)
    assert np.all(np.diff(q) >= 0)
    assert np.all((q >= pool.low) & (q <= pool.high))
    tolerance = 1e-11 * max(1.0, pool.high - pool.low)
    # q is the least x with F(x) >= u: F reaches u at q, and not a tolerance below it
    assert np.all(experts_cdf(pool, q + tolerance) >= u - 1e-12)
    assert np.all(experts_cdf(pool, q - tolerance) <= u + 1e-12)


def test_centre_range_and_words() -> None:
    pool = _pool("pert")
    assert pool.centre == pytest.approx((2 * 20 + 35 + 80) / 4)
    assert (pool.low, pool.high) == (10.0, 95.0)
    assert pool.describe() == "pool of 3 experts (pert) 10-95, weighted mean mode 38.75"
    assert [(a.by, b.by) for a, b in pool.disagreements()] == [("Ana", "Cy"), ("Ben", "Cy")]


SCENARIO = """\
id: {name}
title: Experts on access
model: model.yaml
seed: 5
indicators:
  access:
    dist: experts
    experts:
      - {{by: Ana, low: 0.1, mode: 0.2, high: 0.3, weight: 3}}
      - {{by: Ben, low: {ben_low}, mode: 0.6, high: 0.8}}
  rank: {{dist: pert, low: 10, mode: 40, high: 90}}
correlations:
  - {{between: [access, rank], rank: 0.7}}
"""


def test_correlated_pool_keeps_its_marginal_and_rank(mini: Path) -> None:
    path = mini / "experts.yaml"
    path.write_text(SCENARIO.format(name="experts", ben_low=0.5))
    scenario, model = load_scenario(path)
    compiled = decision.compile_model(model)
    inputs = compile_scenario(compiled, scenario)
    at = compiled.index("indicators")
    assert inputs.values[at["access"]] == pytest.approx(0.3)  # (3 x 0.2 + 0.6) / 4
    draw = block_drawer(compiled, inputs, weight_model(compiled, inputs))
    x = draw_range(inputs.seed, 0, N, draw)[0]
    access = x[:, at["access"]]
    pool = inputs.settings[at["access"]]
    assert stats.kstest(access, lambda v: experts_cdf(pool, np.asarray(v))).statistic < KS_BOUND
    assert abs(stats.spearmanr(access, x[:, at["rank"]]).statistic - 0.7) < 0.03


@pytest.mark.parametrize(("ben_low", "flagged"), [(0.5, True), (0.25, False)])
def test_disagreeing_indicator_experts_are_flagged(
    mini: Path, ben_low: float, flagged: bool
) -> None:
    from decision.reports.data import report_data
    from decision.reports.markdown import render_markdown
    from decision.reports.outline import outline
    from decision.study.study import run_study

    (mini / "experts.yaml").write_text(SCENARIO.format(name="experts", ben_low=ben_low))
    with contextlib.chdir(mini):
        document = report_data(run_study(["base.yaml", "experts.yaml"], with_sensitivity=False))
    found = document.get("indicator_expert_disagreements")
    text = render_markdown(outline(document, {}))
    if not flagged:
        assert found is None
        assert "Where the experts disagree" not in text
        return
    assert "Where the experts disagree" in text
    assert "Ana 0.1-0.3 (most likely 0.2); Ben 0.5-0.8 (most likely 0.6)" in text
    assert "in the scenario *" in text  # by its title, not the id
    assert found == [{
        "scenario": "experts",
        "indicator": "access",
        "experts": [
            {"by": "Ana", "low": 0.1, "mode": 0.2, "high": 0.3, "weight": 3.0},
            {"by": "Ben", "low": 0.5, "mode": 0.6, "high": 0.8, "weight": 1.0},
        ],
        "pairs": [["Ana", "Ben"]],
    }]


def test_a_mode_a_subnormal_above_low_keeps_the_cdf_finite() -> None:
    """Found by hypothesis: a mode 2.2e-308 above its low made the rising side's t * t / split
    overflow where the falling side applied (a RuntimeWarning, an error in these tests)."""
    pool = _pool("triangular", [
        {"by": "X", "low": 0.0, "mode": 0.0, "high": 0.0},
        {"by": "Y", "low": 0.0, "mode": 2.2250738585072014e-308, "high": 5.0},
    ])
    x = np.linspace(-1.0, 6.0, 29)
    cdf = experts_cdf(pool, x)
    assert np.all(np.isfinite(cdf)) and np.all(np.diff(cdf) >= 0)
    assert cdf[0] == 0.0 and cdf[-1] == 1.0
    u = np.linspace(0.0, 1.0, 11)
    q = indicator_quantile(pool, -1e3, 1e3, u)
    assert np.all(np.diff(q) >= 0)
