"""Evaluate a scenario end to end: compile, score at the point values, package the results.

:func:`run_scenario` returns a :class:`ScenarioRun`: the plain :class:`ScenarioResult` a reader
or a notebook inspects, beside the compiled model, inputs, point evaluation and Monte Carlo
summary that produced it. Analyses and reports take those from the run (the study holds one
per scenario); the result itself is plain data and carries none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from decision.core.compile import CompiledModel, ScenarioInputs, compile_model, compile_scenario
from decision.core.engine import Evaluation, evaluate_arrays
from decision.core.weights import normalise_weights
from decision.errors import ArgumentNames, DecisionError, argument_name
from decision.load.loading import load_scenario
from decision.results import (
    FailedCondition,
    FailedPrecondition,
    OptionResult,
    OptionUncertainty,
    Sampling,
    ScenarioResult,
    rounded,
)
from decision.specs import MethodChoice
from decision.specs.resolved import LoadedModel, Scenario
from decision.uncertainty.montecarlo import (
    DEFAULT_CHUNK,
    QUANTILES,
    Progress,
    UncertaintySummary,
    monte_carlo,
)


def failed_preconditions(
    model: CompiledModel, values: np.ndarray, option: int
) -> list[FailedPrecondition]:
    """The option's preconditions that fail at the point ``values`` ``(i,)``, with the culprits."""
    scalar = {name: float(values[k]) for k, name in enumerate(model.indicators)}
    columns = {name: values[k : k + 1] for k, name in enumerate(model.indicators)}
    failed = []
    for pre in model.preconditions:
        if pre.option != option or bool(pre.expression.evaluate(columns)[0]):
            continue
        conditions = [
            FailedCondition(
                text=c.text,
                values={k: rounded(v) for k, v in c.values.items()},
                gap=None if c.gap is None else rounded(c.gap),
            )
            for c in pre.expression.explain_failure(scalar)
        ]
        failed.append(
            FailedPrecondition(
                when=pre.expression.to_text(),
                reason=pre.reason,
                evidence=list(pre.evidence),
                conditions=conditions,
            )
        )
    return failed


def check_distinct_id(scenario: Scenario, first_with_id: dict[str, Scenario]) -> None:
    """Refuse a scenario whose id an earlier one of the same command has (its charts and
    sections are keyed by id), in one line at the later file's ``id``; records the first."""
    earlier = first_with_id.setdefault(scenario.id, scenario)
    if earlier is scenario:
        return
    what = f"scenario id '{scenario.id}' is also the id of {earlier.path}"
    allowed = "a different id in each scenario of one command"
    if scenario.document is not None:
        raise scenario.document.error(what, ("id",), allowed=allowed)
    raise DecisionError(what, file=str(scenario.path), key_path="id", allowed=allowed)


def check_inputs(
    inputs: ScenarioInputs,
    scenario: Scenario,
    perspective_flag: bool = False,
    argument_names: ArgumentNames | None = None,
) -> None:
    """Problems visible only once overlays are merged (e.g. weights overridden to all zero);
    located at the scenario's weights, or at the ``perspective`` argument when that chose
    them (named as the caller names it: ``--perspective`` on the command line)."""
    try:
        normalise_weights(inputs.weights)
    except DecisionError as exc:
        if perspective_flag:
            key = argument_name("perspective", argument_names)
            raise exc.located(key_path=key) from None
        raise exc.located(file=str(scenario.path), key_path="weights") from None


#: Ranks, and rivals in pairwise winning, shown per option: a model with many options would
#: otherwise print options x options figures in every scenario (acceptability of rank 187 is
#: of no use to a reader); models with up to this many options show everything.
SHOWN_RANKS = 20


def _rivals(summary: UncertaintySummary) -> list[int]:
    """The options whose pairwise winning is shown: all, or the :data:`SHOWN_RANKS` with the
    highest holistic acceptability (ties in model order), in model order."""
    holistic = summary.smaa.holistic_acceptability
    if holistic.size <= SHOWN_RANKS + 1:
        return list(range(holistic.size))
    order = np.argsort(-holistic, kind="stable")[:SHOWN_RANKS]
    return sorted(int(k) for k in order)


def _uncertainty(
    model: CompiledModel, summary: UncertaintySummary | None, o: int
) -> OptionUncertainty | None:
    """One option's Monte Carlo figures (None for a single-sample run); the rank
    acceptability of the first :data:`SHOWN_RANKS` ranks."""
    if summary is None:
        return None
    smaa = summary.smaa
    confidence = smaa.confidence_factors
    return OptionUncertainty(
        availability=rounded(float(summary.availability[o])),
        score_mean=rounded(float(summary.score_mean[o])),
        score_sd=rounded(float(summary.score_sd[o])),
        score_quantiles={
            f"{int(q * 100)}": rounded(float(v))
            for q, v in zip(QUANTILES, summary.score_quantiles[o], strict=True)
        },
        rank_acceptability=[rounded(float(v)) for v in smaa.rank_acceptability[o, :SHOWN_RANKS]],
        holistic_acceptability=rounded(float(smaa.holistic_acceptability[o])),
        central_weights=(
            {
                c: rounded(float(w))
                for c, w in zip(model.criteria, smaa.central_weights[o], strict=True)
            }
            if smaa.ever_first[o]
            else None
        ),
        confidence_factor=None if confidence is None else rounded(float(confidence[o])),
        pairwise_winning={
            model.options[p]: rounded(float(smaa.pairwise_winning[o, p]))
            for p in _rivals(summary)
            if p != o
        },
    )


