"""Hypothesis strategies that build valid decision models of random shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from decision.core.compile import CompiledModel, ScenarioInputs, compile_model
from decision.files.yamlio import Document
from decision.specs import ModelSpec
from decision.specs.resolved import LoadedModel

unit = st.floats(0.0, 1.0, allow_nan=False, allow_subnormal=False).map(lambda x: round(x, 6))


@st.composite
def model_dicts(
    draw: st.DrawFn, min_options: int = 2, max_options: int = 6, max_criteria: int = 5
) -> dict[str, Any]:
    """A valid model file as a dict: random options, criteria, indicators and preconditions."""
    n_opt = draw(st.integers(min_options, max_options))
    n_crit = draw(st.integers(1, max_criteria))
    n_ind = draw(st.integers(1, 3))
    indicators: dict[str, Any] = {}
    for i in range(n_ind):
        if draw(st.booleans()):
            indicators[f"x{i}"] = {
                "description": "d",
                "min": 0,
                "max": 10,
                "baseline": draw(st.integers(0, 10)),
            }
        else:
            indicators[f"x{i}"] = {
                "description": "d",
                "type": "boolean",
                "baseline": draw(st.booleans()),
            }
    criteria = {
        f"c{c}": {
            "description": "d",
            "weight": draw(st.floats(0.1, 10.0).map(lambda x: round(x, 4))),
            "rationale": "r",
        }
        for c in range(n_crit)
    }
    options: dict[str, Any] = {}
    for o in range(n_opt):
        performance = {}
        for c in range(n_crit):
            value = draw(unit)
            effects = {}
            if draw(st.booleans()):
                effects[f"x{draw(st.integers(0, n_ind - 1))}"] = draw(
                    st.floats(-0.5, 0.5).map(lambda x: round(x, 4))
                )
            performance[f"c{c}"] = {"value": value, "rationale": "r", "effects": effects}
        option: dict[str, Any] = {
            "title": f"Option {o}",
            "recommendation": "R",
            "performance": performance,
        }
        if draw(st.integers(0, 3)) == 0:
            name = f"x{draw(st.integers(0, n_ind - 1))}"
            if indicators[name].get("type") == "boolean":
                when = name if draw(st.booleans()) else f"not {name}"
            else:
                when = f"{name} >= {draw(st.integers(0, 10))}"
            option["preconditions"] = [{"when": when, "reason": "r"}]
        options[f"o{o}"] = option
    return {
        "id": "random",
        "title": "Random model",
        "source": {"title": "t", "author": "a", "publisher": "p", "year": 2000},
        "indicators": indicators,
        "criteria": criteria,
        "options": options,
    }


def compile_dict(data: dict[str, Any]) -> CompiledModel:
    """Validate and compile a model dict without a file."""
    spec = ModelSpec.model_validate(data)
    return compile_model(
        LoadedModel(path=Path("<memory>"), spec=spec, document=Document("<memory>", data))
    )


@st.composite
def scenario_dicts(draw: st.DrawFn, model: dict[str, Any]) -> dict[str, Any]:
    """A valid scenario for ``model``: exact values and distributions within range."""
    indicators: dict[str, Any] = {}
    for name, spec in model["indicators"].items():
        kind = draw(st.sampled_from(["skip", "exact", "dist"]))
        if kind == "skip":
            continue
        if spec.get("type") == "boolean":
            indicators[name] = (
                draw(st.booleans())
                if kind == "exact"
                else {"dist": "bernoulli", "p": draw(st.floats(0, 1).map(lambda x: round(x, 4)))}
            )
            continue
        low, high = spec["min"], spec["max"]
        a, mode, b = sorted(draw(st.lists(st.integers(low, high), min_size=3, max_size=3)))
        if kind == "exact":
            indicators[name] = a
        else:
            indicators[name] = draw(
                st.sampled_from(
                    [
                        {"dist": "uniform", "low": a, "high": b},
                        {"dist": "triangular", "low": a, "mode": mode, "high": b},
                        {"dist": "pert", "low": a, "mode": mode, "high": b},
                        {"dist": "normal", "mean": mode, "sd": 1 + (b - a) / 2},
                        {"dist": "choice", "values": [a, b]},
                    ]
                )
            )
    scenario: dict[str, Any] = {
        "id": "s",
        "title": "Scenario",
        "model": "model.yaml",
        "indicators": indicators,
        "samples": draw(st.sampled_from([1, 50, 300])),
        "seed": draw(st.integers(0, 2**31)),
    }
    if draw(st.booleans()):
        scenario["weight_uncertainty"] = draw(
            st.sampled_from(
                [
                    {"kind": "missing"},
                    {"kind": "ordinal", "ranking": list(model["criteria"])[:2]}
                    if len(model["criteria"]) >= 2
                    else {"kind": "missing"},
                ]
            )
        )
    if draw(st.booleans()):
        scenario["method"] = draw(
            st.sampled_from(
                [
                    {"name": "wsm"},
                    {"name": "topsis"},
                    {"name": "vikor", "v": 0.3},
                    {"name": "promethee"},
                    {"name": "wpm"},
                ]
            )
        )
    return scenario


def point_inputs(
    model: CompiledModel,
    values: Any,
    weights: Any = None,
    method: dict[str, Any] | None = None,
) -> ScenarioInputs:
    """Scenario inputs for a model built in memory: point values, weights (the model's by
    default) and a method (wsm by default); fields the analyses do not read are neutral."""
    import numpy as np

    from decision.specs import MethodChoice

    return ScenarioInputs(
        id="test",
        title="test",
        description=None,
        values=np.asarray(values, dtype=np.float64),
        settings={},
        weights=model.weights.copy() if weights is None else np.asarray(weights),
        weight_uncertainty=None,
        budgets={},
        perspective=None,
        method=MethodChoice.model_validate(method or {"name": "wsm"}),
        samples=1,
        seed=0,
        probability=None,
    )
