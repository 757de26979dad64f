"""Benchmark the "what would change the recommendation" analyses on the Belarus model.

Run: ``.venv/bin/python benchmarks/bench_sensitivity.py [--repeat N]``

For every shipped scenario: weight stability for every criterion, tipping points for every
indicator, tornado of the top three options and perspectives with the minimal-weight-change
LPs. Scenarios are loaded and evaluated once, outside the timing; the timed part is the four
analyses over all scenarios, best of ``--repeat`` runs (the first run also pays for importing
scipy, so it is reported separately). Target: under 2 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import decision  # noqa: E402
from decision.analyses.openings import openings  # noqa: E402
from decision.analyses.perspectives import compare_perspectives  # noqa: E402
from decision.analyses.tipping import tipping_points  # noqa: E402
from decision.analyses.tornado import tornado  # noqa: E402
from decision.analyses.weights import weight_sensitivity  # noqa: E402
from decision.core.compile import CompiledModel, ScenarioInputs  # noqa: E402

TARGET_SECONDS = 2.0


def run_all(cases: list[tuple[CompiledModel, ScenarioInputs]]) -> dict[str, float]:
    """Every analysis for every scenario; seconds per analysis."""
    timings = dict.fromkeys(("weights", "tipping", "openings", "tornado", "perspectives"), 0.0)
    for model, inputs in cases:
        for name, analysis in (
            ("weights", weight_sensitivity),
            ("tipping", tipping_points),
            ("openings", openings),
            ("tornado", tornado),
            ("perspectives", compare_perspectives),
        ):
            start = time.perf_counter()
            analysis(model, inputs)
            timings[name] += time.perf_counter() - start
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = sorted((ROOT / "scenarios").glob("*.yaml"))
    if not (ROOT / "models" / "belarus.yaml").exists() or not paths:
        print("models/belarus.yaml or scenarios/*.yaml missing")
        return 1
    start = time.perf_counter()
    results = [decision.evaluate(path) for path in paths]
    cases = [(r.compiled, r.inputs) for r in results if r.compiled and r.inputs]
    load = time.perf_counter() - start
    model = cases[0][0]
    print(
        f"Belarus model: {len(model.options)} options, {len(model.criteria)} criteria, "
        f"{len(model.indicators)} indicators, {len(model.perspectives)} perspectives; "
        f"{len(cases)} scenarios (loaded and evaluated in {load:.2f} s, not timed)"
    )
    first = run_all(cases)
    print(f"first run (imports scipy): {sum(first.values()):.3f} s")
    runs = [run_all(cases) for _ in range(max(args.repeat, 1))]
    best = min(runs, key=lambda t: sum(t.values()))
    total = sum(best.values())
    for name, seconds in best.items():
        print(f"  {name:<13} {seconds:7.3f} s")
    verdict = "ok" if total < TARGET_SECONDS else "SLOW"
    print(f"all sensitivity outputs, all scenarios: {total:.3f} s "
          f"(best of {len(runs)}; target < {TARGET_SECONDS:g} s) {verdict}")
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
