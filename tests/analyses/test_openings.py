"""Openings of gated options: the joint move opens the option, and no condition is skipped."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.analyses.common import top_and_availability
from decision.analyses.openings import joint_moves, openings
from decision.study.scenario import run_scenario
from tests.conftest import ROOT
from tests.strategies import compile_dict, model_dicts, point_inputs


def test_baseline_gated_options_open_with_their_conditions() -> None:
    result = run_scenario(ROOT / "scenarios" / "baseline.yaml")
    found = {o.option: o for o in openings(result.model, result.inputs)}
    assert set(found) == {"r3-ambassador-when-timely", "conditional-engagement"}
    r3 = found["r3-ambassador-when-timely"]
    assert [(m.indicator, m.value_to) for m in r3.moves] == [("civil_society_access", 0.5)]
    conditional = found["conditional-engagement"]
    assert {m.indicator for m in conditional.moves} == {
        "political_prisoners_released",
        "press_freedom_rank",
    }
    assert all(o.opens for o in found.values())
    assert "becomes available when" in conditional.sentence()


@settings(max_examples=60, deadline=None)
@given(model_dicts(min_options=2), st.lists(st.floats(0, 1), min_size=3, max_size=3))
def test_every_opening_opens_and_each_move_is_needed(data: dict[str, Any], v: list[float]) -> None:
    model = compile_dict(data)
    raw = model.low + (model.high - model.low) * np.array(v[: len(model.indicators)])
    x0 = np.where(model.is_boolean, np.round(raw), raw)
    inputs = point_inputs(model, x0)
    for opening in openings(model, inputs):
        o = model.options.index(opening.option)
        target = x0.copy()
        for move in opening.moves:
            target[model.indicators.index(move.indicator)] = move.value_to
        _, available = top_and_availability(model, inputs, target[None, :])
        assert bool(available[0, o]) == opening.opens
        if opening.opens:
            for move in opening.moves:
                short = target.copy()
                short[model.indicators.index(move.indicator)] = move.value_from
                _, still = top_and_availability(model, inputs, short[None, :])
                assert not still[0, o], f"{move.indicator} did not need to move"


def test_a_strict_condition_is_stated_as_passing_its_threshold() -> None:
    """``x < 5`` from 5 is met only below 5: the sentence says "falls below 5", not "falls to
    5", and the move's end really opens the option."""
    from tests.analyses.test_assumptions import two_options

    data = two_options()
    data["options"]["b"]["preconditions"] = [{"when": "x < 5", "reason": "gate"}]
    model = compile_dict(data)
    (opening,) = openings(model, point_inputs(model, model.baseline))
    assert opening.opens and opening.moves[0].value_to < 5.0
    assert "x falls below 5 (from 5)" in opening.sentence()


@settings(max_examples=60, deadline=None)
@given(model_dicts(min_options=2), st.lists(st.floats(0, 1), min_size=3, max_size=3))
def test_joint_moves_are_the_openings_first_step(data: dict[str, Any], v: list[float]) -> None:
    """The plan's lean call: the same moves, conditions it cannot meet and state as the
    openings analysis, option by option or all at once."""
    model = compile_dict(data)
    raw = model.low + (model.high - model.low) * np.array(v[: len(model.indicators)])
    x0 = np.where(model.is_boolean, np.round(raw), raw)
    found = openings(model, point_inputs(model, x0))
    joints = joint_moves(model, x0)
    assert [model.options[j.option] for j in joints] == [o.option for o in found]
    for joint, opening in zip(joints, found, strict=True):
        assert joint.moves == opening.moves and joint.unmovable == opening.unmovable
        moved = x0.copy()
        for move in joint.moves:
            moved[model.indicators.index(move.indicator)] = move.value_to
        assert np.array_equal(joint.target, moved)
        (alone,) = joint_moves(model, x0, [joint.option])
        assert alone.moves == joint.moves and np.array_equal(alone.target, joint.target)
    available = [o for o in range(len(model.options)) if o not in {j.option for j in joints}]
    assert joint_moves(model, x0, available) == []


def test_a_threshold_beyond_the_range_cannot_be_reached() -> None:
    """``x > 10`` on a 0-10 indicator: no value within the range meets it, so the option does
    not open (the move stops at the range's end)."""
    from tests.analyses.test_assumptions import two_options

    data = two_options()
    data["options"]["b"]["preconditions"] = [{"when": "x > 10", "reason": "gate"}]
    model = compile_dict(data)
    (opening,) = openings(model, point_inputs(model, model.baseline))
    assert not opening.opens
    assert all(model.low[0] <= m.value_to <= model.high[0] for m in opening.moves)
