"""Spec of a decision-model file: source, evidence, indicators, criteria, options, perspectives.

Only shape and per-field ranges are checked here; cross-references (ids that must exist,
baselines within their range) are checked by :mod:`decision.load.validation`, which knows the
whole model. Every entry that holds numbers may say where they come from
(:class:`ProvenanceSpec`); whether a number is from the source is computed by
:mod:`decision.load.provenance`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    Strict,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from decision.errors import did_you_mean
from decision.specs.common import (
    LINE_CONTROLS,
    FiniteFloat,
    IndicatorId,
    ItemId,
    Line,
    NonNegative,
    Spec,
    Text,
    UnitFloat,
    Weight,
    at_key,
    single_line,
)
from decision.specs.elicitation import (
    MAX_AHP_CRITERIA,
    RECIPROCAL_TOLERANCE,
    SAATY_MAX,
    SAATY_TOLERANCE,
    TOP_POINTS,
    AhpResult,
    ahp,
    normalised,
    roc_weights,
)

#: Caps on evidence: figures per item, characters per figure (a figure is a number or a short
#: phrase as the source prints it).
MAX_FIGURES = 50
MAX_FIGURE_CHARS = 200
#: An indicator's range must be finite and at least this wide relative to its size,
#: ``max - min >= MIN_RANGE_RATIO * max(1, |min|, |max|)``: narrower ranges (down to
#: subnormal widths) make ``effect / (max - min)`` overflow, and ranges this narrow carry no
#: meaning in natural units.
MIN_RANGE_RATIO = 1e-9
#: Largest magnitude of an effect (value change per whole range on the 0-1 scale; anything
#: beyond 1 already saturates). With the minimum width this keeps ``effect / (max - min)``
#: below 1e15, so every effect is representable and no sum of effects overflows.
MAX_EFFECT = 1e6

Figure = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_FIGURE_CHARS),
    AfterValidator(single_line),
    Field(json_schema_extra={"not": {"pattern": LINE_CONTROLS}}),
]
Effect = Annotated[
    float,
    Field(
        allow_inf_nan=False,
        ge=-MAX_EFFECT,
        le=MAX_EFFECT,
        description="Change in value when the indicator moves across its whole range "
        f"(booleans: false to true); at most {MAX_EFFECT:g} in magnitude.",
    ),
]
#: Most points of a piecewise-linear value function.
MAX_POINTS = 100
#: The union tag of a value function among an effect's forms (the loader sets tags holding
#: ``[`` aside when it locates an error, as it does pydantic's own).
VALUE_FUNCTION_TAG = "value-function[points]"
Point = Annotated[
    list[Annotated[float, Field(allow_inf_nan=False)]],
    Field(min_length=2, max_length=2, description="[x, dv]: an indicator value and the "
          "change in value there."),
]


class ValueFunctionSpec(Spec):
    """A piecewise-linear effect of an indicator: ``points`` ``[x, dv]`` with x in the
    indicator's natural units (within its range; booleans 0 and 1) in strictly increasing
    order, dv the change in value at x; linear between points, constant beyond the ends.

    The effect at x is ``f(x) - f(baseline)``: measured from the baseline like a linear
    effect, so it is exactly 0 there (a function through ``[baseline, 0]`` means what it
    says). Two points ``[min, -e * (b - min) / range]``, ``[max, e * (max - b) / range]`` are
    the linear effect ``e``.
    """

    points: list[Point] = Field(
        min_length=2,
        max_length=MAX_POINTS,
        description="[x, dv] pairs in increasing order of x (natural units, within the "
        f"indicator's range); dv at most {MAX_EFFECT:g} in magnitude.",
    )

    @model_validator(mode="after")
    def _increasing(self) -> ValueFunctionSpec:
        allowed = "points [x, dv] in strictly increasing order of x, each x once"
        for k, (x, dv) in enumerate(self.points):
            if abs(dv) > MAX_EFFECT:
                raise at_key(
                    f"dv {dv:g} is too large", "points", k, 1,
                    allowed=f"at most {MAX_EFFECT:g} in magnitude",
                )
            if k and x == self.points[k - 1][0]:
                raise at_key(
                    f"x = {x:g} repeats the x of point {k - 1}", "points", k, 0, allowed=allowed
                )
            if k and x < self.points[k - 1][0]:
                raise at_key(
                    f"x = {x:g} is below the x of point {k - 1} "
                    f"({self.points[k - 1][0]:g}): the points are not sorted",
                    "points", k, 0, allowed=allowed,
                )
        return self


def _effect_form(value: Any) -> str:
    """Which form an effect takes: a mapping is a value function, anything else a number."""
    return VALUE_FUNCTION_TAG if isinstance(value, Mapping | ValueFunctionSpec) else "float"


#: An indicator's effect on a performance: a number (linear, per whole range) or a
#: piecewise-linear value function.
EffectForm = Annotated[
    Annotated[Effect, Tag("float")] | Annotated[ValueFunctionSpec, Tag(VALUE_FUNCTION_TAG)],
    Discriminator(_effect_form),
]


#: How an entry names one of its numbers in ``provenance``: a key of the entry (``baseline``,
#: ``value``, ``low``, ``high``, ``weight``, ``when``) or a mapping key and its item
#: (``effects.civil_society_access``, ``weights.allied-security``, ``budgets.budget``), or one
#: number of a value function's point (``effects.civil_society_access.points[1][0]``).
NUMBER_KEY_PATTERN = r"^[a-z][a-z_]*(\.[a-z0-9][a-z0-9_-]*)?(\.points\[\d+\]\[[01]\])?$"
NumberKey = Annotated[str, StringConstraints(pattern=NUMBER_KEY_PATTERN, max_length=140)]
#: Longest ``derived`` arithmetic, in characters.
MAX_DERIVATION_CHARS = 200
Derivation = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_DERIVATION_CHARS),
    AfterValidator(single_line),
    Field(json_schema_extra={"not": {"pattern": LINE_CONTROLS}}),
]


class ProvenanceSpec(Spec):
    """Where an entry's numbers come from: the source, arithmetic on it, or a judgement.

    A number is *from the source* when it occurs among the figures of an evidence item the
    entry cites (its own ``evidence`` and the ``evidence`` here); the loader computes this, so
    nothing needs declaring. ``source`` asks the loader to check it (a declared number that
    matches no figure is an error); ``derived`` says how a number follows from the figures;
    ``judgement`` keeps a number a judgement even where it equals a cited figure. Every other
    number is a judgement, described by ``by``, ``confidence`` and ``reason``.
    """

    evidence: list[ItemId] = Field(
        default_factory=list,
        description="Evidence the numbers rest on, besides the entry's own 'evidence'.",
    )
    source: list[NumberKey] = Field(
        default_factory=list,
        description="Numbers declared from the source, e.g. [baseline]: each must occur among "
        "the figures of the cited evidence.",
    )
    derived: dict[NumberKey, Derivation] = Field(
        default_factory=dict,
        description="Numbers derived from cited figures by arithmetic (numbers, + - * /, "
        "parentheses), e.g. {baseline: '1997 + 2'}: it must give the number and use at least "
        "one cited figure.",
    )
    judgement: list[NumberKey] = Field(
        default_factory=list,
        description="Numbers that are judgements even though they equal a cited figure.",
    )
    by: Line | None = Field(
        default=None, description="Whose judgement the other numbers are (default: the modeller)."
    )
    confidence: Literal["low", "medium", "high"] | None = Field(
        default=None, description="How sure the judgement is."
    )
    reason: Text | None = Field(
        default=None,
        description="Why the judgement's numbers are what they are (above all the width of "
        "its low..high range; the rationale says why the value is).",
    )

    @model_validator(mode="after")
    def _declared_once(self) -> ProvenanceSpec:
        seen: dict[str, str] = {}
        for part, where, key in self.declared():
            if key in seen:
                raise at_key(
                    f"'{key}' is already declared in '{seen[key]}'",
                    part,
                    where,
                    allowed="each number in at most one of source, derived and judgement",
                )
            seen[key] = part
        return self

    def declared(self) -> list[tuple[str, str | int, str]]:
        """Every declared number: (list, index or key within it, number key)."""
        return [
            *(("source", index, key) for index, key in enumerate(self.source)),
            *(("derived", key, key) for key in self.derived),
            *(("judgement", index, key) for index, key in enumerate(self.judgement)),
        ]


def check_number_keys(provenance: ProvenanceSpec | None, keys: list[str], what: str) -> None:
    """Every number ``provenance`` declares must be one of the entry's ``keys``."""
    if provenance is None:
        return
    for part, where, key in provenance.declared():
        if key not in keys:
            raise at_key(
                f"'{key}' is not a number of this {what}{did_you_mean(key, keys)}",
                "provenance",
                part,
                where,
                allowed=f"its numbers: {', '.join(keys)}" if keys else "none: it holds no number",
            )


