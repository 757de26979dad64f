"""``decision explore`` on the Belarus model: time and peak memory at 10^5 and 10^6 samples.

Each size runs in its own process so the peak resident memory (``ru_maxrss``) is that run's.
The engine-and-enumeration pass is timed apart from discovery (on the first 2^15 samples,
whatever N) and the value-of-information tallies; sensitivity is left out (its cost is
``base x (d + 2)`` evaluations, e.g. 512 x 70). The engine part (the design's rows, their
inverse CDFs and one engine evaluation per sample, chunk by chunk as ``explore`` does it,
without the package enumeration, discovery and tallies) is timed apart, next to the library's
Monte Carlo run of the same scenario at the same size, one worker, in the same process
(target: at most 2x its time per sample). Usage::

    .venv/bin/python benchmarks/bench_explore.py [N ...]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "baseline.yaml"


def engine_part(compiled: Any, inputs: Any, n: int) -> float:
    """Seconds for the design rows, inverse CDFs and engine evaluation of ``n`` samples."""
    from decision.analyses.explore.design import Design, input_space
    from decision.analyses.explore.run import CHUNK
    from decision.core.engine import outcome, state

    space = input_space(compiled, inputs)
    rows = Design("mc", n, space.d, 0)
    started = time.perf_counter()
    for start in range(0, n, CHUNK):
        x = space.natural(rows.rows(start, min(n, start + CHUNK)))
        values, judgement, w, likelihood = space.state(x)
        perf, available = state(compiled, values, judgement, likelihood)
        outcome(compiled, perf, available, w, inputs.method.name, inputs.method_params)
    return time.perf_counter() - started


def monte_carlo_part(compiled: Any, n: int) -> float:
    """Seconds for the library's Monte Carlo run of the scenario at ``n`` samples."""
    import decision.uncertainty.montecarlo as montecarlo
    from decision.core.compile import compile_scenario
    from decision.load.loading import load_scenario

    montecarlo.WORKERS = 1
    scenario, _ = load_scenario(SCENARIO, None)
    inputs = compile_scenario(compiled, scenario, samples=n, seed=1)
    started = time.perf_counter()
    montecarlo.monte_carlo(compiled, inputs)
    return time.perf_counter() - started


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
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    engine = engine_part(compiled, inputs, n)
    mc = monte_carlo_part(compiled, n)
    return {"samples": n, "seconds": ended - started, "sampling_seconds": sampled,
            "us_per_sample": 1e6 * sampled / n, "peak_mb": peak,
            "engine_us_per_sample": 1e6 * engine / n, "monte_carlo_us_per_sample": 1e6 * mc / n,
            "engine_over_monte_carlo": engine / mc}


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
