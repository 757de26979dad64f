"""Perspectives side by side, and "what you would have to believe" for each runner-up.

Takes ``(model: CompiledModel, inputs: ScenarioInputs)`` like every analysis (see
:mod:`decision.analyses.weights`), at the scenario's point values.

1. Rankings under the scenario's own weights and under every perspective of the model, with
   the scenario's method: ranks, scores and top option per weight set, and whether they agree
   on the top.
2. Minimal weight change: for each available option that is not first under the weighted sum
   at the scenario's weights, the normalised weight vector ``w`` closest to the current one
   ``w0`` in L1 distance (on the simplex) that makes it first. A linear programme (HiGHS, see
   :mod:`decision.analyses.linear_programme`): variables ``w, d+, d- >= 0``, ``sum w = 1``,
   ``w - w0 = d+ - d-``, minimise ``sum(d+ + d-)`` subject to
   ``score_target(w) >= score_other(w) + epsilon`` for every other available option
   (``epsilon`` = :data:`EPSILON` = 1e-9; if the solver's feasibility tolerance leaves the
   target not first by the engine's ranking, it is re-solved with a larger margin, up to
   1e-6). Infeasible means no weights make the option first (by LP duality some mix of the
   other options is at least as good on every criterion): reported as impossible.
   "The weighted sum" is the scenario's method when it is ``wsm`` (with its normalisation,
   whose scores are linear in the weights), otherwise the plain weighted sum of the 0-1 values
   (cost criteria as 1 - x); ``basis`` says which, and the runner-ups are those of that basis.
3. Stakeholders (the model's perspectives, two or more): Kendall's tau-b between every pair
   of their rankings (over the available options), the criteria whose normalised weights
   differ most between them (what divides them), and a SMAA run over their weights: the share
   of :data:`MIXTURES` weight vectors drawn uniformly from the convex hull of the perspectives'
   weights (Dirichlet(1) mixtures, seed :data:`MIXTURE_SEED`) in which each option comes first,
   beside the share of the perspectives themselves that put it first.
4. Objective references: the ranking under entropy and CRITIC weights of the scenario's own
   point performance table (available options only; see
   :mod:`decision.core.methods.objective_weights`). They say how much each criterion
   separates the options here, not what anyone values, so they sit beside the elicited
   weights and do not count in ``agree_on_top``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from decision.analyses.common import (
    IntArray,
    is_linear,
    linear_coefficients,
    name_of,
    point_state,
    score_weights,
    top_option,
)
from decision.analyses.linear_programme import solve
from decision.core.compile import BoolArray, CompiledModel, FloatArray, ScenarioInputs
from decision.core.engine import rank
from decision.core.methods.agreement import kendall_tau
from decision.core.methods.objective_weights import critic_weights, entropy_weights
from decision.core.weights import normalise_weights
from decision.results import rounded

#: Required score margin of the target over every other option in the LP.
EPSILON = 1e-9
#: Margins tried in turn until the solution is verified to make the target first.
_MARGINS = (EPSILON, 1e-8, 1e-7, 1e-6)


def _weights_dict(model: CompiledModel, w: FloatArray) -> dict[str, float]:
    return {c: float(w[k]) for k, c in enumerate(model.criteria)}


@dataclass(frozen=True)
class PerspectiveRanking:
    """Ranks and scores of every option under one weight set (``name``: the perspective id,
    or ``"scenario"`` for the scenario's own weights)."""

    name: str
    weights: dict[str, float]
    ranks: dict[str, int]
    scores: dict[str, float]
    top: str | None


@dataclass(frozen=True)
class WeightChange:
    """The smallest change of normalised weights (L1) that makes ``option`` first.

    ``possible`` is False when no weights do (some mix of the other options is at least as
    good on every criterion); ``weights`` (new), ``change`` (new - current) and ``distance``
    are then None.
    """

    option: str
    possible: bool
    distance: float | None
    weights: dict[str, float] | None
    change: dict[str, float] | None

    __data_extra__: ClassVar[tuple[str, ...]] = ("sentence",)

    def sentence(self) -> str:
        """What you would have to believe, in words."""
        if not self.possible or self.weights is None or self.change is None:
            return (
                f"{self.option} cannot come first under any weights (for every weighting some "
                "other option scores at least as well)"
            )
        moves = sorted(self.change.items(), key=lambda kv: -abs(kv[1]))
        parts = [f"{c} {v:+.3g}" for c, v in moves if abs(v) > 5e-4]
        return (
            f"{self.option} comes first if the weights move by {self.distance:.3g} in total"
            + (f" ({', '.join(parts)})" if parts else "")
        )


@dataclass(frozen=True)
class PairAgreement:
    """Kendall's tau-b between two perspectives' rankings, over the available options."""

    a: str
    b: str
    kendall_tau: float
    same_top: bool


@dataclass(frozen=True)
class StakeholderAgreement:
    """Where the model's perspectives (stakeholders) agree and what divides them.

    ``dividing``: criteria by how far apart the perspectives' normalised weights are (highest
    minus lowest), most divisive first; ``first_share``: per option, the share of the
    perspectives that put it first; ``mixture_first``: per option, its share of first places
    over ``mixtures`` weight vectors mixed from the perspectives' (see the module docstring).
    """

    perspectives: list[str]
    pairs: list[PairAgreement]
    dividing: dict[str, float]
    first_share: dict[str, float]
    mixture_first: dict[str, float]
    mixtures: int
    seed: int


@dataclass(frozen=True)
class PerspectiveComparison:
    """Rankings under the scenario's weights and every perspective, and the weight changes
    that would put each available runner-up first."""

    scenario: str
    method: str
    basis: str
    rankings: tuple[PerspectiveRanking, ...]
    #: Weight-set name -> top option (from the rankings).
    tops: dict[str, str | None] = field(init=False)
    agree_on_top: bool
    what_to_believe: tuple[WeightChange, ...]
    #: Rankings under objective weights of the scenario's table (``entropy``, ``critic``).
    objective: tuple[PerspectiveRanking, ...] = ()
    #: Agreement between the model's perspectives (None: fewer than two).
    stakeholders: StakeholderAgreement | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "tops", {r.name: r.top for r in self.rankings})

    def ranking(self, name: str) -> PerspectiveRanking:
        """The ranking under one weight set by name."""
        for item in self.rankings:
            if item.name == name:
                return item
        raise KeyError(name)


