"""Why an option scores what it does in a scenario: criterion by criterion, effect by effect,
and for an option with a success likelihood, its value if it succeeds, if it fails, and p.

The explanation needs the compiled model and the scenario's inputs, which a
:class:`~decision.study.scenario.ScenarioRun` holds; given only a plain
:class:`~decision.results.ScenarioResult`, the scenario it names is evaluated again with the
same method, perspective and seed (refused if its files have changed since).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from decision.errors import (
    ArgumentNames,
    DecisionError,
    argument_name,
    did_you_mean,
    list_allowed,
)
from decision.results import OptionResult, ScenarioResult
from decision.specs.model import ValueFunctionSpec
from decision.study.scenario import ScenarioRun


@dataclass(frozen=True)
class EffectLine:
    """One indicator's effect on one criterion's performance: ``shift`` is its change in
    value at the scenario's ``value``; ``effect`` the linear effect per whole range, or None
    for a piecewise-linear value function, whose ``points`` ``[x, dv]`` are given instead."""

    indicator: str
    value: float
    baseline: float
    effect: float | None
    shift: float
    points: list[list[float]] | None = None


@dataclass(frozen=True)
class LikelihoodPart:
    """A success likelihood's part in one criterion's performance:
    ``performance = p * success + (1 - p) * failure``."""

    p: float
    success: float  # the option's performance if it succeeds (judgement plus effects)
    failure: float  # its performance if it fails
    failure_from: str  # "if_failure", or "reference option '<id>'"
    rationale: str  # why p is what it is


@dataclass(frozen=True)
class CriterionLine:
    """One criterion's part in the option's score."""

    criterion: str
    weight: float
    judgement: float
    low: float
    high: float
    effects: list[EffectLine]
    performance: float
    contribution: float
    rationale: str
    evidence: list[dict[str, str]]
    likelihood: LikelihoodPart | None = None  # None: the option succeeds for certain


@dataclass(frozen=True)
class Explanation:
    """Everything ``decision explain`` shows."""

    scenario: str
    scenario_title: str
    method: dict[str, Any]
    option: OptionResult
    criteria: list[CriterionLine]
    evidence: dict[str, dict[str, Any]]


def rerun(result: ScenarioResult) -> ScenarioRun:
    """The run behind a plain result: its scenario evaluated again at its point values with
    the same method, perspective and seed."""
    from decision.specs import MethodChoice
    from decision.study.scenario import run_scenario

    run = run_scenario(
        result.scenario_path,
        method=MethodChoice(**result.method),
        perspective=result.perspective,
        samples=1,
        seed=result.seed,
    )
    if run.result.indicators != result.indicators or run.result.weights != result.weights:
        raise DecisionError(
            f"the files of scenario '{result.scenario}' have changed since this result was "
            "computed",
            file=result.scenario_path,
            allowed="a result evaluated from the files as they are now",
        )
    return run


def _likelihood_parts(run: ScenarioRun, o: int) -> list[LikelihoodPart]:
    """Option ``o``'s likelihood part on each criterion at the scenario's point values (none
    when it has no likelihood)."""
    from decision.core.engine import failure_performance, success_likelihood, success_performance

    model = run.model
    likelihoods = model.likelihoods
    if likelihoods is None or o not in likelihoods.options:
        return []
    k = likelihoods.options.tolist().index(o)
    values = run.inputs.values[None, :]
    success = success_performance(model, values)
    p = float(success_likelihood(model, values)[0, k])  # with its indicator effects
    failure = failure_performance(model, success)[0, k]
    given = np.isfinite(likelihoods.failure[k])
    spec = model.spec.options[model.options[o]].likelihood
    rationale = "" if spec is None else spec.rationale
    reference = "" if model.reference is None else model.options[model.reference]
    return [
        LikelihoodPart(
            p=p,
            success=float(success[0, o, c]),
            failure=float(failure[c]),
            failure_from="if_failure" if given[c] else f"reference option '{reference}'",
            rationale=rationale,
        )
        for c in range(len(model.criteria))
    ]


def explain_option(
    result: ScenarioRun | ScenarioResult,
    option_id: str,
    argument_names: ArgumentNames | None = None,
) -> Explanation:
    """Break an option's score into its criteria, judgements and indicator effects (an
    unknown ``option_id`` is named as ``argument_names`` says: ``OPTION`` on the command
    line)."""
    run = result if isinstance(result, ScenarioRun) else rerun(result)
    model, inputs, result = run.model, run.inputs, run.result
    if option_id not in model.options:
        raise DecisionError(
            f"unknown option '{option_id}'{did_you_mean(option_id, model.options)}",
            key_path=argument_name("option_id", argument_names),
            allowed=list_allowed(model.options),
        )
    spec = model.spec
    option_spec = spec.options[option_id]
    option = result.option(option_id)
    o = model.options.index(option_id)
    lines = []
    cited: set[str] = set()
    parts = _likelihood_parts(run, o)
    if option_spec.likelihood is not None:
        cited.update(option_spec.likelihood.evidence)
    for c, criterion in enumerate(model.criteria):
        perf = option_spec.performance[criterion]
        effects = []
        functions = {
            model.indicators[f.indicator]: f
            for f in model.value_functions
            if f.column == o * len(model.criteria) + c
        }
        for indicator, effect in perf.effects.items():
            i = model.indicators.index(indicator)
            value, base = float(inputs.values[i]), float(model.baseline[i])
            if isinstance(effect, ValueFunctionSpec):
                shift = float(functions[indicator].shift(np.array([value]))[0])
                points = [list(point) for point in effect.points]
                line = EffectLine(indicator, value, base, None, shift, points)
            else:
                shift = float(model.effects[i, o, c] * (value - base))
                line = EffectLine(indicator, value, base, effect, shift)
            effects.append(line)
        cited.update(perf.evidence)
        lines.append(
            CriterionLine(
                criterion=criterion,
                weight=result.weights[criterion],
                judgement=perf.value,
                low=float(model.judgement_low[o, c]),
                high=float(model.judgement_high[o, c]),
                effects=effects,
                performance=option.performance[criterion],
                contribution=option.contributions[criterion],
                rationale=perf.rationale,
                evidence=[{"id": e, "locator": spec.evidence[e].locator} for e in perf.evidence],
                likelihood=parts[c] if parts else None,
            )
        )
    for failed in option.failed:
        cited.update(failed.evidence)
    evidence = {
        e: {"locator": spec.evidence[e].locator, "claim": spec.evidence[e].claim}
        for e in sorted(cited)
    }
    return Explanation(
        scenario=result.scenario,
        scenario_title=result.title,
        method=result.method,
        option=option,
        criteria=lines,
        evidence=evidence,
    )
