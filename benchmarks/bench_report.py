"""Benchmark: the comparative report of every shipped scenario (what `make report` does).

1. `decision compare <the Makefile's scenarios> --out <tmp>` in a fresh process: wall time from
   start-up to exit, with the Monte Carlo the scenarios ask for.
2. The same in one fresh process, stage by stage: imports, the study (evaluation, Monte Carlo
   and the analyses run_study adds), the report data, the charts, Markdown/HTML/JSON, writing.

Target (issue): well under 10 s for (1). Run: ``.venv/bin/python benchmarks/bench_report.py``.
"""

from __future__ import annotations

import json
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
t[f"charts ({len(charts)}, incl. importing matplotlib)"] = time.perf_counter() - mark
mark = time.perf_counter()
files = writer.report_files(study)
t["all files again (charts warm)"] = time.perf_counter() - mark; mark = time.perf_counter()
writer.commit({__import__("pathlib").Path(sys.argv[3]) / n: d for n, d in files.items()})
t["write"] = time.perf_counter() - mark
t["total"] = time.perf_counter() - start - t["all files again (charts warm)"]
print(json.dumps(t))
"""


def cli_seconds(out: Path) -> float:
    """Wall time of `decision compare` as `make report` runs it (a fresh process)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "decision", "compare", *SCENARIOS, "--methods", METHODS,
         "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def stages(out: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", STAGES, json.dumps(SCENARIOS), METHODS, str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    timings: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return timings


def main() -> None:
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


if __name__ == "__main__":
    main()
