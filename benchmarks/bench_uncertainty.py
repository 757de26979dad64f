"""Benchmark: Monte Carlo with SMAA-2 on the Belarus model.

1. All shipped scenarios x 100,000 samples each, with every SMAA output (wall time, peak RSS).
2. One scenario x 10,000,000 samples (wall time, peak RSS): memory must stay bounded.

Targets (issue): < 2 s for (1); < 500 MB peak for (2). Each case runs in a fresh process so
peak memory is its own. Run: ``.venv/bin/python benchmarks/bench_uncertainty.py [--quick]``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASE = r"""
import json, resource, sys, time
from pathlib import Path
import decision
from decision.core.compile import compile_scenario
from decision.load.loading import load_scenario
from decision.uncertainty.montecarlo import monte_carlo

paths, samples = json.loads(sys.argv[1]), int(sys.argv[2])
prepared = []
model = None
for path in paths:
    scenario, model = load_scenario(path, model)
    compiled = decision.compile_model(model)
    prepared.append((compiled, compile_scenario(compiled, scenario, samples=samples, seed=1)))
start = time.perf_counter()
for compiled, inputs in prepared:
    summary = monte_carlo(compiled, inputs)
    assert summary.smaa.confidence_factors is not None
elapsed = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb}))
"""


def run(paths: list[str], samples: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CASE, json.dumps(paths), str(samples)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    quick = "--quick" in sys.argv
    scenarios = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
    many = 100_000
    huge = 1_000_000 if quick else 10_000_000
    all_case = run(scenarios, many)
    one_case = run([str(ROOT / "scenarios" / "western-tilt.yaml")], huge)
    print(f"{'case':<48} {'wall s':>8} {'peak MB':>9}  target")
    print(
        f"{f'{len(scenarios)} scenarios x {many:,} samples, SMAA-2':<48} "
        f"{all_case['seconds']:8.2f} {all_case['peak_mb']:9.0f}  < 2 s"
    )
    print(
        f"{f'1 scenario x {huge:,} samples, SMAA-2':<48} "
        f"{one_case['seconds']:8.2f} {one_case['peak_mb']:9.0f}  < 500 MB"
    )


if __name__ == "__main__":
    main()
