"""Compile specs into plain numpy arrays and index maps, once per model and scenario.

The numeric core (engine, methods, analyses) sees only what is built here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from decision.core.expressions import Expression, parse_expression
from decision.core.methods import MethodParams, get_method
from decision.specs import MethodChoice, ModelSpec, WeightUncertaintySpec
from decision.specs.model import ValueFunctionSpec
from decision.specs.resolved import LoadedModel, Scenario, indicator_kinds

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Precondition:
    """A compiled precondition of one option."""

    option: int
    expression: Expression
    reason: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Likelihoods:
    """Success likelihoods of the ``l`` options that carry one (see ``LikelihoodSpec``): their
    probability as a point value and a low..high range (sampled like the judgements), and their
    performance if they fail, NaN where it is the reference option's."""

    options: NDArray[np.intp]  # (l,) positions of the options
    value: FloatArray  # (l,)
    low: FloatArray  # (l,)
    high: FloatArray  # (l,)
    failure: FloatArray  # (l, c) on the 0-1 value scale; NaN: the reference option's
    effects: FloatArray  # (i, l) change in probability per whole range of the indicator

    @property
    def uncertain(self) -> bool:
        """Whether any likelihood has a range to sample (else no draw is made)."""
        return bool(np.any(self.low < self.high))

    @cached_property
    def fails_to_reference(self) -> bool:
        """Whether every option fails to the reference option's performance (no
        ``if_failure`` anywhere)."""
        return bool(np.all(np.isnan(self.failure)))

    @cached_property
    def effect_columns(self) -> tuple[tuple[int, NDArray[np.intp], FloatArray], ...]:
        """Per indicator with any effect on a likelihood: the likelihoods it moves and by how
        much per unit (the sparse form of ``effects``, as ``CompiledModel.effect_columns``)."""
        return tuple(
            (k, rows, self.effects[k, rows])
            for k in range(self.effects.shape[0])
            if (rows := np.flatnonzero(self.effects[k])).size
        )


@dataclass(frozen=True)
class ExpertPools:
    """The ``e`` judgements given by several experts, sampled from their linear opinion pool.
    Each row lists its ``m`` experts (rows with fewer are padded with weight 0)."""

    columns: NDArray[np.intp]  # (e,) flat (option, criterion) positions: o * c_count + c
    low: FloatArray  # (e, m)
    mode: FloatArray  # (e, m)
    high: FloatArray  # (e, m)
    weight: FloatArray  # (e, m) normalised per row; 0 for padding


def _expert_pools(
    spec: ModelSpec, options: tuple[str, ...], criteria: tuple[str, ...]
) -> ExpertPools | None:
    """The model's pooled judgements as arrays, or None when no entry has experts."""
    rows = [
        (o * len(criteria) + c, perf.experts)
        for o, name in enumerate(options)
        for c, criterion in enumerate(criteria)
        if (perf := spec.options[name].performance[criterion]).experts
    ]
    if not rows:
        return None
    m = max(len(experts) for _, experts in rows)
    low, mode, high, weight = (np.zeros((len(rows), m)) for _ in range(4))
    for r, (_, experts) in enumerate(rows):  # per entry, once at compile time
        for j, expert in enumerate(experts):
            low[r, j], mode[r, j], high[r, j] = expert.low, expert.mode, expert.high
            weight[r, j] = expert.weight
        low[r, len(experts) :] = low[r, 0]  # padding: a valid range, never picked
        mode[r, len(experts) :] = mode[r, 0]
        high[r, len(experts) :] = high[r, 0]
    weight /= weight.sum(axis=1, keepdims=True)
    columns = np.array([column for column, _ in rows], dtype=np.intp)
    return ExpertPools(columns, low, mode, high, weight)


@dataclass(frozen=True)
class ValueFunction:
    """A piecewise-linear effect of one indicator on one (option, criterion) entry (see
    ``ValueFunctionSpec``): ``f(x) - f(baseline)``, ``f`` linear between the points and
    constant beyond the ends."""

    indicator: int
    column: int  # flat (option, criterion) position: o * len(criteria) + c
    x: FloatArray  # (p,) strictly increasing, in the indicator's natural units
    dv: FloatArray  # (p,) change in value at each x
    at_baseline: float  # f(baseline), so the effect is exactly 0 at the baseline

    def shift(self, values: FloatArray) -> FloatArray:
        """The change in value at the indicator's ``values`` (any shape), element by element
        (a sample's result does not depend on the others)."""
        out: FloatArray = np.interp(values, self.x, self.dv)
        out -= self.at_baseline
        return out


