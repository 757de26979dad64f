"""PROMETHEE II: net outranking flow from pairwise comparisons with preference functions.

For available options a, b and criterion j, ``d_j(a, b)`` is the oriented difference
(``x_a - x_b`` on benefit criteria, ``x_b - x_a`` on cost criteria) in the criterion's own
units, ``P_j(d)`` in [0, 1] its preference function (0 for d <= 0), ``pi(a, b) =
sum_j w_j P_j(d_j(a, b))`` and the net flow ``phi(a) = sum_b (pi(a, b) - pi(b, a)) / (n - 1)``
over the n available options; phi is in [-1, 1] and is the score.

Preference functions (q: indifference threshold, p: preference threshold, s: Gaussian scale;
all in the criterion's units): ``usual`` (d > 0), ``ushape`` (d > q), ``vshape`` (d / p up to
1), ``level`` (1/2 for q < d <= p, 1 above p), ``linear`` alias ``vshape_indifference``
((d - q) / (p - q) between q and p) and ``gaussian`` (1 - exp(-d^2 / 2 s^2)). Boundaries follow
pymcdm's.

Conventions: with one available option there are no pairs and phi = 0; unavailable options
take part in no pair and score 0.0. Because ``pi(a, b) - pi(b, a) = sum_j w_j H_j(d_j(a, b))``
with ``H_j(d) = sign(d) P_j(|d|)`` odd, ``phi(a)`` is the row sum of that antisymmetric
matrix over b, and each unordered pair is evaluated once. The pairs are swept one diagonal
(offset) at a time, so memory grows with options x batch, never with the number of pairs (a
2,000-option matrix has 2 million), and a large batch is split into blocks within
:data:`MEMORY_BUDGET`; neither changes a result. Differences that overflow to infinity
(values near 1e308 of opposite sign) count as the largest preference, never NaN.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike

from decision.core.methods.inputs import (
    BoolArray,
    FloatArray,
    batch_blocks,
    finish,
    prepare,
    quiet_placeholders,
)
from decision.errors import DecisionError, did_you_mean

PreferenceKind = Literal["usual", "ushape", "vshape", "level", "linear", "gaussian"]
PREFERENCE_KINDS: tuple[str, ...] = get_args(PreferenceKind)
#: Other names accepted for a preference function.
PREFERENCE_ALIASES: dict[str, str] = {"vshape_indifference": "linear", "vshape_2": "linear"}
#: Which of q, p, s each preference function needs.
PREFERENCE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "usual": (),
    "ushape": ("q",),
    "vshape": ("p",),
    "level": ("q", "p"),
    "linear": ("q", "p"),
    "gaussian": ("s",),
}


@dataclass(frozen=True, slots=True)
class PreferenceFunction:
    """One criterion's preference function and its thresholds (criterion units).

    Raises :class:`DecisionError` for an unknown kind, a missing or stray threshold, or a
    threshold out of range (q >= 0, p > 0, q < p for linear, q <= p for level, s > 0).
    """

    kind: str = "usual"
    q: float | None = None
    p: float | None = None
    s: float | None = None

    def __post_init__(self) -> None:
        kind = PREFERENCE_ALIASES.get(self.kind, self.kind)
        if kind not in PREFERENCE_PARAMETERS:
            names = [*PREFERENCE_KINDS, *PREFERENCE_ALIASES]
            raise DecisionError(
                f"unknown preference function '{self.kind}'{did_you_mean(self.kind, names)}",
                allowed=", ".join(names),
            )
        object.__setattr__(self, "kind", kind)
        needed = PREFERENCE_PARAMETERS[kind]
        for name in ("q", "p", "s"):
            value = getattr(self, name)
            if name in needed and value is None:
                raise DecisionError(
                    f"preference function '{kind}' needs {name}",
                    allowed=f"{kind} with " + ", ".join(needed),
                )
            if name not in needed and value is not None:
                raise DecisionError(
                    f"preference function '{kind}' takes no {name}",
                    allowed=f"{kind} with " + (", ".join(needed) or "no thresholds"),
                )
            if value is not None and not math.isfinite(value):
                raise DecisionError(f"{name} must be finite, got {value}", allowed="a number")
        q, p, s = self.q, self.p, self.s
        if q is not None and q < 0:
            raise DecisionError(f"q must be >= 0, got {q}", allowed="q >= 0")
        if p is not None and p <= 0:
            raise DecisionError(f"p must be > 0, got {p}", allowed="p > 0")
        if s is not None and s <= 0:
            raise DecisionError(f"s must be > 0, got {s}", allowed="s > 0")
        if kind == "linear" and q is not None and p is not None and not q < p:
            raise DecisionError(f"linear needs q < p, got q={q}, p={p}", allowed="0 <= q < p")
        if kind == "level" and q is not None and p is not None and not q <= p:
            raise DecisionError(f"level needs q <= p, got q={q}, p={p}", allowed="0 <= q <= p")


USUAL = PreferenceFunction()

#: Peak bytes of PROMETHEE's work arrays (a large batch is computed in blocks of elements).
MEMORY_BUDGET = 256 * 2**20
#: Float64 arrays of shape (options, batch) alive at once besides the transposed criteria:
#: differences (reused for the preference), their signs, a comparison result, the running net
#: preference and the flows.
WORK_ARRAYS = 5


@quiet_placeholders
def promethee_ii(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    *,
    preference: PreferenceFunction | Sequence[PreferenceFunction] = USUAL,
) -> FloatArray:
    """PROMETHEE II net flows phi, shape ``(..., options)``; higher is better.

    ``preference`` is one function for every criterion or one per criterion. Work memory is
    about ``8 * options * (criteria + WORK_ARRAYS)`` bytes per batch element, linear in the
    options (see :func:`_net_flows`); a batch is computed in blocks of elements that fit
    :data:`MEMORY_BUDGET`.
    """
    problem = prepare(performance, weights, benefit, available)
    n_options, n_criteria = problem.n_options, problem.n_criteria
    functions = _per_criterion(preference, n_criteria)
    if n_options < 2:
        return finish(np.zeros(problem.output_shape), problem)
    batch = problem.batch_shape
    # One batch axis: a view, unless 2+ broadcast batch axes cannot be merged.
    x = problem.performance.reshape(-1, n_options, n_criteria)
    signed_weights = problem.weights * np.where(problem.benefit, 1.0, -1.0)
    w = np.broadcast_to(signed_weights, (*batch, n_criteria)).reshape(-1, n_criteria)
    available_flat = (
        None if problem.available is None
        else np.broadcast_to(problem.available, (*batch, n_options)).reshape(-1, n_options)
    )
    flows = np.empty(x.shape[:2])
    element_bytes = 8 * n_options * (n_criteria + WORK_ARRAYS)
    for part in batch_blocks(x.shape[0], element_bytes, MEMORY_BUDGET):
        flows[part] = _net_flows(
            x[part], w[part], None if available_flat is None else available_flat[part], functions
        )
    return finish(flows.reshape(problem.output_shape), problem)


def _net_flows(
    x: FloatArray,
    signed_weights: FloatArray,
    available: BoolArray | None,
    functions: list[PreferenceFunction],
) -> FloatArray:
    """Net flows ``(batch, options)`` of ``x (batch, options, criteria)``.

    ``signed_weights (batch, criteria)`` are negative on cost criteria. The pairs are swept
    one diagonal at a time: at offset ``k`` every pair ``(a, a + k)`` at once, so no array
    ever has options x options entries (memory grows with options, not with pairs). Each
    pair's net preference adds the criteria in order and is then added to ``phi(a)`` and
    taken from ``phi(a + k)``, offset by offset; every step is elementwise over the batch, so
    a batch element's flows do not depend on which other elements share the call.
    """
    n_batch, n_options, _ = x.shape
    # Options by batch, one contiguous (options, batch) slab per criterion: the slices of a
    # diagonal are contiguous too, whatever the batch size.
    columns = np.ascontiguousarray(np.transpose(x, (2, 1, 0)))
    weights = np.ascontiguousarray(signed_weights.T)  # (criteria, batch)
    used = [j for j in range(len(functions)) if weights[j].any()]
    mask = None if available is None else np.ascontiguousarray(available.T, dtype=np.float64)
    flows = np.zeros((n_options, n_batch))
    for k in range(1, n_options):
        net = np.zeros((n_options - k, n_batch))
        for j in used:
            column = columns[j]
            with np.errstate(over="ignore"):  # x_a - x_b may overflow; H(+-inf) is +-1
                d = np.subtract(column[:-k], column[k:])
            h = _odd_preference(functions[j], d)
            h *= weights[j]
            net += h
        if mask is not None:
            net *= mask[:-k]
            net *= mask[k:]
        flows[:-k] += net
        flows[k:] -= net
    others: float | FloatArray = n_options - 1
    if available is not None:
        others = np.maximum(available.sum(axis=-1) - 1, 1).astype(np.float64)
    flows /= others
    return np.ascontiguousarray(flows.T)


def _per_criterion(
    preference: PreferenceFunction | Sequence[PreferenceFunction], n_criteria: int
) -> list[PreferenceFunction]:
    if isinstance(preference, PreferenceFunction):
        return [preference] * n_criteria
    functions = list(preference)
    if len(functions) != n_criteria or not all(
        isinstance(f, PreferenceFunction) for f in functions
    ):
        raise DecisionError(
            f"{len(functions)} preference functions for {n_criteria} criteria",
            allowed="one preference function, or one per criterion",
        )
    return functions


def _odd_preference(function: PreferenceFunction, d: FloatArray) -> FloatArray:
    """``H(d) = sign(d) * P(|d|)`` for one criterion's preference function, elementwise.

    ``d`` may be overwritten. Infinite differences (an overflowed ``x_a - x_b``) give +-1.
    """
    kind = function.kind
    if kind == "usual":
        return np.sign(d)
    if kind == "vshape":
        with np.errstate(over="ignore"):
            out = np.divide(d, _threshold(function, "p"), out=d)
        return np.clip(out, -1.0, 1.0, out=out)
    if kind == "gaussian":
        return _gaussian(d, _threshold(function, "s"))
    sign = np.sign(d)
    magnitude = np.abs(d, out=d)
    q = _threshold(function, "q")
    if kind == "ushape":
        out = (magnitude > q).astype(np.float64)
    elif kind == "level":
        out = (magnitude > q).astype(np.float64)
        out += magnitude > _threshold(function, "p")
        out *= 0.5
    else:  # linear
        magnitude -= q
        with np.errstate(over="ignore"):
            magnitude /= _threshold(function, "p") - q
        out = np.clip(magnitude, 0.0, 1.0, out=magnitude)
    out *= sign
    return out


def _threshold(function: PreferenceFunction, name: str) -> float:
    """A threshold the function's kind needs (present: checked at construction)."""
    value = getattr(function, name)
    assert value is not None
    return float(value)


