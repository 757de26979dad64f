"""Small dense linear programmes, solved by HiGHS through its own Python bindings (highspy).

``minimise c @ x subject to A_ub @ x <= b_ub, A_eq @ x == b_eq, x >= 0``: the form the
perspectives analysis asks (:func:`decision.analyses.perspectives.minimal_weight_change`).
HiGHS is the solver ``scipy.optimize.linprog(method="highs")`` runs; calling it through highspy
spares the report importing ``scipy.optimize`` (about 0.4 CPU seconds, a quarter of the whole
report's budget) for a few dozen programmes of a few dozen variables.

The solver is highspy's core class ``_Highs``, not its public ``Highs``: the public class
switches HiGHS's logging on as it is made, so HiGHS prints its banner to the C-level standard
output before ``output_flag`` can be turned off (HiGHS issue 2749), which would corrupt a
``--json`` stream. The core class is what ``Highs`` extends; logging is switched off before
anything else. ``tests/analyses/test_linear_programme.py`` checks the solutions against
``scipy.optimize.linprog`` on random programmes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from decision.core.compile import FloatArray

Status = Literal["optimal", "infeasible", "failed"]


@dataclass(frozen=True)
class Solution:
    """``status`` and, when optimal, the solution ``x`` (else None)."""

    status: Status
    x: FloatArray | None


def solve(
    cost: FloatArray,
    a_ub: FloatArray,
    b_ub: FloatArray,
    a_eq: FloatArray,
    b_eq: FloatArray,
) -> Solution:
    """The optimum of ``min cost @ x`` over ``x >= 0`` with ``a_ub @ x <= b_ub`` and
    ``a_eq @ x == b_eq`` (dense matrices). A programme whose objective is bounded below on
    ``x >= 0`` (non-negative costs) that HiGHS calls "unbounded or infeasible" is infeasible."""
    from highspy import _core

    n = cost.size
    matrix = np.vstack([a_ub, a_eq]).reshape(-1, n)
    lp = _core.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = matrix.shape[0]
    lp.col_cost_ = np.asarray(cost, dtype=np.float64)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.full(n, _core.kHighsInf)
    lp.row_lower_ = np.concatenate([np.full(b_ub.size, -_core.kHighsInf), b_eq])
    lp.row_upper_ = np.concatenate([b_ub, b_eq]).astype(np.float64)
    column, row = np.nonzero(matrix.T)  # the non-zeros column by column
    lp.a_matrix_.format_ = _core.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(column, np.arange(n + 1)).astype(np.int32)
    lp.a_matrix_.index_ = row.astype(np.int32)
    lp.a_matrix_.value_ = matrix.T[column, row].astype(np.float64)
    highs = _core._Highs()
    highs.setOptionValue("output_flag", False)
    highs.passModel(lp)
    highs.run()
    status = highs.getModelStatus()
    if status == _core.HighsModelStatus.kOptimal:
        return Solution("optimal", np.asarray(highs.getSolution().col_value, dtype=np.float64))
    if status == _core.HighsModelStatus.kInfeasible or (
        status == _core.HighsModelStatus.kUnboundedOrInfeasible and bool(np.all(cost >= 0))
    ):
        return Solution("infeasible", None)
    return Solution("failed", None)
