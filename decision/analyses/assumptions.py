"""Assumptions register: every judgement of a scenario that can move its result, ranked.

Takes ``(model: CompiledModel, inputs: ScenarioInputs)`` like every analysis. The judgements
are the numbers :mod:`decision.load.provenance` classifies as the modeller's (or a named
expert's), not from the source or derived from it, that this scenario uses: performance values
and effects, indicator baselines the scenario leaves alone, precondition thresholds, the
weights in force (the criteria's, the chosen perspective's, or the scenario's own), costs,
the scenario's budgets and interaction effects. Each is moved alone to both ends of its
range, every other input at the scenario's value:

- the range given in the model where there is one (a performance value's or a cost's
  ``low``/``high``);
- otherwise a default band (:data:`DEFAULT_BANDS`): numbers on the 0-1 value scale
  (performance values, effects, interaction effects) by +-0.25; numbers in an indicator's
  units (baselines, thresholds) by a quarter of the indicator's range, within it; numbers
  without a scale of their own (weights, costs, budgets) by a quarter of themselves.

Each point of a piecewise-linear value function (an effect written as ``{points: ...}``) is
two judgements, listed as effects: its dv (value scale) takes the value band; its x (indicator
units) a quarter of the indicator's range, within the range and short of its neighbours' x,
so the points stay in order (the x of a boolean indicator's points is no judgement: it is
0 or 1). Moving one changes the function, and so the effect at the scenario's value, by
exactly what writing that number in the file would.

An indicator baseline is the modeller's reading of where the world is: moving it moves the
indicator's value in a scenario that leaves the indicator at the baseline (the performance
values stay as judged, so the effects carry the change), and does nothing in one that sets it.

Influence is measured on the scenario's headline: for a model whose options are alternatives,
the top option's lead (its score minus the best other available option's, which turns
negative when another option overtakes it); for a components model, the value of the best
package within the budgets (the portfolio analysis, point values). Both are recorded where the
package can be enumerated; influence is the larger move of the headline measure away from the
scenario's own value at either end. Every end is one row through the engine
(:func:`~decision.core.engine.outcome`) and one sample of the point portfolio problem, in
batches of :data:`BATCH_BYTES` per array (two rows per judgement: one batch of all of them would
grow with options squared); judgements that move nothing are listed by key path only.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar, Literal

import numpy as np

from decision.analyses.common import top_option
from decision.analyses.portfolio.enumerate import (
    Interaction,
    PortfolioProblem,
    analyse_portfolio,
    members_of,
)
from decision.analyses.portfolio.problem import portfolio_problem, too_many_for_bundles
from decision.core.compile import BoolArray, CompiledModel, FloatArray, ScenarioInputs
from decision.core.engine import (
    availability,
    contributions,
    expected,
    failure_performance,
    outcome,
    performance,
    success_performance,
)
from decision.core.engine import precondition_results as holding
from decision.core.expressions import parse_expression
from decision.core.weights import normalise_weights
from decision.results import rounded
from decision.specs import ModelSpec, ScenarioSpec
from decision.specs.resolved import indicator_kinds

#: Moves at or below this are treated as zero (floating-point noise).
ZERO = 1e-12
#: Half-width of the default band of a number on the 0-1 value scale.
VALUE_BAND = 0.25
#: Half-width of the default band of a number in an indicator's units, as a share of its range.
INDICATOR_BAND = 0.25
#: Half-width of the default band of a number without a scale of its own, as a share of it.
RELATIVE_BAND = 0.25
#: How far short of its neighbours' x a value-function point's x stops, as a share of the
#: indicator's range (so the moved points stay strictly increasing, as a file must have them).
POINT_GAP = 1e-6
#: The default bands, in words (the report and ``--json`` carry them).
DEFAULT_BANDS: dict[str, str] = {
    "value scale": f"performance values, effects, interaction effects, success likelihoods "
    f"and their effects and failure performances without a given range move by "
    f"+-{VALUE_BAND:g} (performance values, likelihoods and failure performances within 0-1)",
    "indicator units": f"indicator baselines, precondition thresholds and the x of value-"
    f"function points move by {INDICATOR_BAND:.0%} of the indicator's range either way, "
    f"within the range (a point's x short of its neighbours')",
    "relative": f"weights, costs and budgets without a given range move by "
    f"{RELATIVE_BAND:.0%} of themselves either way",
}

Kind = Literal[
    "performance", "effect", "baseline", "threshold", "weight", "cost", "budget", "interaction",
    "likelihood", "failure",
]
Measure = Literal["lead", "package value"]


@dataclass(frozen=True)
class Change:
    """What the scenario's outcome becomes at one end of a judgement's range, where it
    differs from the scenario's own: the top option (None: none available) and the best
    package (None: not enumerated)."""

    end: Literal["low", "high"]
    top: str | None
    package: list[str] | None


@dataclass(frozen=True)
class Assumption:
    """One judgement moved across its range, and what that does to the scenario's result.

    ``lead_low``/``lead_high`` are the scenario's top option's lead at the two ends;
    ``package_low``/``package_high`` the best package's value (None when bundles are not
    enumerated); ``influence`` the larger move of the headline measure (see
    :class:`AssumptionsRegister`); ``range`` says whether ``low``/``high`` were given in the
    model or are the default band.
    """

    key_path: str
    file: Literal["model", "scenario"]
    kind: Kind
    value: float
    low: float
    high: float
    range: Literal["given", "default"]
    influence: float
    lead_low: float
    lead_high: float
    package_low: float | None
    package_high: float | None
    flips_top: bool
    flips_package: bool | None
    changes: list[Change]
    by: str
    confidence: str | None
    reason: str | None
    rationale: str | None
    evidence: list[str]


@dataclass(frozen=True)
class AssumptionsRegister:
    """The judgements of one scenario that move its result, most influential first.

    ``measure`` is what influence is measured on: the top option's ``lead`` (options that are
    alternatives) or the best ``package value`` (components). ``unmoved`` lists the key paths
    of the judgements in use that move neither measure nor the outcome.
    """

    scenario: str
    method: str
    options_are: Literal["alternatives", "components"]
    measure: Measure
    top: str | None
    lead: float
    package: list[str] | None
    package_value: float | None
    considered: int
    rows: list[Assumption]
    unmoved: list[str]
    default_bands: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_BANDS))

    __data_extra__: ClassVar[tuple[str, ...]] = ()

    def row(self, key_path: str) -> Assumption:
        """The row of one judgement by its key path."""
        for item in self.rows:
            if item.key_path == key_path:
                return item
        raise KeyError(key_path)


# ---------------------------------------------------------------------------- the judgements


@dataclass(frozen=True)
class _Item:
    """A judgement to move: where it acts (``target``: indices into the model's arrays) and
    its two ends."""

    key_path: str
    file: Literal["model", "scenario"]
    kind: Kind
    value: float
    low: float
    high: float
    given: bool
    target: tuple[int, ...]
    by: str
    confidence: str | None
    reason: str | None
    rationale: str | None
    evidence: tuple[str, ...]
    text: str = ""  # a threshold's whole expression
    at: int = 0  # a threshold's position in it (1-based)
    #: A value-function point's number: (function in ``model.value_functions``, point, 0 for
    #: its x or 1 for its dv); ``target`` is then that function's (indicator, option, criterion).
    point: tuple[int, int, int] | None = None


def _band(
    value: float, half: float, lo: float = -np.inf, hi: float = np.inf
) -> tuple[float, float]:
    return max(value - half, lo), min(value + half, hi)


def _plain(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


#: Scenario files checked for their own numbers: path -> (its bytes, its spec); a study's
#: scenarios share the files they extend, and a file whose bytes change is checked again.
_SCENARIO_FILES: dict[str, tuple[bytes, ScenarioSpec]] = {}
#: What a judgement of the model needs to be in force in a scenario: nothing (None), the
#: scenario leaving an indicator at its baseline (``("baseline", indicator)``), or a weight
#: being in force (``("weight", "criteria" or "perspectives", entry, criterion)``).
_Needs = tuple[str, ...] | None
#: Each model's judgements: id(spec) -> (its spec, weakly; its path; the judgements and what
#: each needs). A study's scenarios share one model spec (each compiles its own model from
#: it), and the model's judgements depend on the spec alone.
_MODEL_ITEMS: dict[int, tuple[weakref.ref[ModelSpec], str, list[tuple[_Item, _Needs]]]] = {}


def _chain_specs(inputs: ScenarioInputs) -> list[ScenarioSpec]:
    """The scenario files of the ``extends`` chain, root first (none for a scenario built in
    memory): their own numbers are judgements too. The files were read and checked when the
    scenario was loaded; they are read again here because the compiled inputs keep only the
    merged settings, not which file set what (and parsed and checked once per file content,
    see :data:`_SCENARIO_FILES`)."""
    if not inputs.chain:
        return []
    from decision.files.yamlio import load_yaml
    from decision.load.loading import validate_document

    specs = []
    for path in inputs.chain:
        text = Path(path).read_bytes()
        known = _SCENARIO_FILES.get(path)
        if known is None or known[0] != text:
            known = (text, validate_document(load_yaml(Path(path)), ScenarioSpec))
            _SCENARIO_FILES[path] = known
        specs.append(known[1])
    return specs


def judgements(model: CompiledModel, inputs: ScenarioInputs) -> list[_Item]:
    """Every judgement the scenario uses, in model order, then the scenario's own."""
    spec = model.spec
    chain = _chain_specs(inputs)
    set_here = {name for s in chain for name in s.indicators}
    overridden = {name for s in chain for name in s.weights}
    if not chain:  # a scenario built in memory: what differs from the baseline is its own
        set_here = {
            name
            for k, name in enumerate(model.indicators)
            if k in inputs.settings or inputs.values[k] != model.baseline[k]
        }

    def in_force(needs: _Needs) -> bool:
        if needs is None:
            return True
        if needs[0] == "baseline":  # not in force where the scenario sets the indicator
            return needs[1] not in set_here
        _, head, entry, name = needs
        chosen = inputs.perspective is None if head == "criteria" else inputs.perspective == entry
        return chosen and name not in overridden

    items = [item for item, needs in _model_items(model) if in_force(needs)]
    return items + _scenario_items(model, inputs, chain, spec)


def _model_items(model: CompiledModel) -> list[tuple[_Item, _Needs]]:
    """The model's judgements, in model order, and what each needs to be in force (worked
    out once per model spec and path, see :data:`_MODEL_ITEMS`)."""
    spec, key = model.spec, id(model.spec)
    known = _MODEL_ITEMS.get(key)
    if known is not None and known[0]() is spec and known[1] == model.path:
        return known[2]
    items = _judgements_of(model)
    # dropped with the spec, so that a later spec at the same id is never mistaken for it
    gone = weakref.ref(spec, lambda _: _MODEL_ITEMS.pop(key, None))
    _MODEL_ITEMS[key] = (gone, model.path, items)
    return items


def _judgements_of(model: CompiledModel) -> list[tuple[_Item, _Needs]]:
    """Every judgement of the model, in model order, and what it needs to be in force."""
    from decision.files.yamlio import Document
    from decision.load.provenance import NumberProvenance, classify, model_entries

    spec = model.spec
    entries = list(model_entries(spec))
    numbers = classify(entries, spec, Document(model.path, None))
    flat = [(entry, number) for entry in entries for number in entry.numbers]
    options, criteria = model.index("options"), model.index("criteria")
    indicators = model.index("indicators")
    resources = list(spec.resources)
    # the compiled preconditions are the spec's, option by option, in order
    preconditions = {
        (name, k): p
        for p, (name, k) in enumerate(
            (name, k) for name, o in spec.options.items() for k in range(len(o.preconditions))
        )
    }
    ranged = {
        n.entry for n in numbers if n.key in ("low", "high") and n.kind == "judgement"
    }
    items: list[tuple[_Item, _Needs]] = []
    done: set[str] = set()
    for (entry, number), found in zip(flat, numbers, strict=True):
        path = entry.path
        head = path[0]
        if found.kind != "judgement" and found.entry not in ranged:
            continue

        def add(
            kind: Kind,
            value: float,
            ends: tuple[float, float],
            given: bool,
            target: tuple[int, ...],
            rationale: str | None,
            text: str = "",
            at: int = 0,
            found: NumberProvenance = found,
            point: tuple[int, int, int] | None = None,
            needs: _Needs = None,
        ) -> None:
            items.append((
                _Item(found.key_path, "model", kind, value, ends[0], ends[1], given, target,
                      found.by or "modeller", found.confidence, _plain(found.reason),
                      _plain(rationale), tuple(found.evidence), text, at, point),
                needs,
            ))

        if head == "options" and path[2] == "performance":
            o, c = options[str(path[1])], criteria[str(path[3])]
            perf = spec.options[str(path[1])].performance[str(path[3])]
            if number.key in ("low", "high") or found.key_path in done:
                continue
            if number.key == "value":
                if perf.low is None and perf.high is None:
                    low, high = _band(perf.value, VALUE_BAND, 0.0, 1.0)
                    given = False
                else:
                    low = perf.value if perf.low is None else perf.low
                    high = perf.value if perf.high is None else perf.high
                    given = True
                add("performance", perf.value, (low, high), given, (o, c), perf.rationale)
            elif ".points[" in number.key:
                if found.kind == "judgement":
                    point = _point_item(model, number.key, number.value, o, c)
                    if point is not None:
                        ends, f_k_j = point
                        i = model.value_functions[f_k_j[0]].indicator
                        add("effect", number.value, ends, False, (i, o, c), perf.rationale,
                            point=f_k_j)
            elif found.kind == "judgement":
                i = indicators[number.key.split(".", 1)[1]]
                low, high = _band(number.value, VALUE_BAND)
                add("effect", number.value, (low, high), False, (i, o, c), perf.rationale)
            done.add(found.key_path)
        elif head == "options" and path[2] == "likelihood":
            name = str(path[1])
            chance = spec.options[name].likelihood
            chances = model.likelihoods
            if chance is None or chances is None or number.key in ("low", "high"):
                continue
            l_pos = chances.options.tolist().index(options[name])
            if number.key == "value":
                given = chance.low is not None or chance.high is not None
                low = chance.value if chance.low is None else chance.low
                high = chance.value if chance.high is None else chance.high
                if not given:
                    low, high = _band(chance.value, VALUE_BAND, 0.0, 1.0)
                add("likelihood", chance.value, (low, high), given, (l_pos,), chance.rationale)
            elif found.kind != "judgement":
                continue
            elif number.key.startswith("effects."):
                i = indicators[number.key.split(".", 1)[1]]
                add("likelihood", number.value, _band(number.value, VALUE_BAND), False,
                    (l_pos, i), chance.rationale)
            else:  # if_failure.<criterion>
                c = criteria[number.key.split(".", 1)[1]]
                add("failure", number.value, _band(number.value, VALUE_BAND, 0.0, 1.0), False,
                    (l_pos, c), chance.rationale)
        elif found.kind != "judgement":
            continue
        elif head == "indicators":
            i = indicators[str(path[1])]
            low, high = _band(number.value, INDICATOR_BAND * float(model.span[i]),
                              float(model.low[i]), float(model.high[i]))
            note = spec.indicators[str(path[1])].note
            add("baseline", number.value, (low, high), False, (i,), note,
                needs=("baseline", model.indicators[i]))
        elif head == "criteria" or head == "perspectives":
            name = str(path[1]) if head == "criteria" else number.key.split(".", 1)[1]
            c = criteria[name]
            low, high = number.value * (1 - RELATIVE_BAND), number.value * (1 + RELATIVE_BAND)
            why = (
                spec.criteria[name].rationale if head == "criteria"
                else spec.perspectives[str(path[1])].description
            )
            add("weight", number.value, (low, high), False, (c,), why,
                needs=("weight", head, str(path[1]), name))
        elif head == "options" and path[2] == "preconditions":
            pre = spec.options[str(path[1])].preconditions[int(path[3])]
            p = preconditions[(str(path[1]), int(path[3]))]
            span = _threshold_span(model, pre.when, number.value)
            if span is None:
                low, high = _band(number.value, RELATIVE_BAND * max(abs(number.value), 1.0))
            else:
                i, width = span
                low, high = _band(number.value, INDICATOR_BAND * width,
                                  float(model.low[i]), float(model.high[i]))
            add("threshold", number.value, (low, high), False, (p,), pre.reason, pre.when,
                number.at or 0)
        elif head == "options" and path[2] == "costs":
            if number.key != "value":
                continue
            cost = spec.options[str(path[1])].costs[str(path[3])]
            given = cost.low is not None or cost.high is not None
            low = cost.low if cost.low is not None else (
                cost.value if given else cost.value * (1 - RELATIVE_BAND))
            high = cost.high if cost.high is not None else (
                cost.value if given else cost.value * (1 + RELATIVE_BAND))
            target = (options[str(path[1])], resources.index(str(path[3])))
            add("cost", cost.value, (low, high), given, target, cost.rationale)
        elif head == "interactions":
            k, c = int(path[1]), criteria[number.key.split(".", 1)[1]]
            low, high = _band(number.value, VALUE_BAND)
            add("interaction", number.value, (low, high), False, (k, c),
                spec.interactions[k].rationale)
    return items


def _scenario_items(
    model: CompiledModel, inputs: ScenarioInputs, chain: list[ScenarioSpec], spec: ModelSpec
) -> list[_Item]:
    """The scenario files' own budgets and weights (the last file to set one wins)."""
    from decision.files.yamlio import Document
    from decision.load.provenance import classify, scenario_entries

    latest: dict[str, _Item] = {}
    criteria = model.index("criteria")
    resources = list(spec.resources)
    for scenario, path in zip(chain, inputs.chain, strict=True):
        for found in classify(scenario_entries(scenario), spec, Document(path, None)):
            if found.kind != "judgement":
                continue
            part, name = found.key.split(".", 1)
            value = found.value
            low, high = value * (1 - RELATIVE_BAND), value * (1 + RELATIVE_BAND)
            target = (criteria[name],) if part == "weights" else (resources.index(name),)
            latest[found.key] = _Item(
                key_path=found.key, file="scenario",
                kind="weight" if part == "weights" else "budget",
                value=value, low=low, high=high, given=False, target=target,
                by=found.by or "modeller", confidence=found.confidence,
                reason=_plain(found.reason), rationale=None, evidence=tuple(found.evidence),
            )
    return list(latest.values())


_POINT_KEY = re.compile(r"effects\.([a-z][a-z0-9_]*)\.points\[(\d+)\]\[([01])\]")


def _point_item(
    model: CompiledModel, key: str, value: float, o: int, c: int
) -> tuple[tuple[float, float], tuple[int, int, int]] | None:
    """The ends of a value-function point's number (see the module docstring) and where it
    is: (function, point, 0 for x or 1 for dv); None for the x of a boolean's point."""
    match = _POINT_KEY.fullmatch(key)
    if match is None:  # the keys come from the spec's own effect_numbers
        raise ValueError(f"not a value-function point: {key!r}")
    i = model.index("indicators")[match.group(1)]
    k, j = int(match.group(2)), int(match.group(3))
    column = o * len(model.criteria) + c
    f = next(n for n, fn in enumerate(model.value_functions)
             if fn.column == column and fn.indicator == i)
    if j == 1:
        return _band(value, VALUE_BAND), (f, k, j)
    if model.spec.indicators[model.indicators[i]].type == "boolean":
        return None
    x = model.value_functions[f].x
    gap = POINT_GAP * float(model.span[i])
    lo = float(model.low[i]) if k == 0 else float(x[k - 1]) + gap
    hi = float(model.high[i]) if k == x.size - 1 else float(x[k + 1]) - gap
    return _band(value, INDICATOR_BAND * float(model.span[i]), lo, hi), (f, k, j)


def _point_shift(model: CompiledModel, item: _Item, end: float, at: float) -> float:
    """How much the value function's effect at the indicator value ``at`` changes when the
    item's point number is ``end`` instead of its value."""
    assert item.point is not None
    f, k, j = item.point
    function = model.value_functions[f]
    x, dv = function.x.copy(), function.dv.copy()
    (x, dv)[j][k] = end
    base = float(model.baseline[function.indicator])
    moved = float(np.interp(at, x, dv)) - float(np.interp(base, x, dv))
    return moved - float(function.shift(np.array([at]))[0])


def _threshold_span(model: CompiledModel, when: str, value: float) -> tuple[int, float] | None:
    """The indicator a threshold is compared with, and the width of its range."""
    expression = parse_expression(when, indicator_kinds(model.spec))
    positions = model.index("indicators")
    for comparison in expression.comparisons():
        if comparison.indicator is not None and comparison.threshold == value:
            i = positions[comparison.indicator]
            return i, float(model.span[i])
    return None


_NUMBER = re.compile(r"-?\s*(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def _with_threshold(text: str, at: int, value: float) -> str:
    """The expression with the number written at ``at`` (1-based) replaced by ``value``."""
    match = _NUMBER.match(text, at - 1)
    if match is None:  # the position comes from the same text: it always holds a number
        raise ValueError(f"no number at position {at} of {text!r}")
    return f"{text[: match.start()]}({value!r}){text[match.end():]}"


# ---------------------------------------------------------------------------- the batch


@dataclass(frozen=True)
class _Outcomes:
    """Per row: the top option's lead, the top option, and the best package's value and
    mask (None when bundles are not enumerated)."""

    lead: FloatArray  # (r,)
    top: np.ndarray  # (r,)
    package_value: FloatArray | None
    package_mask: np.ndarray | None
    package_names: list[str]


#: Bytes of one ``(rows, options, criteria)`` array of a batch of judgement ends: there are two
#: rows per judgement, and a model's judgements grow with options x criteria (a performance
#: value per cell), so one batch of all of them would make memory grow with options squared (a
#: 1,000-option model asked for 7,007 x 1,000 x 3 arrays, over 1 GiB of address space).
BATCH_BYTES = 32 * 2**20


def _evaluate(model: CompiledModel, inputs: ScenarioInputs, items: list[_Item]) -> _Outcomes:
    """Row 0 is the scenario; rows ``1 + 2k`` and ``2 + 2k`` are item ``k`` at its low and high
    end. Evaluated in batches of :data:`BATCH_BYTES` per array, each through the engine and one
    portfolio problem with a sample per row; every row's lead is that of row 0's top option."""
    rows = 1 + 2 * len(items)
    ends = np.empty(rows)
    ends[0] = np.nan
    ends[1::2] = [it.low for it in items]
    ends[2::2] = [it.high for it in items]
    batch = max(BATCH_BYTES // (8 * max(len(model.options) * len(model.criteria), 1)), 1)
    lead = np.empty(rows)
    top = np.empty(rows, dtype=np.int64)
    value: FloatArray | None = None
    mask: np.ndarray | None = None
    names: list[str] = []
    first = -1
    for start in range(0, rows, batch):
        stop = min(start + batch, rows)
        scores, available, part_top, part_value, part_mask, names = _evaluate_rows(
            model, inputs, items, ends, start, stop
        )
        if start == 0:
            first = int(part_top[0])
            if part_value is not None and part_mask is not None:
                value = np.empty(rows, dtype=part_value.dtype)
                mask = np.empty(rows, dtype=part_mask.dtype)
        top[start:stop] = part_top
        if first < 0:
            lead[start:stop] = 0.0
        else:
            others = np.where(available, scores, -np.inf)
            others[:, first] = -np.inf
            best_other = others.max(axis=1)
            lead[start:stop] = scores[:, first] - np.where(
                np.isfinite(best_other), best_other, 0.0
            )
        if value is not None and mask is not None:
            value[start:stop] = part_value
            mask[start:stop] = part_mask
    return _Outcomes(lead, top, value, mask, names)


def _evaluate_rows(
    model: CompiledModel,
    inputs: ScenarioInputs,
    items: list[_Item],
    all_ends: FloatArray,
    start: int,
    stop: int,
) -> tuple[FloatArray, BoolArray, np.ndarray, FloatArray | None, np.ndarray | None, list[str]]:
    """Scores, availability, top option and best package (value, mask, names) of the rows
    ``start`` to ``stop`` (see :func:`_evaluate`), each input of a row's item at the row's end
    (``all_ends``, one per row) and every other at the scenario's value."""
    count = stop - start
    x0 = np.asarray(inputs.values, dtype=np.float64)
    ends = all_ends[start:stop]

    def chosen(kind: Kind) -> tuple[np.ndarray, list[_Item]]:
        """The rows of this batch (counted from ``start``) that move an item of ``kind``, and
        their items."""
        picked = [k for k, it in enumerate(items) if it.kind == kind]
        lo = 1 + 2 * np.asarray(picked, dtype=np.int64)
        at = np.concatenate([lo, lo + 1])
        keep = np.flatnonzero((at >= start) & (at < stop))
        both = [items[k] for k in picked] * 2
        return at[keep] - start, [both[n] for n in keep.tolist()]

    values = np.repeat(x0[None, :], count, axis=0)
    judgement = np.repeat(model.judgement[None, :, :], count, axis=0)
    weights = np.repeat(np.asarray(inputs.weights, dtype=np.float64)[None, :], count, axis=0)
    r_idx, picked = chosen("performance")
    if picked:
        o, c = np.array([it.target for it in picked]).T
        judgement[r_idx, o, c] = ends[r_idx]
    r_idx, picked = chosen("effect")
    linear = [n for n, it in enumerate(picked) if it.point is None]
    if linear:
        rows_, picked_ = r_idx[linear], [picked[n] for n in linear]
        i, o, c = np.array([it.target for it in picked_]).T
        shift = (ends[rows_] - np.array([it.value for it in picked_])) * (
            (x0[i] - model.baseline[i]) / model.span[i]
        )
        judgement[rows_, o, c] += shift  # before the clip, exactly as a changed effect
    for row, item in zip(r_idx.tolist(), picked, strict=True):
        if item.point is not None:  # a value-function point: the function redrawn, per row
            i, o, c = item.target
            judgement[row, o, c] += _point_shift(model, item, float(ends[row]), float(x0[i]))
    r_idx, picked = chosen("baseline")
    if picked:
        values[r_idx, np.array([it.target[0] for it in picked])] = ends[r_idx]
    r_idx, picked = chosen("weight")
    if picked:
        weights[r_idx, np.array([it.target[0] for it in picked])] = ends[r_idx]
    perf = _performance(model, values, judgement, items, ends, chosen)
    holds = holding(model, values)
    kinds = indicator_kinds(model.spec)
    columns = {name: x0[k : k + 1] for k, name in enumerate(model.indicators)}
    r_idx, picked = chosen("threshold")
    for row, item in zip(r_idx.tolist(), picked, strict=True):
        # a threshold is a new expression: parsed once per end
        text = _with_threshold(item.text, item.at, float(ends[row]))
        holds[row, item.target[0]] = parse_expression(text, kinds).evaluate(columns)[0]
    available = availability(model, holds)
    w = normalise_weights(weights)
    scores, ranks = outcome(model, perf, available, w, inputs.method.name, inputs.method_params)
    top = top_option(ranks, available)
    value, mask, names = _packages(model, inputs, items, all_ends, start, perf, available, w)
    return scores, available, top, value, mask, names


def _performance(
    model: CompiledModel,
    values: FloatArray,
    judgement: FloatArray,
    items: list[_Item],
    ends: FloatArray,
    chosen: Callable[[Kind], tuple[np.ndarray, list[_Item]]],
) -> FloatArray:
    """Expected performance of every row, with the likelihood items (a probability, its
    effect, a failure performance) moved to their ends."""
    chances = model.likelihoods
    if chances is None:
        return performance(model, values, judgement)
    rows = values.shape[0]
    p = np.repeat(chances.value[None, :], rows, axis=0)
    success = success_performance(model, values, judgement)
    failure = np.array(failure_performance(model, success))
    r_idx, picked = chosen("likelihood")
    for row, item in zip(r_idx.tolist(), picked, strict=True):
        if len(item.target) == 1:
            p[row, item.target[0]] = ends[row]
        else:  # an effect: the change it makes at the scenario's value of its indicator
            l_pos, i = item.target
            p[row, l_pos] += (ends[row] - item.value) * (
                (values[row, i] - model.baseline[i]) / model.span[i]
            )
    r_idx, picked = chosen("failure")
    for row, item in zip(r_idx.tolist(), picked, strict=True):
        failure[row, item.target[0], item.target[1]] = ends[row]
    return expected(model, success, p, values, failure)


def _packages(
    model: CompiledModel,
    inputs: ScenarioInputs,
    items: list[_Item],
    ends: FloatArray,
    start: int,
    perf: FloatArray,
    available: BoolArray,
    w: FloatArray,
) -> tuple[FloatArray | None, np.ndarray | None, list[str]]:
    """The best package's value and mask per row of a batch from row ``start`` (None when
    bundles cannot be enumerated): the scenario's point portfolio problem with one sample per
    row; ``ends`` holds every row's end."""
    if too_many_for_bundles(model) is not None:
        return None, None, []
    point, names, _, _ = portfolio_problem(model, replace(inputs, samples=1))
    rows = perf.shape[0]
    eligible = [o for o in range(len(model.options)) if o != model.reference]
    position = {o: j for j, o in enumerate(eligible)}
    totals = contributions(perf, w, model.benefit).sum(axis=-1)
    if model.reference is not None:
        totals = totals - totals[:, model.reference : model.reference + 1]
    costs = np.repeat(point.costs[:1], rows, axis=0).copy()
    budgets = point.budgets
    spec = model.spec
    criteria = model.index("criteria")
    index = model.index("options")
    effects = np.zeros((len(spec.interactions), rows, len(model.criteria)))
    for k, it in enumerate(spec.interactions):
        for name, delta in it.effects.items():
            effects[k, :, criteria[name]] = delta
    for k, item in enumerate(items):  # the items that act on the package alone
        for row in range(max(1 + 2 * k - start, 0), min(3 + 2 * k - start, rows)):
            end = float(ends[start + row])
            if item.kind == "cost" and item.target[0] in position:
                costs[row, position[item.target[0]], item.target[1]] = end
            elif item.kind == "budget":
                r = item.target[0]
                if end > 0 and np.isfinite(budgets[r]):
                    costs[row, :, r] *= budgets[r] / end  # within b': cost * b / b' <= b
            elif item.kind == "interaction":
                effects[item.target[0], row, item.target[1]] = end
    interactions = [
        Interaction(tuple(position[index[m]] for m in it.options), (w * effects[k]).sum(axis=1))
        for k, it in enumerate(spec.interactions)
        if all(index[m] in position for m in it.options)
    ]
    problem = PortfolioProblem(
        values=totals[:, eligible],
        costs=costs,
        budgets=budgets,
        available=available[:, eligible],
        interactions=interactions,
        exclusions=point.exclusions,
        dependencies=point.dependencies,
    )
    result = analyse_portfolio(problem, top=1)
    return result.sample_best_values, result.sample_best_masks, names


# ---------------------------------------------------------------------------- the register


def assumptions(model: CompiledModel, inputs: ScenarioInputs) -> AssumptionsRegister:
    """The scenario's assumptions register (see the module docstring)."""
    items = judgements(model, inputs)
    out = _evaluate(model, inputs, items)
    options_are = model.spec.options_are
    has_package = out.package_value is not None
    measure: Measure = "package value" if options_are == "components" and has_package else "lead"
    lead0 = float(out.lead[0])
    top0 = int(out.top[0])

    def package_of(row: int) -> list[str] | None:
        if out.package_mask is None:
            return None
        return [out.package_names[j] for j in members_of(int(out.package_mask[row]),
                                                          len(out.package_names))]

    rows: list[Assumption] = []
    unmoved: list[str] = []
    ends: tuple[tuple[Literal["low", "high"], int], ...]
    for k, item in enumerate(items):
        lo, hi = 1 + 2 * k, 2 + 2 * k
        ends = (("low", lo), ("high", hi))
        lead_move = max(abs(out.lead[lo] - lead0), abs(out.lead[hi] - lead0))
        package_move = None
        flips_package = None
        if out.package_value is not None and out.package_mask is not None:
            base = out.package_value[0]
            package_move = max(abs(out.package_value[lo] - base), abs(out.package_value[hi] - base))
            flips_package = bool(
                out.package_mask[lo] != out.package_mask[0]
                or out.package_mask[hi] != out.package_mask[0]
            )
        influence = package_move if measure == "package value" and package_move is not None \
            else lead_move
        flips_top = bool(out.top[lo] != top0 or out.top[hi] != top0)
        moved = lead_move > ZERO or (package_move or 0.0) > ZERO or flips_top or flips_package
        if not moved:
            unmoved.append(item.key_path)
            continue
        changes = [
            Change(end, _name(model, int(out.top[row])), package_of(row))
            for end, row in ends
            if out.top[row] != top0
            or (out.package_mask is not None and out.package_mask[row] != out.package_mask[0])
        ]
        rows.append(
            Assumption(
                key_path=item.key_path,
                file=item.file,
                kind=item.kind,
                value=rounded(item.value),
                low=rounded(item.low),
                high=rounded(item.high),
                range="given" if item.given else "default",
                influence=rounded(float(influence)),
                lead_low=rounded(float(out.lead[lo])),
                lead_high=rounded(float(out.lead[hi])),
                package_low=None if out.package_value is None
                else rounded(float(out.package_value[lo])),
                package_high=None if out.package_value is None
                else rounded(float(out.package_value[hi])),
                flips_top=flips_top,
                flips_package=flips_package,
                changes=changes,
                by=item.by,
                confidence=item.confidence,
                reason=item.reason,
                rationale=item.rationale,
                evidence=list(item.evidence),
            )
        )
    order = sorted(range(len(rows)), key=lambda j: (-rows[j].influence,
                                                    not rows[j].flips_top, j))
    return AssumptionsRegister(
        scenario=inputs.id,
        method=inputs.method.name,
        options_are=options_are,
        measure=measure,
        top=_name(model, top0),
        lead=rounded(lead0),
        package=package_of(0),
        package_value=None if out.package_value is None
        else rounded(float(out.package_value[0])),
        considered=len(items),
        rows=[rows[j] for j in order],
        unmoved=unmoved,
    )


def _name(model: CompiledModel, index: int) -> str | None:
    return None if index < 0 else model.options[index]
