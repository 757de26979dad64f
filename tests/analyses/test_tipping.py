"""Tests of decision.analyses.tipping: every tipping point flips the outcome, none is missed."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from decision.analyses.common import top_and_availability
from decision.analyses.tipping import TippingPoint, tipping_points
from decision.core.compile import CompiledModel, ScenarioInputs
from decision.results import to_data
from decision.study.scenario import run_scenario
from tests.conftest import ROOT, needs_belarus
from tests.strategies import compile_dict, model_dicts, point_inputs

FloatArray = NDArray[np.float64]
R3, CONDITIONAL = "r3-ambassador-when-timely", "conditional-engagement"


def make_inputs(
    model: CompiledModel, values: FloatArray, method: dict[str, Any] | None = None
) -> ScenarioInputs:
    return point_inputs(model, values, method=method)


@st.composite
def random_case(draw: st.DrawFn) -> tuple[CompiledModel, FloatArray]:
    """A random model (with some continuous thresholds) and random point values."""
    model = compile_dict(draw(model_dicts()))
    values = np.array(
        [
            float(draw(st.booleans()))
            if model.is_boolean[k]
            else draw(st.floats(float(model.low[k]), float(model.high[k])))
            for k in range(len(model.indicators))
        ]
    )
    return model, values


def state(
    model: CompiledModel, inputs: ScenarioInputs, k: int, points: FloatArray
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Top option and availability with indicator k at each of ``points``."""
    rows = np.repeat(inputs.values[None, :], points.size, axis=0)
    rows[:, k] = points
    return top_and_availability(model, inputs, rows)


def changed_at(
    model: CompiledModel, inputs: ScenarioInputs, point: TippingPoint, points: FloatArray
) -> NDArray[np.bool_]:
    """Whether the outcome the tipping point is about differs from the scenario's."""
    k = model.indicators.index(point.indicator)
    tops, avail = state(model, inputs, k, points)
    top0, avail0 = state(model, inputs, k, inputs.values[k : k + 1])
    if point.kind == "top changes":
        moved: NDArray[np.bool_] = tops != top0[0]
        return moved
    o = model.options.index(point.option or "")
    result: NDArray[np.bool_] = avail[:, o] != avail0[0, o]
    return result


def check_tipping(model: CompiledModel, inputs: ScenarioInputs) -> None:
    result = tipping_points(model, inputs)
    json.dumps(to_data(result))
    for item in result.indicators:
        k = model.indicators.index(item.indicator)
        x0, span = float(inputs.values[k]), float(model.high[k] - model.low[k])
        for point in item.points:
            sign = 1.0 if point.direction == "up" else -1.0
            if point.boolean:
                assert point.value == 1.0 - x0
                assert changed_at(model, inputs, point, np.array([point.value]))[0]
                continue
            assert model.low[k] <= point.value <= model.high[k]
            assert sign * (point.value - x0) >= 0
            delta = 1e-6 * span
            beyond = np.clip(point.value + sign * delta, model.low[k], model.high[k])
            # just beyond it the outcome has changed ...
            assert changed_at(model, inputs, point, np.array([beyond]))[0], point
            # ... and nowhere between the scenario value and just before it
            if sign * (point.value - x0) > delta:
                before = np.linspace(x0, point.value - sign * delta, 401)
                assert not changed_at(model, inputs, point, before).any(), point
        # completeness: a change seen by a coarse independent scan is reported, no further
        if item.boolean:
            continue
        for direction, end in (("up", model.high[k]), ("down", model.low[k])):
            scan = np.linspace(x0, end, 301)[1:]
            # a change at a single value (an exact tie at a threshold) is not a tipping point:
            # count a change only if it holds a little further on too
            further = np.clip(scan + np.sign(end - x0) * 1e-6 * span, model.low[k], model.high[k])
            tops, avail = state(model, inputs, k, scan)
            tops2, avail2 = state(model, inputs, k, further)
            top0, avail0 = state(model, inputs, k, np.array([x0]))
            points = item.up if direction == "up" else item.down
            kinds: list[tuple[NDArray[np.bool_], str, str | None]] = [
                ((tops != top0[0]) & (tops2 != top0[0]), "top changes", None)
            ]
            kinds += [
                (
                    (avail[:, o] != avail0[0, o]) & (avail2[:, o] != avail0[0, o]),
                    "becomes unavailable" if avail0[0, o] else "becomes available",
                    name,
                )
                for o, name in enumerate(model.options)
            ]
            for moved, kind, option in kinds:
                found = [
                    p for p in points if p.kind == kind and (option is None or p.option == option)
                ]
                if moved.any():
                    first = abs(float(scan[int(np.argmax(moved))]) - x0)
                    assert len(found) == 1, (item.indicator, direction, kind, option)
                    assert abs(found[0].value - x0) <= first + 1e-9 * span
                else:
                    # a change that reverts between two coarse points may still be reported
                    assert len(found) <= 1


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_case())
def test_every_tipping_point_flips_the_outcome(case: tuple[CompiledModel, FloatArray]) -> None:
    model, values = case
    check_tipping(model, make_inputs(model, values))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_case(), st.sampled_from(["topsis", "wpm", "promethee"]))
