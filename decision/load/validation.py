"""Cross-reference and semantic checks that need the whole model (beyond per-field shape).

Unknown ids (with a did-you-mean), baselines outside their range, missing performance entries,
weights that are all zero, precondition expressions that do not parse (located at the
offending character when the text stands in the file as written), scenario settings that do
not fit their indicator (located at the distribution's own key), and method parameters
(checked strictly, and a PROMETHEE list of preference functions against the model's criteria),
and provenance: a number declared from the source must occur among the figures of the evidence
its entry cites (:mod:`decision.load.provenance`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from decision.core.expressions import parse_expression
from decision.errors import (
    KIND_EXAMPLES,
    TYPE_ERRORS,
    DecisionError,
    describe_value,
    did_you_mean,
    list_allowed,
    parse_key_path,
)
from decision.files.yamlio import Document
from decision.load.provenance import (
    model_entries,
    provenance_problems,
    scenario_entries,
)
from decision.specs import (
    IndicatorSpec,
    MethodChoice,
    ModelSpec,
    ScenarioSpec,
)
from decision.specs.model import MIN_RANGE_RATIO, ValueFunctionSpec
from decision.specs.resolved import indicator_kinds
from decision.specs.scalars import why_text
from decision.specs.scenario import impossible_correlations

Path_ = tuple[str | int, ...]
#: Problems found by a check, each a located error, in the order they are found.
Problems = Iterator[DecisionError]


def _check_ids(
    document: Document, names: Iterable[str], known: Mapping[str, Any], path: Path_, what: str
) -> Problems:
    for index, name in enumerate(names):
        if name not in known:
            yield document.error(
                f"unknown {what} '{name}'{did_you_mean(name, known)}",
                (*path, index),
                allowed=f"{what} ids defined in the model: {list_allowed(known)}",
            )


def _check_keys(
    document: Document, names: Iterable[str], known: Mapping[str, Any], path: Path_, what: str
) -> Problems:
    for name in names:
        if name not in known:
            yield document.error(
                f"unknown {what} '{name}'{did_you_mean(name, known)}",
                (*path, name),
                allowed=f"{what} ids defined in the model: {list_allowed(known)}",
            )


def _check_weights(document: Document, weights: Mapping[str, float], path: Path_) -> Problems:
    if weights and sum(weights.values()) <= 0:
        yield document.error("weights are all zero", path, allowed="at least one weight > 0")


#: Every method name and alias of the registry (:mod:`decision.core.methods`); each is valid
#: without parameters, so a bare choice is checked without importing the registry and numpy
#: (a test keeps this list equal to the registry's).
BARE_METHOD_NAMES = frozenset({
    "wsm", "weighted_sum", "wpm", "weighted_product", "topsis", "vikor", "promethee",
    "promethee_ii", "promethee_i", "waspas", "copras", "edas", "mabac", "spotis", "electre_iii",
})


def _method_problems(
    choice: MethodChoice | None, document: Document, criteria: int | None
) -> Problems:
    """:func:`check_method`'s problem, if any (one: a method's parameters are one setting)."""
    try:
        check_method(choice, document, criteria)
    except DecisionError as exc:
        yield exc


def check_method(
    choice: MethodChoice | None, document: Document, criteria: int | None = None
) -> None:
    """A method named in a file must exist and its parameters must fit it: strictly (a
    number is a number, not true or "0.5"), and a list of PROMETHEE preference functions
    must have one per criterion of the model (``criteria`` of them), all located in the file.
    """
    if choice is None or (choice.name in BARE_METHOD_NAMES and not choice.params()):
        return
    from decision.core.methods import get_method, parse_method

    data = {"name": choice.name, **choice.params()}
    try:  # strictly first, so that a value of the wrong kind is named as such
        get_method(choice.name).params.model_validate(data, strict=True)
    except ValidationError as exc:
        wrong = _wrong_kind(exc, data)
        if wrong is not None:
            path, value, expected = wrong
            hint = why_text(value) if isinstance(value, str) else ""
            raise document.error(
                f"{describe_value(value)} is not {expected}{hint}",
                path,
                allowed=KIND_EXAMPLES.get(expected, expected),
            ) from None
    except DecisionError:
        pass  # an unknown method: parse_method says so, with its key path
    try:
        parse_method(data)
    except DecisionError as exc:
        path = parse_key_path(exc.key_path) if exc.key_path else ("method",)
        raise document.error(exc.what, path, allowed=exc.allowed) from None
    preference = data.get("preference")
    if criteria is not None and isinstance(preference, list) and len(preference) != criteria:
        raise document.error(
            f"{len(preference)} preference functions for {criteria} criteria",
            ("method", "preference"),
            allowed=f"one preference function for all criteria, or a list of {criteria}, one "
            "per criterion in the model's order",
        )


def _wrong_kind(
    exc: ValidationError, data: Mapping[str, Any]
) -> tuple[Path_, Any, str] | None:
    """The deepest scalar of the wrong kind among a strict validation's errors (a number
    written as text, true where a number belongs): key path, value and the kind expected."""
    found: list[tuple[Path_, Any, str]] = []
    for error in exc.errors(include_url=False):
        expected = _SCALAR_KINDS.get(error["type"])
        if expected is None:
            continue
        path: list[str | int] = ["method"]
        node: Any = data
        for part in error["loc"]:  # follow the data, skipping pydantic's union-member tags
            inside_list = isinstance(part, int) and isinstance(node, list) and part < len(node)
            if inside_list or (isinstance(node, Mapping) and part in node):
                node = node[part]
                path.append(part)
        if node is None or isinstance(node, str | int | float | bool):
            found.append((tuple(path), node, expected))
    return max(found, key=lambda item: len(item[0])) if found else None


#: Strict-mode errors about a scalar, with the kind that was expected.
_SCALAR_KINDS = {
    kind: TYPE_ERRORS[kind] for kind in ("float_type", "int_type", "bool_type", "string_type")
}


def check_model(spec: ModelSpec, document: Document) -> None:
    """Raise :class:`DecisionError` at the first cross-reference or semantic problem."""
    for problem in model_problems(spec, document):
        raise problem


def model_problems(spec: ModelSpec, document: Document) -> Problems:
    """Every independent cross-reference or semantic problem of a model, in file order of
    the checks (a check that depends on a failed one is skipped, not reported twice)."""
    if "method" in document.data:
        yield from _method_problems(spec.method, document, len(spec.criteria))
    yield from _recommends_problems(spec, document)
    for name, ind in spec.indicators.items():
        path: Path_ = ("indicators", name)
        evidence = (*path, "evidence")
        yield from _check_ids(document, ind.evidence, spec.evidence, evidence, "evidence")
        if ind.type == "numeric" and not ind.low <= float(ind.baseline) <= ind.high:
            yield document.error(
                f"baseline {float(ind.baseline):g} is outside the range",
                (*path, "baseline"),
                allowed=f"a number in [{ind.low:g}, {ind.high:g}]",
            )
    criteria_weights = {k: c.weight for k, c in spec.criteria.items()}
    yield from _check_weights(document, criteria_weights, ("criteria",))
    kinds = indicator_kinds(spec)
    references = [name for name, option in spec.options.items() if option.reference]
    if len(references) > 1:
        yield document.error(
            f"{len(references)} options are marked reference ({', '.join(references)})",
            ("options", references[1], "reference"),
            allowed="at most one reference option",
        )
    for name, option in spec.options.items():
        path = ("options", name)
        unknown = list(
            _check_keys(
                document, option.performance, spec.criteria, (*path, "performance"), "criterion"
            )
        )
        yield from unknown
        missing = [c for c in spec.criteria if c not in option.performance]
        if missing and not unknown:  # a misspelt criterion is also a missing one: say it once
            yield document.error(
                f"no performance given for criteria {', '.join(missing)}",
                (*path, "performance"),
                allowed="one entry per criterion of the model",
            )
        for criterion, perf in option.performance.items():
            ppath = (*path, "performance", criterion)
            yield from _check_keys(
                document, perf.effects, spec.indicators, (*ppath, "effects"), "indicator"
            )
            yield from _value_function_problems(document, spec, perf.effects, (*ppath, "effects"))
            yield from _check_ids(
                document, perf.evidence, spec.evidence, (*ppath, "evidence"), "evidence"
            )
        yield from _check_keys(document, option.costs, spec.resources, (*path, "costs"), "resource")
        yield from _likelihood_problems(spec, document, name, bool(references))
        for index, pre in enumerate(option.preconditions):
            qpath = (*path, "preconditions", index)
            yield from _check_ids(
                document, pre.evidence, spec.evidence, (*qpath, "evidence"), "evidence"
            )
            try:
                parse_expression(pre.when, kinds)
            except DecisionError as exc:
                yield document.error(exc.what, (*qpath, "when"), allowed=exc.allowed, at=exc.at)
    yield from _portfolio_problems(spec, document)
    for name, perspective in spec.perspectives.items():
        path = ("perspectives", name, "weights")
        if perspective.weights is None:
            continue  # objective weights: computed from the performance table
        unknown = list(_check_keys(document, perspective.weights, spec.criteria, path, "criterion"))
        yield from unknown
        missing = [c for c in spec.criteria if c not in perspective.weights]
        if missing and not unknown:
            yield document.error(
                f"perspective gives no weight to {', '.join(missing)}",
                path,
                allowed="one weight per criterion of the model",
            )
        yield from _check_weights(document, perspective.weights, path)
    yield from _judgement_correlation_problems(spec, document)
    yield from _provenance_problems(spec, document, list(model_entries(spec)))


def _judgement_correlation_problems(spec: ModelSpec, document: Document) -> Problems:
    """Each correlated judgement exists, is uncertain (low < high) and pools no experts
    (the copula needs one law with an inverse CDF); the ranks can hold together."""
    found = False
    for k, correlation in enumerate(spec.judgement_correlations):
        for j, key in enumerate(correlation.between):
            where = ("judgement_correlations", k, "between", j)
            option, criterion = key.split(".")
            if option not in spec.options:
                found = True
                yield document.error(
                    f"unknown option '{option}'{did_you_mean(option, spec.options)}", where,
                    allowed=f"option.criterion, options: {list_allowed(spec.options)}",
                )
                continue
            perf = spec.options[option].performance.get(criterion)
            if perf is None:
                found = True
                yield document.error(
                    f"unknown criterion '{criterion}'{did_you_mean(criterion, spec.criteria)}",
                    where,
                    allowed=f"option.criterion, criteria: {list_allowed(spec.criteria)}",
                )
            elif perf.experts:
                found = True
                yield document.error(
                    f"judgement '{key}' pools experts, so it cannot be correlated",
                    where,
                    allowed="judgements with one low..high range and no experts",
                )
            elif perf.low is None or perf.high is None or not perf.low < perf.high:
                found = True
                yield document.error(
                    f"judgement '{key}' has no range to correlate (low and high are not given, "
                    "or equal)",
                    where,
                    allowed="judgements with low < high",
                )
    if found or not spec.judgement_correlations:
        return
    ranks = {c.pair: c.rank for c in spec.judgement_correlations if c.rank}
    culprits = impossible_correlations(ranks)
    if culprits is None:
        return
    pairs = sorted((p, r) for p, r in ranks.items() if p[0] in culprits and p[1] in culprits)
    at = max(k for k, c in enumerate(spec.judgement_correlations) if c.pair in dict(pairs))
    yield document.error(
        "rank correlations "
        + ", ".join(f"{a}~{b} {r:g}" for (a, b), r in pairs)
        + " cannot hold together (their copula correlation matrix is not positive "
        "semi-definite)",
        ("judgement_correlations", at, "rank"),
        allowed="rank correlations that some joint law can have: weaker ones, or signs that "
        "agree (a~b and b~c both strongly positive leave no room for a strongly negative a~c)",
    )


def _value_function_problems(
    document: Document, spec: ModelSpec, effects: Mapping[str, Any], path: Path_
) -> Problems:
    """A value function's points lie within its indicator's range (a boolean's at 0 and 1
    only), each x at least ``MIN_RANGE_RATIO`` of the range from the one before (closer
    points make the slope between them overflow)."""
    for name, effect in effects.items():
        indicator = spec.indicators.get(name)
        if not isinstance(effect, ValueFunctionSpec) or indicator is None:
            continue
        low, high = float(indicator.low), float(indicator.high)
        boolean = indicator.type == "boolean"
        if boolean:
            outside, allowed = f"is no value of boolean '{name}'", "x 0 (false) or 1 (true)"
        else:
            outside, allowed = f"is outside the range of '{name}'", f"x within {low:g}..{high:g}"
        gap = MIN_RANGE_RATIO * (high - low)
        for k, (x, _) in enumerate(effect.points):
            where = (*path, name, "points", k, 0)
            if (boolean and x not in (0.0, 1.0)) or not low <= x <= high:
                yield document.error(f"x = {x:g} {outside}", where, allowed=allowed)
                break
            if k and x - effect.points[k - 1][0] < gap:
                yield document.error(
                    f"x = {x:g} is too close to the x of point {k - 1} "
                    f"({effect.points[k - 1][0]:g})",
                    where,
                    allowed=f"points at least {gap:g} apart ({MIN_RANGE_RATIO:g} of the range)",
                )
                break


def _likelihood_problems(
    spec: ModelSpec, document: Document, name: str, has_reference: bool
) -> Problems:
    """An option's likelihood cites known evidence and names known criteria in
    ``if_failure``; every criterion it leaves out fails to the reference option's
    performance, so without a reference option it must name them all."""
    likelihood = spec.options[name].likelihood
    if likelihood is None:
        return
    path: Path_ = ("options", name, "likelihood")
    yield from _check_keys(
        document, likelihood.effects, spec.indicators, (*path, "effects"), "indicator"
    )
    yield from _check_ids(
        document, likelihood.evidence, spec.evidence, (*path, "evidence"), "evidence"
    )
    unknown = list(
        _check_keys(
            document, likelihood.if_failure, spec.criteria, (*path, "if_failure"), "criterion"
        )
    )
    yield from unknown
    missing = [c for c in spec.criteria if c not in likelihood.if_failure]
    if unknown or not missing:
        return
    if spec.options[name].reference:
        yield document.error(
            f"the reference option's likelihood gives no failure performance for "
            f"{', '.join(missing)}",
            path,
            allowed="if_failure: {criterion: value in [0, 1]} for every criterion",
        )
    elif not has_reference:
        yield document.error(
            f"likelihood without a failure case: no reference option, and if_failure lacks "
            f"{', '.join(missing)}",
            path,
            allowed="a reference option (reference: true) or if_failure for every criterion",
        )


def _recommends_problems(spec: ModelSpec, document: Document) -> Problems:
    """What the source recommends must name options of the model, each once per list."""
    recommends = spec.source.recommends
    if recommends is None:
        return
    base: Path_ = ("source", "recommends")
    lists: list[tuple[Path_, list[str]]] = [((*base, "now"), recommends.now)]
    lists += [((*base, "when", k, "options"), w.options) for k, w in enumerate(recommends.when)]
    for path, names in lists:
        yield from _check_ids(document, names, spec.options, path, "option")
        yield from _check_distinct(document, names, path)


def _provenance_problems(spec: ModelSpec, document: Document, entries: list[Any]) -> Problems:
    """Evidence cited in ``provenance`` must exist; declared provenance must hold."""
    for entry in entries:
        if entry.provenance is not None:
            cited = entry.provenance.evidence
            path = (*entry.path, "provenance", "evidence")
            yield from _check_ids(document, cited, spec.evidence, path, "evidence")
    yield from provenance_problems(entries, spec, document)


def _portfolio_problems(spec: ModelSpec, document: Document) -> Problems:
    """Interactions, exclusions and dependencies must name existing, distinct options."""
    for index, interaction in enumerate(spec.interactions):
        path: Path_ = ("interactions", index)
        yield from _check_ids(
            document, interaction.options, spec.options, (*path, "options"), "option"
        )
        yield from _check_distinct(document, interaction.options, (*path, "options"))
        yield from _check_keys(
            document, interaction.effects, spec.criteria, (*path, "effects"), "criterion"
        )
        yield from _check_ids(
            document, interaction.evidence, spec.evidence, (*path, "evidence"), "evidence"
        )
    for index, exclusion in enumerate(spec.exclusions):
        path = ("exclusions", index)
        options = (*path, "options")
        yield from _check_ids(document, exclusion.options, spec.options, options, "option")
        yield from _check_distinct(document, exclusion.options, (*path, "options"))
    for index, dependency in enumerate(spec.dependencies):
        path = ("dependencies", index)
        yield from _check_ids(
            document, [dependency.option], spec.options, (*path, "option"), "option"
        )
        yield from _check_ids(
            document, [dependency.requires], spec.options, (*path, "requires"), "option"
        )
        if dependency.option == dependency.requires:
            yield document.error(
                f"option '{dependency.option}' requires itself",
                path,
                allowed="two different options",
            )


def _check_distinct(document: Document, names: Sequence[str], path: Path_) -> Problems:
    if len(set(names)) != len(names):
        yield document.error("a name is listed twice", path, allowed="distinct ids")


def check_scenario(spec: ScenarioSpec, document: Document, model: ModelSpec) -> None:
    """Check one scenario file's own settings against the model (the first problem)."""
    for problem in scenario_problems(spec, document, model):
        raise problem


