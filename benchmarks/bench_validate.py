"""Benchmark: `decision validate models/belarus.yaml`, whole process, bytecode cached.

1. Wall time of the whole command in a fresh process (the best and the median of several runs,
   after one warm-up run that also writes any missing bytecode).
2. Its parts in one process: importing what validation needs, and reading the model's YAML
   with libyaml's C parser and with PyYAML's pure-Python parser alone (the ratio is the gain).

Target (issue 21): at most 0.35 s for (1). Run: ``.venv/bin/python benchmarks/bench_validate.py``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "belarus.yaml"
RUNS = 9

PARTS = r"""
import json, sys, time
start = time.perf_counter()
import decision.cli.main, decision.files.yamlio as yamlio, decision.load.loading
imports = time.perf_counter() - start
text = open(sys.argv[1], encoding="utf-8").read()

def best(repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        yamlio.parse_yaml(text, sys.argv[1])
        times.append(time.perf_counter() - start)
    return min(times)

fast = best(20)
yamlio._CParser = None
pure = best(10)
print(json.dumps({"imports": imports, "fast": fast, "pure": pure}))
"""


def validate_once() -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "decision", "validate", str(MODEL)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return time.perf_counter() - start


def main() -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", "decision"], check=True, cwd=ROOT)
    validate_once()
    walls = [validate_once() for _ in range(RUNS)]
    out = subprocess.run(
        [sys.executable, "-c", PARTS, str(MODEL)], check=True, capture_output=True, text=True
    )
    parts = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{'case':<52} {'seconds':>9}  target")
    print(f"{'validate belarus.yaml, whole process (best)':<52} {min(walls):9.3f}  <= 0.35 s")
    print(f"{'validate belarus.yaml, whole process (median)':<52} {statistics.median(walls):9.3f}")
    print(f"{'  imports of the validate path':<52} {parts['imports']:9.3f}")
    print(f"{'  parse_yaml, libyaml C parser':<52} {parts['fast']:9.4f}")
    print(
        f"{'  parse_yaml, pure-Python parser':<52} {parts['pure']:9.4f}  "
        f"({parts['pure'] / parts['fast']:.1f}x the C parser)"
    )


if __name__ == "__main__":
    main()
