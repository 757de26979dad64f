"""``decision rank``: rank a plain decision matrix without writing a model.

For users coming from pymcdm or scikit-criteria: a CSV or YAML matrix, weights, criterion
types and a method. The weighted sum and product default to max normalisation here, since a
plain matrix is in natural units rather than on a 0-1 value scale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from decision.core.engine import rank
from decision.core.methods import get_method, score
from decision.core.methods.inputs import BoolArray, power_of_two_scaled
from decision.core.methods.normalisation import DOMAINS, out_of_domain
from decision.core.weights import normalise_weights
from decision.errors import DecisionError
from decision.files.matrix import (
    DecisionMatrix,
    load_matrix,
    parse_types,
    parse_weights,
    plain_float,
)
from decision.results import rounded

RAW_DEFAULTS: dict[str, dict[str, Any]] = {
    "wsm": {"normalisation": "max"},
    "wpm": {"normalisation": "max"},
}


@dataclass(frozen=True)
class MatrixRanking:
    """A plain matrix ranked by one method."""

    file: str
    method: dict[str, Any]
    criteria: list[str]
    weights: list[float]
    benefit: list[bool]
    options: list[dict[str, Any]]  # in rank order: rank, option, score


def parse_params(params: Sequence[str]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs; numbers become floats, everything else stays text."""
    parsed: dict[str, Any] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise DecisionError(
                f"parameter '{item}' is not KEY=VALUE",
                key_path="--param",
                allowed="KEY=VALUE, e.g. normalisation=minmax or v=0.5",
            )
        number = plain_float(value)
        parsed[key.strip()] = value.strip() if math.isnan(number) else number
    return parsed


def rank_matrix(
    path: str, weights_text: str, types_text: str, method: str, params: Sequence[str]
) -> MatrixRanking:
    """Load the matrix, check the options, score and rank (ties in file order).

    Every problem is a :class:`DecisionError` naming the file: a value outside the chosen
    normalisation's domain names its row and cell, and a score that cannot be computed in
    floating point is refused rather than shown as NaN (so the JSON is always valid).
    """
    matrix = load_matrix(path)
    n = len(matrix.criteria)
    # Exact power-of-two scaling first: weights near 1e308 must not overflow their sum.
    weights = normalise_weights(power_of_two_scaled(parse_weights(weights_text, n)))
    benefit = parse_types(types_text, n)
    info = get_method(method, ("--method",))
    chosen = {**RAW_DEFAULTS.get(info.name, {}), **parse_params(params)}
    parsed = info.parse({"name": info.name, **chosen}, ("--param",))
    normalisation = getattr(parsed, "normalisation", None)
    if normalisation is not None:
        _check_domain(matrix, benefit, str(normalisation), path)
    available = np.ones(len(matrix.options), dtype=bool)
    try:
        scores = score(info.name, matrix.values, weights, benefit, available, parsed)
    except DecisionError as error:
        raise error.located(file=path) from None
    ranks = rank(scores[None, :], available[None, :])[0]
    order = np.argsort(ranks)
    return MatrixRanking(
        file=path,
        method={"name": info.name, **chosen},
        criteria=list(matrix.criteria),
        weights=[float(w) for w in weights],
        benefit=[bool(b) for b in benefit],
        options=[
            {
                "rank": int(ranks[i]),
                "option": matrix.options[i],
                "score": rounded(float(scores[i])),
            }
            for i in order
        ],
    )


def _check_domain(matrix: DecisionMatrix, benefit: BoolArray, kind: str, path: str) -> None:
    """Refuse the first value outside ``kind``'s domain, naming its row and cell."""
    bad = out_of_domain(matrix.values, benefit, kind)
    if bad is None or not bad.any():
        return
    row, column = (int(i) for i in np.argwhere(bad)[0])
    raise DecisionError(
        f"{matrix.values[row, column]:g} is outside the domain of normalisation '{kind}'",
        file=path,
        line=matrix.lines[row] if matrix.lines else None,
        key_path=f"{matrix.options[row]}.{matrix.criteria[column]}",
        allowed=f"{DOMAINS[kind]}, or another normalisation (--param normalisation=minmax)",
    )
