"""Bundles of recommendations: exact enumeration checked against a brute-force oracle.

The oracle walks every subset with itertools and adds values in increasing option order (the
documented convention), so it must agree to the bit with the vectorised core.
"""

from __future__ import annotations

import itertools
import json
import tracemalloc
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from decision.analyses.portfolio.enumerate import (
    BORDERLINE,
    CORE,
    EXTERIOR,
    Interaction,
    PortfolioProblem,
    PortfolioResult,
    analyse_portfolio,
    bundle_costs,
    bundle_feasible,
    bundle_values,
    mask_of,
    members_of,
)
from decision.analyses.portfolio.problem import PortfolioReport
from decision.errors import DecisionError
from decision.results import to_data

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INF = float("inf")

# ---------------------------------------------------------------------------------------------
# Random problems


@st.composite
def problems(
    draw: st.DrawFn,
    max_n: int = 7,
    max_s: int = 3,
    max_r: int = 2,
    min_r: int = 0,
    structure: bool = True,
    interactions: bool = True,
    budgets: bool = True,
) -> PortfolioProblem:
    """Small random problems; half of them on a coarse grid of numbers so that ties happen."""
    n = draw(st.integers(0, max_n))
    s = draw(st.integers(1, max_s))
    r = draw(st.integers(min_r, max_r))
    if draw(st.booleans()):  # sums are exact: equal values and costs really tie
        val = st.integers(-4, 4).map(lambda k: k / 4)
        use = st.integers(0, 4).map(lambda k: k / 2)
    else:
        val = st.floats(-1, 1).map(lambda x: round(x, 3))
        use = st.floats(0, 2).map(lambda x: round(x, 3))
    values = draw(hnp.arrays(np.float64, (s, n), elements=val))
    costs = draw(hnp.arrays(np.float64, (s, n, r), elements=use))
    budget = st.one_of(st.just(INF), use.map(lambda c: c * n / 2)) if budgets else st.just(INF)
    budget_values = np.array([draw(budget) for _ in range(r)], dtype=np.float64)
    available = draw(hnp.arrays(np.bool_, (s, n), elements=st.sampled_from([True] * 4 + [False])))
    eligible = None
    if n and draw(st.booleans()):
        eligible = draw(hnp.arrays(np.bool_, (n,), elements=st.sampled_from([True] * 4 + [False])))
    inter: list[Interaction] = []
    if interactions and n:
        for _ in range(draw(st.integers(0, 3))):
            members = draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=min(3, n)))
            value = draw(hnp.arrays(np.float64, (s,), elements=val))
            inter.append(Interaction(tuple(members), value))
    pairs: list[list[tuple[int, int]]] = [[], []]
    if structure and n >= 2:
        index = st.integers(0, n - 1)
        pair = st.tuples(index, index).filter(lambda p: p[0] != p[1])
        pairs = [draw(st.lists(pair, max_size=3)), draw(st.lists(pair, max_size=3))]
    return PortfolioProblem(
        values=values,
        costs=costs,
        budgets=budget_values,
        available=available,
        interactions=inter,
        exclusions=pairs[0],
        dependencies=pairs[1],
        eligible=eligible,
    )


# ---------------------------------------------------------------------------------------------
# Brute-force oracle (itertools over subsets; test only)


def all_bundles(n: int) -> list[tuple[int, tuple[int, ...]]]:
    out = []
    for size in range(n + 1):
        for members in itertools.combinations(range(n), size):
            out.append((mask_of(members), members))
    return sorted(out)


def o_value(p: PortfolioProblem, s: int, members: tuple[int, ...]) -> float:
    acc = 0.0
    for j in members:  # ascending: the documented order of additions
        acc += p.values[s, j]
    for it in p.interactions:
        if set(it.members) <= set(members):
            acc += it.value[s]
    return float(acc)


def o_cost(p: PortfolioProblem, s: int, members: tuple[int, ...], k: int) -> float:
    acc = 0.0
    for j in members:
        acc += p.costs[s, j, k]
    return float(acc)


