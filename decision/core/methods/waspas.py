"""WASPAS: a blend of the weighted sum and the weighted product of one normalised matrix.

``Q = lam * sum_j w_j n_ij + (1 - lam) * prod_j n_ij ** w_j`` (Zavadskas, Turskis,
Antucheviciene & Zakarevicius 2012), with ``lam`` in [0, 1]: ``lam = 1`` is exactly the
weighted sum and ``lam = 0`` exactly the weighted product of the same normalisation (they are
then what is computed, to the bit). The default normalisation is the paper's ``linear`` one
(``x / max`` on benefit, ``min / x`` on cost criteria), as in pymcdm and pyrepo-mcda; any
normalisation of :mod:`decision.core.methods.normalisation` may be chosen.

Conventions are those of the two parts (see :mod:`decision.core.methods.weighted`): a
normalised 0 on a weighted criterion vetoes the product part only (the sum part still counts),
a negative normalised value of an available option raises :class:`DecisionError` unless
``lam = 1``, statistics come from available options only and unavailable options score 0.0.
With ``normalisation="none"`` the method is absolute.
"""

from __future__ import annotations

from numpy.typing import ArrayLike

from decision.core.methods.inputs import (
    FloatArray,
    criteria_dot,
    finish,
    prepare,
    quiet_placeholders,
)
from decision.core.methods.normalisation import Normalisation, column_scaling
from decision.core.methods.weighted import product_scores, weighted_product, weighted_sum


@quiet_placeholders
def waspas(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    *,
    lam: float = 0.5,
    normalisation: Normalisation = "linear",
) -> FloatArray:
    """WASPAS joint criterion ``Q``, shape ``(..., options)``; higher is better.

    One normalisation serves both parts; the sum is taken before the product overwrites the
    normalised matrix with its logarithms, so the whole method makes one copy of the data.
    """
    if lam == 1.0:
        return weighted_sum(performance, weights, benefit, available, normalisation=normalisation)
    if lam == 0.0:
        return weighted_product(performance, weights, benefit, available,
                                normalisation=normalisation)
    problem = prepare(performance, weights, benefit, available)
    cs = column_scaling(problem.performance, problem.benefit, problem.available, normalisation)
    values = cs.apply()
    total = criteria_dot(values, problem.weights)
    total *= lam
    product = product_scores(cs, values, problem)
    product *= 1.0 - lam
    product += total
    return finish(product, problem)