def _gaussian(d: FloatArray, s: float) -> FloatArray:
    """``sign(d) (1 - exp(-d^2 / 2 s^2))``; ``d`` is overwritten.

    For ordinary ``s`` the factor ``-1 / (2 s^2)`` is taken once; for an ``s`` so small or
    large that ``s^2`` would underflow or overflow, ``d / s`` is squared instead, so a zero
    difference never meets an infinite factor (0 * inf = NaN).
    """
    sign = np.sign(d)
    with np.errstate(over="ignore"):
        if 2.0**-400 <= s <= 2.0**400:
            out = np.multiply(d, d, out=d)
            out *= -0.5 / (s * s)
        else:
            out = np.divide(d, s, out=d)
            out *= out
            out *= -0.5
    np.expm1(out, out=out)
    out *= -sign
    return out


# ---------------------------------------------------------------------------- PROMETHEE I

#: Flows closer than this are equal in PROMETHEE I's comparisons, so rounding never decides
#: between preference and indifference.
TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class PrometheeDetails:
    """PROMETHEE I and II in full, batched; ``(...)`` is the batch shape.

    ``positive`` (phi+, how much an option outranks the others), ``negative`` (phi-, how much
    it is outranked) and ``net`` (phi = phi+ - phi-, PROMETHEE II's score, computed exactly as
    :func:`promethee_ii` computes it): ``(..., options)``, each over the ``n - 1`` other
    available options. ``criterion_net``: ``(..., options, criteria)``, the unweighted net
    flow of each criterion on its own (``phi_j(a) = sum_b (P_j(a, b) - P_j(b, a)) / (n - 1)``),
    GAIA's input; ``net = sum_j w_j phi_j`` up to rounding (zero-weight criteria included).

    PROMETHEE I's partial pre-order, ``(..., options, options)`` masks with ``[a, b]`` about
    options a and b (the diagonal is False): ``preference`` a P b (phi+(a) >= phi+(b) and
    phi-(a) <= phi-(b), at least one strictly), ``indifference`` a I b (both flows equal) and
    ``incomparability`` a R b (one flow prefers a, the other b). Exactly one of P(a, b),
    P(b, a), I(a, b) and R(a, b) holds for two available options; flows within
    :data:`TOLERANCE` count as equal. Unavailable options have zero flows and take part in no
    relation.
    """

    positive: FloatArray
    negative: FloatArray
    net: FloatArray
    criterion_net: FloatArray
    preference: BoolArray
    indifference: BoolArray
    incomparability: BoolArray


