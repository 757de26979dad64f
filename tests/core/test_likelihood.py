"""Success likelihood: expected performance p * success + (1 - p) * failure, over random models.

The failure case is an option's ``if_failure`` where given, else the reference option's
performance in the same sample; options without a likelihood keep their performance exactly.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.core.compile import CompiledModel
from decision.core.engine import (
    evaluate_arrays,
    failure_performance,
    performance,
    success_performance,
)
from decision.study.explain import explain_option
from decision.study.scenario import run_scenario
from tests.strategies import compile_dict, model_dicts

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
PROFILE = settings(max_examples=EXAMPLES, deadline=None)
MINI = Path(__file__).resolve().parent.parent / "data" / "mini"


@st.composite
def likely_models(draw: st.DrawFn) -> dict[str, Any]:
    """A random model whose first option is the reference and some others carry a likelihood
    (a point value or a low..high range, some with ``if_failure`` on some criteria)."""
    data = copy.deepcopy(draw(model_dicts(min_options=2)))
    names = list(data["options"])
    data["options"][names[0]]["reference"] = True
    unit = st.floats(0, 1).map(lambda x: round(x, 4))
    for name in names[1:]:
        if draw(st.booleans()):
            value = draw(unit)
            likelihood: dict[str, Any] = {"value": value, "rationale": "r"}
            if draw(st.booleans()):
                likelihood["low"] = draw(st.floats(0, value))
                likelihood["high"] = draw(st.floats(value, 1))
            failing = draw(st.lists(st.sampled_from(list(data["criteria"])), unique=True))
            likelihood["if_failure"] = {c: draw(unit) for c in failing}
            data["options"][name]["likelihood"] = likelihood
    return data


def _values(model: CompiledModel, u: np.ndarray) -> np.ndarray:
    """Indicator values ``(s, i)`` within range from uniforms ``u (s, i)``."""
    raw = model.low + (model.high - model.low) * u
    return np.where(model.is_boolean, np.round(raw), raw)


def _samples(model: CompiledModel, seed: int, s: int) -> tuple[np.ndarray, np.ndarray]:
    """``s`` random indicator values and likelihoods."""
    rng = np.random.default_rng(seed)
    likely = 0 if model.likelihoods is None else model.likelihoods.options.size
    return _values(model, rng.random((s, len(model.indicators)))), rng.random((s, likely))


@PROFILE
@given(likely_models(), st.integers(0, 2**32 - 1), st.sampled_from([0.0, 1.0]))
def test_certain_success_and_certain_failure(data: dict[str, Any], seed: int, p: float) -> None:
    """p = 1 gives the success performance, p = 0 the failure one, exactly; options without
    a likelihood keep their own performance whatever the others' p."""
    model = compile_dict(data)
    values, likelihood = _samples(model, seed, 5)
    likelihood[:] = p
    success = success_performance(model, values)
    perf = performance(model, values, likelihood=likelihood)
    if model.likelihoods is None:
        np.testing.assert_array_equal(perf, success)
        return
    rows = model.likelihoods.options
    plain = np.setdiff1d(np.arange(len(model.options)), rows)
    np.testing.assert_array_equal(perf[:, plain], success[:, plain])
    expected = success[:, rows] if p == 1.0 else failure_performance(model, success)
    np.testing.assert_array_equal(perf[:, rows], expected)


@PROFILE
@given(likely_models(), st.integers(0, 2**32 - 1), st.floats(0, 1), st.floats(0, 1))
def test_monotone_in_the_likelihood(
    data: dict[str, Any], seed: int, p: float, q: float
) -> None:
    """A higher p moves each performance towards its success value: up where success is above
    failure, down where below."""
    model = compile_dict(data)
    if model.likelihoods is None:
        return
    values, _ = _samples(model, seed, 4)
    low, high = min(p, q), max(p, q)
    rows = model.likelihoods.options
    success = success_performance(model, values)[:, rows]
    failure = failure_performance(model, success_performance(model, values))
    at_low = performance(model, values, likelihood=np.full(rows.size, low))[:, rows]
    at_high = performance(model, values, likelihood=np.full(rows.size, high))[:, rows]
    tolerance = 1e-12
    up = success > failure
    assert np.all(at_high[up] >= at_low[up] - tolerance)
    assert np.all(at_high[~up] <= at_low[~up] + tolerance)
    # and the result lies between the two outcomes
    assert np.all(at_low >= np.minimum(success, failure) - tolerance)
    assert np.all(at_low <= np.maximum(success, failure) + tolerance)


