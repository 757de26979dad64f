"""Bidirectional controls in titles are shown, never obeyed: in the terminal and in reports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from decision.reports.visible import INVISIBLE, visible
from tests.conftest import CliResult

OVERRIDE = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "Act \u202eevil" would show as "Act live"


def _with_bidi_titles(mini: Path) -> None:
    model = mini / "model.yaml"
    text = model.read_text()
    text = text.replace("title: Act\n", f'title: "Act {OVERRIDE}evil\\u2066"\n')
    text = text.replace("title: A small test model", f'title: "Mini {OVERRIDE}ledom"')
    model.write_text(text)
    scenario = mini / "open.yaml"  # scenario titles head charts of their own (the waterfall)
    scenario.write_text(
        scenario.read_text().replace("title: Opening", f'title: "Open {OVERRIDE}nepo"')
    )


def test_the_terminal_shows_bidi_controls(mini: Path, run_cli: Callable[..., CliResult]) -> None:
    _with_bidi_titles(mini)
    result = run_cli("explain", str(mini / "base.yaml"), "act")
    assert result.status == 0, result.err
    assert OVERRIDE not in result.out and "\u2066" not in result.out
    assert "Act [U+202E]evil[U+2066]" in result.out
    # --json prints the same data, with the controls as JSON escapes (was: raw)
    for command in (("explain", str(mini / "base.yaml"), "act"), ("run", str(mini / "open.yaml"))):
        as_json = run_cli(*command, "--json")
        assert as_json.status == 0, as_json.err
        assert INVISIBLE.search(as_json.out) is None, command
        assert "\\u202e" in as_json.out, command


def test_reports_show_bidi_controls(mini: Path, run_cli: Callable[..., CliResult]) -> None:
    _with_bidi_titles(mini)
    out = mini.parent / "report"
    result = run_cli("compare", str(mini / "base.yaml"), str(mini / "open.yaml"), "--out", str(out))
    assert result.status == 0, result.err
    for name in ("report.md", "report.html", "comparison.md"):
        assert "U+202E" in (out / name).read_text(encoding="utf-8"), name
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert {"results.json", "comparison.json", "charts"} <= {p.relative_to(out).parts[0]
                                                             for p in files}
    for path in files:  # every file: was raw in the waterfall chart and the JSON files
        found = INVISIBLE.search(path.read_text(encoding="utf-8"))
        assert found is None, (path.name, found)
    assert "Open [U+202E]nepo" in (out / "charts" / "waterfall-open.svg").read_text()


@given(st.text())
def test_visible_text_shows_every_invisible_character_and_nothing_else_changes(text: str) -> None:
    shown = visible(text)
    assert INVISIBLE.search(shown) is None
    assert visible(shown) == shown
    if INVISIBLE.search(text) is None:
        assert shown == text
    assert shown.count("[U+") == text.count("[U+") + len(INVISIBLE.findall(text))
