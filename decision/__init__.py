"""Decision models for policy briefs: options, preconditions, weighted criteria, scenarios.

Python API (imported lazily so the CLI starts fast)::

    import decision
    model = decision.load_model("models/belarus.yaml")
    scenario, model = decision.load_scenario("scenarios/baseline.yaml")
    result = decision.evaluate("scenarios/baseline.yaml")
    result.top.title, result.to_dict()
    run = decision.run_scenario("scenarios/baseline.yaml")  # the result and its arrays
    table = decision.provenance("models/belarus.yaml")  # where every number comes from
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from decision._version import __version__ as __version__

__all__ = [
    "DecisionError",
    "compile_model",
    "evaluate",
    "explain_option",
    "load_model",
    "load_scenario",
    "provenance",
    "run_scenario",
]

_EXPORTS = {
    "DecisionError": "decision.errors",
    "compile_model": "decision.core.compile",
    "evaluate": "decision.study.scenario",
    "explain_option": "decision.study.explain",
    "load_model": "decision.load.loading",
    "load_scenario": "decision.load.loading",
    "provenance": "decision.load.provenance",
    "run_scenario": "decision.study.scenario",
}

if TYPE_CHECKING:
    from decision.core.compile import compile_model
    from decision.errors import DecisionError
    from decision.load.loading import load_model, load_scenario
    from decision.load.provenance import provenance
    from decision.study.explain import explain_option
    from decision.study.scenario import evaluate, run_scenario


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'decision' has no attribute {name!r}")
