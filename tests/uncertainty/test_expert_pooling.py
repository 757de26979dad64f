"""Judgements pooled from several experts: a linear opinion pool, drawn after every other input.

Each sample picks one expert per pooled judgement (probability proportional to its weight)
and draws from that expert's range with the model's judgement distribution; the pool's point
value is the weighted mean of the modes and its range the experts' envelope.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats  # type: ignore[import-untyped]

from decision.core.compile import CompiledModel, ExpertPools, ScenarioInputs
from decision.specs.model import PerformanceSpec
from decision.uncertainty.montecarlo import monte_carlo
from decision.uncertainty.sampling import (
    ExpertPoolSampler,
    block_drawer,
    draw_judgements,
    draw_range,
    weight_model,
)
from tests.generated import MINI, compiled_inputs, write_mini

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
RIGHTS = "      rights: {value: 0.3, low: 0.2, high: 0.4, rationale: Little for rights.}\n"
EXPERTS = (
    "      rights:\n"
    "        rationale: Little for rights.\n"
    "        experts:\n"
    "          - {by: Ana, low: 0.1, mode: 0.2, high: 0.3, weight: 3}\n"
    "          - {by: Ben, low: 0.5, mode: 0.6, high: 0.8}\n"
)


def _folder(folder: Path, rights: str = RIGHTS) -> Path:
    """The mini model (``act``'s rights entry replaced) and an open scenario; its path."""
    text = (MINI / "model.yaml").read_text()
    assert RIGHTS in text
    return write_mini(folder, text.replace(RIGHTS, rights, 1))


def _inputs(path: Path, samples: int) -> tuple[CompiledModel, ScenarioInputs]:
    compiled, inputs = compiled_inputs(path, samples)
    return compiled, inputs


def _draws(path: Path, start: int, stop: int) -> tuple[np.ndarray, ...]:
    model, inputs = _inputs(path, stop)
    draw = block_drawer(model, inputs, weight_model(model, inputs))
    return draw_range(inputs.seed, start, stop, draw)


def _pool(experts: list[tuple[float, float, float, float]]) -> ExpertPools:
    low, mode, high, weight = (np.array([[e[k] for e in experts]]) for k in range(4))
    return ExpertPools(np.array([0], dtype=np.intp), low, mode, high, weight / weight.sum())


@st.composite
def _expert(draw: st.DrawFn) -> tuple[float, float, float]:
    low, mode, high = sorted(draw(st.floats(0.0, 1.0)) for _ in range(3))
    return low, mode, high


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    expert=_expert(),
    shape=st.sampled_from(["triangular", "pert", "uniform"]),
    seed=st.integers(0, 2**32),
)
def test_pooling_one_expert_returns_that_experts_distribution(
    expert: tuple[float, float, float], shape: str, seed: int
) -> None:
    """One expert: after the uniform that picks it, the very draws of its own judgement."""
    low, mode, high = expert
    n = 500
    pooled = np.empty((n, 1, 1))
    ExpertPoolSampler(_pool([(low, mode, high, 1.0)]), shape).draw(  # type: ignore[arg-type]
        np.random.default_rng(seed), pooled
    )
    rng = np.random.default_rng(seed)
    rng.random((n, 1))  # the pick
    own = draw_judgements([mode], [low], [high], rng, n, shape)  # type: ignore[arg-type]
    np.testing.assert_array_equal(pooled.reshape(n), own.reshape(n))


def test_one_expert_passes_a_ks_test_against_its_triangular() -> None:
    pooled = np.empty((20_000, 1, 1))
    ExpertPoolSampler(_pool([(0.2, 0.3, 0.7, 2.0)])).draw(np.random.default_rng(5), pooled)
    law = stats.triang(c=(0.3 - 0.2) / 0.5, loc=0.2, scale=0.5)
    assert stats.kstest(pooled.reshape(-1), law.cdf).pvalue > 1e-3
    spec = PerformanceSpec.model_validate(
        {"rationale": "r", "experts": [{"by": "A", "low": 0.2, "mode": 0.3, "high": 0.7}]}
    )
    assert (spec.value, spec.low, spec.high) == (0.3, 0.2, 0.7)


