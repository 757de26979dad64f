"""Tests of decision.uncertainty.smaa: the analytic oracle, SMAA identities and chunk invariance."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from decision.errors import DecisionError
from decision.results import to_data
from decision.uncertainty.sampling import WeightModel, draw_weights
from decision.uncertainty.smaa import SmaaAccumulator, default_meta_weights

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


def rank_rows(scores: FloatArray) -> IntArray:
    """Ranks (1 = best) by score per row; ties: the lower option index ranks first."""
    order = np.argsort(-scores, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, scores.shape[-1] + 1)[None, :], axis=-1)
    return ranks.astype(np.int64)


def se(p: float, n: int) -> float:
    return math.sqrt(p * (1 - p) / n)


def test_oracle_two_criteria_three_options() -> None:
    """Weighted sum, w = (t, 1 - t) uniform on the simplex, A = (1, 0), B = (0, 1), C = (.6, .6).

    Scores A = t, B = 1 - t, C = 0.6, so: A first iff t > .6, B first iff t < .4, C first
    otherwise; A second iff .5 < t < .6 (C first), likewise B. Exact answers: rank
    acceptabilities A = B = [.4, .1, .5], C = [.2, .8, 0]; central weights are the conditional
    means of (t, 1 - t): A (.8, .2), B (.2, .8), C (.5, .5); confidence factors all 1 (values
    are exact, so an option's central weights make it first in every sample).

    Tolerances derive from N: each acceptability within 5 * sqrt(p (1 - p) / N) of p (exact
    where p is 0 or 1); each central weight within 5 * s / sqrt(N * p_first), with s the
    conditional sd of t (a uniform on an interval of width L has sd L / sqrt(12)).
    """
    n = 200_000
    weights = draw_weights(WeightModel.missing(2), np.random.default_rng(2024), n)
    x = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.6]])
    ranks = rank_rows(weights @ x.T)

    acc = SmaaAccumulator(3, 2)
    for start in range(0, n, 30_000):
        acc.add(ranks[start : start + 30_000], weights[start : start + 30_000])
    res = acc.result()
    assert res.n_samples == n

    expected = np.array([[0.4, 0.1, 0.5], [0.4, 0.1, 0.5], [0.2, 0.8, 0.0]])
    tolerance = 5 * np.vectorize(se)(expected, n)
    assert np.all(np.abs(res.rank_acceptability - expected) <= tolerance)
    assert res.rank_acceptability[2, 2] == 0.0

    central = np.array([[0.8, 0.2], [0.2, 0.8], [0.5, 0.5]])
    width = np.array([0.4, 0.4, 0.2])  # t | A ~ U(.6, 1), t | B ~ U(0, .4), t | C ~ U(.4, .6)
    tol = 5 * (width / math.sqrt(12)) / np.sqrt(n * expected[:, 0])
    assert np.all(np.abs(res.central_weights - central) <= tol[:, None])
    assert res.ever_first.tolist() == [True, True, True]

    # second pass: score every sample with each option's central weights
    for start in range(0, n, 50_000):
        chunk = slice(start, start + 50_000)
        is_first = np.zeros((len(ranks[chunk]), 3), dtype=bool)
        for o in range(3):
            scores = np.broadcast_to(x @ res.central_weights[o], is_first.shape)
            is_first[:, o] = rank_rows(np.array(scores))[:, o] == 1
        acc.add_confidence(is_first)
    final = acc.result()
    assert final.confidence_factors is not None
    assert final.confidence_factors.tolist() == [1.0, 1.0, 1.0]
    assert final.n_confidence_samples == n

    # pairwise: A above B iff t > .5; A above C iff t > .6; B above C iff t < .4
    pairwise = np.array([[0, 0.5, 0.4], [0.5, 0, 0.4], [0.6, 0.6, 0]])
    assert np.all(np.abs(final.pairwise_winning - pairwise) <= 5 * np.vectorize(se)(pairwise, n))


def test_never_first_option_gets_zero_central_weights_and_confidence() -> None:
    ranks = np.array([[1, 2, 3], [2, 1, 3], [1, 3, 2]])
    weights = np.array([[0.5, 0.5], [0.2, 0.8], [0.7, 0.3]])
    acc = SmaaAccumulator(3, 2)
    acc.add(ranks, weights)
    assert acc.result().confidence_factors is None
    acc.add_confidence(np.array([[True, True, True]] * 2))
    res = acc.result()
    assert res.ever_first.tolist() == [True, True, False]
    assert np.allclose(res.central_weights, [[0.6, 0.4], [0.2, 0.8], [0.0, 0.0]])
    assert res.confidence_factors is not None
    assert res.confidence_factors.tolist() == [1.0, 1.0, 0.0]
    assert np.all(np.isfinite(res.central_weights))


def test_meta_weights() -> None:
    assert default_meta_weights(1).tolist() == [1.0]
    assert default_meta_weights(3).tolist() == [1.0, 0.5, 0.0]
    acc = SmaaAccumulator(3, 1)
    acc.add(np.array([[1, 2, 3], [3, 1, 2]]), np.ones((2, 1)))
    res = acc.result()
    assert np.allclose(res.holistic_acceptability, [0.5, 0.75, 0.25])
    custom = acc.result(meta_weights=[1.0, 0.0, 0.0])
    assert np.allclose(custom.holistic_acceptability, custom.rank_acceptability[:, 0])
    for bad in ([0.9, 0.5, 0.0], [1.0, 0.2, 0.5], [1.0, 0.5], [1.0, 0.5, -0.1]):
        with pytest.raises(DecisionError):
            acc.result(meta_weights=bad)


def test_bad_chunks_are_rejected() -> None:
    acc = SmaaAccumulator(3, 2)
    with pytest.raises(ValueError):
        acc.add(np.array([[1, 1, 3]]), np.array([[0.5, 0.5]]))
    with pytest.raises(ValueError):
        acc.add(np.array([[1, 2, 3]]), np.array([[0.5, 0.5, 0.0]]))
    with pytest.raises(ValueError):
        acc.add(np.array([[1, 2]]), np.array([[0.5, 0.5]]))
    with pytest.raises(ValueError):
        acc.result()


def test_plain_data_is_json() -> None:
    acc = SmaaAccumulator(2, 2)
    acc.add(np.array([[1, 2], [2, 1]]), np.array([[0.3, 0.7], [0.9, 0.1]]))
    acc.add_confidence(np.array([[True, False]]))
    text = json.dumps(to_data(acc.result()))
    assert '"confidence_factors": [1.0, 0.0]' in text


@st.composite
def chunks(draw: st.DrawFn) -> tuple[IntArray, FloatArray, list[int]]:
    """Random ranks and weights, plus cut points splitting them into chunks."""
    o = draw(st.integers(1, 5))
    c = draw(st.integers(1, 4))
    n = draw(st.integers(1, 60))
    seed = draw(st.integers(0, 2**32))
    gen = np.random.default_rng(seed)
    ranks = np.argsort(gen.random((n, o)), axis=1).astype(np.int64) + 1
    weights = draw_weights(WeightModel.missing(c), gen, n)
    cuts = sorted(set(draw(st.lists(st.integers(0, n), max_size=5))) | {0, n})
    return ranks, weights, cuts


def accumulate(ranks: IntArray, weights: FloatArray, cuts: list[int]) -> SmaaAccumulator:
    acc = SmaaAccumulator(ranks.shape[1], weights.shape[1])
    for lo, hi in itertools.pairwise(cuts):
        acc.add(ranks[lo:hi], weights[lo:hi])
    return acc


@settings(max_examples=80, deadline=None)
@given(data=chunks())
def test_acceptabilities_sum_to_one(data: tuple[IntArray, FloatArray, list[int]]) -> None:
    ranks, weights, cuts = data
    res = accumulate(ranks, weights, cuts).result()
    assert np.allclose(res.rank_acceptability.sum(axis=0), 1.0)
    assert np.allclose(res.rank_acceptability.sum(axis=1), 1.0)
    off = ~np.eye(ranks.shape[1], dtype=bool)
    assert np.allclose((res.pairwise_winning + res.pairwise_winning.T)[off], 1.0)
    assert np.all(np.diag(res.pairwise_winning) == 0)
    firsts = res.central_weights[res.ever_first]
    assert np.allclose(firsts.sum(axis=1), 1.0)


@settings(max_examples=80, deadline=None)
@given(data=chunks())
def test_results_do_not_depend_on_chunking(data: tuple[IntArray, FloatArray, list[int]]) -> None:
    ranks, weights, cuts = data
    n = ranks.shape[0]
    a = accumulate(ranks, weights, cuts).result()
    b = accumulate(ranks, weights, [0, n]).result()
    one_by_one = accumulate(ranks, weights, list(range(n + 1))).result()
    for field in dataclasses.fields(a):  # exact equality of every float
        name = field.name
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
        assert np.array_equal(getattr(a, name), getattr(one_by_one, name)), name


@settings(max_examples=80, deadline=None)
@given(data=chunks(), seed=st.integers(0, 2**32))
def test_permuting_options_permutes_results(
    data: tuple[IntArray, FloatArray, list[int]], seed: int
) -> None:
    ranks, weights, cuts = data
    perm = np.random.default_rng(seed).permutation(ranks.shape[1])
    res = accumulate(ranks, weights, cuts).result()
    per = accumulate(ranks[:, perm], weights, cuts).result()
    assert np.array_equal(per.rank_acceptability, res.rank_acceptability[perm])
    assert np.array_equal(per.central_weights, res.central_weights[perm])
    assert np.array_equal(per.holistic_acceptability, res.holistic_acceptability[perm])
    assert np.array_equal(per.pairwise_winning, res.pairwise_winning[np.ix_(perm, perm)])
