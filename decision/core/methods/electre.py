"""ELECTRE III: a fuzzy outranking relation, two distillations, and their partial pre-order.

For available options a, b and criterion j, ``d_j(a, b)`` is how much b beats a (``x_b - x_a``
on benefit criteria, ``x_a - x_b`` on cost criteria), in the criterion's own units, and q_j, p_j,
v_j are its indifference, preference and veto thresholds (0 <= q <= p <= v; v may be absent,
meaning no veto). Following Roy (1978) and Figueira, Mousseau & Roy (2005, "ELECTRE methods",
in Figueira, Greco & Ehrgott (eds), *Multiple Criteria Decision Analysis: State of the Art
Surveys*, ch. 4):

- partial concordance ``c_j(a, b)``: 1 if d <= q, 0 if d >= p, ``(p - d) / (p - q)`` between;
- global concordance ``C(a, b) = sum_j w_j c_j(a, b)`` (weights normalised to sum to 1);
- discordance ``D_j(a, b)``: 0 if d <= p, 1 if d >= v, ``(d - p) / (v - p)`` between (0 with
  no veto);
- credibility ``sigma(a, b) = C(a, b) * prod over j with D_j > C of (1 - D_j) / (1 - C)``.

Distillation (Roy & Bouyssou 1993; Figueira et al. 2005): with the discrimination threshold
``s(lambda) = alpha + beta * lambda`` (the standard alpha = 0.3, beta = -0.15), a set D is
qualified at its top level ``lambda = max sigma`` over its pairs: the cut level is the largest
credibility strictly below ``lambda - s(lambda)`` (0 if none), a outranks b when ``sigma(a, b)``
exceeds the cut level and ``sigma(a, b) - sigma(b, a) > s(lambda)``, and an option's
qualification is how many it outranks minus how many outrank it, within D. The descending
distillation keeps the options of greatest qualification and repeats on them at the cut level
until one option is left or the level is 0; that set is the next class, taken out, and the
distillation restarts on the rest. The ascending distillation keeps the least qualified and
builds the classes from the bottom. Both are complete pre-orders (rank 1 best, equal ranks for
a class); their intersection is the final partial pre-order: a P b when a is ranked at least
as well in both and better in one, a I b when equal in both, a R b (incomparable) when the two
disagree.

Conventions: entries of the concordance and credibility matrices that are not a pair of two
distinct available options are 0 (the distillation never reads them); comparisons in the
distillation, and of D_j with C, treat values within :data:`TOLERANCE` as equal, so rounding
(e.g. of a sum over criteria in another order, or of weights scaled by a constant) never
changes a class, nor turns a concordance of 1 that a zero-weight criterion vetoes into 0.
The batch is never looped over: each distillation step runs on every batch element at once,
with masks for the options still in play, and loops only over steps (at most ``options``
classes, each refined a bounded number of times because the level falls by at least
``min(alpha, alpha + beta)`` per refinement).

What ELECTRE III keeps and what it does not: it is equivariant under permuting options and
criteria, invariant to scaling the weights, and unavailable options take no part (masking
equals removal). A weakly dominating option is never ranked below the option it dominates in
either distillation (its credibilities are at least as high against everyone and at most as
high from everyone). It is not independent of irrelevant options: adding or removing an option
can reverse the order of two others (rank reversal), and options can be incomparable, which
the registry score (see :func:`electre_iii`) completes and reports must state.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from decision.core.methods.inputs import (
    BoolArray,
    FloatArray,
    Problem,
    batch_blocks,
    finish,
    prepare,
    quiet_placeholders,
)
from decision.errors import DecisionError

IntArray = NDArray[np.int64]

#: Credibilities closer than this are equal in the distillation's comparisons.
TOLERANCE = 1e-9
#: The standard discrimination threshold s(lambda) = ALPHA + BETA * lambda.
ALPHA = 0.3
BETA = -0.15
#: Peak bytes of the work arrays (a large batch is computed in blocks of elements).
MEMORY_BUDGET = 256 * 2**20
#: (options, options) arrays alive at once per batch element, in float64 equivalents.
WORK_ARRAYS = 12

Threshold = float | None
ThresholdInput = Threshold | Sequence[Threshold]


def electre_thresholds(
    q: ThresholdInput, p: ThresholdInput, v: ThresholdInput, n_criteria: int | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Thresholds as three arrays of one value per criterion (v is infinite without veto).

    Each of q, p and v is one number for every criterion or a list of one per criterion (v may
    be None, for all or for one criterion: no veto). Raises :class:`DecisionError` naming the
    threshold for a missing or non-finite value, a negative q, p < q, v < p, or lists of
    different lengths (or not ``n_criteria`` long, when it is given).
    """
    lists = {name: value for name, value in (("q", q), ("p", p), ("v", v))
             if isinstance(value, Sequence)}
    lengths = {len(value) for value in lists.values()}
    if n_criteria is not None:
        lengths.add(n_criteria)
    if len(lengths) > 1 or 0 in lengths:
        counts = ", ".join(f"{name} {len(value)}" for name, value in lists.items())
        target = f" for {n_criteria} criteria" if n_criteria is not None else ""
        raise DecisionError(
            f"thresholds list different numbers of criteria ({counts}){target}",
            key_path=next(iter(lists), "q"),
            allowed="one number for every criterion, or one per criterion in each list",
        )
    n = lengths.pop() if lengths else 1

    def column(name: str, value: ThresholdInput, none_allowed: bool) -> FloatArray:
        items = list(value) if isinstance(value, Sequence) else [value] * n
        out = np.empty(n)
        for j, item in enumerate(items):
            where = f"{name}[{j}]" if isinstance(value, Sequence) else name
            if item is None:
                if not none_allowed:
                    raise DecisionError(f"{where} is missing", key_path=where,
                                        allowed="a number >= 0")
                out[j] = math.inf
                continue
            if isinstance(item, bool) or not isinstance(item, int | float) or not math.isfinite(
                item
            ):
                raise DecisionError(f"{where} must be a finite number, got {item!r}",
                                    key_path=where, allowed="a finite number")
            out[j] = float(item)
        return out

    qs, ps, vs = column("q", q, False), column("p", p, False), column("v", v, True)
    for name, bad, allowed in (
        ("q", qs < 0, "q >= 0"),
        ("p", ps < qs, "p >= q (the preference threshold is at least the indifference one)"),
        ("v", vs < ps, "v >= p (the veto threshold is at least the preference one), or none"),
    ):
        if bad.any():
            j = int(np.argmax(bad))
            values = {"q": qs[j], "p": ps[j], "v": vs[j]}
            on = f" on criterion {j}" if lists else ""
            shown = ", ".join(f"{k}={values[k]:g}" for k in "qpv"[: "qpv".index(name) + 1])
            raise DecisionError(f"{name} breaks 0 <= q <= p <= v{on} ({shown})",
                                key_path=name, allowed=allowed)
    return qs, ps, vs


