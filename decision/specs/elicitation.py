"""Weight elicitation: a weight set recorded as the answers it came from, and the arithmetic
that turns those answers into weights.

A model's criteria weights (``weight_elicitation``) or a perspective's weights
(``elicitation``) may be given as one of four elicitations:

- **swing**: the swings from worst to best on each criterion, in order of preference (the
  first is worth most), and points for each against the first (which has 100); a weight is
  its points over the sum of points (von Winterfeldt & Edwards 1986, ch. 8).
- **roc** (SMARTER): the order alone; weights are the rank-order centroid,
  ``w_k = (1/n) sum_{j=k..n} 1/j`` (Barron & Barrett 1996; Edwards & Barron 1994). The same
  order may serve SMAA as an ordinal constraint.
- **ahp**: pairwise comparisons on Saaty's 1-9 scale; weights are the principal eigenvector
  of the reciprocal matrix, with the consistency ratio ``CR = CI / RI``, ``CI = (lambda_max -
  n) / (n - 1)`` and Saaty's random index RI (Saaty 1980; 1987).
- **direct**: points per criterion, normalised.

The arithmetic is plain Python (no numpy), so ``decision validate`` fills the weights without
importing the numeric engine; the criteria are few, so a power iteration finds the AHP
eigenvector in microseconds. The spec, :class:`~decision.specs.model.ElicitationSpec`, reads
the answers and checks them; this module imports nothing of the package, so the model spec
stays one layer deep.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

#: Saaty's scale runs from 1/9 to 9; a written 1/9 may be rounded (0.11), so the low end
#: accepts values within this relative tolerance of 1/9.
SAATY_MAX = 9.0
SAATY_TOLERANCE = 0.02
#: Two entries ``a: {b: x}`` and ``b: {a: y}`` are reciprocal when ``x * y`` is 1 within this.
RECIPROCAL_TOLERANCE = 0.02
#: The consistency ratio above which judgements are too inconsistent to trust (Saaty 1980).
MAX_CONSISTENCY_RATIO = 0.1
#: Saaty's random index by matrix size n (index n; 1987 table, as pyDecision and pymcdm use).
RANDOM_INDEX = (0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48,
                1.56, 1.57, 1.59)
#: Most criteria an AHP elicitation compares (the random-index table ends there).
MAX_AHP_CRITERIA = len(RANDOM_INDEX) - 1
#: Points the top swing has.
TOP_POINTS = 100.0

# ---------------------------------------------------------------------------- arithmetic


def roc_weights(n: int) -> list[float]:
    """Rank-order centroid weights of ``n`` ranked criteria, most important first:
    ``w_k = (1/n) sum_{j=k..n} 1/j`` (Barron & Barrett 1996)."""
    if n < 1:
        raise ValueError("ROC needs at least one criterion")
    tail = [0.0] * (n + 1)
    for j in range(n, 0, -1):
        tail[j - 1] = tail[j] + 1.0 / j
    return [tail[k] / n for k in range(n)]


def normalised(points: Sequence[float]) -> list[float]:
    """Points scaled to sum to 1 (swing and direct elicitation)."""
    total = math.fsum(points)
    if not total > 0:
        raise ValueError("points are all zero")
    return [p / total for p in points]


@dataclass(frozen=True)
class AhpResult:
    """AHP weights of a pairwise matrix and its consistency."""

    weights: list[float]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float


def ahp(matrix: Sequence[Sequence[float]], *, tolerance: float = 1e-15) -> AhpResult:
    """Principal-eigenvector weights of a positive reciprocal matrix and its consistency.

    Power iteration converges for any positive matrix (Perron-Frobenius); ``lambda_max`` is
    the mean of ``(A w)_i / w_i``, which equals the Perron root at the fixed point. The
    consistency ratio is 0 for n <= 2 (every such matrix is consistent).
    """
    n = len(matrix)
    if n < 1 or any(len(row) != n for row in matrix):
        raise ValueError("AHP needs a square matrix")
    if n > MAX_AHP_CRITERIA:
        raise ValueError(f"AHP compares at most {MAX_AHP_CRITERIA} criteria")
    # start from the normalised geometric means: exact for a consistent matrix
    w = normalised([math.exp(math.fsum(math.log(a) for a in row) / n) for row in matrix])
    for _ in range(10_000):
        product = [math.fsum(a * x for a, x in zip(row, w, strict=True)) for row in matrix]
        nxt = normalised(product)
        change = max(abs(a - b) for a, b in zip(nxt, w, strict=True))
        w = nxt
        if change <= tolerance:
            break
    product = [math.fsum(a * x for a, x in zip(row, w, strict=True)) for row in matrix]
    lambda_max = math.fsum(p / x for p, x in zip(product, w, strict=True)) / n
    ci = max(0.0, (lambda_max - n) / (n - 1)) if n > 1 else 0.0
    cr = ci / RANDOM_INDEX[n] if RANDOM_INDEX[n] > 0 else 0.0
    return AhpResult(w, lambda_max, ci, cr)


def triad_inconsistency(matrix: Sequence[Sequence[float]], i: int, j: int, k: int) -> float:
    """How far ``a_ij * a_jk`` is from ``a_ik``, as ``|ln(a_ij a_jk / a_ik)|``: 0 for a
    consistent triad, ln 9 when a judgement is off by a factor of 9."""
    return abs(math.log(matrix[i][j] * matrix[j][k] / matrix[i][k]))


def worst_triads(
    matrix: Sequence[Sequence[float]], count: int = 3
) -> list[tuple[float, tuple[int, int, int]]]:
    """The ``count`` most inconsistent triads ``(i, j, k)`` (i < j < k), worst first."""
    scored = [
        (triad_inconsistency(matrix, i, j, k), (i, j, k))
        for i, j, k in combinations(range(len(matrix)), 3)
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [item for item in scored[:count] if item[0] > 0]
