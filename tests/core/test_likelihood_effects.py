"""A success likelihood that moves with the world: ``p = clip(value + sum_i e_i (x_i - b_i) /
range_i, 0, 1)``, the same convention as a performance's effects."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.core.engine import (
    evaluate_arrays,
    failure_performance,
    performance,
    success_likelihood,
    success_performance,
)
from decision.study.explain import explain_option
from decision.study.scenario import run_scenario
from tests.core.test_likelihood import MINI, _samples
from tests.strategies import compile_dict, model_dicts

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
PROFILE = settings(max_examples=EXAMPLES, deadline=None)


@st.composite
def moving_likelihood_models(draw: st.DrawFn) -> dict[str, Any]:
    """A random model whose first option is the reference and whose others may carry a
    likelihood with effects of some indicators."""
    data = copy.deepcopy(draw(model_dicts(min_options=2)))
    names = list(data["options"])
    data["options"][names[0]]["reference"] = True
    indicators = list(data["indicators"])
    for name in names[1:]:
        if draw(st.booleans()):
            moved = draw(st.lists(st.sampled_from(indicators), unique=True, min_size=1))
            data["options"][name]["likelihood"] = {
                "value": round(draw(st.floats(0, 1)), 4),
                "effects": {i: round(draw(st.floats(-1.5, 1.5)), 4) for i in moved},
                "rationale": "r",
            }
    return data


def _by_hand(model: Any, values: np.ndarray, drawn: np.ndarray) -> np.ndarray:
    """The formula, written out sample by sample and likelihood by likelihood."""
    out = np.empty_like(drawn)
    spec = model.spec
    for s in range(values.shape[0]):
        for k, o in enumerate(model.likelihoods.options):
            chance = spec.options[model.options[o]].likelihood
            p = drawn[s, k]
            for name, effect in chance.effects.items():
                i = model.indicators.index(name)
                p += effect * (values[s, i] - model.baseline[i]) / model.span[i]
            out[s, k] = min(max(p, 0.0), 1.0)
    return out


@PROFILE
@given(moving_likelihood_models(), st.integers(0, 2**32 - 1), st.integers(1, 9))
def test_probability_is_the_formula(data: dict[str, Any], seed: int, s: int) -> None:
    model = compile_dict(data)
    values, drawn = _samples(model, seed, s)
    if model.likelihoods is None:
        assert success_likelihood(model, values).shape == (s, 0)
        return
    p = success_likelihood(model, values, drawn)
    np.testing.assert_allclose(p, _by_hand(model, values, drawn), rtol=0, atol=1e-12)
    assert np.all((p >= 0.0) & (p <= 1.0))
    # the expected performance mixes success and failure with that probability
    success = success_performance(model, values)
    failure = failure_performance(model, success)
    rows = model.likelihoods.options
    mixed = np.clip(p[..., None] * success[:, rows] + (1 - p[..., None]) * failure, 0, 1)
    perf = performance(model, values, likelihood=drawn)
    np.testing.assert_allclose(perf[:, rows], mixed, rtol=0, atol=1e-12)


@PROFILE
@given(moving_likelihood_models(), st.integers(0, 2**32 - 1))
def test_at_baseline_the_effects_do_nothing(data: dict[str, Any], seed: int) -> None:
    model = compile_dict(data)
    values = np.repeat(model.baseline[None, :], 3, axis=0)
    _, drawn = _samples(model, seed, 3)
    np.testing.assert_array_equal(success_likelihood(model, values, drawn), drawn)


@PROFILE
@given(moving_likelihood_models(), st.integers(0, 2**32 - 1), st.integers(2, 12))
def test_batch_equals_loop(data: dict[str, Any], seed: int, s: int) -> None:
    """A sample's result does not depend on the samples evaluated beside it."""
    model = compile_dict(data)
    values, drawn = _samples(model, seed, s)
    chance = None if model.likelihoods is None else drawn
    batch = evaluate_arrays(model, values, model.weights, likelihood=chance)
    for k in range(s):
        one = evaluate_arrays(
            model, values[k : k + 1], model.weights,
            likelihood=None if chance is None else chance[k : k + 1],
        )
        np.testing.assert_array_equal(batch.scores[k : k + 1], one.scores)


def _mini_moving(folder: Path) -> Path:
    """The mini model with a likelihood on ``act`` that rises with ``access`` (0.4 at the
    baseline 0.2; +0.5 per whole 0-1 range)."""
    text = (Path(MINI) / "model.yaml").read_text().replace(
        "    recommendation: R1\n",
        "    recommendation: R1\n"
        "    likelihood:\n"
        "      value: 0.4\n"
        "      low: 0.2\n"
        "      high: 0.6\n"
        "      effects: {access: 0.5}\n"
        "      rationale: Easier with access.\n",
        1,
    )
    (folder / "model.yaml").write_text(text)
    for name in ("base.yaml", "open.yaml"):
        (folder / name).write_text((Path(MINI) / name).read_text())
    return folder / "base.yaml"


def test_known_answer_and_explain(tmp_path: Path) -> None:
    """With access at 0.8 (0.6 above its baseline), act succeeds with 0.4 + 0.5 * 0.6 = 0.7;
    ``explain`` shows that p and the mix it gives."""
    base = _mini_moving(tmp_path)
    opened = tmp_path / "opened.yaml"
    opened.write_text("id: opened\ntitle: Opened\nmodel: model.yaml\nindicators:\n  access: 0.8\n")
    run = run_scenario(opened)
    explanation = explain_option(run, "act")
    for line in explanation.criteria:
        part = line.likelihood
        assert part is not None
        assert abs(part.p - 0.7) < 1e-12
        assert abs(line.performance - (0.7 * part.success + 0.3 * part.failure)) < 1e-12
    at_base = explain_option(run_scenario(base), "act").criteria[0].likelihood
    assert at_base is not None and abs(at_base.p - 0.4) < 1e-12
