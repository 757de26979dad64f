"""The report's charts, checked against the data they draw: bar lengths proportional to the
values, option titles (never ids) in the text, an unavailable end as a cross and not a bar,
series told apart without colour, text legible on a phone, well-formed XML, same bytes on
rerun. Synthetic data give known answers; the shipped report's charts are checked for the
rules every chart keeps."""

from __future__ import annotations

import itertools
import math
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from decision.reports import charts, svg

NS = "{http://www.w3.org/2000/svg}"
EXAMPLES = max(30, int(os.environ.get("FUZZ_EXAMPLES", "0")))
CRITERIA = ["allied-security", "human-rights", "cost"]
TITLES = {"opt-a": "Work with the allies on the region", "opt-b": "Keep the embassy small",
          "opt-c": "Wait for reforms before engaging"}


def _tree(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(chart.svg)


def _texts(root: ET.Element) -> str:
    """Every text element's content, joined (wrapped labels read as one string)."""
    return " ".join((t.text or "") for t in root.iter(f"{NS}text"))


def _fills(root: ET.Element) -> dict[str, tuple[str, str]]:
    """Pattern id -> (its colour, its hatch's path or circle), from the chart's defs."""
    found = {}
    for pattern in root.iter(f"{NS}pattern"):
        background = pattern.find(f"{NS}rect")
        hatch = pattern.find(f"{NS}path")
        hatch = hatch if hatch is not None else pattern.find(f"{NS}circle")
        assert background is not None and hatch is not None
        found[pattern.attrib["id"]] = (background.attrib["fill"],
                                       hatch.attrib.get("d", "dots"))
    return found


def _grey(colour: str) -> int:
    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return round(0.299 * r + 0.587 * g + 0.114 * b)


def _row(rank: int, option: str, contributions: dict[str, float], available: bool = True,
         quantiles: dict[str, float] | None = None) -> dict[str, Any]:
    return {"id": option, "title": TITLES[option], "rank": rank,
            "score": sum(contributions.values()), "available": available,
            "contributions": contributions, "score_quantiles": quantiles,
            "rank_acceptability": None}


@pytest.fixture(scope="module")
def scenario() -> Any:
    return {
        "id": "synthetic", "title": "A synthetic scenario", "samples": 1,
        "options": [
            _row(1, "opt-a", {"allied-security": 0.3, "human-rights": 0.1, "cost": 0.05},
                 quantiles={"5": 0.4, "95": 0.5}),
            _row(2, "opt-b", {"allied-security": 0.1, "human-rights": 0.2, "cost": 0.02}),
            _row(3, "opt-c", {"allied-security": 0.05, "human-rights": 0.05, "cost": 0.0},
                 available=False),
        ],
        "movement": None,
    }


@pytest.fixture(scope="module")
def options(scenario: Any) -> Any:
    return [{"id": r["id"], "title": r["title"]} for r in scenario["options"]]


# ------------------------------------------------------------------ against the data


def test_contribution_bars_are_proportional_to_the_contributions(scenario: Any) -> None:
    chart = charts.contribution_chart(scenario, CRITERIA)
    root = _tree(chart)
    fills = _fills(root)
    colour_of = {charts.colour(c + 1): criterion for c, criterion in enumerate(CRITERIA)}
    bars = []
    for rect in root.iter(f"{NS}rect"):
        fill = rect.attrib["fill"]
        ref = re.fullmatch(r"url\(#(.+)\)", fill)
        colour = fills[ref.group(1)][0] if ref else fill
        if colour in colour_of and float(rect.attrib["height"]) == charts.BAR:
            bars.append((colour_of[colour], float(rect.attrib["width"])))
    # the legend keys are 16 wide and 11 tall: only data bars remain, one per non-zero value
    values = [(c, v) for r in scenario["options"] for c, v in r["contributions"].items() if v]
    assert [c for c, _ in bars] == [c for c, _ in values]
    ratios = [w / v for (_, w), (_, v) in zip(bars, values, strict=True)]
    assert max(ratios) - min(ratios) < 0.02 * max(ratios) + 1.0  # one scale (0.1-unit rounding)


def test_every_option_title_and_no_option_id_is_in_the_text(scenario: Any,
                                                            options: Any) -> None:
    for chart in (charts.ranking_chart([scenario], options),
                  charts.contribution_chart(scenario, CRITERIA)):
        text = _texts(_tree(chart))
        for option in options:
            assert option["title"] in text
            assert option["id"] not in text


def test_an_unavailable_option_is_drawn_apart_not_at_zero(scenario: Any, options: Any) -> None:
    root = _tree(charts.ranking_chart([scenario], options))
    hollow = {round(_centre(e)[0], 1) for e in root.iter() if e.attrib.get("fill") == "white"}
    # the legend's hollow key, and opt-c in the n/a column left of the score axis
    assert hollow == {round(svg.MARGIN + 9.0, 1), round(charts.LEFT + 15.0, 1)}
    axis_start = min(float(e.attrib["x1"]) for e in root.iter(f"{NS}line")
                     if e.attrib["y1"] == e.attrib["y2"]
                     and float(e.attrib["x2"]) - float(e.attrib["x1"]) > 100)
    assert axis_start > charts.LEFT + 15.0


def test_ranking_chart_assumes_no_order_of_score_and_band() -> None:
    """Issue 22: a central score outside its sampled 5-95 % band (a constant 0.4 once came out
    as a band at 0.40005) crashed the chart; nor may reversed ends lose the whisker."""
    options = [{"id": o, "title": TITLES[o]} for o in ("opt-a", "opt-b")]
    rows = [_row(1, "opt-a", {"cost": 0.4}, quantiles={"5": 0.40005, "95": 0.40005}),
            _row(2, "opt-b", {"cost": 0.3}, quantiles={"5": 0.35, "95": 0.25})]
    root = _tree(charts.ranking_chart([{"id": "s", "title": "S", "options": rows}], options))
    lanes = charts.LEFT + 40.0  # the score axis starts here; legend keys sit left of it

    def drawn(k: int, tags: tuple[str, ...]) -> list[ET.Element]:
        return [e for e in root.iter() if e.tag in tags
                and charts.colour(k) in (e.attrib.get("fill"), e.attrib.get("stroke"))
                and _centre_x(e) > lanes]

    marker_a, marker_b = (drawn(k, (f"{NS}path", f"{NS}circle")) for k in (0, 1))
    assert len(marker_a) == len(marker_b) == 1
    assert not drawn(0, (f"{NS}line",))  # a band of zero width: no whisker, only the marker
    (whisker,) = drawn(1, (f"{NS}line",))  # reversed ends still give the 0.25-0.35 whisker
    x1, x2 = float(whisker.attrib["x1"]), float(whisker.attrib["x2"])
    assert x1 < x2 and abs((x1 + x2) / 2 - _centre(marker_b[0])[0]) < 0.2
    assert _centre(marker_a[0])[0] > x2  # one axis holds the scores and both bands


def _centre_x(element: ET.Element) -> float:
    if element.tag == f"{NS}line":
        return (float(element.attrib["x1"]) + float(element.attrib["x2"])) / 2
    return _centre(element)[0]


def _centre(element: ET.Element) -> tuple[float, float]:
    if element.tag == f"{NS}circle":
        return float(element.attrib["cx"]), float(element.attrib["cy"])
    points = [tuple(map(float, p.split(","))) for p in re.findall(r"-?[\d.]+,-?[\d.]+",
                                                                   element.attrib["d"])]
    return ((min(p[0] for p in points) + max(p[0] for p in points)) / 2,
            (min(p[1] for p in points) + max(p[1] for p in points)) / 2)


def _tornado(open_low: bool) -> Any:
    def bar(name: str, low: float, high: float, ok_low: bool = True) -> dict[str, Any]:
        return {"kind": "indicator", "input": name, "low": 0.0, "high": 1.0, "score_low": low,
                "score_high": high, "available_low": ok_low, "available_high": True,
                "swing": abs(high - low)}

    return {"option": "opt-a", "rank": 1, "score": 0.5, "available": True,
            "bars": [bar("gate_open", 0.0, 0.6, open_low), bar("rank_index", 0.42, 0.56)]}


def test_tornado_marks_an_unavailable_end_with_a_cross_on_the_score(scenario: Any) -> None:
    chart = charts.tornado_chart(scenario, _tornado(open_low=False))
    assert chart is not None
    root = _tree(chart)
    base = {float(e.attrib["x1"]) for e in root.iter(f"{NS}line")
            if e.attrib.get("stroke") == "#000000"}
    assert len(base) == 1  # one line at the scenario's score
    crosses = [e for e in root.iter(f"{NS}path") if e.attrib.get("fill") == charts.NEGATIVE]
    assert len(crosses) == 2  # the legend's and the closed end's
    assert abs(_centre(crosses[-1])[0] - base.pop()) < 0.2
    # no bar reaches down to a score of 0: the axis starts near the open ends' scores
    ticks = [float(t.text or "nan") for t in root.iter(f"{NS}text")
             if re.fullmatch(r"-?\d+(\.\d+)?", t.text or "")]
    assert min(ticks) >= 0.3
    assert TITLES["opt-a"] in chart.title
    assert "gate open unavailable to 0.600" in chart.description


def test_waterfall_panels_say_they_have_their_own_axes() -> None:
    steps = [{"kind": "start", "label": "baseline", "value": 0.4},
             {"kind": "criterion", "label": "human-rights", "delta": 0.05},
             {"kind": "criterion", "label": "cost", "delta": -0.02},
             {"kind": "end", "label": "synthetic", "value": 0.43}]
    moved = {"id": "opt-b", "rank_from": 2, "rank_to": 1, "score_from": 0.4, "score_to": 0.43,
             "available_from": True, "available_to": True, "steps": steps}
    scenario: Any = {"id": "w", "title": "W", "movement": {"against": "b", "options": [moved]},
                     "options": [{"id": "opt-b", "title": "Option B's title"}]}
    chart = charts.waterfall_chart(scenario, "baseline")
    assert chart is not None
    root = _tree(chart)
    text = _texts(root)
    assert "each panel has its own axis" in text and "Option B's title: rank 2 to 1" in text
    widths = {e.attrib["fill"]: float(e.attrib["width"]) for e in root.iter(f"{NS}rect")
              if float(e.attrib.get("height", 0)) == charts.BAR}
    gain = widths[charts.POSITIVE]
    loss = next(w for f, w in widths.items() if f.startswith("url("))
    assert gain / loss == pytest.approx(0.05 / 0.02, rel=0.03)


def test_series_differ_in_greyscale(scenario: Any, options: Any) -> None:
    """Criteria differ by hatch or by grey level; options by marker shape."""
    root = _tree(charts.contribution_chart(scenario, CRITERIA))
    fills = _fills(root)
    keys = []
    for rect in root.iter(f"{NS}rect"):
        if (rect.attrib.get("width"), rect.attrib.get("height")) == ("16", "11"):
            ref = re.fullmatch(r"url\(#(.+)\)", rect.attrib["fill"])
            colour, hatch = fills[ref.group(1)] if ref else (rect.attrib["fill"], "solid")
            keys.append((_grey(colour) // 24, hatch))
    assert len(keys) == len(CRITERIA) == len(set(keys))
    ranking = _tree(charts.ranking_chart([scenario], options))
    legend_keys = [e for e in ranking.iter() if e.tag in (f"{NS}path", f"{NS}circle")
                   and abs(_centre(e)[0] - (svg.MARGIN + 9.0)) < 0.2
                   and e.attrib.get("fill", "").startswith("#")]
    assert len({_shape(e) for e in legend_keys}) == len(options)


def _shape(element: ET.Element) -> str:
    """A marker's outline relative to its centre (the same shape anywhere gives the same)."""
    if element.tag == f"{NS}circle":
        return f"circle {element.attrib['r']}"
    cx, cy = _centre(element)
    points = re.findall(r"(-?[\d.]+),(-?[\d.]+)", element.attrib["d"])
    return " ".join(f"{round(float(x) - cx)},{round(float(y) - cy)}" for x, y in points)


def test_charts_are_the_same_bytes_on_rerun(scenario: Any, options: Any) -> None:
    draws: list[Callable[[], charts.Chart | None]] = [
        lambda: charts.ranking_chart([scenario], options),
        lambda: charts.contribution_chart(scenario, CRITERIA),
        lambda: charts.tornado_chart(scenario, _tornado(open_low=False)),
    ]
    for draw in draws:
        first, again = draw(), draw()
        assert first is not None and again is not None and first.svg == again.svg


# ----------------------------------------------------------- every shipped chart


def test_shipped_charts_are_accessible_legible_and_well_formed(report_dir: Path) -> None:
    import json

    results = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))
    ids = [o["id"] for o in results["options"]]
    files = sorted((report_dir / "charts").glob("*.svg"))
    assert files
    for path in files:
        root = ET.fromstring(path.read_text(encoding="utf-8"))
        name = f"chart-{path.stem}"
        assert root.attrib["id"] == name and root.attrib["role"] == "img"
        assert root.attrib["aria-label"] and root.attrib["aria-describedby"] == f"{name}-desc"
        title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
        assert title is not None and title.text == root.attrib["aria-label"]
        assert desc is not None and desc.attrib["id"] == f"{name}-desc" and desc.text
        assert all(e.attrib["id"].startswith(name) for e in root.iter() if "id" in e.attrib)
        width = float(root.attrib["viewBox"].split()[2])
        assert width == svg.WIDTH == float(root.attrib["width"])
        # 10 CSS px on a 390 px phone: font-size in view-box units >= 10 * width / 350
        sizes = [float(e.attrib["font-size"]) for e in root.iter() if "font-size" in e.attrib]
        assert min(sizes) >= 10 * width / svg.PHONE_WIDTH >= 10 * width / 390
        text = _texts(root)
        assert not [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])",
                                                text)], path.name
        assert len(path.read_bytes()) < 24_000, path.name


