"""A rank-order (ROC/SMARTER) elicitation doubles as SMAA's ordinal weight constraints: a
scenario's ``weight_uncertainty: {kind: ordinal, ranking_from_elicitation: true}`` samples
weights in the elicitation's order; without an elicitation it is refused in one line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from decision.study.scenario import run_scenario
from decision.uncertainty.sampling import draw_weights, weight_model
from tests.conftest import DATA, CliResult

SCENARIO = (
    "id: ranked\ntitle: Ranked\nmodel: model.yaml\nsamples: 500\nseed: 3\n"
    "weight_uncertainty: {kind: ordinal, ranking_from_elicitation: true}\n"
)


def _mini(folder: Path, elicited: bool) -> Path:
    text = (DATA / "mini" / "model.yaml").read_text()
    if elicited:
        text = text.replace("    weight: 2\n", "").replace("    weight: 1\n", "")
        text = text.replace("perspectives:\n", "weight_elicitation: {method: roc, by: me, "
                            "rationale: R., ranking: [rights, security]}\nperspectives:\n", 1)
    (folder / "model.yaml").write_text(text)
    path = folder / "ranked.yaml"
    path.write_text(SCENARIO)
    return path


def test_the_elicited_order_constrains_the_sampled_weights(tmp_path: Path) -> None:
    run = run_scenario(_mini(tmp_path, elicited=True))
    uncertainty = run.inputs.weight_uncertainty
    assert uncertainty is not None and uncertainty.ranking == ["rights", "security"]
    w = draw_weights(weight_model(run.model, run.inputs), np.random.default_rng(0), 2000)
    rights, security = run.model.criteria.index("rights"), run.model.criteria.index("security")
    assert np.all(w[:, rights] >= w[:, security])
    assert w[:, rights].std() > 0.05  # sampled, not fixed at the ROC weights
    assert run.result.samples == 500


def test_without_an_elicitation_it_is_refused(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    path = _mini(tmp_path, elicited=False)
    result = run_cli("validate", str(path))
    assert result.status == 2
    line = result.err.strip().splitlines()[-1]
    assert "weight_uncertainty.ranking_from_elicitation" in line
    assert "records no weight elicitation" in line
    assert f"{path}:6:" in line


@pytest.mark.parametrize("extra", ["kind: exact, ranking_from_elicitation: true",
                                   "kind: ordinal, ranking: [rights, security], "
                                   "ranking_from_elicitation: true"])
def test_the_flag_goes_with_ordinal_and_no_ranking(
    tmp_path: Path, run_cli: Callable[..., CliResult], extra: str
) -> None:
    path = _mini(tmp_path, elicited=True)
    path.write_text(SCENARIO.replace(
        "{kind: ordinal, ranking_from_elicitation: true}", "{" + extra + "}"))
    result = run_cli("validate", str(path))
    assert result.status == 2
    assert "ranking_from_elicitation goes with kind 'ordinal'" in result.err
