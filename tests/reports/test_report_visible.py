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


def test_the_terminal_shows_bidi_controls(mini: Path, run_cli: Callable[..., CliResult]) -> None:
    _with_bidi_titles(mini)
    result = run_cli("explain", str(mini / "base.yaml"), "act")
    assert result.status == 0, result.err
    assert OVERRIDE not in result.out and "\u2066" not in result.out
    assert "Act [U+202E]evil[U+2066]" in result.out


def test_reports_show_bidi_controls(mini: Path, run_cli: Callable[..., CliResult]) -> None:
    _with_bidi_titles(mini)
    out = mini.parent / "report"
    result = run_cli("compare", str(mini / "base.yaml"), str(mini / "open.yaml"), "--out", str(out))
    assert result.status == 0, result.err
    for name in ("report.md", "report.html", "comparison.md"):
        text = (out / name).read_text(encoding="utf-8")
        assert OVERRIDE not in text and "\u2066" not in text, name
        assert "U+202E" in text, name


@given(st.text())
def test_visible_text_shows_every_invisible_character_and_nothing_else_changes(text: str) -> None:
    shown = visible(text)
    assert INVISIBLE.search(shown) is None
    assert visible(shown) == shown
    if INVISIBLE.search(text) is None:
        assert shown == text
    assert shown.count("[U+") == text.count("[U+") + len(INVISIBLE.findall(text))
