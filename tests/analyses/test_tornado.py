"""Tests of decision.analyses.tornado: bars agree with one-at-a-time evaluations, sorted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from decision.analyses import tornado as tornado_module
from decision.analyses.tornado import Tornado, tornado
from decision.core.compile import CompiledModel, ScenarioInputs
from decision.core.engine import evaluate_arrays
from decision.results import to_data
from decision.study.scenario import run_scenario
from tests.conftest import ROOT, needs_belarus
from tests.generated import traced_peak, write_wide_model
from tests.strategies import compile_dict, model_dicts, point_inputs

FloatArray = NDArray[np.float64]


def make_inputs(
    model: CompiledModel, values: FloatArray, method: dict[str, Any] | None = None
) -> ScenarioInputs:
    return point_inputs(model, values, method=method)


@st.composite
def judgement_ranges(draw: st.DrawFn) -> dict[str, Any]:
    """A random model whose judgements have uncertainty ranges."""
    data = draw(model_dicts())
    for option in data["options"].values():
        for perf in option["performance"].values():
            lo, hi = sorted([draw(st.floats(0, 1)), draw(st.floats(0, 1))])
            perf["low"], perf["high"] = min(lo, perf["value"]), max(hi, perf["value"])
    return data


def check_bars(model: CompiledModel, inputs: ScenarioInputs, result: Tornado, top: int) -> None:
    """Every bar against a direct evaluation of its two ends; sorted; the right options."""
    point = evaluate_arrays(
        model, inputs.values[None, :], inputs.weights, inputs.method.name, inputs.method.params()
    )
    ranks = point.ranks[0]
    assert [o.option for o in result.options] == [model.options[o] for o in np.argsort(ranks)[:top]]
    json.dumps(to_data(result))
    for item in result.options:
        o = model.options.index(item.option)
        assert item.rank == ranks[o] and item.score == point.scores[0, o]
        swings = [b.swing for b in item.bars]
        assert swings == sorted(swings, reverse=True)
        indicators = {b.input for b in item.bars if b.kind == "indicator"}
        assert indicators == set(model.indicators)
        own = {
            f"{item.option}:{model.criteria[c]}"
            for c in range(len(model.criteria))
            if model.judgement_high[o, c] > model.judgement_low[o, c]
        }
        assert own <= {b.input for b in item.bars if b.kind == "judgement"}
        for bar in item.bars:
            for end, score, avail in (
                (bar.low, bar.score_low, bar.available_low),
                (bar.high, bar.score_high, bar.available_high),
            ):
                values = inputs.values.copy()
                judgement = model.judgement.copy()
                likelihood = None
                if bar.kind == "indicator":
                    values[model.indicators.index(bar.input)] = end
                elif bar.kind == "likelihood":
                    chances = model.likelihoods
                    assert chances is not None
                    likelihood = chances.value.copy()
                    position = model.options.index(bar.input.split(":")[0])
                    likelihood[chances.options.tolist().index(position)] = end
                else:
                    opt, crit = bar.input.split(":")
                    judgement[model.options.index(opt), model.criteria.index(crit)] = end
                ev = evaluate_arrays(
                    model,
                    values[None, :],
                    inputs.weights,
                    inputs.method.name,
                    inputs.method.params(),
                    judgement,
                    likelihood,
                )
                assert score == pytest.approx(ev.scores[0, o], abs=1e-12)
                assert avail == ev.available[0, o]
            assert bar.swing == abs(bar.score_high - bar.score_low)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(judgement_ranges(), st.integers(1, 4), st.sampled_from(["wsm", "topsis"]))
def test_bars_match_direct_evaluation(data: dict[str, Any], top: int, method: str) -> None:
    model = compile_dict(data)
    inputs = make_inputs(model, model.baseline.copy(), {"name": method})
    check_bars(model, inputs, tornado(model, inputs, top=top), top)


@needs_belarus
def test_belarus_tornado() -> None:
    result = run_scenario(ROOT / "scenarios" / "baseline.yaml")
    model, inputs = result.model, result.inputs
    assert model is not None and inputs is not None
    bars = tornado(model, inputs)
    check_bars(model, inputs, bars, 3)
    assert bars.options[0].option == result.result.top.id
    # under the weighted sum other options' judgements cannot move an option's score, except
    # the reference option's: it is what an option with a likelihood achieves if it fails
    reference = model.options[model.reference or 0]
    for item in bars.options:
        assert all(
            b.input.startswith((item.option + ":", reference + ":"))
            for b in item.bars
            if b.kind == "judgement"
        )
        assert item.bars[0].swing > 0


@needs_belarus
def test_batches_of_bar_ends_give_the_same_tornado(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bar ends evaluated a few rows at a time (batches that split indicators, judgements and
    likelihoods) give the one-batch result exactly."""
    result = run_scenario(ROOT / "scenarios" / "baseline.yaml")
    model, inputs = result.model, result.inputs
    assert model is not None and inputs is not None
    whole = tornado(model, inputs)
    row = 8 * len(model.options) * len(model.criteria)
    monkeypatch.setattr(tornado_module, "BATCH_BYTES", 3 * row)  # three rows a batch
    assert tornado(model, inputs) == whole


def test_memory_grows_with_options_not_their_square(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22: two bar ends per judgement made one (2 x options x criteria, options,
    criteria) batch: 6,003 x 1,000 x 3 on a 1,000-option model, over 1 GiB of address space
    in `compare`. Batched, the peak stays near the batch size."""
    result = run_scenario(write_wide_model(tmp_path, 400))
    model, inputs = result.model, result.inputs
    assert model is not None and inputs is not None
    monkeypatch.setattr(tornado_module, "BATCH_BYTES", 2**20)
    bars, peak = traced_peak(lambda: tornado(model, inputs))
    assert len(bars.options) == 3 and len(bars.options[0].bars) >= 4
    # one batch of all 2,403 rows held 23 MB per (rows, options, criteria) array
    assert peak < 16 * 2**20, peak