def scenario_problems(
    spec: ScenarioSpec,
    document: Document,
    model: ModelSpec,
    *,
    inherited: Mapping[str, Any] | None = None,
    inherited_ranks: Mapping[tuple[str, str], float] | None = None,
) -> Problems:
    """Every independent problem of one scenario file's own settings against the model;
    ``inherited`` and ``inherited_ranks``: the indicator settings and rank correlations of the
    scenarios it extends, merged (the correlations are checked against them)."""
    yield from _method_problems(spec.method, document, len(model.criteria))
    indicators = model.indicators
    yield from _check_keys(document, spec.indicators, indicators, ("indicators",), "indicator")
    for name, setting in spec.indicators.items():
        if name in model.indicators:
            yield from _setting_problems(
                document, ("indicators", name), model.indicators[name], setting
            )
    if spec.perspective is not None and spec.perspective not in model.perspectives:
        hint = did_you_mean(spec.perspective, model.perspectives)
        defined = list_allowed(model.perspectives) or "none defined"
        yield document.error(
            f"unknown perspective '{spec.perspective}'{hint}",
            ("perspective",),
            allowed=f"perspectives of the model: {defined}",
        )
    yield from _check_keys(document, spec.weights, model.criteria, ("weights",), "criterion")
    yield from _check_keys(document, spec.budgets, model.resources, ("budgets",), "resource")
    for name, amount in spec.budgets.items():
        if amount < 0:
            yield document.error(
                f"budget {amount:g} is negative", ("budgets", name), allowed="a number >= 0"
            )
    uncertainty = spec.weight_uncertainty
    if uncertainty is not None and uncertainty.ranking_from_elicitation and (
        model.weight_elicitation is None
    ):
        yield document.error(
            "the model records no weight elicitation to take the ranking from",
            ("weight_uncertainty", "ranking_from_elicitation"),
            allowed="a model with weight_elicitation, or a ranking: [...] here",
        )
    if uncertainty is not None:
        upath: Path_ = ("weight_uncertainty",)
        unknown = list(
            _check_keys(
                document, uncertainty.intervals, model.criteria, (*upath, "intervals"), "criterion"
            )
        )
        yield from unknown
        yield from _check_ids(
            document, uncertainty.ranking, model.criteria, (*upath, "ranking"), "criterion"
        )
        yield from _check_distinct(document, uncertainty.ranking, (*upath, "ranking"))
        if uncertainty.intervals and not unknown:
            lows = sum(low for low, _ in uncertainty.intervals.values())
            unbounded = len(model.criteria) > len(uncertainty.intervals)
            highs = sum(high for _, high in uncertainty.intervals.values())
            if lows > 1 or (not unbounded and highs < 1):
                yield document.error(
                    "weight intervals cannot hold weights that sum to 1",
                    (*upath, "intervals"),
                    allowed="intervals whose lows sum to <= 1 and highs to >= 1",
                )
    yield from correlation_problems(
        spec, document, model, inherited or {}, inherited_ranks or {}
    )
    yield from timeline_problems(spec, document, model)
    yield from _provenance_problems(model, document, list(scenario_entries(spec)))