class ConditionalRecommendationSpec(Spec):
    """Options the source recommends only once a condition holds (its timing or a trigger)."""

    options: list[ItemId] = Field(min_length=1, description="The options it recommends then.")
    condition: Text = Field(
        description="When, in the modeller's words, e.g. 'once the human-rights record "
        "improves'."
    )
    locator: Line | None = Field(default=None, description="Where the source says so.")


class RecommendsSpec(Spec):
    """What the source itself recommends, as a package with timing: the options it asks for
    now, and those it defers until a condition holds. The report compares the model's
    recommendation with it."""

    now: list[ItemId] = Field(
        default_factory=list, description="Options the source recommends now."
    )
    when: list[ConditionalRecommendationSpec] = Field(
        default_factory=list, description="Options the source recommends once a condition holds."
    )
    locator: Line | None = Field(
        default=None, description="Where the source states its recommendations."
    )


class SourceSpec(Spec):
    """The document the model encodes."""

    title: Line
    author: Line
    publisher: Line
    year: int = Field(ge=1000, le=3000)
    url: Line | None = None
    note: Text | None = None
    recommends: RecommendsSpec | None = Field(
        default=None,
        description="What the source recommends (options now, and options once a condition "
        "holds); the report opens by comparing the model's recommendation with it.",
    )


class EvidenceSpec(Spec):
    """A fact or figure from the source, with its locator and a claim in our own words."""

    locator: Line = Field(
        description="Where in the source, e.g. 'Strategic Implications ¶3, note 13'."
    )
    figures: list[Figure] = Field(
        default_factory=list,
        max_length=MAX_FIGURES,
        description="Figures as printed in the source (strings), e.g. ['153', '180']: at most "
        f"{MAX_FIGURES} per item, each one line of at most {MAX_FIGURE_CHARS} characters.",
    )
    claim: Text = Field(description="What the source says, paraphrased.")


#: The rules of ``IndicatorSpec._range_fits_type`` in JSON Schema: a boolean indicator has a
#: true/false baseline and no range; a numeric one (the default) a range and a number.
_INDICATOR_KINDS: dict[str, Any] = {
    "if": {"properties": {"type": {"const": "boolean"}}, "required": ["type"]},
    "then": {
        "properties": {"baseline": {"type": "boolean"}},
        "not": {
            "anyOf": [
                {"properties": {"min": {"type": "number"}}, "required": ["min"]},
                {"properties": {"max": {"type": "number"}}, "required": ["max"]},
            ]
        },
    },
    "else": {
        "properties": {
            "min": {"type": "number"},
            "max": {"type": "number"},
            "baseline": {"type": "number"},
        },
        "required": ["min", "max"],
    },
}


