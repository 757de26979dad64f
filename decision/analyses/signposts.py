"""Signposts and adaptation tipping points: how far each indicator, moved alone, must go before
the best package changes, or before the do-now package stops being acceptable.

The tipping-point scan of :mod:`decision.analyses.tipping`, with the package as the outcome:
for each indicator, from the scenario's point value, in each direction within its range, a scan
of ``GRID`` values plus the precondition thresholds (just either side of each) and the point
value, every row's best package found by the exact enumeration in one batch; the first change
along each direction is refined by vectorised bisection to ``TOLERANCE`` of the range, snapped
to a precondition threshold when one lies in the final bracket (``exact``), and confirmed just
beyond (a change at one value only is not a tipping point). Booleans are flipped.

The scan and the bisection ask for thousands of states along one indicator at a time; most are
read from :class:`Slices`, each option value in closed form between the slice's breakpoints
(a quadratic: likelihood times performance), and only the uncertain ones (near a breakpoint or
a tie) from the engine. Every state is the engine's, so the scan, the bisection and every
figure are as if the engine had evaluated them all (a test holds the two equal), at a fraction
of the cost.

Acceptable (the dynamic adaptive policy pathways' reading of an adaptation tipping point): the
do-now package can still be adopted (every member available, within the budgets), its value
reaches the satisficing threshold, and no package beats it by more than the margin.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import NDArray

from decision.analyses.common import GRID, TOLERANCE, IntArray, refine
from decision.analyses.portfolio.enumerate import (
    MaskArray,
    bundle_feasible,
    bundle_values,
    member_matrix,
)
from decision.core.compile import BoolArray, FloatArray

if TYPE_CHECKING:
    from decision.analyses.packages import PackageSpace

Direction = Literal["up", "down"]
#: Without a stated threshold, the do-now package is acceptable while it keeps this share of
#: its value in the scenario.
DEFAULT_SATISFICING_SHARE = 0.8
#: Without a stated margin, another package must be better by this much (package-value scale)
#: before the plan switches to it.
DEFAULT_MARGIN = 0.05
#: Why the do-now package is not acceptable at a state, by code (0: it is acceptable).
VERDICTS = ("acceptable", "cannot be adopted", "below the satisficing threshold",
            "beaten by more than the margin")


@dataclass(frozen=True)
class PackageState:
    """The packages at many states ``(m,)``: the best one and its value, the do-now package's
    value, and whether the do-now package is acceptable (a code into :data:`VERDICTS`)."""

    best: MaskArray
    best_value: FloatArray
    now_value: FloatArray
    verdict: IntArray

    def column(self, which: int) -> IntArray:
        """Column 0: the best package; column 1: the verdict."""
        out: IntArray = (self.best.astype(np.int64) if which == 0 else self.verdict)
        return out


def package_state(
    space: PackageSpace, rows: FloatArray, now: int, satisficing: float, margin: float
) -> PackageState:
    """:class:`PackageState` at indicator rows ``(m, i)`` for the do-now package ``now``."""
    best, best_value, problem = space.best(rows)
    now_value = bundle_values(problem, [now])[:, 0]
    feasible = bundle_feasible(problem, [now])[:, 0]
    verdict = np.select(
        [~feasible, now_value < satisficing, best_value - now_value > margin],
        [1, 2, 3],
        default=0,
    ).astype(np.int64)
    return PackageState(best, best_value, now_value, verdict)


@dataclass(frozen=True)
class Crossing:
    """The first change of one column along one indicator and direction: the last value with
    the outcome unchanged is just short of ``value``; just beyond it the state is ``after``."""

    indicator: int
    direction: Direction
    column: int
    value: float
    exact: bool
    after: PackageState  # one row: the state just beyond the value


def crossings(
    space: PackageSpace,
    x0: FloatArray,
    now: int,
    satisficing: float,
    margin: float,
    cuts: Mapping[int, FloatArray],
    *,
    grid: int = GRID,
    tolerance: float = TOLERANCE,
    closed_form: bool = True,
) -> tuple[PackageState, list[Crossing]]:
    """The state at ``x0`` and the nearest change of each column (best package; verdict of
    the do-now package) along each indicator and direction (see the module docstring);
    ``cuts``: each indicator's precondition thresholds (``decision.analyses.tipping``'s).
    ``closed_form``: take the scan's and the bisection's states from :class:`Slices` where
    they are certain (the same states; False: every one from the engine)."""
    model = space.model
    scans: list[FloatArray] = []
    for k in range(len(model.indicators)):
        if model.is_boolean[k]:
            scans.append(np.array([x0[k], 1.0 - x0[k]]))
            continue
        bottom, top = float(model.low[k]), float(model.high[k])
        nudge = tolerance * (top - bottom) / 4
        at = cuts.get(k, np.empty(0))
        even = np.linspace(bottom, top, grid)
        if at.size:
            even = even[np.abs(even[:, None] - at[None, :]).min(axis=1) > nudge]
        extra = np.clip(np.concatenate([at - nudge, at + nudge]), bottom, top)
        scans.append(np.unique(np.concatenate([even, extra, [x0[k]]])))
    which = np.concatenate([np.full(s.size, k) for k, s in enumerate(scans)])
    closed = slices(space, x0, cuts) if closed_form else None

    def states(batch: FloatArray) -> PackageState:
        return package_state(space, batch, now, satisficing, margin)

    def columns(
        along: IntArray, points: FloatArray, start: bool = False
    ) -> tuple[IntArray, PackageState | None]:
        """Columns ``(m, 2)`` with indicator ``along[j]`` at ``points[j]`` (closed form where
        certain, else the engine); with ``start``, also the engine's state at ``x0``."""
        out = np.zeros((points.size, 2), dtype=np.int64)
        certain = np.zeros(points.size, dtype=np.bool_)
        if closed is not None:
            out, certain = closed.columns(along, points, now, satisficing, margin)
        real = np.flatnonzero(~certain)
        if real.size == 0 and not start:
            return out, None
        batch = np.repeat(x0[None, :], real.size + start, axis=0)
        batch[start + np.arange(real.size), along[real]] = points[real]
        found = states(batch)
        out[real] = np.stack([found.column(0), found.column(1)], axis=1)[int(start) :]
        return out, (_row(found, 0) if start else None)

    base, begin = columns(which, np.concatenate(scans), start=True)
    assert begin is not None
    start_state = begin
    first = np.array([start_state.column(0)[0], start_state.column(1)[0]])
    differs = base != first
    ev: list[tuple[int, Direction, int, float, float]] = []
    offset = 0
    for k, scan in enumerate(scans):
        block = differs[offset : offset + scan.size]
        offset += scan.size
        if model.is_boolean[k]:
            direction: Direction = "up" if x0[k] < 0.5 else "down"
            for column in np.flatnonzero(block[1]).tolist():
                ev.append((k, direction, column, float(x0[k]), float(scan[1])))
            continue
        here = int(np.searchsorted(scan, x0[k]))
        walks: tuple[tuple[Direction, IntArray], ...] = (
            ("up", np.arange(here, scan.size)),
            ("down", np.arange(here, -1, -1)),
        )
        for direction, order in walks:
            seq = block[order]
            for column in np.flatnonzero(seq.any(axis=0)).tolist():
                j = int(np.argmax(seq[:, column]))
                ev.append((k, direction, column, float(scan[order[j - 1]]),
                           float(scan[order[j]])))
    if not ev:
        return start_state, []
    ind = np.array([e[0] for e in ev], dtype=np.intp)
    col = np.array([e[2] for e in ev], dtype=np.intp)
    numeric = ~model.is_boolean[ind]
    tol = np.where(numeric, tolerance * model.span[ind], np.inf)

    def changed(events: IntArray, points: FloatArray) -> BoolArray:
        k, m = points.shape
        cols = columns(np.repeat(ind[events], m), points.ravel())[0].reshape(k, m, 2)
        picked = np.take_along_axis(cols, col[events][:, None, None], 2)[..., 0]
        out: BoolArray = picked != first[col[events]][:, None]
        return out

    lo, hi = refine(
        np.array([e[3] for e in ev]), np.array([e[4] for e in ev]), changed, tol
    )
    values: FloatArray = np.where(numeric, (lo + hi) / 2, hi)
    exact = ~numeric
    for e in np.flatnonzero(numeric).tolist():
        inside = cuts.get(int(ind[e]), np.empty(0))
        inside = inside[(inside >= min(lo[e], hi[e])) & (inside <= max(lo[e], hi[e]))]
        if inside.size:
            values[e], exact[e] = float(inside[0]), True
    sign = np.sign(hi - lo)
    beyond = np.where(
        numeric,
        np.clip(values + 2 * sign * np.where(numeric, tol, 0.0), model.low[ind], model.high[ind]),
        hi,
    )
    after_rows = np.repeat(x0[None, :], ind.size, axis=0)
    after_rows[np.arange(ind.size), ind] = beyond
    after = states(after_rows)
    held = np.stack([after.column(0), after.column(1)], axis=1)[np.arange(ind.size), col]
    out = [
        Crossing(int(ind[e]), ev[e][1], int(col[e]), float(values[e]), bool(exact[e]),
                 _row(after, e))
        for e in range(len(ev))
        if held[e] != first[col[e]]
    ]
    return start_state, out


