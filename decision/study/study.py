"""A study: several scenarios of one model evaluated together, with the cross-scenario analyses.

``run_study`` evaluates each scenario (point values, plus Monte Carlo where sampled), then adds
what the comparison reports show: ranks under other methods and their agreement, robustness
across scenarios and the analyses of later sections. The study keeps each scenario's
:class:`~decision.study.scenario.ScenarioRun` (the compiled model and inputs the analyses
take); its results are plain objects that :func:`decision.results.to_data` serialises, and
reports render from them without recomputing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from decision.analyses.registry import AnalysisResult, run_analyses
from decision.analyses.robustness import DEFINITIONS
from decision.errors import ArgumentNames, DecisionError
from decision.results import INLINE, RESULTS_SCHEMA_VERSION, SKIP, key, rounded

if TYPE_CHECKING:
    import pandas as pd

    from decision.analyses.explore.run import Exploration
    from decision.analyses.methods import MethodComparison
    from decision.analyses.plan import PlanSet
    from decision.analyses.portfolio.problem import PortfolioReport
    from decision.analyses.robustness import RobustnessResult
    from decision.core.compile import CompiledModel
    from decision.results import ScenarioResult
    from decision.specs import MethodChoice
    from decision.specs.resolved import LoadedModel, Scenario
    from decision.study.scenario import ScenarioRun
    from decision.uncertainty.montecarlo import Progress

DEFAULT_HURWICZ_ALPHA = 0.5
ROBUSTNESS_VALUE_DEFINITION = (
    "each scenario's score at its central values; an option unavailable there is valued at "
    "that scenario's lowest available score"
)
DEFAULT_REGRET_PERCENTILE = 90.0
#: The report's scenario discovery: a Monte Carlo design of this many samples of the base
#: scenario (its Monte Carlo error on a probability is at most 0.55 points), seeded with the
#: scenario's seed, PRIM boxes and given-data indices only (about 0.4 s on the Belarus model).
DISCOVERY_SAMPLES = 8192


@dataclass(frozen=True)
class RobustnessReport:
    """Robustness across the study's scenarios, with the option ids and the inputs' meaning."""

    options: list[str]
    scenarios: list[str]
    values: list[list[float]]  # (k, o) the table the measures were computed from
    value_definition: str = field(init=False, default=ROBUSTNESS_VALUE_DEFINITION)
    result: RobustnessResult = field(metadata=key("measures"))
    satisficing_samples: list[float] | None  # share of all samples reaching the threshold
    definitions: dict[str, str] = field(init=False, default_factory=lambda: dict(DEFINITIONS))

    def to_frame(self, table: str = "measures") -> pd.DataFrame:
        """A pandas DataFrame (needs the ``frames`` extra): ``measures`` (one row per option,
        one column per measure, see ``definitions``), ``values`` (scenarios by options: the
        table the measures were computed from) or ``regret`` (scenarios by options)."""
        from decision.results.frames import choose, frame

        choose(table, ("measures", "values", "regret"))
        if table != "measures":
            rows = self.values if table == "values" else self.result.regret.tolist()
            return frame(
                {o: [row[j] for row in rows] for j, o in enumerate(self.options)},
                self.scenarios, "scenario", "option",
            )
        columns = {name: [float(v) for v in values]
                   for name, values in self.result.measures().items()}
        if self.satisficing_samples is not None:
            columns["satisficing_samples"] = list(self.satisficing_samples)
        return frame(columns, self.options, "option", "measure")


@dataclass(frozen=True)
class ScenarioAnalyses:
    """Every registered analysis of one scenario (see :data:`ANALYSES`), by name, in registry
    order."""

    scenario: str
    parts: dict[str, AnalysisResult] = field(metadata=INLINE)


def analyse(run: ScenarioRun, parts: Sequence[str] | None = None) -> dict[str, AnalysisResult]:
    """The named analyses of one scenario (all registered ones by default)."""
    return run_analyses(run.model, run.inputs, parts)


def sensitivity(run: ScenarioRun) -> ScenarioAnalyses:
    """Every registered analysis of one scenario."""
    return ScenarioAnalyses(scenario=run.scenario, parts=analyse(run))


@dataclass(frozen=True)
class ModelReference:
    """Which model a comparison is of."""

    id: str
    title: str
    path: str


@dataclass(frozen=True)
class Comparison:
    """What ``compare --json`` prints and ``comparison.json`` holds."""

    schema_version: int
    tool_version: str
    model: ModelReference
    options: list[str]
    baseline: str
    ranks: dict[str, dict[str, int]]
    scores: dict[str, dict[str, float]]
    scenarios: list[ScenarioResult]
    method_comparison: list[MethodComparison]
    robustness: RobustnessReport | None
    sensitivity: list[ScenarioAnalyses]
    portfolio: list[PortfolioReport]
    portfolio_note: str | None

    def to_frame(self, table: str = "scores") -> pd.DataFrame:
        """Options by scenarios (needs the ``frames`` extra): ``scores`` (NaN where an option
        is not available), ``ranks`` or ``available``."""
        from decision.results.frames import scenarios_frame

        return scenarios_frame(self.scenarios, table)


@dataclass(frozen=True)
class Study:
    """Everything a comparison report shows: each scenario's run (its result and what produced
    it) and the analyses across them."""

    runs: list[ScenarioRun] = field(metadata=SKIP)
    method_comparisons: list[MethodComparison] = field(default_factory=list)
    robustness: RobustnessReport | None = None
    sensitivity: list[ScenarioAnalyses] = field(default_factory=list)
    portfolios: list[PortfolioReport] = field(default_factory=list)
    #: Why the portfolio analysis was left out (too many options to enumerate), if it was.
    portfolio_note: str | None = None
    #: The adaptive plan of the scenarios (with their timelines), when bundles are analysed.
    plan: PlanSet | None = field(default=None, metadata=SKIP)
    #: Scenario discovery on the base scenario (see :func:`discover`), with the plan.
    exploration: Exploration | None = field(default=None, metadata=SKIP)
    #: Characters of the model and scenario files after alias expansion (0: not from files);
    #: the report's size is bounded by a multiple of it (see :mod:`decision.reports.writer`).
    input_chars: int = 0

    @property
    def results(self) -> list[ScenarioResult]:
        """Each scenario's plain result, in the order given."""
        return [run.result for run in self.runs]

    def to_frame(self, table: str = "scores") -> pd.DataFrame:
        """Options by scenarios as a pandas DataFrame (needs the ``frames`` extra):
        ``scores`` (NaN where an option is not available), ``ranks`` or ``available``."""
        from decision.results.frames import scenarios_frame

        return scenarios_frame(self.results, table)

    def __repr__(self) -> str:
        """One line: the model, the scenarios and each one's first option."""
        from decision.results.frames import study_repr

        return study_repr(self)

    def _repr_html_(self) -> str:
        """Rank and score of every option in every scenario (Jupyter shows this)."""
        from decision.results.frames import study_html

        return study_html(self)

    @property
    def baseline_run(self) -> ScenarioRun:
        """The scenario named 'baseline', else the first one."""
        for run in self.runs:
            if run.scenario == "baseline":
                return run
        return self.runs[0]

    @property
    def baseline(self) -> ScenarioResult:
        """The baseline scenario's result (see :attr:`baseline_run`)."""
        return self.baseline_run.result

    def comparison(self) -> Comparison:
        """The comparison tables and every analysis, as one object to serialise."""
        from decision._version import __version__

        results = self.results
        first = results[0]
        return Comparison(
            schema_version=RESULTS_SCHEMA_VERSION,
            tool_version=__version__,
            model=ModelReference(first.model, first.model_title, first.model_path),
            options=first.option_ids,
            baseline=self.baseline.scenario,
            ranks={r.scenario: {o.id: o.rank for o in r.options} for r in results},
            scores={r.scenario: {o.id: o.score for o in r.options} for r in results},
            scenarios=results,
            method_comparison=self.method_comparisons,
            robustness=self.robustness,
            sensitivity=self.sensitivity,
            portfolio=self.portfolios,
            portfolio_note=self.portfolio_note,
        )