def o_structural(p: PortfolioProblem, members: tuple[int, ...]) -> bool:
    chosen = set(members)
    if p.eligible is not None and any(not p.eligible[j] for j in chosen):
        return False
    if any(a in chosen and b in chosen for a, b in p.exclusions):
        return False
    return all(a in chosen for b, a in p.dependencies if b in chosen)


def o_feasible(
    p: PortfolioProblem, s: int, members: tuple[int, ...], ignore: int | None = None
) -> bool:
    if not o_structural(p, members) or any(not p.available[s, j] for j in members):
        return False
    return all(
        o_cost(p, s, members, k) <= p.budgets[k] for k in range(p.n_resources) if k != ignore
    )


def o_best(p: PortfolioProblem, s: int, banned: int | None = None) -> tuple[int, float]:
    best: tuple[int, float] | None = None
    for mask, members in all_bundles(p.n_options):  # ascending masks: strict > keeps the lowest
        if banned in members or not o_feasible(p, s, members):
            continue
        v = o_value(p, s, members)
        if best is None or v > best[1]:
            best = (mask, v)
    assert best is not None  # the empty bundle is always feasible
    return best


def o_nondominated(points: Sequence[tuple[int, float, tuple[float, ...]]]) -> list[int]:
    """Masks not dominated in (value up, costs down); exact ties go to the lowest mask."""
    masks = np.array([m for m, _, _ in points])
    v = np.array([x for _, x, _ in points])
    c = np.array([cs for _, _, cs in points]).reshape(len(points), -1)
    ge = v[:, None] >= v[None, :]  # [j, i]: j at least as valuable as i
    le = (c[:, None, :] <= c[None, :, :]).all(axis=2)
    strict = (v[:, None] > v[None, :]) | (c[:, None, :] < c[None, :, :]).any(axis=2)
    lower = masks[:, None] < masks[None, :]
    dominates = ge & le & (strict | lower)
    return sorted(masks[~dominates.any(axis=0)].tolist())


def o_core_counts(p: PortfolioProblem) -> tuple[list[int], int]:
    """Members of the potentially optimal bundles: the distinct best bundles of the samples."""
    best = {o_best(p, s)[0] for s in range(p.n_samples)}
    counts = [
        sum(1 for mask in best if j in members_of(mask, p.n_options)) for j in range(p.n_options)
    ]
    return counts, len(best)


def o_frontier(point: PortfolioProblem, k: int) -> list[tuple[int, float, float]]:
    points = [
        (mask, o_value(point, 0, mem), (o_cost(point, 0, mem, k),))
        for mask, mem in all_bundles(point.n_options)
        if o_feasible(point, 0, mem, ignore=k)
    ]
    front = set(o_nondominated(points))
    chosen = [(m, v, c[0]) for m, v, c in points if m in front]
    return sorted(chosen, key=lambda t: t[2])


def frontier_tuples(result: PortfolioResult, k: int) -> list[tuple[int, float, float]]:
    return [(f.mask, f.value, f.cost) for f in result.frontiers[k]]


def same_result(a: PortfolioResult, b: PortfolioResult) -> None:
    assert np.array_equal(a.sample_best_masks, b.sample_best_masks)
    assert np.array_equal(a.sample_best_values, b.sample_best_values)
    assert np.array_equal(a.sample_marginal, b.sample_marginal)
    assert np.array_equal(a.core_index, b.core_index)
    assert a.nondominated_count == b.nondominated_count
    assert a.core_class == b.core_class
    assert a.frontiers == b.frontiers
    assert a.top_bundles == b.top_bundles


# ---------------------------------------------------------------------------------------------
# Oracle tests


