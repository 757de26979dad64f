"""Pydantic v2 specs of the files a user writes: decision models and scenarios."""

from decision.specs.model import (
    CriterionSpec,
    EvidenceSpec,
    IndicatorSpec,
    MethodChoice,
    ModelSpec,
    OptionSpec,
    PerformanceSpec,
    PerspectiveSpec,
    PreconditionSpec,
    SourceSpec,
)
from decision.specs.scenario import (
    BernoulliSpec,
    ChoiceSpec,
    DistributionSpec,
    IndicatorSetting,
    NormalSpec,
    PertSpec,
    ScenarioSpec,
    TriangularSpec,
    UniformSpec,
)

__all__ = [
    "BernoulliSpec",
    "ChoiceSpec",
    "CriterionSpec",
    "DistributionSpec",
    "EvidenceSpec",
    "IndicatorSetting",
    "IndicatorSpec",
    "MethodChoice",
    "ModelSpec",
    "NormalSpec",
    "OptionSpec",
    "PerformanceSpec",
    "PerspectiveSpec",
    "PertSpec",
    "PreconditionSpec",
    "ScenarioSpec",
    "SourceSpec",
    "TriangularSpec",
    "UniformSpec",
]
