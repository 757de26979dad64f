"""Section 4 of the report: what would change the ranking.

Tipping points, weight stability and the tornado for the base scenario, and weight stability
across scenarios; the tipping-point wording is shared with each scenario's own section.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from decision.reports.brief import Names
from decision.reports.charts import Chart
from decision.reports.discovery import discovery_blocks
from decision.reports.document import (
    Bar,
    ReportDocument,
    ScenarioSection,
    Sensitivity,
    TippingPoint,
)
from decision.reports.markdown import Block, Bullets, Heading, Paragraph, Table, escape
from decision.reports.sections.focus import base_scenario
from decision.reports.sections.words import (
    DASH,
    figure_blocks,
    plain_option,
    scenario_title,
    score_text,
)

#: Crossovers listed per criterion in the weight-stability table (the nearest).
CROSSOVERS_LISTED = 1

#: Tornado bars listed in the table (the chart shows more).
TORNADO_LISTED = 5



def change_section(data: ReportDocument, charts: Mapping[str, Chart], names: Names) -> list[Block]:
    """Section 4: what would change the base scenario's ranking, and across scenarios."""
    base_id = base_scenario(data)
    base = next((s for s in data["scenarios"] if s["id"] == base_id), None)
    title = scenario_title(data)
    blocks: list[Block] = [
        Heading(2, "4. What would change it", "change"),
        Paragraph(
            f"For *{title(base_id)}*: the single indicators that tip the outcome, how far "
            "each criterion's weight can move before the top option changes, and the inputs "
            "that move the leading option's score most. Other scenarios' tipping points are "
            "in section 7."
        ),
    ]
    sensitivity = base["sensitivity"] if base else None
    if base is None or not sensitivity:
        return [*blocks, Paragraph("This study carries no sensitivity analyses.")]
    if "tipping" in sensitivity:
        blocks += tipping_blocks(base, sensitivity, names, 2)
    if "weights" in sensitivity:
        blocks += _weights(base, sensitivity, charts, names)
    blocks += _weights_across(data, names)
    if "tornado" in sensitivity:
        blocks += _tornado(base, sensitivity, charts, names)
    blocks += discovery_blocks(data, charts, names)
    return blocks



def tipping_blocks(s: ScenarioSection, sensitivity: Sensitivity, names: Names, level: int
                   ) -> list[Block]:
    """The scenario's tipping points, grouped by what happens (one sentence per outcome,
    listing every indicator move that brings it about)."""
    part = sensitivity["tipping"]
    points = [p for i in part["indicators"] for p in (*i["up"], *i["down"])]
    grouped: dict[tuple[str, str | None, str | None], list[str]] = {}
    for point in points:
        key = (point["kind"], point["option"], point["previous"])
        grouped.setdefault(key, []).append(_tipping_move(point, names))
    items = [
        f"{_tipping_outcome(kind, option, previous, names)} when "
        + " or ".join(moves)
        for (kind, option, previous), moves in grouped.items()
    ]
    return [
        Heading(level + 1, f"Tipping points in {escape(s['title'])}", f"tipping-{s['id']}"),
        Bullets(items)
        if items
        else Paragraph(
            "No single indicator, moved alone within its range, changes the top option or "
            "any option's availability."
        ),
    ]



def _tipping_move(point: TippingPoint, names: Names) -> str:
    """The indicator move of a tipping point: ``X rises above 0.425``, ``Y becomes true``."""
    indicator = names.indicator(point["indicator"])
    value = names.value(point["indicator"], point["value"])
    if point["boolean"]:
        return f"{indicator} becomes {value}"
    verb = "rises above" if point["direction"] == "up" else "falls below"
    return f"{indicator} {verb} {value}"



def _tipping_outcome(kind: str, option: str | None, previous: str | None, names: Names) -> str:
    """What a tipping point does, in words."""
    title = names.option(option) if option else None
    if kind != "top changes":
        return f"{title} {escape(kind)}"
    if title is None:
        return "No option is available any more"
    if not previous:
        return f"{title} becomes the top option"
    return f"{title} replaces {names.option(previous)} as the top option"



def tipping_text(point: TippingPoint, names: Names) -> str:
    """A tipping point in words: option titles, the indicator in words, its value (true or
    false for a boolean)."""
    return (f"{_tipping_outcome(point['kind'], point['option'], point['previous'], names)} "
            f"when {_tipping_move(point, names)}")



