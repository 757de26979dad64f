"""The input space and designs: laws by inverse CDF, the simplex transform, chunking."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.analyses.explore.design import (
    Design,
    _triangular_into,
    check_design,
    indicator_ppf,
    input_space,
    project_box,
    simplex,
    weight_points,
)
from decision.errors import DecisionError
from decision.specs.scenario import TriangularSpec
from decision.uncertainty.sampling import _triangular, draw_range
from tests.generated import MINI, compiled_inputs

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))


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


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 40), st.integers(1, 6))
def test_triangular_into_is_samplings_triangular(seed: int, n: int, k: int) -> None:
    """The in-place inverse CDF gives the sampler's bits: zero-width ranges, u at 0 and at
    the mode's split included, on rows of samples (parameters one per row)."""
    rng = np.random.default_rng(seed)
    low = rng.normal(size=(k, 1))
    high = low + rng.random((k, 1)) * (rng.random((k, 1)) > 0.2)
    mode = low + (high - low) * rng.choice([0.0, 1.0, 0.5, rng.random()], size=(k, 1))
    u = rng.random((k, n))
    u[rng.random((k, n)) < 0.1] = 0.0
    out = np.empty((k, n))
    _triangular_into(u, low, mode, high, out)
    assert np.array_equal(out, _triangular(u, low, mode, high))


def test_mc_rows_are_the_sampling_blocks_draws() -> None:
    """The mc design's rows, drawn in place, are draw_range's (spanning a block boundary)."""
    found = Design("mc", 9000, 3, 11).rows(4000, 8300)
    expected = draw_range(11, 4000, 8300, lambda rng, m: (rng.random((m, 3)),))[0]
    np.testing.assert_array_equal(found, expected)


def test_natural_maps_each_column_as_its_law_does() -> None:
    """The transposed, kind-by-kind mapping gives, bit for bit, each column through its own
    inverse CDF row by row (a scenario's law, the default uniform range, a boolean, the
    triangular judgements) and the weights through the simplex; its columns are
    contiguous."""
    model, inputs = compiled_inputs(MINI / "open.yaml", 16)
    space = input_space(model, inputs)
    u = np.random.default_rng(4).random((300, space.d))
    u[:4] = np.array([0.0, 0.5, 0.25, 1.0 - 2.0**-53])[:, None]  # the ends and the middle
    found = space.natural(u)
    expected = np.empty_like(u)
    kinds = [c.kind for c in space.columns]
    for j, col in enumerate(space.columns):
        if col.kind == "indicator":
            k = col.index
            expected[:, j] = indicator_ppf(inputs.settings.get(k), float(model.low[k]),
                                           float(model.high[k]), bool(model.is_boolean[k]),
                                           u[:, j])
        elif col.kind == "judgement":
            flat = col.index
            expected[:, j] = _triangular(u[:, j], model.judgement_low.reshape(-1)[flat],
                                         model.judgement.reshape(-1)[flat],
                                         model.judgement_high.reshape(-1)[flat])
    ws = [j for j, kind in enumerate(kinds) if kind == "weight"]
    assert space.weights is not None and ws
    expected[:, ws] = weight_points(space.weights, u[:, ws])
    assert {"indicator", "judgement", "weight"} <= set(kinds)
    np.testing.assert_array_equal(found, expected)
    assert found.T.flags.c_contiguous
