"""The second shipped model reproduces its paper: Ersoy (2021), notebook selection by TOPSIS.

The published numbers are read from the model's own evidence items (the decision matrix, the
entropy weights and the TOPSIS closeness coefficients, as two open-source test suites
reproduce the paper), so the test checks that the encoding (columns scaled by powers of ten)
and the engine together give the paper's ranking and scores; pymcdm, run on the raw matrix,
is a second opinion.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

import decision
from tests.conftest import ROOT, CliResult

CASE = ROOT / "cases" / "ersoy-notebooks"
MODEL = CASE / "models" / "ersoy-notebooks.yaml"
PUBLISHED = CASE / "scenarios" / "published.yaml"


def _published() -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
    """The raw matrix, weights, criterion directions and TOPSIS scores, from the evidence."""
    spec = decision.load_model(MODEL).spec
    figures = spec.evidence["decision-matrix"].figures
    criteria = list(spec.criteria)
    matrix = np.array([float(f) for f in figures]).reshape(len(spec.options), len(criteria))
    weights = np.array([float(f) for f in spec.evidence["entropy-weights"].figures])
    directions = [spec.criteria[c].direction for c in criteria]
    scores = np.array([float(f) for f in spec.evidence["topsis-ranking"].figures])
    return matrix, weights, directions, scores


def test_encoding_is_the_paper_matrix_scaled_by_powers_of_ten() -> None:
    spec = decision.load_model(MODEL).spec
    matrix, weights, _, _ = _published()
    for j, (name, criterion) in enumerate(spec.criteria.items()):
        assert criterion.weight == weights[j]
        column = [Decimal(str(o.performance[name].value)) for o in spec.options.values()]
        raw = [Decimal(str(x)) for x in matrix[:, j]]
        ratios = {r / c for r, c in zip(raw, column, strict=True)}
        assert len(ratios) == 1, name  # one scale per column
        (ratio,) = ratios
        assert ratio == Decimal(10) ** round(float(ratio.log10())), name


def test_published_ranking_and_scores_are_reproduced() -> None:
    _, _, _, published = _published()
    result = decision.evaluate(PUBLISHED)
    spec = decision.load_model(MODEL).spec
    order = list(spec.options)
    scores = np.array([result.option(name).score for name in order])
    assert np.round(scores, 2).tolist() == np.round(published, 2).tolist()
    expected = sorted(order, key=lambda name: -published[order.index(name)])
    assert [o.id for o in sorted(result.options, key=lambda o: o.rank)] == expected
    assert expected == ["a5", "a3", "a1", "a4", "a2", "a6"]  # as the paper states it


def test_pymcdm_agrees_on_the_raw_matrix() -> None:
    methods = pytest.importorskip("pymcdm.methods")
    vector = pytest.importorskip("pymcdm.normalizations").vector_normalization
    matrix, weights, directions, published = _published()
    types = np.array([1 if d == "benefit" else -1 for d in directions])
    assert np.allclose(methods.TOPSIS(vector)(matrix, weights, types), published, atol=1.5e-3)


def test_vikor_scenario_keeps_the_top_under_price_changes(
    run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CASE)
    result = run_cli("compare", "scenarios/published.yaml", "scenarios/vikor.yaml", "--json")
    assert result.status == 0, result.err
    vikor = decision.evaluate(Path("scenarios/vikor.yaml"))
    assert vikor.top.id == "a5"
    assert vikor.option("a5").uncertainty is not None
