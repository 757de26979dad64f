"""PROMETHEE II: net outranking flow from pairwise comparisons with preference functions.

For available options a, b and criterion j, ``d_j(a, b)`` is the oriented difference
(``x_a - x_b`` on benefit criteria, ``x_b - x_a`` on cost criteria) in the criterion's own
units, ``P_j(d)`` in [0, 1] its preference function (0 for d <= 0), ``pi(a, b) =
sum_j w_j P_j(d_j(a, b))`` and the net flow ``phi(a) = sum_b (pi(a, b) - pi(b, a)) / (n - 1)``
over the n available options; phi is in [-1, 1] and is the score.

Preference functions (q: indifference threshold, p: preference threshold, s: Gaussian scale;
all in the criterion's units): ``usual`` (d > 0), ``ushape`` (d > q), ``vshape`` (d / p up to
1), ``level`` (1/2 for q < d <= p, 1 above p), ``linear`` alias ``vshape_indifference``
((d - q) / (p - q) between q and p) and ``gaussian`` (1 - exp(-d^2 / 2 s^2)). Boundaries follow
pymcdm's.

Conventions: with one available option there are no pairs and phi = 0; unavailable options
take part in no pair and score 0.0. Because ``pi(a, b) - pi(b, a) = sum_j w_j H_j(d_j(a, b))``
with ``H_j(d) = sign(d) P_j(|d|)`` odd, each unordered pair is evaluated once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike, NDArray

from decision.errors import DecisionError, did_you_mean
from decision.methods.inputs import FloatArray, finish, prepare

PreferenceKind = Literal["usual", "ushape", "vshape", "level", "linear", "gaussian"]
PREFERENCE_KINDS: tuple[str, ...] = get_args(PreferenceKind)
#: Other names accepted for a preference function.
PREFERENCE_ALIASES: dict[str, str] = {"vshape_indifference": "linear", "vshape_2": "linear"}
#: Which of q, p, s each preference function needs.
PREFERENCE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "usual": (),
    "ushape": ("q",),
    "vshape": ("p",),
    "level": ("q", "p"),
    "linear": ("q", "p"),
    "gaussian": ("s",),
}


@dataclass(frozen=True, slots=True)
class PreferenceFunction:
    """One criterion's preference function and its thresholds (criterion units).

    Raises :class:`DecisionError` for an unknown kind, a missing or stray threshold, or a
    threshold out of range (q >= 0, p > 0, q < p for linear, q <= p for level, s > 0).
    """

    kind: str = "usual"
    q: float | None = None
    p: float | None = None
    s: float | None = None

    def __post_init__(self) -> None:
        kind = PREFERENCE_ALIASES.get(self.kind, self.kind)
        if kind not in PREFERENCE_PARAMETERS:
            names = [*PREFERENCE_KINDS, *PREFERENCE_ALIASES]
            raise DecisionError(
                f"unknown preference function '{self.kind}'{did_you_mean(self.kind, names)}",
                allowed=", ".join(names),
            )
        object.__setattr__(self, "kind", kind)
        needed = PREFERENCE_PARAMETERS[kind]
        for name in ("q", "p", "s"):
            value = getattr(self, name)
            if name in needed and value is None:
                raise DecisionError(
                    f"preference function '{kind}' needs {name}",
                    allowed=f"{kind} with " + ", ".join(needed),
                )
            if name not in needed and value is not None:
                raise DecisionError(
                    f"preference function '{kind}' takes no {name}",
                    allowed=f"{kind} with " + (", ".join(needed) or "no thresholds"),
                )
            if value is not None and not math.isfinite(value):
                raise DecisionError(f"{name} must be finite, got {value}", allowed="a number")
        q, p, s = self.q, self.p, self.s
        if q is not None and q < 0:
            raise DecisionError(f"q must be >= 0, got {q}", allowed="q >= 0")
        if p is not None and p <= 0:
            raise DecisionError(f"p must be > 0, got {p}", allowed="p > 0")
        if s is not None and s <= 0:
            raise DecisionError(f"s must be > 0, got {s}", allowed="s > 0")
        if kind == "linear" and q is not None and p is not None and not q < p:
            raise DecisionError(f"linear needs q < p, got q={q}, p={p}", allowed="0 <= q < p")
        if kind == "level" and q is not None and p is not None and not q <= p:
            raise DecisionError(f"level needs q <= p, got q={q}, p={p}", allowed="0 <= q <= p")


USUAL = PreferenceFunction()


def promethee_ii(
    performance: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike,
    available: ArrayLike | None = None,
    *,
    preference: PreferenceFunction | Sequence[PreferenceFunction] = USUAL,
) -> FloatArray:
    """PROMETHEE II net flows phi, shape ``(..., options)``; higher is better.

    ``preference`` is one function for every criterion or one per criterion.
    """
    problem = prepare(performance, weights, benefit, available)
    n_options, n_criteria = problem.n_options, problem.n_criteria
    functions = _per_criterion(preference, n_criteria)
    if n_options < 2:
        return finish(np.zeros(problem.output_shape), problem)

    incidence = _incidence(n_options)  # (pairs, options): +1 at a, -1 at b
    diff = np.matmul(incidence, problem.performance)  # x_a - x_b, exact: (..., pairs, criteria)
    signed_weights = problem.weights * np.where(problem.benefit, 1.0, -1.0)

    net_pair: FloatArray | None = None  # pi(a, b) - pi(b, a), (..., pairs)
    for kind, columns in _groups(functions):
        if len(columns) == n_criteria:
            part, w = diff, signed_weights
        else:
            part, w = diff[..., columns], signed_weights[..., columns]
        h = _odd_preference(kind, part, [functions[j] for j in columns])
        term: FloatArray = np.einsum("...kc,...c->...k", h, w)
        net_pair = term if net_pair is None else net_pair + term
    assert net_pair is not None

    others: float | NDArray[np.int_] = n_options - 1
    if problem.available is not None:
        a, b = _pair_indices(n_options)
        net_pair = np.where(problem.available[..., a] & problem.available[..., b], net_pair, 0.0)
        others = np.maximum(problem.available.sum(axis=-1, keepdims=True) - 1, 1)
    # einsum: OpenBLAS is slow on this tall, skinny product.
    flows: FloatArray = np.einsum("...k,ko->...o", net_pair, incidence)
    flows /= others
    return finish(flows, problem)


def _per_criterion(
    preference: PreferenceFunction | Sequence[PreferenceFunction], n_criteria: int
) -> list[PreferenceFunction]:
    if isinstance(preference, PreferenceFunction):
        return [preference] * n_criteria
    functions = list(preference)
    if len(functions) != n_criteria or not all(
        isinstance(f, PreferenceFunction) for f in functions
    ):
        raise DecisionError(
            f"{len(functions)} preference functions for {n_criteria} criteria",
            allowed="one preference function, or one per criterion",
        )
    return functions


def _groups(functions: list[PreferenceFunction]) -> list[tuple[str, list[int]]]:
    """Criteria indices grouped by preference-function kind, in first-seen order."""
    groups: dict[str, list[int]] = {}
    for j, f in enumerate(functions):
        groups.setdefault(f.kind, []).append(j)
    return list(groups.items())


def _thresholds(functions: list[PreferenceFunction], name: str) -> FloatArray:
    return np.array([getattr(f, name) for f in functions], dtype=np.float64)


def _odd_preference(
    kind: str, d: FloatArray, functions: list[PreferenceFunction]
) -> FloatArray:
    """``H(d) = sign(d) * P(|d|)`` for one kind of preference function, elementwise."""
    if kind == "usual":
        return np.sign(d)
    if kind == "vshape":
        out = d / _thresholds(functions, "p")
        return np.clip(out, -1.0, 1.0, out=out)
    if kind == "gaussian":
        s = _thresholds(functions, "s")
        out = d * d
        out *= -0.5 / (s * s)
        np.expm1(out, out=out)
        out *= -np.sign(d)
        return out
    magnitude = np.abs(d)
    if kind == "ushape":
        out = (magnitude > _thresholds(functions, "q")).astype(np.float64)
    elif kind == "level":
        q, p = _thresholds(functions, "q"), _thresholds(functions, "p")
        out = (magnitude > q).astype(np.float64)
        out += magnitude > p
        out *= 0.5
    else:  # linear
        q, p = _thresholds(functions, "q"), _thresholds(functions, "p")
        magnitude -= q
        magnitude /= p - q
        out = np.clip(magnitude, 0.0, 1.0, out=magnitude)
    out *= np.sign(d)
    return out


@cache
def _pair_indices(n_options: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Indices (a, b) of the unordered pairs a < b."""
    a, b = np.triu_indices(n_options, 1)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


@cache
def _incidence(n_options: int) -> FloatArray:
    """``(pairs, options)`` matrix with +1 at a and -1 at b for each pair a < b."""
    a, b = _pair_indices(n_options)
    out = np.zeros((len(a), n_options))
    rows = np.arange(len(a))
    out[rows, a] = 1.0
    out[rows, b] = -1.0
    out.setflags(write=False)
    return out
