"""Interrupting a run: SIGINT and SIGTERM end it cleanly, and no worker process outlives it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCENARIOS = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))


def _compare(out: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "decision", "compare", *SCENARIOS, "--out", str(out), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for_workers(run: subprocess.Popen[bytes], timeout: float = 90.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and run.poll() is None:
        workers = _children(run.pid)
        if workers:
            return workers
        time.sleep(0.01)
    pytest.fail("the run drew its charts without worker processes, or ended first")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_chart_workers_end_with_the_run(tmp_path: Path, how: signal.Signals) -> None:
    run = _compare(tmp_path / "out")
    workers = _wait_for_workers(run)
    os.kill(run.pid, how)
    status = run.wait(timeout=60)
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, workers)), "chart workers outlived the run"
    if how == signal.SIGTERM:
        assert status == 143
        assert run.stderr is not None
        err = run.stderr.read().decode()
        assert err.strip() == "error: terminated" and "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("how", "status", "word"),
                         [(signal.SIGINT, 130, "aborted"), (signal.SIGTERM, 143, "terminated")])
def test_a_signal_while_sampling_ends_in_one_line(
    tmp_path: Path, how: signal.Signals, status: int, word: str
) -> None:
    run = _compare(tmp_path / "out", "--samples", "3000000")
    time.sleep(1.5)
    assert run.poll() is None, "the run ended before the signal"
    os.kill(run.pid, how)
    assert run.wait(timeout=60) == status
    assert run.stderr is not None
    err = run.stderr.read().decode()
    assert err.strip() == f"error: {word}", err
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_a_signal_while_chart_workers_are_forked_is_not_swallowed() -> None:
    """A signal handled in fork's after-fork hooks is printed as "Exception ignored" and
    lost; the run holds SIGINT and SIGTERM while forking, so the signal ends the run."""
    code = """
import os, signal, sys
from decision.cli.main import Terminated, _on_sigterm
from decision.reports import outline
from decision.study.study import run_study
from decision.reports.data import report_data
signal.signal(signal.SIGTERM, _on_sigterm)
data = report_data(run_study(sys.argv[1:], samples=20))
outline.CHART_PROCESSES = 2
os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGTERM))
try:
    outline.build_charts(data)
except Terminated:
    print("terminated")
else:
    print("finished")
"""
    result = subprocess.run(
        [sys.executable, "-c", code, *SCENARIOS[:2]], capture_output=True, text=True, cwd=ROOT,
        timeout=120,
    )
    assert result.stdout.strip() == "terminated", result.stderr
    assert "Exception ignored" not in result.stderr
