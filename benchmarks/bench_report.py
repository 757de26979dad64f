"""Benchmark: the comparative report of every shipped scenario (what `make report` does).

1. `decision compare <the Makefile's scenarios> --out <tmp>` in a fresh process: wall time from
   start-up to exit, with the Monte Carlo the scenarios ask for.
2. The same in one fresh process, stage by stage: imports, the study (evaluation, Monte Carlo
   and the analyses run_study adds), the report data, the charts, Markdown/HTML/JSON, writing.
3. Before and after, in one run: the CPU seconds (user + system, of the process and of the
   chart workers it waits for, from ``getrusage(RUSAGE_CHILDREN)``) of (1) in this tree and in
   ``--before REF`` (default: e4cb15b, where the charts were still drawn with matplotlib),
   which is exported with ``git archive`` into a temporary folder (the repository's state is
   not touched) and run with the same interpreter; the best of ``--repeat`` runs each, the
   ratio and the size of report.html.

Every run writes and reuses Python's bytecode cache, as an installed package does
(``PYTHONDONTWRITEBYTECODE``, set in some sandboxes, is dropped), and each tree runs once
untimed first, so neither side pays for compiling its sources.

Targets (issue 15): well under 10 s for (1); CPU after / before at most 0.25. Run:
``PYTHONPATH=. .venv/bin/python benchmarks/bench_report.py [--before REF] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = [
    "scenarios/baseline.yaml",
    *sorted(f"scenarios/{p.name}" for p in (ROOT / "scenarios").glob("*.yaml")
            if p.name != "baseline.yaml"),
]
METHODS = "wsm,topsis,vikor,promethee"
#: The commit before the charts were written as SVG (the merge base of issue 15's work).
BEFORE = "e4cb15b"

STAGES = r"""
import json, sys, time
start = time.perf_counter()
from decision.specs import MethodChoice
from decision.study.study import run_study
from decision.reports import outline, writer
from decision.reports.data import report_data
from decision.reports.provenance import manifest_data
t = {"imports": time.perf_counter() - start}
mark = time.perf_counter()
study = run_study(json.loads(sys.argv[1]),
                  methods=[MethodChoice(name=m) for m in sys.argv[2].split(",")])
t["study"] = time.perf_counter() - mark; mark = time.perf_counter()
data = report_data(study)
t["report data"] = time.perf_counter() - mark; mark = time.perf_counter()
charts = outline.build_charts(data)
t[f"charts ({len(charts)})"] = time.perf_counter() - mark
mark = time.perf_counter()
files = writer.report_files(study)
t["all files again (charts warm)"] = time.perf_counter() - mark; mark = time.perf_counter()
from decision.files.atomic import replace_directory
replace_directory(__import__("pathlib").Path(sys.argv[3]), files, writer.previous_outputs)
t["write"] = time.perf_counter() - mark
t["total"] = time.perf_counter() - start - t["all files again (charts warm)"]
print(json.dumps(t))
"""

#: CPU seconds of the study and of drawing every chart in one process (no worker processes,
#: matplotlib's import included where the tree still uses it).
CHART_CPU = r"""
import json, sys, time
from decision.specs import MethodChoice
from decision.study.study import run_study
from decision.reports import outline
from decision.reports.data import report_data
mark = time.process_time()
study = run_study(json.loads(sys.argv[1]),
                  methods=[MethodChoice(name=m) for m in sys.argv[2].split(",")])
