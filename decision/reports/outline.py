"""The report's outline: its eight sections as blocks, and the charts they show.

The order is a reader's: the one-page brief, the plan and its pathways, the ranking across
scenarios, what would change it, uncertainty, stakeholders, each scenario in detail, and the
evidence and assumptions. Options, scenarios, criteria and indicators are named by their
titles and descriptions; ids appear only in code spans a user would type (files, methods,
key paths, precondition expressions). Each option's availability conditions and evidence are
stated once, with the scenarios where they fail.

Built from ``results.json``'s data (:func:`decision.reports.data.report_data`) so the
report shows exactly the numbers it records; rendered by :mod:`decision.reports.markdown` and
:mod:`decision.reports.html`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import cast

from decision.reports.brief import Names, brief_blocks, first_sentence, judgement, verdict_text
from decision.reports.charts import Chart
from decision.reports.discovery import discovery_blocks
from decision.reports.document import (
    Agreement,
    Bar,
    Citation,
    EvidenceItem,
    ExpertDisagreement,
    FailedConditionData,
    FailedPreconditionData,
    Finding,
    IndicatorExpertDisagreement,
    Opening,
    OptionRow,
    PlanDocument,
    Portfolio,
    ReportDocument,
    ScenarioPlanData,
    ScenarioSection,
    Sensitivity,
    Stakeholders,
    SummaryRow,
    TippingPoint,
    WeightChange,
)
from decision.reports.markdown import (
    Block,
    Bullets,
    Figure,
    Heading,
    Paragraph,
    Table,
    code,
    escape,
)
from decision.reports.visible import visible
from decision.reports.wording import method_text

DASH = "\u2013"  # en dash
NOT_SAMPLED = "not sampled"
#: Crossovers listed per criterion in the weight-stability table (the nearest).
CROSSOVERS_LISTED = 1
#: Tornado bars listed in the table (the chart shows more).
TORNADO_LISTED = 5
#: Rows of the base scenario's assumptions register the report lists (results.json holds
#: every scenario's, in full).
ASSUMPTIONS_LISTED = 10


# ---------------------------------------------------------------------------- formatting


def score_text(value: float) -> str:
    """A score as the report prints it."""
    return f"{value:.3f}"


def share_text(value: float | None) -> str:
    """A share of samples as the report prints it (1 decimal of a percent)."""
    return NOT_SAMPLED if value is None else f"{value:.1%}"


def _band(row: OptionRow) -> str:
    q = row.get("score_quantiles")
    if not q or not row["available"]:
        return DASH
    return f"{q['5']:.3f}{DASH}{q['95']:.3f}"


def measure_text(name: str, value: float) -> str:
    """A robustness measure: ratios to 3 significant digits, scores to 3 decimals."""
    return f"{value:.3g}" if name == "snr" else f"{value:.3f}"


# ------------------------------------------------------------------------------- charts


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


def base_scenario(data: ReportDocument) -> str:
    """The scenario the plan is made for (the baseline when there is no plan)."""
    plan = data.get("plan")
    return plan["base"] if plan else data["baseline"]


def build_charts(data: ReportDocument) -> dict[str, Chart]:
    """Every chart of the report, by name. They are small SVG written directly (about a
    millisecond each), so they are drawn here, one after another: the worker processes that
    matplotlib's seconds once needed are gone, and with them their signal handling."""
    made = [job() for job in chart_jobs(data)]
    return {c.name: c for c in made if c is not None}


def baseline_bundle(data: ReportDocument) -> Portfolio | None:
    """The baseline scenario's portfolio analysis (the one whose frontier the report draws)."""
    bundles = data["bundles"] or []
    for bundle in bundles:
        if bundle["scenario"] == data["baseline"]:
            return bundle
    return bundles[0] if bundles else None


# ------------------------------------------------------------------------------ outline


def outline(data: ReportDocument, charts: Mapping[str, Chart]) -> list[Block]:
    """The report's sections as blocks (rendered as Markdown and as HTML), in the order a
    reader needs them: the brief, the plan, the ranking, what would change it, uncertainty,
    stakeholders, each scenario, and the evidence and assumptions behind it all."""
    names = Names(data)
    blocks: list[Block] = [Heading(1, f"Comparative report: {escape(data['model']['title'])}")]
    blocks += _introduction(data)
    blocks += _brief(data)
    blocks += _plan(data, charts, names)
    blocks += _ranking(data, charts, names)
    blocks += _change(data, charts, names)
    blocks += _uncertainty(data, charts, names)
    blocks += _stakeholders(data, names)
    blocks += _scenarios(data, charts, names)
    blocks += _appendix(data, names)
    return blocks


def _figure(charts: Mapping[str, Chart], name: str) -> list[Block]:
    return [Figure(charts[name])] if name in charts else []


def _title(data: ReportDocument) -> Callable[[str], str]:
    """Scenario id -> its title (escaped), for tables and sentences."""
    titles = {s["id"]: s["title"] for s in data["scenarios"]}
    return lambda scenario: escape(titles.get(scenario, scenario))


def _plain(names: Names, option: str) -> str:
    """An option's title without emphasis (table cells)."""
    return escape(names.options.get(option, option))


def _introduction(data: ReportDocument) -> list[Block]:
    model, source = data["model"], data["model"]["source"]
    scenarios = data["scenarios"]
    methods = sorted({method_text(s["method"]) for s in scenarios})
    sampled = [s for s in scenarios if s["samples"] > 1]
    by = ", ".join(str(source[k]) for k in ("author", "publisher", "year") if k in source)
    return [
        Paragraph(
            f"Model {code(model['path'])}, encoding *{escape(source.get('title', ''))}* "
            f"({escape(by)}): {len(scenarios)} scenarios, each compared with "
            f"*{_title(data)(data['baseline'])}*; method "
            + ", ".join(code(m) for m in methods)
            + (
                f"; {len(sampled)} scenarios sampled by Monte Carlo."
                if sampled
                else "; no scenario is sampled."
            )
            + " Scores are weighted values from 0 to 1 (higher is better); rank 1 is best; an "
            "option whose preconditions fail is unavailable and ranks below every available "
            "one. Every number is in `results.json` (with ids), the inputs' hashes and seeds "
            "in `manifest.json`."
        ),
        *_value_scales(data),
    ]


def _value_scales(data: ReportDocument) -> list[Block]:
    """The criteria's anchored value scales (what 0 and 1 mean), where the model gives them:
    with both ends anchored, the weights are swing weights."""
    anchored = [c for c in data["criteria"] if "scale" in c]
    if not anchored:
        return []
    total = sum(c["weight"] for c in data["criteria"]) or 1.0
    names = Names(data)
    return [
        Table(
            "Criteria, their weights and what 0 and 1 mean on each: the weights are swing "
            "weights, the worth of moving from the worst to the best outcome on a criterion "
            "against the same move on the others",
            ["criterion", "weight", "0 (worst)", "1 (best)"],
            [
                [names.criterion(c["id"]), f"{c['weight'] / total:.2f}",
                 escape(c["scale"]["worst"]), escape(c["scale"]["best"])]
                for c in anchored
            ],
            (False, True, False, False),
        )
    ]


