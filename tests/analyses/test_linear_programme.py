"""Tests of decision.analyses.linear_programme: HiGHS through highspy, checked against SciPy's
``linprog`` (the same solver behind SciPy's interface) on random programmes."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from decision.analyses.linear_programme import solve
from tests.conftest import ROOT

FloatArray = NDArray[np.float64]


@st.composite
def programmes(draw: st.DrawFn) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray,
                                          FloatArray]:
    """Weight-change-like programmes: non-negative costs, a few inequality rows, equality rows
    with a feasible or infeasible right-hand side."""
    n = draw(st.integers(2, 9))
    k = draw(st.integers(0, 6))
    e = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    cost = rng.integers(0, 4, n).astype(np.float64)
    a_ub = np.round(rng.normal(size=(k, n)), 3)
    b_ub = np.round(rng.normal(size=k), 3)
    a_eq = np.round(rng.uniform(0, 1, size=(e, n)), 3)
    b_eq = np.round(rng.uniform(0.1, 1, size=e), 3)
    return cost, a_ub, b_ub, a_eq, b_eq


@settings(max_examples=60, deadline=None)
@given(programmes())
def test_solutions_match_scipy_linprog(
    case: tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray],
) -> None:
    from scipy.optimize import linprog  # type: ignore[import-untyped]

    cost, a_ub, b_ub, a_eq, b_eq = case
    found = solve(cost, a_ub, b_ub, a_eq, b_eq)
    reference = linprog(cost, A_ub=a_ub if a_ub.size else None, b_ub=b_ub if b_ub.size else None,
                        A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    assert found.status != "failed"
    assert (found.status == "optimal") == (reference.status == 0)
    if found.status == "infeasible":
        assert reference.status == 2
        return
    assert found.x is not None
    x = found.x
    # feasible (to the solver's tolerance) and as good as SciPy's optimum
    assert x.min() >= -1e-9
    assert np.allclose(a_eq @ x, b_eq, atol=1e-7)
    if a_ub.size:
        assert (a_ub @ x <= b_ub + 1e-7).all()
    assert cost @ x == pytest.approx(reference.fun, abs=1e-7)


def test_known_optimum_and_infeasible() -> None:
    # min x + 2y with x + y = 1, x <= 0.25 (as x - 0 <= 0.25): x = 0.25, y = 0.75
    found = solve(np.array([1.0, 2.0]), np.array([[1.0, 0.0]]), np.array([0.25]),
                  np.array([[1.0, 1.0]]), np.array([1.0]))
    assert found.status == "optimal" and found.x is not None
    assert found.x == pytest.approx([0.25, 0.75])
    # x + y = 1 with x + y <= 0.5: no solution
    assert solve(np.array([1.0, 1.0]), np.array([[1.0, 1.0]]), np.array([0.5]),
                 np.array([[1.0, 1.0]]), np.array([1.0])).status == "infeasible"


def test_the_solver_prints_nothing() -> None:
    """HiGHS's banner (printed by highspy's public class before logging can be switched off)
    must not reach standard output, where ``--json`` writes."""
    code = ("import numpy as np; from decision.analyses.linear_programme import solve; "
            "solve(np.ones(2), np.zeros((0, 2)), np.zeros(0), np.ones((1, 2)), np.ones(1))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout == "" and done.stderr == ""
