"""A report's bytes depend on its inputs only: not on the directory the command runs from, the
paths it is given (relative or absolute), the locale, the time zone or BLAS thread counts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.reports.test_report_files import tree

SCENARIOS = ["scenarios/baseline.yaml", "scenarios/western-tilt.yaml"]


def _compare(cwd: Path, scenarios: list[str], out: Path, env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "decision", "compare", *scenarios, "--out", str(out)],
        cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr


def test_reports_are_byte_identical_wherever_and_however_they_are_run(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "elsewhere" / "second"
    _compare(ROOT, SCENARIOS, first,
             # an ASCII locale, as Python sees it with coercion to UTF-8 turned off
             {"LANG": "C", "LC_ALL": "POSIX", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0",
              "TZ": "UTC", "OPENBLAS_NUM_THREADS": "1",
              "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    _compare(elsewhere, [str(ROOT / s) for s in SCENARIOS], second,
             {"LANG": "de_DE.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "Pacific/Kiritimati",
              "OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2", "MKL_NUM_THREADS": "2"})
    # relative paths again, typed from another folder (issue 24: paths were kept as typed)
    third = tmp_path / "third"
    _compare(ROOT / "models", [f"../{s}" for s in SCENARIOS], third, {})
    a, b, c = tree(first), tree(second), tree(third)
    assert a.keys() == b.keys() == c.keys()
    assert [name for name in a if a[name] != b[name]] == []
    assert [name for name in a if a[name] != c[name]] == []
    assert b"scenarios/western-tilt.yaml" in a["manifest.json"]
    # no machine path (the checkout's folder, a home directory) is written into any file
    assert [name for name in b if str(ROOT).encode() in b[name]] == []