def _is_distribution(setting: Any) -> bool:
    return setting is not None and not isinstance(setting, bool | int | float)


def correlation_problems(
    spec: ScenarioSpec,
    document: Document,
    model: ModelSpec,
    inherited: Mapping[str, Any],
    inherited_ranks: Mapping[tuple[str, str], float],
) -> Problems:
    """Every problem of a scenario file's ``correlations`` (and of its settings that break an
    inherited one): both indicators must be set to distributions by this file or one it
    extends, and all the pairs, inherited ones too, must make a positive semi-definite copula
    matrix (the indicators whose pairs contradict each other are named)."""
    settings = {**inherited, **spec.indicators}
    uncertain = sorted(name for name, setting in settings.items() if _is_distribution(setting))
    own = {c.pair for c in spec.correlations}
    found = False
    for k, correlation in enumerate(spec.correlations):
        for j, name in enumerate(correlation.between):
            path: Path_ = ("correlations", k, "between", j)
            if name not in model.indicators:
                found = True
                yield document.error(
                    f"unknown indicator '{name}'{did_you_mean(name, model.indicators)}",
                    path,
                    allowed=f"indicator ids defined in the model: {list_allowed(model.indicators)}",
                )
            elif correlation.rank != 0 and not _is_distribution(settings.get(name)):
                found = True
                now = (
                    f"set to {_describe(settings[name])}"
                    if name in settings
                    else "left at its baseline"
                )
                yield document.error(
                    f"indicator '{name}' is {now}: only uncertain indicators can be correlated",
                    path,
                    allowed="indicators this scenario or one it extends sets to a distribution: "
                    + (", ".join(uncertain) or "none"),
                )
    for (a, b), rank in inherited_ranks.items():
        for name, other in ((a, b), (b, a)):
            if (a, b) not in own and rank and name in spec.indicators and not (
                _is_distribution(spec.indicators[name])
            ):
                found = True
                yield document.error(
                    f"indicator '{name}' is set to {_describe(spec.indicators[name])}, but a "
                    f"scenario this one extends correlates it with '{other}'",
                    ("indicators", name),
                    allowed=f"a distribution, or correlations: [{{between: [{name}, {other}], "
                    "rank: 0}] to remove the pair",
                )
    if found or not spec.correlations:
        return
    ranks = {**inherited_ranks, **{c.pair: c.rank for c in spec.correlations}}
    culprits = impossible_correlations({pair: r for pair, r in ranks.items() if r})
    if culprits is None:
        return
    pairs = sorted(
        (pair, r) for pair, r in ranks.items() if r and pair[0] in culprits and pair[1] in culprits
    )
    at = max(
        (k for k, c in enumerate(spec.correlations) if c.pair in dict(pairs)), default=None
    )
    yield document.error(
        "rank correlations "
        + ", ".join(f"{a}~{b} {r:g}" for (a, b), r in pairs)
        + " cannot hold together (their copula correlation matrix is not positive "
        "semi-definite)",
        ("correlations",) if at is None else ("correlations", at, "rank"),
        allowed="rank correlations that some joint law can have: weaker ones, or signs that "
        "agree (a~b and b~c both strongly positive leave no room for a strongly negative a~c)",
    )