# ------------------------------------------------------------------------- 1. the brief


def _brief(data: ReportDocument) -> list[Block]:
    """The one-page brief, as the report's opening section (its headings one level down)."""
    shown = brief_blocks(data, None)[2:]  # without its title and its line about the report
    return [
        Heading(2, "1. Brief", "brief"),
        *(
            Heading(b.level + 1, b.text, f"brief-{b.id}") if isinstance(b, Heading) else b
            for b in shown
        ),
    ]


# ----------------------------------------------------------------- 2. plan and pathways


def _plan(data: ReportDocument, charts: Mapping[str, Chart], names: Names) -> list[Block]:
    blocks: list[Block] = [Heading(2, "2. The plan and pathways", "plan")]
    if any("package" in s for s in data["summary"]):
        blocks += _package_table(data, names)
    else:
        blocks += _top_table(data, names)
    blocks += _adaptive_plan(data, charts, names)
    blocks += _source_comparison(data, names)
    blocks += _bundles(data, charts, names)
    return blocks


def _top_table(data: ReportDocument, names: Names) -> list[Block]:
    title = _title(data)
    rows = []
    for s in data["summary"]:
        runner_score = s["runner_up_score"]
        rows.append(
            [
                title(s["scenario"]),
                escape(s["top_title"]) if s["available"] else DASH,
                score_text(s["score"]) if s["available"] else DASH,
                share_text(s["p_first"]),
                f"{_plain(names, s['runner_up'])} ({score_text(runner_score)})"
                if s["runner_up"] and runner_score is not None
                else DASH,
            ]
        )
    return [
        Table(
            "Top recommendation per scenario",
            ["scenario", "recommended option", "score", "P(1st)", "runner-up (score)"],
            rows,
            (False, False, True, True, False),
        )
    ]


def _package_table(data: ReportDocument, names: Names) -> list[Block]:
    """A components model's headline: the best package per scenario, stated in full once
    (for the baseline) and as its change from that elsewhere."""
    title = _title(data)
    summaries = [s for s in data["summary"] if "package" in s]
    base = next((s for s in summaries if s["scenario"] == data["baseline"]), summaries[0])
    base_members = [m["option"] for m in base["package"]["members"]]
    rows = []
    for s in summaries:
        package = s["package"]
        members = [m["option"] for m in package["members"]]
        if s is base:
            what = "; ".join(_plain(names, o) for o in members) or "nothing"
        else:
            adds = [_plain(names, o) for o in members if o not in base_members]
            drops = [_plain(names, o) for o in base_members if o not in members]
            what = "; ".join(
                [*(f"adds {a}" for a in adds), *(f"drops {d}" for d in drops)]
            ) or "same as the baseline"
        rows.append(
            [
                title(s["scenario"]),
                what,
                f"{package['value']:.3f}",
                share_text(package["probability"]),
            ]
        )
    reference = base["package"]["reference"]
    marginal = "; ".join(
        f"{_plain(names, m['option'])} {m['marginal']:.3f}" for m in base["package"]["members"]
    )
    return [
        Paragraph(
            "The options are components of one package, adopted together: the recommendation "
            "is the best package within the budgets, valued "
            + (f"over {names.option(reference)}" if reference else "absolutely")
            + f". In *{title(base['scenario'])}* each member's marginal value (how much less "
            f"the package is worth without it): {marginal or 'none'}."
        ),
        Table(
            "Best package per scenario",
            ["scenario", "best package within budgets", "value", "P(best)"],
            rows,
            (False, False, True, True),
        ),
    ]


def _adaptive_plan(
    data: ReportDocument, charts: Mapping[str, Chart], names: Names
) -> list[Block]:
    """The base scenario's plan: what to watch, when it stops being acceptable, the hedge,
    and each timeline's pathway (the brief states do-now and triggers)."""
    plan: PlanDocument | None = data.get("plan")
    if plan is None:
        return []
    title = _title(data)
    base = next(p for p in plan["plans"] if p["scenario"] == plan["base"])
    now = base["do_now"]
    often = (
        "" if now["probability"] is None else f", best in {now['probability']:.0%} of samples"
    )
    items = [
        f"**Do now** in *{title(base['scenario'])}*: "
        f"{names.options_list([m['option'] for m in now['members']])} (value "
        f"{now['value']:.3f}{often}).",
    ]
    for sp in base["signposts"][:5]:
        items.append(
            f"**Watch** {names.indicator(sp['indicator'])}: now "
            f"{names.value(sp['indicator'], sp['value'])}, threshold "
            f"{names.value(sp['indicator'], sp['threshold'])} ({sp['share_of_range']:.0%} of "
            "its range away): "
            + "; ".join(
                [*(f"adds {names.option(o)}" for o in sp["adds"]),
                 *(f"drops {names.option(o)}" for o in sp["drops"])]
            )
            + "."
        )
    for tp in base["tipping"][:3]:
        move = "becomes" if tp["boolean"] else ("rises to" if tp["direction"] == "up"
                                                else "falls to")
        items.append(
            f"**Stops being acceptable** if {names.indicator(tp['indicator'])} {move} "
            f"{names.value(tp['indicator'], tp['threshold'])} (now "
            f"{names.value(tp['indicator'], tp['value'])}): the do-now package "
            f"{verdict_text(tp['verdict'], base)}."
        )
    h = plan["hedge"]
    items.append(
        f"**Hedge** over {h['worlds']:,} scenario states and samples: the do-now package does "
        f"worst in {_world(h['worst_world'], title)} (value {h['worst_value']:.3f}, regret "
        f"{h['now_max_regret']:.3f}); "
        + (
            "no other package limits the loss better."
            if h["same"]
            else f"{names.options_list(h['package'])} limits it to {h['max_regret']:.3f} and "
            f"costs {h['base_cost']:.3f} in the base case."
        )
    )
    blocks: list[Block] = [
        Paragraph(
            "The plan is acceptable while its value stays above "
            f"{base['satisficing']:.3g}"
            f"{'' if base['satisficing_stated'] else ' (80 % of its value)'} and no other "
            f"package is better by more than {base['margin']:.3g}:"
        ),
        Bullets(items),
    ]
    for p in plan["plans"]:
        if len(p["pathway"]) < 2:
            continue
        rows = []
        before: list[str] | None = None
        for step in p["pathway"]:
            members = [m["option"] for m in step["members"]]
            package = _package_step(before, members, names)
            before = members
            rows.append(
                [
                    escape(step["period"]),
                    package,
                    f"{step['value']:.3f}",
                    "; ".join(
                        humanize(c, names)
                        for sw in p["switches"]
                        if sw["period"] == step["period"]
                        for c in sw["causes"]
                    )
                    or DASH,
                ]
            )
        blocks.append(
            Table(
                f"Pathway of {title(p['scenario'])}: the package of the first period, then "
                "what changes",
                ["period", "package", "value", "why it changes"],
                rows,
                (False, False, True, False),
            )
        )
        blocks += _figure(charts, f"pathway-{p['scenario']}")
    return blocks


