"""The model's recommendations as a portfolio: build the bundle problem of a scenario.

Each option's value in a bundle is additive and measured against the reference option (the
model's no-action option where it has one): ``sum_c w_c (v_oc - v_ref,c)`` on the 0-1 value
scale, whatever aggregation method the scenario ranks with, since portfolio value must add up.
Interactions add ``sum_c w_c effect_c`` when all their members are adopted. Costs are the
model's resource use per option (sampled within their ranges, triangular around the value);
success likelihoods are sampled with the Monte Carlo run's draws, so a bundle's value is its
expected value;
budgets come from the scenario (or ``--budget``); a resource without a budget is unlimited.

A scenario run with one sample gives the point problem; with more, up to ``MAX_SAMPLES`` of
the scenario's Monte Carlo samples (the same draws as its SMAA run, in the same RNG blocks)
give each bundle's probability of being best and the options' core indices. The cap keeps the
report's portfolio sections (which hold per-sample arrays) small. A caller that streams samples
and keeps tallies only (the adaptive plan asked for more samples, :mod:`decision.analyses.
plan_worlds`) asks for any ``span`` of samples instead: samples ``[a, b)`` of the same draws,
whatever the cap, so spans of one run put end to end are the problem of all its samples.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from decision.analyses.portfolio.enumerate import (
    MAX_OPTIONS,
    BundleShare,
    FrontierPoint,
    Interaction,
    PortfolioProblem,
    PortfolioResult,
    analyse_portfolio,
)
from decision.core.compile import CompiledModel, FloatArray, ScenarioInputs
from decision.core.engine import contributions, state
from decision.core.weights import normalise_weights
from decision.errors import DecisionError, abbreviate, did_you_mean, list_allowed
from decision.results import SKIP, key
from decision.uncertainty.sampling import block_drawer, draw_judgements, draw_range, weight_model

#: Samples used for the portfolio analysis of a sampled scenario.
MAX_SAMPLES = 1000


VALUE_DEFINITION = "sum over criteria of weight x (value - reference's value)"
#: Which of several equally good bundles counts as the best one.
TIE_RULE = "lowest mask"


@dataclass(frozen=True)
class NamedBundle:
    """A bundle by option names and how often it is the best one (see :class:`BundleShare`)."""

    mask: int
    members: list[str]
    probability: float
    value: float
    feasible_share: float


@dataclass(frozen=True)
class NamedFrontierPoint:
    """A frontier bundle by option names, with its use of every resource by name."""

    mask: int
    members: list[str]
    value: float
    cost: float
    costs: dict[str, float]
    within_budget: bool


@dataclass(frozen=True)
class OptionIndices:
    """One option's part in the best bundles (see :class:`PortfolioResult`)."""

    option: str
    core_index: float
    core_class: str = field(metadata=key("class"))
    in_best: float
    marginal: float


