"""Property tests every aggregation method must pass (design.md's scoring invariants)."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from methods_cases import CONFIGS, GRID, NORMALISATIONS, Config, Problem, problems, values

from decision.core.methods import weighted_sum

TOL = 1e-10
#: Examples per property and configuration: 15 in CI (38 configurations x 8 properties),
#: a tenth of ``FUZZ_EXAMPLES`` under ``make fuzz``.
EXAMPLES = max(15, int(os.environ.get("FUZZ_EXAMPLES", "0")) // 10)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None)
configs = pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.id)


@configs
@SETTINGS
@given(problem=problems(), data=st.data())
def test_permuting_options_permutes_scores(config: Config, problem: Problem,
                                           data: st.DataObject) -> None:
    m = problem.performance.shape[0]
    order = np.array(data.draw(st.permutations(range(m))), dtype=np.intp)
    scores = config(problem.performance, problem.weights, problem.benefit, problem.available)
    permuted = config(problem.performance[order], problem.weights, problem.benefit,
                      problem.available[order])
    np.testing.assert_allclose(permuted, scores[order], rtol=0, atol=TOL)


@configs
@SETTINGS
@given(problem=problems(), data=st.data())
def test_permuting_criteria_with_weights_changes_nothing(config: Config, problem: Problem,
                                                         data: st.DataObject) -> None:
    n = problem.performance.shape[1]
    order = np.array(data.draw(st.permutations(range(n))), dtype=np.intp)
    scores = config(problem.performance, problem.weights, problem.benefit, problem.available)
    permuted = config(problem.performance[:, order], problem.weights[order],
                      problem.benefit[order], problem.available, criteria_order=order)
    np.testing.assert_allclose(permuted, scores, rtol=0, atol=TOL)


@configs
@SETTINGS
@given(problem=problems(), k=st.floats(1e-3, 1e3))
def test_scaling_weights_changes_nothing(config: Config, problem: Problem, k: float) -> None:
    # a subnormal weight times k can round to 0 (or a 0 stays 0 while a subnormal does not):
    # then the scaled weights are not proportional any more, and the property does not apply
    assume(np.array_equal(problem.weights * k > 0, problem.weights > 0))
    scores = config(problem.performance, problem.weights, problem.benefit, problem.available)
    scaled = config(problem.performance, problem.weights * k, problem.benefit,
                    problem.available)
    np.testing.assert_allclose(scaled, scores, rtol=0, atol=TOL)


@configs
@SETTINGS
@given(problem=problems(min_options=2, min_available=2), data=st.data())
def test_a_dominating_option_scores_at_least_as_high(config: Config, problem: Problem,
                                                     data: st.DataObject) -> None:
    performance = problem.performance.copy()
    available_ids = np.flatnonzero(problem.available)
    best, worse = data.draw(st.permutations(available_ids.tolist()))[:2]
    n = performance.shape[1]
    gaps = data.draw(arrays(np.float64, (n,), elements=st.sampled_from([0.0, 0.05, 0.3])))
    direction = np.where(problem.benefit, -1.0, 1.0)
    performance[worse] = np.clip(performance[best] + direction * gaps, 0.01, 1.0)
    scores = config(performance, problem.weights, problem.benefit, problem.available)
    assert scores[best] >= scores[worse] - TOL


@configs
@SETTINGS
@given(problem=problems(min_available=1))
def test_masking_equals_removal(config: Config, problem: Problem) -> None:
    keep = problem.available
    masked = config(problem.performance, problem.weights, problem.benefit, keep)
    removed = config(problem.performance[keep], problem.weights, problem.benefit)
    np.testing.assert_allclose(masked[keep], removed, rtol=0, atol=TOL)
    assert np.all(masked[~keep] == 0.0)


@configs
@SETTINGS
@given(data=st.data(), batch=st.integers(1, 4))
def test_batch_equals_loop(config: Config, data: st.DataObject, batch: int) -> None:
    m, n = data.draw(st.integers(1, 6)), data.draw(st.integers(1, 4))
    performance = data.draw(arrays(np.float64, (batch, m, n), elements=values))
    w = data.draw(arrays(np.float64, (batch, n), elements=st.floats(0.1, 1.0)))
    benefit = data.draw(arrays(np.bool_, (n,)))
    available = data.draw(arrays(np.bool_, (batch, m)))
    stacked = config(performance, w, benefit, available)
    assert stacked.shape == (batch, m)
    for b in range(batch):
        single = config(performance[b], w[b], benefit, available[b])
        np.testing.assert_allclose(stacked[b], single, rtol=0, atol=TOL)
    # One matrix under many weight vectors broadcasts the same way.
    shared = config(performance[0], w, benefit, available[0])
    for b in range(batch):
        np.testing.assert_allclose(shared[b], config(performance[0], w[b], benefit,
                                                     available[0]), rtol=0, atol=TOL)


@configs
@SETTINGS
@given(problem=problems(), constant=st.sampled_from(GRID), data=st.data())
def test_scores_are_finite_with_constant_columns_and_few_options(
    config: Config, problem: Problem, constant: float, data: st.DataObject
) -> None:
    performance = problem.performance.copy()
    n = performance.shape[1]
    columns = data.draw(arrays(np.bool_, (n,)))
    performance[:, columns] = constant
    m = performance.shape[0]
    for available in (problem.available, np.eye(m, dtype=bool)[0], np.zeros(m, dtype=bool)):
        scores = config(performance, problem.weights, problem.benefit, available)
        assert np.all(np.isfinite(scores))
        assert np.all(scores[~available] == 0.0)
    everywhere = np.full_like(performance, constant)
    assert np.all(np.isfinite(config(everywhere, problem.weights, problem.benefit)))


@pytest.mark.parametrize("normalisation", NORMALISATIONS)
@SETTINGS
@given(problem=problems(min_available=1), data=st.data())
def test_weighted_sum_raising_a_benefit_value_never_lowers_the_score(
    normalisation: str, problem: Problem, data: st.DataObject
) -> None:
    assume(problem.benefit.any())
    i = data.draw(st.sampled_from(np.flatnonzero(problem.available).tolist()))
    j = data.draw(st.sampled_from(np.flatnonzero(problem.benefit).tolist()))
    raised = problem.performance.copy()
    raised[i, j] = data.draw(st.floats(raised[i, j], 1.0))
    before = weighted_sum(problem.performance, problem.weights, problem.benefit,
                          problem.available, normalisation=normalisation)
    after = weighted_sum(raised, problem.weights, problem.benefit, problem.available,
                         normalisation=normalisation)
    assert after[i] >= before[i] - TOL
    if normalisation == "none":  # absolute: nobody else moves, so the rank cannot drop
        others = np.arange(len(before)) != i
        np.testing.assert_array_equal(after[others], before[others])


@configs
def test_inputs_are_left_untouched_in_any_layout(config: Config) -> None:
    rng = np.random.default_rng(1)
    performance = np.asfortranarray(rng.uniform(0.05, 1.0, (4, 5, 3)))
    weights = rng.uniform(0.1, 1.0, (4, 3))
    benefit = np.array([True, False, True])
    available = rng.random((4, 5)) < 0.7
    copies = [a.copy() for a in (performance, weights, benefit, available)]
    for a in (performance, weights, benefit, available):
        a.setflags(write=False)
    scores = config(performance, weights, benefit, available)
    for original, copy in zip((performance, weights, benefit, available), copies, strict=True):
        np.testing.assert_array_equal(original, copy)
    contiguous = config(np.ascontiguousarray(performance), weights, benefit, available)
    np.testing.assert_allclose(scores, contiguous, rtol=0, atol=TOL)
    strided = config(np.repeat(performance, 2, axis=0)[::2], weights, benefit, available)
    np.testing.assert_allclose(scores, strided, rtol=0, atol=TOL)