def test_text_under_the_phone_minimum_is_refused() -> None:
    canvas = svg.Canvas("x")
    assert pytest.approx(10 * svg.WIDTH / svg.PHONE_WIDTH) == svg.MIN_FONT
    with pytest.raises(ValueError, match="phone minimum"):
        canvas.text(0, 0, "tiny", size=svg.MIN_FONT - 0.1)


# ------------------------------------------------------------------ the helpers


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.floats(-1e6, 1e6), st.floats(1e-6, 1e6), st.integers(2, 8))
def test_nice_ticks_cover_the_range_in_even_steps(low: float, span: float, count: int) -> None:
    assume(span >= 1e-6 * max(1.0, abs(low)))  # charts' ranges, not float-resolution slivers
    high = low + span
    ticks = svg.nice_ticks(low, high, count)
    steps = [b - a for a, b in itertools.pairwise(ticks)]
    assert steps
    noise = 1e-8 * steps[0]  # a billionth of a step is float noise, not a gap
    assert ticks[0] <= low + noise and ticks[-1] >= high - noise
    scale = 1e-9 * max(1.0, abs(low), abs(high))  # the floats' own resolution
    assert all(math.isclose(s, steps[0], rel_tol=1e-6, abs_tol=scale) for s in steps)
    assert len(ticks) <= 2 * count + 2


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.text("abcdefgh ", min_size=1, max_size=14), min_size=1, max_size=12),
       st.floats(60.0, 400.0), st.integers(1, 4))
def test_wrap_keeps_lines_within_width_and_words_in_order(words: list[str], width: float,
                                                          max_lines: int) -> None:
    text = " ".join(words)
    lines = svg.wrap(text, width, svg.FONT, max_lines)
    assert 1 <= len(lines) <= max_lines
    assert all(svg.text_width(line) <= max(width, 4 * svg.FONT * svg.GLYPH) + 1e-9
               for line in lines)
    joined = "".join(" ".join(lines).split()).rstrip("…")
    assert "".join(text.split()).startswith(joined)
    if not lines[-1].endswith("…"):
        assert joined == "".join(text.split())


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.floats(-1e5, 1e5, allow_nan=False))
def test_numbers_are_short_and_close(value: float) -> None:
    text = svg.num(value)
    assert abs(float(text) - value) <= 0.05 + 1e-9
    assert text != "-0" and not text.endswith(".")
    assert "." not in text or len(text.split(".")[1]) == 1
