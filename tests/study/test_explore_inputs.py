"""decision.study.explore_inputs: the explore command's and decision.explore's shared inputs."""

from __future__ import annotations

import pytest

from decision.errors import DecisionError
from decision.study.explore_inputs import explore_inputs, sensitivity_method
from tests.conftest import DATA

MINI = DATA / "mini"


@pytest.mark.parametrize(("method", "count", "chosen"), [
    ("auto", None, "auto"), ("auto", 64, "auto"), ("auto", 48, "morris"),
    ("sobol", 64, "sobol"), ("morris", 48, "morris"), ("none", 3, "none"),
])
def test_sensitivity_method(method: str, count: int | None, chosen: str) -> None:
    assert sensitivity_method(method, count) == chosen


def test_sobol_base_samples_must_be_a_power_of_two_named_as_the_caller_says() -> None:
    with pytest.raises(DecisionError) as error:
        sensitivity_method("sobol", 48)
    assert error.value.key_path == "sensitivity_samples"
    with pytest.raises(DecisionError) as error:
        sensitivity_method("sobol", 48, {"sensitivity_samples": "--sensitivity-samples"})
    assert error.value.key_path == "--sensitivity-samples"


def test_a_model_is_explored_at_its_baseline() -> None:
    model, inputs, satisficing = explore_inputs(str(MINI / "model.yaml"), 7, False)
    assert satisficing is None and inputs.seed == 7 and inputs.samples == 1
    assert (inputs.values == model.baseline).all()
    _, scenario, _ = explore_inputs(str(MINI / "base.yaml"), 7, False)
    assert scenario.id == "base" and scenario.seed == 7
