"""A report's size is bounded by a stated multiple of its inputs' expanded size (issue 25): no
input can make the tool write far more than it reads."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision.errors import DecisionError
from decision.reports import writer
from decision.reports.writer import report_files, report_size_bound
from decision.study.study import run_study
from tests.conftest import DATA
from tests.strategies import model_dicts, scenario_dicts

#: Random models per run (each draws a full report): a few in CI, more under `make fuzz`.
EXAMPLES = max(6, int(os.environ.get("FUZZ_EXAMPLES", "0")) // 20)


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_any_accepted_model_gives_a_report_within_the_bound(data: st.DataObject) -> None:
    model = data.draw(model_dicts())
    scenario = data.draw(scenario_dicts(model))
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "model.yaml").write_text(yaml.safe_dump(model, allow_unicode=True))
        Path(folder, "s.yaml").write_text(yaml.safe_dump(scenario, allow_unicode=True))
        with contextlib.chdir(folder):
            try:
                study = run_study(["s.yaml"])
            except DecisionError:
                return  # not accepted: nothing to bound
            files = report_files(study)
    bound = report_size_bound(study)
    assert bound is not None and study.input_chars > 0
    assert sum(len(d) for d in files.values()) <= bound


def test_text_repeated_through_aliases_counts_at_its_expanded_size(tmp_path: Path) -> None:
    """Aliases make a small file say a lot: the bound follows what the file says, and the
    report stays within it."""
    folder = tmp_path / "mini"
    folder.mkdir()
    text = (DATA / "mini" / "model.yaml").read_text()
    figures = "[&f '" + "9" * 150 + "'" + ", *f" * 40 + "]"
    text = text.replace('figures: ["12"]', f"figures: {figures}")
    text = text.replace("claim: A test fact.", "claim: &c " + "A long claim. " * 200)
    text = text.replace("description: Access index.", "description: *c")
    (folder / "model.yaml").write_text(text)
    for name in ("base.yaml", "open.yaml"):
        (folder / name).write_text((DATA / "mini" / name).read_text())
    with contextlib.chdir(folder):
        study = run_study(["base.yaml", "open.yaml"])
        files = report_files(study)
    assert study.input_chars > len(text)  # the aliases count at their expanded size
    bound = report_size_bound(study)
    assert bound is not None and sum(len(d) for d in files.values()) <= bound


def test_a_report_over_the_bound_is_refused_in_one_line(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with contextlib.chdir(mini):
        study = run_study(["base.yaml"])
        monkeypatch.setattr(writer, "REPORT_BYTES_PER_INPUT_CHAR", 1)
        monkeypatch.setattr(writer, "REPORT_BYTES_PER_SCENARIO", 0)
        with pytest.raises(DecisionError) as caught:
            report_files(study)
    line = caught.value.one_line()
    assert "the report would be" in line and "\n" not in line
