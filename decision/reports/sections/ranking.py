"""Section 3 of the report: the ranking across scenarios.

The ranking chart, how the methods agree, and the robustness measures across scenarios
(which measure favours which option, and why it may differ).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from decision.reports.brief import Names
from decision.reports.charts import Chart
from decision.reports.document import ReportDocument
from decision.reports.markdown import Block, Bullets, Heading, Paragraph, Table, code, escape
from decision.reports.sections.words import (
    DASH,
    figure_blocks,
    plain_option,
    scenario_title,
    score_text,
)


def ranking_section(data: ReportDocument, charts: Mapping[str, Chart], names: Names) -> list[Block]:
    """Section 3: the ranking across scenarios, the methods and the robustness."""
    scenarios = data["scenarios"]
    rows = []
    for option in data["options"]:
        cells = [plain_option(names, option["id"])]
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
        *figure_blocks(charts, "ranking"),
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
                    f"{plain_option(names, t)} ({', '.join(code(x) for x in ms)})"
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
    title = scenario_title(data)
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
                [plain_option(names, o)] + [f"{values[n][k]:.3f}" for n in shown]
                for k, o in enumerate(r["options"])
            ],
            (False, *([True] * len(shown))),
        ),
    ]
