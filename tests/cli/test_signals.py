"""Interrupting a run: SIGINT and SIGTERM end it in one line, leaving nothing on disk, and no
process the run started outlives it, however it ends (SIGKILL included)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCENARIOS = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
#: Kills per case of the worker test: one in CI, more (each a little later) under `make fuzz`.
ROUNDS = max(1, int(os.environ.get("FUZZ_EXAMPLES", "0")) // 1000)


def _compare(out: Path, *extra: str) -> subprocess.Popen[bytes]:
    """The run in a session of its own, so every process it starts can be found by it."""
    return subprocess.Popen(
        [sys.executable, "-m", "decision", "compare", *SCENARIOS, "--out", str(out), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        start_new_session=True,
    )


def _session(leader: int) -> list[int]:
    """Live processes (zombies aside) of the session ``leader`` started, other than itself."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == leader:
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == leader and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _survivors(leader: int, timeout: float = 15.0) -> list[int]:
    """The session's processes still alive ``timeout`` seconds after its leader ended (none
    as soon as they are gone); any found are killed, so a failure leaks nothing either."""
    deadline = time.monotonic() + timeout
    while (left := _session(leader)) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return left


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
    assert err == f"error: {word}\n", err  # one line: no blank line before it either
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == []
    assert _survivors(run.pid) == []


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
@pytest.mark.parametrize(("how", "status"), [(signal.SIGKILL, -signal.SIGKILL),
                                             (signal.SIGTERM, 143)])
def test_no_worker_process_outlives_the_run(
    tmp_path: Path, how: signal.Signals, status: int
) -> None:
    """A run on a LocalCluster (``--scheduler local:2``, the one way a run starts worker
    processes) killed while its workers sample: the workers end with it, whether it was
    killed outright (its workers see their parent die) or asked to stop."""
    pytest.importorskip("distributed")
    for attempt in range(ROUNDS):
        run = _compare(tmp_path / "out", "--samples", "3000000", "--scheduler", "local:2")
        deadline = time.monotonic() + 90
        while len(_session(run.pid)) < 2 and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        workers = _session(run.pid)
        time.sleep(1.0 + 0.5 * attempt)  # the workers have their tasks
        assert run.poll() is None and len(workers) >= 2, "the run ended or started no workers"
        os.kill(run.pid, how)
        assert run.wait(timeout=60) == status
        assert _survivors(run.pid) == [], "worker processes outlived the run"
        assert run.stderr is not None
        err = run.stderr.read().decode()
        if how == signal.SIGTERM:
            assert err.strip() == "error: terminated", err
        assert "Traceback" not in err
        assert not (tmp_path / "out").exists()
