"""The committed report in reports/ is what `make report` produces now.

The command is read from `make -n report` (the scenario order and arguments exactly as the
Makefile has them), run in-process from the repository root with only ``--out`` redirected to
a temporary folder, and every file it writes must equal the committed one byte for byte (the
charts included: this package writes them, see decision.reports.svg).
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from decision.cli.main import main
from tests.conftest import ROOT

REPORTS = ROOT / "reports"


def make_report_arguments(default: list[str]) -> list[str]:
    """The arguments `make report` passes to `decision compare` (``default`` without make)."""
    make = shutil.which("make")
    if make is None:
        return default
    listing = subprocess.run(
        [make, "-n", "-s", "--no-print-directory", "report"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in listing.splitlines() if " compare " in f" {x} ")
    tokens = shlex.split(line)
    return tokens[tokens.index("compare") + 1 :]


def redirected(arguments: list[str], out: Path) -> list[str]:
    """The arguments with ``--out`` pointing at ``out``."""
    args = list(arguments)
    for k, arg in enumerate(args):
        if arg == "--out":
            args[k + 1] = str(out)
            return args
        if arg.startswith("--out="):
            args[k] = f"--out={out}"
            return args
    return [*args, "--out", str(out)]


def test_committed_report_is_fresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shipped_scenarios: list[str]
) -> None:
    if not (REPORTS / "report.md").is_file():
        pytest.skip("reports/report.md is not committed yet: run `make report` and commit it")
    arguments = make_report_arguments([*shipped_scenarios, "--out", "reports"])
    monkeypatch.chdir(ROOT)
    try:
        main(["compare", *redirected(arguments, tmp_path)])
    except SystemExit as exc:
        assert not exc.code, f"decision compare failed with status {exc.code}"
    fresh = {
        p.relative_to(tmp_path).as_posix(): p.read_bytes()
        for p in sorted(tmp_path.rglob("*"))
        if p.is_file()
    }
    assert "report.md" in fresh
    committed = {n: (REPORTS / n).read_bytes() for n in fresh if (REPORTS / n).is_file()}
    missing = sorted(set(fresh) - set(committed))
    assert not missing, f"not committed in reports/: {missing}; run `make report`"
    old = json.loads(committed["manifest.json"])
    stale = sorted(set(old["outputs"]) - set(fresh))
    assert not stale, f"stale files listed in reports/manifest.json: {stale}; run `make report`"
    differ = [name for name, data in fresh.items() if data != committed[name]]
    assert not differ, f"reports/ is out of date ({', '.join(differ)}): run `make report`"
