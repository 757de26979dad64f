"""Success likelihoods in the analyses: the tornado's bars, the assumptions register's rows
and the sampled portfolio problem all move or draw them, and each agrees with re-evaluating
the model with the likelihood changed in the file."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from decision.analyses.assumptions import assumptions
from decision.analyses.portfolio.problem import portfolio_problem
from decision.analyses.tornado import tornado
from decision.core.engine import contributions, evaluate_arrays, state
from decision.uncertainty.sampling import block_drawer, draw_range, weight_model
from tests.analyses.test_assumptions import two_options
from tests.strategies import compile_dict, point_inputs


def with_reference(**likelihood: Any) -> dict[str, Any]:
    """``two_options`` plus a reference option ``r`` (0.2 and 0.3) and a likelihood on ``a``."""
    data = two_options()
    data["options"]["r"] = {
        "title": "R",
        "recommendation": "not in the brief",
        "reference": True,
        "performance": {
            "c1": {"value": 0.2, "rationale": "r"},
            "c2": {"value": 0.3, "rationale": "r"},
        },
    }
    data["options"]["a"]["likelihood"] = {"rationale": "chancy", **likelihood}
    return data


def scores_with(data: dict[str, Any], values: np.ndarray) -> np.ndarray:
    model = compile_dict(data)
    return evaluate_arrays(model, values[None, :], model.weights).scores[0]


def test_tornado_bar_is_the_score_at_each_end() -> None:
    data = with_reference(value=0.5, low=0.2, high=0.9)
    model = compile_dict(data)
    chart = tornado(model, point_inputs(model, model.baseline), top=3)
    bar = next(b for b in chart.option("a").bars if b.input == "a:likelihood")
    assert bar.kind == "likelihood" and (bar.low, bar.high) == (0.2, 0.9)
    for end, score in ((0.2, bar.score_low), (0.9, bar.score_high)):
        changed = copy.deepcopy(data)
        changed["options"]["a"]["likelihood"].update(value=end, low=end, high=end)
        assert score == pytest.approx(scores_with(changed, model.baseline)[0], abs=1e-12)
    assert bar.swing > 0
    # an option's likelihood moves no other option's score under WSM: no bar for it there
    assert all(b.input != "a:likelihood" for b in chart.option("b").bars)


def test_register_moves_the_probability_its_effect_and_its_failure_case() -> None:
    data = with_reference(value=0.5, effects={"x": 0.4}, if_failure={"c2": 0.1})
    model = compile_dict(data)
    values = np.array([7.5])  # x a quarter of its range above the baseline 5
    register = assumptions(model, point_inputs(model, values))
    value = register.row("options.a.likelihood.value")
    assert value.kind == "likelihood" and value.range == "default"
    assert (value.low, value.high) == pytest.approx((0.25, 0.75))
    effect = register.row("options.a.likelihood.effects.x")
    failure = register.row("options.a.likelihood.if_failure.c2")
    assert failure.kind == "failure"
    for row, change in (
        (value, lambda lk, end: lk.update(value=end)),
        (effect, lambda lk, end: lk["effects"].update(x=end)),
        (failure, lambda lk, end: lk["if_failure"].update(c2=end)),
    ):
        for end, lead in ((row.low, row.lead_low), (row.high, row.lead_high)):
            changed = copy.deepcopy(data)
            change(changed["options"]["a"]["likelihood"], end)
            scores = scores_with(changed, values)
            top = model.options.index(register.top or "")
            best_other = max(v for k, v in enumerate(scores) if k != top)
            assert lead == pytest.approx(scores[top] - best_other, abs=1e-12), row.key_path


def test_an_effect_at_the_baseline_moves_nothing() -> None:
    data = with_reference(value=0.5, effects={"x": 0.4})
    register = assumptions(compile_dict(data), point_inputs(compile_dict(data), np.array([5.0])))
    assert "options.a.likelihood.effects.x" in register.unmoved


def test_sampled_portfolio_draws_the_likelihoods() -> None:
    """The sampled bundle problem's option values are those of the Monte Carlo run's own
    draws of indicators, judgements, weights and likelihoods."""
    data = with_reference(value=0.5, low=0.1, high=0.9)
    model = compile_dict(data)
    inputs = point_inputs(model, model.baseline)
    from dataclasses import replace

    inputs = replace(inputs, samples=200, seed=7)
    problem, names, _, _ = portfolio_problem(model, inputs)
    draw = block_drawer(model, inputs, weight_model(model, inputs), likelihood=True)
    values, judgement, weights, likelihood = draw_range(inputs.seed, 0, 200, draw)
    assert np.ptp(likelihood) > 0.1
    perf, _ = state(model, values, judgement, likelihood)
    totals = contributions(perf, weights, model.benefit).sum(axis=-1)
    reference = model.options.index("r")
    expected = totals - totals[:, reference : reference + 1]
    columns = [model.options.index(n) for n in names]
    np.testing.assert_allclose(problem.values, expected[:, columns], rtol=0, atol=1e-12)