class IndicatorSpec(Spec):
    """A state variable of the world in natural units, numeric or boolean."""

    model_config = Spec.model_config | {"json_schema_extra": _INDICATOR_KINDS}

    description: Text
    type: Literal["numeric", "boolean"] = "numeric"
    unit: Line | None = None
    min: FiniteFloat | None = Field(
        default=None,
        description="Lower end of the range (numeric); max - min must be finite and at least "
        f"{MIN_RANGE_RATIO:g} x max(1, |min|, |max|).",
    )
    max: FiniteFloat | None = Field(default=None, description="Upper end of the range (numeric).")
    baseline: FiniteFloat | bool = Field(description="Value in the world the source describes.")
    evidence: list[ItemId] = Field(default_factory=list)
    note: Text | None = None
    provenance: ProvenanceSpec | None = Field(
        default=None, description="Where the numbers come from (see ProvenanceSpec)."
    )

    @field_validator("max")
    @classmethod
    def _width_is_representable(cls, value: float | None, info: ValidationInfo) -> float | None:
        """max - min must be finite and not vanishingly small (see ``MIN_RANGE_RATIO``)."""
        low = info.data.get("min")
        if value is None or low is None or not low < value:
            return value  # a missing or reversed range is reported with the whole indicator
        width = value - low
        if not math.isfinite(width):
            raise ValueError(
                f"max - min = {value:g} - ({low:g}) overflows to infinity; "
                "allowed: a range whose width max - min is a finite number"
            )
        if width < MIN_RANGE_RATIO * max(1.0, abs(low), abs(value)):
            raise ValueError(
                f"the range {low:g}..{value:g} is too narrow (width {width:g}); "
                f"allowed: max - min of at least {MIN_RANGE_RATIO:g} x max(1, |min|, |max|)"
            )
        return value

    @model_validator(mode="after")
    def _range_fits_type(self) -> IndicatorSpec:
        if self.type == "boolean":
            if self.min is not None or self.max is not None:
                raise at_key(
                    "a boolean indicator has no range",
                    "min" if self.min is not None else "max",
                    allowed="no min or max with type: boolean (or type: numeric)",
                )
            if not isinstance(self.baseline, bool):
                raise at_key(
                    f"baseline {self.baseline:g} is a number, but the indicator is boolean",
                    "baseline",
                    allowed="true or false (or type: numeric with min and max)",
                )
        else:
            if self.min is None or self.max is None:
                raise at_key(
                    f"a numeric indicator needs '{'min' if self.min is None else 'max'}'",
                    allowed="min and max: the indicator's range in its unit (or type: boolean)",
                )
            if not self.min < self.max:
                raise at_key(
                    f"min ({self.min:g}) is not below max ({self.max:g})",
                    "max",
                    allowed="min < max",
                )
            if isinstance(self.baseline, bool):
                raise at_key(
                    "baseline is true/false, but the indicator is numeric",
                    "baseline",
                    allowed=f"a number in [{self.min:g}, {self.max:g}] (or type: boolean)",
                )
        check_number_keys(self.provenance, self.number_keys(), "indicator")
        return self

    def number_keys(self) -> list[str]:
        """The keys of the numbers ``provenance`` may name (a boolean baseline is no number)."""
        return [] if isinstance(self.baseline, bool) else ["baseline"]

    @property
    def low(self) -> float:
        """Lower end of the range (0 for booleans)."""
        return 0.0 if self.min is None else self.min

    @property
    def high(self) -> float:
        """Upper end of the range (1 for booleans)."""
        return 1.0 if self.max is None else self.max


class ScaleSpec(Spec):
    """What the ends of a criterion's 0-1 value scale mean, in words: with both anchored, a
    weight is a swing weight (how much moving from the worst to the best outcome on this
    criterion matters against the same swing on the others)."""

    worst: Text = Field(description="The outcome that scores 0: the worst plausible one.")
    best: Text = Field(description="The outcome that scores 1: the best plausible one.")


class CriterionSpec(Spec):
    """An objective the options are judged on, with its weight.

    The weight may be left out when the model's ``weight_elicitation`` gives it: the model then
    fills it in (so ``weight`` is a number on every criterion of a loaded model).
    """

    description: Text
    scale: ScaleSpec | None = Field(
        default=None,
        description="What 0 and 1 mean on this criterion; with anchors, weights are swing "
        "weights (decision lint warns about criteria without them).",
    )
    # None only until ModelSpec fills it from its weight_elicitation (or refuses the model):
    # typed as the number every reader of a loaded model gets
    weight: Weight = Field(  # type: ignore[assignment]
        default=None,
        description="Any scale (normalised). Required unless the model's weight_elicitation "
        "gives the weights; where both are given they must agree.",
    )
    direction: Literal["benefit", "cost"] = Field(
        default="benefit",
        description="benefit: higher performance is better; cost: lower is better.",
    )
    rationale: Text
    provenance: ProvenanceSpec | None = Field(
        default=None, description="Where the numbers come from (see ProvenanceSpec)."
    )

    @model_validator(mode="after")
    def _numbers_named(self) -> CriterionSpec:
        check_number_keys(self.provenance, ["weight"], "criterion")
        return self


#: Most experts one judgement may pool.
MAX_EXPERTS = 50
#: Largest relative weight of one expert.
MAX_EXPERT_WEIGHT = 1e6
#: Tolerance of a stated ``value``, ``low`` or ``high`` against the experts' pool.
POOL_TOLERANCE = 1e-9


class ExpertSpec(Spec):
    """One expert's judgement of a performance: a range and its most likely value."""

    by: Line = Field(description="Who gave the judgement.")
    low: UnitFloat
    mode: UnitFloat = Field(description="Most likely value.")
    high: UnitFloat
    weight: float = Field(
        default=1.0,
        allow_inf_nan=False,
        gt=0.0,
        le=MAX_EXPERT_WEIGHT,
        description="Relative weight in the pool (equal weights unless stated).",
    )

    @model_validator(mode="after")
    def _ordered(self) -> ExpertSpec:
        allowed = "low <= mode <= high"
        if self.low > self.mode:
            raise at_key(
                f"mode ({self.mode:g}) is below low ({self.low:g})", "mode", allowed=allowed
            )
        if self.mode > self.high:
            raise at_key(
                f"high ({self.high:g}) is below mode ({self.mode:g})", "high", allowed=allowed
            )
        return self


def _pool_numbers(experts: Any) -> tuple[float, float, float] | None:
    """The pool's (point value, low, high) from raw expert entries, None when malformed:
    the weighted mean of the modes, the lowest low and the highest high."""
    if not isinstance(experts, list) or not experts:
        return None
    rows: list[tuple[float, float, float, float]] = []
    for expert in experts:
        if not isinstance(expert, Mapping):
            return None
        numbers = [expert.get(key) for key in ("low", "mode", "high")]
        numbers.append(expert.get("weight", 1.0))
        if not all(
            isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)
            for x in numbers
        ):
            return None
        low, mode, high, weight = (float(x) for x in numbers if isinstance(x, int | float))
        if not (0.0 <= low <= mode <= high <= 1.0 and 0.0 < weight <= MAX_EXPERT_WEIGHT):
            return None
        rows.append((low, mode, high, weight))
    total = math.fsum(r[3] for r in rows)
    value = min(max(math.fsum(r[1] * r[3] for r in rows) / total, 0.0), 1.0)
    return value, min(r[0] for r in rows), max(r[2] for r in rows)


