"""Signposts' closed-form slices: every state they decide is the engine's, so the scan, the
bisection and the crossings are those of an engine-only run.

Random models get success likelihoods with indicator effects (option values quadratic in an
indicator), clips at both ends of the value scale and of the likelihoods, precondition
thresholds, a budget, and sometimes a piecewise-linear value function (left to the engine).
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from decision.analyses.packages import PackageSpace, package_space
from decision.analyses.signposts import _edges, crossings, crossings_many, package_state, slices
from decision.analyses.tipping import thresholds
from decision.core.compile import Likelihoods, Precondition, ValueFunction
from decision.core.expressions import parse_expression
from tests.conftest import ROOT
from tests.generated import with_costs
from tests.strategies import compile_dict, model_dicts, point_inputs

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
#: Shipped scenarios checked against the engine-only run: a deterministic one, one of
#: another state, a sampled one (all ten are in ``benchmarks/bench_plan.py``'s run).
SCENARIOS = [ROOT / "scenarios" / f"{name}.yaml"
             for name in ("baseline", "union-state-integration", "western-tilt")]


@st.composite
def random_states(draw: st.DrawFn) -> tuple[PackageSpace, np.ndarray, int, float, float]:
    """A random model with likelihoods (and maybe a value function), a point, a do-now
    package, a satisficing threshold and a margin."""
    data = draw(model_dicts(min_options=2, max_options=5))
    costs = draw(st.lists(st.integers(0, 3), min_size=1, max_size=5))
    model = compile_dict(with_costs(data, costs))
    n_ind, n_opt = len(model.indicators), len(model.options)
    n_crit = len(model.criteria)
    unit = st.floats(0, 1)
    # steep effects, so performances and likelihoods hit their clips inside the range
    effects = np.array(
        [[draw(st.sampled_from([0.0, -0.3, -0.05, 0.08, 0.4])) for _ in range(n_opt)]
         for _ in range(n_ind)]
    )
    chance = Likelihoods(
        options=np.arange(n_opt),
        value=np.array([draw(unit) for _ in range(n_opt)]),
        low=np.zeros(n_opt),
        high=np.ones(n_opt),
        failure=np.array([[draw(unit) for _ in range(n_crit)] for _ in range(n_opt)]),
        effects=effects,
    )
    model = replace(model, likelihoods=chance, effects=model.effects * 3)
    numeric = np.flatnonzero(~model.is_boolean).tolist()
    assume(numeric)  # slices are of numeric indicators
    if draw(st.integers(0, 2)) == 0:
        k = draw(st.sampled_from(numeric))
        x = np.array([0.0, draw(st.floats(1, 9)), 10.0])
        dv = np.array([0.0, draw(st.floats(-0.6, 0.6)), draw(st.floats(-0.6, 0.6))])
        column = draw(st.integers(0, n_opt * n_crit - 1))
        shaped = ValueFunction(k, column, x, dv, float(np.interp(model.baseline[k], x, dv)))
        model = replace(model, value_functions=(shaped,))
    raw = model.low + model.span * np.array([draw(unit) for _ in range(n_ind)])
    x0 = np.where(model.is_boolean, np.round(raw), raw)
    budget = float(draw(st.integers(0, 6)))
    space = package_space(model, replace(point_inputs(model, x0), budgets={"money": budget}))
    now = draw(st.integers(0, 2 ** len(space.options) - 1))
    satisficing = draw(st.floats(-0.5, 1.5))
    margin = draw(st.sampled_from([0.0, 0.05, draw(st.floats(0, 0.5))]))
    return space, x0, now, satisficing, margin


def _engine_columns(
    space: PackageSpace, x0: np.ndarray, along: np.ndarray, x: np.ndarray,
    now: int, satisficing: float, margin: float,
) -> np.ndarray:
    rows = np.repeat(x0[None, :], x.size, axis=0)
    rows[np.arange(x.size), along] = x
    found = package_state(space, rows, now, satisficing, margin)
    return np.stack([found.column(0), found.column(1)], axis=1)


@settings(max_examples=EXAMPLES, deadline=None)
@given(random_states(), st.lists(st.floats(0, 1), min_size=8, max_size=8))
def test_closed_form_states_are_the_engines(
    state: tuple[PackageSpace, np.ndarray, int, float, float], spots: list[float]
) -> None:
    """Wherever a slice calls its state certain, the engine finds the same best package and
    verdict: on a grid, at random points, and at and around every breakpoint."""
    space, x0, now, satisficing, margin = state
    model = space.model
    plans = (np.array([now]), np.array([satisficing]), np.array([margin]))
    closed = slices(space, x0, thresholds(model), plans)
    if closed is None:
        return
    along_parts, x_parts = [], []
    for k in np.flatnonzero(~model.is_boolean).tolist():
        at = closed.near_at[closed.near_of == k]
        x = np.concatenate([
            np.linspace(model.low[k], model.high[k], 101),
            model.low[k] + model.span[k] * np.array(spots),
            at, at + 1e-7, at - 1e-7, at + 1e-12, at - 1e-12,
        ])
        x = np.clip(x, model.low[k], model.high[k])
        along_parts.append(np.full(x.size, k))
        x_parts.append(x)
    if not x_parts:
        return
    along, x = np.concatenate(along_parts), np.concatenate(x_parts)
    job = np.zeros(x.size, dtype=np.int64)
    got, certain = closed.columns(
        job, along, x, np.full(x.size, now), np.full(x.size, satisficing),
        np.full(x.size, margin),
    )
    engine = _engine_columns(space, x0, along, x, now, satisficing, margin)
    assert (got[certain] == engine[certain]).all()


@settings(max_examples=EXAMPLES, deadline=None)
@given(random_states())
def test_crossings_agree_with_engine_only_bisection(
    state: tuple[PackageSpace, np.ndarray, int, float, float],
) -> None:
    """The closed-form scan and bisection find the very crossings (same value to the last
    bit, same exactness, same state beyond) as the engine-only run."""
    space, x0, now, satisficing, margin = state
    cuts = thresholds(space.model)
    fast = crossings(space, x0, now, satisficing, margin, cuts, grid=201)
    slow = crossings(space, x0, now, satisficing, margin, cuts, grid=201, closed_form=False)
    assert repr(fast) == repr(slow)


@pytest.fixture(scope="module")
def shipped() -> list[tuple[PackageSpace, np.ndarray]]:
    from decision.core.compile import compile_model, compile_scenario
    from decision.load.loading import load_scenario

    out = []
    loaded, model = None, None
    for path in SCENARIOS:
        scenario, loaded = load_scenario(path, loaded)
        model = model or compile_model(loaded)
        inputs = compile_scenario(model, scenario)
        out.append((package_space(model, inputs), np.asarray(inputs.values)))
    return out


def test_shipped_crossings_agree_and_the_engine_is_seldom_asked(
    shipped: list[tuple[PackageSpace, np.ndarray]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped scenarios' crossings, searched together, are each one's engine-only run;
    and the slices decide nearly every state: the engine sees a few dozen rows a state, not
    thousands."""
    import decision.analyses.signposts as signposts

    rows: list[int] = []

    def counting(space: PackageSpace, batch: np.ndarray, *args: Any) -> Any:
        rows.append(batch.shape[0])
        return package_state(space, batch, *args)

    space = shipped[0][0]
    cuts = thresholds(space.model)
    starts = [
        (x0, int(space.best(x0[None, :])[0][0]), satisficing, margin)
        for _, x0 in shipped
        for satisficing, margin in ((0.1, 0.05), (0.3, 0.0))
    ]
    with monkeypatch.context() as patch:
        patch.setattr(signposts, "package_state", counting)
        together = crossings_many(space, starts, cuts, grid=201)
    for start, found in zip(starts, together, strict=True):
        alone = crossings(space, *start, cuts, grid=201, closed_form=False)
        assert repr(found) == repr(alone)
    assert sum(rows) < 60 * len(starts)