@PROPERTY
@given(problems(max_n=7, max_s=3, max_r=2))
def test_matches_brute_force(p: PortfolioProblem) -> None:
    result = analyse_portfolio(p)
    for s in range(p.n_samples):
        mask, value = o_best(p, s)
        assert int(result.sample_best_masks[s]) == mask
        assert result.sample_best_values[s] == value
        for j in range(p.n_options):  # marginal: best minus best without the option
            assert result.sample_marginal[s, j] == value - o_best(p, s, banned=j)[1]
    point = p.mean()
    for k in range(p.n_resources):
        assert frontier_tuples(result, k) == o_frontier(point, k)
    counts, total = o_core_counts(p)
    assert result.nondominated_count == total
    assert result.core_index.tolist() == [c / total for c in counts]


@settings(max_examples=25, deadline=None)
@given(problems(max_n=8, max_s=2, max_r=1, min_r=1))
def test_matches_brute_force_eight_options(p: PortfolioProblem) -> None:
    result = analyse_portfolio(p)
    for s in range(p.n_samples):
        assert (int(result.sample_best_masks[s]), result.sample_best_values[s]) == o_best(p, s)
    assert frontier_tuples(result, 0) == o_frontier(p.mean(), 0)


@settings(max_examples=30, deadline=None)
@given(problems(max_n=6, max_s=3, max_r=3, min_r=2), st.sampled_from([1, 2, 4, 8]))
def test_matches_brute_force_several_resources_in_blocks(p: PortfolioProblem, block: int) -> None:
    """Two or three cost axes (pairwise dominance), bundles split into small blocks."""
    result = analyse_portfolio(p, chunk_bundles=block, chunk_samples=1)
    counts, total = o_core_counts(p)
    assert result.nondominated_count == total
    assert result.core_index.tolist() == [c / total for c in counts]
    for k in range(p.n_resources):
        assert frontier_tuples(result, k) == o_frontier(p.mean(), k)


@PROPERTY
@given(problems(max_n=7, max_s=5, max_r=2))
def test_top_bundles_are_the_most_often_best(p: PortfolioProblem) -> None:
    result = analyse_portfolio(p, top=3)
    masks = result.sample_best_masks.tolist()
    ranked = sorted(set(masks), key=lambda m: (-masks.count(m), m))[:3]
    assert [b.mask for b in result.top_bundles] == ranked
    assert result.best == result.top_bundles[0]
    for b in result.top_bundles:
        assert b.probability == masks.count(b.mask) / p.n_samples
        assert b.members == members_of(b.mask, p.n_options)
        values = [o_value(p, s, b.members) for s in range(p.n_samples)]
        assert b.value == pytest.approx(float(np.mean(values)), abs=1e-12)
    assert result.best.feasible_share > 0


# ---------------------------------------------------------------------------------------------
# Properties


@PROPERTY
@given(
    problems(max_n=7, max_r=2, min_r=1),
    st.integers(0, 1),
    st.sampled_from([0.0, 0.25, 1.0, INF]),
)
def test_raising_a_budget_never_lowers_the_best_value(
    p: PortfolioProblem, which: int, raise_by: float
) -> None:
    k = which % p.n_resources
    budgets = p.budgets.copy()
    budgets[k] += raise_by
    raised = PortfolioProblem(
        p.values,
        p.costs,
        budgets,
        p.available,
        p.interactions,
        p.exclusions,
        p.dependencies,
        p.eligible,
    )
    before = analyse_portfolio(p).sample_best_values
    after = analyse_portfolio(raised).sample_best_values
    assert np.all(after >= before)


@PROPERTY
@given(problems(max_n=7), st.floats(0.001, 1.0))
def test_a_costless_option_with_positive_value_never_lowers_the_best(
    p: PortfolioProblem, value: float
) -> None:
    s, r = p.n_samples, p.n_resources
    bigger = PortfolioProblem(
        values=np.column_stack([p.values, np.full(s, value)]),
        costs=np.concatenate([p.costs, np.zeros((s, 1, r))], axis=1),
        budgets=p.budgets,
        available=np.column_stack([p.available, np.ones(s, dtype=bool)]),
        interactions=p.interactions,
        exclusions=p.exclusions,
        dependencies=p.dependencies,
        eligible=None if p.eligible is None else np.append(p.eligible, True),
    )
    before = analyse_portfolio(p)
    after = analyse_portfolio(bigger)
    assert np.all(after.sample_best_values >= before.sample_best_values)
    assert np.all(after.sample_best_masks >> p.n_options == 1)  # and it is adopted