@dataclass(frozen=True)
class CompiledModel:
    """A model as arrays. Axes: i = indicators, o = options, c = criteria."""

    spec: ModelSpec
    path: str
    indicators: tuple[str, ...]
    options: tuple[str, ...]
    criteria: tuple[str, ...]
    is_boolean: BoolArray  # (i,)
    low: FloatArray  # (i,) range of each indicator (0..1 for booleans)
    high: FloatArray  # (i,)
    baseline: FloatArray  # (i,)
    weights: FloatArray  # (c,) as written in the model (not normalised)
    benefit: BoolArray  # (c,)
    judgement: FloatArray  # (o, c) baseline judgements
    judgement_low: FloatArray  # (o, c)
    judgement_high: FloatArray  # (o, c)
    effects: FloatArray  # (i, o, c) linear effects: value change per unit of the indicator
    preconditions: tuple[Precondition, ...]
    perspectives: dict[str, FloatArray] = field(repr=False)
    reference: int | None = None
    likelihoods: Likelihoods | None = None  # None: every option succeeds for certain
    #: Piecewise-linear effects, in model order (their entries in ``effects`` are 0)
    value_functions: tuple[ValueFunction, ...] = ()
    #: Judgements pooled from several experts (None: none is)
    experts: ExpertPools | None = None

    @cached_property
    def effect_columns(self) -> tuple[tuple[int, NDArray[np.intp], FloatArray], ...]:
        """Per indicator with any effect: the flat (option, criterion) columns it moves and by
        how much per unit: the sparse form of ``effects`` that the engine accumulates."""
        flat = self.effects.reshape(len(self.indicators), -1)
        out = []
        for k in range(flat.shape[0]):
            columns = np.flatnonzero(flat[k])
            if columns.size:
                out.append((k, columns, flat[k, columns]))
        return tuple(out)

    @property
    def span(self) -> FloatArray:
        """Width of each indicator's range (1 for booleans)."""
        result: FloatArray = self.high - self.low
        return result

    def index(self, kind: str) -> dict[str, int]:
        """Id -> position for 'indicators', 'options' or 'criteria'."""
        ids: tuple[str, ...] = getattr(self, kind)
        return {name: k for k, name in enumerate(ids)}