def value_matrix(model: CompiledModel, inputs: ScenarioInputs) -> tuple[FloatArray, BoolArray, str]:
    """``N (o, c)`` with weighted-sum score ``N @ w``, availability ``(o,)`` and the basis name.

    The scenario's own method when it is the weighted sum, else the plain 0-1 value scale.
    """
    perf, available = point_state(model, inputs)
    if is_linear(inputs.method.name):
        params = inputs.method.params()
        basis = "wsm" + (f" ({params['normalisation']})" if "normalisation" in params else "")
        return linear_coefficients(model, inputs, perf, available), available, basis
    values: FloatArray = np.where(model.benefit, perf, 1.0 - perf)
    return values, available, "wsm (plain 0-1 values)"


def minimal_weight_change(
    values: FloatArray,
    available: BoolArray,
    weights: FloatArray,
    target: int,
    epsilon: float = EPSILON,
) -> tuple[FloatArray, float] | None:
    """Closest weights (L1, on the simplex) under which ``target`` is first by ``values @ w``.

    ``values (o, c)``, ``available (o,)``, ``weights (c,)`` (normalised here). Returns the new
    normalised weights and their L1 distance from the current ones, or None when infeasible.
    First means ranked 1 by :func:`decision.core.engine.rank` (ties: model order).
    """
    w0 = normalise_weights(weights)
    n = w0.size
    others = np.flatnonzero(available & (np.arange(available.size) != target))
    if others.size == 0:
        return w0.copy(), 0.0
    eye = np.eye(n)
    cost = np.concatenate([np.zeros(n), np.ones(2 * n)])
    a_eq = np.vstack([np.hstack([eye, -eye, eye]), np.concatenate([np.ones(n), np.zeros(2 * n)])])
    b_eq = np.concatenate([w0, [1.0]])
    diff = values[others] - values[target]  # (k, c): score_other - score_target
    a_ub = np.hstack([diff, np.zeros((others.size, 2 * n))])
    for margin in _MARGINS:
        found = solve(cost, a_ub, np.full(others.size, -margin), a_eq, b_eq)
        if found.status == "infeasible":
            return None
        if found.x is None:
            continue
        w = np.clip(found.x[:n], 0.0, None)
        w /= w.sum()
        scores = values @ w
        if rank(scores[None, :], available[None, :])[0, target] == 1:
            return w, float(np.abs(w - w0).sum())
    return None