@quiet_placeholders
def promethee_i(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    *,
    preference: PreferenceFunction | Sequence[PreferenceFunction] = USUAL,
) -> FloatArray:
    """PROMETHEE I's registry score: the net flow phi, shape ``(..., options)``.

    Convention: PROMETHEE I's result is a partial pre-order (see :func:`promethee_details`);
    the registry contract needs a complete score, and the net flow ``phi+ - phi-`` is the
    completion PROMETHEE II makes of the same two flows, so the score equals
    :func:`promethee_ii`'s. Every pair the partial order ranks strictly, the net flow ranks the
    same way (a P b implies phi(a) > phi(b)); what the score adds is an order on the pairs that
    PROMETHEE I leaves incomparable, which reports must state rather than show as ranks.
    """
    return promethee_ii(performance, weights, benefit, available, preference=preference)


@quiet_placeholders
def promethee_details(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    *,
    preference: PreferenceFunction | Sequence[PreferenceFunction] = USUAL,
) -> PrometheeDetails:
    """Positive, negative, net and per-criterion flows, and PROMETHEE I's partial pre-order.

    Batched like :func:`promethee_ii` (the pairs swept one diagonal at a time, a large batch in
    blocks); the relation masks hold ``options x options`` entries per batch element.
    """
    problem = prepare(performance, weights, benefit, available)
    n_options, n_criteria = problem.n_options, problem.n_criteria
    functions = _per_criterion(preference, n_criteria)
    batch = problem.batch_shape
    shape = problem.output_shape
    avail = (
        np.ones(shape, dtype=np.bool_) if problem.available is None
        else np.broadcast_to(problem.available, shape)
    )
    if n_options < 2:
        zero = np.zeros(shape)
        return _relations(zero, zero.copy(), zero.copy(), np.zeros((*shape, n_criteria)), avail)
    x = problem.performance.reshape(-1, n_options, n_criteria)
    orientation = np.where(problem.benefit, 1.0, -1.0)
    w = np.broadcast_to(problem.weights * orientation, (*batch, n_criteria)).reshape(
        -1, n_criteria
    )
    available_flat = (
        None if problem.available is None else avail.reshape(-1, n_options)
    )
    positive = np.empty(x.shape[:2])
    negative = np.empty(x.shape[:2])
    net = np.empty(x.shape[:2])
    criterion = np.empty(x.shape)
    element_bytes = 8 * n_options * (3 * n_criteria + WORK_ARRAYS + 4)
    for part in batch_blocks(x.shape[0], element_bytes, MEMORY_BUDGET):
        flows = _all_flows(
            x[part], w[part], orientation,
            None if available_flat is None else available_flat[part], functions,
        )
        positive[part], negative[part], net[part], criterion[part] = flows
    return _relations(
        positive.reshape(shape), negative.reshape(shape), net.reshape(shape),
        criterion.reshape(*shape, n_criteria), avail,
    )


