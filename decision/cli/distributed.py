"""``--scheduler``, ``--checkpoint`` and ``--task-samples``: the sampling commands' options to
run their chunks on a Dask cluster and to resume an interrupted run, and the progress bar's
columns (samples done, samples per second, time left; chunks when a runner is active).

Nothing here imports Dask, numpy or the runner until a run asks for one of them, so the plain
commands start as fast as before.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import click

#: Options that never change what a command computes (left out of the checkpoint's header).
NEUTRAL = frozenset({"scheduler", "checkpoint", "as_json", "out_dir", "out", "pdf", "formats",
                     "allow_any_path"})

distributed_options = [
    click.option(
        "--scheduler",
        envvar="DECISION_SCHEDULER",
        default=None,
        metavar="ADDRESS",
        help="Run the sampling as Dask tasks on this scheduler (tcp://host:8786), or on a "
        "LocalCluster of N worker processes (local:N); also $DECISION_SCHEDULER. The output "
        "is the same bytes as without it.",
    ),
    click.option(
        "--checkpoint",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        metavar="DIR",
        help="Save each finished chunk of samples here; rerun with the same DIR to resume an "
        "interrupted run (refused for other inputs).",
    ),
    click.option(
        "--task-samples",
        type=click.IntRange(1, 1 << 40),
        default=None,
        metavar="N",
        help="Samples per Dask task and checkpoint file (default 131072; smaller for small "
        "runs and tests).",
    ),
]


def with_distributed_options(func: Any) -> Any:
    for option in reversed(distributed_options):
        func = option(func)
    return func


@contextmanager
def distributed_run(
    scheduler: str | None,
    checkpoint: Path | None,
    task_samples: int | None,
    files: Sequence[str],
) -> Iterator[None]:
    """Run the block with a runner for ``--scheduler``/``--checkpoint`` (none without them);
    the checkpoint's header is the command, the sha256 of ``files`` and the options of the
    current click context that change results. With a checkpoint, one line on stderr says how
    many chunks were computed and how many read back."""
    if scheduler is None and checkpoint is None:
        yield
        return
    from decision.uncertainty.checkpoint import Checkpoint, file_hashes
    from decision.uncertainty.runner import TASK_SAMPLES, Runner, parse_local, running

    if scheduler is not None and scheduler.startswith("local"):
        parse_local(scheduler)  # a bad N fails before anything starts
    ctx = click.get_current_context()
    options = {k: v for k, v in sorted(ctx.params.items()) if k not in NEUTRAL}
    header = {
        "command": ctx.info_name,
        "files": file_hashes(files),
        "options": json.loads(json.dumps(options, default=str)),
    }
    saved = None if checkpoint is None else Checkpoint(checkpoint, header)
    runner = Runner(scheduler=scheduler, checkpoint=saved,
                    task_samples=task_samples or TASK_SAMPLES)
    with running(runner):
        yield
    if checkpoint is not None:
        stats = runner.stats
        click.echo(f"checkpoint {checkpoint}: {stats.computed} chunks computed, "
                   f"{stats.reused} read back", err=True)


@contextmanager
def progress_bar(description: str) -> Iterator[Any]:
    """A transient rich progress bar on stderr: samples done of all, samples per second, time
    left, and the chunks done when a runner is active."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.speed
            return Text("" if speed is None else f"{speed:,.0f}/s")

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}/{task.total:,.0f}"),
        Rate(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        yield bar


@contextmanager
def progress_reports(description: str = "sampling") -> Iterator[Callable[[int, int], None] | None]:
    """A progress callback ``(done, total)`` that shows :func:`progress_bar` on stderr once a
    run passes about a second (None when stderr is no terminal)."""
    if not sys.stderr.isatty():
        yield None
        return
    started = time.monotonic()
    stack = ExitStack()
    bar: Any = None
    task = None

    def report(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None:
            if time.monotonic() - started < 1.0 or done >= total:
                return
            bar = stack.enter_context(progress_bar(description))
            task = bar.add_task(description, total=total)
        bar.update(task, completed=done, total=total, description=f"{description}{chunk_note()}")

    with stack:
        yield report


def chunk_note() -> str:
    """``(k chunks)``: the chunks the active runner has finished, or ''."""
    from decision.uncertainty.runner import active

    runner = active()
    if runner is None:
        return ""
    return f" ({runner.stats.computed + runner.stats.reused} chunks)"