@PROFILE
@given(likely_models(), st.integers(0, 2**32 - 1), st.integers(1, 12))
def test_batch_equals_loop(data: dict[str, Any], seed: int, s: int) -> None:
    """Evaluating samples together gives, sample by sample, what evaluating each alone does."""
    model = compile_dict(data)
    values, likelihood = _samples(model, seed, s)
    chance = None if model.likelihoods is None else likelihood
    batch = evaluate_arrays(model, values, model.weights, likelihood=chance)
    for k in range(s):
        one = evaluate_arrays(
            model,
            values[k : k + 1],
            model.weights,
            likelihood=None if chance is None else chance[k : k + 1],
        )
        np.testing.assert_array_equal(batch.performance[k : k + 1], one.performance)
        np.testing.assert_array_equal(batch.scores[k : k + 1], one.scores)


@PROFILE
@given(likely_models(), st.integers(0, 2**32 - 1))
def test_point_likelihood_is_the_default(data: dict[str, Any], seed: int) -> None:
    """Without sampled likelihoods the engine uses each option's point value."""
    model = compile_dict(data)
    values, _ = _samples(model, seed, 3)
    point = None if model.likelihoods is None else model.likelihoods.value
    np.testing.assert_array_equal(
        performance(model, values), performance(model, values, likelihood=point)
    )


def _mini_with_likelihood(folder: Path) -> Path:
    """The mini model with a likelihood on ``act`` (failing to the reference on security and
    to its own 0.1 on rights); returns the base scenario."""
    text = (MINI / "model.yaml").read_text()
    text = text.replace(
        "    recommendation: R1\n",
        "    recommendation: R1\n"
        "    likelihood:\n"
        "      value: 0.4\n"
        "      low: 0.2\n"
        "      high: 0.6\n"
        "      if_failure: {rights: 0.1}\n"
        "      rationale: Hard to pull off.\n",
        1,
    )
    (folder / "model.yaml").write_text(text)
    for name in ("base.yaml", "open.yaml"):
        (folder / name).write_text((MINI / name).read_text())
    return folder / "base.yaml"


def test_known_answer(tmp_path: Path) -> None:
    """At the baseline (no indicator moved), act's performance is 0.4 of its judgement plus
    0.6 of the failure case: the reference option's judgement on security, 0.1 on rights."""
    run = run_scenario(_mini_with_likelihood(tmp_path))
    act, wait = run.result.option("act"), run.result.option("wait")
    security = 0.4 * 0.7 + 0.6 * wait.performance["security"]
    assert abs(act.performance["security"] - security) < 1e-12
    assert abs(act.performance["rights"] - (0.4 * 0.3 + 0.6 * 0.1)) < 1e-12
    weights = run.result.weights
    score = weights["security"] * act.performance["security"]
    score += weights["rights"] * act.performance["rights"]
    assert abs(act.score - score) < 1e-12
    # the reference option itself and the option without a likelihood are unchanged
    assert wait.performance == {"security": 0.5, "rights": 0.2}


def test_explain_shows_the_likelihood_part(tmp_path: Path) -> None:
    run = run_scenario(_mini_with_likelihood(tmp_path))
    explanation = explain_option(run, "act")
    for line in explanation.criteria:
        part = line.likelihood
        assert part is not None and part.p == 0.4
        mixed = part.p * part.success + (1 - part.p) * part.failure
        assert abs(line.performance - mixed) < 1e-12
    sources = {
        line.criterion: line.likelihood.failure_from
        for line in explanation.criteria
        if line.likelihood is not None
    }
    assert sources == {"security": "reference option 'wait'", "rights": "if_failure"}
    assert all(line.likelihood is None for line in explain_option(run, "engage").criteria)


def test_report_lists_the_likelihood_only_where_given(tmp_path: Path) -> None:
    """The report's option data carries a likelihood for the option that has one (checked
    against the document's types) and no likelihood key for the others."""
    import contextlib

    from decision.reports.data import report_data
    from decision.study.study import run_study

    _mini_with_likelihood(tmp_path)
    with contextlib.chdir(tmp_path):
        document = report_data(run_study(["base.yaml", "open.yaml"]))
    options = {info["id"]: info for info in document["options"]}
    assert options["act"].get("likelihood") == {
        "value": 0.4,
        "low": 0.2,
        "high": 0.6,
        "if_failure": {"rights": 0.1},
        "rationale": "Hard to pull off.",
    }
    assert "likelihood" not in options["engage"] and "likelihood" not in options["wait"]
