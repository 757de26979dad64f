"""Signposts and adaptation tipping points: how far each indicator, moved alone, must go before
the best package changes, or before the do-now package stops being acceptable.

The tipping-point scan of :mod:`decision.analyses.tipping`, with the package as the outcome:
for each indicator, from the scenario's point value, in each direction within its range, a scan
of ``GRID`` values plus the precondition thresholds (just either side of each) and the point
value, every row's best package found by the exact enumeration in one batch; the first change
along each direction is refined by vectorised bisection to ``TOLERANCE`` of the range, snapped
to a precondition threshold when one lies in the final bracket (``exact``), and confirmed just
beyond (a change at one value only is not a tipping point). Booleans are flipped.

Acceptable (the dynamic adaptive policy pathways' reading of an adaptation tipping point): the
do-now package can still be adopted (every member available, within the budgets), its value
reaches the satisficing threshold, and no package beats it by more than the margin.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from decision.analyses.common import GRID, TOLERANCE, IntArray, refine
from decision.analyses.portfolio.enumerate import MaskArray, bundle_feasible, bundle_values
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
) -> tuple[PackageState, list[Crossing]]:
    """The state at ``x0`` and the nearest change of each column (best package; verdict of
    the do-now package) along each indicator and direction (see the module docstring);
    ``cuts``: each indicator's precondition thresholds (``decision.analyses.tipping``'s)."""
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
    rows = np.repeat(x0[None, :], which.size + 1, axis=0)
    rows[1 + np.arange(which.size), which] = np.concatenate(scans)

    def states(batch: FloatArray) -> PackageState:
        return package_state(space, batch, now, satisficing, margin)

    found = states(rows)
    start_state = _row(found, 0)
    base = np.stack([found.column(0)[1:], found.column(1)[1:]], axis=1)
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
        batch = np.repeat(x0[None, :], k * m, axis=0)
        batch[np.arange(k * m), np.repeat(ind[events], m)] = points.ravel()
        st = states(batch)
        cols = np.stack([st.column(0), st.column(1)], axis=1).reshape(k, m, 2)
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
