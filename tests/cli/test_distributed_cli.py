"""``--checkpoint`` on the command line: a run killed part-way and rerun ends with the bytes of
an uninterrupted run, computing fewer chunks the second time (counted on stderr); a checkpoint
of other inputs is refused in one line; without ``--scheduler`` Dask is never imported (nor by
``plan`` of many samples); every sampling command takes up to 10^12 samples, and the progress
bar counts and times a run of 10^10."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click
import pytest

from decision.cli.main import cli
from tests.conftest import ROOT, CliResult, needs_belarus

BASELINE = str(ROOT / "scenarios" / "baseline.yaml")
RUN = ["run", BASELINE, "--samples", "40000", "--seed", "4", "--json", "--task-samples", "4096"]
CHUNKS = 5  # 40,000 samples in chunks of 8,192 (one per task)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "decision", *args]


def _environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def _counts(err: str) -> tuple[int, int]:
    found = re.search(r"(\d+) chunks computed, (\d+) read back", err)
    assert found, err
    return int(found[1]), int(found[2])


@needs_belarus
def test_a_killed_run_resumes_to_the_same_bytes_computing_less(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    whole = run_cli(*RUN)
    assert whole.status == 0, whole.err
    folder = tmp_path / "ck"
    slow = subprocess.Popen(  # each chunk sleeps first (test-only), so the kill lands mid-run
        _cli(*RUN, "--checkpoint", str(folder)), cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, env=_environment(DECISION_TASK_DELAY="0.4"))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(folder.rglob("task-*.npz"))) < 2:
        time.sleep(0.05)
    slow.send_signal(signal.SIGKILL)
    slow.wait()
    saved = len(list(folder.rglob("task-*.npz")))
    assert 2 <= saved < CHUNKS
    resumed = subprocess.run(_cli(*RUN, "--checkpoint", str(folder)), cwd=ROOT,
                             capture_output=True, text=True, env=_environment())
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout == whole.out
    assert _counts(resumed.stderr) == (CHUNKS - saved, saved)


@needs_belarus
def test_a_checkpoint_of_other_inputs_is_refused_in_one_line(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    folder = str(tmp_path / "ck")
    first = run_cli(*RUN, "--checkpoint", folder)
    assert first.status == 0 and _counts(first.err) == (CHUNKS, 0)
    again = run_cli(*RUN, "--checkpoint", folder)
    assert again.out == first.out and _counts(again.err) == (0, CHUNKS)
    other = run_cli(*[a if a != "4" else "5" for a in RUN], "--checkpoint", folder)  # seed
    assert other.status == 2 and other.out == ""
    assert other.err.count("\n") == 1
    assert other.err.startswith(f"error: --checkpoint: checkpoint '{folder}' was written by a run "
                                "of different inputs (options.seed differ); allowed: ")


def test_a_bad_scheduler_is_one_line(run_cli: Callable[..., CliResult]) -> None:
    found = run_cli("run", str(ROOT / "tests" / "data" / "mini" / "base.yaml"),
                    "--scheduler", "local:many")
    assert found.status == 2 and found.err.count("\n") == 1
    assert "--scheduler: 'local:many' does not name a number of workers" in found.err


@pytest.mark.parametrize("command", [
    ["run", BASELINE, "--samples", "2000"],
    ["plan", BASELINE, "--samples", "4100", "--task-samples", "4096"],  # two spans
])
def test_without_a_scheduler_dask_is_not_imported(command: list[str]) -> None:
    code = ("import sys\nfrom decision.cli.main import main\ntry:\n    main(sys.argv[1:])\n"
            "finally:\n    print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('dask', 'distributed')), file=sys.stderr)\n")
    found = subprocess.run([sys.executable, "-c", code, *command],
                           cwd=ROOT, capture_output=True, text=True, env=_environment())
    assert found.returncode == 0, found.stderr
    assert found.stderr.strip().splitlines()[-1] == "[]"


def test_every_sampling_command_takes_up_to_ten_to_the_twelve_samples() -> None:
    from decision.specs.scenario import ScenarioSpec
    from decision.study.api import MAX_SAMPLES

    assert MAX_SAMPLES == 10**12
    for name in ("run", "compare", "robustness", "explore", "plan"):
        command = cli.commands[name]
        (option,) = [p for p in command.params if p.name == "samples"]
        assert isinstance(option.type, click.IntRange), name
        assert option.type.max == MAX_SAMPLES, name
    field = ScenarioSpec.model_fields["samples"]
    assert [m.le for m in field.metadata if hasattr(m, "le")] == [MAX_SAMPLES]


def test_more_than_ten_to_the_twelve_samples_is_one_line(
    run_cli: Callable[..., CliResult]
) -> None:
    found = run_cli("plan", BASELINE, "--samples", str(10**12 + 1))
    assert found.status == 2 and found.out == "" and found.err.count("\n") == 1
    assert "--samples" in found.err and "1000000000000" in found.err


def test_the_progress_bar_counts_and_times_ten_to_the_ten_samples() -> None:
    from rich.console import Console

    from decision.cli.distributed import progress_bar

    clock = [0.0]
    with progress_bar("run") as bar:
        bar.get_time = lambda: clock[0]  # a run of 10^10 at 10^8 a second, 30 s in
        task = bar.add_task("run", total=10**10)
        for step in range(31):
            clock[0] = float(step)
            bar.update(task, completed=step * 10**8)
        console = Console(width=200, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
        console.print(bar.make_tasks_table(bar.tasks))
        text = console.export_text()
    assert "3,000,000,000/10,000,000,000" in text
    assert "100,000,000/s" in text
    assert "0:01:10" in text  # 7 * 10^9 samples left at 10^8 a second
