"""Tests of decision.analyses.perspectives: side-by-side rankings and minimal weight changes."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import decision
from decision.analyses.perspectives import (
    compare_perspectives,
    minimal_weight_change,
    value_matrix,
)
from decision.core.compile import CompiledModel, ScenarioInputs
from decision.core.engine import evaluate_arrays, rank
from decision.results import to_data
from decision.study.scenario import run_scenario
from tests.analyses.test_assumptions import two_options
from tests.conftest import ROOT, needs_belarus
from tests.strategies import compile_dict, model_dicts, point_inputs

FloatArray = NDArray[np.float64]


def make_inputs(
    model: CompiledModel,
    values: FloatArray,
    weights: FloatArray,
    method: dict[str, Any] | None = None,
) -> ScenarioInputs:
    return point_inputs(model, values, weights, method)


@st.composite
def random_case(draw: st.DrawFn) -> tuple[CompiledModel, FloatArray, FloatArray]:
    """A random model with perspectives, random point values and random weights."""
    data = draw(model_dicts())
    data["perspectives"] = {
        f"p{k}": {
            "description": "d",
            "weights": {
                c: draw(st.floats(0.1, 5.0).map(lambda x: round(x, 3))) for c in data["criteria"]
            },
        }
        for k in range(draw(st.integers(0, 3)))
    }
    model = compile_dict(data)
    values = np.array(
        [
            float(draw(st.booleans()))
            if model.is_boolean[k]
            else draw(st.floats(float(model.low[k]), float(model.high[k])))
            for k in range(len(model.indicators))
        ]
    )
    weights = np.array(
        [draw(st.floats(0.0, 1.0).map(lambda x: round(x, 3))) for _ in model.criteria]
    )
    if weights.sum() == 0:
        weights[0] = 1.0
    return model, values, weights


def simplex_samples(w0: FloatArray, seed: int, n: int = 4000) -> FloatArray:
    """Random weight vectors on the simplex: far (Dirichlet, vertices) and near w0 (mixtures)."""
    rng = np.random.default_rng(seed)
    far = rng.dirichlet(np.ones(w0.size), size=n)
    sparse = rng.dirichlet(np.full(w0.size, 0.2), size=n)
    lam = rng.uniform(0, 1, size=(n, 1)) ** 3
    near = (1 - lam) * w0 + lam * np.vstack([far, sparse])[:n]
    return np.vstack([far, sparse, near, np.eye(w0.size)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_case(), st.sampled_from(["wsm", "wsm-minmax", "topsis"]))
def test_minimal_weight_change_is_minimal(
    case: tuple[CompiledModel, FloatArray, FloatArray], method: str
) -> None:
    model, values, weights = case
    choice = (
        {"name": "wsm", "normalisation": "minmax"} if method == "wsm-minmax" else {"name": method}
    )
    inputs = make_inputs(model, values, weights, choice)
    result = compare_perspectives(model, inputs)
    json.dumps(to_data(result))
    n_values, available, basis = value_matrix(model, inputs)
    assert basis.startswith("wsm")
    w0 = weights / weights.sum()
    samples = simplex_samples(w0, seed=len(model.options) * 31 + len(model.criteria))
    sample_ranks = rank(
        samples @ n_values.T, np.broadcast_to(available, (len(samples), available.size))
    )
    distances = np.abs(samples - w0).sum(axis=1)
    first = int(np.argmin(rank((n_values @ w0)[None, :], available[None, :])[0]))
    listed = {w.option for w in result.what_to_believe}
    assert listed == {model.options[o] for o in np.flatnonzero(available) if o != first}
    sample_scores = samples @ n_values.T
    for change in result.what_to_believe:
        o = model.options.index(change.option)
        # a sample counts as a win when the option leads every other available one by more
        # than rounding: from an exact tie at w0, a sample a few ulps away can "win" by 1e-23
        others = np.where(available & (np.arange(available.size) != o), sample_scores, -np.inf)
        wins = (sample_ranks[:, o] == 1) & (sample_scores[:, o] - others.max(axis=1) > 1e-12)
        if not change.possible:
            assert not wins.any()
            continue
        assert change.weights is not None and change.distance is not None
        w = np.array([change.weights[c] for c in model.criteria])
        assert w.min() >= 0 and w.sum() == pytest.approx(1.0)
        assert change.distance == pytest.approx(np.abs(w - w0).sum(), abs=1e-12)
        # the new weights do make it first ...
        assert rank((n_values @ w)[None, :], available[None, :])[0, o] == 1
        if method == "wsm":
            ev = evaluate_arrays(model, values[None, :], w)
            assert ev.ranks[0, o] == 1
        # ... and no sampled smaller change does (up to the LP's winning margin: it asks for a
        # lead of at least 1e-9, raised up to 1e-6 when the engine's ranking needs it, so from
        # a tie a sample with a far smaller lead can sit that much closer)
        # a lead of m needs a weight change of up to 2 m / gap, gap being the smallest
        # non-zero difference between the option's values and another's on one criterion
        diffs = np.abs(n_values[o][None, :] - n_values[available])
        gap = float(diffs[diffs > 1e-12].min()) if np.any(diffs > 1e-12) else 1.0
        if wins.any():
            assert distances[wins].min() >= change.distance - max(1e-5, 4e-6 / gap)


def test_hand_computed_weight_change() -> None:
    values = np.array([[1.0, 0.0], [0.0, 1.0], [0.2, 0.2]])
    available = np.ones(3, dtype=bool)
    w0 = np.array([0.7, 0.3])
    found = minimal_weight_change(values, available, w0, 1)
    assert found is not None
    w, distance = found
    assert distance == pytest.approx(0.4, abs=1e-6)  # w1 must pass 0.5: 2 x (0.5 - 0.3)
    assert w[1] > 0.5
    assert minimal_weight_change(values, available, w0, 2) is None  # dominated by a mix
    # an unavailable rival does not count
    only = minimal_weight_change(values, np.array([False, True, True]), w0, 1)
    assert only is not None and only[1] == pytest.approx(0.0, abs=1e-12)


@needs_belarus
def test_belarus_perspectives() -> None:
    result = run_scenario(ROOT / "scenarios" / "baseline.yaml")
    model, inputs = result.model, result.inputs
    assert model is not None and inputs is not None
    comparison = compare_perspectives(model, inputs)
    data = json.loads(json.dumps(to_data(comparison)))
    assert [r["name"] for r in data["rankings"]] == ["scenario", *model.perspectives]
    assert comparison.tops["scenario"] == result.result.top.id
    for name in model.perspectives:
        assert (
            comparison.tops[name]
            == decision.evaluate(ROOT / "scenarios" / "baseline.yaml", perspective=name).top.id
        )
    assert comparison.agree_on_top == (len(set(comparison.tops.values())) == 1)
    gated = {"r3-ambassador-when-timely", "conditional-engagement"}
    listed = {w.option for w in comparison.what_to_believe}
    assert not listed & gated  # unavailable options are not candidates
    assert result.result.top.id not in listed
    assert all(
        w.possible and w.distance is not None and 0 < w.distance <= 2
        for w in comparison.what_to_believe
    )


def _two_by_two(perspectives: dict[str, Any]) -> tuple[CompiledModel, ScenarioInputs]:
    data = two_options()
    data["options"]["a"]["performance"]["c1"].update(value=1.0, low=1.0, high=1.0)
    data["options"]["a"]["performance"]["c2"].update(value=0.0, low=0.0, high=0.0)
    data["options"]["b"]["performance"]["c1"].update(value=0.0, low=0.0, high=0.0)
    data["options"]["b"]["performance"]["c2"].update(value=1.0, low=1.0, high=1.0)
    data["perspectives"] = perspectives
    model = compile_dict(data)
    return model, point_inputs(model, model.baseline)


def test_stakeholders_known_answer() -> None:
    """Option a is all c1 and b all c2; a perspective on c1 alone and one on c2 alone
    disagree completely (tau -1, each criterion's weight spread 1), and mixing their weights
    uniformly puts a first exactly when the c1 weight is above one half: in half the draws."""
    model, inputs = _two_by_two({
        "one": {"description": "d", "weights": {"c1": 1, "c2": 0}},
        "two": {"description": "d", "weights": {"c1": 0, "c2": 1}},
    })
    k = compare_perspectives(model, inputs).stakeholders
    assert k is not None and k.perspectives == ["one", "two"]
    (pair,) = k.pairs
    assert pair.kendall_tau == pytest.approx(-1.0) and not pair.same_top
    assert k.dividing == {"c1": pytest.approx(1.0), "c2": pytest.approx(1.0)}
    assert k.first_share == {"a": 0.5, "b": 0.5}
    # Dirichlet(1, 1) mixtures: the c1 weight is uniform on [0, 1]
    assert k.mixture_first["a"] == pytest.approx(0.5, abs=4 * (0.25 / k.mixtures) ** 0.5)
    assert k.mixture_first["a"] + k.mixture_first["b"] == pytest.approx(1.0)


def test_identical_stakeholders_agree_and_fewer_than_two_are_not_compared() -> None:
    same = {"description": "d", "weights": {"c1": 2, "c2": 1}}
    model, inputs = _two_by_two({"one": same, "two": dict(same)})
    k = compare_perspectives(model, inputs).stakeholders
    assert k is not None
    assert k.pairs[0].kendall_tau == pytest.approx(1.0) and k.pairs[0].same_top
    assert max(k.dividing.values()) == pytest.approx(0.0, abs=1e-12)
    assert k.mixture_first == k.first_share == {"a": 1.0, "b": 0.0}
    model, inputs = _two_by_two({"one": same})
    assert compare_perspectives(model, inputs).stakeholders is None