def _row(state: PackageState, r: int) -> PackageState:
    return PackageState(
        state.best[r : r + 1], state.best_value[r : r + 1], state.now_value[r : r + 1],
        state.verdict[r : r + 1],
    )


# ----------------------------------------------------------------------------------- slices

#: Where each piece of a slice is fitted (``t`` in [0, 1] across the piece) and checked.
_FIT = np.array([0.15, 0.5, 0.85])
_CHECK = np.array([0.32, 0.68])
#: Package values closer than this (times the value scale) are a near tie: decided by the
#: engine, not the fit (the fit's own error is about 1e-14 of the scale).
_TIE = 1e-12
#: Points closer than this (share of the range) to a breakpoint are decided by the engine.
_NEAR = 1e-11


@dataclass(frozen=True, eq=False)
class Slices:
    """The package state along each numeric indicator moved alone from ``x0``, in closed form.

    Moved alone, an indicator changes each success performance linearly until it is clipped
    at 0 or 1, each success likelihood linearly until clipped, and availability only at its
    precondition thresholds; an expected performance is likelihood times performance, so
    between those breakpoints (all known in advance) every option value is a quadratic in
    the indicator. Each piece's quadratic is fitted to the engine's values at three points
    and checked at two more; a piece whose check fails, whose availability varies, or that
    is too short is left to the engine, and so is every point near a breakpoint or where two
    packages (or a verdict's two sides) are within a rounding error of each other: the state
    at every other point is the engine's, found without enumerating bundles.

    Pieces of every indicator are laid end to end: an indicator's values map to keys
    ``2 k + (x - low) / span``, so one sorted search finds the piece of any point.
    """

    low: FloatArray  # (i,) the indicators' ranges
    span: FloatArray  # (i,)
    pieces: NDArray[np.intp]  # (i, 2) first and last piece of each indicator (-1: none)
    starts: FloatArray  # (p,) key of each piece's start
    lower: FloatArray  # (p,) each piece's ends, in the indicator's units
    upper: FloatArray  # (p,)
    coef: FloatArray  # (p, 3, 2**n) bundle values' coefficients in t (0: lower, 1: upper)
    feasible: BoolArray  # (p, 2**n) bundles that can be adopted
    candidates: NDArray[np.intp]  # (p, b) the bundles that can be best in each piece
    candidate_coef: FloatArray  # (p, 3, b) their coefficients (pads: -inf)
    fitted: BoolArray  # (p,) whether the fit holds
    near: FloatArray  # sorted keys of every breakpoint, to keep away from
    tie: float  # the near-tie width on the package-value scale

    def columns(
        self, along: IntArray, x: FloatArray, now: int, satisficing: float, margin: float
    ) -> tuple[IntArray, BoolArray]:
        """``(m, 2)`` best package and verdict with indicator ``along[j]`` at ``x[j]``, and
        whether each is certain (else the engine must decide)."""
        out = np.zeros((x.size, 2), dtype=np.int64)
        certain = np.zeros(x.size, dtype=np.bool_)
        sel = np.flatnonzero(self.pieces[along, 0] >= 0)
        if sel.size == 0:
            return out, certain
        k, x = along[sel], x[sel]
        key = 2.0 * k + (x - self.low[k]) / self.span[k]
        piece = np.searchsorted(self.starts, key, side="right") - 1
        piece = np.clip(piece, self.pieces[k, 0], self.pieces[k, 1])
        t = (x - self.lower[piece]) / (self.upper[piece] - self.lower[piece])
        bundles = self.candidates[piece]  # (m, b), ascending masks; -1 pads
        c = self.candidate_coef[piece]
        values = c[:, 0] + c[:, 1] * t[:, None] + c[:, 2] * (t * t)[:, None]
        pick = np.argmax(values, axis=1)  # the first of equals: the lowest mask
        best = bundles[np.arange(x.size), pick]
        best_value = values[np.arange(x.size), pick]
        own = self.coef[piece, :, now]
        now_value = own[:, 0] + own[:, 1] * t + own[:, 2] * t * t
        feasible_now = self.feasible[piece, now]
        # the engine adds a bundle's value in one order wherever it is asked: when the best
        # package is the do-now one, their difference is exactly 0
        lead = np.where(best == now, 0.0, best_value - now_value)
        verdict = np.select(
            [~feasible_now, now_value < satisficing, lead > margin], [1, 2, 3], default=0
        )
        ties = (values >= (best_value - self.tie)[:, None]).sum(axis=1) > 1
        out[sel, 0], out[sel, 1] = best, verdict
        certain[sel] = (
            self.fitted[piece]
            & ~ties
            & (_distance(self.near, key) > _NEAR)
            & (~feasible_now | (np.abs(now_value - satisficing) > self.tie))
            & (~feasible_now | (best == now) | (np.abs(lead - margin) > self.tie))
        )
        return out, certain


