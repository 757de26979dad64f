"""The adaptation pathways map: one line per option while it is in the package, a numbered
mark at each switch, in greys only (it must read in greyscale), and a description that states
every switch and its causes."""

from __future__ import annotations

import re
from typing import Any

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