class PerformanceSpec(Spec):
    """An option's performance on one criterion, on a 0-1 value scale.

    value = clip(judgement + sum_i effect_i * (x_i - baseline_i) / range_i, 0, 1): each effect is
    the change in value per whole range of the indicator, measured from its baseline; an
    effect may instead be a piecewise-linear value function (:class:`ValueFunctionSpec`),
    whose term is ``f(x_i) - f(baseline_i)``.

    With ``experts`` the judgement is their linear opinion pool: ``value`` is the weighted mean
    of their modes and ``low``..``high`` the envelope of their ranges (omitted keys are
    filled in; given ones must agree).
    """

    value: UnitFloat = Field(
        description="Baseline judgement on the 0-1 value scale (with experts: the weighted "
        "mean of their modes; may be omitted)."
    )
    low: UnitFloat | None = Field(
        default=None, description="Lower end of the judgement's uncertainty."
    )
    high: UnitFloat | None = Field(
        default=None, description="Upper end of the judgement's uncertainty."
    )
    effects: dict[IndicatorId, EffectForm] = Field(
        default_factory=dict,
        description="Per indicator: the change in value per whole range (booleans: false to "
        "true), or a piecewise-linear value function {points: [[x, dv], ...]} (x in the "
        "indicator's units, dv the change in value at x; measured from the baseline).",
    )
    rationale: Text
    evidence: list[ItemId] = Field(default_factory=list)
    provenance: ProvenanceSpec | None = Field(
        default=None, description="Where the numbers come from (see ProvenanceSpec)."
    )
    experts: list[ExpertSpec] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_EXPERTS,
        description="Several experts' judgements {by, low, mode, high, weight}, pooled for "
        "sampling (a linear opinion pool; equal weights unless stated).",
    )

    @model_validator(mode="before")
    @classmethod
    def _pool_fills(cls, data: Any) -> Any:
        """Fill an omitted value, low or high from the experts' pool."""
        if not isinstance(data, Mapping) or "experts" not in data:
            return data
        pool = _pool_numbers(data["experts"])
        filled = dict(data)
        if pool is None:  # the experts' own error is reported, not a missing value
            filled.setdefault("value", 0.0)
            return filled
        for key, number in zip(("value", "low", "high"), pool, strict=True):
            filled.setdefault(key, number)
        return filled

    @model_validator(mode="after")
    def _range_brackets_value(self) -> PerformanceSpec:
        check_order(self.low, self.value, self.high)
        if self.experts is not None:
            check_pool(self.experts, self.value, self.low, self.high)
        check_number_keys(self.provenance, self.number_keys(), "performance entry")
        return self

    def number_keys(self) -> list[str]:
        """The keys of the numbers ``provenance`` may name."""
        ends = [name for name in ("low", "high") if getattr(self, name) is not None]
        effects = [key for name in self.effects for key, _ in self.effect_numbers(name)]
        return ["value", *ends, *effects, *(key for key, _ in self.expert_numbers())]

    def expert_numbers(self) -> list[tuple[str, float]]:
        """The experts' numbers, by key: ``experts[k].low``, ``.mode``, ``.high``, ``.weight``."""
        return [
            (f"experts[{k}].{name}", float(getattr(expert, name)))
            for k, expert in enumerate(self.experts or [])
            for name in ("low", "mode", "high", "weight")
        ]

    def disagreements(self) -> list[tuple[ExpertSpec, ExpertSpec]]:
        """Pairs of experts whose ranges do not overlap (one's high below the other's low)."""
        return [
            (a, b)
            for a, b in combinations(self.experts or [], 2)
            if a.high < b.low or b.high < a.low
        ]

    def effect_numbers(self, indicator: str) -> list[tuple[str, float]]:
        """The numbers of one effect, by key: ``effects.<id>`` for a linear effect, each
        point's x and dv (``effects.<id>.points[k][0]``, ``[k][1]``) for a value function."""
        effect = self.effects[indicator]
        if isinstance(effect, ValueFunctionSpec):
            return [
                (f"effects.{indicator}.points[{k}][{j}]", number)
                for k, point in enumerate(effect.points)
                for j, number in enumerate(point)
            ]
        return [(f"effects.{indicator}", effect)]


def check_pool(
    experts: Sequence[ExpertSpec], value: float, low: float | None, high: float | None
) -> None:
    """Distinct expert names, and ``value``, ``low``, ``high`` agreeing with the pool: the
    weighted mean of the modes, the lowest low, the highest high."""
    seen: set[str] = set()
    for k, expert in enumerate(experts):
        if expert.by in seen:
            raise at_key(
                f"expert {expert.by!r} is listed twice",
                "experts",
                k,
                "by",
                allowed="one entry per expert",
            )
        seen.add(expert.by)
    total = math.fsum(e.weight for e in experts)
    pool = {
        "value": math.fsum(e.mode * e.weight for e in experts) / total,
        "low": min(e.low for e in experts),
        "high": max(e.high for e in experts),
    }
    given = {"value": value, "low": low, "high": high}
    what = {
        "value": "the weighted mean of the experts' modes",
        "low": "the experts' lowest low",
        "high": "the experts' highest high",
    }
    for key, number in given.items():
        if number is not None and abs(number - pool[key]) > POOL_TOLERANCE:
            raise at_key(
                f"{key} ({number:g}) differs from {what[key]} ({pool[key]:g})",
                key,
                allowed=f"{key} omitted or {pool[key]:g}",
            )


