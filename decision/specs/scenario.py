"""Spec of a scenario file: an overlay on a model (and optionally on another scenario).

Indicator settings are exact values or distributions; the Monte Carlo sampler draws from the
distributions, a deterministic run uses their central value. Each distribution owns what the
rest of the tool asks of it: ``centre`` (the point value), ``support()`` (the values that must
lie in the indicator's range, with their keys), ``kind`` (boolean or numeric draws) and
``describe()`` (a few words for reports); the sampler keys its draw functions by ``dist``. A new
distribution is a class here and a draw function in :mod:`decision.uncertainty.sampling`.
"""

from __future__ import annotations

import datetime
import math
import re
from itertools import combinations
from typing import Annotated, ClassVar, Literal

from pydantic import Field, Strict, StringConstraints, model_validator

from decision.specs.common import (
    FiniteFloat,
    IndicatorId,
    ItemId,
    Line,
    Positive,
    Probability,
    Spec,
    Text,
    Weight,
    at_key,
)
from decision.specs.model import (
    MAX_EXPERTS,
    ExpertSpec,
    MethodChoice,
    ProvenanceSpec,
    check_number_keys,
    check_pool,
)

#: Largest random seed (64 bits), in files and on the command line.
MAX_SEED = 2**64 - 1

#: The values of a distribution that must lie in an indicator's range, each with its key path.
Support = list[tuple[tuple[str | int, ...], float]]


def short(value: float | bool) -> str:
    """A number as reports write it: 12 significant digits, no trailing zeros."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"{float(f'{float(value):.12g}'):g}"


class UniformSpec(Spec):
    """Uniform on [low, high]."""

    dist: Literal["uniform"]
    low: FiniteFloat
    high: FiniteFloat

    @model_validator(mode="after")
    def _ordered(self) -> UniformSpec:
        if self.low > self.high:
            raise at_key(
                f"low ({self.low:g}) is above high ({self.high:g})", "high", allowed="low <= high"
            )
        return self

    kind: ClassVar[str] = "numeric"

    @property
    def centre(self) -> float:
        return (self.low + self.high) / 2

    def support(self) -> Support:
        return [(("low",), self.low), (("high",), self.high)]

    def describe(self) -> str:
        return f"uniform {short(self.low)}-{short(self.high)}"


class _ModeRangeSpec(Spec):
    """A distribution on [low, high] with its most likely value."""

    low: FiniteFloat
    mode: FiniteFloat
    high: FiniteFloat

    @model_validator(mode="after")
    def _ordered(self) -> _ModeRangeSpec:
        low, mode, high = self.low, self.mode, self.high
        allowed = "low <= mode <= high"
        if low > high:
            raise at_key(f"low ({low:g}) is above high ({high:g})", "high", allowed=allowed)
        if mode < low:
            raise at_key(f"mode ({mode:g}) is below low ({low:g})", "mode", allowed=allowed)
        if mode > high:
            raise at_key(f"mode ({mode:g}) is above high ({high:g})", "high", allowed=allowed)
        return self

    kind: ClassVar[str] = "numeric"

    @property
    def centre(self) -> float:
        return self.mode

    def support(self) -> Support:
        return [(("low",), self.low), (("mode",), self.mode), (("high",), self.high)]

    def describe(self) -> str:
        dist = getattr(self, "dist", "distribution")
        return f"{dist} {short(self.low)}-{short(self.high)}, mode {short(self.mode)}"


class TriangularSpec(_ModeRangeSpec):
    """Triangular on [low, high] with its mode."""

    dist: Literal["triangular"]


class PertSpec(_ModeRangeSpec):
    """Beta-PERT on [low, high] with its most likely value (shape lambda, default 4)."""

    dist: Literal["pert"]
    shape: Positive = 4.0


class NormalSpec(Spec):
    """Normal, truncated to the indicator's range."""

    dist: Literal["normal"]
    mean: FiniteFloat
    sd: Positive

    kind: ClassVar[str] = "numeric"

    @property
    def centre(self) -> float:
        return self.mean

    def support(self) -> Support:
        return [(("mean",), self.mean)]

    def describe(self) -> str:
        return f"normal {short(self.mean)} ± {short(self.sd)}"


class BernoulliSpec(Spec):
    """A boolean indicator that is true with probability p."""

    dist: Literal["bernoulli"]
    p: Probability

    kind: ClassVar[str] = "boolean"

    @property
    def centre(self) -> float:
        return 1.0 if self.p >= 0.5 else 0.0

    def support(self) -> Support:
        return []

    def describe(self) -> str:
        return f"true with probability {short(self.p)}"