@dataclass(frozen=True)
class PortfolioReport:
    """A scenario's portfolio analysis with option and resource names: the index-based kernel
    ``result`` (kept for further analysis) read out by name."""

    scenario: str
    options: list[str]  # the options that may be in bundles (the reference is not)
    resources: list[str]
    budgets: dict[str, float | None]  # None: unlimited
    reference: str | None
    result: PortfolioResult = field(metadata=SKIP)
    value_definition: str = field(init=False, default=VALUE_DEFINITION)
    samples: int = field(init=False)
    best: NamedBundle = field(init=False)
    top_bundles: list[NamedBundle] = field(init=False)
    mean_sample_best_value: float = field(init=False)
    frontiers: dict[str, list[NamedFrontierPoint]] = field(init=False)
    per_option: list[OptionIndices] = field(init=False)
    nondominated_count: int = field(init=False)
    tie_rule: str = field(init=False, default=TIE_RULE)
    n_options: int = field(init=False)

    def __post_init__(self) -> None:
        result, names = self.result, self.options
        if len(names) != result.n_options or len(self.resources) != result.n_resources:
            raise ValueError("option or resource names do not match the problem's size")

        def bundle(b: BundleShare) -> NamedBundle:
            members = [names[i] for i in b.members]
            return NamedBundle(b.mask, members, b.probability, b.value, b.feasible_share)

        def point(p: FrontierPoint) -> NamedFrontierPoint:
            costs = dict(zip(self.resources, p.costs, strict=True))
            members = [names[i] for i in p.members]
            return NamedFrontierPoint(p.mask, members, p.value, p.cost, costs, p.within_budget)

        derived = {
            "n_options": result.n_options,
            "samples": result.n_samples,
            "best": bundle(result.best),
            "top_bundles": [bundle(b) for b in result.top_bundles],
            "mean_sample_best_value": float(result.sample_best_values.mean()),
            "frontiers": {
                r: [point(p) for p in result.frontiers[k]] for k, r in enumerate(self.resources)
            },
            "per_option": [
                OptionIndices(
                    name,
                    float(result.core_index[i]),
                    result.core_class[i],
                    float(result.in_best[i]),
                    float(result.marginal[i]),
                )
                for i, name in enumerate(names)
            ],
            "nondominated_count": result.nondominated_count,
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    @property
    def best_members(self) -> list[str]:
        return self.best.members


def parse_budgets(items: Sequence[str], resources: Sequence[str]) -> dict[str, float]:
    """``--budget resource=amount`` pairs, checked against the model's resources."""
    budgets: dict[str, float] = {}
    for item in items:
        name, sep, amount = item.partition("=")
        name = name.strip()
        allowed = f"RESOURCE=AMOUNT with a resource of the model: {list_allowed(resources)}"
        if not sep or name not in resources:
            raise DecisionError(
                f"budget '{abbreviate(item)}' names no resource of the model"
                f"{did_you_mean(name, resources)}",
                key_path="--budget",
                allowed=allowed,
            )
        try:
            value = float(amount)
        except ValueError:
            value = float("nan")
        if not np.isfinite(value) or value < 0:
            raise DecisionError(
                f"budget '{abbreviate(item)}' is not a number >= 0", key_path="--budget",
                allowed=allowed,
            )
        budgets[name] = value
    return budgets


def portfolio_problem(
    model: CompiledModel,
    inputs: ScenarioInputs,
    budgets: Mapping[str, float] | None = None,
    *,
    span: tuple[int, int] | None = None,
) -> tuple[PortfolioProblem, list[str], list[str], dict[str, float | None]]:
    """The scenario's bundle problem, the bundle options, resources and budgets used; with
    ``span``, that of samples ``[a, b)`` of a sampled scenario (see the module docstring)."""
    spec = model.spec
    resources = list(spec.resources)
    chosen = {**inputs.budgets, **(budgets or {})}
    reference = model.reference
    eligible = [o for o in range(len(model.options)) if o != reference]
    reason = too_many_for_bundles(model)
    if reason is not None:
        raise _located(
            DecisionError(
                reason, key_path="options",
                allowed=f"at most {MAX_OPTIONS} options besides the reference for bundles",
            ),
            model.path,
        )
    samples = 1 if inputs.samples <= 1 else min(inputs.samples, MAX_SAMPLES)
    first = 0
    if span is not None and samples > 1:
        first, samples = span[0], span[1] - span[0]
    cost_value = np.zeros((len(model.options), len(resources)))
    cost_low, cost_high = cost_value.copy(), cost_value.copy()
    for o, name in enumerate(model.options):
        for k, resource in enumerate(resources):
            cost = spec.options[name].costs.get(resource)
            if cost is not None:
                cost_value[o, k] = cost.value
                cost_low[o, k] = cost.value if cost.low is None else cost.low
                cost_high[o, k] = cost.value if cost.high is None else cost.high
    if inputs.samples <= 1:
        values = inputs.values[None, :]
        judgement: FloatArray | None = None
        likelihood: FloatArray | None = None
        weights = normalise_weights(inputs.weights)[None, :]
        costs = cost_value[None]
    else:
        base = block_drawer(model, inputs, weight_model(model, inputs), likelihood=True)
        shape = model.spec.judgement_distribution

        def draw(rng: np.random.Generator, m: int) -> tuple[FloatArray, ...]:
            drawn = base(rng, m)  # the Monte Carlo run's own draws, then the costs
            return (*drawn, draw_judgements(cost_value, cost_low, cost_high, rng, m, shape))

        values, judgement, weights, likelihood, costs = draw_range(
            inputs.seed, first, first + samples, draw
        )
    perf, available = state(model, values, judgement, likelihood)
    totals = contributions(perf, weights, model.benefit).sum(axis=-1)  # (s, o)
    if reference is not None:
        totals = totals - totals[:, reference : reference + 1]
    position = {o: i for i, o in enumerate(eligible)}
    index = model.index("options")
    criteria = model.index("criteria")
    interactions = []
    for it in spec.interactions:
        members = [index[name] for name in it.options]
        if any(m not in position for m in members):
            continue  # an interaction with the reference option has no bundle to apply to
        effect = np.zeros(len(model.criteria))
        for name, delta in it.effects.items():
            effect[criteria[name]] = delta
        interactions.append(Interaction(tuple(position[m] for m in members), weights @ effect))
    pairs = [
        (position[index[a]], position[index[b]])
        for a, b in (ex.options for ex in spec.exclusions)
        if index[a] in position and index[b] in position
    ]
    dependencies = [
        (position[index[d.option]], position[index[d.requires]])
        for d in spec.dependencies
        if index[d.option] in position and index[d.requires] in position
    ]
    limits = np.array([chosen.get(r, np.inf) for r in resources], dtype=np.float64)
    problem = PortfolioProblem(
        values=totals[:, eligible],
        costs=np.asarray(costs)[:, eligible, :],
        budgets=limits,
        available=available[:, eligible],
        interactions=interactions,
        exclusions=pairs,
        dependencies=dependencies,
    )
    used = {
        r: (None if not np.isfinite(b) else float(b))
        for r, b in zip(resources, limits, strict=True)
    }
    return problem, [model.options[o] for o in eligible], resources, used


def _located(error: DecisionError, path: str) -> DecisionError:
    """The error at the line of the model's ``options`` key (the file is read again: the
    compiled model keeps no positions, and this error is rare)."""
    from decision.files.yamlio import load_yaml

    try:
        where = load_yaml(Path(path)).locate(("options",)) if path else None
    except (DecisionError, OSError):
        where = None
    line, column = where if where else (None, None)
    return error.located(file=path or None, line=line, column=column)


def too_many_for_bundles(model: CompiledModel) -> str | None:
    """Why the model's options cannot be enumerated as bundles (None when they can): exact
    enumeration looks at every subset, 2**20 of them at the most. The portfolio, the plan and
    explore refuse such a model with it; compare's report says it leaves bundles out."""
    n = len(model.options) - (model.reference is not None)
    if n <= MAX_OPTIONS:
        return None
    return (
        f"the model has {n} options besides the reference; bundles are found by looking at "
        f"every subset of at most {MAX_OPTIONS} options (2^{MAX_OPTIONS} bundles)"
    )


def portfolio(
    model: CompiledModel, inputs: ScenarioInputs, budgets: Mapping[str, float] | None = None
) -> PortfolioReport:
    """The best bundle, frontiers and option indices of one scenario."""
    problem, options, resources, used = portfolio_problem(model, inputs, budgets)
    return PortfolioReport(
        scenario=inputs.id,
        options=options,
        resources=resources,
        budgets=used,
        reference=None if model.reference is None else model.options[model.reference],
        result=analyse_portfolio(problem),
    )
