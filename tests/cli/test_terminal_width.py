"""Terminal output at 80 columns: nothing is cut off (no line wider than the terminal, no
ellipsis, every score whole), and `decision` alone prints the help."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable

import pytest

from decision.cli.terminal import fit_table, records
from tests.conftest import ROOT, CliResult, needs_belarus

SCENARIOS = ROOT / "scenarios"


def _check_fits(text: str, width: int) -> None:
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in text  # rich's ellipsis: a cell was cut off
    for line in lines:  # the closing border of every table row survives
        if line.startswith(("│", "┃")):
            assert line.rstrip().endswith(("│", "┃")), line


@needs_belarus
@pytest.mark.parametrize("scenario", ["baseline", "western-tilt"])
def test_run_at_80_columns_cuts_nothing_off(
    scenario: str, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = run_cli("run", str(SCENARIOS / f"{scenario}.yaml")).out
    _check_fits(text, 80)
    monkeypatch.delenv("COLUMNS")
    data = json.loads(run_cli("run", str(SCENARIOS / f"{scenario}.yaml"), "--json").out)
    for option in data["options"]:
        if option["available"]:
            assert f"{option['score']:.3f}" in text  # scores never wrap
    # too narrow for the table with whole ids: one record per option, its id whole on the
    # record's first line, in rank order, and no header split over lines
    ranked = [o["id"] for o in sorted(data["options"], key=lambda o: o["rank"])]
    firsts = [m.groups() for m in re.finditer(r"^(\d+) (\S+)$", text, re.MULTILINE)]
    assert [(int(rank), name) for rank, name in firsts] == list(enumerate(ranked, 1))
    assert "availa" not in text.replace("available", "")


@needs_belarus
@pytest.mark.parametrize("command", ["compare", "portfolio", "tipping", "assumptions"])
def test_other_tables_fit_too(
    command: str, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run_cli(command, str(SCENARIOS / "baseline.yaml"))
    assert result.status == 0, result.err
    _check_fits(result.out, 80)


def test_piped_output_without_columns_is_wide_and_plain(
    run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    text = run_cli("run", str(ROOT / "tests" / "data" / "mini" / "base.yaml"),
                   "--allow-any-path").out
    assert "\x1b[" not in text  # no colour or cursor codes when piped
    assert "…" not in text


def test_fit_table_keeps_numbers_whole_at_any_width() -> None:
    from rich.console import Console
    from rich.table import Table

    for width in (40, 60, 80, 120):
        table = Table()
        table.add_column("name")
        table.add_column("score", justify="right")
        table.add_column("why")
        table.add_row("a-rather-long-option-identifier", "0.123456", "because " * 12)
        console = Console(width=width, color_system=None, record=True, file=io.StringIO())
        console.print(table if fit_table(table, console) else records(table, width))
        out = console.export_text()
        assert "a-rather-long-option-identifier" in out  # whole, in a table or as a record
        assert "0.123456" in out and "…" not in out
        assert max(len(line) for line in out.splitlines()) <= width


def test_decision_alone_prints_the_help(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli()
    assert result.status == 0
    assert result.out.startswith("Usage: decision") and "Commands:" in result.out
    assert result.err == ""
