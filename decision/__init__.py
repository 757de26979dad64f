"""Decision models for policy briefs: options, preconditions, weighted criteria, scenarios.

Python API (imported lazily so the CLI starts fast)::

    import decision
    model = decision.load_model("models/belarus.yaml")
    scenario, model = decision.load_scenario("scenarios/baseline.yaml")
    result = decision.evaluate("scenarios/baseline.yaml")
    result.top.title, result.to_dict()
    run = decision.run_scenario("scenarios/baseline.yaml")  # the result and its arrays
    table = decision.provenance("models/belarus.yaml")  # where every number comes from
    study = decision.compare(["scenarios/baseline.yaml", "scenarios/western-tilt.yaml"])
    study.to_frame()                                  # options x scenarios (pandas)
    decision.write_report(study, "my-report")         # the report, as compare --out writes it
    decision.robustness(study), decision.sensitivity("scenarios/baseline.yaml")
    decision.tipping(...), decision.portfolio(...), decision.explain(..., "r3-...")
    decision.plan("scenarios/baseline.yaml"), decision.explore(..., samples=1024)
    decision.rank("matrix.csv", [0.5, 0.5], ["cost", "benefit"])
    decision.export_xmcda("scenarios/baseline.yaml", "baseline.xml")

The functions of the command line are in :mod:`decision.study.api` (``write_report``, with
its guards on the output folder, in :mod:`decision.reports.destination`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from decision._version import __version__ as __version__

__all__ = [
    "DecisionError",
    "analyse",
    "compare",
    "compile_model",
    "evaluate",
    "explain",
    "explain_option",
    "explore",
    "export_xmcda",
    "load_model",
    "load_scenario",
    "plan",
    "portfolio",
    "provenance",
    "rank",
    "read_xmcda",
    "robustness",
    "run_scenario",
    "sensitivity",
    "tipping",
    "write_report",
]

_EXPORTS = {
    "DecisionError": "decision.errors",
    "analyse": "decision.study.api",
    "compare": "decision.study.api",
    "compile_model": "decision.core.compile",
    "evaluate": "decision.study.api",
    "explain": "decision.study.api",
    "explain_option": "decision.study.explain",
    "explore": "decision.study.api",
    "export_xmcda": "decision.study.api",
    "load_model": "decision.load.loading",
    "load_scenario": "decision.load.loading",
    "plan": "decision.study.api",
    "portfolio": "decision.study.api",
    "provenance": "decision.load.provenance_table",
    "rank": "decision.study.api",
    "read_xmcda": "decision.study.api",
    "robustness": "decision.study.api",
    "run_scenario": "decision.study.api",
    "sensitivity": "decision.study.api",
    "tipping": "decision.study.api",
    "write_report": "decision.reports.destination",
}

if TYPE_CHECKING:
    from decision.core.compile import compile_model
    from decision.errors import DecisionError
    from decision.load.loading import load_model, load_scenario
    from decision.load.provenance_table import provenance
    from decision.reports.destination import write_report
    from decision.study.api import (
        analyse,
        compare,
        evaluate,
        explain,
        explore,
        export_xmcda,
        plan,
        portfolio,
        rank,
        read_xmcda,
        robustness,
        run_scenario,
        sensitivity,
        tipping,
    )
    from decision.study.explain import explain_option


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'decision' has no attribute {name!r}")