def test_other_comparisons_leave_every_state_to_the_engine() -> None:
    """A precondition such as ``x + 1 >= 3`` can change availability anywhere: no slices."""
    model = compile_dict(
        {
            "id": "m", "title": "M",
            "source": {"title": "t", "author": "a", "publisher": "p", "year": 2000},
            "indicators": {"x": {"description": "d", "min": 0, "max": 10, "baseline": 2}},
            "criteria": {"c": {"description": "d", "weight": 1, "rationale": "r"}},
            "options": {
                "a": {"title": "A", "recommendation": "R",
                      "performance": {"c": {"value": 0.6, "rationale": "r"}}},
                "b": {"title": "B", "recommendation": "R",
                      "performance": {"c": {"value": 0.4, "rationale": "r"}}},
            },
        }
    )
    space = package_space(model, point_inputs(model, model.baseline))
    assert slices(space, model.baseline, thresholds(model)) is not None
    gate = Precondition(0, parse_expression("x + 1 >= 3", {"x": "numeric"}), "r", ())
    gated = replace(model, preconditions=(gate,))
    space = package_space(gated, point_inputs(gated, gated.baseline))
    assert slices(space, gated.baseline, thresholds(gated)) is None


@st.composite
def slice_breaks(draw: st.DrawFn) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Breakpoints ``(j, b)`` of a few indicators (repeats, the range's ends, values outside
    it, NaN and infinities among them) and the indicators' ranges."""
    starts = draw(st.integers(1, 4))
    n = draw(st.integers(1, 4))
    bottom = np.array([draw(st.sampled_from([-2.0, 0.0, 1.0])) for _ in range(n)])
    top = bottom + np.array([draw(st.sampled_from([0.5, 1.0, 10.0])) for _ in range(n)])
    breaks = []
    for k in range(n):
        pool = st.sampled_from(
            [bottom[k], top[k], (bottom[k] + top[k]) / 2, bottom[k] - 1, top[k] + 1,
             np.nan, np.inf, -np.inf]
        ) | st.floats(float(bottom[k]) - 1, float(top[k]) + 1)
        width = draw(st.integers(0, 5))
        breaks.append(np.array([[draw(pool) for _ in range(width)] for _ in range(starts)],
                               dtype=np.float64).reshape(starts, width))
    return breaks, bottom, top


@settings(max_examples=4 * EXAMPLES, deadline=None)
@given(slice_breaks())
def test_edges_are_each_slices_distinct_breakpoints_and_ends(
    drawn: tuple[list[np.ndarray], np.ndarray, np.ndarray],
) -> None:
    """Read in order, the kept edges are every slice's (start point, then indicator) sorted
    distinct breakpoints within its range, with the range's ends where no breakpoint is one;
    the breakpoints marked inner are those breakpoints alone."""
    breaks, bottom, top = drawn
    edges, keep, inner = _edges(breaks, bottom, top)
    want_edges: list[float] = []
    want_inner: list[float] = []
    for j in range(breaks[0].shape[0]):
        for k, found in enumerate(breaks):
            row = found[j]
            every = np.unique(row[(row >= bottom[k]) & (row <= top[k])])
            want_inner += every.tolist()
            want_edges += ([] if every.size and every[0] == bottom[k] else [bottom[k]])
            want_edges += every.tolist()
            want_edges += ([] if every.size and every[-1] == top[k] else [top[k]])
    assert edges[keep].tolist() == want_edges
    assert edges[inner].tolist() == want_inner
    assert not (inner & ~keep).any()
