"""Where chunks of samples are evaluated: here, or as tasks on a Dask cluster; always handed
back in chunk order, optionally saved to a checkpoint as they finish.

The sampling loops (:func:`~decision.uncertainty.montecarlo.monte_carlo`, ``explore``) map a
pure function over spans of samples and merge the results in span order. With no
:class:`Runner` active they do so in this process, as before. An active runner (set by the
command line's ``--scheduler`` and ``--checkpoint``, or with :func:`running` from Python)
groups consecutive spans into tasks of at least :data:`TASK_SAMPLES` samples (so a task costs
the scheduler about 1% of its time), submits them to Dask (a few per worker in flight, so
memory stays bounded), and yields each span's result in order whatever the order the tasks
finish in: the merged tallies, and so the output files, are the bytes of a local run.

A task is a pure function of its spans (fixed RNG blocks, see
:mod:`decision.uncertainty.sampling`), so Dask may run it again when a worker dies and the
result is the same. With a checkpoint each finished task is saved atomically as it arrives
(:mod:`decision.uncertainty.checkpoint`) and a rerun reads it back instead. Dask is imported
only when a scheduler is given.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from decision.errors import DecisionError
from decision.uncertainty.checkpoint import Checkpoint, Stage

Span = tuple[int, int]
T = TypeVar("T")

#: Samples per Dask task (and per checkpoint file), at least: a task of about 10^5 samples
#: takes seconds, against the scheduler's milliseconds per task.
TASK_SAMPLES = 1 << 17
#: The environment variable read when ``--scheduler`` is not given.
SCHEDULER_ENV = "DECISION_SCHEDULER"
#: Test-only: seconds each computed task sleeps first (to interrupt a run part-way).
DELAY_ENV = "DECISION_TASK_DELAY"
_LOCAL = "local"


@dataclass
class RunStats:
    """What a runner did, counted: tasks computed and read back from the checkpoint, and the
    order in which computed tasks finished (per stage: task numbers)."""

    computed: int = 0
    reused: int = 0
    completion: list[list[int]] = field(default_factory=list)


@dataclass
class Runner:
    """Run chunks on ``scheduler`` (a Dask address, ``local:N`` for a LocalCluster of ``N``
    worker processes, or None for this process) or an existing Dask ``client``, saving
    finished tasks to ``checkpoint`` (optional).

    ``task_samples`` sets the samples per task (smaller only for tests and small runs);
    ``delay(task)`` (test-only) makes a task sleep that many seconds before it starts, so a
    test can make early tasks finish last; ``in_flight`` tasks per worker are submitted ahead.
    """

    scheduler: str | None = None
    checkpoint: Checkpoint | None = None
    task_samples: int = TASK_SAMPLES
    client: Any = None
    delay: Callable[[int], float] | None = None
    in_flight: int = 2
    stats: RunStats = field(default_factory=RunStats)
    _stages: int = 0
    _cluster: Any = None
    _owned: bool = False

    @property
    def distributed(self) -> bool:
        return self.client is not None or self.scheduler is not None

    def _connect(self) -> Any:
        if self.client is None:
            self.client, self._cluster = connect(self.scheduler or "")
            self._owned = True
        return self.client

    def close(self) -> None:
        """Close the client and the LocalCluster this runner started (not a given client)."""
        if not self._owned:
            return
        with contextlib.suppress(Exception):
            self.client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()
        self.client = self._cluster = None
        self._owned = False

    def map(
        self,
        function: Callable[[Span], T],
        spans: list[Span],
        *,
        label: str,
        fingerprint: Mapping[str, Any],
    ) -> Iterator[T]:
        """``function`` over ``spans``, results in span order (see the module docstring).
        ``label`` and ``fingerprint`` name the stage in the checkpoint and what it depends on
        (all that makes its results what they are)."""
        tasks = group(spans, self.task_samples)
        number = self._stages
        self._stages += 1
        stage = None
        if self.checkpoint is not None:
            stage = self.checkpoint.stage(number, label, {**fingerprint, "tasks": layout(tasks)})
        finished = stage.finished() if stage is not None else set()
        order: list[int] = []
        self.stats.completion.append(order)
        results = (self._dask(function, tasks, finished, stage, order) if self.distributed
                   else self._here(function, tasks, finished, stage, order))
        for task, result in zip(tasks, results, strict=True):
            yield from _checked(result, len(task))

    def _delay(self, task: int) -> float:
        if self.delay is not None:
            return self.delay(task)
        return float(os.environ.get(DELAY_ENV) or 0.0)

    def _here(self, function: Callable[[Span], T], tasks: list[list[Span]], finished: set[int],
              stage: Stage | None, order: list[int]) -> Iterator[list[T]]:
        for k, spans in enumerate(tasks):
            if k in finished and stage is not None:
                self.stats.reused += 1
                yield stage.load(k)
                continue
            result = run_task(function, spans, self._delay(k))
            self.stats.computed += 1
            order.append(k)
            if stage is not None:
                stage.save(k, result)
            yield result

    def _dask(self, function: Callable[[Span], T], tasks: list[list[Span]], finished: set[int],
              stage: Stage | None, order: list[int]) -> Iterator[list[T]]:
        as_completed = _distributed().as_completed
        client = self._connect()
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = max(2, self.in_flight * workers)
        token = os.urandom(4).hex()
        ready: dict[int, list[T]] = {}
        keys: dict[str, int] = {}
        pending = as_completed()
        submitted = 0  # tasks numbered below this are submitted, read back or done
        try:
            for wanted in range(len(tasks)):
                while submitted < len(tasks) and submitted < wanted + window:
                    k = submitted
                    submitted += 1
                    if k in finished and stage is not None:
                        ready[k] = stage.load(k)
                        self.stats.reused += 1
                        continue
                    key = f"decision-{token}-{self._stages}-{k}"
                    keys[key] = k
                    pending.add(client.submit(run_task, function, tasks[k], self._delay(k),
                                              key=key, pure=False, retries=2))
                while wanted not in ready:
                    future = next(pending)
                    k = keys[future.key]
                    result = future.result()
                    future.release()
                    self.stats.computed += 1
                    order.append(k)
                    if stage is not None:
                        stage.save(k, result)
                    ready[k] = result
                yield ready.pop(wanted)
        finally:  # stopped early (an error, Ctrl-C): drop what is still queued
            for future in list(pending.futures):
                future.cancel()
            pending.clear()


def _checked(result: list[T], spans: int) -> list[T]:
    if len(result) != spans:  # a task file of other spans would have been refused earlier
        raise RuntimeError(f"a task returned {len(result)} results for {spans} chunks")
    return result


def run_task(function: Callable[[Span], T], spans: list[Span], delay: float = 0.0) -> list[T]:
    """One task: ``function`` over its spans, in order (what a Dask worker runs)."""
    if not _TUNED:
        tune_allocator()
    if delay > 0:
        time.sleep(delay)
    return [function(span) for span in spans]


#: The allocator's thresholds a worker is given back (bytes): glibc's own upper values.
MMAP_THRESHOLD, TRIM_THRESHOLD = 32 << 20, 64 << 20
_TUNED = False


def tune_allocator() -> bool:
    """Give this process glibc's usual heap behaviour back when a Dask nanny took it away
    (once; True when it did).

    A nanny starts each worker with ``MALLOC_TRIM_THRESHOLD_=65536`` (Dask's
    ``distributed.nanny.pre-spawn-environ``), so that freed memory goes back to the system at
    once. Setting it also fixes glibc's otherwise adaptive mmap threshold at 128 kB: every
    temporary array of a chunk is then a fresh ``mmap`` whose pages the kernel zeroes again,
    which measured as 10 µs more system CPU per sample (half as much again as the work; see
    ``benchmarks/bench_distributed.py``). The adaptive maxima are restored with ``mallopt``; a
    task's memory stays bounded, so little is held back. Elsewhere nothing changes.
    """
    global _TUNED
    _TUNED = True
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ or not sys.platform.startswith("linux"):
        return False
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3  # from glibc's malloc.h
    return bool(mallopt(m_mmap_threshold, MMAP_THRESHOLD)
                and mallopt(m_trim_threshold, TRIM_THRESHOLD))


def layout(tasks: list[list[Span]]) -> dict[str, Any]:
    """How the samples are cut into tasks, for a checkpoint's stage to check: the number of
    tasks, and a hash of each one's first and last sample and spans (a fixed size whatever the
    run's: 10^10 samples are some 76,000 tasks)."""
    state = hashlib.sha256()
    for task in tasks:
        state.update(f"{task[0][0]},{task[-1][1]},{len(task)};".encode())
    return {"count": len(tasks), "sha256": state.hexdigest()}


