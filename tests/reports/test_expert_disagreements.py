"""Pooled judgements whose experts' ranges do not overlap are flagged in the report (and in
results.json), and a model whose experts agree gets no such section."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from decision.reports.data import report_data
from decision.reports.markdown import render_markdown
from decision.reports.outline import outline
from decision.study.study import run_study
from tests.core.test_likelihood import MINI

RIGHTS = "rights: {value: 0.3, low: 0.2, high: 0.4, rationale: Little for rights.}"


def _report(folder: Path, experts: str) -> tuple[dict[str, object], str]:
    for name in ("model.yaml", "base.yaml", "open.yaml"):
        shutil.copy(MINI / name, folder / name)
    text = (folder / "model.yaml").read_text()
    assert RIGHTS in text
    text = text.replace(RIGHTS, "rights:\n        rationale: Little for rights.\n"
                        "        experts:\n" + experts, 1)
    (folder / "model.yaml").write_text(text)
    with contextlib.chdir(folder):
        document = report_data(run_study(["base.yaml"], with_sensitivity=False))
    return dict(document), render_markdown(outline(document, {}))


def test_disjoint_experts_are_flagged(tmp_path: Path) -> None:
    document, text = _report(tmp_path,
                             "          - {by: Ana, low: 0.1, mode: 0.2, high: 0.3, weight: 3}\n"
                             "          - {by: Ben, low: 0.5, mode: 0.6, high: 0.8}\n")
    (flag,) = document["expert_disagreements"]  # type: ignore[misc]
    assert flag["option"] == "act" and flag["criterion"] == "rights"
    assert flag["pairs"] == [["Ana", "Ben"]]
    assert [e["by"] for e in flag["experts"]] == ["Ana", "Ben"]
    assert "Where the experts disagree" in text
    assert "Ana 0.1-0.3 (most likely 0.2); Ben 0.5-0.8 (most likely 0.6)" in text


def test_overlapping_experts_are_not_flagged(tmp_path: Path) -> None:
    document, text = _report(tmp_path,
                             "          - {by: Ana, low: 0.1, mode: 0.2, high: 0.5}\n"
                             "          - {by: Ben, low: 0.4, mode: 0.6, high: 0.8}\n")
    assert "expert_disagreements" not in document
    assert "Where the experts disagree" not in text
