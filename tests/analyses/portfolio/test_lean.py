"""The lean enumerations (``sample_best``, ``best_within``) against the full analysis: the same
figures to the bit on random problems, whatever the chunk sizes, and for costs shared by every
sample (the broadcast array the adaptive plan's rows carry)."""

from __future__ import annotations

import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision.analyses.portfolio.enumerate import (
    PortfolioProblem,
    analyse_portfolio,
    best_within,
    member_matrix,
    sample_best,
)
from tests.analyses.portfolio.test_enumerate import problems

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
PROPERTY = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
CHUNKS = (st.sampled_from([None, 1, 2, 3]), st.sampled_from([None, 1, 2, 4, 16]))


def shared_costs(p: PortfolioProblem) -> PortfolioProblem:
    """``p`` with every sample's costs those of its first sample, as a broadcast (n, r) array."""
    return PortfolioProblem(
        values=p.values, costs=p.costs[0], budgets=p.budgets, available=p.available,
        interactions=p.interactions, exclusions=p.exclusions, dependencies=p.dependencies,
        eligible=p.eligible,
    )


def same_best(p: PortfolioProblem, rows: int | None, block: int | None) -> None:
    full = analyse_portfolio(p)
    masks, values, marginal = sample_best(p, marginal=True, chunk_samples=rows,
                                          chunk_bundles=block)
    assert np.array_equal(masks, full.sample_best_masks)
    assert np.array_equal(values, full.sample_best_values)
    assert np.array_equal(marginal, full.sample_marginal)
    lean_masks, lean_values, none = sample_best(p, chunk_samples=rows, chunk_bundles=block)
    assert np.array_equal(lean_masks, masks) and np.array_equal(lean_values, values)
    assert none.shape == (p.n_samples, 0)


@PROPERTY
@given(problems(max_n=7, max_s=5, max_r=2), *CHUNKS)
def test_sample_best_is_the_full_analysis(
    p: PortfolioProblem, rows: int | None, block: int | None
) -> None:
    same_best(p, rows, block)


@PROPERTY
@given(problems(max_n=7, max_s=5, min_r=1, max_r=2), *CHUNKS)
def test_shared_costs_give_the_same_figures(
    p: PortfolioProblem, rows: int | None, block: int | None
) -> None:
    shared = shared_costs(p)
    assert shared.n_samples == 1 or shared.costs.strides[0] == 0  # the shared-cost path
    same_best(shared, rows, block)


@PROPERTY
@given(
    problems(max_n=6, max_s=4, max_r=2),
    st.lists(st.integers(0, (1 << 6) - 1), min_size=1, max_size=5),
    *CHUNKS,
    st.booleans(),
)
def test_best_within_is_the_enumeration_restricted_to_the_members(
    p: PortfolioProblem,
    raw: list[int],
    rows: int | None,
    block: int | None,
    share: bool,
) -> None:
    p = shared_costs(p) if share and p.n_resources else p
    masks = np.array([m & ((1 << p.n_options) - 1) for m in raw], dtype=np.uint32)
    got = best_within(p, masks, chunk_samples=rows, chunk_bundles=block)
    assert got.shape == (p.n_samples, masks.size)
    own = np.ones(p.n_options, dtype=np.bool_) if p.eligible is None else p.eligible
    for c, member in enumerate(member_matrix(masks, p.n_options)):
        restricted = PortfolioProblem(
            values=p.values, costs=p.costs, budgets=p.budgets, available=p.available,
            interactions=p.interactions, exclusions=p.exclusions,
            dependencies=p.dependencies, eligible=own & member,
        )
        assert np.array_equal(got[:, c], analyse_portfolio(restricted).sample_best_values)
    assert np.all(got <= analyse_portfolio(p).sample_best_values[:, None])
