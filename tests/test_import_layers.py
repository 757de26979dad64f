"""The package's imports follow the data flow: tools/import_layers.py finds no upward import
and no cycle (it exits 1 on either)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_imports_follow_the_stages_without_cycles() -> None:
    result = subprocess.run(
        [sys.executable, "tools/import_layers.py"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    layers = int(result.stdout.strip().splitlines()[-1].split(",")[1].split()[0])
    assert layers <= 16, result.stdout  # grows only on purpose (today 15)