def compare_perspectives(model: CompiledModel, inputs: ScenarioInputs) -> PerspectiveComparison:
    """Rankings under every weight set, and the minimal weight change for each runner-up."""
    perf, available = point_state(model, inputs)
    sets = {"scenario": normalise_weights(inputs.weights)}
    sets.update({name: normalise_weights(w) for name, w in model.perspectives.items()})
    elicited = len(sets)
    reference = {
        "entropy": entropy_weights(perf, available),
        "critic": critic_weights(perf, model.benefit, available),
    }
    sets.update(reference)  # the objective sets last, kept apart below
    names = list(sets)
    weights = np.vstack([sets[n] for n in names])
    scores, ranks = score_weights(model, inputs, perf, available, weights)
    tops = top_option(ranks, np.broadcast_to(available, ranks.shape))
    every = tuple(
        PerspectiveRanking(
            name,
            _weights_dict(model, weights[r]),
            {o: int(ranks[r, k]) for k, o in enumerate(model.options)},
            {o: float(scores[r, k]) for k, o in enumerate(model.options)},
            name_of(model, int(tops[r])),
        )
        for r, name in enumerate(names)
    )
    rankings, objective = every[:elicited], every[elicited:]
    stakeholders = _stakeholders(model, inputs, perf, available, names[1:elicited],
                                 weights[1:elicited], ranks[1:elicited], tops[1:elicited])
    values, _, basis = value_matrix(model, inputs)
    w0 = sets["scenario"]
    base_ranks = rank((values @ w0)[None, :], available[None, :])[0]
    changes = []
    for o in np.argsort(base_ranks):
        if base_ranks[o] == 1 or not available[o]:
            continue
        found = minimal_weight_change(values, available, w0, int(o))
        if found is None:
            changes.append(WeightChange(model.options[o], False, None, None, None))
            continue
        w, distance = found
        changes.append(
            WeightChange(
                model.options[o],
                True,
                distance,
                _weights_dict(model, w),
                _weights_dict(model, w - w0),
            )
        )
    return PerspectiveComparison(
        inputs.id,
        inputs.method.name,
        basis,
        rankings,
        len({r.top for r in rankings}) == 1,
        tuple(changes),
        objective,
        stakeholders,
    )


#: Weight vectors drawn from the perspectives' convex hull for their SMAA run.
MIXTURES = 2000
#: Seed of those draws (fixed: the report is the same on every run).
MIXTURE_SEED = 20190


def _stakeholders(
    model: CompiledModel,
    inputs: ScenarioInputs,
    perf: FloatArray,
    available: BoolArray,
    names: list[str],
    weights: FloatArray,
    ranks: IntArray,
    tops: IntArray,
) -> StakeholderAgreement | None:
    """:class:`StakeholderAgreement` of the perspectives ``names`` (weights ``(p, c)``
    normalised, their ranks ``(p, o)`` and top options ``(p,)``); None for fewer than two."""
    p = len(names)
    if p < 2:
        return None
    pairs = []
    for i in range(p):
        for j in range(i + 1, p):
            tau = kendall_tau(-ranks[i].astype(np.float64), -ranks[j].astype(np.float64),
                              available)
            pairs.append(PairAgreement(names[i], names[j], rounded(float(tau)),
                                       bool(tops[i] == tops[j])))
    spread = weights.max(axis=0) - weights.min(axis=0)
    order = np.argsort(-spread, kind="stable")
    dividing = {model.criteria[k]: rounded(float(spread[k])) for k in order.tolist()}
    first_share = {
        o: rounded(float(np.mean(tops == k))) for k, o in enumerate(model.options)
    }
    rng = np.random.default_rng(MIXTURE_SEED)
    mix = rng.dirichlet(np.ones(p), size=MIXTURES) @ weights  # (m, c): convex combinations
    _, mixed_ranks = score_weights(model, inputs, perf, available, mix)
    mixed_tops = top_option(mixed_ranks, np.broadcast_to(available, mixed_ranks.shape))
    counts = np.bincount(mixed_tops[mixed_tops >= 0], minlength=len(model.options))
    mixture_first = {
        o: rounded(float(counts[k] / MIXTURES)) for k, o in enumerate(model.options)
    }
    return StakeholderAgreement(list(names), pairs, dividing, first_share, mixture_first,
                                MIXTURES, MIXTURE_SEED)