def check_order(low: float | None, value: float, high: float | None) -> None:
    """``low <= value <= high`` (a missing end is the value itself), else an error at the
    second key of the first pair out of order (as read: low, value, high)."""
    allowed = "low <= value <= high"
    if low is not None and high is not None and low > high:
        raise at_key(f"low ({low:g}) is above high ({high:g})", "high", allowed=allowed)
    if low is not None and value < low:
        raise at_key(f"value ({value:g}) is below low ({low:g})", "value", allowed=allowed)
    if high is not None and value > high:
        raise at_key(f"value ({value:g}) is above high ({high:g})", "high", allowed=allowed)


class CostSpec(Spec):
    """Use of one resource by an option, with an uncertainty range."""

    value: NonNegative
    low: NonNegative | None = None
    high: NonNegative | None = None
    rationale: Text | None = None
    provenance: ProvenanceSpec | None = Field(
        default=None, description="Where the numbers come from (see ProvenanceSpec)."
    )

    @model_validator(mode="after")
    def _range_brackets_value(self) -> CostSpec:
        check_order(self.low, self.value, self.high)
        ends = [name for name in ("low", "high") if getattr(self, name) is not None]
        check_number_keys(self.provenance, ["value", *ends], "cost")
        return self


class ResourceSpec(Spec):
    """A limited resource that options use, e.g. diplomatic capital or budget."""

    description: Text
    unit: Line | None = None


class InteractionSpec(Spec):
    """Options that reinforce (positive effects) or undercut (negative) each other when adopted
    together: value added on named criteria, on the 0-1 value scale."""

    options: list[ItemId] = Field(min_length=2)
    effects: dict[ItemId, FiniteFloat] = Field(min_length=1)
    rationale: Text
    evidence: list[ItemId] = Field(default_factory=list)
    provenance: ProvenanceSpec | None = Field(
        default=None, description="Where the numbers come from (see ProvenanceSpec)."
    )

    @model_validator(mode="after")
    def _numbers_named(self) -> InteractionSpec:
        keys = [f"effects.{name}" for name in self.effects]
        check_number_keys(self.provenance, keys, "interaction")
        return self


class ExclusionSpec(Spec):
    """Options that cannot be adopted together."""

    options: list[ItemId] = Field(min_length=2, max_length=2)
    reason: Text


class DependencySpec(Spec):
    """An option that can only be adopted with another."""

    option: ItemId
    requires: ItemId
    reason: Text


class PreconditionSpec(Spec):
    """When an option is available at all: a boolean expression over indicator ids."""

    when: Text = Field(
        description="e.g. 'civil_society_access >= 0.5 and political_prisoners_released'"
    )
    reason: Text
    evidence: list[ItemId] = Field(default_factory=list)
    provenance: ProvenanceSpec | None = Field(
        default=None,
        description="Where the thresholds come from; 'when' names every number in the "
        "expression.",
    )

    @model_validator(mode="after")
    def _numbers_named(self) -> PreconditionSpec:
        check_number_keys(self.provenance, ["when"], "precondition")
        return self


class LikelihoodSpec(Spec):
    """The probability that an option achieves its intended effect, and what it gives if not.

    Its expected performance on each criterion is ``p * success + (1 - p) * failure``: success
    is the option's own performance, failure is ``if_failure`` where given, else the reference
    option's performance. ``value`` alone is a number; with ``low``/``high`` it is a
    distribution over that range shaped like the judgements (``judgement_distribution``, mode
    at ``value``), sampled in Monte Carlo runs. Like a performance, the probability may move
    with the state of the world: ``p = clip(value + sum_i effect_i * (x_i - baseline_i) /
    range_i, 0, 1)``. Keeping likelihood apart from the criteria keeps value and chance from
    being mixed in one score.
    """

    value: UnitFloat = Field(description="Probability of success, in [0, 1].")
    low: UnitFloat | None = Field(
        default=None,
        description="Lower end of the probability's uncertainty: Monte Carlo runs draw it "
        "within low..high like a judgement (judgement_distribution, mode at value).",
    )
    high: UnitFloat | None = Field(
        default=None, description="Upper end of the probability's uncertainty."
    )
    effects: dict[IndicatorId, Effect] = Field(
        default_factory=dict,
        description="Change in the probability per whole range of an indicator (per unit for "
        "booleans), measured from its baseline, as for a performance's effects; the result is "
        "clipped to [0, 1].",
    )
    if_failure: dict[ItemId, UnitFloat] = Field(
        default_factory=dict,
        description="Performance per criterion (0-1) if the option fails; a criterion not "
        "named takes the reference option's performance.",
    )
    rationale: Text
    evidence: list[ItemId] = Field(default_factory=list)
    provenance: ProvenanceSpec | None = Field(
        default=None, description="Where the numbers come from (see ProvenanceSpec)."
    )

    @model_validator(mode="after")
    def _range_brackets_value(self) -> LikelihoodSpec:
        check_order(self.low, self.value, self.high)
        check_number_keys(self.provenance, self.number_keys(), "likelihood")
        return self

    def number_keys(self) -> list[str]:
        """The keys of the numbers ``provenance`` may name."""
        ends = [name for name in ("low", "high") if getattr(self, name) is not None]
        return [
            "value",
            *ends,
            *(f"effects.{name}" for name in self.effects),
            *(f"if_failure.{name}" for name in self.if_failure),
        ]


class OptionSpec(Spec):
    """A recommendation (or a reference option) with its preconditions and performance."""

    title: Line
    recommendation: Line = Field(
        description="Which of the source's recommendations it encodes, or 'not in the brief'.",
    )
    locator: Line | None = None
    reference: bool = Field(default=False, description="The no-action reference option.")
    description: Text | None = None
    preconditions: list[PreconditionSpec] = Field(default_factory=list)
    performance: dict[ItemId, PerformanceSpec]
    costs: dict[ItemId, CostSpec] = Field(default_factory=dict)
    likelihood: LikelihoodSpec | None = Field(
        default=None,
        description="Probability that the option achieves its intended effect (default: "
        "certain); its performance becomes p * success + (1 - p) * failure.",
    )


# ---------------------------------------------------------------------------- elicitation


_FRACTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*$")


def _fraction(value: Any) -> Any:
    """A comparison written as a fraction, ``'1/3'``, as its number (other values pass)."""
    if isinstance(value, str):
        match = _FRACTION.match(value)
        if match is None or float(match.group(2)) == 0:
            raise ValueError(
                f"'{value}' is not a number or a fraction; allowed: a number or a fraction such "
                "as '1/3', from 1/9 to 9"
            )
        return float(match.group(1)) / float(match.group(2))
    return value


