"""Report files: reproducible bytes, all-or-nothing writes, relative paths, a lazy import."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from decision.reports import charts
from decision.reports.provenance import sha256_file
from decision.reports.schema import MANIFEST_SCHEMA
from decision.reports.writer import report_files, write_report
from decision.study.study import Study, run_study
from tests.conftest import ROOT

OUTPUTS = {"report.md", "report.html", "results.json", "manifest.json", "comparison.md",
           "comparison.json", "brief.md", "brief.html"}


def tree(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` by relative path."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def mini_study(mini: Path, *names: str) -> Study:
    with contextlib.chdir(mini):
        return run_study(list(names))


def test_reruns_are_byte_identical(
    report_dir: Path, tmp_path: Path, make_study: Callable[[], Study]
) -> None:
    study = make_study()
    with contextlib.chdir(ROOT):
        write_report(study, tmp_path)
    first, second = tree(report_dir), tree(tmp_path)
    assert set(first) >= OUTPUTS
    assert first.keys() == second.keys()
    for name, data in first.items():
        assert data == second[name], f"{name} differs between two runs"


def test_files_hold_no_absolute_paths_or_time_stamps(report_dir: Path) -> None:
    stamp = re.compile(rb"\b20\d\d-[01]\d-[0-3]\d[T ][0-2]\d:[0-5]\d")
    for name, data in tree(report_dir).items():
        assert str(ROOT).encode() not in data, name
        assert str(report_dir).encode() not in data, name
        assert not stamp.search(data), name


def test_manifest_records_inputs_settings_and_outputs(
    report_dir: Path, study: Study, shipped_scenarios: list[str]
) -> None:
    manifest = json.loads((report_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == 2
    assert set(manifest) == set(MANIFEST_SCHEMA["properties"])
    stakeholders = ["security-first", "values-first", "realist"]
    assert manifest["model"] == {
        "path": "models/belarus.yaml",
        "sha256": sha256_file(ROOT / "models" / "belarus.yaml"),
        "stakeholders": [
            {"path": f"models/belarus/stakeholders/{name}.yaml",
             "sha256": sha256_file(ROOT / "models" / "belarus" / "stakeholders" / f"{name}.yaml")}
            for name in stakeholders
        ],
    }
    assert [s["path"] for s in manifest["scenarios"]] == shipped_scenarios
    for entry, result in zip(manifest["scenarios"], study.results, strict=True):
        assert entry["sha256"] == sha256_file(ROOT / entry["path"])
        assert (entry["samples"], entry["seed"]) == (result.samples, result.seed)
        if entry["id"] != "baseline":  # every other shipped scenario extends the baseline
            assert [e["path"] for e in entry["extends"]] == ["scenarios/baseline.yaml"]
    assert manifest["analysis"]["methods"] == ["wsm", "topsis", "vikor", "promethee"]
    files = tree(report_dir)
    assert set(manifest["outputs"]) == set(files) - {"manifest.json"}
    import hashlib

    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256(files[name]).hexdigest() == digest


def test_markdown_charts_are_the_inline_svgs(report_dir: Path) -> None:
    files = tree(report_dir)
    html = files["report.html"].decode()
    markdown = files["report.md"].decode()
    svgs = {n: d.decode() for n, d in files.items() if n.startswith("charts/")}
    assert svgs
    for name, svg in svgs.items():
        assert f"]({name})" in markdown
        assert svg.rstrip() in html
        assert svg.startswith("<svg ") and 'role="img"' in svg and "<title>" in svg


def _prepare(mini: Path) -> tuple[Path, dict[str, bytes]]:
    """A previous report (two scenarios) in ``mini/out``, and its files."""
    out = mini / "out"
    with contextlib.chdir(mini):
        write_report(mini_study(mini, "base.yaml", "open.yaml"), out)
    return out, tree(out)


def _no_temporaries(directory: Path) -> None:
    left = [p for p in directory.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    left += [p for p in directory.parent.iterdir() if p.name.startswith(f".{directory.name}.")]
    assert left == []


def _broken_chart(*args: Any, **kwargs: Any) -> charts.Chart:
    raise RuntimeError("chart failed")


def test_a_failing_chart_writes_nothing(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, before = _prepare(mini)

    monkeypatch.setattr(charts, "contribution_chart", _broken_chart)
    with contextlib.chdir(mini), pytest.raises(RuntimeError, match="chart failed"):
        write_report(mini_study(mini, "open.yaml"), out)
    assert tree(out) == before
    _no_temporaries(out)


def test_charts_of_dropped_scenarios_are_removed(mini: Path) -> None:
    out, before = _prepare(mini)
    with contextlib.chdir(mini):
        written = write_report(mini_study(mini, "base.yaml"), out)
    after = tree(out)
    assert set(after) == {p.relative_to(out).as_posix() for p in written}
    dropped = [name for name in before if name.startswith("charts/") and "-open." in name]
    assert dropped  # the open scenario's charts (its waterfall against the baseline)
    assert not [name for name in after if "-open." in name]
    (out / "notes.txt").write_text("kept")
    with contextlib.chdir(mini):
        write_report(mini_study(mini, "base.yaml", "open.yaml"), out)
    assert (out / "notes.txt").read_text() == "kept"


def test_report_files_is_pure(mini: Path) -> None:
    study = mini_study(mini, "base.yaml", "open.yaml")
    with contextlib.chdir(mini):
        assert report_files(study) == report_files(study)
    assert not (mini / "report.md").exists()


def test_importing_the_cli_does_not_import_matplotlib() -> None:
    code = ("import sys, decision.cli.main, decision.reports.writer; "
            "print('matplotlib' in sys.modules)")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "False"


def test_the_charts_renderer_is_this_package(report_dir: Path) -> None:
    """The manifest names what drew the charts: this package's SVG writer (matplotlib is no
    longer used)."""
    import json

    manifest = json.loads((report_dir / "manifest.json").read_text())
    assert manifest["renderer"]["charts"].startswith("decision.reports.svg ")