def _package_step(before: Sequence[str] | None, members: Sequence[str], names: Names) -> str:
    """A package in full (``before`` is None), else what it adds to and drops from
    ``before``: a list of packages that grow step by step reads without repeating them."""
    if before is None:
        return "; ".join(_plain(names, o) for o in members) or "nothing"
    return "; ".join(
        [*(f"adds {_plain(names, o)}" for o in members if o not in before),
         *(f"drops {_plain(names, o)}" for o in before if o not in members)]
    ) or "no change"


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


def _world(world: str, title: Callable[[str], str]) -> str:
    """``western-tilt: now, sample 598`` with the scenario's title."""
    scenario, sep, rest = world.partition(": ")
    return f"*{title(scenario)}*" + (f" ({escape(rest)})" if sep else "")


def _source_comparison(data: ReportDocument, names: Names) -> list[Block]:
    """What the source recommends against the model, each disagreement once with the
    scenarios where it occurs."""
    comparison = data.get("recommends")
    if comparison is None:
        return []
    title = _title(data)
    source = data["model"]["source"].get("title", "the source")
    deferred = [
        names.options_list(w["options"])
        + f" ({escape(w['condition'].rstrip('.'))}"
        + (f"; {escape(w['locator'])})" if w["locator"] else ")")
        for w in comparison["when"]
    ]
    blocks: list[Block] = [
        Heading(3, "What the source recommends and what the model finds", "source-comparison"),
        Paragraph(
            f"*{escape(source)}* recommends "
            + (names.options_list(comparison["now"]) if comparison["now"] else "nothing")
            + " now"
            + (f" ({escape(comparison['locator'])})" if comparison["locator"] else "")
            + ("; and later: " + "; ".join(deferred) if deferred else "")
            + "."
        ),
    ]
    agree = [s["scenario"] for s in comparison["scenarios"] if not s["disagreements"]]
    if agree:
        blocks.append(
            Paragraph(
                "The model agrees on every recommendation in "
                + ", ".join(f"*{title(s)}*" for s in agree)
                + "."
            )
        )
    grouped: dict[str, list[str]] = {}
    findings: dict[str, Finding] = {}
    for s in comparison["scenarios"]:
        for f in s["disagreements"]:
            key = f"{f['option']}|{f['source']}|{f['model']}"
            grouped.setdefault(key, []).append(s["scenario"])
            findings.setdefault(key, f)
    items = [
        _finding_text(findings[key], names)
        + " In "
        + ", ".join(f"*{title(s)}*" for s in scenarios)
        + "."
        for key, scenarios in grouped.items()
    ]
    if items:
        blocks.append(Paragraph("Where they disagree:"))
        blocks.append(Bullets(items))
    return blocks


_MODEL_SAYS = {
    "left out": "the model leaves it out",
    "not first": "the model does not rank it first",
    "in the package": "the model adopts it",
    "first": "the model ranks it first",
}


def _finding_text(finding: Finding, names: Names) -> str:
    """One disagreement in words, with the judgements behind it (key paths as code: they
    are what a modeller edits)."""
    source = "recommends now" if finding["source"] == "now" else (
        "defers" if finding["source"] == "when" else "does not recommend")
    said = _MODEL_SAYS.get(finding["model"], escape(finding["model"]))
    text = f"{names.option(finding['option'])}: the source {source}; {said}."
    causes = finding["causes"]
    if causes:
        listed = "; ".join(
            f"{code(c['key_path'])} = {c['value']:g} (range {c['low']:g}{DASH}{c['high']:g})"
            for c in causes
        )
        if causes[0]["resolves"]:
            text += f" Moved alone across its range, each of these ends it: {listed}."
        else:
            text += (
                " No single judgement ends it within its range; the option's most "
                f"influential judgements: {listed}."
            )
    return text


def _bundles(data: ReportDocument, charts: Mapping[str, Chart], names: Names) -> list[Block]:
    """The efficient frontier of the base scenario's bundles."""
    base = baseline_bundle(data)
    if base is None:
        note = data.get("bundles_note")
        if not note:
            return []
        return [Heading(3, "Bundles within the budgets", "bundles"),
                Paragraph(f"Not analysed: {escape(note)}.")]
    budgets = ", ".join(
        f"{names.criterion(r)} {'unlimited' if b is None else f'{b:g}'}"
        for r, b in (base.get("budgets") or {}).items()
    )
    blocks: list[Block] = [
        Heading(3, "Bundles within the budgets", "bundles"),
        Paragraph(
            "A bundle's value is the "
            f"{escape(base.get('value_definition', 'sum of its options values'))}"
            + (f"; budgets: {budgets}" if budgets else "")
            + ". The best bundle is the most valuable feasible one (in sampled scenarios, the "
            "one most often best)."
        ),
        *_figure(charts, f"frontier-{base.get('scenario', 'study')}"),
    ]
    for resource, points in sorted((base.get("frontiers") or {}).items()):
        if points:
            blocks.append(
                Table(
                    f"Efficient frontier for {names.criterion(resource)} in "
                    f"{_title(data)(base['scenario'])} (each bundle against the one above it)",
                    ["bundle", "value", f"use of {names.criterion(resource)}",
                     "within budget"],
                    [
                        [
                            _package_step(before, p["members"], names),
                            f"{p['value']:.3f}",
                            f"{p['cost']:.3g}",
                            "true" if p.get("within_budget", True) else "false",
                        ]
                        for before, p in zip([None, *(q["members"] for q in points)], points,
                                             strict=False)
                    ],
                    (False, True, True, False),
                )
            )
    return blocks


# ---------------------------------------------------------------------- 3. the ranking


def _ranking(data: ReportDocument, charts: Mapping[str, Chart], names: Names) -> list[Block]:
    scenarios = data["scenarios"]
    rows = []
    for option in data["options"]:
        cells = [_plain(names, option["id"])]
        for s in scenarios:
            row = next(r for r in s["options"] if r["id"] == option["id"])
            cells.append(
                DASH if not row["available"] else f"{row['rank']} ({score_text(row['score'])})"
            )
        rows.append(cells)
    components = (
        [
            Paragraph(
                "The options are components of one package, not rivals: these ranks order "
                "them by their own score; the package is in section 2."
            )
        ]
        if data["model"].get("options_are") == "components"
        else []
    )
    return [
        Heading(2, "3. Ranking across scenarios", "ranking"),
        *components,
        *_figure(charts, "ranking"),
        Table(
            f"Rank (score) of each option per scenario; {DASH} where it is unavailable (it "
            "ranks below every available option)",
            ["option", *(escape(s["title"]) for s in scenarios)],
            rows,
            (False, *([True] * len(scenarios))),
        ),
        *_methods_across(data, names),
        *_robustness(data, names),
    ]


