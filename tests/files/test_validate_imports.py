"""`decision validate` reads files only: it imports neither the numeric engine nor the charts.

Checking a model takes a fraction of a second because the loader, the specs and the checks
are all it imports (issue 21; the time is measured in benchmarks/bench_validate.py). The
method registry is imported to check a method's parameters; the engine, the samplers, the
analyses, the reports, SciPy and matplotlib are not.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import BELARUS, needs_belarus

#: Modules (and their submodules) that validation must leave unimported.
HEAVY = (
    "decision.core.engine",
    "decision.core.compile",
    "decision.uncertainty",
    "decision.analyses",
    "decision.study",
    "decision.reports",
    "scipy",
    "matplotlib",
)

SCRIPT = """
import json, sys
from decision.cli.main import cli
try:
    cli(sys.argv[1:])
except SystemExit as exit:
    status = exit.code
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


@needs_belarus
def test_validate_imports_no_engine_scipy_or_matplotlib() -> None:
    scenario = BELARUS.parent.parent / "scenarios" / "western-tilt.yaml"
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, "validate", str(BELARUS), str(scenario)],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["status"] in (0, None)
    assert "decision.load.loading" in report["modules"]  # the files were really checked
    loaded = [m for m in report["modules"] if m.startswith(HEAVY)]
    assert loaded == []