def _on_saaty_scale(value: float) -> float:
    if not (1 / SAATY_MAX) * (1 - SAATY_TOLERANCE) <= value <= SAATY_MAX:
        raise ValueError(
            f"{value:g} is outside Saaty's scale; allowed: a number from 1/9 to 9 (1: equally "
            "important, 3 moderately, 5 strongly, 7 very strongly, 9 extremely more "
            "important; 1/3 and so on the other way)"
        )
    return value


Comparison = Annotated[
    float,
    BeforeValidator(_fraction, json_schema_input_type=float | str),
    Field(
        allow_inf_nan=False,
        description="How many times as important the row's swing is as the column's, on "
        "Saaty's 1-9 scale: a number from 1/9 to 9, or a fraction such as '1/3'.",
    ),
]
Points = Annotated[float, Field(allow_inf_nan=False, ge=0.0)]


class ElicitationSpec(Spec):
    """A weight set as elicited: the method, whose answers they are, why, and the answers.

    swing: ``ranking`` (the swings from worst to best, most wanted first) and ``points`` (the
    first has 100, each other at most the one before it); roc: ``ranking``; ahp:
    ``pairwise`` (each pair of criteria once, ``a: {b: 3}`` saying a's swing is 3 times as
    important as b's); direct: ``points``. The weights it gives sum to 1.
    """

    method: Literal["swing", "roc", "ahp", "direct"] = Field(
        description="swing: order of swings and points; roc: rank order only (rank-order "
        "centroid weights); ahp: pairwise comparisons (eigenvector weights); direct: points."
    )
    by: Line = Field(description="Whose answers these are, e.g. 'modeller' or 'panel, 2024-05'.")
    rationale: Text = Field(description="Why the answers are what they are, in a few words.")
    ranking: list[ItemId] | None = Field(
        default=None,
        description="swing, roc: every criterion once, the one whose worst-to-best swing "
        "matters most first.",
    )
    points: dict[ItemId, Points] | None = Field(
        default=None,
        description=f"swing: points per criterion, the top swing {TOP_POINTS:g} and none above "
        "the one ranked before it; direct: any points >= 0, not all zero.",
    )
    pairwise: dict[ItemId, dict[ItemId, Comparison]] | None = Field(
        default=None,
        description="ahp: comparisons on Saaty's 1-9 scale, each pair of criteria once (the "
        "upper triangle), e.g. {a: {b: 3, c: 5}, b: {c: '1/2'}}; both directions may be given "
        "if they are reciprocal.",
    )

    @model_validator(mode="after")
    def _fits_method(self) -> ElicitationSpec:
        needed = {"swing": ("ranking", "points"), "roc": ("ranking",), "ahp": ("pairwise",),
                  "direct": ("points",)}[self.method]
        for key in ("ranking", "points", "pairwise"):
            given = getattr(self, key) is not None
            if key in needed and not given:
                raise at_key(
                    f"method {self.method} needs '{key}'",
                    allowed=f"method {self.method} with {' and '.join(needed)}",
                )
            if key not in needed and given:
                raise at_key(
                    f"'{key}' is not used by method {self.method}",
                    key,
                    allowed=f"method {self.method} with {' and '.join(needed)} only",
                )
        if self.ranking is not None:
            seen: set[str] = set()
            for index, name in enumerate(self.ranking):
                if name in seen:
                    raise at_key(
                        f"'{name}' is ranked twice",
                        "ranking",
                        index,
                        allowed="every criterion exactly once, most important swing first",
                    )
                seen.add(name)
        if self.method == "swing":
            self._check_swing_points()
        elif self.points is not None and not any(v > 0 for v in self.points.values()):
            raise at_key("points are all zero", "points", allowed="at least one point > 0")
        if self.pairwise is not None:
            self._check_pairwise()
        return self

    def _check_swing_points(self) -> None:
        assert self.ranking is not None and self.points is not None
        allowed = (f"the top swing {TOP_POINTS:g} points, each other swing from 0 up to the "
                   "points of the one ranked before it")
        previous: tuple[str, float] | None = None
        for name in self.ranking:
            if name not in self.points:
                continue  # named in the ranking but given no points: checked with the criteria
            value = self.points[name]
            if previous is None and value != TOP_POINTS:
                raise at_key(f"the top swing '{name}' has {value:g} points, not "
                             f"{TOP_POINTS:g}", "points", name, allowed=allowed)
            if previous is not None and value > previous[1]:
                raise at_key(
                    f"'{name}' has more points ({value:g}) than '{previous[0]}' "
                    f"({previous[1]:g}), which is ranked before it",
                    "points", name, allowed=allowed,
                )
            previous = (name, value)

    def _check_pairwise(self) -> None:
        assert self.pairwise is not None
        for row, entries in self.pairwise.items():
            for column, value in entries.items():
                _on_saaty_scale_at(value, row, column)
                if row == column and abs(value - 1) > 1e-12:
                    raise at_key(
                        f"'{row}' compared with itself is {value:g}",
                        "pairwise", row, column,
                        allowed="1 on the diagonal (or leave it out)",
                    )
                back = self.pairwise.get(column, {}).get(row)
                if back is not None and abs(value * back - 1) > RECIPROCAL_TOLERANCE:
                    raise at_key(
                        f"not reciprocal: {row} over {column} is {value:g} but {column} over "
                        f"{row} is {back:g} (their product must be 1)",
                        "pairwise", row, column,
                        allowed=f"{column} over {row} = 1/{value:g}, or give each pair once",
                    )

    def check_criteria(self, criteria: Sequence[str], *path: str | int) -> None:
        """The elicitation must name exactly the model's ``criteria``; errors at ``path``."""
        known = list(criteria)
        allowed = f"the model's criteria: {', '.join(known)}"

        def unknown(name: str, *where: str | int) -> None:
            if name not in known:
                raise at_key(f"unknown criterion '{name}'{did_you_mean(name, known)}", *path,
                             *where, allowed=allowed)

        if self.ranking is not None:
            for index, name in enumerate(self.ranking):
                unknown(name, "ranking", index)
            missing = [c for c in known if c not in self.ranking]
            if missing:
                raise at_key(f"the ranking omits {', '.join(missing)}", *path, "ranking",
                             allowed="every criterion exactly once, most important swing first")
        if self.points is not None:
            for name in self.points:
                unknown(name, "points", name)
            missing = [c for c in known if c not in self.points]
            if missing:
                raise at_key(f"no points for {', '.join(missing)}", *path, "points",
                             allowed="points for every criterion (0 for a swing worth nothing)")
        if self.pairwise is not None:
            if len(known) > MAX_AHP_CRITERIA:
                raise at_key(f"{len(known)} criteria are too many to compare in pairs", *path,
                             "pairwise", allowed=f"at most {MAX_AHP_CRITERIA} criteria for ahp "
                             "(or method swing)")
            for row, entries in self.pairwise.items():
                unknown(row, "pairwise", row)
                for column in entries:
                    unknown(column, "pairwise", row, column)
            absent = [f"{a}/{b}" for a, b in combinations(known, 2)
                      if b not in self.pairwise.get(a, {}) and a not in self.pairwise.get(b, {})]
            if absent:
                shown = ", ".join(absent[:5]) + (f" and {len(absent) - 5} more"
                                                 if len(absent) > 5 else "")
                raise at_key(f"pairs not compared: {shown}", *path, "pairwise",
                             allowed="each pair of criteria once, e.g. {a: {b: 3}}")

    def matrix(self, criteria: Sequence[str]) -> list[list[float]]:
        """The full reciprocal matrix of an ``ahp`` elicitation, in ``criteria`` order."""
        pairs = self.pairwise or {}
        size = len(criteria)
        out = [[1.0] * size for _ in range(size)]
        for i, a in enumerate(criteria):
            for j, b in enumerate(criteria):
                if i != j:
                    given = pairs.get(a, {}).get(b)
                    out[i][j] = given if given is not None else 1.0 / pairs[b][a]
        return out

    def weights(self, criteria: Sequence[str]) -> dict[str, float]:
        """The weights it gives each of ``criteria`` (checked by :meth:`check_criteria`),
        summing to 1."""
        if self.method == "ahp":
            return dict(zip(criteria, ahp(self.matrix(criteria)).weights, strict=True))
        if self.method == "roc":
            assert self.ranking is not None
            return dict(zip(self.ranking, roc_weights(len(self.ranking)), strict=True))
        assert self.points is not None
        names = list(criteria)
        return dict(zip(names, normalised([self.points[c] for c in names]), strict=True))

    def consistency(self, criteria: Sequence[str]) -> AhpResult | None:
        """AHP's weights and consistency (None for the other methods)."""
        return ahp(self.matrix(criteria)) if self.method == "ahp" else None


