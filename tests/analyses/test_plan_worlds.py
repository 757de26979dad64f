"""The plan's worlds read in spans: the figures of the plan that holds every world in memory
(the same samples; sums in another order, so equal to 1e-9), whatever the spans; the tallies
of any split merged in order are those of the whole; draws and world numbers near 10^10
samples are those of the same samples in a larger span (64-bit safe, nothing of the run's
size allocated)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.analyses import plan as plan_module
from decision.analyses import plan_worlds
from decision.analyses.packages import realised_values
from decision.analyses.plan_worlds import (
    ColumnPass,
    Columns,
    SpanProblem,
    columns_of,
    merge_counts,
    plan_samples,
    spans_of,
)
from decision.analyses.portfolio.enumerate import sample_best
from decision.analyses.portfolio.problem import MAX_SAMPLES, portfolio_problem
from decision.core.compile import compile_model, compile_scenario
from decision.load.loading import load_scenario
from decision.results import to_data
from decision.study.plan import plan_paths
from tests.conftest import ROOT, needs_belarus

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
SCENARIOS = ROOT / "scenarios"
SAMPLES = 300  # three spans of 128 (the last shorter) once the spans are made small
NEAR = 10**10


def _close(a: Any, b: Any, where: str = "") -> None:
    """``a`` and ``b`` equal, floats to 1e-9."""
    if isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9), where
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            _close(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{where}[{k}]")
    else:
        assert a == b, where


@pytest.fixture
def small_spans(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(plan_worlds, "BLOCK", 128)
    yield


def _planned(paths: list[str], stream: Any = None) -> tuple[Any, list[str]]:
    """The plan set's data, and which kind of worlds each plan held."""
    with pytest.MonkeyPatch.context() as patch:
        if stream is not None:
            patch.setattr(plan_module, "streamed", stream)
        found = plan_paths(paths, samples=SAMPLES)
    return to_data(found), [type(p.worlds).__name__ for p in found.plans]


@needs_belarus
@pytest.mark.usefixtures("small_spans")
def test_streamed_plans_are_the_in_memory_plans_of_the_same_samples() -> None:
    paths = [str(SCENARIOS / n) for n in ("baseline.yaml", "timeline-reform.yaml",
                                          "economic-squeeze.yaml")]
    held, kinds = _planned(paths)
    assert kinds == ["Worlds"] * 3
    assert held["plans"][1]["samples"] == SAMPLES and len(held["plans"][1]["pathway"]) > 1
    found, kinds = _planned(paths, lambda samples: True)
    assert kinds == ["SampledWorlds"] * 3
    _close(found, held)
    turns = itertools.cycle([True, False])  # the first scenario streamed, the next held, ...
    found, kinds = _planned(paths, lambda samples: next(turns))
    assert kinds == ["SampledWorlds", "Worlds", "SampledWorlds"]
    _close(found, held)


def test_the_cap_holds_unless_samples_are_asked_for() -> None:
    scenario, model = load_scenario(SCENARIOS / "economic-squeeze.yaml")
    inputs = compile_scenario(compile_model(model), scenario, samples=50_000)
    assert plan_samples(inputs) == MAX_SAMPLES
    assert plan_samples(inputs, uncapped=True) == 50_000
    assert not plan_worlds.streamed(MAX_SAMPLES) and plan_worlds.streamed(MAX_SAMPLES + 1)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(1, 60), st.integers(1, 4), st.lists(st.integers(1, 59), max_size=5),
       st.integers(0, 2**31), st.booleans())
