"""`decision validate` lists every independent problem of a file, each in the one-line format;
the first line is what a run of any other command says."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from decision.load.loading import MAX_PROBLEMS
from tests.conftest import CliResult

LINE = re.compile(r"error: (?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<path>\S+): .+")


def _edit(path: Path, *edits: tuple[str, str]) -> None:
    text = path.read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text)


def _lines(result: CliResult) -> list[str]:
    """The error lines (lint warnings of valid files are printed too, and not counted)."""
    return [ln for ln in result.err.strip().splitlines() if not ln.startswith("warning: ")]


def test_shape_problems_are_all_listed_in_file_order(
    mini: Path, run_cli: Callable[..., CliResult]
) -> None:
    model = mini / "model.yaml"
    _edit(
        model,
        ("weight: 2", "weight: -30"),
        ("    recommendation: R2", "    recommendaton: R2"),
        ("security: {value: 0.4,", "security: {value: 75,"),
    )
    result = run_cli("validate", str(model))
    assert result.status == 2
    lines = _lines(result)
    assert len(lines) == 3, result.err
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    paths = [m["path"] for m in matches if m]
    assert paths == [
        "criteria.security.weight",
        "options.engage.recommendaton",
        "options.engage.performance.security.value",
    ]
    numbers = [int(m["line"]) for m in matches if m]
    assert numbers == sorted(numbers)
    assert "missing required key 'recommendation'" not in result.err  # the same mistake
    first = run_cli("run", str(mini / "open.yaml"))  # another command stops at the first
    assert _lines(first) == [lines[0]]


def test_cross_reference_problems_are_all_listed(
    mini: Path, run_cli: Callable[..., CliResult]
) -> None:
    model = mini / "model.yaml"
    _edit(
        model,
        ("    evidence: [fact-a]\n  rank:", "    evidence: [fact-b]\n  rank:"),
        ("weights: {security: 1, rights: 3}", "weights: {security: 1, rigths: 3}"),
        ("when: access >= 0.5 and released", "when: acess >= 0.5 and released"),
    )
    result = run_cli("validate", str(model))
    assert result.status == 2
    lines = _lines(result)
    assert len(lines) == 3, result.err
    assert "unknown evidence 'fact-b'" in lines[0]
    assert "acess" in lines[1]
    assert "unknown criterion 'rigths'" in lines[2]
    assert "perspective gives no weight" not in result.err  # follows from the misspelling


def test_scenario_problems_are_all_listed(
    mini: Path, run_cli: Callable[..., CliResult]
) -> None:
    scenario = mini / "open.yaml"
    _edit(
        scenario,
        ("  access: 0.7", "  access: 7\n  nowhere: 1"),
        ("  released: true", "  released: 0.5\nperspective: nobody"),
    )
    result = run_cli("validate", str(scenario))
    assert result.status == 2
    lines = _lines(result)
    assert len(lines) == 4, result.err
    assert all(line.startswith(f"error: {scenario}:") for line in lines)


def test_many_problems_are_capped(mini: Path, run_cli: Callable[..., CliResult]) -> None:
    model = mini / "model.yaml"
    extra = "".join(f"bad_key_{k}: 1\n" for k in range(MAX_PROBLEMS + 5))
    model.write_text(model.read_text() + extra)
    result = run_cli("validate", str(model))
    assert result.status == 2
    lines = _lines(result)
    assert len(lines) == MAX_PROBLEMS + 1
    assert "more problems not shown" in lines[-1]
    assert f"at most {MAX_PROBLEMS} are listed per file" in lines[-1]


def test_every_file_is_checked(mini: Path, run_cli: Callable[..., CliResult]) -> None:
    broken = mini / "broken.yaml"
    broken.write_text("id: broken\ntitle: [\n")
    result = run_cli("validate", str(broken), str(mini / "model.yaml"))
    assert result.status == 2
    assert "ok  " in result.out and "model 'mini'" in result.out
    assert len(_lines(result)) == 1 and "YAML syntax error" in result.err
