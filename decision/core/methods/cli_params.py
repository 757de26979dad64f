"""What ``decision rank``'s method options mean, as the registry's parameters.

``--preference`` and ``--q``/``--p``/``--s`` become PROMETHEE's ``preference`` parameter (one
function for every criterion, or one per criterion, as a model file writes it); for ELECTRE III
``--q`` and ``--p`` are its indifference and preference thresholds; ``--weights
entropy`` or ``critic`` becomes the objective weights of the matrix; and SPOTIS, whose bounds a
plain matrix in natural units does not declare, takes the observed ranges unless ``--param
bounds=...`` is given. Every problem is a :class:`DecisionError` naming the option.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from decision.errors import DecisionError, abbreviate

#: ``--weights`` words and what they compute.
OBJECTIVE_WEIGHTS = ("entropy", "critic")
_THRESHOLDS = ("q", "p", "s")


def rank_params(
    method: str,
    params: Sequence[str],
    preference: str | None,
    q: str | None = None,
    p: str | None = None,
    s: str | None = None,
) -> tuple[str, ...]:
    """``--param`` items extended by what the method options say (validated later, with the
    method's parameter model)."""
    from decision.core.methods import get_method

    info = get_method(method, ("--method",))
    given = {"q": q, "p": p, "s": s}
    extra: list[str] = []
    if info.name == "electre_iii":
        return (*params, *_electre_thresholds(params, preference, given))
    if preference is not None or any(v is not None for v in given.values()):
        if info.name not in ("promethee", "promethee_i"):
            option = "--preference" if preference is not None else next(
                f"--{k}" for k, v in given.items() if v is not None
            )
            raise DecisionError(
                f"{option} is for PROMETHEE, not method '{info.name}'",
                key_path=option, allowed="--method promethee or promethee_i",
            )
        if any(item.partition("=")[0].strip() == "preference" for item in params):
            raise DecisionError(
                "preference given twice (--preference and --param preference=...)",
                key_path="--preference", allowed="one of the two",
            )
        extra.append("preference=" + json.dumps(_preferences(preference, given)))
    if info.name == "spotis" and not any(
        item.partition("=")[0].strip() == "bounds" for item in params
    ):
        extra.append("bounds=observed")
    return (*params, *extra)


def _electre_thresholds(
    params: Sequence[str], preference: str | None, given: dict[str, str | None]
) -> list[str]:
    """``--q`` and ``--p`` as ELECTRE III's indifference and preference thresholds (one value
    or one per criterion, read by the parameter model); its veto is ``--param v=...``."""
    if preference is not None or given["s"] is not None:
        option = "--preference" if preference is not None else "--s"
        raise DecisionError(
            f"{option} is for PROMETHEE, not method 'electre_iii'", key_path=option,
            allowed="--q, --p and --param v=... (thresholds), --param alpha=..., beta=...",
        )
    extra = []
    for name in ("q", "p"):
        text = given[name]
        if text is None:
            continue
        if any(item.partition("=")[0].strip() == name for item in params):
            raise DecisionError(
                f"{name} given twice (--{name} and --param {name}=...)",
                key_path=f"--{name}", allowed="one of the two",
            )
        values = [_number(v, f"--{name}") for v in _split(text, f"--{name}")]
        if any(v is None for v in values):
            raise DecisionError(
                f"--{name} has an empty entry", key_path=f"--{name}",
                allowed="comma-separated numbers in the criteria's units, one or one per "
                "criterion",
            )
        extra.append(f"{name}=" + json.dumps(values[0] if len(values) == 1 else values))
    return extra


def _preferences(
    preference: str | None, thresholds: dict[str, str | None]
) -> dict[str, object] | list[dict[str, object]]:
    """One preference mapping, or one per criterion when any option lists several."""
    functions = _split(preference or "usual", "--preference")
    values = {
        name: [_number(v, f"--{name}") for v in _split(text, f"--{name}")]
        for name, text in thresholds.items() if text is not None
    }
    lengths = {len(functions), *(len(v) for v in values.values())}
    count = max(lengths)
    if lengths - {1, count}:
        raise DecisionError(
            "--preference, --q, --p and --s list different numbers of criteria: "
            + ", ".join(
                [f"--preference {len(functions)}"]
                + [f"--{k} {len(v)}" for k, v in values.items()]
            ),
            key_path="--preference",
            allowed="one value for every criterion, or one per criterion in each option",
        )
    rows: list[dict[str, object]] = []
    for j in range(count):
        row: dict[str, object] = {"function": functions[j if len(functions) > 1 else 0]}
        for name, items in values.items():
            value = items[j if len(items) > 1 else 0]
            if value is not None:
                row[name] = value
        rows.append(row)
    return rows[0] if count == 1 else rows


def _split(text: str, option: str) -> list[str]:
    parts = [part.strip() for part in text.split(",")]
    if not parts:
        raise DecisionError(f"{option} is empty", key_path=option, allowed="comma-separated")
    return parts


def _number(text: str, option: str) -> float | None:
    """A threshold, or None for an empty entry (a criterion whose function takes none)."""
    if text == "":
        return None
    from decision.files.matrix import plain_float

    value = plain_float(text)
    if math.isnan(value):
        raise DecisionError(
            f"'{abbreviate(text)}' is not a number", key_path=option,
            allowed="comma-separated numbers in the criteria's units, e.g. 0.1,,2.5",
        )
    return value


def objective_weights_text(path: str, weights: str, types: str) -> str:
    """``--weights`` as text: numbers as given, or ``entropy``/``critic`` computed from the
    matrix file (read with the same checks as the ranking reads it)."""
    word = weights.strip().lower()
    if word not in OBJECTIVE_WEIGHTS:
        return weights
    import numpy as np

    from decision.core.methods.objective_weights import critic_weights, entropy_weights
    from decision.files.matrix import load_matrix, parse_types

    matrix = load_matrix(path)
    try:
        if word == "entropy":
            computed = entropy_weights(matrix.values)
        else:
            benefit = parse_types(types, len(matrix.criteria))
            computed = critic_weights(matrix.values, np.asarray(benefit, dtype=np.bool_))
    except DecisionError as error:
        raise error.located(file=path) from None
    return ",".join(repr(float(w)) for w in computed)
