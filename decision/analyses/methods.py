"""Does the recommendation depend on the method? Ranks under several methods, and agreement.

Each method scores the scenario at its point values (exact settings, distribution centres);
agreement between two methods is Kendall's tau-b and Spearman's rho over the available options
and, when asked for (``similarity=True``), the top-weighted weighted Spearman rw and WS rank
similarity coefficients.

A method whose own result is a partial pre-order (PROMETHEE I; ``MethodInfo.partial``) ranks
by its documented completion (the net flow), and the comparison also states the pairs the
partial order leaves incomparable or indifferent, so that a report never presents them as
ranked. Optional parts are serialised only when present: a comparison of complete methods
without similarity has the same data as before they existed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from decision.core.engine import evaluate_arrays
from decision.core.methods import get_method, partial_order
from decision.core.methods.agreement import (
    kendall_tau,
    spearman_rho,
    weighted_spearman,
    ws_coefficient,
)
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
    #: With ``similarity``: weighted_spearman (rw), ws_a_b (WS of b's ranking against a's as
    #: the reference) and ws_b_a. Inlined into the data only when computed.
    similarity: dict[str, float] = field(default_factory=dict, metadata={"inline": True})


@dataclass(frozen=True)
class MethodComparison:
    """One scenario's ranks and scores under each method, and their pairwise agreement."""

    scenario: str
    methods: list[str]
    ranks: dict[str, dict[str, int]]
    scores: dict[str, dict[str, float]]
    top: dict[str, str]
    agreement: list[Agreement]
    #: ``{"partial_orders": {method: {"incomparable": [[o1, o2], ...], "indifferent": [...]}}}``
    #: for the methods whose result is a partial pre-order (pairs of available options, in
    #: model order); empty, and absent from the data, when no such method is compared.
    partial: dict[str, Any] = field(default_factory=dict, metadata={"inline": True})

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
    *,
    similarity: bool = False,
) -> MethodComparison:
    """Score the result's scenario with every method in ``methods``, at its point values.

    ``similarity`` adds rw and WS to every agreement row.
    """
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
                similarity=(
                    {
                        "weighted_spearman": rounded(
                            float(weighted_spearman(scores[i], scores[j], available))
                        ),
                        "ws_a_b": rounded(float(ws_coefficient(scores[i], scores[j], available))),
                        "ws_b_a": rounded(float(ws_coefficient(scores[j], scores[i], available))),
                    }
                    if similarity
                    else {}
                ),
            )
        )
    options = model.options
    orders = {}
    for k, m in enumerate(methods):
        if get_method(m.name).partial:
            evaluation = evaluations[k]
            relations = partial_order(
                m.name, evaluation.performance[0], evaluation.weights[0], model.benefit,
                evaluation.available[0], m.params(),
            )
            orders[labels[k]] = {
                "incomparable": _pairs(relations.incomparability, options),
                "indifferent": _pairs(relations.indifference, options),
            }
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
        partial={"partial_orders": orders} if orders else {},
    )


def _pairs(relation: np.ndarray, options: Sequence[str]) -> list[list[str]]:
    """The unordered pairs of a symmetric ``(options, options)`` relation, in model order."""
    rows, columns = np.nonzero(np.triu(relation, k=1))
    return [[options[int(a)], options[int(b)]] for a, b in zip(rows, columns, strict=True)]
