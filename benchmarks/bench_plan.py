"""Benchmark of the adaptive plan for the shipped study against the portfolio analysis alone.

Run: ``.venv/bin/python benchmarks/bench_plan.py [--repeat N]``. Loads every shipped scenario
once (not timed), then times, best of the repeats (the two interleaved in each round): (a) the
portfolio analysis of every scenario (``portfolio``, samples as shipped), and (b) the plan of
them all (``plan_loaded``: every period of every timeline stacked into the enumeration,
triggers, signposts, adaptation tipping points and hedges). Target: (b) within 2x (a).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from decision.analyses.portfolio.problem import portfolio
from decision.core.compile import compile_model, compile_scenario
from decision.load.loading import load_scenario
from decision.study.plan import plan_loaded

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 2.0


def best_of(repeat: int, *works: Callable[[], object]) -> list[float]:
    """Best time of each work over ``repeat`` rounds, the works interleaved within a round
    (on a shared, loaded machine both then see the same load)."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(repeat):
        for work, spent in zip(works, times, strict=True):
            start = time.perf_counter()
            work()
            spent.append(time.perf_counter() - start)
    return [min(spent) for spent in times]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = sorted((ROOT / "scenarios").glob("*.yaml"))
    loaded_model = None
    loaded = []
    compiled = None
    for path in paths:
        scenario, loaded_model = load_scenario(path, loaded_model)
        compiled = compiled or compile_model(loaded_model)
        loaded.append((scenario, compiled, compile_scenario(compiled, scenario)))
    periods = sum(1 + len(s.spec.timeline) for s, _, _ in loaded)
    alone, plan = best_of(
        args.repeat, lambda: [portfolio(m, i) for _, m, i in loaded], lambda: plan_loaded(loaded)
    )
    ratio = plan / alone
    print(f"{len(loaded)} scenarios, {periods} periods")
    print(f"portfolio analysis alone: {alone:.3f} s")
    print(f"plan (all of it):         {plan:.3f} s  ({ratio:.2f}x; target <= {TARGET_RATIO:g}x)")


if __name__ == "__main__":
    main()
