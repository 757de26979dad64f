"""Objective weights as a weight set: a perspective with ``objective: entropy|critic`` takes
the entropy or CRITIC weights of the model's baseline table, and every perspective comparison
shows both as a reference beside the elicited weights."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.analyses.perspectives import compare_perspectives
from decision.core.compile import baseline_table
from decision.core.engine import evaluate_arrays, state
from decision.core.methods.objective_weights import critic_weights, entropy_weights
from decision.core.weights import normalise_weights
from decision.study.scenario import run_scenario
from tests.core.test_likelihood import MINI, likely_models
from tests.strategies import compile_dict, point_inputs

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))


@settings(max_examples=EXAMPLES, deadline=None)
@given(likely_models())
def test_baseline_table_is_the_engine_at_the_baseline(data: dict[str, Any]) -> None:
    """Compiling computes the baseline table without the engine; it must be the engine's."""
    model = compile_dict(data)
    perf, available = baseline_table(model)
    engine_perf, engine_available = state(model, model.baseline[None, :])
    np.testing.assert_allclose(perf, engine_perf[0], rtol=0, atol=1e-15)
    np.testing.assert_array_equal(available, engine_available[0])


def _with_objective(folder: Path, kind: str) -> Path:
    text = (MINI / "model.yaml").read_text().replace(
        "perspectives:\n",
        f"perspectives:\n  data-driven:\n    description: What separates the options.\n"
        f"    objective: {kind}\n",
        1,
    )
    (folder / "model.yaml").write_text(text)
    for name in ("base.yaml", "open.yaml"):
        (folder / name).write_text((MINI / name).read_text())
    return folder / "base.yaml"


@pytest.mark.parametrize("kind", ["entropy", "critic"])
def test_an_objective_perspective_is_a_weight_set(tmp_path: Path, kind: str) -> None:
    base = _with_objective(tmp_path, kind)
    run = run_scenario(base, perspective="data-driven")
    model = run.model
    perf, available = state(model, model.baseline[None, :])
    expected = (
        entropy_weights(perf[0], available[0]) if kind == "entropy"
        else critic_weights(perf[0], model.benefit, available[0])
    )
    np.testing.assert_allclose(model.perspectives["data-driven"], expected, atol=1e-15)
    np.testing.assert_allclose(run.inputs.weights, expected, atol=1e-15)
    assert abs(float(np.sum(expected)) - 1.0) < 1e-12
    # the perspective keeps the file's order among the others
    assert list(model.perspectives) == ["data-driven", "rights-first"]
    ranked = evaluate_arrays(model, model.baseline[None, :], expected)
    assert run.result.top.id == model.options[int(np.argmin(ranked.ranks[0]))]


def test_the_comparison_shows_objective_references(tmp_path: Path) -> None:
    run = run_scenario(_with_objective(tmp_path, "entropy"))
    comparison = compare_perspectives(run.model, run.inputs)
    assert [r.name for r in comparison.objective] == ["entropy", "critic"]
    assert [r.name for r in comparison.rankings] == ["scenario", "data-driven", "rights-first"]
    model, inputs = run.model, run.inputs
    perf, available = state(model, inputs.values[None, :])
    for ranking, weights in zip(
        comparison.objective,
        (entropy_weights(perf[0], available[0]),
         critic_weights(perf[0], model.benefit, available[0])),
        strict=True,
    ):
        assert list(ranking.weights.values()) == pytest.approx(
            list(normalise_weights(weights)), abs=1e-12
        )
        scores = evaluate_arrays(model, inputs.values[None, :], weights).scores[0]
        assert list(ranking.scores.values()) == pytest.approx(list(scores), abs=1e-12)
    # the references do not count in whether the weight sets agree
    assert comparison.agree_on_top == (len({r.top for r in comparison.rankings}) == 1)


@settings(max_examples=EXAMPLES, deadline=None)
@given(likely_models(), st.sampled_from(["entropy", "critic"]))
def test_objective_weights_of_any_model_are_a_distribution(
    data: dict[str, Any], kind: str
) -> None:
    data = {**data, "perspectives": {"o": {"description": "d", "objective": kind}}}
    model = compile_dict(data)
    weights = model.perspectives["o"]
    assert np.all(weights >= 0) and abs(float(weights.sum()) - 1.0) < 1e-9
    assert compare_perspectives(model, point_inputs(model, model.baseline)).objective