t = {"study": time.process_time() - mark}
data = report_data(study)
outline.CHART_PROCESSES = 1  # the before tree forked chart workers: count them in-process
mark = time.process_time()
charts = outline.build_charts(data)
t["charts"] = time.process_time() - mark
print(json.dumps(t))
"""


#: The environment of every run: bytecode written and reused as an installed package would.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cli_seconds(out: Path) -> float:
    """Wall time of `decision compare` as `make report` runs it (a fresh process)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "decision", "compare", *SCENARIOS, "--methods", METHODS,
         "--out", str(out)],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def stages(out: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", STAGES, json.dumps(SCENARIOS), METHODS, str(out)],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    timings: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return timings


def cpu_seconds(tree: Path, out: Path) -> tuple[float, float]:
    """CPU seconds (user + system, with the chart workers) and wall seconds of a fresh
    `decision compare` of the shipped scenarios, run from ``tree`` with its own code."""
    env = {**ENV, "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "decision", "compare", *SCENARIOS, "--methods", METHODS,
         "--out", str(out)],
        cwd=tree, env=env, check=True, capture_output=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def chart_cpu(tree: Path) -> dict[str, float]:
    """CPU seconds of the study and of the charts stage alone, in ``tree``'s code."""
    result = subprocess.run(
        [sys.executable, "-c", CHART_CPU, json.dumps(SCENARIOS), METHODS],
        cwd=tree, env={**ENV, "PYTHONPATH": str(tree)}, check=True,
        capture_output=True, text=True,
    )
    timings: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return timings


def export(ref: str, folder: Path) -> None:
    """The tree of ``ref`` written into ``folder`` (git archive: no worktree, no checkout)."""
    archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)


def before_and_after(ref: str, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "before"
        old.mkdir()
        export(ref, old)
        runs: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
        for name, tree in (("before", old), ("after", ROOT)):  # untimed: bytecode cached
            cpu_seconds(tree, Path(tmp) / f"warm-{name}")
        for k in range(repeat):  # interleaved, so load on the machine hits both alike
            runs["before"].append(cpu_seconds(old, Path(tmp) / f"out-before-{k}"))
            runs["after"].append(cpu_seconds(ROOT, Path(tmp) / f"out-after-{k}"))
        stage = {"before": chart_cpu(old), "after": chart_cpu(ROOT)}
        sizes = {name: (Path(tmp) / f"out-{name}-0" / "report.html").stat().st_size
                 for name in runs}
        charts = {name: sum(p.stat().st_size for p in (Path(tmp) / f"out-{name}-0" /
                                                       "charts").glob("*.svg"))
                  for name in runs}
    best = {name: min(r[0] for r in rs) for name, rs in runs.items()}
    wall = {name: min(r[1] for r in rs) for name, rs in runs.items()}
    print(f"\nbefore ({ref}) and after (this tree), best of {repeat}:")
    print(f"{'':<12} {'CPU s':>7} {'wall s':>7} {'report.html':>12} {'charts/':>10} "
          f"{'study CPU':>10} {'charts CPU':>11}")
    for name in runs:
        print(f"{name:<12} {best[name]:7.2f} {wall[name]:7.2f} {sizes[name]:>12,} "
              f"{charts[name]:>10,} {stage[name]['study']:10.2f} {stage[name]['charts']:11.3f}")
    for name, rs in runs.items():
        print(f"  {name} CPU s of each run: " + ", ".join(f"{r[0]:.2f}" for r in rs))
    middle = {name: statistics.median(r[0] for r in rs) for name, rs in runs.items()}
    print(f"CPU after / before, medians: {middle['after'] / middle['before']:.3f}")
    print(f"CPU after / before: {best['after'] / best['before']:.3f} (target <= 0.25); "
          f"report.html after / before: {sizes['after'] / sizes['before']:.3f}; charts "
          f"stage CPU after / before: {stage['after']['charts'] / stage['before']['charts']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--before", default=BEFORE, help="the commit to compare against")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (best is kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wall = cli_seconds(Path(tmp) / "cli")
        written = sorted(p.name for p in (Path(tmp) / "cli").iterdir())
        timings = stages(Path(tmp) / "stages")
    print(f"{'case':<56} {'wall s':>7}  target")
    print(f"{f'decision compare, {len(SCENARIOS)} scenarios (fresh process)':<56} "
          f"{wall:7.2f}  < 10 s")
    print(f"  wrote: {', '.join(written)}")
    for name, seconds in timings.items():
        print(f"  {name:<54} {seconds:7.2f}")
    before_and_after(args.before, max(args.repeat, 1))


if __name__ == "__main__":
    main()
