"""Indicator tipping points: how far each indicator must move, on its own, to change the outcome.

Takes ``(model: CompiledModel, inputs: ScenarioInputs)`` like every analysis (see
:mod:`decision.analyses.weights`). For each indicator, from the scenario's point value, in
each direction (up, down) within the indicator's [low, high] range, it reports the nearest value
where the top option changes, and, for every option, the nearest value where the option becomes
available or unavailable; every other indicator stays at its scenario value. "None within
range" when nothing changes.

Method: a scan of :data:`GRID` evenly spaced values of each numeric indicator, plus the
thresholds of the comparisons in the preconditions (``Expression.comparisons()`` atoms such as
``x >= 0.5``) and the scenario value, all indicators scored as one batch by the engine (its
state through :class:`~decision.core.engine.OneMoved`, which recomputes, bit for bit, only
what each row's one moved indicator reaches); each change found between two neighbouring
values is then refined by vectorised bisection (all events at once, 32 points per round) to
``TOLERANCE x (high - low)`` (``TOLERANCE`` = 1e-9).
The reported value is the middle of the final bracket, or the precondition threshold itself
when one lies in the bracket (``exact``): the outcome is unchanged just before the value and
changed just beyond it (the value can be the scenario value itself when the outcome changes
as soon as the indicator moves). A change at a single value only (an exact tie at a
threshold, decided by the model-order tie rule) is not a tipping point: the scan samples each
threshold just either side of it. Boolean indicators are simply flipped. A change that happens and
reverts between two neighbouring scan values (within 1/(GRID - 1) of the range) can be missed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

import numpy as np

from decision.analyses.common import (
    GRID,
    TOLERANCE,
    IntArray,
    name_of,
    refine,
    top_of_state,
)
from decision.core.compile import BoolArray, CompiledModel, FloatArray, ScenarioInputs
from decision.core.engine import OneMoved
from decision.results import rounded

Direction = Literal["up", "down"]
Kind = Literal["top changes", "becomes available", "becomes unavailable"]
KINDS: tuple[Kind, ...] = ("top changes", "becomes available", "becomes unavailable")


def _number(value: float) -> str:
    return f"{rounded(value):g}"


@dataclass(frozen=True)
class TippingPoint:
    """One change of outcome when ``indicator`` moves from its scenario value.

    ``option`` is the new top option ("top changes") or the option whose availability changes;
    ``previous`` is the top option before the change (None when no option was available, and
    for availability events). ``exact``: the value is a precondition threshold (or a boolean
    flip), not a bisection estimate.
    """

    indicator: str
    direction: Literal["up", "down"]
    value: float
    kind: Kind
    option: str | None
    previous: str | None = None
    boolean: bool = False
    exact: bool = False

    __data_extra__: ClassVar[tuple[str, ...]] = ("sentence",)

    def sentence(self) -> str:
        """The tipping point in words."""
        if self.boolean:
            when = f"when {self.indicator} becomes {'true' if self.value >= 0.5 else 'false'}"
        else:
            verb = "rises above" if self.direction == "up" else "falls below"
            when = f"when {self.indicator} {verb} {_number(self.value)}"
        if self.kind != "top changes":
            return f"{self.option} {self.kind} {when}"
        if self.option is None:
            return f"no option is available any more {when}"
        if self.previous is None:
            return f"{self.option} becomes the top option {when}"
        return f"{self.option} replaces {self.previous} as the top option {when}"


@dataclass(frozen=True)
class IndicatorTipping:
    """Tipping points of one indicator, each direction sorted by distance from ``value``."""

    indicator: str
    value: float
    low: float
    high: float
    boolean: bool
    up: tuple[TippingPoint, ...] = field(default=())
    down: tuple[TippingPoint, ...] = field(default=())

    @property
    def points(self) -> tuple[TippingPoint, ...]:
        """Both directions' points."""
        return self.up + self.down

    def summary(self, direction: Direction) -> list[str]:
        """Sentences for one direction, or ["none within range"]."""
        points = self.up if direction == "up" else self.down
        return [p.sentence() for p in points] or ["none within range"]


