"""`decision rank` with the added methods and method options: --preference/--q/--p/--s,
--weights entropy|critic, SPOTIS's bounds; each error one line with exit status 2."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from decision.cli.main import main
from decision.core.methods import METHODS, PreferenceFunction, promethee_ii
from decision.core.methods.objective_weights import critic_weights, entropy_weights

MATRIX = "option,cost,quality,speed\nA,250,0.7,3\nB,300,0.9,2\nC,200,0.4,4\nD,280,0.8,1\n"
VALUES = np.array([[250, 0.7, 3], [300, 0.9, 2], [200, 0.4, 4], [280, 0.8, 1]], dtype=float)
BENEFIT = np.array([False, True, True])
BASE = ("--types", "cost,benefit,benefit")


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def matrix(tmp_path: Path) -> str:
    path = tmp_path / "m.csv"
    path.write_text(MATRIX, encoding="utf-8")
    return str(path)


def _scores(matrix: str, *args: str) -> dict[str, float]:
    status, out, err = _run("rank", matrix, *args, "--json")
    assert status == 0 and err == "", err
    data: dict[str, Any] = json.loads(out)
    return {row["option"]: row["score"] for row in data["options"]}


def _error(matrix: str, *args: str) -> str:
    status, out, err = _run("rank", matrix, *args)
    assert status == 2 and out == "" and "Traceback" not in err, (status, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_ranks_a_plain_matrix(matrix: str, method: str) -> None:
    scores = _scores(matrix, "--weights", "1,1,1", *BASE, "--method", method)
    assert set(scores) == {"A", "B", "C", "D"}


def test_preference_functions_and_thresholds(matrix: str) -> None:
    got = _scores(matrix, "--weights", "1,1,1", *BASE, "--method", "promethee",
                  "--preference", "linear,vshape,usual", "--q", "10,,", "--p", "60,0.3,")
    prefs = [PreferenceFunction("linear", q=10, p=60), PreferenceFunction("vshape", p=0.3),
             PreferenceFunction("usual")]
    expected = promethee_ii(VALUES, [1, 1, 1], BENEFIT, preference=prefs)
    np.testing.assert_allclose([got[o] for o in "ABCD"], expected, atol=1e-12)
    one = _scores(matrix, "--weights", "1,1,1", *BASE, "--method", "promethee_i",
                  "--preference", "gaussian", "--s", "0.5")
    expected = promethee_ii(VALUES, [1, 1, 1], BENEFIT, preference=PreferenceFunction(
        "gaussian", s=0.5))
    np.testing.assert_allclose([one[o] for o in "ABCD"], expected, atol=1e-12)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--method", "topsis", "--preference", "linear"),
         "error: --preference: --preference is for PROMETHEE, not method 'topsis'"),
        (("--method", "promethee", "--preference", "linear", "--q", "1"),
         "preference function 'linear' needs p"),
        (("--method", "promethee", "--preference", "usual,usual", "--p", "1,2,3"),
         "list different numbers of criteria: --preference 2, --p 3"),
        (("--method", "promethee", "--q", "x"), "error: --q: 'x' is not a number"),
        (("--method", "promethee", "--preference", "usual,ushape", "--q", ",1"),
         "2 preference functions for 3 criteria"),
        (("--method", "spotis", "--param", "bounds=0:1"), "SPOTIS with bounds"),
        (("--method", "waspas", "--param", "normalisation=none"),
         "250 is outside the domain of normalisation 'none'"),
    ],
)
def test_bad_method_options_are_one_line(matrix: str, args: tuple[str, ...], says: str) -> None:
    line = _error(matrix, "--weights", "1,1,1", *BASE, *args)
    assert says in line, line


def test_objective_weights_as_the_weight_set(matrix: str) -> None:
    for word, weights in (("entropy", entropy_weights(VALUES)),
                          ("critic", critic_weights(VALUES, BENEFIT))):
        got = _scores(matrix, "--weights", word, *BASE, "--method", "wsm")
        explicit = _scores(matrix, "--weights", ",".join(repr(float(w)) for w in weights),
                           *BASE, "--method", "wsm")
        assert got == explicit


def test_spotis_takes_observed_bounds_unless_declared(matrix: str) -> None:
    observed = _scores(matrix, "--weights", "1,1,1", *BASE, "--method", "spotis")
    explicit = _scores(matrix, "--weights", "1,1,1", *BASE, "--method", "spotis",
                       "--param", "bounds=observed")
    assert observed == explicit
    declared = _scores(matrix, "--weights", "1,1,1", *BASE, "--method", "spotis",
                       "--param", "bounds=0:400,0:1,0:5")
    assert declared != observed
