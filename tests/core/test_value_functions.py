"""Piecewise-linear value functions: an effect ``{points: [[x, dv], ...]}`` adds
``f(x) - f(baseline)`` to a performance, ``f`` linear between the points and constant beyond
the ends; two points through the ends of the range are the linear effect."""

from __future__ import annotations

import copy
import os
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.analyses.assumptions import assumptions
from decision.core.compile import CompiledModel
from decision.core.engine import _COLUMN_SAMPLES, evaluate_arrays, success_performance
from decision.files.yamlio import Document
from decision.load.provenance import classify, model_entries
from decision.specs.model import PerformanceSpec
from decision.study.explain import explain_option
from decision.study.scenario import run_scenario
from tests.core.test_likelihood import MINI, _values
from tests.strategies import compile_dict, model_dicts

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
PROFILE = settings(max_examples=EXAMPLES, deadline=None)
#: Batch sizes that take each layout of the engine (sample-minor, then column by column).
BATCHES = st.sampled_from([1, 5, _COLUMN_SAMPLES + 3])


def _range(indicator: dict[str, Any]) -> tuple[float, float, float]:
    """An indicator dict's low, high and baseline (booleans: 0, 1, 0 or 1)."""
    if indicator.get("type") == "boolean":
        return 0.0, 1.0, float(indicator["baseline"])
    return float(indicator["min"]), float(indicator["max"]), float(indicator["baseline"])


def _as_two_points(data: dict[str, Any]) -> dict[str, Any]:
    """The same model with every linear effect ``e`` written as the two-point value function
    ``[[low, -e (b - low) / range], [high, e (high - b) / range]]``."""
    twin = copy.deepcopy(data)
    for option in twin["options"].values():
        for perf in option["performance"].values():
            for name, e in list(perf["effects"].items()):
                low, high, b = _range(twin["indicators"][name])
                span = high - low
                perf["effects"][name] = {
                    "points": [[low, -e * (b - low) / span], [high, e * (high - b) / span]]
                }
    return twin


@st.composite
def piecewise_models(draw: st.DrawFn) -> dict[str, Any]:
    """A random model whose effects are value functions of 2 to 5 points (booleans: at 0
    and 1), some points inside the range so the function is constant beyond its ends."""
    data = copy.deepcopy(draw(model_dicts()))
    dv = st.floats(-1, 1).map(lambda v: round(v, 4))
    for option in data["options"].values():
        for perf in option["performance"].values():
            for name in list(perf["effects"]):
                if data["indicators"][name].get("type") == "boolean":
                    xs = [0, 1]
                else:
                    xs = sorted(draw(st.lists(st.integers(0, 10), min_size=2, max_size=5,
                                              unique=True)))
                perf["effects"][name] = {"points": [[x, draw(dv)] for x in xs]}
    return data


def _interpolate(points: list[list[float]], x: float) -> float:
    """``f(x)`` written out: the end values beyond the ends, linear between points."""
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in pairwise(points):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def _by_hand(model: CompiledModel, values: np.ndarray) -> np.ndarray:
    """The formula, sample by sample and entry by entry."""
    spec = model.spec
    s = values.shape[0]
    out = np.empty((s, len(model.options), len(model.criteria)))
    for k in range(s):
        for o, option in enumerate(model.options):
            for c, criterion in enumerate(model.criteria):
                perf = spec.options[option].performance[criterion]
                v = perf.value
                for name, effect in perf.effects.items():
                    i = model.indicators.index(name)
                    assert not isinstance(effect, float)
                    v += _interpolate(effect.points, values[k, i])
                    v -= _interpolate(effect.points, model.baseline[i])
                out[k, o, c] = min(max(v, 0.0), 1.0)
    return out


@PROFILE
@given(model_dicts(), st.integers(0, 2**32 - 1), BATCHES)
def test_two_points_are_the_linear_effect(data: dict[str, Any], seed: int, s: int) -> None:
    linear, piecewise = compile_dict(data), compile_dict(_as_two_points(data))
    assert not linear.value_functions
    assert not piecewise.effects.any()
    values = _values(linear, np.random.default_rng(seed).random((s, len(linear.indicators))))
    np.testing.assert_allclose(
        success_performance(piecewise, values),
        success_performance(linear, values),
        rtol=0,
        atol=1e-12,
    )


@PROFILE
@given(piecewise_models(), st.integers(0, 2**32 - 1), st.integers(1, 9))
def test_performance_is_the_formula(data: dict[str, Any], seed: int, s: int) -> None:
    model = compile_dict(data)
    values = _values(model, np.random.default_rng(seed).random((s, len(model.indicators))))
    # values beyond the points too: the function is constant there
    perf = success_performance(model, values)
    np.testing.assert_allclose(perf, _by_hand(model, values), rtol=0, atol=1e-12)


