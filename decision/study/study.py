"""A study: several scenarios of one model evaluated together, with the cross-scenario analyses.

``run_study`` evaluates each scenario (point values, plus Monte Carlo where sampled), then adds
what the comparison reports show: ranks under other methods and their agreement, robustness
across scenarios and the analyses of later sections. Everything is a plain object with
``to_dict()``; reports render from it and never recompute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from decision.analyses.registry import ANALYSES, run_analyses
from decision.errors import DecisionError

if TYPE_CHECKING:
    from decision.analyses.methods import MethodComparison
    from decision.analyses.portfolio.problem import PortfolioReport
    from decision.analyses.robustness import RobustnessResult
    from decision.results import ScenarioResult
    from decision.specs import MethodChoice
    from decision.specs.resolved import LoadedModel, Scenario
    from decision.uncertainty.montecarlo import Progress

DEFAULT_HURWICZ_ALPHA = 0.5
ROBUSTNESS_VALUE_DEFINITION = (
    "each scenario's score at its central values; an option unavailable there is valued at "
    "that scenario's lowest available score"
)
DEFAULT_REGRET_PERCENTILE = 90.0


@dataclass(frozen=True)
class RobustnessReport:
    """Robustness across the study's scenarios, with the option ids and the inputs' meaning."""

    options: list[str]
    scenarios: list[str]
    values: list[list[float]]  # (k, o) the table the measures were computed from
    result: RobustnessResult
    satisficing_samples: list[float] | None  # share of all samples reaching the threshold

    def to_dict(self) -> dict[str, Any]:
        from decision.analyses.robustness import DEFINITIONS

        data = self.result.to_dict()
        data["picks"] = {k: self.options[v] for k, v in self.result.picks.items()}
        return {
            "options": self.options,
            "scenarios": self.scenarios,
            "values": self.values,
            "value_definition": ROBUSTNESS_VALUE_DEFINITION,
            "measures": data,
            "satisficing_samples": self.satisficing_samples,
            "definitions": dict(DEFINITIONS),
        }


@dataclass(frozen=True)
class ScenarioAnalyses:
    """Every registered analysis of one scenario (see :data:`ANALYSES`), by name, in registry
    order."""

    scenario: str
    parts: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            **{name: ANALYSES[name].to_data(part) for name, part in self.parts.items()},
        }


def analyse(result: ScenarioResult, parts: Sequence[str] | None = None) -> dict[str, Any]:
    """The named analyses of one scenario (all registered ones by default)."""
    model, inputs = result.compiled, result.inputs
    if model is None or inputs is None:
        raise ValueError("the result carries no compiled model")
    return run_analyses(model, inputs, parts)


def sensitivity(result: ScenarioResult) -> ScenarioAnalyses:
    """Every registered analysis of one scenario."""
    return ScenarioAnalyses(scenario=result.scenario, parts=analyse(result))


@dataclass(frozen=True)
class Study:
    """Everything a comparison report shows."""

    results: list[ScenarioResult]
    method_comparisons: list[MethodComparison] = field(default_factory=list)
    robustness: RobustnessReport | None = None
    sensitivity: list[ScenarioAnalyses] = field(default_factory=list)
    portfolios: list[PortfolioReport] = field(default_factory=list)
    #: Why the portfolio analysis was left out (too many options to enumerate), if it was.
    portfolio_note: str | None = None
    #: Characters of the model and scenario files after alias expansion (0: not from files);
    #: the report's size is bounded by a multiple of it (see :mod:`decision.reports.writer`).
    input_chars: int = 0

    @property
    def baseline(self) -> ScenarioResult:
        """The scenario named 'baseline', else the first one."""
        for result in self.results:
            if result.scenario == "baseline":
                return result
        return self.results[0]

    def to_dict(self) -> dict[str, Any]:
        from decision._version import __version__
        from decision.results import RESULTS_SCHEMA_VERSION

        first = self.results[0]
        return {
            "schema_version": RESULTS_SCHEMA_VERSION,
            "tool_version": __version__,
            "model": {"id": first.model, "title": first.model_title, "path": first.model_path},
            "options": first.option_ids,
            "baseline": self.baseline.scenario,
            "ranks": {r.scenario: {o.id: o.rank for o in r.options} for r in self.results},
            "scores": {r.scenario: {o.id: o.score for o in r.options} for r in self.results},
            "scenarios": [r.to_dict() for r in self.results],
            "method_comparison": [m.to_dict() for m in self.method_comparisons],
            "robustness": None if self.robustness is None else self.robustness.to_dict(),
            "sensitivity": [s.to_dict() for s in self.sensitivity],
            "portfolio": [p.to_dict() for p in self.portfolios],
            "portfolio_note": self.portfolio_note,
        }


def robustness_report(
    results: Sequence[ScenarioResult],
    *,
    hurwicz_alpha: float = DEFAULT_HURWICZ_ALPHA,
    regret_percentile: float = DEFAULT_REGRET_PERCENTILE,
    threshold: float | None = None,
) -> RobustnessReport:
    """Robustness measures over the scenarios' point scores (see ``value_definition``)."""
    from decision.analyses.robustness import robustness

    options = results[0].option_ids
    table = np.zeros((len(results), len(options)))
    for k, result in enumerate(results):
        scores = {o.id: o.score for o in result.options if o.available}
        floor = min(scores.values()) if scores else 0.0
        table[k] = [scores.get(o, floor) for o in options]
    probabilities = [r.inputs.probability if r.inputs else None for r in results]
    given = [p for p in probabilities if p is not None]
    if given and len(given) != len(results):
        raise DecisionError(
            "some scenarios have a probability and some do not",
            key_path="probability",
            allowed="a probability in every scenario of the comparison, or in none",
        )
    # satisficing counts an option only where it is available and reaches the threshold
    point_scores = None
    if threshold is not None:
        point_scores = [
            np.array(
                [[o.score if o.available else threshold - 1.0 for o in map(r.option, options)]]
            )
            for r in results
        ]
    measures = robustness(
        table,
        given or None,
        hurwicz_alpha=hurwicz_alpha,
        regret_percentile=regret_percentile,
        threshold=threshold,
        sample_scores=point_scores,
    )
    satisficing_samples = None
    if threshold is not None:
        weights = np.asarray(measures.probabilities)
        shares = np.zeros((len(results), len(options)))
        for k, scenario in enumerate(results):
            if scenario.summary is not None:
                shares[k] = scenario.summary.share_at_least(threshold)
            else:
                shares[k] = [
                    o.available and o.score >= threshold for o in map(scenario.option, options)
                ]
        satisficing_samples = [round(float(v), 12) for v in weights @ shares]
    return RobustnessReport(
        options=list(options),
        scenarios=[r.scenario for r in results],
        values=[[round(float(v), 12) for v in row] for row in table],
        result=measures,
        satisficing_samples=satisficing_samples,
    )


