"""The Belarus model as a portfolio: costs, interactions, budgets and the best bundle."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

import decision
from decision.analyses.portfolio.enumerate import bundle_costs, bundle_feasible
from decision.analyses.portfolio.problem import portfolio, portfolio_problem
from decision.study.scenario import run_scenario
from tests.conftest import ROOT, CliResult

BASELINE = ROOT / "scenarios" / "baseline.yaml"


def test_model_declares_costs_and_interactions_with_rationales() -> None:
    spec = decision.load_model(ROOT / "models" / "belarus.yaml").spec
    assert spec.resources
    for name, option in spec.options.items():
        if not option.reference:
            assert set(option.costs) == set(spec.resources), name
    assert len(spec.interactions) >= 2
    for interaction in spec.interactions:
        assert len(interaction.rationale.split()) >= 8 and interaction.evidence


def test_best_bundle_respects_budgets_and_rules() -> None:
    result = run_scenario(BASELINE)
    problem, options, resources, budgets = portfolio_problem(result.model, result.inputs)
    report = portfolio(result.model, result.inputs)
    best = report.result.best
    assert bool(bundle_feasible(problem, [best.mask])[0, 0])
    use = bundle_costs(problem, [best.mask])[0, 0]
    for k, resource in enumerate(resources):
        limit = budgets[resource]
        assert limit is None or use[k] <= limit + 1e-12
    members = set(report.best_members)
    assert "disengagement" not in options  # the reference is the yardstick, not a member
    if "conditional-engagement" in members:
        assert "r3-ambassador-when-timely" in members  # the model's dependency


@pytest.mark.parametrize("amount", [2.0, 4.0, 7.0, 12.0])
def test_raising_the_budget_never_lowers_the_best_value(amount: float) -> None:
    result = run_scenario(BASELINE)
    low = portfolio(result.model, result.inputs, {"diplomatic-capital": amount})
    high = portfolio(result.model, result.inputs, {"diplomatic-capital": amount + 3})
    assert high.result.best.value >= low.result.best.value


def test_portfolio_command(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("portfolio", str(BASELINE), "--budget", "diplomatic-capital=3", "--json")
    assert result.status == 0, result.err
    data = json.loads(result.out)
    assert data["budgets"]["diplomatic-capital"] == 3.0
    assert {"best", "frontiers", "per_option"} <= set(data)
    bad = run_cli("portfolio", str(BASELINE), "--budget", "diplomatic-capitol=3")
    assert bad.status == 2 and "did you mean 'diplomatic-capital'" in bad.err
    text = run_cli("portfolio", str(ROOT / "scenarios" / "western-tilt.yaml"))
    assert text.status == 0 and "most often best" in text.out and "efficient frontier" in text.out
