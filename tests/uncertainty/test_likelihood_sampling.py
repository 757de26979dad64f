"""Sampled success likelihoods: drawn after every other input, reproducible, within range.

A likelihood with a low..high range is drawn like a judgement, after the indicators,
judgements and weights of each block, so the streams of those inputs are the same with or
without it; a point likelihood draws nothing.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from decision.core.compile import CompiledModel, ScenarioInputs
from decision.uncertainty.montecarlo import monte_carlo
from decision.uncertainty.sampling import block_drawer, draw_range, weight_model
from tests.generated import MINI, compiled_inputs, write_mini

LIKELIHOOD = (
    "    likelihood:\n"
    "      value: 0.4\n"
    "{range}"
    "      rationale: Hard to pull off.\n"
)


def _folder(folder: Path, likelihood: str | None) -> Path:
    """The mini model (with ``likelihood`` on ``act`` if given) and its open scenario, sampled
    with uncertain indicators; returns the scenario."""
    text = (MINI / "model.yaml").read_text()
    if likelihood is not None:
        text = text.replace("    recommendation: R1\n", "    recommendation: R1\n" + likelihood, 1)
    return write_mini(folder, text)


def _inputs(path: Path, samples: int) -> tuple[CompiledModel, ScenarioInputs]:
    compiled, inputs = compiled_inputs(path, samples)
    return compiled, inputs


def _draws(path: Path, n: int, likelihood: bool = False) -> tuple[np.ndarray, ...]:
    model, inputs = _inputs(path, n)
    draw = block_drawer(model, inputs, weight_model(model, inputs), likelihood=likelihood)
    return draw_range(inputs.seed, 0, n, draw)


@pytest.mark.parametrize("ends", ["", "      low: 0.2\n      high: 0.6\n"])
def test_other_inputs_draw_the_same_with_a_likelihood(tmp_path: Path, ends: str) -> None:
    """Indicators, judgements and weights are drawn identically with or without a likelihood
    (point or ranged): the likelihood's draws come after them."""
    plain = _draws(_folder(tmp_path / "plain", None), 5000)
    likely = _draws(_folder(tmp_path / "likely", LIKELIHOOD.format(range=ends)), 5000)
    for a, b in zip(plain, likely, strict=True):
        np.testing.assert_array_equal(a, b)


def test_sampled_likelihoods_lie_in_their_range_and_centre_on_the_mode(tmp_path: Path) -> None:
    path = _folder(tmp_path / "m", LIKELIHOOD.format(range="      low: 0.2\n      high: 0.6\n"))
    *_, p = _draws(path, 20_000, likelihood=True)
    assert p.shape == (20_000, 1)
    assert p.min() >= 0.2 and p.max() <= 0.6 and p.min() < p.max()
    # the triangular law on [0.2, 0.6] with mode 0.4 has mean 0.4 and sd 0.2 / sqrt(6)
    assert abs(p.mean() - 0.4) < 4 * (0.2 / np.sqrt(6)) / np.sqrt(p.size)


def test_point_likelihood_is_constant(tmp_path: Path) -> None:
    *_, p = _draws(_folder(tmp_path / "m", LIKELIHOOD.format(range="")), 100, likelihood=True)
    np.testing.assert_array_equal(p, 0.4)


@pytest.mark.parametrize("chunk", [1000, 5000])
def test_monte_carlo_is_identical_whatever_the_chunk_size(tmp_path: Path, chunk: int) -> None:
    path = _folder(tmp_path / "m", LIKELIHOOD.format(range="      low: 0.2\n      high: 0.6\n"))
    model, inputs = _inputs(path, 9000)
    reference = monte_carlo(model, inputs, chunk=4096 * 3)
    other = monte_carlo(model, inputs, chunk=chunk)
    for name in ("availability", "score_mean", "score_sd", "score_quantiles", "histogram"):
        assert np.array_equal(getattr(reference, name), getattr(other, name)), name
    for field in dataclasses.fields(reference.smaa):
        name = field.name
        assert np.array_equal(getattr(reference.smaa, name), getattr(other.smaa, name)), name


def test_a_sampled_likelihood_spreads_the_score(tmp_path: Path) -> None:
    """With the likelihood as the only uncertain input of ``act``'s mix, a range gives its
    score a spread that a point value does not, around the same mean."""
    point = _folder(tmp_path / "point", LIKELIHOOD.format(range=""))
    ranged = _folder(
        tmp_path / "ranged", LIKELIHOOD.format(range="      low: 0.0\n      high: 0.8\n")
    )
    act = 0  # act is the model's first option
    a = monte_carlo(*_inputs(point, 8000))
    b = monte_carlo(*_inputs(ranged, 8000))
    assert b.score_sd[act] > a.score_sd[act]
    assert abs(b.score_mean[act] - a.score_mean[act]) < 0.01
