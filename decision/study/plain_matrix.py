"""``decision rank``: rank a plain decision matrix without writing a model.

For users coming from pymcdm or scikit-criteria: a CSV, YAML or XMCDA matrix, weights,
criterion types and a method. The weighted sum and product default to max normalisation here,
since a plain matrix is in natural units rather than on a 0-1 value scale. An XMCDA file may
carry the weights, the criteria's directions and PROMETHEE's thresholds: they are used where
the command line (or the Python call) gives none (:func:`file_defaults`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from decision.core.engine import rank
from decision.core.methods import get_method, score
from decision.core.methods.inputs import BoolArray, power_of_two_scaled
from decision.core.methods.normalisation import DOMAINS, out_of_domain
from decision.core.weights import normalise_weights
from decision.errors import ArgumentNames, DecisionError, argument_name
from decision.files.matrix import (
    DecisionMatrix,
    FloatArray,
    load_matrix,
    parse_types,
    parse_weights,
    plain_float,
)
from decision.results import rounded

if TYPE_CHECKING:
    import pandas as pd

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

    def to_frame(self) -> pd.DataFrame:
        """The ranking as a pandas DataFrame: one row per option (index ``option``) in rank
        order, with its ``rank`` and ``score`` (needs the ``frames`` extra: pandas)."""
        from decision.results.frames import frame

        return frame(
            {"rank": [o["rank"] for o in self.options],
             "score": [o["score"] for o in self.options]},
            index=[o["option"] for o in self.options], index_name="option",
        )


def parse_params(params: Sequence[str], key_path: str = "--param") -> dict[str, Any]:
    """``KEY=VALUE`` pairs; numbers become floats, everything else stays text."""
    parsed: dict[str, Any] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise DecisionError(
                f"parameter '{item}' is not KEY=VALUE",
                key_path=key_path,
                allowed="KEY=VALUE, e.g. normalisation=minmax or v=0.5",
            )
        number = plain_float(value)
        parsed[key.strip()] = value.strip() if math.isnan(number) else number
    return parsed


def rank_matrix(
    path: str,
    weights_text: str,
    types_text: str,
    method: str,
    params: Sequence[str],
    argument_names: ArgumentNames | None = None,
) -> MatrixRanking:
    """Load the matrix, check the options, score and rank (ties in file order).

    Every problem is a :class:`DecisionError` naming the file: a value outside the chosen
    normalisation's domain names its row and cell, and a score that cannot be computed in
    floating point is refused rather than shown as NaN (so the JSON is always valid). An error
    in an argument names it as ``argument_names`` says (the parameter's name by default).
    """
    matrix = load_matrix(path)
    n = len(matrix.criteria)
    names = argument_names
    weights = parse_weights(weights_text, n, argument_name("weights", names))
    benefit = parse_types(types_text, n, argument_name("types", names))
    chosen = parse_params(params, argument_name("params", names))
    return rank_decision_matrix(matrix, weights, benefit, method, chosen, path, names)


def rank_decision_matrix(
    matrix: DecisionMatrix,
    weights: FloatArray,
    benefit: BoolArray,
    method: str,
    params: Mapping[str, Any],
    file: str,
    argument_names: ArgumentNames | None = None,
) -> MatrixRanking:
    """Score and rank a matrix already read, with weights (not yet normalised), the benefit
    mask and the method's parameters (see :func:`rank_matrix`)."""
    names = argument_names
    # Exact power-of-two scaling first: weights near 1e308 must not overflow their sum.
    weights = normalise_weights(power_of_two_scaled(weights))
    info = get_method(method, (argument_name("method", names),))
    chosen = {**RAW_DEFAULTS.get(info.name, {}), **params}
    parsed = info.parse({"name": info.name, **chosen}, (argument_name("params", names),))
    normalisation = getattr(parsed, "normalisation", None)
    if normalisation is not None:
        _check_domain(matrix, benefit, str(normalisation), file, names)
        if info.name in ("wpm", "waspas"):
            _check_product_domain(matrix, weights, benefit, str(normalisation), file, names)
    available = np.ones(len(matrix.options), dtype=bool)
    try:
        scores = score(info.name, matrix.values, weights, benefit, available, parsed)
    except DecisionError as error:
        raise error.located(file=file) from None
    ranks = rank(scores[None, :], available[None, :])[0]
    order = np.argsort(ranks)
    return MatrixRanking(
        file=file,
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


def file_defaults(
    path: str,
    weights_text: str | None,
    types_text: str | None,
    method: str,
    params: Sequence[str],
) -> tuple[str, str, tuple[str, ...]]:
    """``--weights``, ``--types`` and ``--param`` with what an XMCDA file gives filled in
    where the command line gives nothing: its weights, its criteria's directions, and (for
    PROMETHEE without ``preference`` given) its preference functions and thresholds. A CSV or
    YAML matrix carries none of them, so there both options are required."""
    xmcda = path.lower().endswith(".xml")
    table = None
    if xmcda and (weights_text is None or types_text is None or is_promethee(method)):
        from decision.files.xmcda import read_xmcda

        table = read_xmcda(path)
    for given, option, what, held in (
        (weights_text, "--weights", "weights", table is None or table.weights is None),
        (types_text, "--types", "criterion types", table is None or table.benefit is None),
    ):
        if given is None and held:
            where = (
                "this XMCDA file holds none (criteriaValues mcdaConcept=\"weights\" and "
                "criteriaScales give them)" if xmcda else "a CSV or YAML matrix holds none"
            )
            raise DecisionError(
                f"no {what} given, and {where}", key_path=option,
                allowed=f"{option} with one value per criterion",
            )
    if table is not None and weights_text is None and table.weights is not None:
        weights_text = ",".join(repr(float(w)) for w in table.weights)
    if table is not None and types_text is None and table.benefit is not None:
        types_text = ",".join("1" if b else "-1" for b in table.benefit)
    assert weights_text is not None and types_text is not None
    extra: tuple[str, ...] = ()
    named = any(item.partition("=")[0].strip() == "preference" for item in params)
    if table is not None and table.preference is not None and is_promethee(method) and not named:
        extra = ("preference=" + json.dumps(list(table.preference)),)
    return weights_text, types_text, (*params, *extra)


def is_promethee(method: str) -> bool:
    """Whether ``method`` (a name or an alias) is PROMETHEE II or I, whose ``preference`` an
    XMCDA file's thresholds give."""
    from decision.core.methods import ALIASES

    return ALIASES.get(method, method) in ("promethee", "promethee_i")


def _check_domain(
    matrix: DecisionMatrix,
    benefit: BoolArray,
    kind: str,
    path: str,
    argument_names: ArgumentNames | None = None,
) -> None:
    """Refuse the first value outside ``kind``'s domain, naming its row and cell."""
    bad = out_of_domain(matrix.values, benefit, kind)
    if bad is None or not bad.any():
        return
    _refuse_first_cell(
        matrix, bad, f"is outside the domain of normalisation '{kind}'", path,
        f"{DOMAINS[kind]}, or another normalisation ({_minmax_hint(argument_names)})",
    )


def _check_product_domain(
    matrix: DecisionMatrix,
    weights: FloatArray,
    benefit: BoolArray,
    kind: str,
    path: str,
    argument_names: ArgumentNames | None = None,
) -> None:
    """A weighted product (WPM, WASPAS) takes logarithms of normalised values, so they must
    not be negative; every normalisation's own domain ensures that except the vector one,
    which keeps a benefit column's sign: refuse its first negative weighted value here, at its
    cell, rather than as the method's error, which knows only indices."""
    if kind != "vector":
        return
    bad = (matrix.values < 0) & benefit & (weights > 0)
    if bad.any():
        _refuse_first_cell(
            matrix, bad, "is negative, and a weighted product with vector normalisation "
            "takes its logarithm", path,
            f"values >= 0 on weighted benefit criteria, or another normalisation "
            f"({_minmax_hint(argument_names)})",
        )


def _minmax_hint(argument_names: ArgumentNames | None) -> str:
    params = argument_name("params", argument_names)
    return (
        f"{params} normalisation=minmax" if params.startswith("-")
        else f"{params}={{'normalisation': 'minmax'}}"
    )


def _refuse_first_cell(
    matrix: DecisionMatrix, bad: BoolArray, what: str, path: str, allowed: str
) -> None:
    """Raise for the first cell of ``bad`` (row-major), at its line and column."""
    row, column = (int(i) for i in np.argwhere(bad)[0])
    line, at = matrix.position(row, column)
    raise DecisionError(
        f"{matrix.values[row, column]:g} {what}", file=path, line=line, column=at,
        key_path=f"{matrix.options[row]}.{matrix.criteria[column]}", allowed=allowed,
    )
