"""The tornado chart marks an end at which the option is unavailable with a cross on the
scenario's score, instead of a bar down to a score of 0 that would dwarf the others."""

from __future__ import annotations

from typing import Any

from decision.reports.charts import tornado_chart


def _bar(name: str, low: float, high: float, open_low: bool = True) -> dict[str, Any]:
    return {"kind": "indicator", "input": name, "low": 0.0, "high": 1.0, "score_low": low,
            "score_high": high, "available_low": open_low, "available_high": True,
            "swing": abs(high - low)}


def test_an_unavailable_end_is_a_cross_not_a_bar_to_zero() -> None:
    option: Any = {"option": "gated", "rank": 1, "score": 0.5, "available": True, "bars": [
        _bar("access", 0.0, 0.55, open_low=False),  # closed at its low end
        _bar("rank", 0.45, 0.52),
    ]}
    scenario: Any = {"id": "s", "title": "S"}
    chart = tornado_chart(scenario, option)
    assert chart is not None
    assert "access unavailable to 0.550" in chart.description
    assert "0.000" not in chart.description
    for legend in ("unavailable at that end", "input at the low end of its range",
                   "input at the high end of its range"):
        assert legend in chart.svg


def test_without_closed_ends_there_is_no_cross_in_the_legend() -> None:
    option: Any = {"option": "open", "rank": 1, "score": 0.5, "available": True,
                   "bars": [_bar("rank", 0.45, 0.52)]}
    scenario: Any = {"id": "s", "title": "S"}
    chart = tornado_chart(scenario, option)
    assert chart is not None and "unavailable at that end" not in chart.svg


def test_inputs_are_named_in_words_and_options_by_title() -> None:
    bars = [{**_bar("other:cost", 0.4, 0.6), "kind": "judgement"},
            {**_bar("gated:likelihood", 0.45, 0.55), "kind": "likelihood"},
            _bar("troops_nearby", 0.48, 0.51)]
    option: Any = {"option": "gated", "rank": 1, "score": 0.5, "available": True, "bars": bars}
    scenario: Any = {"id": "s", "title": "S", "options": [
        {"id": "gated", "title": "Open the gate"}, {"id": "other", "title": "Keep it shut"}]}
    chart = tornado_chart(scenario, option)
    assert chart is not None
    for label in ("judgement of Keep it shut on cost", "success likelihood", "troops nearby",
                  "Tornado for Open the gate"):
        assert label in chart.svg
    assert "gated" not in chart.svg and "other:" not in chart.svg