class ChoiceSpec(Spec):
    """Discrete values with probabilities (categorical settings)."""

    dist: Literal["choice"]
    values: list[FiniteFloat | bool] = Field(min_length=1)
    probabilities: list[FiniteFloat] | None = None

    @model_validator(mode="after")
    def _probabilities_fit(self) -> ChoiceSpec:
        probabilities = self.probabilities
        if probabilities is not None:
            if len(probabilities) != len(self.values):
                raise at_key(
                    f"{len(probabilities)} probabilities for {len(self.values)} values",
                    "probabilities",
                    allowed="one probability per value, in the same order",
                )
            for index, p in enumerate(probabilities):
                if p < 0:
                    raise at_key(
                        f"probability {p:g} is negative",
                        "probabilities",
                        index,
                        allowed="probabilities >= 0 that sum to 1",
                    )
            if abs(sum(probabilities) - 1.0) > 1e-9:
                raise at_key(
                    f"probabilities sum to {sum(probabilities):g}",
                    "probabilities",
                    allowed="probabilities that sum to 1 (within 1e-9)",
                )
        return self

    @property
    def centre(self) -> float:
        probs = self.probabilities or [1.0 / len(self.values)] * len(self.values)
        best = max(range(len(self.values)), key=lambda i: probs[i])
        return float(self.values[best])

    @property
    def kind(self) -> str:
        """``boolean``, ``numeric``, or ``mixed`` when the values are of both kinds."""
        booleans = [isinstance(v, bool) for v in self.values]
        return "boolean" if all(booleans) else "mixed" if any(booleans) else "numeric"

    def support(self) -> Support:
        return [(("values", k), float(v)) for k, v in enumerate(self.values)]

    def describe(self) -> str:
        return "one of " + ", ".join(short(v) for v in self.values)


class IndicatorExpertSpec(ExpertSpec):
    """One expert's judgement of an indicator: a range and its most likely value, in the
    indicator's units (the loader checks them against its range)."""

    low: FiniteFloat
    mode: FiniteFloat = Field(description="Most likely value.")
    high: FiniteFloat


#: PERT shape (lambda) of each expert in a pool drawn with ``shape: pert``.
POOL_PERT_SHAPE = 4.0


class ExpertsSpec(Spec):
    """Several experts' judgements of a numeric indicator, pooled (a linear opinion pool):
    a draw picks an expert with probability proportional to its weight (equal unless stated),
    then draws from that expert's ``shape`` on its [low, high] (PERT with lambda 4; the mode is
    ignored by ``uniform``). Its point value is the weighted mean of the modes, as for a
    performance's pool; its range is the experts' lowest low to highest high."""

    dist: Literal["experts"]
    shape: Literal["triangular", "pert", "uniform"] = Field(
        default="triangular", description="Each expert's law on its range."
    )
    experts: list[IndicatorExpertSpec] = Field(
        min_length=1,
        max_length=MAX_EXPERTS,
        description="The experts' judgements {by, low, mode, high, weight}, in the "
        "indicator's units.",
    )

    @model_validator(mode="after")
    def _names_distinct(self) -> ExpertsSpec:
        check_pool(self.experts, self.centre, None, None)
        return self

    kind: ClassVar[str] = "numeric"

    @property
    def centre(self) -> float:
        """The weighted mean of the experts' modes."""
        total = math.fsum(e.weight for e in self.experts)
        return math.fsum(e.mode * e.weight for e in self.experts) / total

    @property
    def low(self) -> float:
        """The pool's lowest value: the experts' lowest low."""
        return min(e.low for e in self.experts)

    @property
    def mode(self) -> float:
        """The pool's point value (:attr:`centre`)."""
        return self.centre

    @property
    def high(self) -> float:
        """The pool's highest value: the experts' highest high."""
        return max(e.high for e in self.experts)

    def support(self) -> Support:
        return [
            (("experts", k, name), float(getattr(expert, name)))
            for k, expert in enumerate(self.experts)
            for name in ("low", "mode", "high")
        ]

    def describe(self) -> str:
        count = len(self.experts)
        return (
            f"pool of {count} expert{'s' if count > 1 else ''} ({self.shape}) "
            f"{short(self.low)}-{short(self.high)}, weighted mean mode {short(self.centre)}"
        )

    def single(self) -> UniformSpec | TriangularSpec | PertSpec | None:
        """The plain setting a pool of one expert is, None for several."""
        if len(self.experts) != 1:
            return None
        (e,) = self.experts
        if self.shape == "uniform":
            return UniformSpec(dist="uniform", low=e.low, high=e.high)
        if self.shape == "pert":
            return PertSpec(dist="pert", low=e.low, mode=e.mode, high=e.high,
                            shape=POOL_PERT_SHAPE)
        return TriangularSpec(dist="triangular", low=e.low, mode=e.mode, high=e.high)

    def disagreements(self) -> list[tuple[IndicatorExpertSpec, IndicatorExpertSpec]]:
        """Pairs of experts whose ranges do not overlap (one's high below the other's low)."""
        return [
            (a, b)
            for a, b in combinations(self.experts, 2)
            if a.high < b.low or b.high < a.low
        ]