def test_tallies_of_a_split_merged_in_order_are_those_of_the_whole(
    worlds: int, columns: int, cuts: list[int], seed: int, ties: bool
) -> None:
    rng = np.random.default_rng(seed)
    realised = rng.normal(size=(worlds, columns))
    if ties:  # repeated least values: the first world of them must win
        realised = np.round(realised, 0)
    best = realised.max(axis=1) + rng.uniform(0, 1, worlds)
    first = worlds // 2
    whole = columns_of(realised, best, first, NEAR)
    edges = [0, *sorted({c for c in cuts if c < worlds}), worlds]
    merged: Columns | None = None
    for a, b in itertools.pairwise(edges):
        part = columns_of(realised[a:b], best[a:b], max(0, min(b, first) - a), NEAR + a)
        merged = part if merged is None else merged.then(part)
    assert merged is not None
    for name in ("regret", "low", "at", "best_at"):
        assert np.array_equal(getattr(merged, name), getattr(whole, name)), name
    assert np.allclose(merged.total, whole.total) and np.allclose(merged.first, whole.first)
    assert (whole.at >= NEAR).all() and whole.at.dtype == np.int64

    masks = rng.integers(0, 8, worlds).astype(np.uint32)
    uniq, counts = np.unique(masks, return_counts=True)
    parts = [(np.unique(masks[a:b], return_counts=True)) for a, b in itertools.pairwise(edges)]
    found = merge_counts([u for u, _ in parts], [c for _, c in parts])
    assert np.array_equal(found[0], uniq) and np.array_equal(found[1], counts)


@needs_belarus
def test_spans_near_ten_to_the_ten_draw_the_samples_of_a_larger_span() -> None:
    scenario, model = load_scenario(SCENARIOS / "timeline-reform.yaml")
    compiled = compile_model(model)
    inputs = compile_scenario(compiled, scenario, samples=NEAR + 10**6)
    alone = portfolio_problem(compiled, inputs, span=(NEAR + 3, NEAR + 7))[0]
    larger = portfolio_problem(compiled, inputs, span=(NEAR - 5000, NEAR + 20))[0]
    assert alone.n_samples == 4 and larger.n_samples == 5020  # only the span is drawn
    rows = slice(5003, 5007)
    assert np.array_equal(alone.values, larger.values[rows])
    assert np.array_equal(alone.costs, larger.costs[rows])
    assert np.array_equal(alone.available, larger.available[rows])
    assert not np.array_equal(alone.values, larger.values[5004:5008])  # the draws differ


@needs_belarus
def test_world_numbers_near_ten_to_the_ten_are_period_then_sample() -> None:
    from decision.study.plan import timeline_periods

    scenario, model = load_scenario(SCENARIOS / "timeline-reform.yaml")
    compiled = compile_model(model)
    samples = NEAR + 10**6
    inputs = compile_scenario(compiled, scenario, samples=samples)
    periods = timeline_periods(compiled, scenario, inputs, samples=samples)
    problem = SpanProblem(compiled, tuple(p.inputs for p in periods), None)
    span = (NEAR + 40, NEAR + 72)
    stacked = problem(span)
    masks = np.array([0b11111, 0b1], dtype=np.uint32)
    found = ColumnPass(problem, samples, masks, np.zeros(0, dtype=np.uint32))(span)
    realised = realised_values(stacked, masks)
    rows = span[1] - span[0]
    for c in range(masks.size):
        r = int(np.argmin(realised[:, c]))
        assert int(found.at[c]) == (r // rows) * samples + span[0] + r % rows
        assert found.low[c] == realised[r, c]
        assert found.best_at[c] == sample_best(stacked)[1][r]
    assert found.at.dtype == np.int64 and int(found.at.max()) > 2**32


def test_spans_are_whole_blocks_and_cover_the_samples() -> None:
    spans = spans_of(10_000)
    assert spans[0] == (0, plan_worlds.BLOCK) and spans[-1][1] == 10_000
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(spans))


@needs_belarus
@pytest.mark.usefixtures("small_spans")
def test_progress_counts_the_samples_of_both_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_module, "streamed", lambda samples: True)
    told: list[tuple[int, int]] = []
    plan_paths([SCENARIOS / "timeline-reform.yaml"], samples=SAMPLES,
               progress=lambda done, total: told.append((done, total)))
    assert told == [(d, 2 * SAMPLES) for d in (128, 256, 300, 428, 556, 600)]