@PROFILE
@given(piecewise_models())
def test_at_baseline_the_functions_do_nothing(data: dict[str, Any]) -> None:
    """Exactly: the function's value at the baseline is subtracted from itself."""
    model = compile_dict(data)
    values = np.repeat(model.baseline[None, :], 3, axis=0)
    expected = np.broadcast_to(np.clip(model.judgement, 0, 1), (3, *model.judgement.shape))
    np.testing.assert_array_equal(success_performance(model, values), expected)


@PROFILE
@given(piecewise_models(), st.integers(0, 2**32 - 1), BATCHES)
def test_batch_equals_loop(data: dict[str, Any], seed: int, s: int) -> None:
    """A sample's result does not depend on the samples evaluated beside it, in either
    layout of the engine."""
    model = compile_dict(data)
    values = _values(model, np.random.default_rng(seed).random((s, len(model.indicators))))
    batch = evaluate_arrays(model, values, model.weights)
    for k in sorted({0, s // 2, s - 1}):
        one = evaluate_arrays(model, values[k : k + 1], model.weights)
        np.testing.assert_array_equal(batch.performance[k : k + 1], one.performance)
        np.testing.assert_array_equal(batch.scores[k : k + 1], one.scores)


def test_number_keys_name_each_point() -> None:
    perf = PerformanceSpec.model_validate(
        {
            "value": 0.5,
            "rationale": "r",
            "effects": {"a": 0.2, "b": {"points": [[0, 0.1], [3, -0.2]]}},
            "provenance": {"judgement": ["effects.b.points[1][1]"]},
        }
    )
    assert perf.number_keys() == [
        "value", "effects.a", "effects.b.points[0][0]", "effects.b.points[0][1]",
        "effects.b.points[1][0]", "effects.b.points[1][1]",
    ]


# ---------------------------------------------------------------------------- the mini model

#: act's security effect of access (baseline 0.2) as a value function: f(0.2) = -0.02,
#: f(0.7) = -0.24, so at access 0.7 the effect is -0.22.
FUNCTION = "{points: [[0, 0.1], [0.5, -0.2], [1, -0.3]]}"


def _mini(folder: Path, rights: str = "") -> Path:
    """The mini model with FUNCTION on act's security, and ``rights`` added to act's rights
    entry; returns the folder's ``open.yaml`` (access 0.7)."""
    text = (MINI / "model.yaml").read_text()
    text = text.replace("effects: {access: -0.2}", f"effects: {{access: {FUNCTION}}}", 1)
    text = text.replace("rationale: Little for rights.}", f"rationale: Little.{rights}}}", 1)
    (folder / "model.yaml").write_text(text)
    for name in ("base.yaml", "open.yaml"):
        (folder / name).write_text((MINI / name).read_text())
    return folder / "open.yaml"


def test_known_answer_and_explain(tmp_path: Path) -> None:
    run = run_scenario(_mini(tmp_path))
    security = explain_option(run, "act").criteria[0]
    (line,) = security.effects
    assert line.effect is None and line.points == [[0, 0.1], [0.5, -0.2], [1, -0.3]]
    assert abs(line.shift - (-0.22)) < 1e-12
    assert abs(security.performance - (0.7 - 0.22)) < 1e-12
    at_base = explain_option(run_scenario(tmp_path / "base.yaml"), "act").criteria[0]
    assert at_base.effects[0].shift == 0.0 and at_base.performance == 0.7


def test_provenance_and_register(tmp_path: Path) -> None:
    """Each point's numbers are classified at their own key path (a point matching a cited
    figure is from the source); the assumptions register lists the points' judgements (not
    the number from the source)."""
    rights = (
        ", effects: {rank: {points: [[12, 0.1], [60, 0]]}}, evidence: [fact-a], "
        "provenance: {source: ['effects.rank.points[0][0]']}"
    )
    run = run_scenario(_mini(tmp_path, rights))
    spec = run.model.spec
    found = {
        n.key_path: n.kind
        for n in classify(model_entries(spec), spec, Document(run.model.path, None))
    }
    rights_path = "options.act.performance.rights.effects.rank.points"
    assert found[f"{rights_path}[0][0]"] == "source"
    assert found[f"{rights_path}[1][0]"] == "judgement"
    assert found["options.act.performance.security.effects.access.points[2][1]"] == "judgement"
    register = assumptions(run.model, run.inputs)
    listed = [row.key_path for row in register.rows] + register.unmoved
    assert "options.act.performance.security.value" in listed
    points = {key for key in listed if ".points[" in key}
    assert f"{rights_path}[0][0]" not in points  # from the source
    assert {f"{rights_path}[1][0]", f"{rights_path}[0][1]",
            "options.act.performance.security.effects.access.points[2][1]"} <= points
