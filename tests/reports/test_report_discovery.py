"""The report's scenario-discovery section: results.json carries the base scenario's boxes
(as the engine found them), every probability with its Monte Carlo error, the most
influential inputs and the inputs worth resolving; the report says them with option titles
and draws an accessible coverage-density chart and box chart."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from decision.analyses.explore.discovery import TRIM_TOLERANCE
from decision.reports.charts import PALETTE, coverage_density_chart, discovery_box_chart
from decision.study.study import DISCOVERY_SAMPLES, Study


@pytest.fixture(scope="module")
def results(report_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def markdown(report_dir: Path) -> str:
    return (report_dir / "report.md").read_text(encoding="utf-8")


def test_results_json_carries_the_discovery(results: dict[str, Any], study: Study) -> None:
    doc = results["discovery"]
    found = study.exploration
    assert found is not None
    assert doc["scenario"] == "baseline" == study.baseline_run.scenario
    assert doc["samples"] == DISCOVERY_SAMPLES and doc["design"] == "mc"
    assert doc["trim_tolerance"] == TRIM_TOLERANCE
    assert [f["outcome"] for f in doc["findings"]] == [f.outcome for f in found.findings]
    for f, engine in zip(doc["findings"], found.findings, strict=True):
        p = f["probability"]
        assert f["mc_error"] == pytest.approx(math.sqrt(p * (1 - p) / doc["samples"]), abs=1e-9)
        assert engine.box is not None and f["limits"] is not None
        assert [lim["input"] for lim in f["limits"]] == [lim.input for lim in engine.box.limits]
        assert 0 < len(f["limits"]) <= 4  # trimmed to a few conditions
        assert f["density"] >= f["trajectory"][0]["density"]  # denser than the whole space
    assert {s["outcome"] for s in doc["influence"]} >= {"do_now_value", "regret"}
    assert [v["decision"] for v in doc["information"]] == ["option", "package"]
    assert results["plan"]["plans"][0]["do_now"]["members"]  # the plan's do-now package
    plan_now = [m["option"] for m in results["plan"]["plans"][0]["do_now"]["members"]]
    assert sorted(doc["do_now"]) == sorted(plan_now)


def test_report_says_the_boxes_with_titles(markdown: str, results: dict[str, Any]) -> None:
    section = markdown[markdown.index("### Scenario discovery"):]
    section = section[: section.index("\n## ")]
    titles = {o["id"]: o["title"] for o in results["options"]}
    out = next(f for f in results["discovery"]["findings"] if f["kind"] == "out-of-package")
    assert f"*{titles[out['option']]}* stops being part of the best package" in section
    assert "`" not in section  # indicators, criteria and options in words, no ids
    for f in results["discovery"]["findings"]:
        assert f"{f['probability']:.1%} ± {f['mc_error']:.1%} of samples" in section
        assert f"covers {f['coverage']:.0%} of such cases with {f['density']:.0%} density" in (
            section)
    assert "Most influential inputs" in section and "worth resolving" in section


def test_discovery_charts_are_accessible_and_not_colour_only(results: dict[str, Any],
                                                             report_dir: Path) -> None:
    titles = {o["id"]: o["title"] for o in results["options"]}
    scenario = next(s["title"] for s in results["scenarios"]
                    if s["id"] == results["discovery"]["scenario"])
    for draw in (coverage_density_chart, discovery_box_chart):
        chart = draw(results["discovery"], titles, scenario)
        assert scenario in chart.title
        assert chart is not None
        assert (report_dir / "charts" / f"{chart.name}.svg").read_text() == chart.svg
        assert 'role="img"' in chart.svg and "<title>" in chart.svg and "<desc" in chart.svg
        used = {c.upper() for c in re.findall(r"#[0-9a-fA-F]{6}\b", chart.svg)}
        assert used & set(PALETTE[1:])  # drawn in the palette
    box = discovery_box_chart(results["discovery"], titles)
    assert box is not None
    for f in results["discovery"]["findings"]:
        for lim in f["limits"]:
            assert lim["name"].replace("_", " ") in box.description
    assert "hatch" in box.svg or "pattern" in box.svg.lower()  # hatches tell outcomes apart
