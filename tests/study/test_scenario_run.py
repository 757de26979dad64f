"""One scenario's run: a plain result beside what produced it; explanations from either."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from decision.errors import DecisionError
from decision.results import ScenarioResult, to_data
from decision.study.explain import explain_option
from decision.study.scenario import evaluate, run_scenario


def test_a_result_is_plain_data_and_the_run_holds_the_arrays(mini: Path) -> None:
    run = run_scenario(mini / "open.yaml", samples=200, seed=3)
    names = {f.name for f in dataclasses.fields(ScenarioResult)}
    assert not names & {"compiled", "inputs", "evaluation", "summary"}
    assert json.loads(json.dumps(run.result.to_dict())) == to_data(run.result)
    assert run.evaluation.scores.shape == (1, len(run.model.options))
    assert run.summary is not None and run.summary.n_samples == 200
    assert run.inputs.id == run.scenario == "open"
    assert evaluate(mini / "open.yaml", samples=200, seed=3) == run.result


def test_a_plain_result_is_explained_as_its_run_is(mini: Path) -> None:
    run = run_scenario(mini / "open.yaml")
    for option in run.model.options:
        from_run = explain_option(run, option)
        from_result = explain_option(run.result, option)
        assert to_data(from_result) == to_data(from_run)
        contributions = [line.contribution for line in from_run.criteria]
        assert np.isclose(sum(contributions), from_run.option.score) or not (
            from_run.option.available
        )


def test_a_result_whose_files_changed_is_not_explained(mini: Path) -> None:
    result = evaluate(mini / "open.yaml")
    scenario = mini / "open.yaml"
    scenario.write_text(scenario.read_text().replace("access: 0.7", "access: 0.9"))
    with pytest.raises(DecisionError, match="have changed since this result was computed"):
        explain_option(result, result.options[0].id)