def discrimination_checked(alpha: float, beta: float) -> tuple[float, float]:
    """alpha and beta if ``s(lambda) = alpha + beta * lambda`` is positive on [0, 1] and at most
    1 (a positive s is what makes the distillation end); otherwise a :class:`DecisionError`."""
    if not (math.isfinite(alpha) and math.isfinite(beta)):
        raise DecisionError("alpha and beta must be finite", key_path="alpha",
                            allowed="finite numbers")
    if not 0 < alpha <= 1:
        raise DecisionError(f"alpha must be in (0, 1], got {alpha:g}", key_path="alpha",
                            allowed="0 < alpha <= 1 (standard 0.3)")
    if not 0 < alpha + beta <= 1:
        raise DecisionError(
            f"s(1) = alpha + beta must be in (0, 1], got {alpha + beta:g}", key_path="beta",
            allowed="beta with 0 < alpha + beta <= 1 (standard -0.15)",
        )
    return alpha, beta


@dataclass(frozen=True, slots=True)
class ElectreDetails:
    """ELECTRE III in full, batched; ``(...)`` is the batch shape.

    ``concordance`` C and ``credibility`` sigma: ``(..., options, options)``, ``[a, b]`` about
    a outranking b (0 off the pairs of distinct available options). ``descending`` and
    ``ascending``: ``(..., options)`` integer ranks of the two distillations' complete
    pre-orders (1 best, equal for a class; 0 for an unavailable option). The final partial
    pre-order, ``(..., options, options)`` masks with ``[a, b]`` about a and b: ``preference``
    (a P b), ``indifference`` (a I b) and ``incomparability`` (a R b); exactly one of P(a, b),
    P(b, a), I(a, b), R(a, b) holds for two distinct available options, none otherwise.
    ``score``: :func:`electre_iii`'s score.
    """

    concordance: FloatArray
    credibility: FloatArray
    descending: IntArray
    ascending: IntArray
    preference: BoolArray
    indifference: BoolArray
    incomparability: BoolArray
    score: FloatArray


@quiet_placeholders
def electre_iii(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    *,
    q: ThresholdInput = 0.0,
    p: ThresholdInput = 0.0,
    v: ThresholdInput = None,
    alpha: float = ALPHA,
    beta: float = BETA,
) -> FloatArray:
    """ELECTRE III's registry score, shape ``(..., options)``; higher is better.

    Convention: the result of ELECTRE III is a partial pre-order (see
    :func:`electre_iii_details`); the score completes it by the mean of the two distillations'
    ranks, ``1 - (descending + ascending - 2) / (2 (n - 1))`` over the n available options, in
    [0, 1]. Options in one class of both pre-orders (indifferent) score equal; a P b implies a
    higher score for a; options the final pre-order leaves incomparable get an order (or a tie)
    from the mean, which reports must state rather than show as ranks.
    """
    return electre_iii_details(
        performance, weights, benefit, available, q=q, p=p, v=v, alpha=alpha, beta=beta
    ).score