def robustness_report(
    runs: Sequence[ScenarioRun],
    *,
    hurwicz_alpha: float = DEFAULT_HURWICZ_ALPHA,
    regret_percentile: float = DEFAULT_REGRET_PERCENTILE,
    threshold: float | None = None,
) -> RobustnessReport:
    """Robustness measures over the scenarios' point scores (see ``value_definition``)."""
    from decision.analyses.robustness import robustness

    results = [run.result for run in runs]
    options = results[0].option_ids
    table = np.zeros((len(results), len(options)))
    for k, result in enumerate(results):
        scores = {o.id: o.score for o in result.options if o.available}
        floor = min(scores.values()) if scores else 0.0
        table[k] = [scores.get(o, floor) for o in options]
    probabilities = [run.inputs.probability for run in runs]
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
        for k, run in enumerate(runs):
            if run.summary is not None:
                shares[k] = run.summary.share_at_least(threshold)
            else:
                shares[k] = [
                    o.available and o.score >= threshold for o in map(run.result.option, options)
                ]
        satisficing_samples = [rounded(float(v)) for v in weights @ shares]
    return RobustnessReport(
        options=list(options),
        scenarios=[r.scenario for r in results],
        values=[[rounded(float(v)) for v in row] for row in table],
        result=replace(measures, option_names=tuple(options)),
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
    argument_names: ArgumentNames | None = None,
) -> Study:
    """Evaluate the scenarios (one model) and the analyses across them.

    Every scenario is loaded before any is evaluated, so bad input (including two files with
    one scenario id, which would share charts and sections) is refused before any work. An
    error in an argument names it as ``argument_names`` says (see :func:`run_scenario`).
    """
    from decision.analyses.methods import compare_methods
    from decision.load.loading import load_scenario
    from decision.study.scenario import check_distinct_id, run_scenario

    loaded: list[tuple[Scenario, LoadedModel]] = []
    model: LoadedModel | None = None
    first_with_id: dict[str, Scenario] = {}
    for path in paths:
        scenario, model = load_scenario(path, model, allow_any_path=allow_any_path)
        check_distinct_id(scenario, first_with_id)
        loaded.append((scenario, model))
    runs: list[ScenarioRun] = [
        run_scenario(
            scenario,
            scenario_model,
            method=method,
            perspective=perspective,
            samples=samples,
            seed=seed,
            progress=progress,
            argument_names=argument_names,
        )
        for scenario, scenario_model in loaded
    ]
    paths_of_models = {run.result.model_path for run in runs}
    if len(paths_of_models) > 1:
        raise DecisionError(
            "scenarios apply to different models: " + ", ".join(sorted(paths_of_models)),
            allowed="scenarios of one model per comparison",
        )
    comparisons = (
        [
            compare_methods(run.model, run.inputs, run.result, methods, similarity=True)
            for run in runs
        ]
        if len(methods) > 1
        else []
    )
    note = None
    base = next((k for k, run in enumerate(runs) if run.scenario == "baseline"), 0)
    if with_sensitivity:
        from decision.analyses.portfolio.problem import too_many_for_bundles

        reason = too_many_for_bundles(runs[0].model)
        note = None if reason is None else f"{reason}, so the portfolio analysis is left out"
    return Study(
        runs=runs,
        method_comparisons=comparisons,
        robustness=robustness_report(runs, threshold=threshold),
        sensitivity=[sensitivity(run) for run in runs] if with_sensitivity else [],
        portfolios=[_portfolio(run) for run in runs] if with_sensitivity and not note else [],
        portfolio_note=note,
        plan=(
            _plan(loaded, runs, perspective=perspective, samples=samples, seed=seed)
            if with_sensitivity and not note
            else None
        ),
        exploration=discover(runs[base], loaded[base][0]) if with_sensitivity and not note
        else None,
        input_chars=_input_chars(loaded),
    )


