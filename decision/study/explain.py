"""Why an option scores what it does in a scenario: criterion by criterion, effect by effect."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from decision.errors import DecisionError, did_you_mean, list_allowed
from decision.results import OptionResult, ScenarioResult


@dataclass(frozen=True)
class EffectLine:
    """One indicator's effect on one criterion's performance."""

    indicator: str
    value: float
    baseline: float
    effect: float
    shift: float


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


@dataclass(frozen=True)
class Explanation:
    """Everything ``decision explain`` shows."""

    scenario: str
    scenario_title: str
    method: dict[str, Any]
    option: OptionResult
    criteria: list[CriterionLine]
    evidence: dict[str, dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def explain_option(result: ScenarioResult, option_id: str) -> Explanation:
    """Break an option's score into its criteria, judgements and indicator effects."""
    model = result.compiled
    inputs = result.inputs
    if model is None or inputs is None:
        raise ValueError("the result carries no compiled model to explain")
    if option_id not in model.options:
        raise DecisionError(
            f"unknown option '{option_id}'{did_you_mean(option_id, model.options)}",
            key_path="OPTION",
            allowed=list_allowed(model.options),
        )
    spec = model.spec
    option_spec = spec.options[option_id]
    option = result.option(option_id)
    o = model.options.index(option_id)
    lines = []
    cited: set[str] = set()
    for c, criterion in enumerate(model.criteria):
        perf = option_spec.performance[criterion]
        effects = []
        for indicator, coefficient in perf.effects.items():
            i = model.indicators.index(indicator)
            value, base = float(inputs.values[i]), float(model.baseline[i])
            effects.append(
                EffectLine(
                    indicator=indicator,
                    value=value,
                    baseline=base,
                    effect=coefficient,
                    shift=float(model.effects[i, o, c] * (value - base)),
                )
            )
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