DistributionSpec = Annotated[
    UniformSpec
    | TriangularSpec
    | PertSpec
    | NormalSpec
    | BernoulliSpec
    | ChoiceSpec
    | ExpertsSpec,
    Field(discriminator="dist"),
]
IndicatorSetting = bool | FiniteFloat | DistributionSpec


#: Spearman rank correlations strictly between -1 and 1.
RankCorrelation = Annotated[float, Field(allow_inf_nan=False, gt=-1.0, lt=1.0)]


class CorrelationSpec(Spec):
    """Two uncertain indicators that share a driver: ``rank`` is their Spearman rank
    correlation, drawn with a Gaussian copula (for bernoulli and choice, the copula's: ties
    make the drawn values' own rank correlation weaker). ``rank: 0`` removes a pair the
    scenario inherits through ``extends``."""

    #: A YAML list [a, b] becomes the tuple (the tuple itself is not strict; its ids are).
    between: Annotated[tuple[IndicatorId, IndicatorId], Strict(False)]
    rank: RankCorrelation

    @model_validator(mode="after")
    def _distinct(self) -> CorrelationSpec:
        if self.between[0] == self.between[1]:
            raise at_key(
                f"indicator '{self.between[0]}' is correlated with itself",
                "between",
                allowed="two different indicators",
            )
        return self

    @property
    def pair(self) -> tuple[str, str]:
        """The two indicators in alphabetical order (a pair's key, whatever the order written)."""
        first, second = sorted(self.between)
        return first, second


def gaussian_correlation(rank: float) -> float:
    """The normal copula's correlation for a Spearman rank correlation: ``2 sin(pi rank / 6)``."""
    return 2.0 * math.sin(math.pi * rank / 6.0)


#: Tolerance of :func:`copula_factor` on the pivots (the matrix has a unit diagonal).
PSD_TOLERANCE = 1e-10


def copula_factor(matrix: list[list[float]]) -> list[list[float]] | None:
    """A lower-triangular ``L`` with ``L L^T == matrix``, or None when the symmetric matrix is
    not positive semi-definite (pure Python: file checks import no numpy).

    Cholesky that accepts zero pivots (within :data:`PSD_TOLERANCE`) when the rest of their
    column is zero too, as in every semi-definite matrix.
    """
    m = len(matrix)
    factor = [[0.0] * m for _ in range(m)]
    for j in range(m):
        pivot = matrix[j][j] - math.fsum(factor[j][k] ** 2 for k in range(j))
        if pivot < -PSD_TOLERANCE:
            return None
        root = math.sqrt(pivot) if pivot > PSD_TOLERANCE else 0.0
        factor[j][j] = root
        for i in range(j + 1, m):
            rest = matrix[i][j] - math.fsum(factor[i][k] * factor[j][k] for k in range(j))
            if root:
                factor[i][j] = rest / root
            elif abs(rest) > 1e-7:
                return None
    return factor


def correlation_matrix(
    names: list[str], ranks: dict[tuple[str, str], float]
) -> list[list[float]]:
    """The copula's correlation matrix of ``names`` from rank correlations by sorted pair."""
    where = {name: k for k, name in enumerate(names)}
    matrix = [[1.0 if i == j else 0.0 for j in range(len(names))] for i in range(len(names))]
    for (a, b), rank in ranks.items():
        if a in where and b in where:
            r = gaussian_correlation(rank)
            matrix[where[a]][where[b]] = matrix[where[b]][where[a]] = r
    return matrix