@PROPERTY
@given(problems(max_n=7, max_r=2))
def test_no_reported_bundle_breaks_an_exclusion_or_dependency(p: PortfolioProblem) -> None:
    result = analyse_portfolio(p)
    reported = result.sample_best_masks.tolist() + [b.mask for b in result.top_bundles]
    reported += [f.mask for front in result.frontiers for f in front]
    for mask in reported:
        chosen = set(members_of(mask, p.n_options))
        assert not any(a in chosen and b in chosen for a, b in p.exclusions)
        assert all(a in chosen for b, a in p.dependencies if b in chosen)
        if p.eligible is not None:
            assert all(p.eligible[j] for j in chosen)
    feasible = bundle_feasible(p, result.sample_best_masks)
    assert feasible[np.arange(p.n_samples), np.arange(p.n_samples)].all()


@PROPERTY
@given(problems(max_n=8, max_s=4, max_r=2, structure=False, interactions=False, budgets=False))
def test_unconstrained_best_holds_exactly_the_positive_options(p: PortfolioProblem) -> None:
    result = analyse_portfolio(p)
    ok = p.adoptable()
    for s in range(p.n_samples):
        expected = mask_of([j for j in range(p.n_options) if ok[s, j] and p.values[s, j] > 0])
        assert int(result.sample_best_masks[s]) == expected


@PROPERTY
@given(problems(max_n=7, max_s=4, max_r=2))
def test_core_indices_and_classes(p: PortfolioProblem) -> None:
    result = analyse_portfolio(p)
    assert np.all((result.core_index >= 0) & (result.core_index <= 1))
    assert np.all((result.in_best >= 0) & (result.in_best <= 1))
    assert np.all(result.marginal >= 0)  # removing an option never helps the best bundle
    for index, cls in zip(result.core_index.tolist(), result.core_class, strict=True):
        assert cls == (CORE if index == 1 else EXTERIOR if index == 0 else BORDERLINE)
    if p.eligible is not None:
        assert all(result.core_class[j] == EXTERIOR for j in np.flatnonzero(~p.eligible))


@PROPERTY
@given(
    problems(max_n=7, max_s=5, max_r=2),
    st.sampled_from([1, 2, 3, 7]),
    st.sampled_from([1, 2, 4, 16, 1024]),
)
def test_results_do_not_depend_on_chunk_sizes(p: PortfolioProblem, rows: int, block: int) -> None:
    same_result(analyse_portfolio(p), analyse_portfolio(p, chunk_samples=rows, chunk_bundles=block))


def test_chunk_invariance_with_many_options() -> None:
    """12 options, uncertain costs, all constraint kinds: blocks and chunks change nothing."""
    rng = np.random.default_rng(7)
    s, n, r = 9, 12, 2
    p = PortfolioProblem(
        values=rng.normal(0.1, 0.2, (s, n)),
        costs=rng.uniform(0, 1, (s, n, r)),
        budgets=np.array([3.0, INF]),
        available=rng.random((s, n)) > 0.1,
        interactions=[
            Interaction((0, 5), rng.normal(0, 0.2, s)),
            Interaction((2, 9, 11), rng.normal(0, 0.2, s)),
        ],
        exclusions=[(1, 10)],
        dependencies=[(3, 8), (11, 0)],
    )
    base = analyse_portfolio(p)
    for rows, block in [(1, 16), (2, 256), (4, 1 << 12), (9, 64)]:
        same_result(base, analyse_portfolio(p, chunk_samples=rows, chunk_bundles=block))
    values = bundle_values(p, base.sample_best_masks)
    assert np.array_equal(values[np.arange(s), np.arange(s)], base.sample_best_values)


# ---------------------------------------------------------------------------------------------
# Worked examples


