"""What it takes to open a gated option: the joint move of every failing condition.

Tipping points (:mod:`decision.analyses.tipping`) move one indicator at a time, so an option
gated on two conditions (``political_prisoners_released and press_freedom_rank <= 120``) never
opens in them. Here, for each option unavailable at the scenario's point values, every failing
``indicator OP constant`` atom is moved just far enough at once (booleans flipped, numbers set
to the threshold, or one ``TOLERANCE`` of the range beyond it for a strict comparison); the
option is re-evaluated there, and then, along each moved numeric indicator, further in the same
direction to the end of its range, the nearest value at which the option comes first is found
by a scan of ``GRID`` points refined by bisection to ``TOLERANCE`` of the range.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from decision.analyses.common import (
    GRID,
    TOLERANCE,
    IntArray,
    refine,
    top_and_availability,
    top_of_state,
)
from decision.core.compile import BoolArray, CompiledModel, FloatArray, ScenarioInputs
from decision.core.engine import OneMoved, availability, precondition_results
from decision.results import SKIP, key, rounded


@dataclass(frozen=True)
class Move:
    """One indicator moved to meet a failing condition."""

    indicator: str
    value_from: float = field(metadata=key("from"))
    value_to: float = field(metadata=key("to"))
    boolean: bool = field(metadata=SKIP)
    #: The condition is strict (``<`` or ``>``): ``value_to`` is just past ``threshold``.
    threshold: float | None = field(default=None, metadata=SKIP)

    def phrase(self) -> str:
        if self.boolean:
            return f"{self.indicator} becomes {'true' if self.value_to else 'false'}"
        up = self.value_to > self.value_from
        start = rounded(self.value_from)
        if self.threshold is not None:
            where = "above" if up else "below"
            return f"{self.indicator} {'rises' if up else 'falls'} {where} " \
                f"{rounded(self.threshold):g} (from {start:g})"
        verb = "rises" if up else "falls"
        return f"{self.indicator} {verb} to {rounded(self.value_to):g} (from {start:g})"


@dataclass(frozen=True)
class FirstPlace:
    """Where, along one moved indicator, the opened option comes first (None: not in range)."""

    indicator: str
    value: float | None


@dataclass(frozen=True)
class Opening:
    """What it takes to make one unavailable option available, and then first."""

    option: str
    moves: tuple[Move, ...]
    unmovable: tuple[str, ...]  # failing conditions that are not `indicator OP constant`
    opens: bool
    first_at_once: bool
    first_along: tuple[FirstPlace, ...]

    __data_extra__: ClassVar[tuple[str, ...]] = ("sentence",)

    def sentence(self) -> str:
        if not self.moves and self.unmovable:
            return f"{self.option} needs {' and '.join(self.unmovable)}"
        needs = " and ".join(m.phrase() for m in self.moves)
        if not self.opens:
            return f"{self.option} stays unavailable even when {needs}"
        text = f"{self.option} becomes available when {needs}"
        if self.first_at_once:
            return text + "; it then comes first"
        found = [f for f in self.first_along if f.value is not None]
        if found:
            ways = " or ".join(
                f"{f.indicator} reaches {rounded(f.value):g}" for f in found if f.value is not None
            )
            return text + f"; it comes first once {ways}"
        return text + "; moving those indicators further within range does not put it first"


def _target(model: CompiledModel, k: int, value: float, op: str, threshold: float) -> float:
    """The nearest value of indicator ``k`` within its range that satisfies ``x OP
    threshold``, or the range's end nearest to it when none does (the condition then still
    fails, and the option cannot be opened within the ranges)."""
    low, high = float(model.low[k]), float(model.high[k])
    nudge = TOLERANCE * (high - low)
    if op in (">=", "==", "<="):
        target = threshold
    elif op == ">":
        target = threshold + nudge
    elif op == "<":
        target = threshold - nudge
    else:
        return value  # "!=" fails only at equality: any move works; leave it to the caller
    return min(max(target, low), high)


@dataclass(frozen=True, eq=False)
class JointMove:
    """The joint move that meets every failing condition of one unavailable option: the
    indicator values once moved (``target``), the moves, and the conditions it cannot meet."""

    option: int  # index among the model's options
    target: FloatArray  # (i,)
    moves: tuple[Move, ...]
    unmovable: tuple[str, ...]  # failing conditions that are not `indicator OP constant`


def joint_moves(
    model: CompiledModel, values: FloatArray, options: Iterable[int] | None = None
) -> list[JointMove]:
    """The joint move of every option unavailable at indicator ``values (i,)`` (of
    ``options`` only, when given; in model order): the first step of :func:`openings`,
    for callers that only need the state where the option opens (the adaptive plan)."""
    x0 = np.asarray(values, dtype=np.float64)
    index = model.index("indicators")
    if options is None:
        holds = precondition_results(model, x0[None, :])[0]
        chosen = np.flatnonzero(~availability(model, holds[None, :])[0])
    else:  # only the given options' preconditions: an option fails if any of them fails
        wanted = set(np.fromiter(options, dtype=np.intp).tolist())
        holds = np.ones(len(model.preconditions), dtype=np.bool_)
        for p, pre in enumerate(model.preconditions):
            if pre.option in wanted:
                holds[p] = _holds_with(model, p, x0)
        failed = {pre.option for p, pre in enumerate(model.preconditions) if not holds[p]}
        chosen = np.array(sorted(failed), dtype=np.intp)
    result = []
    for o in chosen.tolist():
        target = x0.copy()
        strict: dict[int, float] = {}  # indicator -> threshold it must pass (``<``, ``>``)
        unmovable: list[str] = []
        for p, pre in enumerate(model.preconditions):
            if pre.option != o or holds[p]:
                continue
            for atom in pre.expression.comparisons():
                if atom.indicator is None or atom.threshold is None:
                    continue
                i = index[atom.indicator]
                if not _satisfied(float(target[i]), atom.op, atom.threshold):
                    target[i] = _target(model, i, float(target[i]), atom.op, atom.threshold)
                    if atom.op in ("<", ">"):
                        strict[i] = atom.threshold
            for name in sorted(pre.expression.names):
                b = index[name]
                if model.is_boolean[b] and not _holds_with(model, p, target):
                    flipped = target.copy()
                    flipped[b] = 1.0 - flipped[b]
                    if _holds_with(model, p, flipped):
                        target = flipped
            if not _holds_with(model, p, target):
                unmovable.append(pre.expression.to_text())
        moves = tuple(
            Move(
                model.indicators[k],
                float(x0[k]),
                float(target[k]),
                bool(model.is_boolean[k]),
                strict.get(k),
            )
            for k in np.flatnonzero(target != x0).tolist()
        )
        result.append(JointMove(o, target, moves, tuple(unmovable)))
    return result


def openings(model: CompiledModel, inputs: ScenarioInputs) -> list[Opening]:
    """For every option unavailable at the point values: the joint move that opens it."""
    x0 = np.asarray(inputs.values, dtype=np.float64)
    index = model.index("indicators")
    result = []
    for joint in joint_moves(model, x0):
        o, target = joint.option, joint.target
        top, now_available = top_and_availability(model, inputs, target[None, :])
        opens = bool(now_available[0, o])
        first_at_once = opens and int(top[0]) == o
        along: list[FirstPlace] = []
        if opens and not first_at_once:
            along = [
                _first_along(model, inputs, target, index[m.indicator], o, x0)
                for m in joint.moves
                if not m.boolean
            ]
        result.append(
            Opening(
                option=model.options[o],
                moves=joint.moves,
                unmovable=joint.unmovable,
                opens=opens,
                first_at_once=first_at_once,
                first_along=tuple(along),
            )
        )
    return result


def _satisfied(value: float, op: str, threshold: float) -> bool:
    return {
        ">=": value >= threshold,
        ">": value > threshold,
        "<=": value <= threshold,
        "<": value < threshold,
        "==": value == threshold,
        "!=": value != threshold,
    }[op]


def _holds_with(model: CompiledModel, p: int, values: FloatArray) -> bool:
    columns = {name: values[k : k + 1] for k, name in enumerate(model.indicators)}
    return bool(model.preconditions[p].expression.evaluate(columns)[0])


def _first_along(
    model: CompiledModel,
    inputs: ScenarioInputs,
    start: FloatArray,
    k: int,
    option: int,
    x0: FloatArray,
) -> FirstPlace:
    """Scan indicator ``k`` from ``start`` onward (away from ``x0``) for ``option`` first."""
    end = float(model.high[k] if start[k] > x0[k] else model.low[k])
    grid = np.linspace(float(start[k]), end, GRID)
    # every row moves indicator k alone from start: the engine's state of what that moves
    moves = OneMoved(model, start)

    def top_along(points: FloatArray) -> tuple[IntArray, BoolArray]:
        """Top option and availability with indicator k at each of ``points``."""
        perf, available = moves.state(np.full(points.size, k), points)
        return top_of_state(model, inputs, perf, available), available

    top, available = top_along(grid)
    first = (top == option) & available[:, option]
    if not first.any():
        return FirstPlace(model.indicators[k], None)
    j = int(np.argmax(first))
    if j == 0:
        return FirstPlace(model.indicators[k], float(grid[0]))

    def changed(events: IntArray, points: FloatArray) -> BoolArray:
        t, a = top_along(points.ravel())
        hit: BoolArray = ((t == option) & a[:, option]).reshape(points.shape)
        return hit

    _, hi = refine(
        np.array([grid[j - 1]]),
        np.array([grid[j]]),
        changed,
        TOLERANCE * float(model.high[k] - model.low[k]),
    )
    return FirstPlace(model.indicators[k], float(hi[0]))
