"""The best package at many states of the world at once: the portfolio problem of a scenario
with its indicator values replaced by rows, and the periods of a timeline stacked as samples.

Every figure reuses the portfolio analysis (:mod:`decision.analyses.portfolio`): the problem's
costs, budgets, interactions, exclusions and dependencies come from
:func:`~decision.analyses.portfolio.problem.portfolio_problem`, and the best bundle of each
row from the exact enumeration (:func:`~decision.analyses.portfolio.enumerate.sample_best`, the
figures of :func:`~decision.analyses.portfolio.enumerate.analyse_portfolio` without its
frontiers and shares).
Only the option values and availability are recomputed for the rows, by the engine, in one
batch, as the portfolio builder computes them for one point (a test holds the two equal).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from decision.analyses.portfolio.enumerate import (
    Interaction,
    PortfolioProblem,
    best_within,
    sample_best,
)
from decision.analyses.portfolio.problem import portfolio_problem
from decision.core.compile import BoolArray, CompiledModel, FloatArray, ScenarioInputs
from decision.core.engine import contributions, state
from decision.core.weights import normalise_weights

MaskArray = NDArray[np.uint32]


@dataclass(frozen=True, eq=False)
class PackageSpace:
    """The scenario's bundle problem at its point values: the structure every row shares."""

    model: CompiledModel
    inputs: ScenarioInputs
    point: PortfolioProblem
    options: list[str]  # the options a package may hold (model order, reference left out)
    positions: NDArray[np.intp]  # their positions among the model's options
    resources: list[str]
    budgets: dict[str, float | None]

    def at(self, rows: FloatArray) -> PortfolioProblem:
        """The point problem at indicator values ``rows (m, i)``: option values and
        availability from the engine, everything else as at the scenario's point."""
        rows = np.atleast_2d(np.asarray(rows, dtype=np.float64))
        values, available = option_values(self.model, self.inputs, rows)
        point = self.point
        return PortfolioProblem(
            values=values[:, self.positions],
            costs=point.costs[0],
            budgets=point.budgets,
            available=available[:, self.positions],
            interactions=[
                Interaction(it.members, np.full(rows.shape[0], it.value[0]))
                for it in point.interactions
            ],
            exclusions=point.exclusions,
            dependencies=point.dependencies,
        )

    def best(self, rows: FloatArray) -> tuple[MaskArray, FloatArray, PortfolioProblem]:
        """Best package mask and value per row, and the rows' problem."""
        problem = self.at(rows)
        masks, values, _ = sample_best(problem)
        return masks, values, problem

    def names(self, mask: int) -> list[str]:
        """The options of a package mask, in model order."""
        return [o for j, o in enumerate(self.options) if (int(mask) >> j) & 1]


def package_space(
    model: CompiledModel, inputs: ScenarioInputs, budgets: Mapping[str, float] | None = None
) -> PackageSpace:
    """The scenario's :class:`PackageSpace` (budgets as for the portfolio analysis)."""
    point, options, resources, used = portfolio_problem(model, replace(inputs, samples=1), budgets)
    index = model.index("options")
    positions = np.array([index[o] for o in options], dtype=np.intp)
    return PackageSpace(model, inputs, point, options, positions, resources, used)


def option_values(
    model: CompiledModel, inputs: ScenarioInputs, rows: FloatArray
) -> tuple[FloatArray, BoolArray]:
    """Each option's value over the reference ``(m, o)`` and availability at indicator rows,
    under the scenario's weights: the portfolio builder's value of a point, for many points."""
    perf, available = state(model, rows)
    weights = normalise_weights(inputs.weights)[None, :]
    totals = contributions(perf, weights, model.benefit).sum(axis=-1)
    if model.reference is not None:
        totals = totals - totals[:, model.reference : model.reference + 1]
    return totals, available


def realised_values(problem: PortfolioProblem, masks: MaskArray) -> FloatArray:
    """``(s, m)``: what each package ``masks (m,)`` delivers in each sample when it is
    committed to: the best feasible part of it there (its members that are available, within
    the budgets, with their requirements; the exact enumeration restricted to its members,
    :func:`~decision.analyses.portfolio.enumerate.best_within`). So a package never delivers
    more than the best package of the sample."""
    return best_within(problem, masks)
