"""report.html and brief.html in headless Chromium, driven by Playwright: the page loads without
console errors or network requests and every chart renders; axe-core finds no serious or
critical accessibility violation at a desktop (1280 px) and a phone (390 px) width; printed
to A4, no table column is cut off and no page is blank; on a phone, chart text stays legible.

One browser serves the whole session (launching Chromium is the slow part). Without a
Chromium binary the tests skip, unless the environment variable ``CI`` is set, when they
fail. Set ``REPORT_SCREENSHOT_DIR`` to keep a screenshot and the printed PDF.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from decision.study.study import Study

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
WIDTHS = (1280, 390)
#: axe-core's impacts that fail the audit.
BLOCKING = ("serious", "critical")
#: The smallest chart text a phone reader must get, in CSS pixels.
MIN_CHART_TEXT_PX = 10.0
#: The printed report's page budget (issue 15: a third of the 117 A4 pages at filing).
MAX_PAGES = 39


def find_chromium() -> str | None:
    """The Chromium binary: $CHROMIUM if set, else the first candidate on the PATH."""
    named = os.environ.get("CHROMIUM")
    if named:
        return named
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (Debian's, never a downloaded one)."""
    binary = find_chromium()
    if binary is None:
        message = "no Chromium found (install Debian's 'chromium' or set $CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run the browser tests")
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=binary, args=FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _open(browser: Any, path: Path, width: int) -> tuple[Any, Any, list[str], list[str]]:
    """A new page at ``width`` CSS pixels showing ``path``, with the console errors and the
    URLs it requested."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "assert") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.resolve().as_uri(), wait_until="load")
    return context, page, errors, requests


def test_report_html_renders_in_chromium(browser: Any, report_dir: Path, tmp_path: Path) -> None:
    context, page, errors, requests = _open(browser, report_dir / "report.html", 1280)
    try:
        facts = page.evaluate("""() => ({
          charts: Array.from(document.querySelectorAll('figure svg')).map(s => {
            const r = s.getBoundingClientRect();
            return {id: s.id, width: r.width, height: r.height,
                    label: s.getAttribute('aria-label'),
                    texts: s.querySelectorAll('text').length};
          }),
          title: document.title,
          headings: Array.from(document.querySelectorAll('h2')).map(h => h.textContent),
        })""")
        image = page.screenshot(full_page=False)
    finally:
        context.close()
    (tmp_path / "report.png").write_bytes(image)
    keep = os.environ.get("REPORT_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / "report.png").write_bytes(image)
    assert errors == [], errors[:3]
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert facts["title"].startswith("Comparative report:")
    assert [re.sub(r"^\d+\. ", "", h) for h in facts["headings"]] == [
        "Brief", "The plan and pathways", "Ranking across scenarios", "What would change it",
        "Uncertainty", "Stakeholders", "Scenarios in detail", "Evidence and assumptions",
    ]
    expected = {p.stem for p in (report_dir / "charts").glob("*.svg")}
    assert {c["id"].removeprefix("chart-") for c in facts["charts"]} == expected
    for chart in facts["charts"]:
        assert chart["width"] > 100 and chart["height"] > 100, chart
        assert chart["label"] and chart["texts"] > 0, chart
    assert image.startswith(b"\x89PNG") and len(image) > 10_000


def _audit(page: Any, contrast: bool = True) -> list[dict[str, Any]]:
    """axe-core's violations of the page (WCAG 2.2's target size included; colour contrast,
    the slowest rule and one that does not depend on the width, unless ``contrast`` is
    false)."""
    from axe_playwright_python.sync_playwright import Axe

    rules = {"target-size": {"enabled": True}, "color-contrast": {"enabled": contrast}}
    options = {"resultTypes": ["violations"], "rules": rules}
    results = Axe().run(page, options=options)
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["report.html", "brief.html"])
def test_no_serious_accessibility_violations(
    browser: Any, report_dir: Path, name: str, width: int
) -> None:
    context, page, _, _ = _open(browser, report_dir / name, width)
    try:
        violations = _audit(page, contrast=width == WIDTHS[0])
    finally:
        context.close()
    blocking = [
        {"rule": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]),
         "first": v["nodes"][0]["target"] if v["nodes"] else None}
        for v in violations if v["impact"] in BLOCKING
    ]
    assert blocking == [], json.dumps(blocking, indent=1)


def test_the_audit_catches_an_unreachable_scrolling_table(browser: Any, tmp_path: Path) -> None:
    """The audit is live: a wide table in a scrolling box no keyboard can reach (the report
    before issue 15) is a serious violation."""
    cells = "".join(f"<td>{'wide cell ' * 8}</td>" for _ in range(12))
    page_html = (
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        '<div style="overflow-x:auto;width:300px"><table><caption>c</caption>'
        f"<tr>{cells}</tr></table></div></main></body></html>"
    )
    path = tmp_path / "bad.html"
    path.write_text(page_html)
    context, page, _, _ = _open(browser, path, 390)
    try:
        violations = _audit(page)
    finally:
        context.close()
    assert any(v["id"] == "scrollable-region-focusable" and v["impact"] in BLOCKING
               for v in violations)


@pytest.fixture(scope="module")
def printed(browser: Any, report_dir: Path) -> bytes:
    """report.html printed to A4 by Chromium (print styles applied)."""
    context, page, _, _ = _open(browser, report_dir / "report.html", 1280)
    try:
        pdf: bytes = page.pdf(format="A4", print_background=True)
    finally:
        context.close()
    keep = os.environ.get("REPORT_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / "report.pdf").write_bytes(pdf)
    return pdf


#: The printable width of A4 with the report's print margins (210 mm less 2 x 10 mm), in CSS
#: pixels (96 per inch).
PRINT_WIDTH_PX = round((210 - 20) / 25.4 * 96)


def test_no_table_is_wider_than_the_printed_page(browser: Any, report_dir: Path) -> None:
    """Laid out for print at A4's printable width, no table overflows its box (a PDF keeps
    clipped text, so its text alone cannot show that a column was cut off)."""
    context, page, _, _ = _open(browser, report_dir / "report.html", PRINT_WIDTH_PX)
    try:
        page.emulate_media(media="print")
        wide = page.evaluate("""() => Array.from(document.querySelectorAll('.table-wrap'))
          .filter(w => w.scrollWidth > w.clientWidth + 1
                       || w.getBoundingClientRect().right > innerWidth + 1)
          .map(w => [w.querySelector('caption').textContent.slice(0, 60), w.scrollWidth,
                     w.clientWidth])""")
        overflow = page.evaluate("document.documentElement.scrollWidth")
    finally:
        context.close()
    assert wide == [], wide
    assert overflow <= PRINT_WIDTH_PX


def _pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _words(text: str) -> str:
    """Text with hyphenation and line breaks undone, whitespace collapsed."""
    return " ".join(re.sub(r"-\n", "", text).split())


def test_printed_report_keeps_every_column_and_has_no_blank_page(
    printed: bytes, study: Study
) -> None:
    pages = _pages(printed)
    assert pages and printed.startswith(b"%PDF")
    blank = [k + 1 for k, text in enumerate(pages) if not text.strip()]
    assert blank == [], f"blank pages {blank} of {len(pages)}"
    assert len(pages) <= MAX_PAGES
    text = _words("\n".join(pages)).replace(" ", "")
    # the ranking table's columns are the scenarios, by title: each header must be printed
    # (compared without spaces, since a wrapped header cell breaks its words across lines)
    for result in study.results:
        assert result.title.replace(" ", "") in text, result.title


def test_chart_text_is_legible_on_a_phone(browser: Any, report_dir: Path) -> None:
    """At 390 px, every chart's text renders at 10 CSS px or more (its font size times the
    SVG's scale on the page)."""
    context, page, _, _ = _open(browser, report_dir / "report.html", 390)
    try:
        sizes = page.evaluate("""() => Array.from(document.querySelectorAll('figure svg'))
          .map(svg => {
            const box = svg.viewBox && svg.viewBox.baseVal;
            const width = svg.getBoundingClientRect().width;
            const scale = box && box.width ? width / box.width : 1;
            const texts = Array.from(svg.querySelectorAll('text'))
              .filter(t => t.textContent.trim() && t.getBBox().width > 0);
            const px = texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
            return {id: svg.id, smallest: px.length ? Math.min(...px) : null};
          })""")
    finally:
        context.close()
    assert sizes and all(s["smallest"] is not None for s in sizes), sizes
    small = [s for s in sizes if s["smallest"] < MIN_CHART_TEXT_PX]
    assert small == [], small
