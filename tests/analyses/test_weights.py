"""Tests of decision.analyses.weights: weight paths, stability intervals and crossovers."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from decision.analyses import weights as weights_module
from decision.analyses.common import SECTIONS, refine
from decision.analyses.weights import (
    CriterionSensitivity,
    weight_paths,
    weight_sensitivity,
)
from decision.core.compile import CompiledModel, ScenarioInputs
from decision.core.engine import evaluate_arrays
from decision.results import to_data
from decision.specs import MethodChoice
from decision.study.scenario import run_scenario
from tests.conftest import ROOT, needs_belarus
from tests.generated import traced_peak, write_wide_model
from tests.strategies import compile_dict, model_dicts, point_inputs

FloatArray = NDArray[np.float64]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
TOPSIS = MethodChoice.model_validate({"name": "topsis"})


def make_inputs(
    model: CompiledModel,
    values: FloatArray | None = None,
    weights: FloatArray | None = None,
    method: dict[str, Any] | None = None,
) -> ScenarioInputs:
    return point_inputs(model, model.baseline if values is None else values, weights, method)


@st.composite
def random_case(draw: st.DrawFn) -> tuple[CompiledModel, FloatArray, FloatArray]:
    """A random model with random point values (within range) and random weights."""
    model = compile_dict(draw(model_dicts()))
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


def values_any_available(model: CompiledModel, inputs: ScenarioInputs) -> bool:
    return bool(evaluate_arrays(model, inputs.values[None, :], inputs.weights).available.any())


def ranks_along(
    model: CompiledModel, inputs: ScenarioInputs, criterion: int, t: FloatArray
) -> NDArray[np.int64]:
    """Brute force: the engine's ranks at every t of one criterion's path."""
    weights = weight_paths(inputs.weights, criterion, t)
    values = np.repeat(inputs.values[None, :], t.size, axis=0)
    ev = evaluate_arrays(model, values, weights, inputs.method.name, inputs.method.params())
    return ev.ranks


def check_against_scan(
    model: CompiledModel,
    inputs: ScenarioInputs,
    item: CriterionSensitivity,
    c: int,
    points: int,
    margin: float,
    linear: bool = True,
) -> None:
    """Dense scan: intervals hold inside, fail outside; every order flip is a crossover.

    Under the weighted sum scores are linear in the weight, so an order once lost never comes
    back and the whole outside fails; under other methods it can come back further along the
    path, so only the first scan point beyond each end of the interval must fail.
    """
    if len(model.criteria) == 1:  # nothing can move
        assert item.top_interval == item.ranking_interval == (0.0, 1.0)
        assert item.crossovers == ()
        return
    t = np.unique(np.concatenate([np.linspace(0, 1, points), [item.weight]]))
    ranks = ranks_along(model, inputs, c, t)
    avail = evaluate_arrays(model, inputs.values[None, :], inputs.weights).available[0]
    at = int(np.searchsorted(t, item.weight))
    top0 = int(np.argmin(ranks[at])) if avail.any() else -1
    assert item.top == (model.options[top0] if top0 >= 0 else None)
    same_top = np.argmin(ranks, axis=1) == top0 if avail.any() else np.ones(t.size, bool)
    same_rank = (ranks == ranks[at]).all(axis=1)
    for same, (lo, hi) in ((same_top, item.top_interval), (same_rank, item.ranking_interval)):
        assert lo - 1e-12 <= item.weight <= hi + 1e-12
        inside = (t > lo + margin) & (t < hi - margin)
        outside = (t < lo - margin) | (t > hi + margin)
        assert same[inside].all()
        if linear:
            assert not same[outside].any()
        else:
            above, below = np.flatnonzero(t > hi + margin), np.flatnonzero(t < lo - margin)
            assert not (above.size and same[above[0]])
            assert not (below.size and same[below[-1]])
    # every change of pairwise order between neighbouring scan points is a reported crossover
    live = np.flatnonzero(avail)
    names = {model.options[o]: o for o in live}
    for a_i, a in enumerate(live):
        for b in live[a_i + 1 :]:
            ahead = ranks[:, a] < ranks[:, b]
            flips = np.flatnonzero(ahead[1:] != ahead[:-1])
            crossings = [
                x
                for x in item.crossovers
                if {names.get(x.overtaking), names.get(x.overtaken)} == {a, b}
            ]
            for k in flips:
                assert any(t[k] - margin <= x.t <= t[k + 1] + margin for x in crossings), (
                    model.options[a],
                    model.options[b],
                    t[k],
                    t[k + 1],
                    crossings,
                )
                overtaking = b if ahead[k] else a
                assert any(
                    names[x.overtaking] == overtaking
                    for x in crossings
                    if t[k] - margin <= x.t <= t[k + 1] + margin
                )
            for x in crossings:
                if margin < x.t < 1 - margin:  # a tie exactly at an end may not flip the order
                    at_x = int(np.searchsorted(t, x.t))
                    window = ahead[max(at_x - 2, 0) : at_x + 2]
                    assert window.min() != window.max(), (x, t[at_x])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_case())
def test_closed_form_agrees_with_dense_scan(
    case: tuple[CompiledModel, FloatArray, FloatArray],
) -> None:
    model, values, weights = case
    inputs = make_inputs(model, values, weights)
    result = weight_sensitivity(model, inputs)
    assert result.exact
    for c, item in enumerate(result.criteria):
        check_against_scan(model, inputs, item, c, points=3001, margin=1e-9)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_case(), st.sampled_from(["topsis", "wpm"]))
def test_scan_and_bisection_agree_with_dense_scan(
    case: tuple[CompiledModel, FloatArray, FloatArray], method: str
) -> None:
    model, values, weights = case
    inputs = make_inputs(model, values, weights, {"name": method})
    result = weight_sensitivity(model, inputs)
    assert result.exact == (len(model.criteria) == 1 or not values_any_available(model, inputs))
    assert result.exact or result.tolerance == 1e-9
    for c, item in enumerate(result.criteria):
        if not noise_ties(model, inputs, c):
            check_against_scan(model, inputs, item, c, points=1001, margin=1e-8, linear=False)


def noise_ties(model: CompiledModel, inputs: ScenarioInputs, c: int) -> bool:
    """Whether rounding noise decides the order somewhere on criterion c's path.

    Relative methods are degenerate on many random models (0s and 1s): options tie exactly,
    over stretches or at scattered points, and where noise decides a regret or an ideal point
    (VIKOR) scores jump. Either way the order is decided by rounding noise, which no scan
    resolves: such paths are skipped (two or more ties to 1e-12 of one pair, or a jump of a
    score by more than 0.05 between neighbouring points of a 1,001-point scan).
    """
    if len(model.criteria) == 1:
        return False
    t = np.linspace(0, 1, 1001)
    weights = weight_paths(inputs.weights, c, t)
    ev = evaluate_arrays(
        model,
        np.repeat(inputs.values[None, :], t.size, axis=0),
        weights,
        inputs.method.name,
        inputs.method.params(),
    )
    live = np.flatnonzero(ev.available[0])
    s = ev.scores[:, live]
    close = np.abs(s[:, :, None] - s[:, None, :]) <= 1e-12
    close &= ~np.eye(live.size, dtype=bool)
    jumps = np.abs(np.diff(s[1:-1], axis=0)) > 0.05
    return bool((close.sum(axis=0) >= 2).any() or jumps.any())


def _two_criteria_model() -> CompiledModel:
    """a = (1, 0), b = (0, 1), c = (.6, .6) on two benefit criteria of equal weight."""
    perf = {"a": (1.0, 0.0), "b": (0.0, 1.0), "c": (0.6, 0.6)}
    data = {
        "id": "toy",
        "title": "toy",
        "source": {"title": "t", "author": "a", "publisher": "p", "year": 2000},
        "indicators": {"x": {"description": "d", "min": 0, "max": 1, "baseline": 0}},
        "criteria": {c: {"description": "d", "weight": 1, "rationale": "r"} for c in ("c0", "c1")},
        "options": {
            name: {
                "title": name,
                "recommendation": "R",
                "performance": {
                    f"c{k}": {"value": v, "rationale": "r"} for k, v in enumerate(values)
                },
            }
            for name, values in perf.items()
        },
    }
    return compile_dict(data)


def test_hand_computed_example() -> None:
    # along c0: a = t, b = 1 - t, c = 0.6; c is first for 0.4 < t < 0.6
    model = _two_criteria_model()
    result = weight_sensitivity(model, make_inputs(model))
    item = result.criterion("c0")
    assert item.weight == pytest.approx(0.5)
    assert item.top == "c"
    assert item.top_interval == pytest.approx((0.4, 0.6))
    assert item.ranking_interval == pytest.approx((0.5, 0.6))
    assert [(x.overtaking, x.overtaken) for x in item.crossovers] == [
        ("c", "b"),
        ("a", "b"),
        ("a", "c"),
    ]
    assert [x.t for x in item.crossovers] == pytest.approx([0.4, 0.5, 0.6])
    data = json.loads(json.dumps(to_data(result)))
    assert data["criteria"][0]["top_interval"] == [0.4, 0.6]


def test_scanned_method_finds_the_crossovers_to_tolerance() -> None:
    # minmax-normalised weighted sum is linear in the weights too, so it is exact
    model = _two_criteria_model()
    exact = weight_sensitivity(
        model, make_inputs(model, method={"name": "wsm", "normalisation": "minmax"})
    )
    assert exact.exact
    # weighted product with "none" on this model: a and b are vetoed by their zeros except at
    # the ends, so c stays first on (0, 1)
    scanned = weight_sensitivity(model, make_inputs(model, method={"name": "wpm"}))
    assert not scanned.exact and scanned.tolerance == 1e-9
    item = scanned.criterion("c0")
    assert item.top == "c"
    assert item.top_interval[0] < 1e-3 and item.top_interval[1] > 1 - 1e-3


def test_weight_paths() -> None:
    w = np.array([2.0, 1.0, 1.0])
    t = np.linspace(0, 1, 11)
    rows = weight_paths(w, 0, t)
    assert np.allclose(rows.sum(axis=1), 1.0)
    assert np.allclose(rows[:, 0], t)
    assert np.allclose(rows[:, 1], rows[:, 2])
    assert np.allclose(weight_paths(w, 0, np.array([0.5]))[0], w / w.sum())
    # the current weight is 1: the others share 1 - t equally (documented convention)
    rows = weight_paths(np.array([0.0, 3.0, 0.0]), 1, np.array([1.0, 0.4]))
    assert np.allclose(rows, np.array([[0, 1, 0], [0.3, 0.4, 0.3]]))


def test_equal_split_is_flagged() -> None:
    model = _two_criteria_model()
    result = weight_sensitivity(model, make_inputs(model, weights=np.array([1.0, 0.0])))
    c0 = result.criterion("c0")
    assert c0.equal_split and c0.top == "a"
    assert c0.top_interval == pytest.approx((0.6, 1.0))
    assert not result.criterion("c1").equal_split


def test_refine_finds_a_threshold() -> None:
    def changed(events: NDArray[np.int64], pts: FloatArray) -> NDArray[np.bool_]:
        # event 0 changes at and above 0.3; event 1 (searched downwards) below 0.7
        above = pts >= np.array([0.3, 0.7])[events][:, None]
        result: NDArray[np.bool_] = np.where((events == 0)[:, None], above, ~above)
        return result

    lo, hi = refine(np.array([0.0, 1.0]), np.array([1.0, 0.0]), changed, 1e-9)
    assert np.abs(hi - lo).max() <= 1e-9
    assert hi[0] == pytest.approx(0.3, abs=1e-9)
    assert lo[1] == pytest.approx(0.7, abs=1e-9)


@needs_belarus
def test_belarus_baseline_is_json_ready_and_consistent() -> None:
    result = run_scenario(ROOT / "scenarios" / "baseline.yaml")
    sens = weight_sensitivity(result.model, result.inputs)
    data = json.loads(json.dumps(to_data(sens)))
    assert data["exact"] is True
    assert len(data["criteria"]) == len(result.model.criteria)
    for c, item in enumerate(sens.criteria):
        assert item.top == result.result.top.id
        lo, hi = item.top_interval
        assert lo <= item.weight <= hi
        r_lo, r_hi = item.ranking_interval
        assert lo <= r_lo <= item.weight <= r_hi <= hi
        assert list(item.crossovers) == sorted(item.crossovers, key=lambda x: x.t)
        check_against_scan(result.model, result.inputs, item, c, points=2001, margin=1e-9)


def _batch_bytes(model: CompiledModel, events: int) -> int:
    """A batch of ``events`` bisected changes (their points scored at once), so that the scan's
    grid and the pairs' orders are split too."""
    return events * SECTIONS * 8 * len(model.options) * len(model.criteria)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    case=random_case(),
    method=st.sampled_from(["topsis", "vikor", "promethee"]),
    events=st.integers(1, 4),
)
def test_the_scan_does_not_depend_on_the_batch(
    case: tuple[CompiledModel, FloatArray, FloatArray],
    method: str,
    events: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 22: weight rows scored a few at a time give the one-batch result exactly."""
    model, values, weights = case
    inputs = make_inputs(model, values, weights, {"name": method})
    whole = weight_sensitivity(model, inputs)
    with monkeypatch.context() as patch:
        patch.setattr(weights_module, "BATCH_BYTES", _batch_bytes(model, events))
        assert weight_sensitivity(model, inputs) == whole


@needs_belarus
def test_batches_of_weight_rows_give_the_same_belarus_scan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = run_scenario(ROOT / "scenarios" / "baseline.yaml", samples=1, method=TOPSIS)
    whole = weight_sensitivity(run.model, run.inputs)
    assert any(item.crossovers for item in whole.criteria)
    monkeypatch.setattr(weights_module, "BATCH_BYTES", _batch_bytes(run.model, 3))
    assert weight_sensitivity(run.model, run.inputs) == whole


def test_memory_grows_with_options_not_their_cube(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22: every change on the weight paths (they grow with the pairs of options) was
    bisected in one batch of (changes x points, options, criteria) arrays: 85 MB on a
    40-option model under TOPSIS, 9.8 GB on 200 options. Batched, the peak stays near the
    batch size."""
    run = run_scenario(write_wide_model(tmp_path, 40), method=TOPSIS)
    monkeypatch.setattr(weights_module, "BATCH_BYTES", 2**20)
    result, peak = traced_peak(lambda: weight_sensitivity(run.model, run.inputs))
    assert not result.exact and sum(len(item.crossovers) for item in result.criteria) > 500
    assert peak < 24 * 2**20, peak
