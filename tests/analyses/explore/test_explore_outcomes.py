"""What each explored sample says about packages: read from one bundle table (the
enumeration's sums held bundle-major), the best package and value of every sample and what
any candidate packages deliver are the portfolio enumeration's own figures, to the bit."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision.analyses.explore import outcomes
from decision.analyses.explore.outcomes import Assessed, best_packages, within
from decision.analyses.portfolio.enumerate import (
    PortfolioProblem,
    best_within,
    bundle_table,
    sample_best,
)
from tests.analyses.portfolio.test_enumerate import problems

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _shared(p: PortfolioProblem) -> PortfolioProblem:
    """``p`` with every sample's costs its first sample's, as a broadcast (n, r) array."""
    return PortfolioProblem(
        values=p.values, costs=p.costs[0], budgets=p.budgets, available=p.available,
        interactions=p.interactions, exclusions=p.exclusions, dependencies=p.dependencies,
        eligible=p.eligible,
    )


def _assessed(p: PortfolioProblem) -> Assessed:
    mask, value, table = best_packages(p)
    s = p.n_samples
    return Assessed(np.zeros((s, 1)), np.zeros(s, dtype=np.int64), mask, value, table, p)


@PROPERTY
@given(problems(max_s=4), st.booleans(), st.data())
def test_the_table_gives_the_enumerations_figures(p: PortfolioProblem, shared: bool,
                                                  data: st.DataObject) -> None:
    """Best package (the lowest mask on ties) and value per sample, and the best value over
    each candidate's subsets, as sample_best and best_within give them (costs per sample or
    shared; budgets, interactions, exclusions and dependencies drawn)."""
    if shared and p.n_options:
        p = _shared(p)
    table = bundle_table(p)
    assert table.shape == (1 << p.n_options, p.n_samples)
    masks, values, _ = sample_best(p)
    found_masks, found_values, held = best_packages(p)
    assert held is not None
    assert np.array_equal(found_masks, masks) and found_masks.dtype == masks.dtype
    assert np.array_equal(found_values, values)
    candidates = np.array(data.draw(st.lists(st.integers(0, (1 << p.n_options) - 1),
                                             min_size=1, max_size=6)), dtype=np.uint32)
    expected = best_within(p, candidates)
    found = within(_assessed(p), candidates)
    assert np.array_equal(found, expected) and found.flags.c_contiguous


def test_too_large_a_table_is_left_to_the_enumeration(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the table's size, the enumeration answers (the same figures)."""
    p = PortfolioProblem(values=np.array([[0.3, -0.1, 0.2], [0.1, 0.4, -0.2]]),
                         costs=np.array([[1.0], [2.0], [1.5]]), budgets=np.array([3.0]),
                         available=np.ones((2, 3), dtype=bool))
    candidates = np.array([0b111, 0b011], dtype=np.uint32)
    from_table = within(_assessed(p), candidates)
    monkeypatch.setattr(outcomes, "TABLE_ELEMENTS", 4)
    masks, values, table = best_packages(p)
    assert table is None
    assert np.array_equal(masks, sample_best(p)[0]) and np.array_equal(values, sample_best(p)[1])
    enumerated = within(_assessed(p), candidates)
    assert np.array_equal(enumerated, best_within(p, candidates))
    assert np.array_equal(enumerated, from_table)