def _all_flows(
    x: FloatArray,
    signed_weights: FloatArray,
    orientation: FloatArray,
    available: BoolArray | None,
    functions: list[PreferenceFunction],
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """phi+, phi-, phi ``(batch, options)`` and per-criterion phi_j ``(batch, options,
    criteria)``, swept like :func:`_net_flows` (whose net-flow arithmetic this repeats step for
    step, so the net flows are identical)."""
    n_batch, n_options, n_criteria = x.shape
    columns = np.ascontiguousarray(np.transpose(x, (2, 1, 0)))
    weights = np.ascontiguousarray(signed_weights.T)
    used = {j for j in range(n_criteria) if weights[j].any()}
    mask = None if available is None else np.ascontiguousarray(available.T, dtype=np.float64)
    net_flows = np.zeros((n_options, n_batch))
    positive = np.zeros((n_options, n_batch))
    negative = np.zeros((n_options, n_batch))
    criterion = np.zeros((n_criteria, n_options, n_batch))
    for k in range(1, n_options):
        net = np.zeros((n_options - k, n_batch))
        ahead = np.zeros((n_options - k, n_batch))  # pi(a, a + k)
        behind = np.zeros((n_options - k, n_batch))  # pi(a + k, a)
        pair_mask = None if mask is None else mask[:-k] * mask[k:]
        for j in range(n_criteria):
            column = columns[j]
            with np.errstate(over="ignore"):
                d = np.subtract(column[:-k], column[k:])
            h = _odd_preference(functions[j], d)
            own = h * orientation[j]
            if pair_mask is not None:
                own *= pair_mask
            criterion[j, :-k] += own
            criterion[j, k:] -= own
            if j not in used:
                continue
            h *= weights[j]
            net += h
            ahead += np.maximum(h, 0.0)
            behind -= np.minimum(h, 0.0)
        if mask is not None and pair_mask is not None:
            net *= mask[:-k]
            net *= mask[k:]
            ahead *= pair_mask
            behind *= pair_mask
        net_flows[:-k] += net
        net_flows[k:] -= net
        positive[:-k] += ahead
        positive[k:] += behind
        negative[:-k] += behind
        negative[k:] += ahead
    others: float | FloatArray = n_options - 1
    if available is not None:
        others = np.maximum(available.sum(axis=-1) - 1, 1).astype(np.float64)
    for flows in (net_flows, positive, negative, criterion):
        flows /= others
    return (
        np.ascontiguousarray(positive.T),
        np.ascontiguousarray(negative.T),
        np.ascontiguousarray(net_flows.T),
        np.ascontiguousarray(np.transpose(criterion, (2, 1, 0))),
    )


def _relations(
    positive: FloatArray,
    negative: FloatArray,
    net: FloatArray,
    criterion: FloatArray,
    available: BoolArray,
) -> PrometheeDetails:
    """Zero the flows of unavailable options and derive PROMETHEE I's three relations."""
    gone = ~available
    for flows in (positive, negative, net):
        np.copyto(flows, 0.0, where=gone)
    np.copyto(criterion, 0.0, where=gone[..., None])
    plus = positive[..., :, None] - positive[..., None, :]  # phi+(a) - phi+(b)
    minus = negative[..., None, :] - negative[..., :, None]  # phi-(b) - phi-(a)
    better_plus, worse_plus = plus > TOLERANCE, plus < -TOLERANCE
    better_minus, worse_minus = minus > TOLERANCE, minus < -TOLERANCE
    pairs = available[..., :, None] & available[..., None, :]
    pairs &= ~np.eye(available.shape[-1], dtype=np.bool_)
    preferred = (better_plus | better_minus) & ~worse_plus & ~worse_minus & pairs
    indifferent = ~(better_plus | worse_plus | better_minus | worse_minus) & pairs
    incomparable = ((better_plus & worse_minus) | (worse_plus & better_minus)) & pairs
    return PrometheeDetails(positive, negative, net, criterion, preferred, indifferent,
                            incomparable)