def group(spans: list[Span], samples: int) -> list[list[Span]]:
    """Consecutive spans in tasks of at least ``samples`` samples (the last may hold fewer)."""
    tasks: list[list[Span]] = []
    size = samples
    for span in spans:
        if size >= samples:
            tasks.append([])
            size = 0
        tasks[-1].append(span)
        size += span[1] - span[0]
    return tasks


def connect(scheduler: str) -> tuple[Any, Any]:
    """A Dask client of ``scheduler`` and the LocalCluster started for ``local:N`` (or None)."""
    try:
        dask = _distributed()
    except ImportError:
        raise DecisionError(
            "a --scheduler needs Dask distributed, which is not installed",
            key_path="--scheduler",
            allowed="pip install 'policy-decision-brief[dask]'",
        ) from None
    cluster = None
    if scheduler == _LOCAL or scheduler.startswith(f"{_LOCAL}:"):
        count = parse_local(scheduler)
        # its HTTP server on a free port (":0"): None still tries 8787 and warns when taken
        # its scheduler and workers log nothing below CRITICAL: what they print while an
        # interrupted run tears down (tasks cancelled, "Couldn't gather keys", closed
        # streams, with tracebacks) would break the run's one line on stderr, and a real
        # failure reaches the client as the task's exception anyway
        cluster = dask.LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                                    dashboard_address=":0", silence_logs=logging.CRITICAL)
        return dask.Client(cluster), cluster
    try:
        return dask.Client(scheduler, timeout="20s"), None
    except (OSError, TimeoutError, ValueError) as exc:
        raise DecisionError(
            f"cannot reach the Dask scheduler '{scheduler}': {exc}",
            key_path="--scheduler",
            allowed="the address of a running scheduler (tcp://host:8786) or local:N",
        ) from None


def _distributed() -> Any:
    """The ``distributed`` module, imported only now (untyped: its API is used dynamically)."""
    import importlib

    return importlib.import_module("distributed")


def parse_local(scheduler: str) -> int:
    """The ``N`` of ``local:N`` (``local`` alone: the machine's cores)."""
    text = scheduler.partition(":")[2]
    if not text:
        return max(1, os.cpu_count() or 1)
    if not text.isdigit() or not 1 <= int(text) <= 1024:
        raise DecisionError(f"'{scheduler}' does not name a number of workers",
                            key_path="--scheduler", allowed="local:N with N from 1 to 1024, or "
                            "the address of a Dask scheduler (tcp://host:8786)")
    return int(text)


_ACTIVE: ContextVar[Runner | None] = ContextVar("decision_runner", default=None)


def active() -> Runner | None:
    """The runner the sampling loops use now (None: in this process, no checkpoint)."""
    return _ACTIVE.get()


@contextlib.contextmanager
def running(runner: Runner) -> Iterator[Runner]:
    """Make ``runner`` the active one inside the block; close what it started after it."""
    token = _ACTIVE.set(runner)
    try:
        yield runner
    finally:
        _ACTIVE.reset(token)
        runner.close()
