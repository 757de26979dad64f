"""Weight elicitation (:mod:`decision.specs.elicitation`): published examples, closed forms,
a peer cross-check, properties, and the Belarus model's recorded swing elicitation.

- AHP: Saaty's "relative wealth of nations" matrix (Saaty 1977, J. Math. Psychology 15,
  234-281; reprinted in Saaty 1980, *The Analytic Hierarchy Process*, ch. 2), eigenvector
  0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094 and lambda_max 7.61; cross-checked against
  pyDecision's ``ahp_method`` (eigenvector variant) on that and random reciprocal matrices.
- ROC: the closed form ``w_k = (1/n) sum_{j=k..n} 1/j`` (Barron & Barrett 1996, Management
  Science 42(11), 1515-1523), in exact fractions for n = 2..10, and their table's n = 3
  values 0.611, 0.278, 0.111.
- Swing: points over their sum (von Winterfeldt & Edwards 1986, *Decision Analysis and
  Behavioral Research*, ch. 8).
"""

from __future__ import annotations

import itertools
import math
import os
from fractions import Fraction
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.files.yamlio import load_yaml
from decision.load.lint import elicitation_warnings
from decision.load.loading import load_model
from decision.specs.elicitation import ahp, roc_weights, worst_triads
from decision.specs.model import ElicitationSpec
from tests.conftest import ROOT
from tests.peers import pydecision_module

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))

WEALTH = [  # Saaty 1977: US, USSR, China, France, UK, Japan, West Germany
    [1, 4, 9, 6, 6, 5, 5],
    [1 / 4, 1, 7, 5, 5, 3, 4],
    [1 / 9, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 7, 1 / 5],
    [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
    [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
    [1 / 5, 1 / 3, 7, 3, 3, 1, 2],
    [1 / 5, 1 / 4, 5, 3, 3, 1 / 2, 1],
]


def _pydecision_ahp() -> ModuleType:
    """pyDecision's AHP module on its own (the package imports much more at import time)."""
    return pydecision_module("ahp")


def test_saaty_wealth_of_nations() -> None:
    result = ahp(WEALTH)
    assert [round(w, 3) for w in result.weights] == [0.427, 0.230, 0.021, 0.052, 0.052, 0.123,
                                                     0.094]
    assert round(result.lambda_max, 2) == 7.61
    assert result.consistency_ratio == pytest.approx((result.lambda_max - 7) / 6 / 1.32)
    assert result.consistency_ratio < 0.1


def _random_reciprocal(rng: np.random.Generator, n: int) -> list[list[float]]:
    scale = np.array([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9])
    matrix = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            matrix[i, j] = rng.choice(scale)
            matrix[j, i] = 1 / matrix[i, j]
    return matrix.tolist()  # type: ignore[no-any-return]


def test_ahp_agrees_with_pydecision() -> None:
    peer = _pydecision_ahp()
    rng = np.random.default_rng(14)
    for matrix in [WEALTH] + [_random_reciprocal(rng, n) for n in range(3, 10) for _ in range(3)]:
        ours = ahp(matrix)
        weights, ratio = peer.ahp_method(np.array(matrix), wd="me")
        assert np.allclose(ours.weights, np.real(weights), atol=1e-9)
        assert ours.consistency_ratio == pytest.approx(float(ratio), abs=1e-9)


@pytest.mark.parametrize("n", range(2, 11))
def test_roc_closed_form(n: int) -> None:
    exact = [sum(Fraction(1, j) for j in range(k, n + 1)) / n for k in range(1, n + 1)]
    assert roc_weights(n) == pytest.approx([float(w) for w in exact], abs=1e-15)


def test_roc_published_n3() -> None:
    assert [round(w, 3) for w in roc_weights(3)] == [0.611, 0.278, 0.111]


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(1, 60))
def test_roc_decreasing_and_sums_to_one(n: int) -> None:
    w = roc_weights(n)
    assert math.fsum(w) == pytest.approx(1.0, abs=1e-12)
    assert all(a > b for a, b in itertools.pairwise(w))


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.floats(0.05, 1.0), min_size=1, max_size=15))
def test_ahp_consistent_matrix_returns_its_weights(raw: list[float]) -> None:
    total = math.fsum(raw)
    w = [x / total for x in raw]
    matrix = [[a / b for b in w] for a in w]
    result = ahp(matrix)
    assert result.weights == pytest.approx(w, abs=1e-12)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-12)
    assert worst_triads(matrix) == [] or worst_triads(matrix)[0][0] < 1e-12