@dataclass(frozen=True)
class TippingAnalysis:
    """Tipping points of every indicator in one scenario."""

    scenario: str
    method: str
    top: str | None
    grid: int
    tolerance: float  # relative to each indicator's range
    indicators: tuple[IndicatorTipping, ...]

    @property
    def points(self) -> tuple[TippingPoint, ...]:
        """Every tipping point, indicator by indicator."""
        return tuple(p for item in self.indicators for p in item.points)

    def indicator(self, name: str) -> IndicatorTipping:
        """The result for one indicator by id."""
        for item in self.indicators:
            if item.indicator == name:
                return item
        raise KeyError(name)

    def sentences(self) -> list[str]:
        """Every tipping point in words, nearest first within each indicator and direction."""
        return [p.sentence() for p in self.points]


def thresholds(model: CompiledModel) -> dict[int, FloatArray]:
    """Indicator position -> sorted thresholds of its simple precondition comparisons."""
    found: dict[int, set[float]] = {}
    positions = model.index("indicators")
    for pre in model.preconditions:
        for atom in pre.expression.comparisons():
            if atom.indicator in positions and atom.threshold is not None:
                found.setdefault(positions[atom.indicator], set()).add(float(atom.threshold))
    return {k: np.array(sorted(v), dtype=np.float64) for k, v in found.items()}


