"""Interrupting a run: SIGINT and SIGTERM end it in one line, leaving nothing on disk."""

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


def _wait_until_running(run: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Wait until the run has loaded numpy (so Python's own start-up, where a signal kills
    the process before any handler exists, is over), then a little more: a fixed sleep
    alone was too short on a loaded machine (exit -2 instead of 130)."""
    maps = Path("/proc") / str(run.pid) / "maps"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and run.poll() is None:
        try:
            if "_multiarray_umath" in maps.read_text():
                time.sleep(1.0)
                return
        except OSError:
            pass
        time.sleep(0.02)
    pytest.fail("the run ended, or did not load numpy, before the signal")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
@pytest.mark.parametrize(("how", "status", "word"),
                         [(signal.SIGINT, 130, "aborted"), (signal.SIGTERM, 143, "terminated")])
def test_a_signal_while_sampling_ends_in_one_line(
    tmp_path: Path, how: signal.Signals, status: int, word: str
) -> None:
    run = _compare(tmp_path / "out", "--samples", "3000000")
    _wait_until_running(run)
    assert run.poll() is None, "the run ended before the signal"
    os.kill(run.pid, how)
    assert run.wait(timeout=60) == status
    assert run.stderr is not None
    err = run.stderr.read().decode()
    assert err.strip() == f"error: {word}", err
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == []
