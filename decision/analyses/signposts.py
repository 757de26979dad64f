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

from collections.abc import Mapping, Sequence
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
    space: PackageSpace,
    rows: FloatArray,
    now: int | IntArray,
    satisficing: float | FloatArray,
    margin: float | FloatArray,
) -> PackageState:
    """:class:`PackageState` at indicator rows ``(m, i)`` for the do-now package ``now`` (one,
    or one per row, as the satisficing threshold and the margin)."""
    best, best_value, problem = space.best(rows)
    m = rows.shape[0]
    masks, which = np.unique(np.broadcast_to(np.asarray(now, dtype=np.int64), (m,)),
                             return_inverse=True)
    picked = (np.arange(m), which.reshape(m))
    now_value = bundle_values(problem, masks.astype(np.uint32))[picked]
    feasible = bundle_feasible(problem, masks.astype(np.uint32))[picked]
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


#: One starting state: indicator values ``x0``, the do-now package, the satisficing threshold
#: and the margin.
Start = tuple[FloatArray, int, float, float]


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
    return crossings_many(
        space, [(x0, now, satisficing, margin)], cuts, grid=grid, tolerance=tolerance,
        closed_form=closed_form,
    )[0]


def crossings_many(
    space: PackageSpace,
    starts: Sequence[Start],
    cuts: Mapping[int, FloatArray],
    *,
    grid: int = GRID,
    tolerance: float = TOLERANCE,
    closed_form: bool = True,
) -> list[tuple[PackageState, list[Crossing]]]:
    """:func:`crossings` of several starting states of one package space at once (every
    state's figures as if alone: rows are independent): one scan, one bisection and one
    engine batch per step for all of them."""
    model = space.model
    n_ind = len(model.indicators)
    x0s = np.array([s[0] for s in starts], dtype=np.float64).reshape(len(starts), n_ind)
    nows = np.array([s[1] for s in starts], dtype=np.int64)
    sats = np.array([s[2] for s in starts], dtype=np.float64)
    margins = np.array([s[3] for s in starts], dtype=np.float64)
    shared: dict[int, FloatArray] = {}
    for k in np.flatnonzero(~model.is_boolean).tolist():
        bottom, top = float(model.low[k]), float(model.high[k])
        nudge = tolerance * (top - bottom) / 4
        at = cuts.get(k, np.empty(0))
        even = np.linspace(bottom, top, grid)
        if at.size:
            even = even[np.abs(even[:, None] - at[None, :]).min(axis=1) > nudge]
        extra = np.clip(np.concatenate([at - nudge, at + nudge]), bottom, top)
        shared[k] = np.unique(np.concatenate([even, extra]))
    scans: list[FloatArray] = []
    heres: list[int] = []  # where each scan starts (its point value's position)
    for x0 in x0s:
        for k in range(n_ind):
            if model.is_boolean[k]:
                scans.append(np.array([x0[k], 1.0 - x0[k]]))
                heres.append(0)
                continue
            place = int(np.searchsorted(shared[k], x0[k]))  # x0 in its place, once
            scan = shared[k]
            if place == scan.size or scan[place] != x0[k]:
                scan = np.concatenate([scan[:place], x0[k : k + 1], scan[place:]])
            scans.append(scan)
            heres.append(place)
    sizes = np.array([scan.size for scan in scans])
    job = np.repeat(np.repeat(np.arange(len(starts)), n_ind), sizes)
    which = np.repeat(np.tile(np.arange(n_ind), len(starts)), sizes)
    closed = slices(space, x0s, cuts, (nows, sats, margins)) if closed_form else None

    def states(jobs: IntArray, batch: FloatArray) -> PackageState:
        return package_state(space, batch, nows[jobs], sats[jobs], margins[jobs])

    def columns(
        jobs: IntArray, along: IntArray, points: FloatArray, start: bool = False
    ) -> tuple[IntArray, PackageState | None]:
        """Columns ``(m, 2)`` of starting state ``jobs[j]`` with indicator ``along[j]`` at
        ``points[j]`` (closed form where certain, else the engine); with ``start``, also the
        engine's state at every starting point."""
        if closed is not None:
            out, certain = closed.columns(
                jobs, along, points, nows[jobs], sats[jobs], margins[jobs]
            )
        else:
            out = np.zeros((points.size, 2), dtype=np.int64)
            certain = np.zeros(points.size, dtype=np.bool_)
        real = np.flatnonzero(~certain)
        head = len(starts) if start else 0
        if real.size == 0 and not start:
            return out, None
        rows = np.concatenate([np.arange(head), jobs[real]])
        batch = x0s[rows]
        batch[head + np.arange(real.size), along[real]] = points[real]
        found = states(rows, batch)
        out[real] = np.stack([found.column(0), found.column(1)], axis=1)[head:]
        return out, (found if start else None)

    scanned = np.concatenate(scans)
    base, begin = columns(job, which, scanned, start=True)
    assert begin is not None
    first = np.stack([begin.column(0)[: len(starts)], begin.column(1)[: len(starts)]], axis=1)
    owner, ind, col, bracket, directions = _first_changes(
        base != first[job], scanned, sizes, np.array(heres),
        np.tile(model.is_boolean, len(starts)), n_ind,
    )
    results: list[tuple[PackageState, list[Crossing]]] = [
        (_row(begin, j), []) for j in range(len(starts))
    ]
    if not owner.size:
        return results
    numeric = ~model.is_boolean[ind]
    tol = np.where(numeric, tolerance * model.span[ind], np.inf)

    def changed(events: IntArray, points: FloatArray) -> BoolArray:
        k, m = points.shape
        cols = columns(np.repeat(owner[events], m), np.repeat(ind[events], m), points.ravel())
        picked = np.take_along_axis(cols[0].reshape(k, m, 2), col[events][:, None, None], 2)
        out: BoolArray = picked[..., 0] != first[owner[events], col[events]][:, None]
        return out

    lo, hi = refine(bracket[0], bracket[1], changed, tol)
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
    after_rows = x0s[owner]
    after_rows[np.arange(ind.size), ind] = beyond
    after = states(owner, after_rows)
    held = np.stack([after.column(0), after.column(1)], axis=1)[np.arange(ind.size), col]
    for e in range(owner.size):
        if held[e] != first[owner[e], col[e]]:
            results[owner[e]][1].append(
                Crossing(int(ind[e]), directions[e], int(col[e]), float(values[e]),
                         bool(exact[e]), _row(after, e))
            )
    return results


