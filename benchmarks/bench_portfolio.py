"""Benchmark of the portfolio core: every bundle of 16 options x 1,000 samples, 20 x 100.

Run: ``.venv/bin/python benchmarks/bench_portfolio.py [--repeat N] [--quick]``.
Prints, per case, the best wall time over the repeats and the peak traced memory of one run
(tracemalloc sees numpy's buffers), then the process's peak resident set size. Target:
16 options x 1,000 samples in under 2 s, and bounded memory (well under 300 MB) everywhere.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from dataclasses import dataclass

import numpy as np

from decision.analyses.portfolio.enumerate import Interaction, PortfolioProblem, analyse_portfolio

TARGET_SECONDS = 2.0


@dataclass(frozen=True)
class Case:
    options: int
    samples: int
    resources: int
    target: float | None = None  # seconds


CASES = [
    Case(16, 1000, 0),
    Case(16, 1000, 1, TARGET_SECONDS),
    Case(16, 1000, 2, TARGET_SECONDS),
    Case(20, 100, 0),
    Case(20, 100, 1),
    Case(20, 100, 2),
]
QUICK = [Case(12, 200, 1), Case(16, 100, 2)]


def problem(case: Case, seed: int = 0) -> PortfolioProblem:
    """A policy-like problem: mostly positive values, uncertain costs (+-25 %), one budget
    binding at about a third of the total, an unlimited second resource, a few interactions,
    one exclusion and one dependency, options unavailable in about 5 % of samples."""
    rng = np.random.default_rng(seed)
    s, n, r = case.samples, case.options, case.resources
    base = rng.uniform(0.2, 1.0, (n, r))
    costs = base * rng.uniform(0.75, 1.25, (s, n, r))
    budgets = np.full(r, np.inf)
    if r:
        budgets[0] = base[:, 0].sum() / 3
    return PortfolioProblem(
        values=rng.uniform(-0.05, 0.3, (s, n)),
        costs=costs,
        budgets=budgets,
        available=rng.random((s, n)) > 0.05,
        interactions=[
            Interaction((0, 2), rng.normal(0.05, 0.05, s)),
            Interaction((3, 5, 7), rng.normal(-0.05, 0.05, s)),
            Interaction((1, n - 1), rng.normal(0.02, 0.05, s)),
        ],
        exclusions=[(4, 9)],
        dependencies=[(6, 8)],
    )


def run(case: Case, repeat: int) -> tuple[float, float, float]:
    """Best wall time (s), peak traced memory (MB), non-dominated bundles per sample."""
    p = problem(case)
    times = []
    nd = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        result = analyse_portfolio(p)
        times.append(time.perf_counter() - start)
        nd = result.nondominated_count / case.samples
    tracemalloc.start()
    try:
        analyse_portfolio(p)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return min(times), peak / 2**20, nd


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per case (best kept)")
    parser.add_argument("--quick", action="store_true", help="small cases only (smoke test)")
    args = parser.parse_args(argv)
    print(
        f"{'options':>7} {'bundles':>9} {'samples':>7} {'resources':>9} "
        f"{'best s':>7} {'peak MB':>8} {'nd/sample':>9}  target"
    )
    over = 0
    for case in QUICK if args.quick else CASES:
        seconds, peak, nd = run(case, args.repeat)
        verdict = ""
        if case.target is not None:
            ok = seconds < case.target
            over += not ok
            verdict = f"< {case.target:g} s: {'ok' if ok else 'OVER'}"
        print(
            f"{case.options:>7} {2**case.options:>9,} {case.samples:>7} {case.resources:>9} "
            f"{seconds:>7.3f} {peak:>8.1f} {nd:>9.1f}  {verdict}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"process peak RSS: {rss:.0f} MB")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
