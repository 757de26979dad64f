"""The one-page brief (issue 15): written by compare, short, and saying what the document's
numbers say (the plan by title, the sampled share with its count, the nearest thresholds,
the top of the assumptions register)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from decision.reports.brief import brief_blocks, brief_files, condition_text
from decision.reports.document import PlanCondition, ReportDocument
from decision.reports.markdown import render_markdown
from decision.reports.pdf import find_chromium
from tests.conftest import CliResult

MAX_WORDS = 600


# ------------------------------------------------------------------------------ helpers


def word_count(markdown: str) -> int:
    """Words a reader sees: whitespace-separated tokens holding a letter or digit, link
    targets left out."""
    plain = re.sub(r"\]\([^)]*\)", "]", markdown)
    return len([t for t in plain.split() if re.search(r"[0-9A-Za-z]", t)])


def section(markdown: str, heading: str) -> str:
    start = markdown.index(f"\n## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end > 0 else len(markdown)]


def bullets(text: str) -> list[str]:
    return [line[2:] for line in text.splitlines() if line.startswith("- ")]


def g3(value: float) -> str:
    return f"{value:.3g}"


@pytest.fixture(scope="module")
def doc(report_dir: Path) -> ReportDocument:
    data: ReportDocument = json.loads((report_dir / "results.json").read_text("utf-8"))
    return data


@pytest.fixture(scope="module")
def brief(report_dir: Path) -> str:
    return (report_dir / "brief.md").read_text("utf-8")


def base_plan(doc: ReportDocument) -> Any:
    plan = doc["plan"]
    return next(p for p in plan["plans"] if p["scenario"] == plan["base"])


def titles(doc: ReportDocument) -> dict[str, str]:
    return {o["id"]: o["title"] for o in doc["options"]}


# ------------------------------------------------------------------------------ files, size


def test_compare_writes_the_brief_and_the_manifest_lists_it(report_dir: Path) -> None:
    manifest = json.loads((report_dir / "manifest.json").read_text("utf-8"))
    for name in ("brief.md", "brief.html"):
        assert (report_dir / name).is_file()
        assert name in manifest["outputs"]
    assert not (report_dir / "brief.pdf").exists()  # only with --pdf


def test_one_page_of_words_and_at_most_one_chart(report_dir: Path, brief: str) -> None:
    assert 150 < word_count(brief) <= MAX_WORDS
    html = (report_dir / "brief.html").read_text("utf-8")
    assert brief.count("![") <= 1
    assert html.count("<svg") <= 1
    assert '<nav class="toc"' not in html  # one page: no table of contents


def test_links_the_full_report_as_its_appendix(report_dir: Path, brief: str) -> None:
    assert "[report.md](report.md)" in brief
    assert '<a href="report.html">report.html</a>' in (report_dir / "brief.html").read_text(
        "utf-8")


def test_titles_not_ids(doc: ReportDocument, brief: str) -> None:
    all_titles = " ".join(titles(doc).values())
    for option in doc["options"]:
        if option["id"] in all_titles:
            continue
        assert not re.search(rf"(?<![\w-]){re.escape(option['id'])}(?![\w-])", brief), \
            option["id"]


# ------------------------------------------------------------------------------ the plan


def test_do_now_lists_the_plans_members_by_title(doc: ReportDocument, brief: str) -> None:
    plan = base_plan(doc)
    text = section(brief, "The recommended plan")
    do_now = text[text.index("**Do now:**") : text.index("**On trigger:**")]
    expected = [titles(doc)[m["option"]] for m in plan["do_now"]["members"]]
    assert [b.strip("*") for b in bullets(do_now)] == expected


def test_on_trigger_names_each_joining_option_and_its_threshold(
    doc: ReportDocument, brief: str
) -> None:
    plan = base_plan(doc)
    joining = [t for t in plan["triggers"] if t["opens"] and t["joins"]]
    items = bullets(section(brief, "The recommended plan").split("**On trigger:**")[1])
    assert len(items) == len(joining) > 0
    for item, trigger in zip(items, joining, strict=True):
        assert item.startswith(f"*{titles(doc)[trigger['option']]}* once ")
        for condition in trigger["conditions"]:
            assert f"to {g3(condition['to'])} (now {g3(condition['from'])})" in item


def test_against_the_source_counts_the_documents_findings(
    doc: ReportDocument, brief: str
) -> None:
    findings = next(f for f in doc["recommends"]["scenarios"]
                    if f["scenario"] == doc["plan"]["base"])
    agree = len(findings["agreements"])
    total = agree + len(findings["disagreements"])
    assert f"Model and source agree on {agree} of {total} recommendations" in brief
    same = set(doc["recommends"]["now"]) == {m["option"] for m in
                                             base_plan(doc)["do_now"]["members"]}
    assert ("the same 5 recommendations now" in brief) == (same and
                                                          len(doc["recommends"]["now"]) == 5)


def test_why_names_the_criterion_that_carries_most_value(
    doc: ReportDocument, brief: str
) -> None:
    plan = base_plan(doc)
    scenario = next(s for s in doc["scenarios"] if s["id"] == plan["scenario"])
    rows = {r["id"]: r["contributions"] for r in scenario["options"]}
    reference = next(b["reference"] for b in doc["bundles"] or []
                     if b["scenario"] == plan["scenario"])
    gain = {c: sum(rows[m["option"]][c] - rows[reference][c] for m in plan["do_now"]["members"])
            for c in rows[reference]}
    best = max(gain, key=lambda c: gain[c])
    text = section(brief, "Why")
    first = text.index("mostly from ") + len("mostly from ")
    named = text[first : text.index(" (", first)]
    assert named.lower() == best.replace("-", " ")
    assert f"weight {scenario['weights'][best]:.2f}" in text


# ------------------------------------------------------------------------------ how sure


def test_how_sure_says_not_sampled_and_cites_only_the_same_package(
    doc: ReportDocument, brief: str
) -> None:
    plan = base_plan(doc)
    text = section(brief, "How sure")
    members = {m["option"] for m in plan["do_now"]["members"]}
    same = [p for p in doc["plan"]["plans"] if p["samples"] > 1
            and p["do_now"]["probability"] is not None
            and {m["option"] for m in p["do_now"]["members"]} == members]
    assert plan["samples"] == 1, "the shipped baseline is a point estimate"
    assert "not sampled: a single point estimate" in text
    assert text.count("sampled worlds") == len(same) > 0
    for other in same:
        p, n = other["do_now"]["probability"], other["samples"]
        assert f"{round(p * n):,} of {n:,} sampled worlds ({p:.0%})" in text


def _with_base(doc: ReportDocument, change: Callable[[Any], None]) -> str:
    changed = copy.deepcopy(doc)
    change(base_plan(changed))
    return render_markdown(brief_blocks(changed, "report.md"))


def test_a_sampled_base_scenario_gives_its_own_share(doc: ReportDocument) -> None:
    def sampled(plan: Any) -> None:
        plan["samples"], plan["do_now"]["probability"] = 100, 0.89

    text = section(_with_base(doc, sampled), "How sure")
    assert "best in 89 of 100 sampled worlds (89%)" in text
    assert text.count("sampled worlds") == 1
    assert "not sampled" not in text


def test_no_number_when_no_sampled_scenario_has_the_package(doc: ReportDocument) -> None:
    def other_package(plan: Any) -> None:
        plan["do_now"]["members"] = plan["do_now"]["members"][:1]

    text = section(_with_base(doc, other_package), "How sure")
    assert "not sampled: a single point estimate" in text
    assert "sampled worlds" not in text
    assert "No sampled scenario has this package as its best" in text


# ------------------------------------------------------------------------------ what changes it


def test_the_nearest_thresholds_with_current_values(doc: ReportDocument, brief: str) -> None:
    plan = base_plan(doc)
    points = sorted([*plan["signposts"], *plan["tipping"]],
                    key=lambda t: (t["share_of_range"], t["indicator"]))
    nearest: list[Any] = []
    for point in points:
        if point["indicator"] not in {n["indicator"] for n in nearest}:
            nearest.append(point)
    nearest = nearest[:3]
    items = bullets(section(brief, "What would change it"))
    assert len(items) == len(nearest) >= 2
    described = {i["id"]: i["description"] for i in doc["indicators"]}
    for item, point in zip(items, nearest, strict=True):
        assert item.startswith("**" + described[point["indicator"]][:20])
        assert f"now {g3(point['value'])}" in item
        assert f"to {g3(point['threshold'])} ({point['share_of_range']:.0%} of its" in item


def test_the_top_of_the_assumptions_register(doc: ReportDocument, brief: str) -> None:
    scenario = next(s for s in doc["scenarios"] if s["id"] == doc["plan"]["base"])
    assert scenario["sensitivity"] is not None
    rows = sorted(scenario["sensitivity"]["assumptions"]["rows"], key=lambda r: -r["influence"])
    items = bullets(section(brief, "What the modeller assumed"))
    assert len(items) == 3
    for item, row in zip(items, rows[:3], strict=True):
        assert f"= {g3(row['value'])}" in item
        reason = row["reason"] or ""
        assert reason.split(";")[0].split(". ")[0].rstrip(".")[:40] in item.replace("\\", "")


def test_boolean_conditions_read_true_and_false(doc: ReportDocument) -> None:
    from decision.reports.brief import Names

    boolean = next(i for i in doc["indicators"] if i["boolean"])
    condition: PlanCondition = {"indicator": boolean["id"], "from": 0.0, "to": 1.0,
                                "boolean": True, "phrase": ""}
    text = condition_text(condition, Names(doc))
    assert text.endswith(": true (now false)")


# ------------------------------------------------------------------------------ other models


def test_the_small_model_gets_a_brief_too(
    mini: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mini)
    result = run_cli("compare", "base.yaml", "open.yaml", "--out", str(mini.parent / "out"))
    assert result.status == 0, result.err
    out = mini.parent / "out"
    doc = json.loads((out / "results.json").read_text("utf-8"))
    text = (out / "brief.md").read_text("utf-8")
    plan = base_plan(doc)
    do_now = text[text.index("**Do now:**") : text.index("**On trigger:**")]
    assert [b.strip("*") for b in bullets(do_now)] == [
        titles(doc)[m["option"]] for m in plan["do_now"]["members"]]
    assert word_count(text) <= MAX_WORDS


def test_without_a_plan_the_brief_names_the_top_option(doc: ReportDocument) -> None:
    changed = copy.deepcopy(doc)
    del changed["plan"]
    text = render_markdown(brief_blocks(changed, "report.md"))
    top = next(s for s in doc["summary"] if s["scenario"] == doc["baseline"])
    assert f"The model ranks *{top['top_title']}* first" in text
    assert "The adaptive plan was not made" in text


# ------------------------------------------------------------------------------ the PDF


def test_pdf_without_chromium_fails_in_one_line(
    mini: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mini)
    out = mini.parent / "out"
    monkeypatch.setenv("CHROMIUM", str(mini / "no-such-chromium"))
    result = run_cli("compare", "base.yaml", "--out", str(out), "--pdf")
    assert result.status == 2
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "Chromium" in result.err and "install" in result.err
    assert not out.exists()
    monkeypatch.delenv("CHROMIUM")
    monkeypatch.setenv("PATH", str(mini))  # no browser on it
    result = run_cli("compare", "base.yaml", "--out", str(out), "--pdf")
    assert result.status == 2 and len(result.err.strip().splitlines()) == 1
    assert not out.exists()


def test_pdf_needs_out(mini: Path, run_cli: Callable[..., CliResult],
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mini)
    result = run_cli("compare", "base.yaml", "--pdf")
    assert result.status == 2 and "--pdf needs --out" in result.err


needs_chromium = pytest.mark.skipif(
    find_chromium() is None and not __import__("os").environ.get("CI"),
    reason="no Chromium (set CHROMIUM or install chromium); CI requires it",
)


def pdf_pages(pdf: bytes) -> int:
    """Page objects in a PDF (``/Type /Page``, not ``/Pages``)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@needs_chromium
def test_the_pdf_is_one_a4_page_and_reproducible(doc: ReportDocument) -> None:
    first = brief_files(doc, pdf=True)["brief.pdf"]
    assert first.startswith(b"%PDF-")
    assert pdf_pages(first) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", first)
    assert box is not None
    assert abs(float(box.group(1)) - 595.3) < 1 and abs(float(box.group(2)) - 841.9) < 1
    assert b"file://" not in first and b"/tmp" not in first
    assert brief_files(doc, pdf=True)["brief.pdf"] == first  # no time stamp left


@needs_chromium
def test_compare_with_pdf_writes_it(
    mini: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mini)
    out = mini.parent / "out"
    result = run_cli("compare", "base.yaml", "--out", str(out), "--pdf")
    assert result.status == 0, result.err
    pdf = (out / "brief.pdf").read_bytes()
    assert pdf_pages(pdf) == 1
    assert "brief.pdf" in json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
