"""Durability: a report run killed mid-way leaves the previous report intact and no stray files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

BASELINE = str(ROOT / "scenarios" / "baseline.yaml")
SAMPLED = str(ROOT / "scenarios" / "western-tilt.yaml")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _compare(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "decision", "compare", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )


@pytest.mark.parametrize("delay", [0.3, 1.0, 2.0])
def test_killed_run_leaves_the_previous_report(tmp_path: Path, delay: float) -> None:
    out = tmp_path / "out"
    assert _compare(BASELINE, "--out", str(out)).wait(timeout=120) == 0
    before = _tree(out)
    assert "report.html" in before and "manifest.json" in before
    # a long run (millions of samples) over other scenarios: every file would change
    run = _compare(SAMPLED, BASELINE, "--samples", "3000000", "--out", str(out))
    time.sleep(delay)
    assert run.poll() is None, "the run ended before it could be killed"
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    assert _tree(out) == before
    stray = [p.name for p in out.rglob("*") if p.name.startswith(".")]
    assert stray == []


def test_next_run_removes_temporaries_of_a_run_killed_while_renaming(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".report.md.0123456789ab.tmp"
    stale.write_text("half of a report")
    assert _compare(BASELINE, "--out", str(out)).wait(timeout=120) == 0
    assert not stale.exists()
    assert (out / "report.md").read_text().startswith("#")
