"""``decision explore`` on the Belarus model: time and peak memory at 10^5 and 10^6 samples.

Each size runs in its own process so the peak resident memory (``ru_maxrss``) is that run's.
The engine-and-enumeration pass is timed apart from discovery (on the first 2^15 samples,
whatever N) and the value-of-information tallies; sensitivity is left out (its cost is
``base x (d + 2)`` evaluations, e.g. 512 x 70). Usage::

    .venv/bin/python benchmarks/bench_explore.py [N ...]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "baseline.yaml"


def one(n: int) -> dict[str, float]:
    from decision.analyses.explore.run import explore
    from decision.core.compile import compile_model, compile_scenario
    from decision.load.loading import load_scenario

    scenario, model = load_scenario(SCENARIO, None)
    compiled = compile_model(model)
    inputs = compile_scenario(compiled, scenario)
    marks: list[float] = []
    started = time.perf_counter()
    explore(compiled, inputs, samples=n, design="mc", sensitivity="none",
            progress=lambda done, total: marks.append(time.perf_counter()) if done == total
            else None)
    ended = time.perf_counter()
    sampled = (marks[-1] if marks else ended) - started
    return {"samples": n, "seconds": ended - started, "sampling_seconds": sampled,
            "us_per_sample": 1e6 * sampled / n,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(sizes: list[int]) -> None:
    if len(sizes) == 1 and "--child" in sys.argv:
        print(json.dumps(one(sizes[0])))
        return
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, str(n), "--child"], capture_output=True,
                             text=True, check=True, cwd=ROOT)
        print(out.stdout.strip())


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:] if a.isdigit()] or [100_000, 1_000_000])
