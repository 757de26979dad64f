"""Monte Carlo runs: reproducible whatever the chunk size, consistent summaries."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import decision
from decision.core.compile import compile_scenario
from decision.load.loading import load_scenario
from decision.results import to_data
from decision.study.scenario import evaluate
from decision.uncertainty.montecarlo import QUANTILES, _ScoreStats, monte_carlo
from tests.conftest import ROOT, CliResult

SAMPLED = ROOT / "scenarios" / "western-tilt.yaml"


def _inputs(path: Path, samples: int, seed: int = 3):  # type: ignore[no-untyped-def]
    scenario, model = load_scenario(path)
    compiled = decision.compile_model(model)
    return compiled, compile_scenario(compiled, scenario, samples=samples, seed=seed)


@pytest.mark.parametrize("chunk", [1000, 4096, 5000, 20_000])
def test_results_identical_whatever_the_chunk_size(chunk: int) -> None:
    model, inputs = _inputs(SAMPLED, 10_000)
    reference = monte_carlo(model, inputs, chunk=4096 * 3)
    other = monte_carlo(model, inputs, chunk=chunk)
    for name in ("availability", "score_mean", "score_sd", "score_quantiles", "histogram"):
        assert np.array_equal(getattr(reference, name), getattr(other, name)), name
    for field in dataclasses.fields(reference.smaa):  # exact equality of every float
        name = field.name
        assert np.array_equal(getattr(reference.smaa, name), getattr(other.smaa, name)), name


def test_acceptabilities_sum_to_one_and_seed_matters() -> None:
    model, inputs = _inputs(SAMPLED, 5_000)
    summary = monte_carlo(model, inputs)
    acceptability = summary.smaa.rank_acceptability
    np.testing.assert_allclose(acceptability.sum(axis=0), 1.0, atol=1e-12)
    np.testing.assert_allclose(acceptability.sum(axis=1), 1.0, atol=1e-12)
    assert np.all(np.isfinite(summary.score_mean)) and np.all(summary.score_sd >= 0)
    _, other_seed = _inputs(SAMPLED, 5_000, seed=4)
    assert not np.array_equal(monte_carlo(model, other_seed).score_mean, summary.score_mean)


def test_quantiles_bracket_the_mean_and_availability_matches_preconditions() -> None:
    result = evaluate(SAMPLED, samples=4_000, seed=11)
    for option in result.options:
        u = option.uncertainty
        assert u is not None
        if u.availability == 0:
            continue
        q = u.score_quantiles
        assert q["5"] <= q["50"] <= q["95"]
        assert q["5"] - 1e-4 <= u.score_mean <= q["95"] + 1e-4
    # civil-society access is sampled around the threshold of R3's ambassador part: it is
    # sometimes available
    r3 = result.option("r3-ambassador-when-timely").uncertainty
    assert r3 is not None and 0.0 < r3.availability < 1.0


def test_exact_scenario_with_samples_has_only_judgement_noise() -> None:
    result = evaluate(ROOT / "scenarios" / "baseline.yaml", samples=2_000, seed=1)
    r3 = result.option("r3-ambassador-when-timely").uncertainty
    assert r3 is not None and r3.availability == 0.0
    top = result.top.uncertainty
    assert top is not None and 0.0 < top.rank_acceptability[0] <= 1.0


def test_missing_weights_give_uniform_simplex_central_weights(tmp_path: Path) -> None:
    scenario = tmp_path / "w.yaml"
    scenario.write_text(
        f"id: w\ntitle: W\nextends: {ROOT / 'scenarios' / 'baseline'}\n"
        "weight_uncertainty: {kind: missing}\nsamples: 3000\nseed: 5\n"
    )
    loaded, model = load_scenario(scenario, allow_any_path=True)  # extends an absolute path
    result = evaluate(loaded, model)
    for option in result.options:
        u = option.uncertainty
        assert u is not None
        if u.central_weights is not None:
            assert sum(u.central_weights.values()) == pytest.approx(1.0)
        assert u.confidence_factor is not None and 0.0 <= u.confidence_factor <= 1.0


def test_rerun_is_byte_identical() -> None:
    import json

    a = json.dumps(to_data(evaluate(SAMPLED)))
    b = json.dumps(to_data(evaluate(SAMPLED)))
    assert a == b


# ------------------------------------------------------------------ quantiles (exact, clamped)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda o: st.lists(
            st.tuples(
                st.lists(st.floats(-1, 1), min_size=o, max_size=o),
                st.lists(st.booleans(), min_size=o, max_size=o),
            ),
            min_size=1,
            max_size=40,
        )
    ),
    st.integers(1, 7),
)
def test_exact_quantiles_are_sampled_scores_whatever_the_chunking(
    rows: list[tuple[list[float], list[bool]]], chunk: int
) -> None:
    scores = np.array([r[0] for r in rows])
    available = np.array([r[1] for r in rows])
    stats = _ScoreStats(scores.shape[1], keep_scores=True)
    for start in range(0, len(rows), chunk):
        stats.add(scores[start : start + chunk], available[start : start + chunk])
    _, _, quantiles = stats.summary()
    for k in range(scores.shape[1]):
        values = scores[available[:, k], k]
        if values.size == 0:
            assert np.all(quantiles[k] == 0)
            continue
        expected = np.quantile(values, QUANTILES, method="inverted_cdf")
        assert np.array_equal(quantiles[k], expected)
        assert set(quantiles[k].tolist()) <= set(values.tolist())


@pytest.mark.parametrize("keep", [True, False], ids=["exact", "histogram"])
def test_a_constant_score_has_exactly_that_score_as_every_quantile(keep: bool) -> None:
    stats = _ScoreStats(2, keep_scores=keep)
    scores = np.tile([0.4, 0.123456789], (50, 1))
    stats.add(scores, np.ones((50, 2), dtype=bool))
    _, _, quantiles = stats.summary()
    assert np.array_equal(quantiles[0], np.full(len(QUANTILES), 0.4))
    assert np.array_equal(quantiles[1], np.full(len(QUANTILES), 0.123456789))


def test_histogram_quantiles_stay_within_the_sampled_scores() -> None:
    rng = np.random.default_rng(5)
    scores = 0.3 + rng.uniform(0, 2e-5, (1000, 1))  # all within one histogram bin
    stats = _ScoreStats(1, keep_scores=False)
    stats.add(scores, np.ones((1000, 1), dtype=bool))
    _, _, quantiles = stats.summary()
    assert scores.min() <= quantiles.min() and quantiles.max() <= scores.max()


def test_few_samples_of_the_shipped_baseline_give_a_report(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """It crashed: an option without a judgement range had its central score outside the
    5-95 % band that histogram bin midpoints made (0.4 reported as 0.40005)."""
    out = tmp_path / "report"
    result = run_cli("compare", str(ROOT / "scenarios" / "baseline.yaml"), "--samples", "3",
                     "--out", str(out))
    assert result.status == 0, result.err
    assert (out / "report.html").is_file()
    result = evaluate(ROOT / "scenarios" / "baseline.yaml", samples=3, seed=1)
    for option in result.options:
        u = option.uncertainty
        assert u is not None
        q = u.score_quantiles
        if u.availability and u.score_sd == 0:  # a constant score is reported exactly
            assert q["5"] == q["95"] == option.score
