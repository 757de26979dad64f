"""Tests of decision.analyses.robustness: worked examples and invariance properties."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.typing import NDArray

from decision.analyses.robustness import (
    DEFINITIONS,
    SNR_SD_FLOOR,
    robustness,
    weighted_percentile,
)
from decision.errors import DecisionError
from decision.results import to_data

FloatArray = NDArray[np.float64]

# three scenarios (rows) x three options (columns)
TABLE = np.array(
    [
        [0.6, 0.5, 0.2],
        [0.4, 0.5, 0.9],
        [0.1, 0.5, 0.3],
    ]
)


def test_worked_example() -> None:
    res = robustness(TABLE, [0.5, 0.3, 0.2], hurwicz_alpha=0.25, regret_percentile=50)
    assert np.allclose(res.expected, [0.44, 0.5, 0.43])
    assert res.maximin.tolist() == [0.1, 0.5, 0.2]
    assert res.maximax.tolist() == [0.6, 0.5, 0.9]
    assert np.allclose(res.hurwicz, [0.25 * 0.6 + 0.75 * 0.1, 0.5, 0.25 * 0.9 + 0.75 * 0.2])
    regret = np.array([[0.0, 0.1, 0.4], [0.5, 0.4, 0.0], [0.4, 0.0, 0.2]])
    assert np.allclose(res.regret, regret)
    assert np.allclose(res.max_regret, [0.5, 0.4, 0.4])
    assert np.allclose(res.mean_regret, [0.23, 0.17, 0.24])
    # option 0: regrets 0 (p .5), .4 (p .2), .5 (p .3): the 50th percentile is 0
    assert np.allclose(res.percentile_regret, [0.0, 0.1, 0.2])
    # max regret: 0.9 - 0.5 and 0.6 - 0.2 differ by rounding only: a tie, the lower index wins
    assert res.picks == {
        "expected": 1,
        "maximin": 1,
        "maximax": 2,
        "hurwicz": 1,
        "max_regret": 1,
        "mean_regret": 1,
        "percentile_regret": 0,
        "snr": 1,
    }
    assert res.sd[1] == 0.0
    assert res.snr[1] == pytest.approx(0.5 / SNR_SD_FLOOR)
    assert np.all(np.isfinite(res.snr))


def test_default_probabilities_are_equal_and_normalised() -> None:
    res = robustness(TABLE)
    assert np.allclose(res.probabilities, 1 / 3)
    assert np.allclose(res.expected, TABLE.mean(axis=0))
    scaled = robustness(TABLE, [2.0, 2.0, 2.0])
    assert np.array_equal(scaled.expected, res.expected)


def test_weighted_percentile_definition() -> None:
    x = np.array([3.0, 1.0, 2.0, 4.0])
    p = np.array([0.1, 0.4, 0.4, 0.1])
    assert weighted_percentile(x, p, 40) == 1.0
    assert weighted_percentile(x, p, 41) == 2.0
    assert weighted_percentile(x, p, 80) == 2.0
    assert weighted_percentile(x, p, 90) == 3.0
    assert weighted_percentile(x, p, 100) == 4.0
    # equal probabilities 0.1: rounding of 0.1 sums must not skip the 9th value
    ten = np.arange(10.0)
    assert weighted_percentile(ten, np.full(10, 0.1), 90) == 8.0
    # zero-probability values are never the answer
    assert weighted_percentile(np.array([0.0, 5.0, 9.0]), np.array([0.5, 0.0, 0.5]), 60) == 9.0


def test_satisficing_on_scores_and_on_samples() -> None:
    p = [0.5, 0.3, 0.2]
    res = robustness(TABLE, p, threshold=0.45)
    assert res.satisficing is not None
    assert np.allclose(res.satisficing, [0.5, 1.0, 0.3])
    samples = [np.array([[0.5, 0.0, 0.0], [0.4, 0.0, 0.0]])] * 3  # option 0 meets it half the time
    res = robustness(TABLE, p, threshold=0.45, sample_scores=samples)
    assert res.satisficing is not None
    assert np.allclose(res.satisficing, [0.5, 0.0, 0.0])
    assert res.picks["satisficing"] == 0


def test_satisficing_per_criterion() -> None:
    crit = np.zeros((2, 2, 2))
    crit[0] = [[0.6, 0.7], [0.9, 0.1]]  # option 0 meets both; option 1 fails criterion 1
    crit[1] = [[0.4, 0.9], [0.8, 0.8]]  # option 0 fails criterion 0; option 1 meets both
    res = robustness(
        np.zeros((2, 2)), [0.7, 0.3], criterion_values=crit, criterion_thresholds=[0.5, 0.5]
    )
    assert res.satisficing_criteria is not None
    assert np.allclose(res.satisficing_criteria, [0.7, 0.3])
    per_sample = [crit[0][None].repeat(4, axis=0), np.concatenate([crit[1][None], crit[0][None]])]
    res = robustness(
        np.zeros((2, 2)),
        [0.7, 0.3],
        criterion_values=per_sample,
        criterion_thresholds=[0.5, -np.inf],
    )
    assert res.satisficing_criteria is not None
    assert np.allclose(res.satisficing_criteria, [0.7 + 0.15, 1.0])


def test_bad_inputs_are_errors() -> None:
    for kwargs in (
        {"hurwicz_alpha": 1.5},
        {"regret_percentile": 0.0},
        {"sample_scores": [TABLE]},
        {"criterion_thresholds": [0.5]},
    ):
        with pytest.raises(DecisionError):
            robustness(TABLE, **kwargs)
    with pytest.raises(DecisionError):
        robustness(TABLE, [0.5, 0.5])
    with pytest.raises(DecisionError):
        robustness(TABLE, [0.0, 0.0, 0.0])
    with pytest.raises(DecisionError):
        robustness(np.array([[np.nan]]))


def test_definitions_cover_every_measure_and_to_dict_is_json() -> None:
    crit = np.full((3, 3, 1), 0.5)
    res = robustness(TABLE, threshold=0.3, criterion_values=crit, criterion_thresholds=[0.4])
    assert set(res.measures()) == set(DEFINITIONS)
    assert set(res.picks) == set(DEFINITIONS)
    data = json.loads(json.dumps(to_data(res)))
    assert data["picks"] == res.picks
    assert all(isinstance(text, str) and text.endswith(".") for text in DEFINITIONS.values())


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


@st.composite
def tables(draw: st.DrawFn) -> tuple[FloatArray, FloatArray]:
    k = draw(st.integers(1, 6))
    o = draw(st.integers(1, 5))
    values = draw(arrays(np.float64, (k, o), elements=st.floats(-10, 10, width=32)))
    probs = draw(arrays(np.float64, (k,), elements=st.floats(0, 1, width=32)))
    assume(probs.sum() > 0.01)
    return values, probs


def all_measures(res: object) -> dict[str, FloatArray]:
    return res.measures()  # type: ignore[attr-defined, no-any-return]


@settings(max_examples=100, deadline=None)
@given(data=tables())
def test_regret_is_non_negative_and_zero_for_the_best(data: tuple[FloatArray, FloatArray]) -> None:
    values, probs = data
    res = robustness(values, probs)
    assert np.all(res.regret >= 0)
    assert np.all(res.regret.min(axis=1) == 0)
    for m in all_measures(res).values():
        assert np.all(np.isfinite(m))


@settings(max_examples=100, deadline=None)
@given(data=tables(), shift=st.floats(-5, 5), row=st.integers(0, 5))
def test_shifting_one_scenario_leaves_regret_unchanged(
    data: tuple[FloatArray, FloatArray], shift: float, row: int
) -> None:
    values, probs = data
    shifted = values.copy()
    shifted[row % len(values)] += shift
    a, b = robustness(values, probs), robustness(shifted, probs)
    assert np.allclose(a.regret, b.regret, atol=1e-12)
    assert np.allclose(a.max_regret, b.max_regret, atol=1e-12)
    assert np.allclose(a.mean_regret, b.mean_regret, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(data=tables())
def test_hurwicz_extremes(data: tuple[FloatArray, FloatArray]) -> None:
    values, probs = data
    assert np.array_equal(robustness(values, probs, hurwicz_alpha=0).hurwicz, values.min(axis=0))
    assert np.array_equal(robustness(values, probs, hurwicz_alpha=1).hurwicz, values.max(axis=0))


@settings(max_examples=100, deadline=None)
@given(data=tables(), seed=st.integers(0, 2**32), q=st.floats(1, 100))
def test_permuting_scenarios_changes_nothing(
    data: tuple[FloatArray, FloatArray], seed: int, q: float
) -> None:
    values, probs = data
    perm = np.random.default_rng(seed).permutation(len(values))
    thr = float(np.median(values))
    a = robustness(values, probs, regret_percentile=q, threshold=thr)
    b = robustness(values[perm], probs[perm], regret_percentile=q, threshold=thr)
    for name, m in all_measures(a).items():
        assert np.array_equal(m, all_measures(b)[name]), name
    assert a.picks == b.picks


@settings(max_examples=100, deadline=None)
@given(data=tables(), seed=st.integers(0, 2**32))
def test_permuting_options_permutes_results(data: tuple[FloatArray, FloatArray], seed: int) -> None:
    values, probs = data
    perm = np.random.default_rng(seed).permutation(values.shape[1])
    thr = float(np.median(values))
    a = robustness(values, probs, threshold=thr)
    b = robustness(values[:, perm], probs, threshold=thr)
    assert np.array_equal(b.regret, a.regret[:, perm])
    for name, m in all_measures(a).items():
        assert np.array_equal(all_measures(b)[name], m[perm]), name
        # the pick may differ only between (near-)tied options: near in relative terms, since
        # a measure can be large (a mean over a tiny spread: 999999.9999999999 against
        # 999999.9999983333 is a tie to 12 digits)
        picked = m[a.picks[name]]
        assert abs(all_measures(b)[name][b.picks[name]] - picked) <= 1e-8 * max(1.0, abs(picked))