def impossible_correlations(ranks: dict[tuple[str, str], float]) -> list[str] | None:
    """None if the rank correlations (by sorted pair) can hold together, else a smallest set
    of indicators whose correlations cannot (their copula matrix is not semi-definite)."""
    names = sorted({name for pair in ranks for name in pair})
    if copula_factor(correlation_matrix(names, ranks)) is not None:
        return None
    for name in list(names):  # drop each indicator the contradiction does not need
        fewer = [n for n in names if n != name]
        if copula_factor(correlation_matrix(fewer, ranks)) is None:
            names = fewer
    return names


class WeightUncertaintySpec(Spec):
    """What is known about the weights, for Monte Carlo runs.

    kind: exact (the weights as given), intervals (bounds on each normalised weight), ordinal
    (a ranking: the first criterion weighs at least as much as the second, ...), or missing
    (nothing known: uniform on the simplex).
    """

    kind: Literal["exact", "intervals", "ordinal", "missing"]
    #: A YAML list [low, high] becomes the tuple (the tuple itself is not strict; its numbers are).
    intervals: dict[ItemId, Annotated[tuple[FiniteFloat, FiniteFloat], Strict(False)]] = Field(
        default_factory=dict
    )
    ranking: list[ItemId] = Field(default_factory=list)
    ranking_from_elicitation: bool = Field(
        default=False,
        description="kind ordinal: take the ranking from the model's weight_elicitation (its "
        "ranking for swing and ROC, the elicited weights' order otherwise) instead of "
        "'ranking', so a SMARTER/ROC rank order doubles as SMAA's ordinal constraints.",
    )

    @model_validator(mode="after")
    def _fits_kind(self) -> WeightUncertaintySpec:
        if self.kind == "intervals" and not self.intervals:
            raise at_key(
                "kind 'intervals' needs intervals",
                "kind",
                allowed="intervals: {criterion: [low, high], ...}",
            )
        if self.ranking_from_elicitation and (self.kind != "ordinal" or self.ranking):
            raise at_key(
                "ranking_from_elicitation goes with kind 'ordinal' and no 'ranking' of its own",
                "ranking_from_elicitation",
                allowed="kind: ordinal with ranking_from_elicitation: true, or a ranking",
            )
        if self.kind == "ordinal" and len(self.ranking) < 2 and not self.ranking_from_elicitation:
            raise at_key(
                f"kind 'ordinal' needs a ranking of at least two criteria, not "
                f"{len(self.ranking)}",
                "ranking" if self.ranking else "kind",
                allowed="ranking: [most important, next, ...]",
            )
        allowed = "0 <= low <= high <= 1 (bounds on the normalised weight)"
        for name, (low, high) in self.intervals.items():
            if low < 0:
                raise at_key(f"low {low:g} is below 0", "intervals", name, 0, allowed=allowed)
            if high > 1:
                raise at_key(f"high {high:g} is above 1", "intervals", name, 1, allowed=allowed)
            if low > high:
                raise at_key(
                    f"low {low:g} is above high {high:g}", "intervals", name, 1, allowed=allowed
                )
        return self


#: Dates a timeline accepts: a year, a month or a day, ISO style.
DATE_FORMS = "a date written YYYY, YYYY-MM or YYYY-MM-DD (e.g. '2019-12-08')"
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_date(text: str | int) -> datetime.date:
    """The first day a timeline date stands for (``2024`` is 2024-01-01); ValueError if the
    text is no date of the forms :data:`DATE_FORMS` names."""
    found = _DATE.match(str(text))
    if found is None:
        raise ValueError(f"'{text}' is not {DATE_FORMS}")
    year, month, day = (int(g) if g else 1 for g in found.groups())
    return datetime.date(year, month, day)  # raises ValueError for 2019-13 or 2019-02-30


class PeriodSpec(Spec):
    """One dated state of a timeline: an overlay of indicator values or distributions on the
    state before it (the scenario's own, then each earlier period's, in date order)."""

    date: (
        Annotated[int, Field(ge=1000, le=9999)]
        | Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")]
    ) = Field(
        description="When the state holds: YYYY, YYYY-MM or YYYY-MM-DD (quote a month or day)."
    )
    title: Line | None = None
    description: Text | None = None
    judgement: Text | None = Field(
        default=None,
        description="Why the period's values are what they are, where the source gives no "
        "figure (the modeller's judgement, said in words).",
    )
    evidence: list[ItemId] = Field(default_factory=list)
    indicators: dict[IndicatorId, IndicatorSetting] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _date_parses(self) -> PeriodSpec:
        try:
            parse_date(self.date)
        except ValueError:
            raise at_key(
                f"'{self.date}' is not a date", "date", allowed=DATE_FORMS
            ) from None
        return self

    @property
    def day(self) -> datetime.date:
        """The date as a calendar day (the first day of a year or month)."""
        return parse_date(self.date)

    @property
    def label(self) -> str:
        """The date as written."""
        return str(self.date)