def test_weights_3_to_1_give_the_mixtures_moments() -> None:
    experts = [(0.1, 0.2, 0.3, 3.0), (0.5, 0.6, 0.8, 1.0)]
    n = 200_000
    pooled = np.empty((n, 1, 1))
    ExpertPoolSampler(_pool(experts)).draw(np.random.default_rng(3), pooled)
    x = pooled.reshape(n)
    w = np.array([0.75, 0.25])
    means = np.array([(lo + mo + hi) / 3 for lo, mo, hi, _ in experts])
    variances = np.array(
        [(lo**2 + mo**2 + hi**2 - lo * mo - lo * hi - mo * hi) / 18 for lo, mo, hi, _ in experts]
    )
    mean = float(w @ means)
    var = float(w @ (variances + means**2)) - mean**2
    assert abs(x.mean() - mean) < 5 * np.sqrt(var / n)
    assert abs(x.var() - var) < 0.02 * var
    assert abs(np.mean(x < 0.4) - 0.75) < 5 * np.sqrt(0.75 * 0.25 / n)  # the pick's share
    assert x.min() >= 0.1 and x.max() <= 0.8


def test_compiled_pool_value_and_envelope(tmp_path: Path) -> None:
    model, _ = _inputs(_folder(tmp_path / "m", EXPERTS), 10)
    o, c = model.options.index("act"), model.criteria.index("rights")
    assert model.judgement[o, c] == pytest.approx(0.75 * 0.2 + 0.25 * 0.6)
    assert (model.judgement_low[o, c], model.judgement_high[o, c]) == (0.1, 0.8)
    assert model.experts is not None
    np.testing.assert_allclose(model.experts.weight, [[0.75, 0.25]])


def test_other_draws_are_unchanged_by_experts(tmp_path: Path) -> None:
    plain = _draws(_folder(tmp_path / "plain"), 0, 5000)
    pooled = _draws(_folder(tmp_path / "pooled", EXPERTS), 0, 5000)
    model, _ = _inputs(tmp_path / "plain" / "open.yaml", 10)
    assert model.experts is None
    o, c = model.options.index("act"), model.criteria.index("rights")
    np.testing.assert_array_equal(plain[0], pooled[0])  # indicators
    np.testing.assert_array_equal(plain[2], pooled[2])  # weights
    keep = np.ones(plain[1].shape[1:], dtype=bool)
    keep[o, c] = False
    np.testing.assert_array_equal(plain[1][:, keep], pooled[1][:, keep])
    assert not np.array_equal(plain[1][:, o, c], pooled[1][:, o, c])
    assert np.all((pooled[1][:, o, c] <= 0.3) | (pooled[1][:, o, c] >= 0.5))


@pytest.mark.parametrize("split", [1, 4095, 4097, 6000])
def test_pooled_draws_are_chunk_invariant(tmp_path: Path, split: int) -> None:
    path = _folder(tmp_path / "m", EXPERTS)
    whole = _draws(path, 0, 9000)
    parts = [_draws(path, 0, split), _draws(path, split, 9000)]
    for k, array in enumerate(whole):
        np.testing.assert_array_equal(array, np.concatenate([p[k] for p in parts]))


@pytest.mark.parametrize("chunk", [1000, 4096, 7000])
def test_monte_carlo_with_experts_is_identical_whatever_the_chunk(
    tmp_path: Path, chunk: int
) -> None:
    path = _folder(tmp_path / "m", EXPERTS)
    model, inputs = _inputs(path, 9000)
    ref = monte_carlo(model, inputs, chunk=4096)
    got = monte_carlo(model, inputs, chunk=chunk)
    np.testing.assert_array_equal(ref.histogram, got.histogram)
    np.testing.assert_array_equal(ref.score_mean, got.score_mean)


def test_disagreement_known_answer() -> None:
    spec = PerformanceSpec.model_validate(
        {
            "rationale": "r",
            "experts": [
                {"by": "A", "low": 0.1, "mode": 0.2, "high": 0.3},
                {"by": "B", "low": 0.25, "mode": 0.3, "high": 0.5},
                {"by": "C", "low": 0.6, "mode": 0.7, "high": 0.9},
            ],
        }
    )
    assert [(a.by, b.by) for a, b in spec.disagreements()] == [("A", "C"), ("B", "C")]
    assert spec.value == pytest.approx(0.4)