@quiet_placeholders
def electre_iii_details(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    *,
    q: ThresholdInput = 0.0,
    p: ThresholdInput = 0.0,
    v: ThresholdInput = None,
    alpha: float = ALPHA,
    beta: float = BETA,
) -> ElectreDetails:
    """Concordance, credibility, both distillations and the final partial pre-order.

    ``q``, ``p``, ``v``: indifference, preference and veto thresholds in the criteria's units,
    one for every criterion or one per criterion (``v`` None: no veto); ``alpha``, ``beta``:
    the discrimination threshold ``s(lambda) = alpha + beta * lambda``. Work memory is about
    ``8 * options^2 * WORK_ARRAYS`` bytes per batch element; a batch is computed in blocks that
    fit :data:`MEMORY_BUDGET`.
    """
    problem = prepare(performance, weights, benefit, available)
    n_options, n_criteria = problem.n_options, problem.n_criteria
    qs, ps, vs = electre_thresholds(q, p, v, n_criteria)
    discrimination_checked(alpha, beta)
    batch = problem.batch_shape
    shape = problem.output_shape
    avail = (
        np.ones(shape, dtype=np.bool_) if problem.available is None
        else np.broadcast_to(problem.available, shape)
    )
    x = problem.performance.reshape(-1, n_options, n_criteria)
    w = np.broadcast_to(problem.weights, (*batch, n_criteria)).reshape(-1, n_criteria)
    a = avail.reshape(-1, n_options)
    total = x.shape[0]
    concordance = np.zeros((total, n_options, n_options))
    credibility = np.zeros((total, n_options, n_options))
    descending = np.zeros((total, n_options), dtype=np.int64)
    ascending = np.zeros((total, n_options), dtype=np.int64)
    orientation = np.where(problem.benefit, 1.0, -1.0)
    element_bytes = 8 * n_options * (n_options * WORK_ARRAYS + n_criteria)
    for part in batch_blocks(total, element_bytes, MEMORY_BUDGET):
        c, s = _credibility(x[part], w[part], a[part], orientation, qs, ps, vs)
        concordance[part], credibility[part] = c, s
        descending[part] = _distil(s, a[part], alpha, beta, descending=True)
        ascending[part] = _distil(s, a[part], alpha, beta, descending=False)
    return _final(problem, concordance.reshape(*shape, n_options),
                  credibility.reshape(*shape, n_options), descending.reshape(shape),
                  ascending.reshape(shape), avail)


