"""``decision rank``: rank a plain decision matrix without writing a model.

For users coming from pymcdm or scikit-criteria: a CSV or YAML matrix, weights, criterion
types and a method. The weighted sum and product default to max normalisation here, since a
plain matrix is in natural units rather than on a 0-1 value scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from decision.engine import rank
from decision.errors import DecisionError
from decision.methods import get_method, score
from decision.methods.matrix import load_matrix, parse_types, parse_weights
from decision.weights import normalise_weights

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "method": self.method,
            "criteria": self.criteria,
            "weights": self.weights,
            "benefit": self.benefit,
            "options": self.options,
        }


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
        try:
            parsed[key.strip()] = float(value)
        except ValueError:
            parsed[key.strip()] = value.strip()
    return parsed


def rank_matrix(
    path: str, weights_text: str, types_text: str, method: str, params: Sequence[str]
) -> MatrixRanking:
    """Load the matrix, check the options, score and rank (ties in file order)."""
    matrix = load_matrix(path)
    n = len(matrix.criteria)
    weights = parse_weights(weights_text, n)
    benefit = parse_types(types_text, n)
    info = get_method(method, ("--method",))
    chosen = {**RAW_DEFAULTS.get(info.name, {}), **parse_params(params)}
    parsed = info.parse({"name": info.name, **chosen}, ("--param",))
    available = np.ones(len(matrix.options), dtype=bool)
    scores = score(info.name, matrix.values, normalise_weights(weights), benefit, available, parsed)
    ranks = rank(scores[None, :], available[None, :])[0]
    order = np.argsort(ranks)
    return MatrixRanking(
        file=path,
        method={"name": info.name, **chosen},
        criteria=list(matrix.criteria),
        weights=[float(w) for w in normalise_weights(weights)],
        benefit=[bool(b) for b in benefit],
        options=[
            {
                "rank": int(ranks[i]),
                "option": matrix.options[i],
                "score": round(float(scores[i]), 12),
            }
            for i in order
        ],
    )
