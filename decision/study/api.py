"""The Python API: one function for each thing the command line does, for notebooks and scripts.

Each returns the typed result the command prints (``--json`` is its plain data), and takes the
command's options as keyword arguments with the same meaning::

    import decision

    study = decision.compare(["scenarios/baseline.yaml", "scenarios/western-tilt.yaml"])
    study.to_frame()                                  # options x scenarios (pandas)
    decision.write_report(study, "my-report")         # compare --out my-report: same files
    decision.robustness(study, threshold=0.55)        # RobustnessReport
    decision.sensitivity("scenarios/baseline.yaml")   # weights, tornado, perspectives, dominance
    decision.tipping("scenarios/baseline.yaml")       # tipping points and openings
    decision.portfolio("scenarios/baseline.yaml", budgets={"diplomatic-capital": 5})
    decision.explain("scenarios/baseline.yaml", "r3-ambassador-when-timely")
    decision.plan("scenarios/baseline.yaml", budgets={"diplomatic-capital": 5})  # PlanSet
    decision.explore("scenarios/baseline.yaml", samples=1024, outcomes=["package-loses"])
    decision.rank("matrix.csv", [0.5, 0.5], ["cost", "benefit"], method="topsis")
    decision.export_xmcda("scenarios/baseline.yaml", "baseline.xml")

A scenario argument is a path, a loaded :class:`~decision.specs.resolved.Scenario`, a
:class:`~decision.study.scenario.ScenarioRun` (used as it is: nothing is evaluated again) or a
:class:`~decision.results.ScenarioResult` (its scenario is evaluated again with the same
method, perspective, samples and seed; refused if its files changed). Every problem is a
:class:`~decision.errors.DecisionError` whose key path names the argument as this module
names it (``perspective``, ``budgets.money``, ``weights``), never a command-line flag.

``decision.write_report(study, out, pdf=False)`` writes a :func:`compare` study's report as
``compare --out`` does, byte for byte for the same scenarios, methods, samples and seed, with
the command's guards: the folder ``out`` is refused when it is a file, the current directory
(or above it) or the folder of an input (or above it), the folder is switched to the new
report in one step, and with ``pdf=True`` Chromium is looked for before anything is done. It
is defined with those guards in :mod:`decision.reports.destination` (the report stage, which
this module, one stage below, does not import).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from decision.errors import (
    ArgumentNames,
    DecisionError,
    argument_name,
    did_you_mean,
    list_allowed,
)

if TYPE_CHECKING:
    from decision.analyses.explore.run import Exploration
    from decision.analyses.plan import PlanSet
    from decision.analyses.portfolio.problem import PortfolioReport
    from decision.core.compile import CompiledModel
    from decision.files.matrix import DecisionMatrix
    from decision.files.xmcda import XmcdaTable
    from decision.results import ScenarioResult
    from decision.specs import MethodChoice
    from decision.specs.resolved import LoadedModel, Scenario
    from decision.study.explain import Explanation
    from decision.study.plain_matrix import MatrixRanking
    from decision.study.scenario import ScenarioRun
    from decision.study.study import RobustnessReport, ScenarioAnalyses, Study
    from decision.uncertainty.montecarlo import Progress

#: The analyses ``sensitivity`` and ``tipping`` show (rows of the analyses registry).
SENSITIVITY = ("weights", "tornado", "perspectives", "dominance")
TIPPING = ("tipping", "openings")
#: The most samples a run accepts: 10^12 (only tallies are kept, never a per-sample array of
#: the whole run, and sample and block numbers are Python integers: no 32-bit limit).
MAX_SAMPLES = 1_000_000_000_000
MAX_SEED = 2**64 - 1


# --------------------------------------------------------------------------- arguments


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _whole(value: object, key: str, low: int, high: int) -> int:
    allowed = f"a whole number from {low:,} to {high:,}"
    if not isinstance(value, int | np.integer) or isinstance(value, bool | np.bool_):
        raise DecisionError(f"got {_described(value)}", key_path=key, allowed=allowed)
    if not low <= int(value) <= high:
        raise DecisionError(f"got {int(value):,}", key_path=key, allowed=allowed)
    return int(value)


def _real(value: object, key: str, low: float, high: float, *, low_open: bool = False) -> float:
    allowed = "a finite number"
    if math.isfinite(high):
        allowed += f" above {low:g} and at most {high:g}" if low_open else (
            f" from {low:g} to {high:g}"
        )
    elif math.isfinite(low):
        allowed += f" {'>' if low_open else '>='} {low:g}"
    if not _is_number(value) or not math.isfinite(float(value)):  # type: ignore[arg-type]
        raise DecisionError(f"got {_described(value)}", key_path=key, allowed=allowed)
    number = float(value)  # type: ignore[arg-type]
    if number < low or (low_open and number == low) or number > high:
        raise DecisionError(f"got {number:g}", key_path=key, allowed=allowed)
    return number


def _described(value: object) -> str:
    from decision.errors import describe_value

    if isinstance(value, np.generic):
        value = value.item()
    return describe_value(value)


def _method(method: object, key: str = "method") -> MethodChoice | None:
    """A method argument: a name, a mapping with ``name`` and parameters, or a MethodChoice;
    checked here, so a bad one names the argument."""
    if method is None:
        return None
    from decision.core.methods import get_method
    from decision.specs import MethodChoice

    if isinstance(method, MethodChoice):
        name, params = method.name, method.params()
    elif isinstance(method, str):
        name, params = method, {}
    elif isinstance(method, Mapping) and isinstance(method.get("name"), str):
        name = str(method["name"])
        params = {str(k): v for k, v in method.items() if k != "name"}
    else:
        raise DecisionError(
            f"got {_described(method)}", key_path=key,
            allowed="a method name such as 'topsis', or a mapping such as "
            "{'name': 'topsis', 'normalisation': 'minmax'}",
        )
    info = get_method(name, (key,))
    info.parse(params, (key,))
    return MethodChoice(name=info.name, **params)


def _methods(methods: str | Sequence[object]) -> list[MethodChoice]:
    items: Sequence[object] = (
        [part.strip() for part in methods.split(",") if part.strip()]
        if isinstance(methods, str) else methods
    )
    chosen = [_method(m, f"methods[{k}]") for k, m in enumerate(items)]
    return [m for m in chosen if m is not None]


def _options(
    samples: object = None, seed: object = None, method: object = None
) -> dict[str, Any]:
    return {
        "method": _method(method),
        "samples": None if samples is None else _whole(samples, "samples", 1, MAX_SAMPLES),
        "seed": None if seed is None else _whole(seed, "seed", 0, MAX_SEED),
    }


def _paths(scenarios: object, key: str = "scenarios") -> list[str]:
    items = [scenarios] if isinstance(scenarios, str | os.PathLike) else scenarios
    if not isinstance(items, Sequence) or not items:
        raise DecisionError(
            f"got {_described(scenarios)}", key_path=key,
            allowed="a scenario path, or a non-empty list of them",
        )
    paths = []
    for k, item in enumerate(items):
        if not isinstance(item, str | os.PathLike):
            raise DecisionError(f"got {_described(item)}", key_path=f"{key}[{k}]",
                                allowed="a path to a scenario file")
        paths.append(os.fspath(item))
    return paths


def _path(scenario: object) -> str:
    """A single scenario path argument."""
    if not isinstance(scenario, str | os.PathLike) or not os.fspath(scenario):
        raise DecisionError(
            f"got {_described(scenario)}", key_path="scenario",
            allowed="a path to a scenario file, a loaded Scenario, a ScenarioRun or a "
            "ScenarioResult",
        )
    return os.fspath(scenario)


def _run(
    scenario: object,
    *,
    method: object = None,
    perspective: str | None = None,
    samples: object = None,
    seed: object = None,
    allow_any_path: bool = False,
) -> ScenarioRun:
    """The evaluated scenario behind a scenario argument (see the module docs)."""
    from decision.results import ScenarioResult
    from decision.specs.resolved import Scenario
    from decision.study.scenario import ScenarioRun, run_scenario
    from decision.study.study import run_study

    options = _options(samples, seed, method)
    if perspective is not None and not isinstance(perspective, str):
        raise DecisionError(f"got {_described(perspective)}", key_path="perspective",
                            allowed="the name of a perspective of the model")
    if isinstance(scenario, ScenarioRun):
        given = {"method": method, "perspective": perspective, "samples": samples,
                 "seed": seed}
        for name, value in given.items():
            if value is not None:
                raise DecisionError(
                    f"{name} applies when a scenario is evaluated, and this run of "
                    f"'{scenario.scenario}' was evaluated already",
                    key_path=name,
                    allowed=f"the scenario's path with {name}=..., or the run without it",
                )
        return scenario
    if isinstance(scenario, ScenarioResult):
        return _rerun(scenario, options, perspective)
    if isinstance(scenario, Scenario):
        return run_scenario(scenario, perspective=perspective, **options)
    return run_study([_path(scenario)], perspective=perspective, with_sensitivity=False,
                     allow_any_path=allow_any_path, **options).runs[0]


def _rerun(result: ScenarioResult, options: Mapping[str, Any], perspective: str | None
           ) -> ScenarioRun:
    """The run behind a plain result: its scenario evaluated again as it was (or with the
    overrides given), refused if its files have changed since."""
    from decision.specs import MethodChoice
    from decision.study.scenario import run_scenario

    run = run_scenario(
        result.scenario_path,
        method=options["method"] or MethodChoice(**result.method),
        perspective=perspective if perspective is not None else result.perspective,
        samples=options["samples"] or result.samples,
        seed=options["seed"] if options["seed"] is not None else result.seed,
    )
    changed = run.result.indicators != result.indicators or (
        perspective is None and run.result.weights != result.weights
    )
    if changed:
        raise DecisionError(
            f"the files of scenario '{result.scenario}' have changed since this result was "
            "computed",
            file=result.scenario_path,
            allowed="a result evaluated from the files as they are now",
        )
    return run


# ------------------------------------------------------------------------- the commands


def run_scenario(
    scenario: str | os.PathLike[str] | Scenario,
    model: LoadedModel | CompiledModel | None = None,
    *,
    method: object = None,
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    chunk: int | None = None,
    progress: Progress | None = None,
) -> ScenarioRun:
    """``decision run`` with what is behind it: one scenario (a path or a loaded one; of
    ``model`` if given) evaluated, its :class:`~decision.results.ScenarioResult` beside the
    compiled model, inputs, point evaluation and Monte Carlo summary. ``method`` is a name, a
    mapping with ``name`` and parameters, or a MethodChoice."""
    from decision.specs.resolved import Scenario
    from decision.study.scenario import run_scenario as run
    from decision.uncertainty.montecarlo import DEFAULT_CHUNK

    return run(
        scenario if isinstance(scenario, Scenario) else Path(_path(scenario)),
        model,
        perspective=_perspective(perspective),
        chunk=DEFAULT_CHUNK if chunk is None else _whole(chunk, "chunk", 1, MAX_SAMPLES),
        progress=progress,
        **_options(samples, seed, method),
    )


def evaluate(
    scenario: str | os.PathLike[str] | Scenario,
    model: LoadedModel | CompiledModel | None = None,
    *,
    method: object = None,
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    chunk: int | None = None,
    progress: Progress | None = None,
) -> ScenarioResult:
    """``decision run``: one scenario's :class:`~decision.results.ScenarioResult` (see
    :func:`run_scenario` for the arrays behind it)."""
    return run_scenario(scenario, model, method=method, perspective=perspective,
                        samples=samples, seed=seed, chunk=chunk, progress=progress).result


def compare(
    scenarios: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    method: object = None,
    methods: str | Sequence[object] = (),
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    threshold: float | None = None,
    analyses: bool = True,
    allow_any_path: bool = False,
) -> Study:
    """``decision compare``: evaluate scenarios of one model together, with every analysis.

    Returns the :class:`~decision.study.study.Study`: ``results`` (each scenario's
    :class:`~decision.results.ScenarioResult`), ``runs``, ``method_comparisons`` (with two or
    more ``methods``), ``robustness``, ``sensitivity`` (every registered analysis of each
    scenario) and ``portfolios``; ``comparison()`` is what ``compare --json`` prints and
    ``to_frame()`` the scores as options by scenarios. ``analyses=False`` leaves out the
    per-scenario analyses and bundles (much faster); the report needs them, so
    ``decision.write_report`` takes only a study made with ``analyses=True`` (the default).
    """
    from decision.study.study import run_study

    return run_study(
        _paths(scenarios),
        methods=_methods(methods),
        perspective=_perspective(perspective),
        threshold=None if threshold is None else _real(threshold, "threshold", -math.inf,
                                                       math.inf),
        with_sensitivity=bool(analyses),
        allow_any_path=allow_any_path,
        **_options(samples, seed, method),
    )


def _perspective(perspective: object) -> str | None:
    if perspective is not None and not isinstance(perspective, str):
        raise DecisionError(f"got {_described(perspective)}", key_path="perspective",
                            allowed="the name of a perspective of the model")
    return perspective


def robustness(
    scenarios: Study | str | os.PathLike[str] | Sequence[str | os.PathLike[str] | ScenarioRun],
    *,
    method: object = None,
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    alpha: float = 0.5,
    percentile: float = 90.0,
    threshold: float | None = None,
    allow_any_path: bool = False,
) -> RobustnessReport:
    """``decision robustness``: which option holds up across scenarios (expected value,
    maximin, Hurwicz(``alpha``), regret and its ``percentile``, satisficing at ``threshold``,
    signal-to-noise). ``scenarios`` is a study, a list of runs, or scenario paths."""
    from decision.study.scenario import ScenarioRun
    from decision.study.study import Study, robustness_report, run_study

    hurwicz = _real(alpha, "alpha", 0.0, 1.0)
    regret = _real(percentile, "percentile", 0.0, 100.0, low_open=True)
    satisficing = None if threshold is None else _real(threshold, "threshold", -math.inf,
                                                       math.inf)
    runs: list[ScenarioRun]
    if isinstance(scenarios, Study) or (
        isinstance(scenarios, Sequence) and not isinstance(scenarios, str) and scenarios
        and all(isinstance(s, ScenarioRun) for s in scenarios)
    ):
        for name, value in (("method", method), ("perspective", perspective),
                            ("samples", samples), ("seed", seed)):
            if value is not None:
                raise DecisionError(
                    f"{name} applies when scenarios are evaluated, and these were evaluated "
                    "already", key_path=name,
                    allowed=f"scenario paths with {name}=..., or the study without it",
                )
        runs = list(scenarios.runs if isinstance(scenarios, Study) else scenarios)  # type: ignore[arg-type]
    else:
        runs = run_study(
            _paths(scenarios), perspective=_perspective(perspective), with_sensitivity=False,
            allow_any_path=allow_any_path, **_options(samples, seed, method),
        ).runs
    return robustness_report(runs, hurwicz_alpha=hurwicz, regret_percentile=regret,
                             threshold=satisficing)


def analyse(
    scenario: object,
    names: Sequence[str] | None = None,
    *,
    method: object = None,
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    allow_any_path: bool = False,
) -> ScenarioAnalyses:
    """The registered analyses of one scenario (all of them by default, as ``compare``
    computes them), by name: see :data:`decision.analyses.registry.ANALYSES`."""
    from decision.analyses.registry import ANALYSES
    from decision.study.study import ScenarioAnalyses
    from decision.study.study import analyse as run_analyses

    chosen = None
    if names is not None:
        if isinstance(names, str):
            names = [names]
        for k, name in enumerate(names):
            if name not in ANALYSES:
                raise DecisionError(
                    f"unknown analysis '{name}'{did_you_mean(str(name), ANALYSES)}",
                    key_path=f"names[{k}]", allowed=list_allowed(ANALYSES),
                )
        chosen = list(names)
    run = _run(scenario, method=method, perspective=perspective, samples=samples, seed=seed,
               allow_any_path=allow_any_path)
    return ScenarioAnalyses(run.scenario, run_analyses(run, chosen))


def sensitivity(
    scenario: object,
    *,
    method: object = None,
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    allow_any_path: bool = False,
) -> ScenarioAnalyses:
    """``decision sensitivity``: what would change the recommendation: weight stability
    (``weights``), ``tornado``, ``perspectives`` and ``dominance`` (``.parts[name]``)."""
    return analyse(scenario, SENSITIVITY, method=method, perspective=perspective,
                    samples=samples, seed=seed, allow_any_path=allow_any_path)


def tipping(
    scenario: object,
    *,
    method: object = None,
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    allow_any_path: bool = False,
) -> ScenarioAnalyses:
    """``decision tipping``: how far each indicator must move to change the outcome
    (``tipping``) and what opens the gated options (``openings``)."""
    return analyse(scenario, TIPPING, method=method, perspective=perspective,
                    samples=samples, seed=seed, allow_any_path=allow_any_path)


def portfolio(
    scenario: object,
    *,
    budgets: Mapping[str, float] | None = None,
    method: object = None,
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    allow_any_path: bool = False,
) -> PortfolioReport:
    """``decision portfolio``: the best bundle of options within ``budgets`` (resource ->
    amount, overriding the scenario's), the efficient frontier and each option's core index."""
    from decision.analyses.portfolio.problem import portfolio as bundles

    run = _run(scenario, method=method, perspective=perspective, samples=samples, seed=seed,
               allow_any_path=allow_any_path)
    return bundles(run.model, run.inputs, _budgets(budgets, list(run.model.spec.resources)))


def _budgets(budgets: object, resources: Sequence[str]) -> dict[str, float] | None:
    if budgets is None:
        return None
    if not isinstance(budgets, Mapping):
        raise DecisionError(f"got {_described(budgets)}", key_path="budgets",
                            allowed="a mapping of resource name to amount, e.g. {'money': 5}")
    chosen: dict[str, float] = {}
    for name, amount in budgets.items():
        if name not in resources:
            raise DecisionError(
                f"budget for '{name}', which is no resource of the model"
                f"{did_you_mean(str(name), resources)}",
                key_path="budgets",
                allowed=f"resources of the model: {list_allowed(resources) or 'none'}",
            )
        chosen[name] = _real(amount, f"budgets.{name}", 0.0, math.inf)
    return chosen


def explain(
    scenario: object,
    option: str,
    *,
    method: object = None,
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    allow_any_path: bool = False,
) -> Explanation:
    """``decision explain``: one option's score broken into criteria, judgements and
    indicator effects, with the evidence cited and the preconditions it fails."""
    from decision.study.explain import explain_option

    run = _run(scenario, method=method, perspective=perspective, samples=samples, seed=seed,
               allow_any_path=allow_any_path)
    options = run.model.options
    if not isinstance(option, str) or option not in options:
        shown = f"'{option}'" if isinstance(option, str) else _described(option)
        hint = did_you_mean(option, options) if isinstance(option, str) else ""
        raise DecisionError(f"unknown option {shown}{hint}", key_path="option",
                            allowed=list_allowed(options))
    return explain_option(run, option)


def plan(
    scenarios: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    budgets: Mapping[str, float] | None = None,
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    satisficing: float | None = None,
    margin: float | None = None,
    allow_any_path: bool = False,
    progress: Progress | None = None,
) -> PlanSet:
    """``decision plan``: the adaptive plan of each scenario (of one model) and across them:
    what to do now, the triggers, signposts, adaptation tipping points, hedges and pathway.
    ``budgets`` (resource -> amount) override the scenarios'; ``satisficing`` and ``margin``
    their ``plan:`` settings (package-value scale); ``samples`` is the plan's samples per
    period, beyond the report's cap of 1,000 too (read in spans, tallies only)."""
    from decision.load.loading import load_scenario
    from decision.study.plan import plan_paths

    paths = _paths(scenarios)
    options = _options(samples, seed)
    least, switch = (
        None if value is None else _real(value, name, -math.inf, math.inf)
        for name, value in (("satisficing", satisficing), ("margin", margin))
    )
    if budgets is not None:  # checked against the model's resources, named as Python names them
        resources = list(load_scenario(paths[0], allow_any_path=allow_any_path)[1].spec.resources)
        budgets = _budgets(budgets, resources)
    return plan_paths(
        paths, budgets=[f"{name}={amount!r}" for name, amount in (budgets or {}).items()],
        perspective=_perspective(perspective), samples=options["samples"],
        seed=options["seed"], satisficing=least, margin=switch, allow_any_path=allow_any_path,
        progress=progress,
    )


#: The choices of ``decision.explore``'s text arguments (the command's ``click.Choice``s).
EXPLORE_DESIGNS = ("lhs", "sobol", "mc")
EXPLORE_SENSITIVITY = ("auto", "sobol", "morris", "given", "none")
EXPLORE_FORMATS = ("workbench", "parquet")


def explore(
    scenario: str | os.PathLike[str],
    *,
    samples: int = 4096,
    design: str = "lhs",
    seed: int | None = None,
    outcomes: str | Sequence[str] = (),
    sensitivity: str = "auto",
    sensitivity_samples: int | None = None,
    hold_weights: bool = False,
    out: str | os.PathLike[str] | None = None,
    formats: str | Sequence[str] = ("workbench",),
    allow_any_path: bool = False,
    progress: Progress | None = None,
) -> Exploration:
    """``decision explore``: sample every uncertain input of a scenario (or of a model at its
    baseline) jointly over a ``design`` of ``samples`` (``lhs``, ``sobol``: a power of two, or
    ``mc``) and say when the plan fails or another option wins (``outcomes`` as the command
    writes them: ``package-loses``, ``below-satisficing``, ``regret:LEVEL``, ``top:OPTION``,
    ``in-package:OPTION``, ``out-of-package:OPTION``; a default set if none), which inputs
    matter (``sensitivity``) and which are worth resolving first (value of information).
    ``hold_weights`` keeps the scenario's weights; with ``out``, the experiments and outcomes
    are written to that folder in ``formats`` (``workbench``, ``parquet``)."""
    from decision.analyses.explore.design import check_design
    from decision.analyses.explore.outcomes import parse_outcome, scenario_portfolio
    from decision.analyses.explore.run import explore as run_exploration
    from decision.study.explore_inputs import check_extra, explore_inputs, sensitivity_method

    path = _path(scenario)
    count = _whole(samples, "samples", 1, MAX_SAMPLES)
    kind = _choice(design, "design", EXPLORE_DESIGNS)
    chosen_seed = None if seed is None else _whole(seed, "seed", 0, 2**63 - 1)
    texts = _texts(outcomes, "outcomes", "an outcome such as 'package-loses' or 'top:OPTION', "
                   "or a list of them")
    method = _choice(sensitivity, "sensitivity", EXPLORE_SENSITIVITY)
    base = None if sensitivity_samples is None else _whole(
        sensitivity_samples, "sensitivity_samples", 2, 1 << 24)
    kinds = [_choice(f, f"formats[{k}]", EXPLORE_FORMATS) for k, f in
             enumerate(_texts(formats, "formats", "'workbench', 'parquet' or a list of them"))]
    folder = None
    if out is not None:
        if not isinstance(out, str | os.PathLike) or not os.fspath(out):
            raise DecisionError(f"got {_described(out)}", key_path="out",
                                allowed="a path to the folder for the experiments and outcomes")
        folder = Path(os.fspath(out))
    try:
        check_design(kind, count)
    except DecisionError as error:
        raise _named(error, str(error.key_path).removeprefix("--")) from None
    method = sensitivity_method(method, base)
    chosen_formats = tuple(kinds) or ("workbench",)
    check_extra("parquet" in chosen_formats and folder is not None)
    model, inputs, satisficing = explore_inputs(path, chosen_seed, allow_any_path)
    packaged = scenario_portfolio(model, inputs, satisficing).options
    parsed = []
    for k, text in enumerate(texts):
        try:
            parsed.append(parse_outcome(text, model.options, packaged))
        except DecisionError as error:
            raise _named(error, f"outcomes[{k}]") from None
    return run_exploration(
        model, inputs, samples=count, design=kind, seed=inputs.seed, outcomes=parsed,
        satisficing=satisficing, sensitivity=method, sensitivity_samples=base,
        hold_weights=bool(hold_weights), out=folder, formats=chosen_formats, progress=progress,
    )


def _choice(value: object, key: str, choices: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        hint = did_you_mean(value, choices) if isinstance(value, str) else ""
        shown = f"'{value}'" if isinstance(value, str) else _described(value)
        raise DecisionError(f"got {shown}{hint}", key_path=key, allowed=", ".join(choices))
    return value


def _texts(value: object, key: str, allowed: str) -> list[str]:
    """One text or a list of texts."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise DecisionError(f"got {_described(value)}", key_path=key, allowed=allowed)
    return list(value)


def _named(error: DecisionError, key: str) -> DecisionError:
    """``error`` with its key path (a command-line flag) replaced by the Python argument."""
    return DecisionError(error.what, file=error.file, line=error.line, column=error.column,
                         key_path=key, allowed=error.allowed)


# -------------------------------------------------------------------------- plain matrices


def rank(
    matrix: str | os.PathLike[str] | DecisionMatrix | Any,
    weights: str | Sequence[float] | Mapping[str, float] | None = None,
    types: str | Sequence[object] | Mapping[str, object] | None = None,
    *,
    method: str = "topsis",
    params: Mapping[str, Any] | None = None,
) -> MatrixRanking:
    """``decision rank``: rank a plain decision matrix without a model.

    ``matrix``: a CSV, YAML or XMCDA 4 file, a :class:`~decision.files.matrix.DecisionMatrix`
    or a pandas DataFrame (options as the index, criteria as the columns). ``weights``: one
    number per criterion (a list in criterion order or a mapping by name), ``"entropy"`` or
    ``"critic"``; ``types``: per criterion ``"benefit"``/``"cost"``, ``"max"``/``"min"``,
    ``1``/``-1`` or True/False. Both may be left out for an XMCDA file that gives them.
    ``params``: the method's parameters (e.g. ``{"normalisation": "minmax"}``; PROMETHEE's
    ``preference``, taken from an XMCDA file's thresholds when not given).
    """
    from decision.study.plain_matrix import rank_decision_matrix

    table, file, loaded = _matrix(matrix)
    if not isinstance(method, str):
        raise DecisionError(f"got {_described(method)}", key_path="method",
                            allowed="a method name such as 'topsis'")
    if params is not None and not isinstance(params, Mapping):
        raise DecisionError(f"got {_described(params)}", key_path="params",
                            allowed="a mapping such as {'normalisation': 'minmax'}")
    chosen = dict(params or {})
    from decision.study.plain_matrix import is_promethee

    if (table is not None and table.preference is not None and is_promethee(method)
            and "preference" not in chosen):
        chosen["preference"] = list(table.preference)
    benefit = _types(types, loaded.criteria, table)
    weight_vector = _weights(weights, loaded, benefit, table)
    return rank_decision_matrix(loaded, weight_vector, benefit, method, chosen, file)


def _matrix(matrix: object) -> tuple[XmcdaTable | None, str, DecisionMatrix]:
    from decision.files.matrix import DecisionMatrix, load_matrix, table_matrix

    if isinstance(matrix, str | os.PathLike):
        file = os.fspath(matrix)
        if file.lower().endswith(".xml"):
            from decision.files.xmcda import read_xmcda

            table = read_xmcda(file)
            return table, file, table_matrix(table, file)
        return None, file, load_matrix(file)
    if isinstance(matrix, DecisionMatrix):
        return None, "<matrix>", matrix
    if all(hasattr(matrix, name) for name in ("index", "columns", "to_numpy")):
        return None, "<DataFrame>", _from_frame(matrix)
    raise DecisionError(
        f"got {_described(matrix)}", key_path="matrix",
        allowed="a .csv, .yaml or .xml (XMCDA 4) path, a DecisionMatrix or a pandas "
        "DataFrame with options as the index and criteria as the columns",
    )


def _from_frame(table: Any) -> DecisionMatrix:
    from decision.files.matrix import DecisionMatrix

    options = tuple(str(i) for i in table.index)
    criteria = tuple(str(c) for c in table.columns)
    try:
        values = np.asarray(table.to_numpy(dtype=np.float64), dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise DecisionError(
            f"the DataFrame holds a value that is not a number ({error})", key_path="matrix",
            allowed="numbers only",
        ) from None
    if not options or not criteria:
        raise DecisionError("the DataFrame is empty", key_path="matrix",
                            allowed="at least one option (row) and criterion (column)")
    for what, names in (("option", options), ("criterion", criteria)):
        if len(set(names)) != len(names):
            raise DecisionError(f"duplicate {what} names", key_path="matrix",
                                allowed=f"unique {what} names")
    bad = np.argwhere(~np.isfinite(values))
    if bad.size:
        row, column = (int(i) for i in bad[0])
        raise DecisionError(
            f"{values[row, column]} is not a finite number",
            key_path=f"matrix.{options[row]}.{criteria[column]}", allowed="finite numbers",
        )
    return DecisionMatrix(options, criteria, values)


_BENEFIT = {"1", "+1", "benefit", "max"}
_COST = {"-1", "cost", "min"}


def _types(types: object, criteria: Sequence[str], table: XmcdaTable | None) -> np.ndarray:
    from decision.files.matrix import parse_types

    n = len(criteria)
    allowed = (
        "one per criterion: 'benefit'/'cost', 'max'/'min', 1/-1 or True/False (a list in "
        "criterion order or a mapping by criterion)"
    )
    if types is None:
        if table is not None and table.benefit is not None:
            return np.array(table.benefit, dtype=np.bool_)
        raise DecisionError("no criterion types given", key_path="types", allowed=allowed)
    if isinstance(types, str):
        return parse_types(types, n, "types")
    items = _per_criterion(types, criteria, "types", allowed)
    benefit = []
    for criterion, item in zip(criteria, items, strict=True):
        token = str(item).strip().lower() if isinstance(item, str) else item
        if isinstance(token, bool | np.bool_):
            benefit.append(bool(token))
        elif isinstance(token, str) and token in _BENEFIT | _COST:
            benefit.append(token in _BENEFIT)
        elif _is_number(token) and float(token) in (1.0, -1.0):  # type: ignore[arg-type]
            benefit.append(float(token) == 1.0)  # type: ignore[arg-type]
        else:
            raise DecisionError(f"got {_described(item)}",
                                key_path=f"types.{criterion}", allowed=allowed)
    return np.array(benefit, dtype=np.bool_)


def _per_criterion(values: object, criteria: Sequence[str], key: str, allowed: str
                   ) -> list[object]:
    """One item per criterion from a list in criterion order or a mapping by name."""
    n = len(criteria)
    if isinstance(values, Mapping):
        unknown = [k for k in values if k not in criteria]
        if unknown:
            name = str(unknown[0])
            raise DecisionError(
                f"'{name}' is not a criterion of the matrix{did_you_mean(name, criteria)}",
                key_path=key, allowed=f"criteria: {list_allowed(criteria)}",
            )
        missing = [c for c in criteria if c not in values]
        if missing:
            raise DecisionError(f"nothing given for {', '.join(missing)}", key_path=key,
                                allowed=allowed)
        return [values[c] for c in criteria]
    if isinstance(values, Sequence | np.ndarray) and not isinstance(values, str):
        items = list(values)
        if len(items) != n:
            raise DecisionError(f"{len(items)} values for {n} criteria", key_path=key,
                                allowed=allowed)
        return items
    raise DecisionError(f"got {_described(values)}", key_path=key, allowed=allowed)


def _weights(
    weights: object, matrix: DecisionMatrix, benefit: np.ndarray, table: XmcdaTable | None
) -> np.ndarray:
    from decision.files.matrix import parse_weights

    criteria = matrix.criteria
    allowed = (
        "one number >= 0 per criterion (a list in criterion order or a mapping by criterion), "
        "or 'entropy' / 'critic'"
    )
    if weights is None:
        if table is not None and table.weights is not None:
            return np.array(table.weights, dtype=np.float64)
        raise DecisionError("no weights given", key_path="weights", allowed=allowed)
    if isinstance(weights, str):
        word = weights.strip().lower()
        if word in ("entropy", "critic"):
            from decision.core.methods.objective_weights import critic_weights, entropy_weights

            try:
                if word == "entropy":
                    return entropy_weights(matrix.values)
                return critic_weights(matrix.values, benefit)
            except DecisionError as error:
                raise error.located(key_path="weights") from None
        return parse_weights(weights, len(criteria), "weights")
    items = _per_criterion(weights, criteria, "weights", allowed)
    vector = []
    for criterion, item in zip(criteria, items, strict=True):
        if not _is_number(item) or not math.isfinite(float(item)) or float(item) < 0:  # type: ignore[arg-type]
            raise DecisionError(f"got {_described(item)}",
                                key_path=f"weights.{criterion}", allowed=allowed)
        vector.append(float(item))  # type: ignore[arg-type]
    if not any(vector):
        raise DecisionError("weights are all zero", key_path="weights", allowed=allowed)
    return np.array(vector, dtype=np.float64)


# ---------------------------------------------------------------------------------- XMCDA


def scenario_table(run: ScenarioRun) -> XmcdaTable:
    """One evaluated scenario as an XMCDA table: each option's performance at the point values
    (0-1 value scale), active where available; the criteria's directions, normalised weights
    and, for PROMETHEE, preference functions and thresholds."""
    from decision.files.xmcda import XmcdaTable

    model, result = run.model, run.result
    spec = model.spec
    preference = None
    params = run.inputs.method_params
    chosen = getattr(params, "preference", None)
    if chosen is not None:
        entries = chosen if isinstance(chosen, list) else [chosen] * len(model.criteria)
        preference = tuple(
            {"function": p.function, **{k: getattr(p, k) for k in "qps"
                                        if getattr(p, k) is not None}}
            for p in entries
        )
    method = result.method.get("name")
    return XmcdaTable(
        alternatives=tuple(model.options),
        criteria=tuple(model.criteria),
        values=np.array(run.evaluation.performance[0], dtype=np.float64),
        active=tuple(bool(a) for a in run.evaluation.available[0]),
        alternative_names=tuple(spec.options[o].title for o in model.options),
        criterion_comments=tuple(spec.criteria[c].description for c in model.criteria),
        weights=tuple(float(w) for w in run.evaluation.weights[0]),
        benefit=tuple(bool(b) for b in model.benefit),
        bounds=((0.0, 1.0),) * len(model.criteria),
        preference=preference,
        table_id=result.scenario,
        table_name=result.title,
        comment=(
            f"Scenario '{result.scenario}' of model '{result.model}' ({result.model_title}): "
            "each option's performance at the scenario's point values on the 0-1 value scale "
            f"(higher is better on a max criterion); normalised weights; method {method}. "
            "Options that are not available are inactive."
        ),
    )


def export_xmcda(
    scenario: object,
    out: str | os.PathLike[str] | None = None,
    *,
    method: object = None,
    perspective: str | None = None,
    seed: int | None = None,
    allow_any_path: bool = False,
    argument_names: ArgumentNames | None = None,
) -> bytes:
    """``decision export --xmcda``: one scenario as an XMCDA 4.0.0 document (alternatives,
    criteria, performance table, directions, weights and PROMETHEE thresholds: see
    :mod:`decision.files.xmcda`). Written atomically to ``out`` if given; the bytes are
    returned either way. The performance is at the point values (no Monte Carlo)."""
    from decision.files.xmcda import to_xml

    run = _run(scenario, method=method, perspective=perspective,
               samples=None if _is_run(scenario) else 1, seed=seed,
               allow_any_path=allow_any_path)
    data = to_xml(scenario_table(run))
    if out is not None:
        inputs = [Path(run.result.model_path), *(Path(p) for p in run.inputs.chain),
                  Path(run.result.scenario_path)]
        write_output(out, data, inputs, argument_name("out", argument_names))
    return data


def _is_run(scenario: object) -> bool:
    from decision.study.scenario import ScenarioRun

    return isinstance(scenario, ScenarioRun)


def read_xmcda(path: str | os.PathLike[str]) -> XmcdaTable:
    """An XMCDA 4.0.0 file's performance table, alternatives (with their active flags),
    criteria, weights, directions and PROMETHEE thresholds (see
    :class:`~decision.files.xmcda.XmcdaTable`); ``decision.rank(path)`` ranks it."""
    from decision.files.xmcda import read_xmcda as read

    if not isinstance(path, str | os.PathLike):
        raise DecisionError(f"got {_described(path)}", key_path="path",
                            allowed="a path to an XMCDA file")
    return read(os.fspath(path))


def write_output(
    out: str | os.PathLike[str], data: bytes, inputs: Sequence[Path], key_path: str
) -> None:
    """Write ``data`` to the file ``out`` atomically (a temporary file beside it, synced, then
    renamed over it); refused when ``out`` is a directory or one of the ``inputs``."""
    from decision.files.atomic import write_file_atomic

    if not isinstance(out, str | os.PathLike) or not os.fspath(out):
        raise DecisionError(f"got {_described(out)}", key_path=key_path,
                            allowed="a path to the file to write")
    target = Path(os.fspath(out))
    try:
        resolved = target.resolve()
        for path in inputs:
            if path.exists() and path.resolve() == resolved:
                raise DecisionError(
                    f"refusing to write over '{target}': it is an input of the scenario",
                    key_path=key_path, allowed="a new file, e.g. scenario.xml",
                )
        if target.is_dir():
            raise DecisionError(f"'{target}' is a directory", key_path=key_path,
                                allowed="a file path")
        write_file_atomic(target, data)
    except OSError as exc:
        raise DecisionError(
            f"cannot write '{target}': {exc.strerror or exc}", key_path=key_path,
            allowed="a file in a writable directory",
        ) from None
