"""Tests of decision.analyses.common: the top option read from the scores is the ranking's."""

from __future__ import annotations

import copy
import os
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.analyses.common import top_of_state, top_option
from decision.core.engine import outcome, state
from decision.core.weights import normalise_weights
from tests.strategies import compile_dict, model_dicts, point_inputs

PROFILE = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None)
METHODS = [{"name": "wsm"}, {"name": "topsis"}, {"name": "vikor", "v": 0.3}, {"name": "promethee"}]


@PROFILE
@given(model_dicts(max_options=4), st.sampled_from(METHODS), st.data())
def test_top_of_state_is_the_first_ranked_available_option(
    data: dict[str, Any], method: dict[str, Any], pick: st.DataObject
) -> None:
    data = copy.deepcopy(data)
    # copies of options tie exactly: the tie rule (model order) decides
    for name in pick.draw(st.lists(st.sampled_from(list(data["options"])), unique=True)):
        data["options"][f"{name}-copy"] = copy.deepcopy(data["options"][name])
    model = compile_dict(data)
    rows = np.array(
        [
            [
                float(pick.draw(st.booleans())) if model.is_boolean[k]
                else pick.draw(st.integers(0, 10).map(float))
                for k in range(len(model.indicators))
            ]
            for _ in range(pick.draw(st.integers(1, 12)))
        ]
    )
    inputs = point_inputs(model, rows[0], method=method)
    perf, available = state(model, rows)
    _, ranks = outcome(
        model, perf, available, normalise_weights(inputs.weights), inputs.method.name,
        inputs.method_params,
    )
    np.testing.assert_array_equal(
        top_of_state(model, inputs, perf, available), top_option(ranks, available)
    )
