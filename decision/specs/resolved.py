"""Files as the loader hands them on: a validated model, and a scenario with its ``extends``
chain merged. Plain data, so the numeric core can compile them without importing the loader
(:mod:`decision.load` builds them; :mod:`decision.core.compile` reads them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from decision.specs.model import ModelSpec
from decision.specs.scenario import ScenarioSpec, WeightUncertaintySpec
from decision.specs.stakeholder import StakeholderSpec

if TYPE_CHECKING:
    from decision.files.yamlio import Document


@dataclass(frozen=True)
class LoadedStakeholder:
    """A validated stakeholder file a model lists."""

    path: Path
    spec: StakeholderSpec
    document: Document = field(repr=False)


@dataclass(frozen=True)
class LoadedModel:
    """A validated model file; ``spec.perspectives`` holds its stakeholder files' too."""

    path: Path
    spec: ModelSpec
    document: Document = field(repr=False)
    #: The stakeholder files it lists, in order (each is a perspective of ``spec``).
    stakeholders: tuple[LoadedStakeholder, ...] = ()


@dataclass(frozen=True)
class Scenario:
    """A scenario with its ``extends`` chain resolved (the root first, this file last)."""

    path: Path
    spec: ScenarioSpec
    model_path: Path
    chain: tuple[Path, ...]
    indicators: dict[str, Any]
    perspective: str | None
    weights: dict[str, float]
    weight_uncertainty: WeightUncertaintySpec | None
    budgets: dict[str, float]
    method: Any
    samples: int | None
    seed: int | None
    #: Rank correlations by sorted indicator pair, merged through the chain (none of rank 0).
    correlations: dict[tuple[str, str], float] = field(default_factory=dict)
    document: Document | None = field(default=None, repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def title(self) -> str:
        return self.spec.title


def indicator_kinds(spec: ModelSpec) -> dict[str, str]:
    """Indicator id -> 'numeric' or 'boolean', as the expression parser needs it."""
    return {name: ind.type for name, ind in spec.indicators.items()}