def test_swing_points_to_weights() -> None:
    spec = ElicitationSpec.model_validate({
        "method": "swing", "by": "me", "rationale": "R.", "ranking": ["a", "b", "c"],
        "points": {"a": 100, "b": 60, "c": 40},
    })
    assert spec.weights(["a", "b", "c"]) == pytest.approx({"a": 0.5, "b": 0.3, "c": 0.2})


def test_direct_and_roc_and_fractions() -> None:
    direct = ElicitationSpec.model_validate(
        {"method": "direct", "by": "me", "rationale": "R.", "points": {"a": 3, "b": 1}}
    )
    assert direct.weights(["a", "b"]) == pytest.approx({"a": 0.75, "b": 0.25})
    roc = ElicitationSpec.model_validate(
        {"method": "roc", "by": "me", "rationale": "R.", "ranking": ["b", "a"]}
    )
    assert roc.weights(["a", "b"]) == pytest.approx({"a": 0.25, "b": 0.75})
    pairs = ElicitationSpec.model_validate(
        {"method": "ahp", "by": "me", "rationale": "R.", "pairwise": {"a": {"b": "1/3"}}}
    )
    assert pairs.weights(["a", "b"]) == pytest.approx({"a": 0.25, "b": 0.75})


def test_belarus_weights_come_from_the_modellers_swing_elicitation() -> None:
    spec = load_model(ROOT / "models" / "belarus.yaml").spec
    elicitation = spec.weight_elicitation
    assert elicitation is not None and elicitation.method == "swing"
    assert elicitation.by == "modeller" and "not the brief's" in elicitation.rationale
    before = {"allied-security": 0.24, "democracy-human-rights": 0.20,
              "limit-russian-influence": 0.18, "bilateral-relations": 0.10,
              "low-cost-escalation": 0.12}
    total = sum(before.values())
    for name, criterion in spec.criteria.items():
        assert abs(criterion.weight - before[name] / total) <= 1e-12


def test_inconsistent_ahp_warns_with_its_worst_triad(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "data" / "mini" / "model.yaml").read_text()
    text = text.replace("    weight: 2\n", "").replace("    weight: 1\n", "")
    text = text.replace("perspectives:\n", "perspectives:\n  three:\n    description: D.\n"
                        "    elicitation:\n      method: ahp\n      by: me\n      rationale: R.\n"
                        "      pairwise: {security: {rights: 9}, rights: {security: '1/9'}}\n", 1)
    text = text.replace("perspectives:\n", "weight_elicitation: {method: ahp, by: me, "
                        "rationale: R., pairwise: {security: {rights: 2}}}\nperspectives:\n", 1)
    path = tmp_path / "model.yaml"
    path.write_text(text)
    spec = load_model(path).spec
    assert spec.criteria["security"].weight == pytest.approx(2 / 3)
    assert spec.perspectives["three"].weights == pytest.approx({"security": 0.9, "rights": 0.1})
    assert elicitation_warnings(spec, load_yaml(path)) == []  # two criteria: always consistent
    matrix = [[1, 3, 1 / 5], [1 / 3, 1, 3], [5, 1 / 3, 1]]
    result = ahp(matrix)
    assert result.consistency_ratio > 0.1
    assert worst_triads(matrix)[0][1] == (0, 1, 2)