class PlanSettingsSpec(Spec):
    """What counts as acceptable for the adaptive plan (``decision plan``): the do-now package
    stops being acceptable when its value falls below ``satisficing`` or another package beats
    it by more than ``margin`` (both on the package-value scale: the sum of the members' values
    over the reference option, each within [-1, 1])."""

    satisficing: FiniteFloat | None = Field(
        default=None,
        description="Least acceptable value of the do-now package; default 0.8 x its value in "
        "the scenario.",
    )
    margin: Annotated[float, Field(allow_inf_nan=False, ge=0.0)] | None = Field(
        default=None,
        description="How much better another package must be before switching; default 0.05.",
    )


class ScenarioSpec(Spec):
    """A whole scenario file."""

    id: ItemId
    title: Line
    description: Text | None = None
    model: Line | None = Field(
        default=None,
        description="Path of the model file, relative to this file (inherited through extends): "
        "a .yaml or .yml file inside the project (the folder above this file's folder) unless "
        "the command is given --allow-any-path.",
    )
    extends: Line | None = Field(
        default=None,
        description="Another scenario this one overlays: a path relative to this file "
        "('.yaml' optional), inside the project unless the command is given --allow-any-path.",
    )
    probability: Probability | None = None
    indicators: dict[IndicatorId, IndicatorSetting] = Field(default_factory=dict)
    perspective: ItemId | None = None
    weights: dict[ItemId, Weight] = Field(default_factory=dict)
    weight_uncertainty: WeightUncertaintySpec | None = None
    #: A negative budget is refused at load, in words; the schema says so as ``minimum``.
    budgets: dict[ItemId, Annotated[FiniteFloat, Field(json_schema_extra={"minimum": 0})]] = (
        Field(default_factory=dict)
    )
    method: MethodChoice | None = None
    samples: int | None = Field(default=None, ge=1, le=1_000_000_000_000)
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED, description="Random seed.")
    provenance: ProvenanceSpec | None = Field(
        default=None,
        description="Where the budgets and weights come from (see ProvenanceSpec; its "
        "evidence ids are the model's).",
    )
    timeline: list[PeriodSpec] = Field(
        default_factory=list,
        max_length=100,
        description="Dated states after the scenario's own (this file's, not inherited through "
        "extends): each overlays its indicators on the state before it, in date order "
        "whatever the order written; the plan is computed for every period.",
    )
    plan: PlanSettingsSpec | None = Field(
        default=None, description="Acceptability of the adaptive plan (this file's own)."
    )
    correlations: list[CorrelationSpec] = Field(
        default_factory=list,
        max_length=1000,
        description="Rank correlations between indicators this scenario (or one it extends) "
        "sets to distributions, inherited through extends (a later file's rank for the same "
        "pair replaces the earlier one; rank 0 removes it).",
    )

    @model_validator(mode="after")
    def _numbers_named(self) -> ScenarioSpec:
        check_number_keys(self.provenance, self.number_keys(), "scenario")
        return self

    @model_validator(mode="after")
    def _dates_distinct(self) -> ScenarioSpec:
        seen: dict[datetime.date, int] = {}
        for k, period in enumerate(self.timeline):
            first = seen.setdefault(period.day, k)
            if first != k:
                raise at_key(
                    f"date '{period.date}' is also the date of period {first + 1}",
                    "timeline", k, "date",
                    allowed="one period per date (a year stands for its 1 January, a month "
                    "for its first day)",
                )
        return self

    @model_validator(mode="after")
    def _pairs_distinct(self) -> ScenarioSpec:
        seen: dict[tuple[str, str], int] = {}
        for k, correlation in enumerate(self.correlations):
            first = seen.setdefault(correlation.pair, k)
            if first != k:
                a, b = correlation.pair
                raise at_key(
                    f"'{a}' and '{b}' are also correlated by correlation {first + 1}",
                    "correlations", k, "between",
                    allowed="each pair of indicators at most once",
                )
        return self

    def number_keys(self) -> list[str]:
        """The keys of the numbers ``provenance`` may name: budgets and weights."""
        return [*(f"budgets.{n}" for n in self.budgets), *(f"weights.{n}" for n in self.weights)]