def three_options(synergy: float) -> PortfolioProblem:
    """A (0.5, cost 2), B (0.375, cost 1), C (0.25, cost 1); budget 2; B and C interact.

    Dyadic numbers: every sum is exact, so the expected figures are too.
    """
    return PortfolioProblem(
        values=np.array([[0.5, 0.375, 0.25]]),
        costs=np.array([[2.0], [1.0], [1.0]]),
        budgets=np.array([2.0]),
        available=np.ones(3, dtype=bool),
        interactions=[Interaction((1, 2), np.array(synergy))],
    )


def test_synergy_and_conflict_change_the_best_bundle() -> None:
    synergy = analyse_portfolio(three_options(0.25))
    assert synergy.best.members == (1, 2)
    assert synergy.best_value == 0.875
    assert synergy.best.probability == 1.0 and synergy.best.feasible_share == 1.0
    assert synergy.marginal.tolist() == [0.0, 0.375, 0.375]
    conflict = analyse_portfolio(three_options(-0.25))
    assert conflict.best.members == (0,)
    assert conflict.marginal.tolist() == [0.125, 0.0, 0.0]


def test_frontier_is_sorted_and_flags_the_budget() -> None:
    result = analyse_portfolio(three_options(0.25))
    front = result.frontiers[0]
    assert [f.members for f in front] == [(), (1,), (1, 2), (0, 1, 2)]
    assert [f.within_budget for f in front] == [True, True, True, False]
    assert [f.cost for f in front] == [0.0, 1.0, 2.0, 4.0]
    assert all(a.value < b.value for a, b in itertools.pairwise(front))


def test_the_empty_bundle_wins_when_nothing_is_worth_it() -> None:
    p = PortfolioProblem(
        values=np.array([[-0.1, -0.2], [0.3, -0.2]]),
        costs=np.zeros((2, 0)),
        budgets=np.zeros(0),
        available=np.ones(2, dtype=bool),
    )
    result = analyse_portfolio(p)
    assert result.sample_best_masks.tolist() == [0, 1]
    assert result.sample_best_values.tolist() == [0.0, 0.3]
    assert result.frontiers == ()
    assert result.best.mask == 0  # equally often best: the lowest mask
    assert result.core_class == (BORDERLINE, EXTERIOR)


def test_option_in_every_best_bundle_is_core_without_resources() -> None:
    p = PortfolioProblem(
        values=np.array([[0.3, 0.1, -0.1], [0.2, -0.1, 0.1]]),
        costs=np.zeros((3, 0)),
        budgets=np.zeros(0),
        available=np.ones((2, 3), dtype=bool),
        eligible=np.array([True, True, True]),
    )
    result = analyse_portfolio(p)
    assert result.core_class == (CORE, BORDERLINE, BORDERLINE)
    assert result.in_best.tolist() == [1.0, 0.5, 0.5]


def test_reference_option_is_never_adopted() -> None:
    p = PortfolioProblem(
        values=np.array([0.0, 0.4, 0.2]),
        costs=np.array([[0.0], [1.0], [1.0]]),
        budgets=np.array([5.0]),
        available=np.ones(3, dtype=bool),
        eligible=np.array([False, True, True]),
    )
    result = analyse_portfolio(p)
    assert result.best.members == (1, 2)
    assert result.core_class[0] == EXTERIOR
    assert all(0 not in f.members for f in result.frontiers[0])


def test_no_options_at_all() -> None:
    p = PortfolioProblem(
        values=np.zeros((3, 0)),
        costs=np.zeros((3, 0, 1)),
        budgets=np.array([1.0]),
        available=np.zeros((3, 0), dtype=bool),
    )
    result = analyse_portfolio(p)
    assert result.sample_best_masks.tolist() == [0, 0, 0]
    assert result.best.members == () and result.best_value == 0.0
    assert [f.mask for f in result.frontiers[0]] == [0]


