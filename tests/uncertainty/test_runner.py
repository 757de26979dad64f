"""Chunks run as Dask tasks give the bytes of a local run: on one or two workers, with tasks
finishing out of order, with a worker killed mid-run, and through the command line; the same
for a plan of more samples than the report's (read in spans); workers get glibc's adaptive
heap back from the nanny's setting.

One threads LocalCluster per worker count and one process LocalCluster (started as
``--scheduler local:2`` starts it) serve the whole module; tasks are made small with
``task_samples`` so a run of a few 10^4 samples has several.
"""

from __future__ import annotations

import importlib
import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.analyses.explore.run import explore
from decision.cli.explore import _load
from decision.load.loading import load_scenario
from decision.results import to_data
from decision.study.plan import plan_paths
from decision.study.scenario import run_scenario
from decision.uncertainty.runner import (
    Runner,
    connect,
    group,
    layout,
    parse_local,
    run_task,
    running,
)
from tests.conftest import ROOT, invoke_cli, needs_belarus

distributed = pytest.importorskip("distributed")
pytestmark = needs_belarus
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
BASELINE = ROOT / "scenarios" / "baseline.yaml"
MINI = ROOT / "tests" / "data" / "mini" / "open.yaml"  # explore: a small model keeps it cheap
SAMPLES, TASK = 24_000, 8192  # three tasks of one chunk each
PLAN_SAMPLES, PLAN_TASK = 9000, 4096  # three spans of one RNG block, a task each, per pass


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.integers(1, 50), max_size=30), st.integers(1, 120))
def test_tasks_cover_the_spans_in_order_each_big_enough(sizes: list[int], least: int) -> None:
    edges = [0]
    for size in sizes:
        edges.append(edges[-1] + size)
    spans = list(itertools.pairwise(edges))
    tasks = group(spans, least)
    assert [span for task in tasks for span in task] == spans
    assert all(sum(b - a for a, b in task) >= least for task in tasks[:-1])


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.integers(1, 50), min_size=1, max_size=30), st.integers(1, 120),
       st.integers(1, 120))
def test_the_task_layout_names_the_cut_in_a_fixed_size(
    sizes: list[int], least: int, other: int
) -> None:
    edges = [10**10]  # sample numbers past 2^32
    for size in sizes:
        edges.append(edges[-1] + size)
    spans = list(itertools.pairwise(edges))
    one, two = group(spans, least), group(spans, other)
    assert layout(one) == layout(group(spans, least))
    assert (layout(one) == layout(two)) == (one == two)
    assert len(json.dumps(layout(one))) < 120


def test_a_chunk_near_ten_to_the_ten_draws_what_a_larger_chunk_draws() -> None:
    from decision.core.compile import compile_model, compile_scenario
    from decision.uncertainty.sampling import block_filler, draw_range_into, weight_model

    scenario, model = load_scenario(BASELINE)
    compiled = compile_model(model)
    inputs = compile_scenario(compiled, scenario, samples=10**10 + 10**6, seed=11)
    fill = block_filler(compiled, inputs, weight_model(compiled, inputs))
    i, o, c = len(inputs.values), len(compiled.options), len(compiled.criteria)

    def draws(span: tuple[int, int]) -> tuple[Any, ...]:
        n = span[1] - span[0]
        outs = (np.empty((n, i)), np.empty((n, o, c)), np.empty((n, c)))
        draw_range_into(inputs.seed, *span, fill, outs)
        return outs

    start = 10**10 + 3066  # across the start of RNG block 2441407 (sample 10^10 + 3072)
    alone = run_task(draws, [(start, start + 12)])[0]
    larger = run_task(draws, [(start - 100, start), (start, start + 50)])[1]
    for a, b in zip(alone, larger, strict=True):
        assert np.array_equal(a, b[:12])


def test_local_n_is_checked() -> None:
    assert parse_local("local:3") == 3
    with pytest.raises(Exception, match="does not name a number of workers"):
        parse_local("local:0")


