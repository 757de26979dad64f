"""The Belarus exploration on Dask: local vs a LocalCluster of 1 and 2 worker processes, the
scheduler's cost per task, and the figures the README's capacity plan for 10^10 samples is
derived from.

For each setting the sampling pass of ``explore`` (baseline scenario, ``mc`` design, no
sensitivity, no CART) is timed from the start to the last chunk's progress call; clusters are
started and their workers warmed (the package imported) before the clock starts, so the
figures are the steady-state ones a long run sees. Speedup and parallel efficiency are against
the local run; every setting's result is checked to be the same JSON as the local one. On a
machine shared with other work the wall-clock figures say little, so the CPU time of the
client (with the scheduler, which a LocalCluster runs in the client's process) and of the
workers is reported per sample too: the capacity plan is derived from those. The workers'
system CPU is reported apart: a Dask nanny's ``MALLOC_TRIM_THRESHOLD_`` once made it most of
their extra cost over one process (see :func:`decision.uncertainty.runner.tune_allocator`).

The per-task overhead is the time of ``TASKS`` empty tasks through the same runner on one
worker, divided by their number, and is stated as a share of a task of ``TASK_SAMPLES``
samples at the measured cost per sample. Peak memory per worker is each worker process's
``ru_maxrss``; the output size per sample is that of the workbench archive of an ``--out``
run. Usage::

    .venv/bin/python benchmarks/bench_distributed.py [N]
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "baseline.yaml"
TASKS = 200
TARGET = 10**10


def _explore(n: int, runner: Any = None, out: Path | None = None) -> tuple[float, str]:
    from decision.analyses.explore.run import explore
    from decision.cli.explore import _load
    from decision.results import to_data
    from decision.uncertainty.runner import running

    model, inputs, satisficing = _load(str(SCENARIO), None, False)
    marks: list[float] = []

    def mark(done: int, total: int) -> None:
        if done == total:
            marks.append(time.perf_counter())

    def go() -> Any:
        return explore(model, inputs, samples=n, design="mc", seed=inputs.seed,
                       satisficing=satisficing, sensitivity="none", tree=False, out=out,
                       progress=mark)

    started = time.perf_counter()
    if runner is None:
        found = go()
    else:
        with running(runner):
            found = go()
    return marks[-1] - started, json.dumps(to_data(found))


def _noop(span: tuple[int, int]) -> int:
    return span[1] - span[0]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process (a worker's, when run there)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def _sys() -> float:
    """System CPU seconds of this process (page faults, mmap, I/O)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_stime


def main(n: int) -> None:
    import distributed

    from decision.uncertainty.runner import TASK_SAMPLES, Runner

    before, system = _cpu(), _sys()
    local, reference = _explore(n)
    per_sample = local / n
    rows: dict[str, Any] = {"samples": n, "local_s": round(local, 2),
                            "us_per_sample": round(1e6 * per_sample, 2),
                            "local_cpu_us_per_sample": round(1e6 * (_cpu() - before) / n, 2),
                            "local_sys_us_per_sample": round(1e6 * (_sys() - system) / n, 2)}
    for workers in (1, 2):
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=":0") as cluster, \
                distributed.Client(cluster) as client:
            client.run(__import__, "decision.analyses.explore.run")  # warm the workers
            workers_before, before = client.run(_cpu), _cpu()
            system_before = client.run(_sys)
            seconds, found = _explore(n, Runner(client=client))
            assert found == reference, "a distributed run differs from the local one"
            client_cpu = _cpu() - before  # with the scheduler, which runs in this process
            worker_cpu = sum(client.run(_cpu).values()) - sum(workers_before.values())
            worker_sys = sum(client.run(_sys).values()) - sum(system_before.values())
            rows[f"client_cpu_us_per_sample_{workers}"] = round(1e6 * client_cpu / n, 2)
            rows[f"worker_cpu_us_per_sample_{workers}"] = round(1e6 * worker_cpu / n, 2)
            rows[f"worker_sys_us_per_sample_{workers}"] = round(1e6 * worker_sys / n, 2)
            rows[f"workers_{workers}_s"] = round(seconds, 2)
            rows[f"speedup_{workers}"] = round(local / seconds, 2)
            rows[f"efficiency_{workers}"] = round(local / seconds / workers, 2)
            peaks = client.run(_peak_mb)
            rows[f"worker_peak_mb_{workers}"] = round(max(peaks.values()), 1)
            if workers == 1:
                spans = [(k, k + 1) for k in range(TASKS)]
                runner = Runner(client=client, task_samples=1)
                started = time.perf_counter()
                assert sum(runner.map(_noop, spans, label="noop", fingerprint={})) == TASKS
                overhead = (time.perf_counter() - started) / TASKS
                rows["task_overhead_ms"] = round(1e3 * overhead, 2)
                task = TASK_SAMPLES * per_sample
                rows["task_seconds"] = round(task, 2)
                rows["overhead_share_of_task"] = round(overhead / task, 4)
    rows["client_peak_mb"] = round(_peak_mb(), 1)
    with tempfile.TemporaryDirectory() as folder:
        small = 1 << 15
        _explore(small, out=Path(folder))
        size = sum(p.stat().st_size for p in Path(folder).iterdir())
        rows["archive_bytes_per_sample"] = round(size / small, 1)
    worker_hours = TARGET * rows["worker_cpu_us_per_sample_2"] / 1e6 / 3600
    rows["plan_10e10_worker_cpu_hours"] = round(worker_hours, 1)
    rows["plan_10e10_client_cpu_hours"] = round(
        TARGET * rows["client_cpu_us_per_sample_2"] / 1e6 / 3600, 1)
    rows["plan_10e10_archive_gb"] = round(TARGET * rows["archive_bytes_per_sample"] / 1e9, 1)
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main(next((int(a) for a in sys.argv[1:] if a.isdigit()), 1 << 19))