def run_study(
    paths: Sequence[str | Path],
    *,
    method: MethodChoice | None = None,
    methods: Sequence[MethodChoice] = (),
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    threshold: float | None = None,
    with_sensitivity: bool = True,
    progress: Progress | None = None,
    allow_any_path: bool = False,
) -> Study:
    """Evaluate the scenarios (one model) and the analyses across them.

    Every scenario is loaded before any is evaluated, so bad input (including two files with
    one scenario id, which would share charts and sections) is refused before any work.
    """
    from decision.analyses.methods import compare_methods
    from decision.load.loading import load_scenario
    from decision.study.scenario import evaluate

    loaded: list[tuple[Scenario, LoadedModel]] = []
    model: LoadedModel | None = None
    first_with_id: dict[str, Scenario] = {}
    for path in paths:
        scenario, model = load_scenario(path, model, allow_any_path=allow_any_path)
        earlier = first_with_id.setdefault(scenario.id, scenario)
        if earlier is not scenario:
            what = f"scenario id '{scenario.id}' is also the id of {earlier.path}"
            allowed = "a different id in each scenario of one command"
            if scenario.document is not None:
                raise scenario.document.error(what, ("id",), allowed=allowed)
            raise DecisionError(what, file=str(scenario.path), key_path="id", allowed=allowed)
        loaded.append((scenario, model))
    results: list[ScenarioResult] = [
        evaluate(
            scenario,
            scenario_model,
            method=method,
            perspective=perspective,
            samples=samples,
            seed=seed,
            progress=progress,
        )
        for scenario, scenario_model in loaded
    ]
    if len({r.model_path for r in results}) > 1:
        raise DecisionError(
            "scenarios apply to different models: "
            + ", ".join(sorted({r.model_path for r in results})),
            allowed="scenarios of one model per comparison",
        )
    comparisons = [compare_methods(r, methods) for r in results] if len(methods) > 1 else []
    note = None
    if with_sensitivity and results[0].compiled is not None:
        from decision.analyses.portfolio.problem import too_many_for_bundles

        note = too_many_for_bundles(results[0].compiled)
    return Study(
        results=results,
        method_comparisons=comparisons,
        robustness=robustness_report(results, threshold=threshold),
        sensitivity=[sensitivity(r) for r in results] if with_sensitivity else [],
        portfolios=[_portfolio(r) for r in results] if with_sensitivity and not note else [],
        portfolio_note=note,
        input_chars=_input_chars(loaded),
    )


def _input_chars(loaded: Sequence[tuple[Scenario, LoadedModel]]) -> int:
    """Expanded characters of the model and of every scenario file named."""
    models = {id(model): model.document.expanded_chars for _, model in loaded}
    scenarios = sum(s.document.expanded_chars for s, _ in loaded if s.document is not None)
    return sum(models.values()) + scenarios


def _portfolio(result: ScenarioResult) -> PortfolioReport:
    from decision.analyses.portfolio.problem import portfolio

    if result.compiled is None or result.inputs is None:
        raise ValueError("the result carries no compiled model")
    return portfolio(result.compiled, result.inputs)
