"""``decision lint``: the model's spec-level warnings (:mod:`decision.load.lint`) and the
checks that need the engine: options that no given scenario makes available, and options that
no values within the indicators' ranges can make available (the joint move of the openings
analysis fails)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from decision.analyses.openings import openings
from decision.core.compile import ScenarioInputs, compile_model, compile_scenario
from decision.core.engine import availability, precondition_results
from decision.load.lint import LintWarning, lint_model, warning_at
from decision.load.loading import load_model, load_scenario


def lint_paths(
    model_path: str | Path, scenarios: Sequence[str | Path] = (), *, allow_any_path: bool = False
) -> list[LintWarning]:
    """Every warning of the model at ``model_path``, with ``scenarios`` (of that model) as
    the states of the world its options should be available in."""
    loaded = load_model(Path(model_path))
    document = loaded.document
    warnings = lint_model(loaded.spec, document, loaded.stakeholders)
    compiled = compile_model(loaded)
    states = [("the baseline", compiled.baseline)]
    for path in scenarios:
        scenario, _ = load_scenario(path, loaded, allow_any_path=allow_any_path)
        states.append((f"scenario '{scenario.id}'", compile_scenario(compiled, scenario).values))
    values = np.stack([v for _, v in states])
    ever = np.asarray(availability(compiled, precondition_results(compiled, values)).any(axis=0))
    base = ScenarioInputs(
        id="baseline", title="the model's baseline", description=None,
        values=compiled.baseline.copy(), settings={}, weights=compiled.weights.copy(),
        weight_uncertainty=None, budgets={}, perspective=None, method=loaded.spec.method,
        samples=1, seed=0, probability=None,
    )
    reachable = {o.option: o.opens for o in openings(compiled, base)}
    where = ", ".join(name for name, _ in states)
    for o, name in enumerate(compiled.options):
        if ever[o]:
            continue
        if not reachable.get(name, True):
            what = ("no values within the indicators' ranges make this option available (its "
                    "preconditions cannot all hold): it can never be recommended")
            code = "never-available"
        else:
            what = (f"no state checked makes this option available ({where}): no scenario "
                    "shows what it would do")
            code = "not-available-in-scenarios"
        warnings.append(warning_at(document, code, what, f"options.{name}.preconditions"))
    return warnings