@pytest.fixture(scope="module")
def weighted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The baseline with missing weights: the confidence factors take a second pass."""
    path = tmp_path_factory.mktemp("w") / "w.yaml"
    path.write_text(f"id: w\ntitle: W\nextends: {ROOT / 'scenarios' / 'baseline'}\n"
                    "weight_uncertainty: {kind: missing}\nsamples: 3000\nseed: 5\n")
    return path


def _run(path: Path, runner: Runner | None) -> str:
    scenario, model = load_scenario(path, allow_any_path=True)  # extends an absolute path
    if runner is None:
        result = run_scenario(scenario, model, samples=SAMPLES, seed=7).result
    else:
        with running(runner):
            result = run_scenario(scenario, model, samples=SAMPLES, seed=7).result
    return json.dumps(result.to_dict())


def _explore(runner: Runner | None) -> str:
    model, inputs, satisficing = _load(str(MINI), 3, False)

    def go() -> Any:
        return explore(model, inputs, samples=SAMPLES, design="mc", seed=3,
                       satisficing=satisficing, sensitivity="given", tree=False)

    if runner is None:
        return json.dumps(to_data(go()))
    with running(runner):
        return json.dumps(to_data(go()))


def _plan(runner: Runner | None) -> str:
    def go() -> str:
        return json.dumps(to_data(plan_paths([BASELINE], samples=PLAN_SAMPLES, seed=3)))

    if runner is None:
        return go()
    with running(runner):
        return go()


@pytest.fixture(scope="module")
def local(weighted: Path) -> dict[str, str]:
    return {"run": _run(weighted, None), "explore": _explore(None), "plan": _plan(None)}


@pytest.fixture(scope="module")
def threads() -> Iterator[dict[int, Any]]:
    clusters = {n: distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=False,
                                            dashboard_address=":0") for n in (1, 2)}
    clients = {n: distributed.Client(c) for n, c in clusters.items()}
    yield clients
    for n in clients:
        clients[n].close()
        clusters[n].close()


@pytest.fixture(scope="module")
def processes() -> Iterator[tuple[Any, Any]]:
    client, cluster = connect("local:2")  # what --scheduler local:2 starts
    client.run(importlib.import_module, "decision.analyses.explore.run")  # warm the workers
    yield client, cluster
    client.close()
    cluster.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_one_or_two_workers_give_the_local_bytes(
    threads: dict[int, Any], local: dict[str, str], weighted: Path, workers: int
) -> None:
    runner = Runner(client=threads[workers], task_samples=TASK)
    assert _run(weighted, runner) == local["run"]
    assert runner.stats.computed == 6  # two passes of three tasks, all computed on Dask


def test_tasks_finishing_out_of_order_give_the_local_bytes(
    threads: dict[int, Any], local: dict[str, str], weighted: Path
) -> None:
    def first_last(task: int) -> float:  # the first task starts late, so it finishes last
        return 0.6 if task == 0 else 0.0

    runner = Runner(client=threads[2], task_samples=TASK, delay=first_last)
    assert _run(weighted, runner) == local["run"]
    for order in runner.stats.completion:
        assert sorted(order) == [0, 1, 2] and order[0] != 0
    runner = Runner(client=threads[2], task_samples=TASK, delay=first_last)
    assert _explore(runner) == local["explore"]
    assert runner.stats.completion[0][0] != 0


def test_a_worker_killed_mid_run_changes_nothing(
    processes: tuple[Any, Any], local: dict[str, str], weighted: Path
) -> None:
    client, _ = processes
    killed: list[str] = []

    def kill_a_busy_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            busy = [w for w, keys in client.processing().items() if keys]
            if busy:
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(busy[0])
            time.sleep(0.05)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    try:  # each task sleeps first, so the killed worker is mid-task
        result = _run(weighted, Runner(client=client, task_samples=TASK, delay=lambda k: 0.5))
    finally:
        killer.join()
    assert killed, "no worker was busy to kill"
    assert result == local["run"]


def test_the_command_line_over_a_scheduler_writes_the_same_bytes(
    processes: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, cluster = processes
    run = ["run", str(BASELINE), "--samples", str(SAMPLES), "--seed", "2", "--json",
           "--task-samples", str(TASK)]
    here = invoke_cli(*run)
    monkeypatch.setenv("DECISION_SCHEDULER", cluster.scheduler_address)
    transitions = cluster.scheduler.transition_counter
    there = invoke_cli(*run)
    assert cluster.scheduler.transition_counter > transitions  # the tasks went to Dask
    assert here.status == 0 and there.status == 0, here.err + there.err
    assert here.out == there.out and here.out.startswith("{")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_plan_of_many_samples_on_dask_gives_the_local_bytes(
    threads: dict[int, Any], local: dict[str, str], workers: int
) -> None:
    def first_last(task: int) -> float:
        return 0.6 if task == 0 and workers == 2 else 0.0

    runner = Runner(client=threads[workers], task_samples=PLAN_TASK, delay=first_last)
    assert _plan(runner) == local["plan"]
    assert runner.stats.computed == 6  # counts, then the hedge's tallies: three tasks each
    if workers == 2:
        assert all(order[0] != 0 for order in runner.stats.completion)


def test_the_plan_command_over_a_scheduler_and_from_a_checkpoint_writes_the_same_bytes(
    processes: tuple[Any, Any], tmp_path: Path
) -> None:
    _, cluster = processes
    plan = ["plan", str(BASELINE), "--samples", str(PLAN_SAMPLES), "--seed", "3", "--json",
            "--task-samples", str(PLAN_TASK)]
    here = invoke_cli(*plan)
    folder = str(tmp_path / "ck")
    there = invoke_cli(*plan, "--scheduler", cluster.scheduler_address, "--checkpoint", folder)
    again = invoke_cli(*plan, "--checkpoint", folder)
    assert here.status == there.status == again.status == 0, here.err + there.err + again.err
    assert here.out == there.out == again.out and here.out.startswith("{")
    assert there.err.endswith("6 chunks computed, 0 read back\n")
    assert again.err.endswith("0 chunks computed, 6 read back\n")


def test_workers_get_the_adaptive_heap_back(processes: tuple[Any, Any]) -> None:
    client, _ = processes
    from decision.uncertainty import runner

    def tuned() -> tuple[str | None, bool]:
        return os.environ.get("MALLOC_TRIM_THRESHOLD_"), runner._TUNED

    for worker in client.scheduler_info()["workers"]:  # a task on each, as a run gives them
        client.submit(runner.run_task, _spans, [(0, 1)], workers=[worker], pure=False).result()
    for setting, done in client.run(tuned).values():
        assert setting is not None  # the nanny's setting, which the tasks undo
        assert done


def _spans(span: tuple[int, int]) -> int:
    return span[1] - span[0]


FAULTS = """
import resource
import numpy as np
from decision.uncertainty.runner import tune_allocator

def faults():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(40):
        array = np.ones(1 << 17)  # 1 MB, freed at once: what a chunk's temporaries do
        del array
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

untuned = faults()
tuned = tune_allocator()
faults()
print(untuned, tuned, faults())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_the_nanny_setting_costs_page_faults_that_tuning_removes() -> None:
    found = subprocess.run([sys.executable, "-c", FAULTS], capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT),
                                "MALLOC_TRIM_THRESHOLD_": "65536"})
    untuned, tuned, after = found.stdout.split()
    assert tuned == "True", found.stderr
    assert int(untuned) >= 40 * 200  # every array's pages faulted in afresh
    assert int(after) * 20 < int(untuned)
    plain = subprocess.run([sys.executable, "-c", FAULTS], capture_output=True, text=True,
                           env={k: v for k, v in os.environ.items()
                                if k != "MALLOC_TRIM_THRESHOLD_"} | {"PYTHONPATH": str(ROOT)})
    assert plain.stdout.split()[1] == "False"  # no nanny setting: nothing changed