def _on_saaty_scale_at(value: float, row: str, column: str) -> None:
    try:
        _on_saaty_scale(value)
    except ValueError as exc:
        what, _, allowed = str(exc).partition("; allowed: ")
        raise at_key(what, "pairwise", row, column, allowed=allowed) from None


def fill_weights(
    given: Mapping[str, float | None], elicited: Mapping[str, float], *path: str | int
) -> dict[str, float]:
    """The weights in force when both ``given`` weights (None: not given) and ``elicited``
    ones exist: the elicited ones, provided every given weight agrees with them once both are
    normalised; else an error at the first that does not (``path``, criterion, ``weight``)."""
    stated = {k: v for k, v in given.items() if v is not None}
    if stated:
        total = math.fsum(stated.values())
        share = math.fsum(elicited[k] for k in stated)
        for name, value in stated.items():
            expected = elicited[name] / share * total if share > 0 else 0.0
            if not math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12):
                raise at_key(
                    f"weight {value:g} differs from the elicited {elicited[name]:.6g} (as a "
                    "share of the weights given here)", *path, name, "weight",
                    allowed="no 'weight' where weight_elicitation gives it, or the same weight",
                )
    return dict(elicited)


class PerspectiveSpec(Spec):
    """A named weight set: a stakeholder's priorities (``weights``), or objective weights
    computed from the model's own performance table (``objective``).

    Objective weights read how much each criterion separates the options, not what anyone
    values (entropy: Shannon; CRITIC: Diakoulaki et al. 1995). They are computed once, from the
    options available at the model's baseline and their baseline performance, so every scenario
    that picks the perspective uses the same weights: a reference beside elicited weights.
    """

    description: Text
    weights: dict[ItemId, Weight] | None = Field(
        default=None,
        description="A weight per criterion (any scale; normalised). Give this, 'objective' "
        "or 'elicitation'.",
    )
    objective: Literal["entropy", "critic"] | None = Field(
        default=None,
        description="Objective weights from the baseline performance table instead of 'weights'.",
    )
    elicitation: ElicitationSpec | None = Field(
        default=None,
        description="The weights as elicited (swing, roc, ahp or direct) instead of 'weights': "
        "the model fills 'weights' from it.",
    )
    provenance: ProvenanceSpec | None = Field(
        default=None, description="Where the numbers come from (see ProvenanceSpec)."
    )

    @model_validator(mode="after")
    def _numbers_named(self) -> PerspectiveSpec:
        given = [
            f"'{key}'" for key in ("weights", "objective", "elicitation")
            if getattr(self, key) is not None
        ]
        if len(given) != 1:
            said = {0: "neither", 2: "both " + " and ".join(given)}.get(len(given), "all three")
            raise at_key(
                f"a perspective needs 'weights' or 'objective' (or 'elicitation'); {said} given",
                allowed="weights: {criterion: weight, ...}, objective: entropy or critic, or "
                "elicitation: {method: swing|roc|ahp|direct, ...}",
            )
        keys = [f"weights.{name}" for name in self.weights or {}]
        check_number_keys(self.provenance, keys, "perspective")
        return self


#: A performance judgement by key path: ``<option>.<criterion>`` (ids hold no dot).
JUDGEMENT_KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_-]*$"
JudgementKey = Annotated[
    str,
    StringConstraints(pattern=JUDGEMENT_KEY_PATTERN, max_length=129),
    Field(description="A performance judgement as option.criterion, e.g. r1-sanctions.security."),
]
#: Spearman rank correlations strictly between -1 and 1.
JudgementRank = Annotated[float, Field(allow_inf_nan=False, gt=-1.0, lt=1.0)]