def discover(run: ScenarioRun, scenario: Scenario) -> Exploration | None:
    """The report's scenario discovery on one scenario (see :data:`DISCOVERY_SAMPLES`):
    when the plan fails or another package wins, which inputs matter and which are worth
    resolving; None when the scenario has no uncertain input."""
    from decision.analyses.explore.design import input_space
    from decision.analyses.explore.run import explore

    if not input_space(run.model, run.inputs).d:
        return None
    plan = scenario.spec.plan
    return explore(run.model, run.inputs, samples=DISCOVERY_SAMPLES, design="mc",
                   seed=run.inputs.seed, satisficing=None if plan is None else plan.satisficing,
                   sensitivity="given", tree=False, keep_experiments=True)


def _plan(
    loaded: Sequence[tuple[Scenario, LoadedModel]],
    runs: Sequence[ScenarioRun],
    *,
    perspective: str | None,
    samples: int | None,
    seed: int | None,
) -> PlanSet:
    """The adaptive plan of the study's scenarios (their own inputs, timelines included;
    the periods compiled with the study's command-line overrides)."""
    from decision.study.plan import plan_loaded

    # one compiled model per loaded one (each run compiled its own, equal, copy): the plan
    # batches the scenarios of one model object
    compiled: dict[int, CompiledModel] = {}
    return plan_loaded(
        [(s, compiled.setdefault(id(model), run.model), run.inputs)
         for (s, model), run in zip(loaded, runs, strict=True)],
        perspective=perspective, samples=samples, seed=seed,
    )


def _input_chars(loaded: Sequence[tuple[Scenario, LoadedModel]]) -> int:
    """Expanded characters of the model and of every scenario file named."""
    models = {id(model): model.document.expanded_chars for _, model in loaded}
    scenarios = sum(s.document.expanded_chars for s, _ in loaded if s.document is not None)
    return sum(models.values()) + scenarios


def _portfolio(run: ScenarioRun) -> PortfolioReport:
    from decision.analyses.portfolio.problem import portfolio

    return portfolio(run.model, run.inputs)