def _weights(s: ScenarioSection, sensitivity: Sensitivity, charts: Mapping[str, Chart],
             names: Names) -> list[Block]:
    weights = sensitivity["weights"]
    rows = []
    for item in weights["criteria"]:
        nearest = sorted(
            item["crossovers"], key=lambda x: (abs(x["t"] - item["weight"]), x["t"])
        )[:CROSSOVERS_LISTED]
        rows.append(
            [
                names.criterion(item["criterion"]),
                f"{item['weight']:.3f}",
                _interval(item["top_interval"]),
                _interval(item["ranking_interval"]),
                "; ".join(
                    f"at {x['t']:.3f} {plain_option(names, x['overtaking'])} overtakes "
                    f"{plain_option(names, x['overtaken'])}"
                    for x in nearest
                )
                or "none",
            ]
        )
    return [
        Heading(3, "Weight stability", f"weights-{s['id']}"),
        *figure_blocks(charts, f"weights-{s['id']}"),
        Table(
            f"Normalised weight ranges that keep the top option and the whole ranking in "
            f"{escape(s['title'])}" + ("" if weights.get("exact", True) else " (scanned)"),
            ["criterion", "weight", "top kept within", "ranking kept within",
             "nearest crossover"],
            rows,
            (False, True, True, True, False),
        ),
    ]



def _interval(pair: Sequence[float]) -> str:
    return f"{pair[0]:.3f}{DASH}{pair[1]:.3f}"



def _weights_across(data: ReportDocument, names: Names) -> list[Block]:
    """Each scenario's top-keeping weight interval per criterion, in one table."""
    present = [
        s for s in data["scenarios"]
        if s["id"] != base_scenario(data) and "weights" in (s["sensitivity"] or {})
    ]
    if not present:
        return []
    criteria = [c["id"] for c in data["criteria"]]
    rows = []
    for s in present:
        found = {c["criterion"]: c for c in (s["sensitivity"] or {})["weights"]["criteria"]}
        rows.append(
            [escape(s["title"])]
            + [_interval(found[c]["top_interval"]) if c in found else DASH for c in criteria]
        )
    return [
        Table(
            "The other scenarios: the normalised weight range of each criterion within which "
            "the top option stays first",
            ["scenario", *(names.criterion(c) for c in criteria)],
            rows,
            (False, *([True] * len(criteria))),
        )
    ]



def input_words(name: str, names: Names) -> str:
    """A tornado input in words: an indicator, or an option's judgement (``option:criterion``
    or ``option:likelihood``)."""
    option, sep, part = name.partition(":")
    if not sep:
        return names.indicator(name)
    if part == "likelihood":
        return f"the chance that {names.option(option)} works"
    return f"how well {names.option(option)} serves {names.criterion(part)}"



def _tornado(s: ScenarioSection, sensitivity: Sensitivity, charts: Mapping[str, Chart],
             names: Names) -> list[Block]:
    tornado = sensitivity["tornado"]
    if not tornado["options"]:
        return []
    option = tornado["options"][0]
    bars = [b for b in option["bars"] if b["swing"] > 0][:TORNADO_LISTED]

    def end(score: float, available: bool) -> str:
        return score_text(score) if available else "unavailable"

    def span(b: Bar) -> str:
        if b["kind"] == "indicator":
            low, high = names.value(b["input"], b["low"]), names.value(b["input"], b["high"])
        else:
            low, high = f"{b['low']:g}", f"{b['high']:g}"
        return f"{low}{DASH}{high}"

    return [
        Heading(3, "Tornado", f"tornado-{s['id']}"),
        *figure_blocks(charts, f"tornado-{s['id']}"),
        Table(
            f"Inputs that move the score of {plain_option(names, option['option'])} most "
            f"(score {score_text(option['score'])})",
            ["input", "range", "score at low end", "score at high end", "swing"],
            [
                [
                    input_words(b["input"], names),
                    span(b),
                    end(b["score_low"], b["available_low"]),
                    end(b["score_high"], b["available_high"]),
                    score_text(b["swing"]),
                ]
                for b in bars
            ],
            (False, True, True, True, True),
        ),
    ]