def test_mean_problem_uses_majority_availability() -> None:
    p = PortfolioProblem(
        values=np.array([[0.1, 0.2], [0.3, 0.4], [0.2, 0.0]]),
        costs=np.array([[[1.0], [2.0]], [[3.0], [2.0]], [[2.0], [2.0]]]),
        budgets=np.array([INF]),
        available=np.array([[True, False], [True, False], [False, True]]),
        interactions=[Interaction((0, 1), np.array([0.0, 0.3, 0.6]))],
    )
    point = p.mean()
    assert point.values[0].tolist() == pytest.approx([0.2, 0.2])
    assert point.costs[0, :, 0].tolist() == [2.0, 2.0]
    assert point.available.tolist() == [[True, False]]
    assert point.interactions[0].value.tolist() == pytest.approx([0.3])


def test_bundle_helpers_agree_with_the_oracle() -> None:
    rng = np.random.default_rng(3)
    p = PortfolioProblem(
        values=rng.normal(size=(4, 5)),
        costs=rng.uniform(size=(4, 5, 2)),
        budgets=np.array([1.5, INF]),
        available=rng.random((4, 5)) > 0.2,
        interactions=[Interaction((1, 3), rng.normal(size=4))],
        exclusions=[(0, 4)],
    )
    masks = np.arange(32, dtype=np.uint32)
    values, costs = bundle_values(p, masks), bundle_costs(p, masks)
    feasible = bundle_feasible(p, masks)
    for s in range(4):
        for mask, members in all_bundles(5):
            assert values[s, mask] == o_value(p, s, members)
            assert costs[s, mask].tolist() == [o_cost(p, s, members, k) for k in range(2)]
            assert feasible[s, mask] == o_feasible(p, s, members)


def test_plain_data_is_json_by_index_and_by_name() -> None:
    result = analyse_portfolio(three_options(0.25))
    report = PortfolioReport("s", ["a", "b", "c"], ["money"], {"money": 2.0}, None, result)
    data: dict[str, Any] = json.loads(json.dumps(to_data(report)))
    assert data["best"]["members"] == ["b", "c"]
    assert data["frontiers"]["money"][1]["members"] == ["b"]
    assert data["frontiers"]["money"][1]["costs"] == {"money": 1.0}
    assert [o["option"] for o in data["per_option"]] == ["a", "b", "c"]
    assert [o["class"] for o in data["per_option"]] == list(result.core_class)
    assert data["tie_rule"] == "lowest mask" and data["n_options"] == 3
    assert "sample_best_values" not in json.loads(json.dumps(to_data(result)))
    assert json.loads(json.dumps(to_data(result)))["best"]["members"] == [1, 2]
    with pytest.raises(ValueError):
        PortfolioReport("s", ["a"], ["money"], {"money": 2.0}, None, result)


def test_twenty_options_in_one_block_or_many() -> None:
    """The largest problem allowed: the best bundle beats random feasible ones, in any layout."""
    rng = np.random.default_rng(11)
    p = PortfolioProblem(
        values=rng.uniform(-0.05, 0.3, (2, 20)),
        costs=rng.uniform(0, 1, (2, 20, 1)),
        budgets=np.array([4.0]),
        available=np.ones(20, dtype=bool),
        interactions=[Interaction((2, 19), np.array([0.2, -0.2]))],
        exclusions=[(0, 18)],
        dependencies=[(17, 3)],
    )
    result = analyse_portfolio(p)
    same_result(result, analyse_portfolio(p, chunk_bundles=1 << 14, chunk_samples=1))
    masks = rng.integers(0, 1 << 20, 2000).astype(np.uint32)
    values, feasible = bundle_values(p, masks), bundle_feasible(p, masks)
    assert np.all(np.where(feasible, values, -INF) <= result.sample_best_values[:, None])
    best = bundle_feasible(p, result.sample_best_masks)
    assert best[0, 0] and best[1, 1]


