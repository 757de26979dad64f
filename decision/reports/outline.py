"""The report's outline: its eight sections as blocks, and the charts they show.

The order is a reader's: the one-page brief, the plan and its pathways, the ranking across
scenarios, what would change it, uncertainty, stakeholders, each scenario in detail, and the
evidence and assumptions. Options, scenarios, criteria and indicators are named by their
titles and descriptions; ids appear only in code spans a user would type (files, methods,
key paths, precondition expressions). Each option's availability conditions and evidence are
stated once, with the scenarios where they fail.

Built from ``results.json``'s data (:func:`decision.reports.data.report_data`) so the
report shows exactly the numbers it records; rendered by :mod:`decision.reports.markdown` and
:mod:`decision.reports.html`. Each section is a module of :mod:`decision.reports.sections`
and the charts are chosen in :mod:`decision.reports.chart_jobs`; this module puts the sections
in order and keeps the names other modules import from it.
"""

from __future__ import annotations

from collections.abc import Mapping

from decision.reports.brief import Names
from decision.reports.chart_jobs import ChartJob, build_charts, chart_jobs
from decision.reports.charts import Chart
from decision.reports.document import ReportDocument
from decision.reports.markdown import Block, Heading, escape
from decision.reports.sections.appendix import (
    ASSUMPTIONS_LISTED,
    appendix_section,
    citation_markup,
    opening_text,
    sentence,
)
from decision.reports.sections.brief import brief_section
from decision.reports.sections.change import (
    CROSSOVERS_LISTED,
    TORNADO_LISTED,
    change_section,
    input_words,
    tipping_text,
)
from decision.reports.sections.focus import base_scenario, baseline_bundle
from decision.reports.sections.introduction import introduction
from decision.reports.sections.plan import plan_section
from decision.reports.sections.ranking import MEASURE_REASON, MEASURES, favoured, ranking_section
from decision.reports.sections.scenarios import _methods, scenarios_section
from decision.reports.sections.stakeholders import stakeholders_section
from decision.reports.sections.uncertainty import uncertainty_section
from decision.reports.sections.words import (
    DASH,
    NOT_SAMPLED,
    humanize,
    measure_text,
    plain_words,
    score_text,
    share_text,
)

__all__ = [
    "ASSUMPTIONS_LISTED",
    "CROSSOVERS_LISTED",
    "DASH",
    "MEASURES",
    "MEASURE_REASON",
    "NOT_SAMPLED",
    "TORNADO_LISTED",
    "ChartJob",
    "_methods",
    "base_scenario",
    "baseline_bundle",
    "build_charts",
    "chart_jobs",
    "citation_markup",
    "favoured",
    "humanize",
    "input_words",
    "measure_text",
    "opening_text",
    "outline",
    "plain_words",
    "score_text",
    "sentence",
    "share_text",
    "tipping_text",
]


def outline(data: ReportDocument, charts: Mapping[str, Chart]) -> list[Block]:
    """The report's sections as blocks (rendered as Markdown and as HTML), in the order a
    reader needs them: the brief, the plan, the ranking, what would change it, uncertainty,
    stakeholders, each scenario, and the evidence and assumptions behind it all."""
    names = Names(data)
    blocks: list[Block] = [Heading(1, f"Comparative report: {escape(data['model']['title'])}")]
    blocks += introduction(data)
    blocks += brief_section(data)
    blocks += plan_section(data, charts, names)
    blocks += ranking_section(data, charts, names)
    blocks += change_section(data, charts, names)
    blocks += uncertainty_section(data, charts, names)
    blocks += stakeholders_section(data, names)
    blocks += scenarios_section(data, charts, names)
    blocks += appendix_section(data, names)
    return blocks
