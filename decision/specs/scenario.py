"""Spec of a scenario file: an overlay on a model (and optionally on another scenario).

Indicator settings are exact values or distributions; the Monte Carlo sampler draws from the
distributions, a deterministic run uses their central value.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from decision.specs.common import FiniteFloat, IndicatorId, ItemId, Line, Spec, Text, Weight
from decision.specs.model import MethodChoice

#: Largest random seed (64 bits), in files and on the command line.
MAX_SEED = 2**64 - 1


class UniformSpec(Spec):
    """Uniform on [low, high]."""

    dist: Literal["uniform"]
    low: FiniteFloat
    high: FiniteFloat

    @model_validator(mode="after")
    def _ordered(self) -> UniformSpec:
        if self.low > self.high:
            raise ValueError(f"low ({self.low:g}) is above high ({self.high:g})")
        return self

    @property
    def centre(self) -> float:
        return (self.low + self.high) / 2


class _ModeRangeSpec(Spec):
    """A distribution on [low, high] with its most likely value."""

    low: FiniteFloat
    mode: FiniteFloat
    high: FiniteFloat

    @model_validator(mode="after")
    def _ordered(self) -> _ModeRangeSpec:
        if not self.low <= self.mode <= self.high:
            raise ValueError(
                f"need low <= mode <= high, got {self.low:g}, {self.mode:g}, {self.high:g}"
            )
        return self

    @property
    def centre(self) -> float:
        return self.mode


class TriangularSpec(_ModeRangeSpec):
    """Triangular on [low, high] with its mode."""

    dist: Literal["triangular"]


class PertSpec(_ModeRangeSpec):
    """Beta-PERT on [low, high] with its most likely value (shape lambda, default 4)."""

    dist: Literal["pert"]
    shape: FiniteFloat = Field(default=4.0, gt=0)


class NormalSpec(Spec):
    """Normal, truncated to the indicator's range."""

    dist: Literal["normal"]
    mean: FiniteFloat
    sd: FiniteFloat = Field(gt=0)

    @property
    def centre(self) -> float:
        return self.mean


class BernoulliSpec(Spec):
    """A boolean indicator that is true with probability p."""

    dist: Literal["bernoulli"]
    p: FiniteFloat = Field(ge=0, le=1)

    @property
    def centre(self) -> float:
        return 1.0 if self.p >= 0.5 else 0.0


class ChoiceSpec(Spec):
    """Discrete values with probabilities (categorical settings)."""

    dist: Literal["choice"]
    values: list[FiniteFloat | bool] = Field(min_length=1)
    probabilities: list[FiniteFloat] | None = None

    @model_validator(mode="after")
    def _probabilities_fit(self) -> ChoiceSpec:
        if self.probabilities is not None:
            if len(self.probabilities) != len(self.values):
                raise ValueError("probabilities must have one entry per value")
            if any(p < 0 for p in self.probabilities):
                raise ValueError("probabilities must not be negative")
            if abs(sum(self.probabilities) - 1.0) > 1e-9:
                raise ValueError(
                    f"probabilities must sum to 1 (they sum to {sum(self.probabilities):g})"
                )
        return self

    @property
    def centre(self) -> float:
        probs = self.probabilities or [1.0 / len(self.values)] * len(self.values)
        best = max(range(len(self.values)), key=lambda i: probs[i])
        return float(self.values[best])


DistributionSpec = Annotated[
    UniformSpec | TriangularSpec | PertSpec | NormalSpec | BernoulliSpec | ChoiceSpec,
    Field(discriminator="dist"),
]
IndicatorSetting = bool | FiniteFloat | DistributionSpec


class WeightUncertaintySpec(Spec):
    """What is known about the weights, for Monte Carlo runs.

    kind: exact (the weights as given), intervals (bounds on each normalised weight), ordinal
    (a ranking: the first criterion weighs at least as much as the second, ...), or missing
    (nothing known: uniform on the simplex).
    """

    kind: Literal["exact", "intervals", "ordinal", "missing"]
    intervals: dict[ItemId, tuple[FiniteFloat, FiniteFloat]] = Field(default_factory=dict)
    ranking: list[ItemId] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fits_kind(self) -> WeightUncertaintySpec:
        if self.kind == "intervals" and not self.intervals:
            raise ValueError("kind 'intervals' needs an 'intervals' mapping criterion: [low, high]")
        if self.kind == "ordinal" and len(self.ranking) < 2:
            raise ValueError("kind 'ordinal' needs a 'ranking' of at least two criteria")
        for name, (low, high) in self.intervals.items():
            if not 0 <= low <= high <= 1:
                raise ValueError(f"interval of '{name}' must satisfy 0 <= low <= high <= 1")
        return self


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
    probability: FiniteFloat | None = Field(default=None, ge=0, le=1)
    indicators: dict[IndicatorId, IndicatorSetting] = Field(default_factory=dict)
    perspective: ItemId | None = None
    weights: dict[ItemId, Weight] = Field(default_factory=dict)
    weight_uncertainty: WeightUncertaintySpec | None = None
    budgets: dict[ItemId, FiniteFloat] = Field(default_factory=dict)
    method: MethodChoice | None = None
    samples: int | None = Field(default=None, ge=1, le=100_000_000)
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED, description="Random seed.")
