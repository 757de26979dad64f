"""The report states each anchored criterion's value scale (what 0 and 1 mean) with its
normalised weight, calls the weights swing weights, and leaves the table out when nothing is
anchored."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import yaml

from decision.reports.data import report_data
from decision.reports.markdown import render_markdown
from decision.reports.outline import outline
from decision.study.study import run_study
from tests.core.test_likelihood import MINI


def _report(folder: Path, anchored: bool) -> tuple[dict[str, object], str]:
    for name in ("model.yaml", "base.yaml", "open.yaml"):
        shutil.copy(MINI / name, folder / name)
    if anchored:
        data = yaml.safe_load((folder / "model.yaml").read_text())
        data["criteria"]["security"]["scale"] = {"worst": "Borders | exposed.",
                                                 "best": "Borders safe."}
        (folder / "model.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    with contextlib.chdir(folder):
        document = report_data(run_study(["base.yaml"], with_sensitivity=False))
    return dict(document), render_markdown(outline(document, {}))


def test_anchored_scales_are_shown_with_normalised_weights(tmp_path: Path) -> None:
    document, text = _report(tmp_path, anchored=True)
    criteria = {c["id"]: c for c in document["criteria"]}  # type: ignore[attr-defined]
    assert criteria["security"]["scale"] == {"worst": "Borders | exposed.",
                                             "best": "Borders safe."}
    assert "scale" not in criteria["rights"]
    assert "swing weights" in text
    row = next(line for line in text.splitlines() if line.startswith("| security |"))
    # weights 2 and 1: security's normalised weight is 2/3; the pipe in the text is escaped
    assert "| 0.67 |" in row and "Borders \\| exposed." in row and "Borders safe." in row


def test_no_anchors_no_table(tmp_path: Path) -> None:
    _, text = _report(tmp_path, anchored=False)
    assert "swing weights" not in text