def _methods_across(data: ReportDocument, names: Names) -> list[Block]:
    """Whether the other aggregation methods put the same option first, per scenario."""
    compared = [s for s in data["scenarios"] if s.get("methods")]
    if not compared:
        return []
    rows = []
    for s in compared:
        m = s["methods"]
        assert m is not None
        tops: dict[str, list[str]] = {}
        for method, top in m["top"].items():
            tops.setdefault(top, []).append(method)
        taus = [a["kendall_tau"] for a in m["agreement"]]
        rows.append(
            [
                escape(s["title"]),
                "; ".join(
                    f"{_plain(names, t)} ({', '.join(code(x) for x in ms)})"
                    for t, ms in tops.items()
                ),
                f"{min(taus):.2f}{DASH}{max(taus):.2f}" if taus else DASH,
            ]
        )
    return [
        Heading(3, "Other aggregation methods", "methods"),
        Table(
            "Top option under each method, and how far the methods' rankings agree "
            "(Kendall's tau over available options: 1 is the same order)",
            ["scenario", "top option (methods)", "tau, lowest to highest"],
            rows,
            (False, False, True),
        ),
    ]


#: Robustness measures shown, in order, with their names in words and whether lower is
#: better (the signal-to-noise ratio and the standard deviation stay in results.json: a
#: reader cannot weigh a mean divided by a spread across scenarios against a score).
MEASURES: dict[str, tuple[str, bool]] = {
    "expected": ("expected value", False),
    "maximin": ("worst case", False),
    "maximax": ("best case", False),
    "hurwicz": ("Hurwicz", False),
    "max_regret": ("largest regret", True),
    "mean_regret": ("mean regret", True),
    "percentile_regret": ("percentile regret", True),
    "satisficing": ("share satisficing", False),
}
#: Why a measure favours an option, in words.
MEASURE_REASON = {
    "expected": "the highest value averaged over the scenarios",
    "maximin": "the best value in its worst scenario",
    "maximax": "the best value in its best scenario",
    "hurwicz": "the best blend of its worst and best scenario",
    "max_regret": "the smallest largest shortfall from the best option of any scenario",
    "mean_regret": "the smallest shortfall from the best option on average",
    "percentile_regret": "the smallest shortfall in all but the worst scenarios",
    "satisficing": "the largest share of scenarios where it reaches the threshold",
}


def favoured(values: list[float], lower: bool) -> list[int]:
    """The options a measure favours: every one that ties the best at the three decimals
    the report prints."""
    shown = [round(v, 3) for v in values]
    best = min(shown) if lower else max(shown)
    return [k for k, v in enumerate(shown) if v == best]


def _robustness(data: ReportDocument, names: Names) -> list[Block]:
    r = data.get("robustness")
    if not r:
        return []
    measures = r["measures"]
    by_name = cast(Mapping[str, object], measures)
    values: dict[str, list[float]] = {
        n: cast(list[float], by_name[n])
        for n in MEASURES
        if isinstance(by_name.get(n), list)
        and len(cast(list[float], by_name[n])) == len(r["options"])
    }
    shown = list(values)
    title = _title(data)
    probabilities = measures["probabilities"]
    equal = len(set(probabilities)) == 1
    items = []
    picks: dict[tuple[int, ...], list[str]] = {}
    for n in shown:
        label, lower = MEASURES[n]
        best = favoured(values[n], lower)
        picks.setdefault(tuple(best), []).append(label)
        who = names.options_list([r["options"][k] for k in best])
        tie = f"a tie between {who}" if len(best) > 1 else who
        items.append(
            f"**{label[:1].upper()}{label[1:]}** favours {tie}: "
            f"{MEASURE_REASON.get(n, escape(r['definitions'].get(n, '')))} "
            f"({values[n][best[0]]:.3f})."
        )
    if len(picks) == 1:
        verdict = "Every measure favours the same option."
    else:
        verdict = (
            "The measures differ because they weigh the scenarios differently: an option "
            "that is good on average can have a bad worst case, and the regret measures "
            "compare each option with the best one in every scenario, not with a fixed level."
        )
    return [
        Heading(3, "Robustness across scenarios", "robustness"),
        Paragraph(
            f"Values are {escape(r['value_definition'])}, with the scenarios "
            + ("equally likely" if equal else "weighted by "
               + ", ".join(f"*{title(s)}* {p:.2f}"
                           for s, p in zip(r["scenarios"], probabilities, strict=True)))
            + f"; Hurwicz optimism {measures['hurwicz_alpha']:g}, percentile regret at the "
            f"{measures['regret_percentile']:g}th percentile. {verdict}"
        ),
        Bullets(items),
        Table(
            "Robustness measures per option (regrets: lower is better)",
            ["option", *(MEASURES[n][0] for n in shown)],
            [
                [_plain(names, o)] + [f"{values[n][k]:.3f}" for n in shown]
                for k, o in enumerate(r["options"])
            ],
            (False, *([True] * len(shown))),
        ),
    ]


# ----------------------------------------------------------- 4. what would change it


def _change(data: ReportDocument, charts: Mapping[str, Chart], names: Names) -> list[Block]:
    base_id = base_scenario(data)
    base = next((s for s in data["scenarios"] if s["id"] == base_id), None)
    title = _title(data)
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
        blocks += _tipping(base, sensitivity, names, 2)
    if "weights" in sensitivity:
        blocks += _weights(base, sensitivity, charts, names)
    blocks += _weights_across(data, names)
    if "tornado" in sensitivity:
        blocks += _tornado(base, sensitivity, charts, names)
    blocks += discovery_blocks(data, charts, names)
    return blocks