def _setting_problems(
    document: Document, path: Path_, indicator: IndicatorSpec, setting: Any
) -> Problems:
    """A setting must fit its indicator's type and range (its first problem)."""
    kind = "boolean" if isinstance(setting, bool) else getattr(setting, "kind", "numeric")
    if indicator.type == "boolean":
        if kind != "boolean":
            yield document.error(
                f"boolean indicator set to {_describe(setting)}",
                path,
                allowed="true, false, {dist: bernoulli, p: ...} or "
                "{dist: choice, values: [true, false]}",
            )
        return
    allowed = f"a number in [{indicator.low:g}, {indicator.high:g}] or a distribution within it"
    if kind != "numeric":
        yield document.error(
            f"numeric indicator set to {_describe(setting)}", path, allowed=allowed
        )
        return
    points: Sequence[tuple[Path_, float]] = (
        [((), float(setting))] if isinstance(setting, float | int) else setting.support()
    )
    for where, point in points:
        if not indicator.low <= point <= indicator.high:
            name = "value" if not where or where[0] == "values" else str(where[-1])
            what = f"{name} {point:g} is outside the indicator's range"
            yield document.error(what, (*path, *where), allowed=allowed)
            return


def _describe(setting: Any) -> str:
    if isinstance(setting, bool):
        return "true" if setting else "false"
    if isinstance(setting, int | float):
        return f"{setting:g}"
    dist = getattr(setting, "dist", None)
    if dist == "experts":
        return "a pool of experts"
    return f"a {dist} distribution" if dist else repr(setting)


