"""What each explored sample says: the option ranked first, the best package and what the
do-now package delivers there, and the outcomes of interest defined on them.

A chunk of natural-unit rows goes through the engine once (:func:`decision.core.engine.state`
and :func:`~decision.core.engine.outcome`) and through the portfolio's exact enumeration
(:func:`~decision.analyses.portfolio.enumerate.sample_best` and
:func:`~decision.analyses.portfolio.enumerate.best_within`'s figures, read from one
:func:`~decision.analyses.portfolio.enumerate.bundle_table` when it is small enough to
hold), with each sample's own weights:
package values are the portfolio's (weighted value over the reference option, interactions
weighted by the sample's weights), costs and budgets the scenario's point values.

The do-now package is the adaptive plan's (:mod:`decision.analyses.plan`): the package most
often best over the scenario's own samples (ties: the lowest mask); its satisficing
threshold is the scenario's, else the plan's default share of its value.

Outcomes of interest (binary, per sample), as the command line names them:
``package-loses`` (the do-now package is not the best), ``below-satisficing`` (what it
delivers is below its threshold), ``regret:L`` (the best package beats it by more than
``L``), ``top:X`` (option X ranks first), ``in-package:X`` and ``out-of-package:X`` (X is,
or is not, in the best package).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from decision.analyses.explore.design import InputSpace
from decision.analyses.portfolio.enumerate import (
    Interaction,
    PortfolioProblem,
    best_within,
    bundle_table,
    bundle_values,
    sample_best,
)
from decision.analyses.portfolio.problem import portfolio_problem
from decision.analyses.signposts import DEFAULT_SATISFICING_SHARE
from decision.core.compile import BoolArray, CompiledModel, FloatArray, ScenarioInputs
from decision.core.engine import contributions, outcome, state
from decision.errors import DecisionError, did_you_mean, list_allowed

IntArray = NDArray[np.int64]
MaskArray = NDArray[np.uint32]
#: Packages weighed in the value of information of the package decision: the most often best
#: ones in the pilot (the design's first rows), and the do-now package.
PACKAGE_CANDIDATES = 32
PILOT = 4096
#: Most numbers of a chunk's bundle table (bundles x samples) held whole (32 MB); larger
#: problems go through the portfolio's enumeration block by block.
TABLE_ELEMENTS = 1 << 22
KINDS = ("package-loses", "below-satisficing", "regret", "top", "in-package", "out-of-package")


@dataclass(frozen=True)
class Outcome:
    """One outcome of interest (see the module docstring); ``argument`` is the option, or
    the regret level."""

    kind: str
    argument: str | None = None
    level: float | None = None

    @property
    def name(self) -> str:
        return self.kind if self.argument is None else f"{self.kind}:{self.argument}"


@dataclass(frozen=True, eq=False)
class Portfolio:
    """The scenario's package structure and the plan's do-now package."""

    options: list[str]
    positions: NDArray[np.intp]  # the options' positions in the model
    point: PortfolioProblem  # at the scenario's point values (costs, budgets, rules)
    effects: list[tuple[tuple[int, ...], FloatArray]]  # interactions: members, effect (c,)
    do_now: int
    do_now_value: float
    satisficing: float

    def names(self, mask: int) -> list[str]:
        return [o for j, o in enumerate(self.options) if (int(mask) >> j) & 1]


def scenario_portfolio(model: CompiledModel, inputs: ScenarioInputs,
                       satisficing: float | None = None) -> Portfolio:
    """The do-now package of the scenario, as the adaptive plan finds it, and the structure
    every explored sample shares."""
    problem, options, _, _ = portfolio_problem(model, inputs)
    point = portfolio_problem(model, replace(inputs, samples=1))[0]
    masks, _, _ = best_packages(problem)  # sample_best's masks
    uniq, counts = np.unique(masks, return_counts=True)
    mask = int(uniq[int(np.argmax(counts))])
    value = float(bundle_values(problem, [mask])[:, 0].mean())
    index, criteria = model.index("options"), model.index("criteria")
    position = {index[o]: j for j, o in enumerate(options)}
    effects = []
    for it in model.spec.interactions:  # as portfolio_problem builds them, per sample here
        members = [index[name] for name in it.options]
        if any(m not in position for m in members):
            continue
        effect = np.zeros(len(model.criteria))
        for name, delta in it.effects.items():
            effect[criteria[name]] = delta
        effects.append((tuple(position[m] for m in members), effect))
    threshold = DEFAULT_SATISFICING_SHARE * max(value, 0.0) if satisficing is None else satisficing
    return Portfolio(options, np.array([index[o] for o in options], dtype=np.intp), point,
                     effects, mask, value, float(threshold))


@dataclass(frozen=True)
class ChunkOutcomes:
    """Per sample of a chunk: scores ``(n, o)`` (0 where unavailable), the option ranked
    first, the best package and its value, and what the candidate packages deliver
    ``(n, k)`` (the do-now package first)."""

    scores: FloatArray
    top: IntArray
    best_mask: MaskArray
    best_value: FloatArray
    delivered: FloatArray

    @property
    def now_value(self) -> FloatArray:
        out: FloatArray = self.delivered[:, 0]
        return out

    @property
    def regret(self) -> FloatArray:
        out: FloatArray = np.maximum(self.best_value - self.delivered[:, 0], 0.0)
        return out


@dataclass(frozen=True)
class Assessed:
    """A chunk's outcomes but what the candidate packages deliver (not known yet while the
    pilot picks them): :class:`ChunkOutcomes`' fields, the samples' portfolio problem and,
    when small enough to hold, its :func:`~decision.analyses.portfolio.enumerate.bundle_table`
    (read again, not enumerated again, for the candidates: :func:`within` turns it into the
    best value over each bundle's subsets, which it stays)."""

    scores: FloatArray
    top: IntArray
    best_mask: MaskArray
    best_value: FloatArray
    table: FloatArray | None
    problem: PortfolioProblem


def assess(space: InputSpace, portfolio: Portfolio, x: FloatArray) -> Assessed:
    """Outcomes of natural-unit rows ``x (n, d)`` but the candidates' (see :func:`finish`)."""
    model, inputs = space.model, space.inputs
    values, judgement, w, likelihood = space.state(x)
    perf, available = state(model, values, judgement, likelihood)
    scores, ranks = outcome(model, perf, available, w, inputs.method.name, inputs.method_params)
    top: IntArray = np.argmin(ranks, axis=1).astype(np.int64)
    totals = contributions(perf, w, model.benefit).sum(axis=-1)
    if model.reference is not None:
        totals = totals - totals[:, model.reference : model.reference + 1]
    point = portfolio.point
    problem = PortfolioProblem(
        values=totals[:, portfolio.positions],
        costs=point.costs[0],
        budgets=point.budgets,
        available=available[:, portfolio.positions],
        interactions=[Interaction(m, w @ e) for m, e in portfolio.effects],
        exclusions=point.exclusions,
        dependencies=point.dependencies,
    )
    return Assessed(scores, top, *best_packages(problem), problem=problem)


def best_packages(problem: PortfolioProblem
                  ) -> tuple[MaskArray, FloatArray, FloatArray | None]:
    """:func:`~decision.analyses.portfolio.enumerate.sample_best`'s best package and value of
    each sample, and the bundle table they were read from (None: too large to hold, then
    enumerated block by block)."""
    if (1 << problem.n_options) * problem.n_samples > TABLE_ELEMENTS:
        masks, values, _ = sample_best(problem)
        return masks, values, None
    table = bundle_table(problem)
    best_value: FloatArray = table.max(axis=0)
    # the lowest mask on ties, as the enumeration's strict improvements keep it
    best_mask: MaskArray = np.argmax(table == best_value, axis=0).astype(np.uint32)
    return best_mask, best_value, table


def within(part: Assessed, candidates: MaskArray) -> FloatArray:
    """What ``candidates`` deliver in ``part``'s samples ``(n, k)``: the best value over the
    subsets of each (:func:`~decision.analyses.portfolio.enumerate.best_within`'s figures);
    from the bundle table, made the best over each mask's subsets bit by bit (in place: it is
    read once more only)."""
    if part.table is None:
        return best_within(part.problem, candidates)
    table, s = part.table, part.table.shape[1]
    for j in range(part.problem.n_options):
        split = table.reshape(-1, 2, 1 << j, s)
        np.maximum(split[:, 1], split[:, 0], out=split[:, 1])
    out: FloatArray = np.ascontiguousarray(table[candidates.astype(np.intp)].T)
    return out


def finish(parts: Sequence[Assessed], candidates: MaskArray) -> ChunkOutcomes:
    """The :class:`ChunkOutcomes` of consecutive assessed rows, with what ``candidates``
    deliver (every sample's figures are its own: the same whatever the parts)."""
    def joined(name: str) -> Any:  # the field's own array type
        return np.concatenate([getattr(p, name) for p in parts])

    delivered = np.concatenate([within(p, candidates) for p in parts])
    return ChunkOutcomes(joined("scores"), joined("top"), joined("best_mask"),
                         joined("best_value"), delivered)


def evaluate(space: InputSpace, portfolio: Portfolio, candidates: MaskArray,
             x: FloatArray) -> ChunkOutcomes:
    """Outcomes of natural-unit rows ``x (n, d)``; ``candidates[0]`` is the do-now package."""
    return finish([assess(space, portfolio, x)], candidates)


def parse_outcome(text: str, options: Sequence[str], packaged: Sequence[str]) -> Outcome:
    """An outcome as the command line writes it; an unknown kind or option is refused,
    naming ``--outcome``."""
    kind, sep, argument = text.strip().partition(":")
    allowed = ("package-loses, below-satisficing, regret:LEVEL, top:OPTION, in-package:OPTION, "
               "out-of-package:OPTION")
    if kind not in KINDS:
        raise DecisionError(f"unknown outcome '{text}'{did_you_mean(kind, KINDS)}",
                            key_path="--outcome", allowed=allowed)
    if kind in ("package-loses", "below-satisficing"):
        if sep:
            raise DecisionError(f"outcome '{text}' takes no argument", key_path="--outcome",
                                allowed=allowed)
        return Outcome(kind)
    if kind == "regret":
        try:
            level = float(argument)
        except ValueError:
            level = float("nan")
        if not np.isfinite(level) or level < 0:
            raise DecisionError(f"outcome '{text}' needs a regret level >= 0",
                                key_path="--outcome", allowed="regret:LEVEL, e.g. regret:0.05")
        return Outcome(kind, argument, level)
    names = options if kind == "top" else packaged
    if argument not in names:
        raise DecisionError(
            f"outcome '{text}' names no option{' of a package' if kind != 'top' else ''} of "
            f"the model{did_you_mean(argument, names)}",
            key_path="--outcome", allowed=f"{kind}:OPTION with one of {list_allowed(names)}",
        )
    return Outcome(kind, argument)


def outcome_flags(outcomes: Sequence[Outcome], chunk: ChunkOutcomes, portfolio: Portfolio,
                  options: Sequence[str]) -> BoolArray:
    """``(n, k)``: whether each outcome of interest holds in each sample."""
    out = np.empty((chunk.top.size, len(outcomes)), dtype=bool)
    for j, oc in enumerate(outcomes):
        if oc.kind == "package-loses":
            out[:, j] = chunk.best_mask != portfolio.do_now
        elif oc.kind == "below-satisficing":
            out[:, j] = chunk.now_value < portfolio.satisficing
        elif oc.kind == "regret":
            out[:, j] = chunk.regret > float(oc.level or 0.0)
        elif oc.kind == "top":
            out[:, j] = chunk.top == list(options).index(str(oc.argument))
        else:
            bit = np.uint32(1 << portfolio.options.index(str(oc.argument)))
            inside = (chunk.best_mask & bit) != 0
            out[:, j] = inside if oc.kind == "in-package" else ~inside
    return out