def _credibility(
    x: FloatArray,
    w: FloatArray,
    available: BoolArray,
    orientation: FloatArray,
    q: FloatArray,
    p: FloatArray,
    v: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Concordance and credibility ``(batch, options, options)`` of ``x (batch, options,
    criteria)``; one criterion at a time, so no array has options^2 x criteria entries."""
    n_batch, n_options, n_criteria = x.shape
    concordance = np.zeros((n_batch, n_options, n_options))
    for j in range(n_criteria):
        c = _partial_concordance(_beaten_by(x[..., j], orientation[j]), q[j], p[j])
        c *= w[:, j, None, None]
        concordance += c
    np.minimum(concordance, 1.0, out=concordance)  # a sum of weights 1 may round above it
    credibility = concordance.copy()
    doubt = 1.0 - concordance
    for j in range(n_criteria):
        if not math.isfinite(v[j]):
            continue  # no veto: D_j = 0 never exceeds C
        d = _discordance(_beaten_by(x[..., j], orientation[j]), p[j], v[j])
        # Within TOLERANCE of C, D does not weaken: at C = 1 the formula ignores even a full
        # veto (D = 1 is not above C), and a C that rounds to 1 - 1e-16 must do the same.
        weakens = d > concordance + TOLERANCE
        if weakens.any():
            factor = np.divide(1.0 - d, doubt, out=np.ones_like(d), where=weakens)
            credibility *= factor
    pairs = available[:, :, None] & available[:, None, :]
    pairs &= ~np.eye(n_options, dtype=np.bool_)
    concordance *= pairs
    credibility *= pairs
    return concordance, credibility


def _beaten_by(column: FloatArray, orientation: float) -> FloatArray:
    """``d[a, b]``: how much b beats a on one criterion, ``(batch, options, options)``."""
    with np.errstate(over="ignore"):  # x_b - x_a may overflow; c and D of +-inf are 0 or 1
        d = np.subtract(column[:, None, :], column[:, :, None])
    if orientation < 0:
        np.negative(d, out=d)
    return d


def _partial_concordance(d: FloatArray, q: float, p: float) -> FloatArray:
    """c_j: 1 for d <= q, 0 for d >= p, linear between; ``d`` is overwritten."""
    if p > q:
        with np.errstate(over="ignore"):
            out = np.subtract(p, d, out=d)
            out /= p - q
        return np.clip(out, 0.0, 1.0, out=out)
    return (d <= q).astype(np.float64)


def _discordance(d: FloatArray, p: float, v: float) -> FloatArray:
    """D_j: 0 for d <= p, 1 for d >= v, linear between; ``d`` is overwritten."""
    if v > p:
        with np.errstate(over="ignore"):
            out = np.subtract(d, p, out=d)
            out /= v - p
        return np.clip(out, 0.0, 1.0, out=out)
    return (d > p).astype(np.float64)


def _distil(
    sigma: FloatArray, available: BoolArray, alpha: float, beta: float, *, descending: bool
) -> IntArray:
    """One distillation's ranks ``(batch, options)``: 1 best, 0 for unavailable options.

    Every step runs on the batch at once: ``remaining`` and ``kept`` mask the options still
    in play per element, and each refinement gathers only the elements whose class is not yet
    settled (those with two or more options kept and a positive level), so the work shrinks
    as classes settle; every operation is elementwise over the batch.
    """
    n_batch, n_options, _ = sigma.shape
    transposed = np.swapaxes(sigma, -1, -2)
    off_diagonal = ~np.eye(n_options, dtype=np.bool_)
    remaining = available.copy()
    order = np.zeros((n_batch, n_options), dtype=np.int64)  # 1 for the first class taken out
    step = 0
    while True:
        live = np.flatnonzero(remaining.any(axis=-1))
        if live.size == 0:
            break
        step += 1
        kept = remaining[live]
        pairs = kept[:, :, None] & kept[:, None, :] & off_diagonal
        level = np.where(pairs, sigma[live], 0.0).max(axis=(-2, -1))
        refine = np.flatnonzero((kept.sum(axis=-1) > 1) & (level > 0.0))
        while refine.size:
            rows = live[refine]
            inside, top = kept[refine], level[refine]
            sg = sigma[rows]
            pairs = inside[:, :, None] & inside[:, None, :] & off_diagonal
            s = alpha + beta * top
            below = pairs & (sg < (top - s - TOLERANCE)[:, None, None])
            cut = np.where(below, sg, 0.0).max(axis=(-2, -1))
            outranks = pairs & (sg > (cut + TOLERANCE)[:, None, None])
            outranks &= sg - transposed[rows] > (s + TOLERANCE)[:, None, None]
            qualification = outranks.sum(axis=-1) - outranks.sum(axis=-2)
            if descending:
                target = np.where(inside, qualification, -n_options).max(axis=-1)
            else:
                target = np.where(inside, qualification, n_options).min(axis=-1)
            chosen = inside & (qualification == target[:, None])
            kept[refine], level[refine] = chosen, cut
            refine = refine[(chosen.sum(axis=-1) > 1) & (cut > 0.0)]
        order[live] += np.where(kept, step, 0)
        remaining[live] &= ~kept
    if descending:
        return order
    classes = order.max(axis=-1, keepdims=True)
    ranks: IntArray = np.where(available, classes + 1 - order, 0)
    return ranks


def _final(
    problem: Problem,
    concordance: FloatArray,
    credibility: FloatArray,
    descending: IntArray,
    ascending: IntArray,
    available: BoolArray,
) -> ElectreDetails:
    """The final partial pre-order and the score from the two distillations' ranks."""
    n_options = available.shape[-1]
    better_d = descending[..., :, None] < descending[..., None, :]
    worse_d = descending[..., :, None] > descending[..., None, :]
    better_a = ascending[..., :, None] < ascending[..., None, :]
    worse_a = ascending[..., :, None] > ascending[..., None, :]
    pairs = available[..., :, None] & available[..., None, :]
    pairs &= ~np.eye(n_options, dtype=np.bool_)
    preferred = (better_d | better_a) & ~worse_d & ~worse_a & pairs
    indifferent = ~(better_d | worse_d | better_a | worse_a) & pairs
    incomparable = ((better_d & worse_a) | (worse_d & better_a)) & pairs
    count = available.sum(axis=-1, keepdims=True)
    spread = 2.0 * np.maximum(count - 1, 1)
    score = 1.0 - (descending + ascending - 2) / spread
    return ElectreDetails(
        concordance, credibility, descending, ascending, preferred, indifferent, incomparable,
        finish(score, problem),
    )