def slices(space: PackageSpace, x0: FloatArray, cuts: Mapping[int, FloatArray]) -> Slices | None:
    """:class:`Slices` of the numeric indicators through ``x0`` (indicators with a
    piecewise-linear value function are left to the engine); None when a precondition has a
    comparison other than ``indicator OP constant`` (availability could then change anywhere)."""
    model = space.model
    if any(
        atom.indicator is None
        for pre in model.preconditions
        for atom in pre.expression.comparisons()
    ):
        return None
    shaped = {f.indicator for f in model.value_functions}
    moved = [
        k for k in range(len(model.indicators)) if not model.is_boolean[k] and k not in shaped
    ]
    if not moved:
        return None
    low = np.asarray(model.low, dtype=np.float64)
    span = np.asarray(model.span, dtype=np.float64)
    # success performances and likelihoods before their clips, at x0, and their slopes
    start = np.asarray(model.judgement, dtype=np.float64).reshape(-1).copy()
    for k, rows, coefficients in model.effect_columns:
        start[rows] += coefficients * (x0[k] - model.baseline[k])
    for function in model.value_functions:
        start[function.column] += function.shift(x0[function.indicator : function.indicator + 1])[0]
    tables = [(start, {k: (rows, c) for k, rows, c in model.effect_columns})]
    if model.likelihoods is not None:
        chance = np.asarray(model.likelihoods.value, dtype=np.float64).copy()
        for k, rows, coefficients in model.likelihoods.effect_columns:
            chance[rows] += coefficients * (x0[k] - model.baseline[k])
        tables.append((chance, {k: (rows, c) for k, rows, c in model.likelihoods.effect_columns}))
    pieces = np.full((len(model.indicators), 2), -1, dtype=np.intp)
    lower: list[FloatArray] = []
    upper: list[FloatArray] = []
    near: list[FloatArray] = []
    count = 0
    for k in moved:
        bottom, top = float(model.low[k]), float(model.high[k])
        points = [cuts.get(k, np.empty(0))]
        for level, table in tables:
            if k in table:
                rows, coefficients = table[k]
                for bound in (0.0, 1.0):
                    points.append(x0[k] + (bound - level[rows]) / coefficients)
        every = np.unique(np.concatenate(points))
        every = every[(every >= bottom) & (every <= top)]
        near.append(2.0 * k + (every - bottom) / span[k])
        edges = np.unique(np.concatenate([[bottom], every, [top]]))
        lower.append(edges[:-1])
        upper.append(edges[1:])
        pieces[k] = count, count + edges.size - 2
        count += edges.size - 1
    lo, hi = np.concatenate(lower), np.concatenate(upper)
    owner = np.concatenate([np.full(a.size, k) for k, a in zip(moved, lower, strict=True)])
    nodes = np.concatenate([_FIT, _CHECK])
    at = lo[:, None] + (hi - lo)[:, None] * nodes
    batch = np.repeat(x0[None, :], at.size, axis=0)
    batch[np.arange(at.size), np.repeat(owner, nodes.size)] = at.ravel()
    fit = space.at(batch)
    n = len(space.options)
    values = fit.values.reshape(count, nodes.size, n)
    available = fit.available.reshape(count, nodes.size, n)
    masks = np.arange(2**n, dtype=np.uint32)
    member = member_matrix(masks, n)
    point = space.point
    allowed = bundle_feasible(
        replace(point, available=np.ones_like(point.available)), masks
    )[0]  # every rule but availability
    blocked = (member[None, :, :] & ~available[:, 0, None, :]).any(axis=2)
    interactions = np.zeros(masks.size)
    for it in point.interactions:
        interactions += np.where(member[:, list(it.members)].all(axis=1), it.value[0], 0.0)
    coef = np.einsum("ij,pjn->pin", np.linalg.inv(_FIT[:, None] ** np.arange(3)),
                     values[:, : _FIT.size])
    misfit = np.abs(np.einsum("ci,pin->pcn", _CHECK[:, None] ** np.arange(3), coef)
                    - values[:, _FIT.size :])
    tie = _TIE * max(1.0, float(np.abs(values).sum(axis=2).max()))
    steady = (available == available[:, :1]).all(axis=(1, 2))
    fitted = (misfit.max(axis=(1, 2)) <= tie / 10) & steady & (hi - lo > 1e-6 * span[owner])
    # each bundle's value as a quadratic in t, its range over the piece, and the bundles
    # that can come within a tie of the best somewhere in it
    coef = np.einsum("pin,bn->pib", coef, member.astype(np.float64))
    coef[:, 0] += interactions
    feasible = allowed[None, :] & ~blocked
    c0, c1, c2 = coef[:, 0], coef[:, 1], coef[:, 2]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        vertex = np.where(c2 != 0, -c1 / (2 * c2), -1.0)
    inside = (vertex > 0) & (vertex < 1)
    turn = c0 + c1 * np.where(inside, vertex, 0.0) + c2 * np.where(inside, vertex, 0.0) ** 2
    ends = np.stack([c0, c0 + c1 + c2, np.where(inside, turn, c0)])
    highest = np.where(feasible, ends.max(axis=0), -np.inf)
    floor = np.where(feasible, ends.min(axis=0), -np.inf).max(axis=1)
    keep = feasible & (highest >= floor[:, None] - 4 * tie)
    width = int(keep.sum(axis=1).max())
    order = np.argsort(~keep, axis=1, kind="stable")[:, :width]  # kept first, masks ascending
    kept = np.take_along_axis(keep, order, axis=1)
    candidate_coef = np.take_along_axis(coef, order[:, None, :], axis=2)
    candidate_coef[:, 0][~kept] = -np.inf
    candidate_coef[:, 1:][np.broadcast_to(~kept[:, None, :], candidate_coef[:, 1:].shape)] = 0.0
    return Slices(
        low, span, pieces, 2.0 * owner + (lo - low[owner]) / span[owner], lo, hi, coef,
        feasible, np.where(kept, order, -1).astype(np.intp), candidate_coef, fitted,
        np.sort(np.concatenate(near)), tie,
    )


def _distance(points: FloatArray, x: FloatArray) -> FloatArray:
    """Distance from each ``x`` to the nearest of the sorted ``points`` (inf: none)."""
    if points.size == 0:
        return np.full(x.shape, np.inf)
    at = np.searchsorted(points, x)
    left = points[np.clip(at - 1, 0, points.size - 1)]
    right = points[np.clip(at, 0, points.size - 1)]
    out: FloatArray = np.minimum(np.abs(x - left), np.abs(right - x))
    return out