class JudgementCorrelationSpec(Spec):
    """Two performance judgements that share a driver (the same analyst's optimism, one
    underlying mechanism): ``rank`` is their Spearman rank correlation, drawn with a Gaussian
    copula over each judgement's own law (``judgement_distribution`` on low..high, mode at the
    value), so each marginal stays what it was."""

    #: A YAML list [a, b] becomes the tuple (the tuple itself is not strict; its keys are).
    between: Annotated[tuple[JudgementKey, JudgementKey], Strict(False)]
    rank: JudgementRank

    @model_validator(mode="after")
    def _distinct(self) -> JudgementCorrelationSpec:
        if self.between[0] == self.between[1]:
            raise at_key(
                f"judgement '{self.between[0]}' is correlated with itself",
                "between",
                allowed="two different judgements",
            )
        return self

    @property
    def pair(self) -> tuple[str, str]:
        """The two judgements in alphabetical order."""
        first, second = sorted(self.between)
        return first, second


class MethodChoice(Spec):
    """An aggregation method and its parameters, e.g. {name: topsis, normalisation: vector}."""

    model_config = Spec.model_config | {"extra": "allow"}

    name: Line = "wsm"

    def params(self) -> dict[str, Any]:
        """The method's parameters (every key but ``name``)."""
        return dict(self.model_extra or {})


class ModelSpec(Spec):
    """A whole decision-model file."""

    id: ItemId
    title: Line
    description: Text | None = None
    source: SourceSpec
    method: MethodChoice = Field(default_factory=MethodChoice)
    options_are: Literal["alternatives", "components"] = Field(
        default="alternatives",
        description="alternatives: choose one option (the report's headline is the top "
        "option); components: options are parts of a package adopted together (the headline "
        "is the best package within the budgets, each member with its marginal value).",
    )
    judgement_distribution: Literal["triangular", "uniform", "pert"] = Field(
        default="triangular",
        description="Shape used to sample judgements within low..high (mode at the value).",
    )
    evidence: dict[ItemId, EvidenceSpec] = Field(default_factory=dict)
    indicators: dict[IndicatorId, IndicatorSpec] = Field(min_length=1)
    criteria: dict[ItemId, CriterionSpec] = Field(min_length=1)
    options: dict[ItemId, OptionSpec] = Field(min_length=1)
    weight_elicitation: ElicitationSpec | None = Field(
        default=None,
        description="The criteria weights as elicited (swing, roc, ahp or direct), recorded with "
        "whose answers they are: the criteria's weights are computed from it.",
    )
    perspectives: dict[ItemId, PerspectiveSpec] = Field(default_factory=dict)
    judgement_correlations: list[JudgementCorrelationSpec] = Field(
        default_factory=list,
        max_length=1000,
        description="Rank correlations between performance judgements that share a driver, "
        "each pair once; sampled with a Gaussian copula, each judgement's own range and shape "
        "kept. The judgements must have a range (low < high) and no experts.",
    )
    stakeholders: list[Line] = Field(
        default_factory=list,
        max_length=100,
        description="Stakeholder files, each one person's or group's elicited weights (see "
        "StakeholderSpec): paths relative to this file, inside its folder (no absolute path, "
        "no '..', no symbolic link out of it), .yaml or .yml. Each becomes a perspective "
        "named by its id.",
    )
    resources: dict[ItemId, ResourceSpec] = Field(default_factory=dict)
    interactions: list[InteractionSpec] = Field(default_factory=list)
    exclusions: list[ExclusionSpec] = Field(default_factory=list)
    dependencies: list[DependencySpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _judgement_pairs_distinct(self) -> ModelSpec:
        seen: dict[tuple[str, str], int] = {}
        for k, correlation in enumerate(self.judgement_correlations):
            first = seen.setdefault(correlation.pair, k)
            if first != k:
                a, b = correlation.pair
                raise at_key(
                    f"'{a}' and '{b}' are also correlated by correlation {first + 1}",
                    "judgement_correlations", k, "between",
                    allowed="each pair of judgements at most once",
                )
        return self

    @model_validator(mode="after")
    def _fill_elicited_weights(self) -> ModelSpec:
        """Weights given as elicitations become numbers: the criteria's from
        ``weight_elicitation`` (each weight given as well must agree), a perspective's
        ``weights`` from its ``elicitation``. Every criterion ends with a weight."""
        criteria = list(self.criteria)
        elicitation = self.weight_elicitation
        if elicitation is None:
            for name, criterion in self.criteria.items():
                if criterion.weight is None:
                    raise at_key(
                        "missing required key 'weight'",
                        "criteria",
                        name,
                        allowed="weight: a number >= 0, or the model's weight_elicitation",
                    )
        else:
            elicitation.check_criteria(criteria, "weight_elicitation")
            for name, criterion in self.criteria.items():
                declared = criterion.provenance
                if declared and ("weight" in declared.source or "weight" in declared.derived):
                    part = "source" if "weight" in declared.source else "derived"
                    raise at_key(
                        "the weight comes from weight_elicitation, so it is no source figure",
                        "criteria", name, "provenance", part,
                        allowed="no 'weight' in provenance.source or .derived of an elicited "
                        "weight (it is a judgement by the elicitation's 'by')",
                    )
            weights = fill_weights(
                {name: c.weight for name, c in self.criteria.items()},
                elicitation.weights(criteria),
                "criteria",
            )
            filled = {
                name: c.model_copy(update={"weight": weights[name]})
                for name, c in self.criteria.items()
            }
            object.__setattr__(self, "criteria", filled)  # built here, before anyone reads it
        perspectives = dict(self.perspectives)
        for name, perspective in self.perspectives.items():
            if perspective.elicitation is not None:
                perspective.elicitation.check_criteria(
                    criteria, "perspectives", name, "elicitation"
                )
                perspectives[name] = perspective.model_copy(
                    update={"weights": perspective.elicitation.weights(criteria)}
                )
        object.__setattr__(self, "perspectives", perspectives)
        return self
