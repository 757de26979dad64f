"""Shared fixtures of the report tests: the shipped scenarios' study and its report, once."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import pytest

from decision.specs import MethodChoice
from decision.study.study import Study, run_study
from tests.conftest import ROOT

#: The shipped scenarios in the Makefile's order: baseline first, then the others sorted.
SCENARIOS = [
    "scenarios/baseline.yaml",
    *sorted(f"scenarios/{p.name}" for p in (ROOT / "scenarios").glob("*.yaml")
            if p.name != "baseline.yaml"),
]
METHODS = ("wsm", "topsis", "vikor", "promethee")


def shipped_study() -> Study:
    """The study of every shipped scenario, with relative paths as the Makefile gives them."""
    with contextlib.chdir(ROOT):
        return run_study(SCENARIOS, methods=[MethodChoice(name=m) for m in METHODS])


@pytest.fixture(scope="session")
def shipped_scenarios() -> list[str]:
    """The shipped scenario files, relative to the repository, in the Makefile's order."""
    return list(SCENARIOS)


@pytest.fixture(scope="session")
def make_study() -> Callable[[], Study]:
    """Builds a fresh study of the shipped scenarios."""
    return shipped_study


@pytest.fixture(scope="session")
def study() -> Study:
    return shipped_study()


@pytest.fixture(scope="session")
def report_dir(study: Study, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of the shipped study, written once per session."""
    from decision.reports.writer import write_report

    out = tmp_path_factory.mktemp("report")
    with contextlib.chdir(ROOT):
        write_report(study, out)
    return out
