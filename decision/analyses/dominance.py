"""Dominance: which options another available option beats or equals on every criterion.

Takes ``(model: CompiledModel, inputs: ScenarioInputs)`` like every analysis. At the
scenario's point values, option ``b`` dominates option ``a`` when ``b`` is available, its value
(performance on a benefit criterion, 1 - performance on a cost criterion) is at least ``a``'s on
every criterion and higher on at least one. A dominated option is ranked no better than its
dominator by every method (the invariant the property tests check), so it can be set aside
whatever the weights: the check needs no weights and no method. Options with equal values
everywhere do not dominate each other. Unavailable options are checked too (would it be worth
opening?) but never dominate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from decision.analyses.common import point_state
from decision.core.compile import BoolArray, CompiledModel, FloatArray, ScenarioInputs

#: Dominators named per dominated option (the rest are counted): a model with many options
#: would otherwise list options x options pairs.
SHOWN_DOMINATORS = 20


@dataclass(frozen=True)
class Dominated:
    """One dominated option and the available options that dominate it (model order)."""

    option: str
    available: bool
    by: tuple[str, ...]
    by_total: int


@dataclass(frozen=True)
class Dominance:
    """The dominated options of one scenario, in model order."""

    scenario: str
    dominated: tuple[Dominated, ...]


def dominance_matrix(values: FloatArray, available: BoolArray) -> BoolArray:
    """``D[b, a]``: option ``b`` (available) dominates option ``a``; ``values`` is ``(o, c)``
    on the value scale (higher is better on every criterion)."""
    at_least = (values[:, None, :] >= values[None, :, :]).all(axis=-1)
    better = (values[:, None, :] > values[None, :, :]).any(axis=-1)
    result: BoolArray = at_least & better & available[:, None]
    return result


def dominance(model: CompiledModel, inputs: ScenarioInputs) -> Dominance:
    """Which options are dominated, and by which available options, at the point values."""
    perf, available = point_state(model, inputs)
    values = np.where(model.benefit, perf, 1.0 - perf)
    matrix = dominance_matrix(values, available)
    dominated = []
    for a in np.flatnonzero(matrix.any(axis=0)).tolist():
        by = np.flatnonzero(matrix[:, a]).tolist()
        dominated.append(
            Dominated(
                option=model.options[a],
                available=bool(available[a]),
                by=tuple(model.options[b] for b in by[:SHOWN_DOMINATORS]),
                by_total=len(by),
            )
        )
    return Dominance(scenario=inputs.id, dominated=tuple(dominated))
