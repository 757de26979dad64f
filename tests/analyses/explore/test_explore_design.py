"""The input space and designs: laws by inverse CDF, the simplex transform, chunking."""

from __future__ import annotations

import numpy as np
import pytest

from decision.analyses.explore.design import (
    Design,
    check_design,
    indicator_ppf,
    project_box,
    simplex,
)
from decision.errors import DecisionError
from decision.specs.scenario import TriangularSpec


def test_simplex_is_uniform_on_the_simplex() -> None:
    w = simplex(np.random.default_rng(0).random((200_000, 3)))
    assert np.allclose(w.sum(axis=1), 1.0) and np.all(w >= 0)
    # Dirichlet(1, 1, 1): each coordinate is Beta(1, 2), mean 1/3, P(w < 0.5) = 3/4
    assert w.mean(axis=0) == pytest.approx([1 / 3] * 3, abs=3e-3)
    assert (w[:, 0] < 0.5).mean() == pytest.approx(0.75, abs=3e-3)


def test_projection_meets_the_bounds() -> None:
    w = simplex(np.random.default_rng(1).random((1000, 4)))
    low, high = np.array([0.1, 0.0, 0.2, 0.0]), np.array([0.4, 0.3, 0.5, 1.0])
    p = project_box(w, low, high)
    assert np.allclose(p.sum(axis=1), 1.0, atol=1e-9)
    assert np.all(p >= low - 1e-12) and np.all(p <= high + 1e-12)


def test_triangular_inverse_cdf_has_its_mean() -> None:
    u = (np.arange(100_000) + 0.5) / 100_000
    x = indicator_ppf(TriangularSpec(dist="triangular", low=0.0, mode=0.2, high=1.0), 0, 1,
                      False, u)
    assert x.mean() == pytest.approx(0.4, abs=1e-4)
    assert indicator_ppf(None, 0, 1, True, u).mean() == pytest.approx(0.5)


@pytest.mark.parametrize("kind", ["mc", "sobol", "lhs"])
def test_chunks_draw_the_same_rows(kind: str) -> None:
    whole = Design(kind, 1024, 4, 7).rows(0, 1024)
    design = Design(kind, 1024, 4, 7)
    parts = np.concatenate([design.rows(a, min(1024, a + 300)) for a in range(0, 1024, 300)])
    np.testing.assert_array_equal(parts, whole)
    assert np.all((whole >= 0) & (whole < 1))


def test_lhs_is_stratified() -> None:
    rows = Design("lhs", 128, 3, 0).rows(0, 128)
    for j in range(3):
        assert sorted(np.floor(rows[:, j] * 128).astype(int).tolist()) == list(range(128))


@pytest.mark.parametrize(("design", "n", "says"), [
    ("grid", 1024, "unknown design"), ("mc", 10, "too few"), ("sobol", 1000, "power of two"),
])
def test_bad_designs(design: str, n: int, says: str) -> None:
    with pytest.raises(DecisionError, match=says):
        check_design(design, n)
