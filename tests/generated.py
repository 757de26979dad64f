"""Generated models of any size, for tests of scale (many options) and of limits."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def write_wide_model(folder: Path, n_options: int, samples: int = 1, seed: int = 7) -> Path:
    """A valid model of ``n_options`` options (every other one gated, ranges on every
    judgement) and a scenario ``wide.yaml`` with ``samples`` samples; returns the scenario."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "id: wide", "title: A wide generated model",
        "source: {title: Generated, author: Test, publisher: Test, year: 2020}",
        "evidence:", "  fact: {locator: p1, figures: ['1'], claim: A fact.}",
        "indicators:",
        "  access: {description: Access., unit: index, min: 0, max: 1, baseline: 0.4}",
        "criteria:",
        "  security: {description: Security., weight: 2, rationale: Matters.}",
        "  rights: {description: Rights., weight: 1, rationale: Matters too.}",
        "  cost: {description: Cost., weight: 1, direction: cost, rationale: Money.}",
        "options:",
    ]
    for k in range(n_options):
        a = round(0.1 + 0.8 * ((k * 37) % 101) / 100, 4)
        b = round(0.1 + 0.8 * ((k * 53) % 97) / 96, 4)
        c = round(0.1 + 0.8 * ((k * 71) % 89) / 88, 4)
        lines.append(f"  option-{k:04d}:")
        lines.append(f"    title: Option {k}")
        lines.append(f"    recommendation: R{k}")
        if k % 2:
            lines.append("    preconditions:")
            lines.append(f"      - {{when: access >= {round((k % 10) / 10, 1)}, reason: Gate.}}")
        lines.append("    performance:")
        for name, value in (("security", a), ("rights", b), ("cost", c)):
            low, high = round(max(0.0, value - 0.05), 4), round(min(1.0, value + 0.05), 4)
            lines.append(f"      {name}: {{value: {value}, low: {low}, high: {high}, "
                         f"rationale: Judged.}}")
    (folder / "model.yaml").write_text("\n".join(lines) + "\n")
    scenario = folder / "wide.yaml"
    scenario.write_text(
        f"id: wide\ntitle: Wide\nmodel: model.yaml\nsamples: {samples}\nseed: {seed}\n"
        "indicators:\n  access: {dist: uniform, low: 0.2, high: 0.8}\n"
    )
    return scenario


def with_costs(data: dict[str, Any], costs: list[int]) -> dict[str, Any]:
    """Model data with one resource, ``money``, and each option costing ``costs[k]`` in turn."""
    data = dict(data)
    data["resources"] = {"money": {"description": "d"}}
    data["options"] = {
        name: {**option, "costs": {"money": {"value": costs[k % len(costs)]}}}
        for k, (name, option) in enumerate(data["options"].items())
    }
    return data


#: The small test model's folder (tests/data/mini).
MINI = Path(__file__).resolve().parent / "data" / "mini"
#: A scenario of the small model with uncertain indicators (extends its base).
OPEN_SCENARIO = (
    "id: open\ntitle: Opening\nextends: base\n"
    "indicators:\n  access: {dist: uniform, low: 0.3, high: 0.9}\n  released: true\n"
)


def write_mini(folder: Path, model_text: str) -> Path:
    """The small model (as ``model_text``), its base and the open scenario in a new
    ``folder``; returns the open scenario's path."""
    folder.mkdir()
    (folder / "model.yaml").write_text(model_text)
    (folder / "base.yaml").write_text((MINI / "base.yaml").read_text())
    (folder / "open.yaml").write_text(OPEN_SCENARIO)
    return folder / "open.yaml"


def compiled_inputs(path: Path, samples: int, seed: int = 11) -> tuple[Any, Any]:
    """The compiled model and scenario inputs of the scenario at ``path`` (its own model),
    with ``samples`` samples and ``seed``: (CompiledModel, ScenarioInputs)."""
    import decision
    from decision.core.compile import compile_scenario
    from decision.load.loading import load_scenario

    scenario, model = load_scenario(path)
    compiled = decision.compile_model(model)
    return compiled, compile_scenario(compiled, scenario, samples=samples, seed=seed)


def traced_peak(call: Callable[[], T]) -> tuple[T, int]:
    """``call()``'s result and the peak bytes Python and numpy allocated while it ran (the
    memory tests of the batched analyses)."""
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