def package_scale(model: ModelSpec) -> float:
    """The most a package can be worth over the reference option: one per option it can
    hold (each option's value over the reference lies within [-1, 1] on normalised weights)."""
    return float(sum(1 for option in model.options.values() if not option.reference))


def timeline_problems(spec: ScenarioSpec, document: Document, model: ModelSpec) -> Problems:
    """Every problem of one scenario file's ``timeline`` and ``plan`` against the model: the
    spec checks what the file alone can (dates parse, no date twice); here each period's
    settings must name indicators of the model and fit their type and range, as the scenario's
    own settings must, its evidence must exist, and the plan's satisficing threshold and
    margin must lie on the package-value scale."""
    for k, period in enumerate(spec.timeline):
        path: Path_ = ("timeline", k)
        yield from _check_keys(
            document, period.indicators, model.indicators, (*path, "indicators"), "indicator"
        )
        for name, setting in period.indicators.items():
            if name in model.indicators:
                yield from _setting_problems(
                    document, (*path, "indicators", name), model.indicators[name], setting
                )
        yield from _check_ids(
            document, period.evidence, model.evidence, (*path, "evidence"), "evidence"
        )
    if spec.plan is None:
        return
    scale = package_scale(model)
    for key, value, low in (
        ("satisficing", spec.plan.satisficing, -scale),
        ("margin", spec.plan.margin, 0.0),
    ):
        if value is not None and not low <= value <= scale:
            yield document.error(
                f"{key} {value:g} is outside the package-value scale",
                ("plan", key),
                allowed=f"a number in [{low:g}, {scale:g}]: a package's value over the "
                f"reference option, at most 1 for each of the model's {scale:g} options",
            )
