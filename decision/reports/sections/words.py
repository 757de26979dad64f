"""How the report writes its numbers and names: scores, shares and bands, scenario and
option titles, engine text in a reader's words, and figures looked up by name.

Shared by every section, so each prints a score or names an option the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from decision.reports.brief import Names
from decision.reports.charts import Chart
from decision.reports.document import OptionRow, ReportDocument
from decision.reports.markdown import Block, Figure, escape

DASH = "\u2013"  # en dash

NOT_SAMPLED = "not sampled"



def score_text(value: float) -> str:
    """A score as the report prints it."""
    return f"{value:.3f}"



def share_text(value: float | None) -> str:
    """A share of samples as the report prints it (1 decimal of a percent)."""
    return NOT_SAMPLED if value is None else f"{value:.1%}"



def band_text(row: OptionRow) -> str:
    """An option's 5-95 % score band as the report prints it (a dash when none)."""
    q = row.get("score_quantiles")
    if not q or not row["available"]:
        return DASH
    return f"{q['5']:.3f}{DASH}{q['95']:.3f}"



def measure_text(name: str, value: float) -> str:
    """A robustness measure: ratios to 3 significant digits, scores to 3 decimals."""
    return f"{value:.3g}" if name == "snr" else f"{value:.3f}"



def figure_blocks(charts: Mapping[str, Chart], name: str) -> list[Block]:
    """The named chart as a figure, or nothing when the report has no such chart."""
    return [Figure(charts[name])] if name in charts else []



def scenario_title(data: ReportDocument) -> Callable[[str], str]:
    """Scenario id -> its title (escaped), for tables and sentences."""
    titles = {s["id"]: s["title"] for s in data["scenarios"]}
    return lambda scenario: escape(titles.get(scenario, scenario))



def plain_option(names: Names, option: str) -> str:
    """An option's title without emphasis (table cells)."""
    return escape(names.options.get(option, option))



def humanize(text: str, names: Names) -> str:
    """Engine text with option ids as titles, indicator ids as words and booleans' 0 and 1
    as false and true (a pathway's switch causes are written with ids)."""
    booleans = {k for k, i in names.indicators.items() if i["boolean"]}
    out = escape(text)

    def indicator(match: re.Match[str]) -> str:
        name = match.group(1).replace("\\_", "_")
        rest = match.group(2) or ""
        if name in booleans and rest:
            rest = re.sub(r"\b1\b", "true", re.sub(r"\b0\b", "false", rest))
        return names.indicator(name) + rest

    keys = sorted(names.indicators, key=len, reverse=True)
    if keys:
        pattern = "|".join(re.escape(escape(k)) for k in keys)
        out = re.sub(
            rf"(?<![\w-])({pattern})(?![\w-])( [0-9.]+ -> [0-9.]+| >= [0-9.]+| <= [0-9.]+)?",
            indicator,
            out,
        )
    options = sorted(names.options, key=len, reverse=True)
    if options:
        pattern = "|".join(re.escape(escape(o)) for o in options)
        by_shown = {escape(o): o for o in options}
        out = re.sub(rf"(?<![\w-])({pattern})(?![\w-])",
                     lambda m: names.option(by_shown[m.group(1)]), out)
    return out.replace("->", "to")



def plain_words(markdown: str) -> str:
    """Inline Markdown (emphasis, backslash escapes) as the plain text a chart's description
    and title take."""
    text = re.sub(r"\\(.)", r"\1", markdown)
    return re.sub(r"(?<![\w*])\*([^*]+)\*(?![\w*])", r"\1", text)
