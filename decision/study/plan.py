"""The adaptive plan of loaded scenarios: their timelines as periods, and the plan of each.

A period's state is the scenario's own settings overlaid by every period up to it, in date
order (the order written in the file does not matter); each period is compiled as the
scenario is, with the same command-line overrides, so sampled periods draw with the
scenario's seed (common random numbers: periods differ by their settings, not by their draws).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from decision.analyses.plan import (
    PlanPeriod,
    PlanSet,
    PlanSettings,
    SharedWork,
    plan_set,
    scenario_plans,
)
from decision.core.compile import CompiledModel, ScenarioInputs, compile_model, compile_scenario
from decision.errors import ArgumentNames, DecisionError, argument_name
from decision.load.validation import package_scale

if TYPE_CHECKING:
    from decision.analyses.plan_worlds import Progress
    from decision.specs import MethodChoice
    from decision.specs.resolved import LoadedModel, Scenario


def timeline_periods(
    model: CompiledModel,
    scenario: Scenario,
    inputs: ScenarioInputs,
    *,
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    method: MethodChoice | None = None,
) -> list[PlanPeriod]:
    """The scenario's own state (``now``) and each period of its timeline, in date order."""
    periods = [PlanPeriod("now", None, None, inputs)]
    settings: dict[str, Any] = dict(scenario.indicators)
    for period in sorted(scenario.spec.timeline, key=lambda p: p.day):
        settings.update(period.indicators)
        compiled = compile_scenario(
            model, replace(scenario, indicators=dict(settings)), method=method,
            perspective=perspective, samples=samples, seed=seed,
        )
        periods.append(PlanPeriod(period.label, period.label, period.title, compiled))
    return periods


def settings_of(
    scenario: Scenario, model: LoadedModel | CompiledModel,
    satisficing: float | None = None, margin: float | None = None,
    argument_names: ArgumentNames | None = None,
) -> PlanSettings:
    """The scenario's ``plan:`` settings, overridden by the arguments (checked on the
    package-value scale, the argument named as ``argument_names`` says)."""
    scale = package_scale(model.spec)
    for name, value, low in (("satisficing", satisficing, -scale), ("margin", margin, 0.0)):
        if value is not None and not low <= value <= scale:
            raise DecisionError(
                f"{name} {value:g} is outside the package-value scale",
                key_path=argument_name(name, argument_names),
                allowed=f"a number in [{low:g}, {scale:g}]",
            )
    own = scenario.spec.plan
    return PlanSettings(
        satisficing if satisficing is not None else (own.satisficing if own else None),
        margin if margin is not None else (own.margin if own else None),
    )


def plan_loaded(
    loaded: Sequence[tuple[Scenario, LoadedModel | CompiledModel, ScenarioInputs]],
    *,
    budgets: Mapping[str, float] | None = None,
    satisficing: float | None = None,
    margin: float | None = None,
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    argument_names: ArgumentNames | None = None,
    uncapped: bool = False,
    progress: Progress | None = None,
) -> PlanSet:
    """The plan of each loaded scenario (its compiled inputs given) and across them; the base
    is the scenario named ``baseline``, else the first. Sampled scenarios are planned over at
    most :data:`~decision.analyses.portfolio.problem.MAX_SAMPLES` samples per period (the
    report's plan), or over all their samples with ``uncapped`` (``decision plan --samples``:
    read in spans, see :mod:`decision.analyses.plan_worlds`)."""
    jobs = []
    for scenario, model, inputs in loaded:
        compiled = model if isinstance(model, CompiledModel) else compile_model(model)
        periods = timeline_periods(
            compiled, scenario, inputs, perspective=perspective, samples=samples, seed=seed
        )
        settings = settings_of(scenario, model, satisficing, margin, argument_names)
        jobs.append((compiled, periods, settings, budgets))
    # scenarios that start from one state share their analyses, found in one batch
    plans = scenario_plans(jobs, SharedWork(), uncapped=uncapped, progress=progress)
    ids = [p.scenario for p in plans]
    return plan_set(plans, ids.index("baseline") if "baseline" in ids else 0)


def plan_paths(
    paths: Sequence[str | Path],
    *,
    budgets: Sequence[str] = (),
    satisficing: float | None = None,
    margin: float | None = None,
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    allow_any_path: bool = False,
    argument_names: ArgumentNames | None = None,
    progress: Progress | None = None,
) -> PlanSet:
    """Load the scenarios (one model) and plan them: ``decision plan``'s work. ``samples``,
    when given, is the plan's samples per period, beyond the report's cap too (``progress``
    is told how far those passes are)."""
    from decision.analyses.portfolio.problem import parse_budgets
    from decision.load.loading import load_scenario
    from decision.study.scenario import check_distinct_id, check_inputs

    loaded: list[tuple[Scenario, LoadedModel | CompiledModel, ScenarioInputs]] = []
    model: LoadedModel | None = None
    compiled: CompiledModel | None = None
    first_with_id: dict[str, Scenario] = {}
    for path in paths:
        scenario, model = load_scenario(path, model, allow_any_path=allow_any_path)
        check_distinct_id(scenario, first_with_id)
        if compiled is None or compiled.path != str(model.path):
            if compiled is not None:
                raise DecisionError(
                    f"scenarios apply to different models: {compiled.path}, {model.path}",
                    allowed="scenarios of one model per plan",
                )
            compiled = compile_model(model)
        if perspective is not None and perspective not in compiled.perspectives:
            raise DecisionError(
                f"unknown perspective '{perspective}'",
                key_path=argument_name("perspective", argument_names),
                allowed=", ".join(compiled.perspectives) or "none defined in the model",
            )
        inputs = compile_scenario(
            compiled, scenario, perspective=perspective, samples=samples, seed=seed
        )
        check_inputs(inputs, scenario, perspective is not None, argument_names)
        loaded.append((scenario, compiled, inputs))
    assert compiled is not None
    chosen = parse_budgets(budgets, list(compiled.spec.resources))
    return plan_loaded(
        loaded, budgets=chosen, satisficing=satisficing, margin=margin, perspective=perspective,
        samples=samples, seed=seed, argument_names=argument_names,
        uncapped=samples is not None, progress=progress,
    )
