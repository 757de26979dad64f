"""Does the recommendation depend on the method? Ranks under several methods, and agreement.

Each method scores the scenario at its point values (exact settings, distribution centres);
agreement between two methods is Kendall's tau-b and Spearman's rho over the available options.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from decision.core.engine import evaluate_arrays
from decision.core.methods.agreement import kendall_tau, spearman_rho
from decision.results import rounded

if TYPE_CHECKING:
    from decision.core.compile import CompiledModel, ScenarioInputs
    from decision.results import ScenarioResult
    from decision.specs import MethodChoice


@dataclass(frozen=True)
class Agreement:
    """How far two methods agree on one scenario's ranking."""

    a: str
    b: str
    kendall_tau: float
    spearman_rho: float
    same_top: bool


@dataclass(frozen=True)
class MethodComparison:
    """One scenario's ranks and scores under each method, and their pairwise agreement."""

    scenario: str
    methods: list[str]
    ranks: dict[str, dict[str, int]]
    scores: dict[str, dict[str, float]]
    top: dict[str, str]
    agreement: list[Agreement]

    __data_extra__: ClassVar[tuple[str, ...]] = ("same_top",)

    @property
    def same_top(self) -> bool:
        """Every method puts the same option first."""
        return len(set(self.top.values())) == 1


def _label(choice: MethodChoice) -> str:
    params = choice.params()
    if not params:
        return choice.name
    return choice.name + "(" + ", ".join(f"{k}={v}" for k, v in sorted(params.items())) + ")"


def compare_methods(
    model: CompiledModel,
    inputs: ScenarioInputs,
    result: ScenarioResult,
    methods: Sequence[MethodChoice],
) -> MethodComparison:
    """Score the result's scenario with every method in ``methods``, at its point values."""
    labels = [_label(m) for m in methods]
    evaluations = [
        evaluate_arrays(model, inputs.values[None, :], inputs.weights, m.name, m.params())
        for m in methods
    ]
    scores = np.stack([e.scores[0] for e in evaluations])  # (m, o)
    ranks = np.stack([e.ranks[0] for e in evaluations])
    available = evaluations[0].available[0]
    agreement = []
    for i, j in combinations(range(len(methods)), 2):
        agreement.append(
            Agreement(
                a=labels[i],
                b=labels[j],
                kendall_tau=rounded(float(kendall_tau(scores[i], scores[j], available))),
                spearman_rho=rounded(float(spearman_rho(scores[i], scores[j], available))),
                same_top=bool(np.argmin(ranks[i]) == np.argmin(ranks[j])),
            )
        )
    options = model.options
    return MethodComparison(
        scenario=result.scenario,
        methods=labels,
        ranks={
            lab: {o: int(r) for o, r in zip(options, ranks[k], strict=True)}
            for k, lab in enumerate(labels)
        },
        scores={
            lab: {o: rounded(float(s)) for o, s in zip(options, scores[k], strict=True)}
            for k, lab in enumerate(labels)
        },
        top={lab: options[int(np.argmin(ranks[k]))] for k, lab in enumerate(labels)},
        agreement=agreement,
    )