def _first_changes(
    differs: BoolArray,
    scanned: FloatArray,
    sizes: IntArray,
    heres: IntArray,
    boolean: BoolArray,
    n_ind: int,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], FloatArray, list[Direction]]:
    """The first change of each column along each scan (scan ``n``: starting state
    ``n // n_ind``, indicator ``n % n_ind``; its values ``sizes[n]`` of ``scanned``, ascending
    from position ``heres[n]``, the point value; a flipped boolean's: the point, then the
    flip), up then down, from ``differs (points, 2)`` (whether each point's column differs
    from the start's): the scans' starting states, indicators, columns, brackets ``(2, e)``
    (the last value unchanged, the first changed) and directions, in scan order, then
    direction, then column."""
    ends = np.cumsum(sizes)
    opening = ends - sizes
    here = opening + heres  # (scans,) positions of the point values
    at = np.arange(scanned.size)
    mine = np.repeat(here, sizes)[:, None]
    # the nearest changed position on each side of the point value, per scan and column
    up = np.minimum.reduceat(np.where(differs & (at[:, None] >= mine), at[:, None], ends[-1]),
                             opening, axis=0)
    down = np.maximum.reduceat(np.where(differs & (at[:, None] <= mine), at[:, None], -1),
                               opening, axis=0)
    found = np.stack([up < ends[-1], down >= 0], axis=1)  # (scans, direction, column)
    # a boolean's flip is its one change, in the direction it goes
    found[boolean] = False
    flips = np.flatnonzero(boolean)
    found[flips, 0] = differs[opening[flips] + 1]
    up = np.where(boolean[:, None], opening[:, None] + 1, up)
    # the value before a change (the walk's previous step; the far end were it the first)
    before = np.stack([
        np.where(up > here[:, None], up - 1, ends[:, None] - 1),
        np.where(down < here[:, None], down + 1, opening[:, None]),
    ], axis=1)
    before[boolean, 0] = opening[boolean, None]
    after = np.stack([up, down], axis=1)
    n, d, c = np.nonzero(found)
    bracket: FloatArray = np.stack(
        [scanned[before[n, d, c]], scanned[after[n, d, c]]]
    )
    flip_up = scanned[opening] < 0.5
    directions: list[Direction] = [
        ("up" if flip_up[scan] else "down") if boolean[scan] else ("up" if way == 0 else "down")
        for scan, way in zip(n.tolist(), d.tolist(), strict=True)
    ]
    owner, ind = np.divmod(n, n_ind)
    return owner, ind, c, bracket, directions


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
#: Parts of a piece, each with the few bundles that can be best in it.
_PARTS = 8


