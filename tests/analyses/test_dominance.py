"""Dominance: known answers, the shipped model, and the invariant that makes the check useful
(a dominated option never outranks its dominator, under any method)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from decision.analyses.dominance import SHOWN_DOMINATORS, dominance, dominance_matrix
from decision.core.engine import rank
from decision.core.methods import METHODS, score
from decision.results import to_data
from decision.study.scenario import run_scenario
from tests.conftest import ROOT, needs_belarus


def test_known_answers() -> None:
    values = np.array(
        [
            [0.9, 0.8],  # 0 dominates 1 and 3
            [0.5, 0.8],  # 1 dominates 3
            [0.2, 0.95],  # 2 is dominated by none (best on the second criterion)
            [0.5, 0.7],
            [0.9, 0.8],  # 4 equals 0: neither dominates the other, but 4 dominates 1 and 3
        ]
    )
    available = np.array([True, True, True, True, False])  # 4 is unavailable: dominates none
    matrix = dominance_matrix(values, available)
    assert sorted(zip(*np.nonzero(matrix), strict=True)) == [(0, 1), (0, 3), (1, 3)]


def test_an_unavailable_option_can_be_dominated_but_dominates_nothing() -> None:
    values = np.array([[0.4, 0.4], [0.6, 0.6]])
    assert dominance_matrix(values, np.array([True, False])).tolist() == [
        [False, False], [False, False]
    ]
    assert dominance_matrix(values, np.array([False, True])).tolist() == [
        [False, False], [True, False]
    ]


@needs_belarus
def test_the_shipped_baseline() -> None:
    result = run_scenario(ROOT / "scenarios" / "baseline.yaml")
    found = dominance(result.model, result.inputs)
    ranks = {o.id: o.rank for o in result.result.options}
    for item in found.dominated:
        assert item.by and item.by_total == len(item.by) <= SHOWN_DOMINATORS
        assert all(ranks[b] < ranks[item.option] for b in item.by)
    data = to_data(found)
    assert data["scenario"] == "baseline"
    assert [d["option"] for d in data["dominated"]] == [d.option for d in found.dominated]


VALUES = arrays(np.float64, st.tuples(st.integers(2, 6), st.integers(1, 4)),
                elements=st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]))


@settings(max_examples=80, deadline=None)
@given(VALUES, st.data())
def test_a_dominated_option_never_outranks_its_dominator(
    values: np.ndarray, data: st.DataObject  # type: ignore[type-arg]
) -> None:
    o, c = values.shape
    available = np.array(data.draw(st.lists(st.booleans(), min_size=o, max_size=o)))
    weights = np.array(data.draw(st.lists(st.floats(0.05, 1), min_size=c, max_size=c)))
    weights = weights / weights.sum()
    matrix = dominance_matrix(values, available)
    benefit = np.ones(c, dtype=bool)
    for name in METHODS:
        scores = score(name, values[None], weights[None], benefit, available[None])
        ranks = rank(scores, available[None])[0]
        for b, a in zip(*np.nonzero(matrix), strict=True):
            assert ranks[b] < ranks[a] or not available[a] or scores[0, b] == scores[0, a], (
                name, b, a)
