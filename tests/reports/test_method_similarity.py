"""The report's method comparison carries the rank-similarity coefficients (weighted Spearman
r_w and WS) beside Kendall's tau and Spearman's rho, each equal to the coefficient computed
from the two methods' scores."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest

from decision.core.methods.agreement import weighted_spearman, ws_coefficient
from decision.reports.data import report_data
from decision.reports.markdown import render_markdown
from decision.reports.outline import outline
from decision.specs import MethodChoice
from decision.study.study import run_study
from tests.core.test_likelihood import MINI


def test_similarity_in_the_method_comparison(tmp_path: Path) -> None:
    for name in ("model.yaml", "base.yaml", "open.yaml"):
        shutil.copy(MINI / name, tmp_path / name)
    with contextlib.chdir(tmp_path):
        study = run_study(
            ["base.yaml", "open.yaml"],
            methods=[MethodChoice(name="wsm"), MethodChoice(name="topsis")],
            with_sensitivity=False,
        )
        document = report_data(study)
    for section, result in zip(document["scenarios"], study.results, strict=True):
        methods = section["methods"]
        assert methods is not None
        (row,) = methods["agreement"]
        order = list(methods["scores"]["wsm"])
        a = [methods["scores"]["wsm"][o] for o in order]
        b = [methods["scores"]["topsis"][o] for o in order]
        available = [result.option(o).available for o in order]
        assert row["weighted_spearman"] == pytest.approx(
            float(weighted_spearman(a, b, available)), abs=1e-9
        )
        assert row["ws_a_b"] == pytest.approx(float(ws_coefficient(a, b, available)), abs=1e-9)
        assert row["ws_b_a"] == pytest.approx(float(ws_coefficient(b, a, available)), abs=1e-9)
    text = render_markdown(outline(document, {}))
    assert "weighted Spearman r_w" in text and "WS (a's ranking as reference)" in text
