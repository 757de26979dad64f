"""Section 2 of the report: the plan and its pathways.

The top option or package per scenario, the adaptive plan (pathways, switches, signposts),
what the source recommends against the model, and the portfolio analyses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from decision.reports.brief import Names, verdict_text
from decision.reports.charts import Chart
from decision.reports.document import Finding, PlanDocument, ReportDocument
from decision.reports.markdown import Block, Bullets, Heading, Paragraph, Table, code, escape
from decision.reports.sections.focus import baseline_bundle
from decision.reports.sections.words import (
    DASH,
    figure_blocks,
    humanize,
    plain_option,
    scenario_title,
    score_text,
    share_text,
)


def plan_section(data: ReportDocument, charts: Mapping[str, Chart], names: Names) -> list[Block]:
    """Section 2: the top option or package per scenario, the plan, the source, bundles."""
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
    title = scenario_title(data)
    rows = []
    for s in data["summary"]:
        runner_score = s["runner_up_score"]
        rows.append(
            [
                title(s["scenario"]),
                escape(s["top_title"]) if s["available"] else DASH,
                score_text(s["score"]) if s["available"] else DASH,
                share_text(s["p_first"]),
                f"{plain_option(names, s['runner_up'])} ({score_text(runner_score)})"
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
    title = scenario_title(data)
    summaries = [s for s in data["summary"] if "package" in s]
    base = next((s for s in summaries if s["scenario"] == data["baseline"]), summaries[0])
    base_members = [m["option"] for m in base["package"]["members"]]
    rows = []
    for s in summaries:
        package = s["package"]
        members = [m["option"] for m in package["members"]]
        if s is base:
            what = "; ".join(plain_option(names, o) for o in members) or "nothing"
        else:
            adds = [plain_option(names, o) for o in members if o not in base_members]
            drops = [plain_option(names, o) for o in base_members if o not in members]
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
        f"{plain_option(names, m['option'])} {m['marginal']:.3f}"
        for m in base["package"]["members"]
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
    title = scenario_title(data)
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
        blocks += figure_blocks(charts, f"pathway-{p['scenario']}")
    return blocks



def _package_step(before: Sequence[str] | None, members: Sequence[str], names: Names) -> str:
    """A package in full (``before`` is None), else what it adds to and drops from
    ``before``: a list of packages that grow step by step reads without repeating them."""
    if before is None:
        return "; ".join(plain_option(names, o) for o in members) or "nothing"
    return "; ".join(
        [*(f"adds {plain_option(names, o)}" for o in members if o not in before),
         *(f"drops {plain_option(names, o)}" for o in before if o not in members)]
    ) or "no change"



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
    title = scenario_title(data)
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
        *figure_blocks(charts, f"frontier-{base.get('scenario', 'study')}"),
    ]
    for resource, points in sorted((base.get("frontiers") or {}).items()):
        if points:
            blocks.append(
                Table(
                    f"Efficient frontier for {names.criterion(resource)} in "
                    f"{scenario_title(data)(base['scenario'])} "
                    "(each bundle against the one above it)",
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
