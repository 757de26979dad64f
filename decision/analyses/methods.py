"""Does the recommendation depend on the method? Ranks under several methods, and agreement.

Each method scores the scenario at its point values (exact settings, distribution centres);
agreement between two methods is Kendall's tau-b and Spearman's rho over the available options.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np

from decision.core.engine import evaluate_arrays
from decision.core.methods.agreement import kendall_tau, spearman_rho

if TYPE_CHECKING:
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

    @property
    def same_top(self) -> bool:
        """Every method puts the same option first."""
        return len(set(self.top.values())) == 1

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["same_top"] = self.same_top
        return data


def _label(choice: MethodChoice) -> str:
    params = choice.params()
    if not params:
        return choice.name
    return choice.name + "(" + ", ".join(f"{k}={v}" for k, v in sorted(params.items())) + ")"


def compare_methods(result: ScenarioResult, methods: Sequence[MethodChoice]) -> MethodComparison:
    """Score the result's scenario with every method in ``methods``, at its point values."""
    model, inputs = result.compiled, result.inputs
    if model is None or inputs is None:
        raise ValueError("the result carries no compiled model")
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
                kendall_tau=round(float(kendall_tau(scores[i], scores[j], available)), 12),
                spearman_rho=round(float(spearman_rho(scores[i], scores[j], available)), 12),
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
            lab: {o: round(float(s), 12) for o, s in zip(options, scores[k], strict=True)}
            for k, lab in enumerate(labels)
        },
        top={lab: options[int(np.argmin(ranks[k]))] for k, lab in enumerate(labels)},
        agreement=agreement,
    )