def _tipping(s: ScenarioSection, sensitivity: Sensitivity, names: Names, level: int
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
                    f"at {x['t']:.3f} {_plain(names, x['overtaking'])} overtakes "
                    f"{_plain(names, x['overtaken'])}"
                    for x in nearest
                )
                or "none",
            ]
        )
    return [
        Heading(3, "Weight stability", f"weights-{s['id']}"),
        *_figure(charts, f"weights-{s['id']}"),
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
        *_figure(charts, f"tornado-{s['id']}"),
        Table(
            f"Inputs that move the score of {_plain(names, option['option'])} most "
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


# ------------------------------------------------------------------------ 5. uncertainty


def _uncertainty(data: ReportDocument, charts: Mapping[str, Chart], names: Names
                 ) -> list[Block]:
    blocks: list[Block] = [Heading(2, "5. Uncertainty", "uncertainty")]
    sampled = [s for s in data["scenarios"] if s["samples"] > 1]
    if not sampled:
        return [
            *blocks,
            Paragraph(
                "No scenario of this comparison is sampled, so there are no "
                "acceptabilities; scores are at the point values."
            ),
        ]
    blocks.append(
        Paragraph(
            "Sampled scenarios draw uncertain indicators, judgements (within their low-high "
            "ranges) and, where given, weights. Rank acceptability is the share of samples in "
            "which an option takes each rank; 5-95 % is the range of its score over the middle "
            "90 % of the samples in which it is available; its confidence factor is the share "
            "of samples in which it ranks first under its central weights (the mean weights of "
            "the samples in which it ranks first)."
        )
    )
    criteria = [c["id"] for c in data["criteria"]]
    for s in sampled:
        uncertain = [x["indicator"] for x in s["settings"] if x["distribution"]]
        blocks.append(Heading(3, escape(s["title"]), f"uncertainty-{s['id']}"))
        blocks.append(
            Paragraph(
                f"{s['samples']:,} samples, seed {s['seed']}; uncertain indicators: "
                + (", ".join(names.indicator(u) for u in uncertain) or "none")
                + "."
            )
        )
        blocks += _figure(charts, f"acceptability-{s['id']}")
        n = max(len(r["rank_acceptability"] or []) for r in s["options"])
        blocks.append(
            Table(
                f"Rank acceptability in {escape(s['title'])} (share of samples per rank"
                + (f", ranks 1-{n} of {len(s['options'])}" if n < len(s["options"]) else "")
                + ")",
                ["option", *(f"rank {k + 1}" for k in range(n)), "5-95 %", "available in",
                 "confidence"],
                [
                    [_plain(names, r["id"])]
                    + [f"{v:.1%}" for v in r["rank_acceptability"] or []]
                    + [
                        _band(r),
                        share_text(r["availability"]),
                        DASH if r["confidence_factor"] is None
                        else f"{r['confidence_factor']:.1%}",
                    ]
                    for r in s["options"]
                ],
                (False, *([True] * (n + 3))),
            )
        )
        central = [(r["id"], w) for r in s["options"] if (w := r["central_weights"])]
        fixed = all(abs(w[c] - s["weights"][c]) < 1e-9 for _, w in central for c in criteria)
        if central and fixed:
            blocks.append(
                Paragraph(
                    "Weights are not sampled here, so every option's central weights are the "
                    "scenario's and its confidence factor equals its first-rank acceptability."
                )
            )
        elif central:
            blocks.append(
                Table(
                    f"Central weights in {escape(s['title'])} (options that ever rank first)",
                    ["option", *(names.criterion(c) for c in criteria)],
                    [[_plain(names, o)] + [f"{w[c]:.3f}" for c in criteria] for o, w in central],
                    (False, *([True] * len(criteria))),
                )
            )
    return blocks


# ------------------------------------------------------------------------ 6. stakeholders


def _stakeholders(data: ReportDocument, names: Names) -> list[Block]:
    """The perspectives (weight sets) as stakeholders: what each puts first, in every
    scenario, and for the base scenario what divides them."""
    present = [
        s for s in data["scenarios"] if "perspectives" in (s["sensitivity"] or {})
    ]
    blocks: list[Block] = [Heading(2, "6. Stakeholders", "stakeholders")]
    if not present:
        blocks.append(Paragraph("The model declares no perspectives."))
        blocks += _expert_disagreements(data, names)
        return blocks
    base_id = base_scenario(data)
    base = next((s for s in present if s["id"] == base_id), present[0])
    p = (base["sensitivity"] or {})["perspectives"]
    blocks.append(
        Table(
            f"The weight sets in {escape(base['title'])} (normalised) and what each puts first",
            ["weight set", "top option", *(names.criterion(c["id"]) for c in data["criteria"])],
            [
                [code(r["name"]), _plain(names, r["top"]) if r["top"] else DASH]
                + [f"{r['weights'].get(c['id'], 0.0):.2f}" for c in data["criteria"]]
                for r in [*p["rankings"], *p.get("objective", [])]
            ],
            (False, False, *([True] * len(data["criteria"]))),
        )
    )
    if p.get("objective"):
        blocks.append(
            Paragraph(
                "The last rows are objective weights of the performance table (entropy and "
                "CRITIC: how much each criterion separates the options, not what anyone "
                "values); they do not count as stakeholders."
            )
        )
    blocks += _stakeholders_blocks(data, p.get("stakeholders"), names)
    believe = [w for w in p.get("what_to_believe", []) if w["possible"] and w["change"]]
    if believe:
        blocks.append(
            Paragraph(f"What you would have to believe for another option to come first "
                      f"({escape(p['basis'])}):")
        )
        blocks.append(Bullets([_believe_text(w, names) for w in believe]))
    rows = []
    for s in present:
        part = (s["sensitivity"] or {})["perspectives"]
        tops: dict[str, list[str]] = {}
        for r in part["rankings"]:
            tops.setdefault(r["top"] or "", []).append(r["name"])
        rows.append(
            [
                escape(s["title"]),
                "; ".join(
                    f"{_plain(names, t) if t else 'none'} ({', '.join(code(n) for n in ns)})"
                    for t, ns in tops.items()
                ),
            ]
        )
    blocks.append(
        Table(
            "What each weight set puts first, per scenario",
            ["scenario", "top option (weight sets)"],
            rows,
        )
    )
    blocks += _expert_disagreements(data, names)
    return blocks


def _believe_text(w: WeightChange, names: Names) -> str:
    change = w["change"] or {}
    moves = ", ".join(
        f"{names.criterion(c)} {v:+.3g}"
        for c, v in sorted(change.items(), key=lambda kv: -abs(kv[1]))
        if abs(v) > 0
    )
    return (
        f"{names.option(w['option'])} comes first if the weights move by "
        f"{(w['distance'] or 0.0):.3g} in total ({moves})"
    )


def _stakeholders_blocks(data: ReportDocument, k: Stakeholders | None, names: Names
                         ) -> list[Block]:
    """Where the perspectives agree, what divides them, and what holds for most of them."""
    if k is None:
        return []
    pairs = "; ".join(
        f"{code(x['a'])} and {code(x['b'])} {x['kendall_tau']:.2f}"
        + ("" if x["same_top"] else " (different tops)")
        for x in k["pairs"]
    )
    dividing = ", ".join(
        f"{names.criterion(c)} ({w:.2f})" for c, w in list(k["dividing"].items())[:2]
    )
    held = sorted(
        ((share, o) for o, share in k["mixture_first"].items() if share > 0), reverse=True
    )
    most = "; ".join(
        f"{names.option(o)} in {share:.0%} "
        f"(first for {k['first_share'][o]:.0%} of the perspectives)"
        for share, o in held[:3]
    )
    return [
        Paragraph(
            f"Their rankings agree by Kendall's tau {pairs}. The criteria whose weights "
            f"divide them most (spread of the normalised weight): {dividing}. Over "
            f"{k['mixtures']:,} weight vectors mixed from theirs (a SMAA run over the "
            f"stakeholders, seed {k['seed']}), the option that comes first: "
            f"{most or 'none available'}."
        )
    ]


def _expert_disagreements(data: ReportDocument, names: Names) -> list[Block]:
    """Pooled judgements whose experts' ranges do not overlap: the pool samples all of them,
    but a reader should know the experts contradict each other there."""
    found = data.get("expert_disagreements") or []
    on_indicators = data.get("indicator_expert_disagreements") or []
    if not found and not on_indicators:
        return []
    scenario_titles = {s["id"]: s["title"] for s in data["scenarios"]}

    def views(d: ExpertDisagreement | IndicatorExpertDisagreement) -> str:
        return (
            "; ".join(f"{escape(e['by'])} {e['low']:g}-{e['high']:g} (most likely {e['mode']:g})"
                      for e in d["experts"])
            + " (" + ", ".join(f"{escape(a)} and {escape(b)}" for a, b in d["pairs"])
            + " do not overlap)"
        )

    items = [
        f"{names.option(d['option'])} on {names.criterion(d['criterion'])}: {views(d)}"
        for d in found
    ] + [
        f"{names.indicator(d['indicator'], start=True)}, in the scenario "
        f"*{escape(scenario_titles.get(d['scenario'], d['scenario']))}*: {views(d)}"
        for d in on_indicators
    ]
    return [
        Heading(3, "Where the experts disagree", "expert-disagreements"),
        Paragraph("These judgements and indicator settings pool experts whose ranges do not "
                  "overlap: the sampled pool mixes their views, but they contradict each "
                  "other."),
        Bullets(items),
    ]


# ------------------------------------------------------------------ 7. each scenario


def _scenarios(data: ReportDocument, charts: Mapping[str, Chart], names: Names
               ) -> list[Block]:
    blocks: list[Block] = [
        Heading(2, "7. Scenarios in detail", "scenarios"),
        Paragraph(
            "Each scenario's settings, ranking under each method, what moved against the "
            "baseline and why, and its tipping points. Why an option is unavailable is stated "
            "once, in section 8. The methods' rankings are compared by Kendall's tau and by two "
            "coefficients that weigh agreement near the top more, weighted Spearman r_w and WS "
            "(Pinto da Costa and Soares 2005; Salabun and Urbaniak 2020); 1 is the same order. "
            "A waterfall shows each option whose rank moved, from its baseline score to its "
            "score here, criterion by criterion; its panels do not share an axis (each is "
            "zoomed to that option's scores), so compare bar lengths within a panel only."
        ),
    ]
    summaries = {s["scenario"]: s for s in data["summary"]}
    for s in data["scenarios"]:
        number = f"7.{_index(data, s)}"
        blocks.append(Heading(3, f"{number} {escape(s['title'])}", f"scenario-{s['id']}"))
        facts = [
            f"File {code(s['path'])}; method {code(method_text(s['method']))}"
            + (f"; perspective {code(s['perspective'])}" if s["perspective"] else "")
            + (
                f"; {s['samples']:,} samples, seed {s['seed']}"
                if s["samples"] > 1
                else "; not sampled (point values)"
            )
            + "."
        ]
        if s["settings"]:
            facts.append(
                "Settings (model baseline in brackets): "
                + "; ".join(
                    f"{names.indicator(x['indicator'])} "
                    + (escape(x["distribution"]) if x["distribution"]
                       else names.value(x["indicator"], x["value"]))
                    + f" [{names.value(x['indicator'], x['baseline'])}]"
                    for x in s["settings"]
                )
                + "."
            )
        else:
            facts.append("Settings: every indicator at the model baseline.")
        if s["description"]:
            blocks.append(Paragraph(escape(s["description"])))
        blocks.append(Bullets(facts))
        blocks += _methods(s, names) if s.get("methods") else [_ranking_table(s, names)]
        unavailable = [r["id"] for r in s["options"] if not r["available"]]
        if unavailable:
            blocks.append(
                Paragraph(
                    "Unavailable here: " + names.options_list(unavailable)
                    + " (conditions and evidence in section 8)."
                )
            )
        if s["id"] == base_scenario(data):
            blocks += _figure(charts, f"contributions-{s['id']}")
        blocks += _movement(s, summaries.get(s["id"]), charts, names, data)
        sensitivity = s["sensitivity"] or {}
        if s["id"] != base_scenario(data) and "tipping" in sensitivity:
            blocks += _tipping(s, sensitivity, names, 3)
        if "dominance" in sensitivity:
            dominated = sensitivity["dominance"]["dominated"]
            if dominated:
                blocks.append(
                    Paragraph(
                        "Dominated (another available option is at least as good on every "
                        "criterion and better on one, so no weights rank it above that one): "
                        + "; ".join(
                            f"{names.option(d['option'])} by "
                            + names.options_list(d["by"])
                            + (f" and {d['by_total'] - len(d['by'])} more"
                               if d["by_total"] > len(d["by"]) else "")
                            for d in dominated
                        )
                        + "."
                    )
                )
    return blocks


def _ranking_table(s: ScenarioSection, names: Names | None = None) -> Table:
    sampled = s["samples"] > 1
    header = [
        "option",
        "rank",
        "score",
        *(["5-95 %", "P(1st)"] if sampled else []),
        "largest contributions",
    ]

    def title(option: str) -> str:
        return _plain(names, option) if names else code(option)

    def criterion(c: str) -> str:
        return names.criterion(c) if names else code(c)

    rows = []
    for r in s["options"]:
        largest = sorted(r["contributions"].items(), key=lambda kv: (-kv[1], kv[0]))[:2]
        rows.append(
            [
                title(r["id"]),
                str(r["rank"]),
                score_text(r["score"]) if r["available"] else "unavailable",
                *([_band(r), share_text(_first(r))] if sampled else []),
                ", ".join(f"{criterion(c)} {v:.3f}" for c, v in largest),
            ]
        )
    numeric = (False, True, True, *((True, True) if sampled else ()), False)
    return Table(f"Ranking in {escape(s['title'])}", header, rows, numeric)


def _index(data: ReportDocument, scenario: ScenarioSection) -> int:
    return [s["id"] for s in data["scenarios"]].index(scenario["id"]) + 1


def _first(row: OptionRow) -> float | None:
    acceptability = row.get("rank_acceptability")
    return None if not acceptability else float(acceptability[0])


def _movement(s: ScenarioSection, summary: SummaryRow | None, charts: Mapping[str, Chart],
              names: Names, data: ReportDocument) -> list[Block]:
    movement = s["movement"]
    if movement is None:
        return []
    title = _title(data)
    blocks: list[Block] = []
    if not movement["options"]:
        return [Paragraph(f"Against *{title(movement['against'])}*, no option changes rank.")]
    blocks += _figure(charts, f"waterfall-{s['id']}")
    rows = []
    for o in movement["options"]:
        steps = [
            x for x in o["steps"]
            if x["kind"] not in ("start", "end") and abs(x["delta"]) >= 5e-4
        ]
        largest = sorted(steps, key=lambda x: (-abs(x["delta"]), x["label"]))[:3]
        rows.append(
            [
                _plain(names, o["id"]),
                f"{o['rank_from']} to {o['rank_to']}",
                f"{score_text(o['score_from'])} to {score_text(o['score_to'])}",
                ", ".join(f"{_step_label(x['label'], names)} {x['delta']:+.3f}"
                          for x in largest)
                or "its own score does not change; others moved past it",
            ]
        )
    blocks.append(
        Table(
            f"Options whose rank changed in {escape(s['title'])} against "
            f"{title(movement['against'])}",
            ["option", "rank", "score", "largest steps"],
            rows,
            (False, True, True, False),
        )
    )
    return blocks


def _step_label(label: str, names: Names) -> str:
    """A waterfall step's label (a criterion id, or a word such as ``availability``)."""
    return names.criterion(label) if re.fullmatch(r"[\w-]+", label) else escape(label)


def _methods(s: ScenarioSection, names: Names | None = None) -> list[Block]:
    """How the other aggregation methods rank the scenario's options."""
    m = s.get("methods")
    if not m:
        return []

    def title(option: str) -> str:
        return _plain(names, option) if names else code(option)

    verdict = (
        "every method puts the same option first"
        if m["same_top"]
        else "the methods disagree on the top option: "
        + "; ".join(
            f"{title(top)} under " + ", ".join(code(k) for k, v in m["top"].items() if v == top)
            for top in dict.fromkeys(m["top"].values())
        )
    )
    options = sorted(m["ranks"][m["methods"][0]], key=lambda o: m["ranks"][m["methods"][0]][o])
    available = {r["id"]: r["available"] for r in s["options"]}
    # Partial pre-orders (PROMETHEE I): the pairs they leave incomparable are stated, and the
    # ranks shown for them (their net-flow completion) are marked as not deciding those pairs.
    orders = m.get("partial_orders", {})
    undecided = {
        (x, o) for x, order in orders.items() for pair in order["incomparable"] for o in pair
    }
    partial_notes = [
        Paragraph(
            f"{code(x)} gives a partial order: "
            + (
                "it leaves "
                + "; ".join(f"{title(a)} and {title(b)}" for a, b in order["incomparable"])
                + " incomparable (each is ahead on one of the two flows). Its ranks marked * "
                "are the net flow's completion and do not decide those pairs."
                if order["incomparable"]
                else "it compares every pair, so its ranks are its own."
            )
            + (
                " Indifferent: "
                + "; ".join(f"{title(a)} and {title(b)}" for a, b in order["indifferent"])
                + "."
                if order["indifferent"]
                else ""
            )
        )
        for x, order in orders.items()
    ]
    agreement = _agreement_text(m["agreement"])
    return [
        Table(
            f"Ranking in {escape(s['title'])}: rank (score) under each method",
            ["option", *(code(x) for x in m["methods"])],
            [
                [title(o)]
                + [
                    f"{m['ranks'][x][o]}{'*' if (x, o) in undecided else ''} "
                    f"({m['scores'][x][o]:.3f})"
                    if available.get(o, True)
                    else f"{m['ranks'][x][o]} (unavailable)"
                    for x in m["methods"]
                ]
                for o in options
            ],
            (False, *([True] * len(m["methods"]))),
        ),
        Paragraph(f"At the point values, {verdict}.{agreement}"),
        *partial_notes,
    ]


def _span(values: Sequence[float | None]) -> str | None:
    found = [v for v in values if v is not None]
    if not found:
        return None
    low, high = min(found), max(found)
    return f"{low:.3f}" if low == high else f"{low:.3f} to {high:.3f}"


def _agreement_text(agreement: Sequence[Agreement]) -> str:
    """How far the methods' rankings agree, over every pair: Kendall's tau, and the two
    coefficients that weigh the top of the rankings more (weighted Spearman r_w, and WS with
    the first method's ranking as reference)."""
    parts = [
        f"{label} {span}"
        for label, span in (
            ("Kendall's tau", _span([a["kendall_tau"] for a in agreement])),
            ("weighted Spearman r_w", _span([a.get("weighted_spearman") for a in agreement])),
            ("WS (a's ranking as reference)", _span([a.get("ws_a_b") for a in agreement])),
        )
        if span is not None
    ]
    if not parts:
        return ""
    return " Between the methods' rankings: " + "; ".join(parts) + "."


# ------------------------------------------------------ 8. evidence and assumptions


def _appendix(data: ReportDocument, names: Names) -> list[Block]:
    blocks: list[Block] = [Heading(2, "8. Evidence and assumptions", "appendix")]
    blocks += _options_appendix(data, names)
    blocks += _assumptions(data, names)
    blocks += _evidence(data, names)
    return blocks


def _options_appendix(data: ReportDocument, names: Names) -> list[Block]:
    """Each gated option once: its conditions, why, the evidence, and the scenarios where a
    condition fails (with the values that fail it)."""
    evidence = {e["id"]: e for e in data["evidence"]}
    title = _title(data)
    items = []
    openings = _openings(data)
    for option in data["options"]:
        failures: dict[str, list[tuple[str, FailedPreconditionData]]] = {}
        for s in data["scenarios"]:
            row = next(r for r in s["options"] if r["id"] == option["id"])
            for failed in row["failed"]:
                failures.setdefault(failed["when"], []).append((s["id"], failed))
        if not option["preconditions"]:
            continue
        parts = []
        for when in option["preconditions"]:
            found = failures.get(when, [])
            text = f"{code(when)}"
            if found:
                first = found[0][1]
                cited = "; ".join(_evidence_text(e, evidence) for e in first["evidence"])
                text += f": {sentence(escape(first['reason']))}"
                if cited:
                    text += f" Evidence: {cited}."
                by_values: dict[str, list[str]] = {}
                for scenario, failed in found:
                    values = "; ".join(_condition_words(c, names) for c in failed["conditions"])
                    by_values.setdefault(values, []).append(scenario)
                every = [x["id"] for x in data["scenarios"]]
                text += " Fails in " + "; ".join(
                    _scenario_list(scenarios, every, title) + f" ({values})"
                    for values, scenarios in by_values.items()
                ) + "."
            else:
                text += ": holds in every scenario."
            parts.append(text)
        opening = openings.get(option["id"])
        items.append(
            f"{names.option(option['id'])} ({code(option['id'])}) needs "
            + " ".join(parts)
            + (f" In *{title(base_scenario(data))}*, {opening}." if opening else "")
        )
    if not items:
        return []
    return [
        Heading(3, "When each option is available", "availability"),
        Paragraph(
            "Options with preconditions: each condition (as the model writes it), the reason "
            "and evidence behind it, and the scenarios where it fails, with the values that "
            "fail it. Every other option is available everywhere."
        ),
        Bullets(items),
    ]


def _scenario_list(scenarios: list[str], every: list[str], title: Callable[[str], str]
                   ) -> str:
    """Scenarios by title; more than half of them as every scenario but the others."""
    if len(scenarios) * 2 <= len(every) or len(scenarios) == len(every):
        return ", ".join(f"*{title(x)}*" for x in scenarios) if len(scenarios) < len(
            every) else "every scenario"
    return "every scenario but " + ", ".join(
        f"*{title(x)}*" for x in every if x not in scenarios)


def _openings(data: ReportDocument) -> dict[str, str]:
    """What opens each unavailable option in the base scenario, in words."""
    names = Names(data)
    base = next((s for s in data["scenarios"] if s["id"] == base_scenario(data)), None)
    part = (base["sensitivity"] or {}).get("openings") if base else None
    return {o["option"]: opening_text(o, names) for o in part or []}


def _condition_words(condition: FailedConditionData, names: Names) -> str:
    """The values that fail a condition, in words: ``civil society access is 0.2``."""
    values = ", ".join(
        f"{names.indicator(k)} is {names.value(k, v)}" for k, v in condition["values"].items()
    )
    return values or f"{code(condition['text'])} fails"


def opening_text(opening: Opening, names: Names) -> str:
    """What makes one unavailable option available (and first)."""
    moves = []
    for move in opening["moves"]:
        name = move["indicator"]
        info = names.indicators.get(name)
        if info is not None and info["boolean"]:
            moves.append(f"{names.indicator(name)} becomes {names.value(name, move['to'])}")
        else:
            verb = "rises" if move["to"] > move["from"] else "falls"
            moves.append(
                f"{names.indicator(name)} {verb} to {names.value(name, move['to'])} (from "
                f"{names.value(name, move['from'])})"
            )
    if not moves:
        unmovable = " and ".join(code(u) for u in opening["unmovable"]) or "other conditions"
        return f"it needs {unmovable}"
    needs = " and ".join(moves)
    if not opening["opens"]:
        return f"it stays unavailable even when {needs}"
    text = f"it becomes available when {needs}"
    if opening["first_at_once"]:
        return text + "; it then comes first"
    found = [f for f in opening["first_along"] if f["value"] is not None]
    if found:
        ways = " or ".join(
            f"{names.indicator(f['indicator'])} reaches "
            f"{names.value(f['indicator'], f['value'] or 0.0)}" for f in found
        )
        return text + f"; it comes first once {ways}"
    return text + "; moving those indicators further within range does not put it first"


def _evidence_text(evidence_id: str, evidence: Mapping[str, EvidenceItem]) -> str:
    item = evidence.get(evidence_id)
    return escape(item["locator"]) if item else code(evidence_id)


def sentence(text: str) -> str:
    """Text ending in exactly one full stop."""
    return text.rstrip().rstrip(".") + "."


def _assumptions(data: ReportDocument, names: Names) -> list[Block]:
    """The base scenario's assumptions register (its most influential rows)."""
    base = next((s for s in data["scenarios"] if s["id"] == base_scenario(data)), None)
    part = ((base["sensitivity"] or {}).get("assumptions") if base else None)
    if base is None or part is None:
        return []
    measure = part["measure"]
    intro = (
        f"In *{escape(base['title'])}*, {part['considered']} judgements (the modeller's "
        "numbers, not the source's) are in use; each is moved alone to both ends of its range "
        f"(the model's own, else a default band) and ranked by how far that moves the "
        f"{escape(measure)}"
        + (
            f" of {names.option(part['top'])} ({part['lead']:.3f})"
            if measure == "lead" and part["top"]
            else f" ({part['package_value']:.3f})"
            if part["package_value"] is not None
            else ""
        )
        + f". {len(part['rows'])} move it; {len(part['unmoved'])} move nothing. The "
        f"{ASSUMPTIONS_LISTED} that move it most are below; every scenario's full register is "
        "in `results.json`. Key paths are as a scenario file overrides them."
    )
    blocks: list[Block] = [Heading(3, "Assumptions register", "assumptions"), Paragraph(intro)]
    if not part["rows"]:
        return blocks
    rows = []
    for r in part["rows"][:ASSUMPTIONS_LISTED]:
        flips = [f for f, on in (("top", r["flips_top"]), ("package", r["flips_package"])) if on]
        rows.append(
            [
                judgement(r, names) + f" {code(r['key_path'])}",
                f"{r['value']:g}",
                f"{r['low']:g}{DASH}{r['high']:g}"
                + ("" if r["range"] == "given" else " (default)"),
                f"{r['influence']:.3f}",
                " and ".join(flips) or "nothing",
                escape(r["confidence"] or DASH),
                escape(first_sentence(r["reason"])) if r["reason"] else "no reason given",
            ]
        )
    blocks.append(
        Table(
            f"The most influential judgements (influence on the {escape(measure)})",
            ["judgement", "value", "range", "influence", "changes", "confidence", "why"],
            rows,
            (False, True, True, True, False, False, False),
        )
    )
    return blocks


def citation_markup(entry: Citation, names: Names) -> str:
    """One citing judgement in words."""
    kind = entry["kind"]
    if kind == "indicator":
        return names.indicator(entry.get("indicator", ""))
    if kind == "precondition":
        return f"when {names.option(entry.get('option', ''))} is available"
    if kind == "performance":
        return (f"{names.option(entry.get('option', ''))} on "
                f"{names.criterion(entry.get('criterion', ''))}")
    return "the interaction of " + names.options_list(entry.get("options", []))


def _evidence(data: ReportDocument, names: Names) -> list[Block]:
    """Every evidence item as one line: locator, figures, claim and what cites it (a list,
    not a table, so it prints compactly)."""
    items = []
    for e in data["evidence"]:
        figures = ", ".join(escape(f) for f in e["figures"])
        items.append(
            f"**{escape(e['locator'])}**" + (f" ({figures})" if figures else "")
            + f": {sentence(escape(e['claim']))} Cited by: "
            + (_citations(e["cited_by"], names) or "nothing")
            + "."
        )
    return [
        Heading(3, "Evidence", "evidence"),
        Paragraph(
            "Every evidence item of the model: where it is in the source, the figures it "
            "carries, what it says (paraphrased), and the judgements that cite it."
        ),
        Bullets(items),
    ]


def _citations(entries: Sequence[Citation], names: Names) -> str:
    """The judgements citing an item, an option's performances on one line."""
    performance: dict[str, list[str]] = {}
    parts: list[str] = []
    for entry in entries:
        if entry["kind"] == "performance":
            option = entry.get("option", "")
            if option not in performance:
                performance[option] = []
                parts.append(f"performance:{option}")
            performance[option].append(names.criterion(entry.get("criterion", "")))
        else:
            parts.append(citation_markup(entry, names))
    return "; ".join(
        f"{names.option(p.split(':', 1)[1])} on {', '.join(performance[p.split(':', 1)[1]])}"
        if p.startswith("performance:") else p
        for p in parts
    )