@dataclass(frozen=True, eq=False)
class Slices:
    """The package state along each numeric indicator moved alone from each starting point,
    in closed form.

    Moved alone, an indicator changes each success performance linearly until it is clipped
    at 0 or 1, each success likelihood linearly until clipped, and availability only at its
    precondition thresholds; an expected performance is likelihood times performance, so
    between those breakpoints (all known in advance) every option value is a quadratic in
    the indicator. Each piece's quadratic is fitted to the engine's values at three points
    and checked at two more; a piece whose check fails, whose availability varies, or that
    is too short is left to the engine, and so is every point near a breakpoint or where two
    packages (or a verdict's two sides) are within a rounding error of each other: the state
    at every other point is the engine's, found without enumerating bundles.

    Pieces of every slice (starting point ``j``, indicator ``k``) are laid end to end: a value
    ``x`` maps to the key ``2 (j i + k) + (x - low) / span``, so one sorted search finds the
    piece of any point (and the piece's own ends confirm it).
    """

    low: FloatArray  # (i,) the indicators' ranges
    span: FloatArray  # (i,)
    pieces: NDArray[np.intp]  # (j, i, 2) first and last piece of each slice (-1: none)
    starts: FloatArray  # (p,) key of each piece's start
    lower: FloatArray  # (p,) each piece's ends, in the indicator's units
    upper: FloatArray  # (p,)
    coef: FloatArray  # (p, 3, 2**n) bundle values' coefficients in t (0: lower, 1: upper)
    feasible: BoolArray  # (p, 2**n) bundles that can be adopted
    candidates: NDArray[np.intp]  # (p parts, b) the bundles that can be best in each part
    candidate_coef: FloatArray  # (p parts, 3, b) their coefficients (pads: -inf)
    fitted: BoolArray  # (p,) whether the fit holds
    settled: BoolArray  # (p parts,) parts where one state holds throughout, for certain
    settled_state: IntArray  # (p parts, 2) that state (best package, verdict)
    near: FloatArray  # sorted keys of every breakpoint, to keep away from
    near_at: FloatArray  # the breakpoints themselves, in the same order
    near_of: NDArray[np.intp]  # and the slice (j i + k) of each
    tie: float  # the near-tie width on the package-value scale

    def columns(
        self,
        job: IntArray,
        along: IntArray,
        x: FloatArray,
        now: IntArray,
        satisficing: FloatArray,
        margin: FloatArray,
    ) -> tuple[IntArray, BoolArray]:
        """``(m, 2)`` best package and verdict of starting point ``job[r]`` with indicator
        ``along[r]`` at ``x[r]`` (do-now package, satisficing threshold and margin per row),
        and whether each is certain (else the engine must decide)."""
        out = np.zeros((x.size, 2), dtype=np.int64)
        certain = np.zeros(x.size, dtype=np.bool_)
        sel = np.flatnonzero(self.pieces[job, along, 0] >= 0)
        if sel.size == 0:
            return out, certain
        j, k, x = job[sel], along[sel], x[sel]
        now, satisficing, margin = now[sel], satisficing[sel], margin[sel]
        slice_of = j * self.low.size + k
        key = 2.0 * slice_of + (x - self.low[k]) / self.span[k]
        piece = np.searchsorted(self.starts, key, side="right") - 1
        piece = np.clip(piece, self.pieces[j, k, 0], self.pieces[j, k, 1])
        t = (x - self.lower[piece]) / (self.upper[piece] - self.lower[piece])
        part = piece * _PARTS + np.clip((t * _PARTS).astype(np.intp), 0, _PARTS - 1)
        usable = (
            (self.lower[piece] <= x) & (x <= self.upper[piece])
            & ~self._near(slice_of, key, x, k)
        )
        fast = usable & self.settled[part]  # a settled part: its state, no sums
        out[sel[fast]] = self.settled_state[part[fast]]
        certain[sel[fast]] = True
        rest = np.flatnonzero(~fast & usable)
        sel, piece, part, t = sel[rest], piece[rest], part[rest], t[rest]
        now, satisficing, margin = now[rest], satisficing[rest], margin[rest]
        bundles = self.candidates[part]  # (m, b), ascending masks; -1 pads
        c = self.candidate_coef[part]
        values = c[:, 0] + c[:, 1] * t[:, None] + c[:, 2] * (t * t)[:, None]
        pick = np.argmax(values, axis=1)  # the first of equals: the lowest mask
        rows = np.arange(t.size)
        best = bundles[rows, pick]
        best_value = values[rows, pick]
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
            & (~feasible_now | (np.abs(now_value - satisficing) > self.tie))
            & (~feasible_now | (best == now) | (np.abs(lead - margin) > self.tie))
        )
        return out, certain

    def _near(self, slice_of: IntArray, key: FloatArray, x: FloatArray, k: IntArray) -> BoolArray:
        """Whether each point is within :data:`_NEAR` of its slice's range of a breakpoint."""
        if self.near.size == 0:
            return np.zeros(x.size, dtype=np.bool_)
        at = np.searchsorted(self.near, key)
        out = np.zeros(x.size, dtype=np.bool_)
        for side in (np.clip(at - 1, 0, None), np.clip(at, None, self.near.size - 1)):
            out |= (self.near_of[side] == slice_of) & (
                np.abs(x - self.near_at[side]) <= _NEAR * self.span[k]
            )
        return out


