"""The adaptation pathways map: one line per option while it is in the package, a numbered
mark at each switch, in greys only (it must read in greyscale), and a description that states
every switch and its causes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from decision.reports.charts import pathway_chart


def _step(period: str, members: list[str], value: float) -> dict[str, Any]:
    return {
        "period": period, "date": None if period == "now" else period, "title": None,
        "members": [{"option": m, "marginal": 0.1} for m in members], "value": value,
        "probability": None,
    }


def _plan() -> Any:
    return {
        "scenario": "path",
        "options": ["a", "b", "c", "d"],
        "pathway": [
            _step("now", ["a", "b"], 0.3),
            _step("2020", ["a", "b"], 0.31),
            _step("2021", ["b", "c"], 0.5),
            _step("2024", ["b", "c"], 0.55),
        ],
        "switches": [
            {"period": "2021", "adds": ["c"], "drops": ["a"],
             "causes": ["c enters: its gate opens (x >= 1)", "a leaves: values move with x"]},
        ],
    }


def test_pathway_map_marks_lines_switches_and_causes() -> None:
    chart = pathway_chart(_plan())
    assert chart is not None and chart.name == "pathway-path"
    # only options ever in the package are drawn (d never is)
    for option in ("a", "b", "c"):
        assert f">{option}<" in chart.svg
    assert ">d<" not in chart.svg
    assert "(1) 2021: c enters: its gate opens (x >= 1); a leaves: values move with x" in (
        chart.description
    )
    for period in ("now", "2020", "2021", "2024"):
        assert period in chart.description
    assert 'role="img"' in chart.svg and "<desc" in chart.svg


def test_pathway_map_is_in_greys_only() -> None:
    chart = pathway_chart(_plan())
    assert chart is not None
    colours = set(re.findall(r"#([0-9a-fA-F]{6})\b", chart.svg))
    assert colours, "no colours found"
    for hex_code in colours:
        r, g, b = (int(hex_code[k : k + 2], 16) for k in (0, 2, 4))
        assert r == g == b, f"#{hex_code} is not a grey"


def test_a_single_period_draws_no_map() -> None:
    plan = _plan()
    plan["pathway"] = plan["pathway"][:1]
    plan["switches"] = []
    assert pathway_chart(plan) is None


def test_pathway_lines_follow_the_periods_each_option_is_held() -> None:
    """Each option's thick line covers exactly the periods its package holds it: a held
    for periods 0-1, b for all four, c from period 2 on (to the chart's end)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(pathway_chart(_plan()).svg)  # type: ignore[union-attr]
    thick = [(float(e.attrib["x1"]), float(e.attrib["x2"]), float(e.attrib["y1"]))
             for e in root.iter("{http://www.w3.org/2000/svg}line")
             if e.attrib.get("stroke-width") == "5"]
    rows = sorted({y for _, _, y in thick})
    assert len(rows) == 3  # a, b, c (d is never held)
    spans = {y: sorted((x1, x2) for x1, x2, yy in thick if yy == y) for y in rows}
    a, b, c = (spans[y] for y in rows)
    step = a[0][1] - a[0][0]
    assert len(a) == 2 and a[-1][1] == pytest.approx(a[0][0] + 2 * step, abs=0.2)
    assert len(b) == 4 and b[0][0] == a[0][0]
    assert len(c) == 2 and c[0][0] == pytest.approx(a[0][0] + 2 * step, abs=0.2)
    assert c[-1][1] == b[-1][1]


def test_pathway_shows_titles_when_given() -> None:
    chart = pathway_chart(_plan(), titles={"a": "Option Alpha", "b": "Option Beta",
                                           "c": "Option Gamma"})
    assert chart is not None
    for title in ("Option Alpha", "Option Beta", "Option Gamma"):
        assert f">{title}<" in chart.svg
    assert ">a<" not in chart.svg
