"""report.md as a git host shows it: parsed by a CommonMark renderer with GitHub's table
extension (markdown-it-py), the committed report (tests/reports/test_report_fresh.py holds it to
what ``make report`` writes) must come out as headings, tables and images, not as stray text."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import ROOT

if TYPE_CHECKING:
    from markdown_it.token import Token

REPORT = ROOT / "reports" / "report.md"
pytestmark = pytest.mark.skipif(not REPORT.exists(), reason="no committed report")


def _tokens() -> list[Token]:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").parse(REPORT.read_text())


def test_every_table_parses_as_a_table() -> None:
    """A pipe row a renderer does not take for a table (a missing separator row, a cell count
    that differs from the header's) shows as a paragraph of pipes."""
    tokens = _tokens()
    tables = sum(t.type == "table_open" for t in tokens)
    assert tables >= 10
    stray = [t.content for t in tokens if t.type == "inline" and re.match(r"\s*\|", t.content)]
    assert not stray, stray[:3]
    header_cells = body_cells = 0
    for t in tokens:
        if t.type == "table_open":
            header_cells = body_cells = 0
            in_head = True
        elif t.type == "thead_close":
            in_head = False
        elif t.type == "th_open" and in_head:
            header_cells += 1
        elif t.type == "tr_open" and not in_head:
            body_cells = 0
        elif t.type == "td_open":
            body_cells += 1
        elif t.type == "tr_close" and not in_head:
            assert body_cells == header_cells


def test_no_raw_html_and_headings_do_not_skip_levels() -> None:
    """Git hosts strip most raw HTML; a skipped heading level breaks their outline."""
    tokens = _tokens()
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    inline_html = [c for t in tokens if t.children for c in t.children if c.type == "html_inline"]
    assert not inline_html
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_every_image_is_a_chart_beside_the_report() -> None:
    tokens = _tokens()
    images = [c for t in tokens if t.children for c in t.children if c.type == "image"]
    assert images
    for image in images:
        source = str(image.attrGet("src"))
        assert not source.startswith(("/", "http")), source
        assert (REPORT.parent / Path(source)).is_file(), source
        assert image.content, f"{source} has no alternative text"
