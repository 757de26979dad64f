"""Tests of decision.analyses.assumptions: known answers, properties, and the batch against
one-at-a-time evaluations."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision.analyses import assumptions as assumptions_module
from decision.analyses.assumptions import (
    POINT_GAP,
    RELATIVE_BAND,
    VALUE_BAND,
    AssumptionsRegister,
    assumptions,
)
from decision.analyses.portfolio.problem import portfolio
from decision.core.engine import evaluate_arrays
from decision.results import to_data
from decision.study.scenario import run_scenario
from tests.conftest import ROOT, needs_belarus
from tests.generated import traced_peak, write_wide_model
from tests.strategies import compile_dict, model_dicts, point_inputs

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))


def two_options(**changes: Any) -> dict[str, Any]:
    """Two options on two criteria. ``a`` leads ``b`` by 0.1 on ``c1`` alone; the gap is a
    judgement of ``a`` with a wide range (0.3-0.9), every other number a narrow one."""
    data: dict[str, Any] = {
        "id": "known",
        "title": "Known answers",
        "source": {"title": "t", "author": "a", "publisher": "p", "year": 2000},
        "indicators": {"x": {"description": "d", "min": 0, "max": 10, "baseline": 5}},
        "criteria": {
            "c1": {"description": "d", "weight": 1, "rationale": "r"},
            "c2": {"description": "d", "weight": 1, "rationale": "r"},
        },
        "options": {
            "a": {
                "title": "A",
                "recommendation": "R1",
                "performance": {
                    "c1": {"value": 0.6, "low": 0.3, "high": 0.9, "rationale": "wide"},
                    "c2": {"value": 0.5, "low": 0.5, "high": 0.5, "rationale": "fixed"},
                },
            },
            "b": {
                "title": "B",
                "recommendation": "R2",
                "performance": {
                    "c1": {"value": 0.4, "low": 0.39, "high": 0.41, "rationale": "narrow"},
                    "c2": {"value": 0.5, "low": 0.49, "high": 0.51, "rationale": "narrow"},
                },
            },
        },
    }
    data.update(changes)
    return data


def register_of(data: dict[str, Any], values: Any = None) -> AssumptionsRegister:
    model = compile_dict(data)
    return assumptions(model, point_inputs(model, model.baseline if values is None else values))


def test_the_dominant_judgement_comes_first_and_flips_the_top() -> None:
    register = register_of(two_options())
    assert register.measure == "lead" and register.top == "a"
    assert register.lead == pytest.approx(0.1)  # (0.6 + 0.5 - 0.4 - 0.5) / 2
    first = register.rows[0]
    assert first.key_path == "options.a.performance.c1.value"
    assert (first.low, first.high, first.range) == (0.3, 0.9, "given")
    # at 0.3, a scores 0.4 against b's 0.45: lead -0.05; at 0.9 the lead is 0.25
    assert first.lead_low == pytest.approx(-0.05) and first.lead_high == pytest.approx(0.25)
    assert first.influence == pytest.approx(0.15)
    assert first.flips_top
    assert [(c.end, c.top) for c in first.changes] == [("low", "b")]
    assert all(not r.flips_top for r in register.rows[1:])
    assert register.rows[0].influence > max(r.influence for r in register.rows[1:])


def test_a_judgement_with_a_zero_range_has_no_influence() -> None:
    register = register_of(two_options())
    assert "options.a.performance.c2.value" in register.unmoved
    with pytest.raises(KeyError):
        register.row("options.a.performance.c2.value")


def test_a_point_judgement_takes_the_default_band() -> None:
    data = two_options()
    del data["options"]["a"]["performance"]["c1"]["low"]
    del data["options"]["a"]["performance"]["c1"]["high"]
    row = register_of(data).row("options.a.performance.c1.value")
    assert row.range == "default"
    assert (row.low, row.high) == pytest.approx((0.6 - VALUE_BAND, 0.6 + VALUE_BAND))
    weight = register_of(data).row("criteria.c1.weight")
    assert (weight.low, weight.high) == pytest.approx((1 - RELATIVE_BAND, 1 + RELATIVE_BAND))


def test_from_the_source_numbers_are_not_listed() -> None:
    data = two_options(evidence={"fact": {"locator": "¶1", "figures": ["0.6"], "claim": "c"}})
    perf = data["options"]["a"]["performance"]["c1"]
    del perf["low"], perf["high"]
    perf["evidence"] = ["fact"]
    register = register_of(data)
    paths = {r.key_path for r in register.rows} | set(register.unmoved)
    assert "options.a.performance.c1.value" not in paths
    assert "options.b.performance.c1.value" in paths


def test_a_baseline_moves_the_world_and_a_threshold_the_gate() -> None:
    data = two_options()
    data["options"]["b"]["preconditions"] = [{"when": "x >= 6", "reason": "gate"}]
    data["options"]["b"]["performance"]["c1"].update(value=0.9, low=0.9, high=0.9)
    register = register_of(data)
    assert register.top == "a"  # b is gated: x is 5
    threshold = register.row("options.b.preconditions[0].when")
    assert (threshold.low, threshold.high) == (3.5, 8.5)  # a quarter of 0-10 either way
    assert threshold.flips_top and [(c.end, c.top) for c in threshold.changes] == [("low", "b")]
    baseline = register.row("indicators.x.baseline")
    assert (baseline.low, baseline.high) == (2.5, 7.5)
    assert [(c.end, c.top) for c in baseline.changes] == [("high", "b")]
    # a scenario that sets x leaves the baseline out of force
    set_here = register_of(data, [6.0])
    assert "indicators.x.baseline" not in {r.key_path for r in set_here.rows}
    assert "indicators.x.baseline" not in set_here.unmoved


def test_rows_match_one_at_a_time_evaluation() -> None:
    data = two_options()
    data["options"]["a"]["performance"]["c2"]["effects"] = {"x": 0.4}
    model = compile_dict(data)
    values = np.array([7.5])
    register = assumptions(model, point_inputs(model, values))
    row = register.row("options.a.performance.c2.effects.x")
    for end, lead in ((row.low, row.lead_low), (row.high, row.lead_high)):
        changed = copy.deepcopy(data)
        changed["options"]["a"]["performance"]["c2"]["effects"]["x"] = end
        other = compile_dict(changed)
        scores = evaluate_arrays(other, values[None, :], other.weights).scores[0]
        assert lead == pytest.approx(scores[0] - scores[1], abs=1e-12)


def test_value_function_points_match_the_number_changed_in_the_file() -> None:
    """Each x and dv of a value function is a row (or unmoved); at both ends the lead is what
    the model gives with that number written in its place, and the moved points still load."""
    data = two_options()
    points = [[0, -0.2], [4, 0.0], [6, 0.1], [10, 0.3]]
    data["options"]["a"]["performance"]["c2"]["effects"] = {"x": {"points": points}}
    model = compile_dict(data)
    values = np.array([7.0])
    register = assumptions(model, point_inputs(model, values))
    prefix = "options.a.performance.c2.effects.x.points"
    keys = [f"{prefix}[{k}][{j}]" for k in range(4) for j in (0, 1)]
    listed = {r.key_path for r in register.rows} | set(register.unmoved)
    assert set(keys) <= listed
    moved = [register.row(key) for key in keys if key not in register.unmoved]
    # the points around 7 (x of points 2 and 3, and their dv) move the effect there
    assert {r.key_path for r in moved} >= {f"{prefix}[2][1]", f"{prefix}[3][1]",
                                           f"{prefix}[2][0]", f"{prefix}[3][0]"}
    x2 = register.row(f"{prefix}[2][0]")
    # a quarter of 0-10 either way, short of point 1's x (4) below
    assert (x2.low, x2.high) == pytest.approx((4 + POINT_GAP * 10, 8.5), abs=1e-12)
    x3 = register.row(f"{prefix}[3][0]")
    assert x3.high == 10 and x3.low == pytest.approx(7.5)  # within the range
    x1 = f"{prefix}[1][0]"
    row1 = register.row(x1) if x1 not in register.unmoved else None
    assert row1 is None or row1.low > 0  # short of point 0's x
    for row in moved:
        k, j = int(row.key_path[-5]), int(row.key_path[-2])
        assert row.kind == "effect" and row.range == "default"
        for end, lead in ((row.low, row.lead_low), (row.high, row.lead_high)):
            changed = copy.deepcopy(data)
            changed["options"]["a"]["performance"]["c2"]["effects"]["x"]["points"][k][j] = end
            other = compile_dict(changed)
            scores = evaluate_arrays(other, values[None, :], other.weights).scores[0]
            assert lead == pytest.approx(scores[0] - scores[1], abs=1e-12), row.key_path


@needs_belarus
def test_package_value_matches_the_portfolio_analysis() -> None:
    run = run_scenario(ROOT / "scenarios" / "baseline.yaml", samples=1)
    register = assumptions(run.model, run.inputs)
    bundle = portfolio(run.model, run.inputs)
    assert register.package == bundle.best.members
    assert register.package_value == pytest.approx(bundle.best.value, abs=1e-12)
    assert register.measure == "package value"
    influence = [r.influence for r in register.rows]
    assert influence == sorted(influence, reverse=True)
    json.dumps(to_data(register))


@given(data=model_dicts(min_options=2, max_options=5), seed=st.integers(0, 2**16))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_influence_does_not_depend_on_option_order(data: dict[str, Any], seed: int) -> None:
    for option in data["options"].values():
        for perf in option["performance"].values():
            perf["low"] = max(0.0, round(perf["value"] - 0.2, 4))
            perf["high"] = min(1.0, round(perf["value"] + 0.2, 4))
    names = list(data["options"])
    shuffled = copy.deepcopy(data)
    order = np.random.default_rng(seed).permutation(len(names))
    shuffled["options"] = {names[k]: data["options"][names[k]] for k in order}
    first, second = register_of(data), register_of(shuffled)
    # ties between options are broken by model order, so compare only where the top is clear
    if first.top != second.top or abs(first.lead) < 1e-9:
        return
    assert {r.key_path for r in first.rows} == {r.key_path for r in second.rows}
    for row in first.rows:
        other = second.row(row.key_path)
        assert other.influence == pytest.approx(row.influence, abs=1e-9)
        if min(abs(row.lead_low), abs(row.lead_high)) > 1e-9:  # no tie at either end
            assert other.flips_top == row.flips_top
    assert set(first.unmoved) == set(second.unmoved)


@given(data=model_dicts(min_options=2, max_options=4))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_zero_ranges_have_zero_influence(data: dict[str, Any]) -> None:
    """Every performance value pinned (low = high = value): none of them moves anything."""
    for option in data["options"].values():
        for perf in option["performance"].values():
            perf["low"] = perf["high"] = perf["value"]
    register = register_of(data)
    assert not any(r.kind == "performance" for r in register.rows)
    assert all(r.influence >= 0 for r in register.rows)


def test_each_scenario_keeps_its_own_judgements_of_a_shared_model() -> None:
    """The model's judgements are worked out once per spec; which baselines and weights are
    in force stays each scenario's own (a perspective's weights, an indicator it sets)."""
    import dataclasses

    from decision.analyses import assumptions as module

    data = two_options(perspectives={"p": {"description": "d", "weights": {"c1": 3, "c2": 1}}})
    shared = compile_dict(data)
    cases = [
        (None, shared.baseline),
        ("p", shared.baseline),
        (None, np.array([7.0])),  # the scenario sets x: its baseline is not in force
        (None, shared.baseline),
    ]

    def register(model: Any, perspective: str | None, values: Any) -> dict[str, Any]:
        inputs = point_inputs(model, values)
        if perspective is not None:
            inputs = dataclasses.replace(
                inputs, perspective=perspective, weights=model.perspectives[perspective]
            )
        return dict(to_data(assumptions(model, inputs)))

    kept = [register(shared, p, v) for p, v in cases]
    assert id(shared.spec) in module._MODEL_ITEMS
    fresh = [register(compile_dict(data), p, v) for p, v in cases]  # a new spec each time
    assert kept == fresh
    paths = [{r["key_path"] for r in k["rows"]} | set(k["unmoved"]) for k in kept]
    assert "perspectives.p.weights.c1" in paths[1] and "perspectives.p.weights.c1" not in paths[0]
    assert "criteria.c1.weight" in paths[0] and "criteria.c1.weight" not in paths[1]
    assert "indicators.x.baseline" in paths[0] and "indicators.x.baseline" not in paths[2]
    assert paths[3] == paths[0]


def test_a_scenario_file_rewritten_is_read_again(tmp_path: Any) -> None:
    from tests.generated import MINI

    for name in ("model.yaml", "base.yaml"):
        (tmp_path / name).write_text((MINI / name).read_text())
    scenario = tmp_path / "own.yaml"

    def weight_in_register(weight: int, mtime_ns: int) -> float:
        scenario.write_text(
            f"id: own\ntitle: Own\nextends: base\nweights: {{security: {weight}}}\n"
        )
        os.utime(scenario, ns=(mtime_ns, mtime_ns))
        run = run_scenario(scenario, samples=1)
        register = assumptions(run.model, run.inputs)
        rows = [r for r in register.rows if r.key_path == "weights.security"]
        unmoved = "weights.security" in register.unmoved
        assert len(rows) + unmoved == 1
        return rows[0].value if rows else float(weight)

    assert weight_in_register(3, 10**18) == 3
    assert weight_in_register(4, 10**18) == 4  # the same size and time, other content
    assert weight_in_register(5, 2 * 10**18) == 5


def _same_outcomes(model: Any, inputs: Any, monkeypatch: pytest.MonkeyPatch, rows: int) -> None:
    """The register's raw outcomes, and the register, with batches of ``rows`` rows are
    exactly those of one batch of every row."""
    items = assumptions_module.judgements(model, inputs)
    whole = assumptions_module._evaluate(model, inputs, items)
    register = assumptions(model, inputs)
    row_bytes = 8 * len(model.options) * len(model.criteria)
    with monkeypatch.context() as patch:
        patch.setattr(assumptions_module, "BATCH_BYTES", rows * row_bytes)
        batched = assumptions_module._evaluate(model, inputs, items)
        assert assumptions(model, inputs) == register
    assert np.array_equal(batched.lead, whole.lead)
    assert np.array_equal(batched.top, whole.top)
    assert (batched.package_value is None) == (whole.package_value is None)
    if whole.package_value is not None:
        assert np.array_equal(batched.package_value, whole.package_value)
        assert np.array_equal(batched.package_mask, whole.package_mask)
    assert batched.package_names == whole.package_names


@needs_belarus
def test_batches_of_judgement_ends_give_the_same_register(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 22: three rows a batch (splitting each kind of judgement, thresholds and the
    package's costs and budgets included) give the one-batch register exactly."""
    run = run_scenario(ROOT / "scenarios" / "baseline.yaml", samples=1)
    kinds = {item.kind for item in assumptions_module.judgements(run.model, run.inputs)}
    assert {"performance", "threshold", "weight", "cost", "budget"} <= kinds
    _same_outcomes(run.model, run.inputs, monkeypatch, 3)


@given(
    data=model_dicts(min_options=2, max_options=5),
    rows=st.integers(1, 6),
    method=st.sampled_from(["wsm", "topsis", "vikor", "promethee"]),
)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_the_register_does_not_depend_on_the_batch(
    data: dict[str, Any], rows: int, method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = compile_dict(data)
    inputs = point_inputs(model, model.baseline, method={"name": method})
    _same_outcomes(model, inputs, monkeypatch, rows)


def test_memory_grows_with_options_not_their_square(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22: two rows per judgement made one (1 + 2 x judgements, options, criteria)
    batch: 7,007 x 1,000 x 3 on a 1,000-option model, over 1 GiB of address space in
    `compare`. Batched, the peak stays near the batch size."""
    run = run_scenario(write_wide_model(tmp_path, 400))
    monkeypatch.setattr(assumptions_module, "BATCH_BYTES", 2**20)
    assumptions(run.model, run.inputs)  # the model's judgements, worked out once per spec
    register, peak = traced_peak(lambda: assumptions(run.model, run.inputs))
    assert register.considered > 2 * 400 and register.rows
    # one batch of all its rows held 23 MB per (rows, options, criteria) array
    assert peak < 16 * 2**20, peak