def test_memory_stays_bounded_for_sixteen_options() -> None:
    rng = np.random.default_rng(0)
    s, n = 24, 16
    p = PortfolioProblem(
        values=rng.uniform(-0.05, 0.3, (s, n)),
        costs=rng.uniform(0, 1, (s, n, 2)),
        budgets=np.array([4.0, INF]),
        available=np.ones((s, n), dtype=bool),
    )
    tracemalloc.start()
    try:
        analyse_portfolio(p)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 300 * 2**20


# ---------------------------------------------------------------------------------------------
# Bad input


def make(**changes: Any) -> PortfolioProblem:
    base: dict[str, Any] = {
        "values": np.zeros((2, 3)),
        "costs": np.zeros((2, 3, 1)),
        "budgets": np.array([1.0]),
        "available": np.ones((2, 3), dtype=bool),
    }
    base.update(changes)
    return PortfolioProblem(**base)


@pytest.mark.parametrize(
    ("changes", "key", "allowed"),
    [
        ({"exclusions": [(0, 3)]}, "exclusions[0]", "option indices 0..2"),
        ({"exclusions": [(0, 1), (-1, 2)]}, "exclusions[1]", "option indices 0..2"),
        ({"exclusions": [(1, 1)]}, "exclusions[0]", "two different options"),
        ({"exclusions": [(0, 1, 2)]}, "exclusions[0]", "(option, option)"),
        ({"exclusions": [(0.5, 1)]}, "exclusions[0]", "option indices 0..2"),
        ({"dependencies": [(5, 0)]}, "dependencies[0]", "option indices 0..2"),
        (
            {
                "values": np.zeros((1, 21)),
                "costs": np.zeros((1, 21, 0)),
                "budgets": np.zeros(0),
                "available": np.ones(21, dtype=bool),
            },
            "options",
            "at most 20 options",
        ),
        ({"budgets": np.array([-1.0])}, "budgets[0]", "a number >= 0, or inf"),
        ({"budgets": np.array([np.nan])}, "budgets[0]", "a number >= 0, or inf"),
        ({"budgets": np.array([1.0, 2.0])}, "budgets", "shape (1,)"),
        ({"costs": np.zeros((3, 3, 1))}, "costs", "(2, 3, r)"),
        ({"costs": np.zeros((2, 4, 1))}, "costs", "(2, 3, r)"),
        ({"costs": -np.ones((2, 3, 1))}, "costs", ">= 0"),
        ({"costs": np.full((2, 3, 1), np.inf)}, "costs", "finite"),
        ({"values": np.zeros((2, 3, 1))}, "values", "(samples, options)"),
        ({"values": np.full((2, 3), np.nan)}, "values", "finite"),
        ({"available": np.ones((3, 3), dtype=bool)}, "available", "(2, 3)"),
        ({"available": np.full((2, 3), 0.5)}, "available", "booleans"),
        ({"eligible": np.ones(4, dtype=bool)}, "eligible", "(3,)"),
        (
            {"interactions": [Interaction((0, 3), np.zeros(2))]},
            "interactions[0].members",
            "option indices 0..2",
        ),
        (
            {"interactions": [Interaction((), np.zeros(2))]},
            "interactions[0].members",
            "different options",
        ),
        (
            {"interactions": [Interaction((0, 1), np.zeros(3))]},
            "interactions[0].value",
            "shape (2,)",
        ),
    ],
)
def test_bad_structural_input_says_what_is_allowed(
    changes: dict[str, Any], key: str, allowed: str
) -> None:
    with pytest.raises(DecisionError) as info:
        make(**changes)
    assert info.value.key_path == key
    assert info.value.allowed is not None and allowed in info.value.allowed
    assert "\n" not in info.value.one_line()


def test_bad_analysis_arguments() -> None:
    p = make()
    with pytest.raises(DecisionError, match="power of two"):
        analyse_portfolio(p, chunk_bundles=3)
    with pytest.raises(DecisionError, match="below 1"):
        analyse_portfolio(p, chunk_samples=0)
    with pytest.raises(DecisionError, match="below 1"):
        analyse_portfolio(p, top=0)