def compile_model(model: LoadedModel) -> CompiledModel:
    """Build the arrays of a validated model."""
    spec = model.spec
    indicators = tuple(spec.indicators)
    options = tuple(spec.options)
    criteria = tuple(spec.criteria)
    ind_pos = {name: k for k, name in enumerate(indicators)}
    is_boolean = np.array([spec.indicators[i].type == "boolean" for i in indicators], dtype=bool)
    low = np.array([spec.indicators[i].low for i in indicators], dtype=np.float64)
    high = np.array([spec.indicators[i].high for i in indicators], dtype=np.float64)
    baseline = np.array([float(spec.indicators[i].baseline) for i in indicators], dtype=np.float64)
    shape = (len(options), len(criteria))
    judgement = np.zeros(shape)
    judgement_low = np.zeros(shape)
    judgement_high = np.zeros(shape)
    effects = np.zeros((len(indicators), *shape))
    span = high - low
    kinds = indicator_kinds(spec)
    preconditions: list[Precondition] = []
    functions: list[ValueFunction] = []
    for o, name in enumerate(options):
        option = spec.options[name]
        for c, criterion in enumerate(criteria):
            perf = option.performance[criterion]
            judgement[o, c] = perf.value
            judgement_low[o, c] = perf.value if perf.low is None else perf.low
            judgement_high[o, c] = perf.value if perf.high is None else perf.high
            for indicator, effect in perf.effects.items():
                k = ind_pos[indicator]
                if isinstance(effect, ValueFunctionSpec):
                    x = np.array([point[0] for point in effect.points], dtype=np.float64)
                    dv = np.array([point[1] for point in effect.points], dtype=np.float64)
                    at = float(np.interp(baseline[k], x, dv))
                    functions.append(ValueFunction(k, o * len(criteria) + c, x, dv, at))
                else:
                    effects[k, o, c] = effect
        for pre in option.preconditions:
            preconditions.append(
                Precondition(o, parse_expression(pre.when, kinds), pre.reason, tuple(pre.evidence))
            )
    perspectives = {
        name: np.array([p.weights[c] for c in criteria], dtype=np.float64)
        for name, p in spec.perspectives.items()
        if p.weights is not None
    }
    references = [o for o, name in enumerate(options) if spec.options[name].reference]
    compiled = CompiledModel(
        likelihoods=_likelihoods(spec, options, criteria, indicators, span),
        spec=spec,
        path=str(model.path),
        indicators=indicators,
        options=options,
        criteria=criteria,
        is_boolean=is_boolean,
        low=low,
        high=high,
        baseline=baseline,
        weights=np.array([spec.criteria[c].weight for c in criteria], dtype=np.float64),
        benefit=np.array([spec.criteria[c].direction == "benefit" for c in criteria], dtype=bool),
        judgement=judgement,
        judgement_low=judgement_low,
        judgement_high=judgement_high,
        effects=effects / span[:, None, None],
        preconditions=tuple(preconditions),
        perspectives=perspectives,
        reference=references[0] if references else None,
        value_functions=tuple(functions),
        experts=_expert_pools(spec, options, criteria),
    )
    for name, p in spec.perspectives.items():  # in the file's order
        if p.objective is not None:
            perspectives[name] = objective_weights(compiled, p.objective)
        else:
            perspectives[name] = perspectives.pop(name)
    return compiled


def objective_weights(model: CompiledModel, kind: str) -> FloatArray:
    """Entropy or CRITIC weights ``(c,)`` of the options available at the model's baseline,
    on their baseline performance (see :class:`~decision.specs.PerspectiveSpec`)."""
    from decision.core.methods.objective_weights import critic_weights, entropy_weights

    perf, available = baseline_table(model)
    if kind == "entropy":
        return np.asarray(entropy_weights(perf, available), dtype=np.float64)
    return np.asarray(critic_weights(perf, model.benefit, available), dtype=np.float64)


def baseline_table(model: CompiledModel) -> tuple[FloatArray, BoolArray]:
    """Performance ``(o, c)`` and availability ``(o,)`` at the model's baseline, where every
    effect is zero: the judgements (clipped), each option with a likelihood mixed with its
    failure case by its point probability, and the preconditions evaluated once. It is what
    :func:`decision.core.engine.state` gives at the baseline (a test keeps them equal),
    written here so that compiling does not import the engine."""
    perf = np.clip(model.judgement, 0.0, 1.0)
    chances = model.likelihoods
    if chances is not None:
        failure = chances.failure
        if model.reference is not None:
            failure = np.where(np.isnan(failure), perf[model.reference], failure)
        p = chances.value[:, None]
        perf[chances.options] = np.clip(p * perf[chances.options] + (1.0 - p) * failure, 0, 1)
    columns = {name: model.baseline[k : k + 1] for k, name in enumerate(model.indicators)}
    available = np.ones(len(model.options), dtype=bool)
    for pre in model.preconditions:
        available[pre.option] &= bool(pre.expression.evaluate(columns)[0])
    return perf, available


def _likelihoods(
    spec: ModelSpec,
    options: tuple[str, ...],
    criteria: tuple[str, ...],
    indicators: tuple[str, ...],
    span: FloatArray,
) -> Likelihoods | None:
    """The options' likelihoods as arrays, or None when no option has one."""
    carrying = [o for o, name in enumerate(options) if spec.options[name].likelihood is not None]
    if not carrying:
        return None
    specs = [spec.options[options[o]].likelihood for o in carrying]
    value = np.array([s.value for s in specs if s is not None], dtype=np.float64)
    low = np.array(
        [s.value if s.low is None else s.low for s in specs if s is not None], dtype=np.float64
    )
    high = np.array(
        [s.value if s.high is None else s.high for s in specs if s is not None], dtype=np.float64
    )
    failure = np.array(
        [[s.if_failure.get(c, np.nan) for c in criteria] for s in specs if s is not None],
        dtype=np.float64,
    )
    effects = np.zeros((len(indicators), len(specs)))
    for k, s in enumerate(specs):
        for name, effect in s.effects.items() if s is not None else ():
            effects[indicators.index(name), k] = effect / span[indicators.index(name)]
    return Likelihoods(np.array(carrying, dtype=np.intp), value, low, high, failure, effects)


