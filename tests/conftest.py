"""Shared fixtures: paths to the shipped model, the brief, and a CLI runner."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from decision.cli.main import main

# every report document a test builds, in this process or in a command it runs, is checked
# against its types (decision.reports.data.CHECK_ENV; a test holds the name)
os.environ["DECISION_CHECK_DOCUMENT"] = "1"

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
BRIEF_DIR = ROOT.parent / "shared" / "brief"
BELARUS = ROOT / "models" / "belarus.yaml"
needs_belarus = pytest.mark.skipif(not BELARUS.exists(), reason="models/belarus.yaml missing")


@dataclass(frozen=True)
class CliResult:
    status: int
    out: str
    err: str


def invoke_cli(*args: str) -> CliResult:
    """Run the CLI in-process, capturing its streams itself: for fixtures wider than one test
    (``capsys`` serves one test only)."""
    out, err = io.StringIO(), io.StringIO()
    status = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            status = int(exc.code or 0)
    return CliResult(status, out.getvalue(), err.getvalue())


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run the CLI in-process and capture exit status, stdout and stderr."""

    def runner(*args: str) -> CliResult:
        status = 0
        try:
            main(list(args))
        except SystemExit as exc:
            status = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(status, captured.out, captured.err)

    return runner


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small test model and its scenarios."""
    target = tmp_path / "mini"
    shutil.copytree(DATA / "mini", target)
    return target