def tipping_points(
    model: CompiledModel,
    inputs: ScenarioInputs,
    *,
    grid: int = GRID,
    tolerance: float = TOLERANCE,
) -> TippingAnalysis:
    """Nearest tipping points of every indicator, both directions (see the module docstring)."""
    x0 = np.asarray(inputs.values, dtype=np.float64)
    n_ind = len(model.indicators)
    cuts = thresholds(model)
    # one batch: every indicator's scan values (numeric) or flipped value (boolean)
    scans: list[FloatArray] = []
    for k in range(n_ind):
        if model.is_boolean[k]:
            scans.append(np.array([x0[k], 1.0 - x0[k]]))
            continue
        lo, hi = model.low[k], model.high[k]
        # scan just either side of each threshold, not on it: a change at the threshold
        # value alone (an exact tie there) is not a tipping point
        nudge = tolerance * (hi - lo) / 4
        at = cuts.get(k, np.empty(0))
        extra = np.clip(np.concatenate([at - nudge, at + nudge]), lo, hi)
        even = np.linspace(lo, hi, grid)
        if at.size:
            even = even[np.abs(even[:, None] - at[None, :]).min(axis=1) > nudge]
        scans.append(np.unique(np.concatenate([even, extra, [x0[k]]])))
    which = np.concatenate([np.full(s.size, k) for k, s in enumerate(scans)])
    # every row moves one indicator from x0: the engine's state of just what that moves
    moves = OneMoved(model, x0)

    def top_and_availability(ind: IntArray, at: FloatArray) -> tuple[IntArray, BoolArray]:
        """Top option and availability of the rows of x0 with indicator ind[r] at at[r]."""
        perf, available = moves.state(ind, at)
        return top_of_state(model, inputs, perf, available), available

    # the point first, as the row that moves indicator 0 to its own value
    tops, avail = top_and_availability(
        np.concatenate([[0], which]), np.concatenate([x0[:1], *scans])
    )
    top0, avail0 = int(tops[0]), avail[0]
    tops, avail = tops[1:], avail[1:]
    # state columns: 0 = top option, 1 + o = availability of option o
    state0 = np.concatenate([[top0], avail0.astype(np.int64)])
    differs = np.empty((state0.size, tops.size), dtype=bool)  # (1 + o, rows): rows contiguous
    np.not_equal(tops, top0, out=differs[0])
    np.not_equal(avail.T, avail0[:, None], out=differs[1:])

    # events: (indicator, direction, column, lo, hi); booleans are final at once
    ev: list[tuple[int, Direction, int, float, float]] = []
    start = 0
    for k, scan in enumerate(scans):
        block = differs[:, start : start + scan.size]
        start += scan.size
        here = int(np.searchsorted(scan, x0[k]))
        if model.is_boolean[k]:
            direction: Direction = "up" if x0[k] < 0.5 else "down"
            for column in np.flatnonzero(block[:, 1]):
                ev.append((k, direction, int(column), float(x0[k]), float(scan[1])))
            continue
        walks: tuple[tuple[Direction, IntArray, BoolArray], ...] = (
            ("up", np.arange(here, scan.size), block[:, here:]),
            ("down", np.arange(here, -1, -1), block[:, here::-1]),
        )
        for direction, order, seq in walks:  # seq: the block's rows in walking order
            first = np.argmax(seq, axis=1)
            for column in np.flatnonzero(seq.any(axis=1)):
                j = int(first[column])
                before, after = float(scan[order[j - 1]]), float(scan[order[j]])
                ev.append((k, direction, int(column), before, after))

    ind = np.array([e[0] for e in ev], dtype=np.int64)
    col = np.array([e[2] for e in ev], dtype=np.int64)
    numeric = ~model.is_boolean[ind]
    lo = np.array([e[3] for e in ev], dtype=np.float64)
    hi = np.array([e[4] for e in ev], dtype=np.float64)
    span = model.high - model.low
    tol = np.where(numeric, tolerance * span[ind], np.inf)

    def changed(events: IntArray, pts: FloatArray) -> BoolArray:
        k, m = pts.shape
        t, a = top_and_availability(np.repeat(ind[events], m), pts.ravel())
        st = np.concatenate([t[:, None], a.astype(np.int64)], axis=1).reshape(k, m, -1)
        cols = col[events][:, None, None]
        result: BoolArray = np.take_along_axis(st, cols, 2)[..., 0] != state0[cols[:, :, 0]]
        return result

    lo, hi = refine(lo, hi, changed, tol)
    values = hi.copy()
    exact = ~numeric
    for n in np.flatnonzero(numeric):
        values[n] = (lo[n] + hi[n]) / 2
        inside = cuts.get(int(ind[n]), np.empty(0))
        inside = inside[(inside >= min(lo[n], hi[n])) & (inside <= max(lo[n], hi[n]))]
        if inside.size:
            values[n], exact[n] = inside[0], True
    # confirm each change just beyond its value (and read the new top there); a change that
    # does not hold there is a single-value one, which is not a tipping point
    sign = np.sign(hi - lo)
    beyond = np.where(
        numeric, np.clip(values + 2 * sign * np.where(numeric, tol, 0.0), model.low[ind],
                         model.high[ind]), hi
    )
    # (one row of x0 when there is no event, as the batch has always been)
    beyond_top, beyond_avail = (
        top_and_availability(ind, beyond) if ind.size
        else top_and_availability(np.zeros(1, dtype=np.int64), x0[:1])
    )
    beyond_state = np.concatenate([beyond_top[:, None], beyond_avail.astype(np.int64)], axis=1)
    held = beyond_state[np.arange(col.size), col] != state0[col]
    points: dict[tuple[int, str], list[tuple[float, int, TippingPoint]]] = {}
    for e, (pos, direction, c, _, _) in enumerate(ev):
        if not held[e]:
            continue
        boolean, value = bool(model.is_boolean[pos]), float(values[e])
        if c == 0:
            point = TippingPoint(
                model.indicators[pos], direction, value, "top changes",
                name_of(model, int(beyond_top[e])), name_of(model, top0), boolean,
                bool(exact[e]),
            )
        else:
            kind: Kind = "becomes unavailable" if avail0[c - 1] else "becomes available"
            point = TippingPoint(
                model.indicators[pos], direction, value, kind, model.options[c - 1], None,
                boolean, bool(exact[e]),
            )
        # nearest first; at equal distance, availability before the top change it causes
        points.setdefault((pos, direction), []).append((abs(value - x0[pos]), -c, point))
    items = []
    for k, name in enumerate(model.indicators):
        up = tuple(p for *_, p in sorted(points.get((k, "up"), []), key=lambda x: x[:2]))
        down = tuple(p for *_, p in sorted(points.get((k, "down"), []), key=lambda x: x[:2]))
        items.append(
            IndicatorTipping(
                name, float(x0[k]), float(model.low[k]), float(model.high[k]),
                bool(model.is_boolean[k]), up, down,
            )
        )
    return TippingAnalysis(
        inputs.id, inputs.method.name, name_of(model, top0), grid, tolerance, tuple(items)
    )

