"""Objective weights from the performance table: entropy and CRITIC, batched and masked.

Both read how much each criterion separates the options, not what anyone values, so they are a
reference beside elicited weights (and a default for a plain matrix without any): ``decision
rank --weights entropy`` or ``--weights critic`` uses them as the weight set.

``entropy_weights(performance, available)``: each column is sum-normalised over the ``m``
available options (``p_ij = x_ij / sum_i x_ij``), its entropy is ``e_j = -sum_i p_ij ln p_ij /
ln m`` (``0 ln 0 = 0``) and the weights are ``(1 - e_j) / sum_k (1 - e_k)`` (Shannon; Zeleny
1982). Values must be >= 0. pymcdm's ``entropy_weights`` sets the entropy of a column that
contains a 0 to 0 instead; the two agree on positive tables.

``critic_weights(performance, benefit, available)``: columns min-max normalised over available
options (cost columns mirrored), ``C_j = sigma_j sum_k (1 - r_jk)`` with ``sigma`` the sample
standard deviation (ddof 1) and ``r`` Pearson's correlation between columns, weights ``C_j /
sum_k C_k`` (Diakoulaki, Mavrotas & Papayannakis 1995; pymcdm's ``critic_weights`` on a table
whose cost columns are negated).

Conventions: a column that is constant over the available options carries no information (its
weight is 0; for CRITIC it correlates 0 with every other column); when no column separates the
options (every column constant, or fewer than two available options) the weights are equal.
Weights are ``(..., criteria)``, non-negative and sum to 1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from decision.core.methods.inputs import FloatArray, column_extremes, prepare
from decision.core.methods.normalisation import checked_domain, column_scaling, out_of_domain


def entropy_weights(performance: ArrayLike, available: ArrayLike | None = None) -> FloatArray:
    """Entropy weights ``(..., criteria)`` of ``performance (..., options, criteria)``."""
    perf, benefit, avail = _inputs(performance, available)
    perf = checked_domain(out_of_domain(perf, benefit, "max"), perf, avail, "entropy weights",
                          "values >= 0")
    share = column_scaling(perf, benefit, avail, "sum").apply()
    count = _count(perf, avail)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = share * np.log(share)
    np.copyto(terms, 0.0, where=share <= 0.0)
    if avail is not None:
        np.copyto(terms, 0.0, where=~avail[..., None])
    entropy = -np.add.reduce(terms, axis=-2)
    log_m = np.log(np.maximum(count, 1.0))  # no available option: log 1 = 0, equal weights
    entropy = np.divide(entropy, log_m, out=np.ones_like(entropy), where=log_m > 0)
    divergence = np.clip(1.0 - entropy, 0.0, None)
    divergence[_constant(perf, avail)] = 0.0
    return _share(divergence)


def critic_weights(
    performance: ArrayLike, benefit: ArrayLike, available: ArrayLike | None = None
) -> FloatArray:
    """CRITIC weights ``(..., criteria)`` of ``performance (..., options, criteria)``."""
    n_criteria = np.shape(performance)[-1] if np.ndim(performance) >= 2 else 1
    problem = prepare(performance, np.ones(n_criteria), benefit, available)
    perf, avail = problem.performance, problem.available
    values = column_scaling(perf, problem.benefit, avail, "minmax").apply()
    weight = (
        np.ones(perf.shape[:-1]) if avail is None
        else np.broadcast_to(avail, perf.shape[:-1]).astype(np.float64)
    )
    count = weight.sum(axis=-1)[..., None]  # (..., 1)
    mean = np.einsum("...o,...oc->...c", weight, values) / np.maximum(count, 1.0)
    centred = (values - mean[..., None, :]) * weight[..., None]
    scatter = np.einsum("...oc,...od->...cd", centred, centred)  # (..., c, c)
    variance = np.diagonal(scatter, axis1=-2, axis2=-1).copy()
    constant = _constant(perf, avail) | ~(variance > 0)
    variance[constant] = 1.0
    scale = np.sqrt(variance)
    correlation = scatter / (scale[..., :, None] * scale[..., None, :])
    np.clip(correlation, -1.0, 1.0, out=correlation)
    pair = constant[..., :, None] | constant[..., None, :]
    np.copyto(correlation, 0.0, where=pair)
    sigma = np.sqrt(variance / np.maximum(count - 1.0, 1.0))
    conflict = (1.0 - correlation).sum(axis=-1)
    information = sigma * conflict
    information[constant] = 0.0
    return _share(information)


def _inputs(
    performance: ArrayLike, available: ArrayLike | None
) -> tuple[FloatArray, np.ndarray, np.ndarray | None]:
    """Checked performance, an all-benefit vector and the mask (via :func:`prepare`)."""
    n_criteria = np.shape(performance)[-1] if np.ndim(performance) >= 2 else 1
    benefit = np.ones(n_criteria, dtype=np.bool_)
    problem = prepare(performance, np.ones(n_criteria), benefit, available)
    return problem.performance, benefit, problem.available


def _count(perf: FloatArray, avail: np.ndarray | None) -> FloatArray:
    """Available options per batch element, shaped ``(..., 1)``."""
    if avail is None:
        return np.full((*perf.shape[:-2], 1), float(perf.shape[-2]))
    counted: FloatArray = np.broadcast_to(avail, perf.shape[:-1]).sum(axis=-1)[..., None]
    return counted.astype(np.float64)


def _constant(perf: FloatArray, avail: np.ndarray | None) -> np.ndarray:
    """Columns constant over the available options, ``(..., criteria)``."""
    high, low = column_extremes(perf, avail)
    constant: np.ndarray = (high == low)[..., 0, :]
    return constant


def _share(information: FloatArray) -> FloatArray:
    """``information / sum``, or equal weights where nothing separates the options."""
    total = information.sum(axis=-1, keepdims=True)
    n = information.shape[-1]
    out = np.full_like(information, 1.0 / n)
    np.divide(information, total, out=out, where=np.broadcast_to(total > 0, out.shape))
    return out
