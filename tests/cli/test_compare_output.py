"""Where `compare` writes: nowhere without --out, and never outside its output folder."""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from tests.conftest import DATA, CliResult


def _project(tmp_path: Path) -> Path:
    """A project laid out like the shipped one: models/, scenarios/ and a committed report."""
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "scenarios").mkdir()
    shutil.copy(DATA / "mini" / "model.yaml", project / "models" / "mini.yaml")
    for name in ("base.yaml", "open.yaml"):
        text = (DATA / "mini" / name).read_text().replace("model.yaml", "../models/mini.yaml")
        (project / "scenarios" / name).write_text(text)
    return project


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_compare_without_out_writes_nothing(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    project = _project(tmp_path)
    with contextlib.chdir(project):  # the committed report, of both scenarios
        assert run_cli("compare", "scenarios/base.yaml", "scenarios/open.yaml",
                       "--out", "reports").status == 0
        before = _files(project)
        result = run_cli("compare", "scenarios/base.yaml")
    assert result.status == 0, result.err
    assert "base" in result.out
    assert _files(project) == before


def test_a_crafted_committed_manifest_cannot_delete_the_model(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    project = _project(tmp_path)
    with contextlib.chdir(project):
        assert run_cli("compare", "scenarios/base.yaml", "scenarios/open.yaml",
                       "--out", "reports").status == 0
        manifest = json.loads(Path("reports/manifest.json").read_text())
        model = Path("models/mini.yaml").read_bytes()
        digest = hashlib.sha256(model).hexdigest()
        manifest["outputs"]["charts/../../models/mini.yaml"] = digest
        manifest["outputs"]["../models/mini.yaml"] = digest
        manifest["outputs"][str(project / "models" / "mini.yaml")] = digest
        Path("reports/manifest.json").write_text(json.dumps(manifest))
        result = run_cli("compare", "scenarios/base.yaml", "--out", "reports")
        assert result.status == 0, result.err
        assert Path("models/mini.yaml").read_bytes() == model
    assert sorted(_files(project / "models")) == ["mini.yaml"]


def test_out_is_checked_against_the_inputs_wherever_the_command_runs(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    project = _project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = _files(project)
    with contextlib.chdir(elsewhere):
        for out in (project / "models", project / "scenarios", project):
            result = run_cli("compare", str(project / "scenarios" / "open.yaml"),
                             "--out", str(out))
            assert result.status == 2, (out, result.err)
            assert "refusing to write" in result.err and "Traceback" not in result.err
            assert "(a subfolder of one is fine)" in result.err
    assert _files(project) == before
    # as the refusal says, a subfolder of an input's folder is fine: the report replaces only
    # its own folder, and the model beside it is untouched
    with contextlib.chdir(elsewhere):
        result = run_cli("compare", str(project / "scenarios" / "open.yaml"),
                         "--out", str(project / "models" / "report"))
    assert result.status == 0, result.err
    assert (project / "models" / "report" / "report.md").is_file()
    assert {k: v for k, v in _files(project).items() if "/report/" not in k} == before


def test_compare_ends_by_saying_where_the_brief_is(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    project = _project(tmp_path)
    with contextlib.chdir(project):
        result = run_cli("compare", "scenarios/base.yaml", "--out", "reports")
        assert result.status == 0, result.err
        last = result.err.strip().splitlines()[-1]
        brief = last.rsplit("the one-page brief: ", 1)[1]
        assert Path(brief).is_file() and Path(brief).name == "brief.md"
