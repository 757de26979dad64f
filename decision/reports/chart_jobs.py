"""The report's charts as jobs: each chart function bound to its data, and the charts drawn.

Which charts the report shows is decided here, apart from the sections that place them
(they look each one up by name), so the charts can be drawn before the text is laid out.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import cast

from decision.reports.brief import Names
from decision.reports.charts import Chart
from decision.reports.document import ReportDocument, ScenarioPlanData
from decision.reports.sections.focus import base_scenario, baseline_bundle
from decision.reports.sections.words import humanize, plain_words
from decision.reports.visible import visible

#: One chart to draw: a chart function with its arguments bound (checked by the type checker).
ChartJob = Callable[[], Chart | None]



def chart_jobs(data: ReportDocument) -> list[ChartJob]:
    """The charts the report shows, bound to their data: the ranking; the base scenario's
    contributions, weight stability and tornado (what would change the plan); each sampled
    scenario's acceptability; each scenario's waterfall against the baseline; the frontier,
    the pathways and the discovery charts. Other scenarios' analyses are tables and JSON, so
    the page stays short."""
    from decision.reports import charts

    titles = {o["id"]: visible(o["title"]) for o in data["options"]}
    scenario_titles = {s["id"]: visible(s["title"]) for s in data["scenarios"]}
    names = Names(data)
    jobs: list[ChartJob] = [partial(charts.ranking_chart, data["scenarios"], data["options"])]
    criteria = [c["id"] for c in data["criteria"]]
    base = base_scenario(data)
    for scenario in data["scenarios"]:
        if scenario["id"] == base:
            jobs.append(partial(charts.contribution_chart, scenario, criteria))
            sensitivity = scenario["sensitivity"] or {}
            if "weights" in sensitivity:
                jobs.append(
                    partial(charts.weight_stability_chart, scenario, sensitivity["weights"])
                )
            tornado = sensitivity.get("tornado")
            if tornado and tornado["options"]:
                jobs.append(partial(charts.tornado_chart, scenario, tornado["options"][0]))
        jobs.append(partial(charts.waterfall_chart, scenario, data["baseline"],
                            scenario_titles.get(data["baseline"])))
        jobs.append(partial(charts.acceptability_heatmap, scenario))
    frontier = baseline_bundle(data)
    if frontier is not None:
        jobs.append(partial(charts.frontier_chart, frontier, titles,
                            scenario_titles.get(str(frontier.get("scenario", "")))))
    plan = data.get("plan")
    for scenario_plan in plan["plans"] if plan else []:
        if len(scenario_plan["pathway"]) > 1:
            in_words = cast(ScenarioPlanData, {**scenario_plan, "switches": [
                {**switch, "causes": [plain_words(humanize(c, names)) for c in switch["causes"]]}
                for switch in scenario_plan["switches"]
            ]})
            jobs.append(partial(charts.pathway_chart, in_words, titles,
                                scenario_titles.get(scenario_plan["scenario"])))
    discovery = data.get("discovery")
    if discovery is not None:
        shown = scenario_titles.get(discovery["scenario"])
        jobs.append(partial(charts.coverage_density_chart, discovery, titles, shown))
        jobs.append(partial(charts.discovery_box_chart, discovery, titles, shown))
    return jobs



def build_charts(data: ReportDocument) -> dict[str, Chart]:
    """Every chart of the report, by name. They are small SVG written directly (about a
    millisecond each), so they are drawn here, one after another: the worker processes that
    matplotlib's seconds once needed are gone, and with them their signal handling."""
    made = [job() for job in chart_jobs(data)]
    return {c.name: c for c in made if c is not None}