def test_tipping_points_under_other_methods(
    case: tuple[CompiledModel, FloatArray], method: str
) -> None:
    model, values = case
    check_tipping(model, make_inputs(model, values, {"name": method}))


def _toy() -> CompiledModel:
    """Two options on one criterion; 'b' needs x >= 4 and wins above x = 6."""
    data = {
        "id": "toy",
        "title": "toy",
        "source": {"title": "t", "author": "a", "publisher": "p", "year": 2000},
        "indicators": {
            "x": {"description": "d", "min": 0, "max": 10, "baseline": 2},
            "flag": {"description": "d", "type": "boolean", "baseline": True},
        },
        "criteria": {"c": {"description": "d", "weight": 1, "rationale": "r"}},
        "options": {
            "a": {
                "title": "a",
                "recommendation": "R",
                "performance": {"c": {"value": 0.5, "rationale": "r"}},
            },
            "b": {
                "title": "b",
                "recommendation": "R",
                "preconditions": [{"when": "x >= 4 and flag", "reason": "r"}],
                "performance": {"c": {"value": 0.3, "rationale": "r", "effects": {"x": 0.5}}},
            },
        },
    }
    return compile_dict(data)


def test_toy_thresholds_are_exact_and_worded() -> None:
    model = _toy()
    result = tipping_points(model, make_inputs(model, model.baseline.copy()))
    x = result.indicator("x")
    assert [(p.kind, p.option, p.exact) for p in x.up] == [
        ("becomes available", "b", True),
        ("top changes", "b", False),
    ]
    assert x.up[0].value == 4.0
    # b: 0.3 + 0.5 (x - 2) / 10 > 0.5  <=>  x > 6
    assert x.up[1].value == pytest.approx(6.0, abs=1e-8)
    assert x.up[1].previous == "a"
    assert x.up[0].sentence() == "b becomes available when x rises above 4"
    assert x.up[1].sentence().startswith("b replaces a as the top option when x rises above 6")
    assert x.summary("down") == ["none within range"]
    # the boolean cannot open b on its own (x = 2 < 4); from x = 7 its flip closes b
    assert result.indicator("flag").points == ()
    values = model.baseline.copy()
    values[0] = 7.0
    flipped = tipping_points(model, make_inputs(model, values)).indicator("flag").down
    assert {(p.kind, p.option) for p in flipped} == {
        ("becomes unavailable", "b"),
        ("top changes", "a"),
    }
    assert all(p.value == 0.0 and p.exact for p in flipped)
    assert any(s.endswith("when flag becomes false") for s in map(TippingPoint.sentence, flipped))


@needs_belarus
def test_belarus_gated_options_tip_along_their_preconditions() -> None:
    base = run_scenario(ROOT / "scenarios" / "baseline.yaml")
    model, inputs = base.model, base.inputs
    assert model is not None and inputs is not None
    result = tipping_points(model, inputs)
    check_tipping(model, inputs)
    json.dumps(to_data(result))
    # R3's ambassador part opens when civil society access reaches its threshold
    opens = [
        p
        for p in result.indicator("civil_society_access").up
        if p.kind == "becomes available" and p.option == R3
    ]
    assert len(opens) == 1 and opens[0].value == 0.5 and opens[0].exact
    assert opens[0].sentence() == (
        f"{R3} becomes available when civil_society_access rises above 0.5"
    )
    # conditional engagement needs two things at once (prisoners released AND press rank < 153):
    # one indicator moved alone cannot open it in the baseline ...
    assert not [p for p in result.points if p.option == CONDITIONAL]
    # ... but with one condition met, the other indicator opens it at its threshold
    k_pris = model.indicators.index("political_prisoners_released")
    k_press = model.indicators.index("press_freedom_rank")
    values = inputs.values.copy()
    values[k_pris] = 1.0
    released = tipping_points(model, dataclasses.replace(inputs, values=values))
    down = [
        p
        for p in released.indicator("press_freedom_rank").down
        if p.kind == "becomes available" and p.option == CONDITIONAL
    ]
    assert len(down) == 1 and down[0].value == 153.0 and down[0].exact
    values = inputs.values.copy()
    values[k_press] = 110.0
    freer = tipping_points(model, dataclasses.replace(inputs, values=values))
    flip = [
        p
        for p in freer.indicator("political_prisoners_released").up
        if p.kind == "becomes available" and p.option == CONDITIONAL
    ]
    assert len(flip) == 1 and flip[0].boolean
    # where both hold, each indicator closes it again
    opened = run_scenario(ROOT / "scenarios" / "human-rights-improvement.yaml")
    closes = tipping_points(opened.model, opened.inputs)
    for name in ("press_freedom_rank", "political_prisoners_released"):
        assert any(
            p.kind == "becomes unavailable" and p.option == CONDITIONAL
            for p in closes.indicator(name).points
        ), name