@dataclass(frozen=True)
class ScenarioRun:
    """One scenario evaluated: its plain result and what produced it."""

    result: ScenarioResult
    model: CompiledModel
    inputs: ScenarioInputs
    evaluation: Evaluation
    summary: UncertaintySummary | None

    @property
    def scenario(self) -> str:
        """The scenario's id."""
        return self.result.scenario

    def __repr__(self) -> str:
        """One line (the arrays behind the result are left out)."""
        return f"<ScenarioRun of {self.result!r}>"

    def _repr_html_(self) -> str:
        """The result's table (Jupyter shows this)."""
        return self.result._repr_html_()


def package(
    model: CompiledModel,
    inputs: ScenarioInputs,
    scenario_path: str,
    evaluation: Evaluation,
    summary: UncertaintySummary | None = None,
) -> ScenarioResult:
    """Turn the point evaluation (sample 0) into plain result objects, in rank order."""
    spec = model.spec
    ranks = evaluation.ranks[0]
    options = []
    for o, name in enumerate(model.options):
        option = spec.options[name]
        available = bool(evaluation.available[0, o])
        options.append(
            OptionResult(
                id=name,
                title=option.title,
                recommendation=option.recommendation,
                reference=option.reference,
                rank=int(ranks[o]),
                score=rounded(float(evaluation.scores[0, o])),
                available=available,
                failed=[] if available else failed_preconditions(model, inputs.values, o),
                performance={
                    c: rounded(float(evaluation.performance[0, o, k]))
                    for k, c in enumerate(model.criteria)
                },
                contributions={
                    c: rounded(float(evaluation.contributions[0, o, k]))
                    for k, c in enumerate(model.criteria)
                },
                uncertainty=_uncertainty(model, summary, o),
            )
        )
    options.sort(key=lambda r: r.rank)
    weights = evaluation.weights[0]
    return ScenarioResult(
        scenario=inputs.id,
        title=inputs.title,
        description=inputs.description,
        scenario_path=scenario_path,
        model=spec.id,
        model_title=spec.title,
        model_path=model.path,
        method={"name": inputs.method.name, **inputs.method.params()},
        perspective=inputs.perspective,
        weights={c: rounded(float(weights[k])) for k, c in enumerate(model.criteria)},
        indicators={n: rounded(float(inputs.values[k])) for k, n in enumerate(model.indicators)},
        uncertain_indicators=[model.indicators[k] for k in sorted(inputs.settings)],
        samples=inputs.samples,
        smaa=None
        if summary is None
        else Sampling(
            n_samples=summary.n_samples,
            meta_weights=[rounded(float(v)) for v in summary.smaa.meta_weights],
            quantiles=list(QUANTILES),
        ),
        seed=inputs.seed,
        option_ids=list(model.options),
        options=options,
    )


def run_scenario(
    scenario: Scenario | str | Path,
    model: LoadedModel | CompiledModel | None = None,
    *,
    method: MethodChoice | None = None,
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    chunk: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
    argument_names: ArgumentNames | None = None,
) -> ScenarioRun:
    """Evaluate one scenario (a loaded one or a path): its results and what produced them.

    The point evaluation uses exact settings and each distribution's centre; with more than one
    sample a Monte Carlo run adds score statistics and SMAA-2 acceptabilities per option. An
    error in an argument names it as ``argument_names`` says (its parameter name by default).
    """
    if not isinstance(scenario, Scenario):
        loaded = model if isinstance(model, LoadedModel) else None
        scenario, model_loaded = load_scenario(scenario, loaded)
        model = model if isinstance(model, CompiledModel) else model_loaded
    if model is None:
        _, model = load_scenario(scenario.path)
    compiled = model if isinstance(model, CompiledModel) else compile_model(model)
    if perspective is not None and perspective not in compiled.perspectives:
        raise DecisionError(
            f"unknown perspective '{perspective}'",
            key_path=argument_name("perspective", argument_names),
            allowed=", ".join(compiled.perspectives) or "none defined in the model",
        )
    inputs = compile_scenario(
        compiled, scenario, method=method, perspective=perspective, samples=samples, seed=seed
    )
    check_inputs(inputs, scenario, perspective is not None, argument_names)
    point = evaluate_arrays(
        compiled,
        inputs.values[None, :],
        inputs.weights,
        method=inputs.method.name,
        params=inputs.method_params,
    )
    summary = (
        monte_carlo(compiled, inputs, chunk=chunk, progress=progress)
        if inputs.samples > 1
        else None
    )
    result = package(compiled, inputs, str(scenario.path), point, summary)
    return ScenarioRun(result, compiled, inputs, point, summary)


def evaluate(
    scenario: Scenario | str | Path,
    model: LoadedModel | CompiledModel | None = None,
    *,
    method: MethodChoice | None = None,
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    chunk: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
) -> ScenarioResult:
    """Evaluate one scenario (a loaded one or a path) and return its results (see
    :func:`run_scenario` for the arrays behind them)."""
    return run_scenario(
        scenario,
        model,
        method=method,
        perspective=perspective,
        samples=samples,
        seed=seed,
        chunk=chunk,
        progress=progress,
    ).result