@dataclass(frozen=True)
class ScenarioInputs:
    """What a scenario asks of the engine, as arrays and plain values."""

    id: str
    title: str
    description: str | None
    values: FloatArray  # (i,) point values: exact settings, or each distribution's centre
    settings: dict[int, Any]  # indicator position -> distribution spec (uncertain ones only)
    weights: FloatArray  # (c,) raw weights after perspective and overrides
    weight_uncertainty: WeightUncertaintySpec | None
    budgets: dict[str, float]
    perspective: str | None
    method: MethodChoice
    samples: int
    seed: int
    probability: float | None
    chain: tuple[str, ...] = ()  # the scenario files, root first, this one last
    #: (position a, position b, Spearman rank) of uncertain indicators, a < b, sorted
    correlations: tuple[tuple[int, int, float], ...] = ()

    @cached_property
    def method_params(self) -> MethodParams:
        """The method's parameters, validated once: the analyses' scans and bisections and the
        Monte Carlo chunks pass this, so nothing is re-validated in a hot loop."""
        return get_method(self.method.name).parse(self.method.params())


def compile_scenario(
    model: CompiledModel,
    scenario: Scenario,
    *,
    method: MethodChoice | None = None,
    perspective: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
) -> ScenarioInputs:
    """Apply a scenario's overlay (and command-line overrides) to the model's arrays."""
    values = model.baseline.copy()
    settings: dict[int, Any] = {}
    positions = model.index("indicators")
    for name, setting in scenario.indicators.items():
        k = positions[name]
        if isinstance(setting, bool | int | float):
            values[k] = float(setting)
        else:
            values[k] = float(setting.centre)
            settings[k] = setting
    chosen = perspective or scenario.perspective
    weights = model.perspectives[chosen].copy() if chosen else model.weights.copy()
    criteria = model.index("criteria")
    for name, weight in scenario.weights.items():
        weights[criteria[name]] = weight
    correlations: list[tuple[int, int, float]] = []
    for (first, second), rank in scenario.correlations.items():
        a, b = sorted((positions[first], positions[second]))
        if a in settings and b in settings:  # a timeline period may fix one: no pair then
            correlations.append((a, b, rank))
    return ScenarioInputs(
        id=scenario.id,
        title=scenario.title,
        description=scenario.spec.description,
        values=values,
        settings=settings,
        weights=weights,
        weight_uncertainty=_elicited_ranking(model, scenario.weight_uncertainty),
        budgets=dict(scenario.budgets),
        perspective=chosen,
        method=method or scenario.method or model.spec.method,
        samples=samples or scenario.samples or 1,
        seed=seed if seed is not None else (scenario.seed if scenario.seed is not None else 0),
        probability=scenario.spec.probability,
        chain=tuple(str(p) for p in scenario.chain),
        correlations=tuple(sorted(correlations)),
    )


def _elicited_ranking(
    model: CompiledModel, spec: WeightUncertaintySpec | None
) -> WeightUncertaintySpec | None:
    """The scenario's weight knowledge, with an ordinal ranking taken from the model's weight
    elicitation where it asks for that (validation has checked the model has one): the
    elicitation's own ranking (swing, ROC), else the criteria by elicited weight, highest
    first (ties in model order)."""
    if spec is None or not spec.ranking_from_elicitation:
        return spec
    elicitation = model.spec.weight_elicitation
    if elicitation is not None and elicitation.ranking:
        ranking = list(elicitation.ranking)
    else:
        order = np.argsort(-model.weights, kind="stable")
        ranking = [model.criteria[k] for k in order.tolist()]
    return spec.model_copy(update={"ranking": ranking})