def slices(
    space: PackageSpace,
    x0s: FloatArray,
    cuts: Mapping[int, FloatArray],
    plans: tuple[IntArray, FloatArray, FloatArray] | None = None,
) -> Slices | None:
    """:class:`Slices` of the numeric indicators through each starting point ``x0s (j, i)``
    (indicators with a piecewise-linear value function are left to the engine); None when a
    precondition has a comparison other than ``indicator OP constant`` (availability could
    then change anywhere). ``plans``: each starting point's do-now package, satisficing
    threshold and margin, to settle the parts where one state holds throughout."""
    model = space.model
    if any(
        atom.indicator is None
        for pre in model.preconditions
        for atom in pre.expression.comparisons()
    ):
        return None
    shaped = {f.indicator for f in model.value_functions}
    n_ind = len(model.indicators)
    moved = [k for k in range(n_ind) if not model.is_boolean[k] and k not in shaped]
    if not moved:
        return None
    x0s = np.atleast_2d(x0s)
    low = np.asarray(model.low, dtype=np.float64)
    span = np.asarray(model.span, dtype=np.float64)
    # success performances and likelihoods before their clips, at each x0, and their slopes
    start = np.repeat(np.asarray(model.judgement, dtype=np.float64).reshape(1, -1),
                      x0s.shape[0], axis=0)
    for k, rows, coefficients in model.effect_columns:
        start[:, rows] += coefficients * (x0s[:, k : k + 1] - model.baseline[k])
    for function in model.value_functions:
        start[:, function.column] += function.shift(x0s[:, function.indicator])
    tables = [(start, {k: (rows, c) for k, rows, c in model.effect_columns})]
    if model.likelihoods is not None:
        chance = np.repeat(np.asarray(model.likelihoods.value, dtype=np.float64)[None, :],
                           x0s.shape[0], axis=0)
        for k, rows, coefficients in model.likelihoods.effect_columns:
            chance[:, rows] += coefficients * (x0s[:, k : k + 1] - model.baseline[k])
        tables.append((chance, {k: (rows, c) for k, rows, c in model.likelihoods.effect_columns}))
    breaks: list[FloatArray] = []  # (j, b) each slice's breakpoints, maybe outside
    for k in moved:
        at = cuts.get(k, np.empty(0))
        kinks = [np.broadcast_to(at, (x0s.shape[0], at.size))]
        for level, table in tables:
            if k in table:
                rows, coefficients = table[k]
                for bound in (0.0, 1.0):
                    kinks.append(x0s[:, k : k + 1] + (bound - level[:, rows]) / coefficients)
        breaks.append(np.concatenate(kinks, axis=1))
    # every slice's distinct breakpoints within its range, ascending, and its pieces' edges
    # (the range's ends added where no breakpoint is one), laid out (j, moved, w) so that
    # the kept entries, read in order, are the slices in key order (start point, indicator)
    edges, keep, inner = _edges(
        breaks, model.low[moved].astype(np.float64), model.high[moved].astype(np.float64)
    )
    owners = (np.arange(x0s.shape[0])[:, None] * n_ind + np.array(moved)[None, :]).ravel()
    sizes = keep.sum(axis=2).ravel()  # edges per slice
    count = int(sizes.sum() - sizes.size)
    first = np.cumsum(sizes - 1) - (sizes - 1)
    pieces = np.full((x0s.shape[0], n_ind, 2), -1, dtype=np.intp)
    pieces[:, moved] = np.stack([first, first + sizes - 2], axis=1).reshape(
        x0s.shape[0], len(moved), 2
    )
    flat = edges[keep]
    ends = np.cumsum(sizes)
    last = np.zeros(flat.size, dtype=np.bool_)
    last[ends - 1] = True
    opening = np.zeros(flat.size, dtype=np.bool_)
    opening[ends - sizes] = True
    lo, hi = flat[~last], flat[~opening]
    owner = np.repeat(owners, sizes - 1)
    job, ind = np.divmod(owner, n_ind)
    nodes = np.concatenate([_FIT, _CHECK])
    at = lo[:, None] + (hi - lo)[:, None] * nodes
    batch = x0s[np.repeat(job, nodes.size)]
    batch[np.arange(at.size), np.repeat(ind, nodes.size)] = at.ravel()
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
    fitted = (misfit.max(axis=(1, 2)) <= tie / 10) & steady & (hi - lo > 1e-6 * span[ind])
    # each bundle's value as a quadratic in t, its range over the piece, and the bundles
    # that can come within a tie of the best somewhere in it
    coef = np.einsum("pin,bn->pib", coef, member.astype(np.float64))
    coef[:, 0] += interactions
    feasible = allowed[None, :] & ~blocked
    # the bundles that can come within a tie of the best somewhere in a piece, then in each
    # of its parts: few are left to weigh at each point
    order, kept = _contenders(coef, feasible, 1, tie)
    wide = _gather(coef, np.arange(count)[:, None], order, kept)
    half_order, half_kept = _contenders(wide, kept, 2, tie)  # halves first: fewer to weigh
    half = _gather(wide, np.repeat(np.arange(count), 2)[:, None], half_order, half_kept)
    part_order, part_kept = _contenders(
        half, half_kept, _PARTS // 2, tie, np.tile([0.0, 0.5], count), 0.5
    )
    owner_half = np.repeat(np.arange(2 * count), _PARTS // 2)[:, None]
    candidates = np.where(
        part_kept, order[owner_half // 2, half_order[owner_half, part_order]], -1
    )
    candidate_coef = _gather(half, owner_half, part_order, part_kept)
    settled, settled_state = _settle(
        coef, feasible, candidates, fitted, np.repeat(job, _PARTS), plans, tie
    )
    near_at = edges[inner]
    near_slice = np.repeat(owners, inner.sum(axis=2).ravel())
    near_key = 2.0 * near_slice + (near_at - low[near_slice % n_ind]) / span[near_slice % n_ind]
    sort = np.argsort(near_key, kind="stable")
    return Slices(
        low, span, pieces, 2.0 * owner + (lo - low[ind]) / span[ind], lo, hi, coef,
        feasible, candidates.astype(np.intp), candidate_coef, fitted, settled, settled_state,
        near_key[sort], near_at[sort], near_slice[sort].astype(np.intp), tie,
    )


def _edges(
    breaks: Sequence[FloatArray], bottom: FloatArray, top: FloatArray
) -> tuple[FloatArray, BoolArray, BoolArray]:
    """The pieces' edges of every slice, from each indicator's breakpoints ``(j, b)`` (one
    array per indicator, its range ``[bottom, top]``): values ``(j, k, w)``, ascending along
    ``w`` within each slice, which of them are the slice's edges (its distinct breakpoints
    within the range, with the range's ends where no breakpoint is one), and which are the
    breakpoints themselves."""
    width = max(b.shape[1] for b in breaks) + 2
    shape = (breaks[0].shape[0], len(breaks), width)
    edges = np.full(shape, np.inf)
    keep = np.zeros(shape, dtype=np.bool_)
    inner = np.zeros(shape, dtype=np.bool_)
    for k, found in enumerate(breaks):
        b = found.shape[1]
        inside = (found >= bottom[k]) & (found <= top[k])  # (NaN: never)
        ordered = np.sort(np.where(inside, found, np.inf), axis=1)
        distinct = np.isfinite(ordered)
        distinct[:, 1:] &= ordered[:, 1:] != ordered[:, :-1]
        several = distinct.any(axis=1)
        edges[:, k, 0] = bottom[k]
        edges[:, k, 1 : b + 1] = ordered
        edges[:, k, b + 1] = top[k]
        keep[:, k, 0] = ~several | (ordered[:, 0] != bottom[k]) if b else True
        keep[:, k, 1 : b + 1] = distinct
        if b:
            greatest = np.where(distinct, ordered, -np.inf).max(axis=1)
            keep[:, k, b + 1] = ~several | (greatest != top[k])
        else:
            keep[:, k, b + 1] = True
        inner[:, k, 1 : b + 1] = distinct
    return edges, keep, inner


def _contenders(
    coef: FloatArray, ok: BoolArray, parts: int, tie: float, start: FloatArray | None = None,
    width: float = 1.0,
) -> tuple[NDArray[np.intp], BoolArray]:
    """In each of ``parts`` equal parts of ``t`` in [start, start + width] (per row; [0, 1]
    by default), the bundles (``ok`` ones, values ``coef (p, 3, b)`` quadratic in t) whose
    value can come within a tie of the best there: positions ``(p parts, w)`` in their
    original order, and which of them are real (not pads)."""
    c0, c1, c2 = coef[:, 0], coef[:, 1], coef[:, 2]
    first = np.zeros((coef.shape[0], 1, 1)) if start is None else start[:, None, None]
    t = first + width * (np.arange(parts + 1) / parts)[None, :, None]
    at = c0[:, None, :] + c1[:, None, :] * t + c2[:, None, :] * (t * t)  # (p, parts + 1, b)
    top, bottom = np.maximum(at[:, :-1], at[:, 1:]), np.minimum(at[:, :-1], at[:, 1:])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        vertex = (np.where(c2 != 0, -c1 / (2 * c2), -1.0) - first[:, 0]) / width
        turn = c0 + c1 * (first[:, 0] + width * vertex) + c2 * (first[:, 0] + width * vertex) ** 2
    within = (vertex > 0) & (vertex < 1)
    part = np.clip(np.where(within, vertex * parts, 0), 0, parts - 1).astype(np.intp)
    hit = within[:, None, :] & (np.arange(parts)[None, :, None] == part[:, None, :])
    usable = ok[:, None, :]
    highest = np.where(usable, np.where(hit, np.maximum(top, turn[:, None, :]), top), -np.inf)
    lowest = np.where(hit, np.minimum(bottom, turn[:, None, :]), bottom)
    floor = np.where(usable, lowest, -np.inf).max(axis=2)
    keep = (usable & (highest >= floor[..., None] - 4 * tie)).reshape(-1, coef.shape[2])
    width = int(keep.sum(axis=1).max())
    order = np.argsort(~keep, axis=1, kind="stable")[:, :width]  # kept first, in order
    return order, np.take_along_axis(keep, order, axis=1)


def _gather(
    coef: FloatArray, rows: NDArray[np.intp], order: NDArray[np.intp], kept: BoolArray
) -> FloatArray:
    """``coef (p, 3, b)`` of the bundles ``order`` of pieces ``rows``, as ``(r, 3, w)``; pads
    worth -inf."""
    out: FloatArray = coef.transpose(0, 2, 1)[rows, order].transpose(0, 2, 1).copy()
    out[:, 0][~kept] = -np.inf
    out[:, 1:][np.broadcast_to(~kept[:, None, :], out[:, 1:].shape)] = 0.0
    return out


def _settle(
    coef: FloatArray,
    feasible: BoolArray,
    candidates: IntArray,
    fitted: BoolArray,
    job: IntArray,
    plans: tuple[IntArray, FloatArray, FloatArray] | None,
    tie: float,
) -> tuple[BoolArray, IntArray]:
    """The parts (of every piece; ``job``: each part's starting point) where one package
    alone can be best and the verdict is clear of its thresholds by twice a tie throughout:
    their state holds at every point of the part."""
    parts = candidates.shape[0]
    state = np.zeros((parts, 2), dtype=np.int64)
    if plans is None:
        return np.zeros(parts, dtype=np.bool_), state
    now, satisficing, margin = (np.asarray(a)[job] for a in plans)
    piece = np.arange(parts) // _PARTS
    a = (np.arange(parts) % _PARTS) / _PARTS
    b = a + 1.0 / _PARTS
    best = candidates[:, 0]
    single = best >= 0  # and no second contender
    if candidates.shape[1] > 1:
        single &= candidates[:, 1] < 0
    mine = coef[piece, :, now]
    low, high = _extent(mine, a, b)
    lead_low, lead_high = _extent(coef[piece, :, np.maximum(best, 0)] - mine, a, b)
    same = best == now
    can = feasible[piece, now]
    below, above = high < satisficing - 2 * tie, low > satisficing + 2 * tie
    beaten = np.where(same, margin < 0.0, lead_low > margin + 2 * tie)
    held = same | (lead_high < margin - 2 * tie)
    state[:, 0] = best
    state[:, 1] = np.select([~can, below, beaten], [1, 2, 3], default=0)
    settled: BoolArray = fitted[piece] & single & (~can | below | (above & (beaten | held)))
    return settled, state


def _extent(c: FloatArray, a: FloatArray, b: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Least and greatest of the quadratics ``c (m, 3)`` in t over [a, b]."""
    c0, c1, c2 = c[:, 0], c[:, 1], c[:, 2]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        vertex = np.where(c2 != 0, -c1 / (2 * c2), a)
    vertex = np.where((vertex > a) & (vertex < b), vertex, a)
    at = np.stack([c0 + c1 * a + c2 * a * a, c0 + c1 * b + c2 * b * b,
                   c0 + c1 * vertex + c2 * vertex * vertex])
    return at.min(axis=0), at.max(axis=0)
