"""What ``decision explore`` and ``decision.explore`` both need before the exploration runs:
the optional libraries checked, the file read as compiled inputs (a scenario, or a model at its
baseline values), and the global sensitivity method chosen. Kept in the study stage so the
command line and the Python API build the same inputs in the same way."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from decision.errors import ArgumentNames, DecisionError, argument_name

if TYPE_CHECKING:
    from decision.core.compile import CompiledModel, ScenarioInputs

#: The optional libraries an exploration needs, by import name and package name.
NEEDS = (("SALib", "SALib"), ("sklearn", "scikit-learn"), ("scipy", "scipy"))


def check_extra(parquet: bool) -> None:
    """Refuse, in one line, when a library of the ``explore`` extra is missing (``pyarrow``
    too when a Parquet archive is to be written)."""
    import importlib.util

    needs = [*NEEDS, *((("pyarrow", "pyarrow"),) if parquet else ())]
    missing = [package for module, package in needs if importlib.util.find_spec(module) is None]
    if missing:
        raise DecisionError(
            f"decision explore needs {', '.join(missing)}, which is not installed",
            allowed="pip install 'policy-decision-brief[explore]'",
        )


def sensitivity_method(
    sensitivity: str, sensitivity_samples: int | None,
    argument_names: ArgumentNames | None = None,
) -> str:
    """The global sensitivity method to run: Sobol needs a power of two of base samples (else
    refused, naming ``sensitivity_samples`` as the caller does); ``auto`` with a count that is
    no power of two means Morris trajectories."""
    odd = sensitivity_samples is not None and bool(sensitivity_samples & (sensitivity_samples - 1))
    if sensitivity == "sobol" and odd:
        raise DecisionError(
            f"{sensitivity_samples} is not a power of two",
            key_path=argument_name("sensitivity_samples", argument_names),
            allowed="a power of two >= 2",
        )
    return "morris" if sensitivity == "auto" and odd else sensitivity


def explore_inputs(path: str, seed: int | None, allow_any_path: bool
                   ) -> tuple[CompiledModel, ScenarioInputs, float | None]:
    """A scenario file as compiled inputs (with its ``plan:`` satisficing threshold), or a
    model file at its baseline values (no threshold)."""
    from decision.core.compile import ScenarioInputs, compile_model, compile_scenario
    from decision.files.yamlio import load_yaml
    from decision.load.loading import file_kind, load_model, load_scenario

    if file_kind(load_yaml(Path(path)).data) == "model":
        compiled = compile_model(load_model(path))
        inputs = ScenarioInputs(
            id=compiled.spec.id, title=compiled.spec.title, description=None,
            values=compiled.baseline.copy(), settings={}, weights=compiled.weights.copy(),
            weight_uncertainty=None, budgets={}, perspective=None, method=compiled.spec.method,
            samples=1, seed=seed or 0, probability=None,
        )
        return compiled, inputs, None
    scenario, model = load_scenario(path, None, allow_any_path=allow_any_path)
    compiled = compile_model(model)
    plan = scenario.spec.plan
    return (compiled, compile_scenario(compiled, scenario, seed=seed),
            None if plan is None else plan.satisficing)
