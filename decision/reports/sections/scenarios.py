"""Section 7 of the report: each scenario in detail.

Its settings, its ranking under each method and how the methods agree, what moved against
the baseline and why (with its waterfall), and its tipping points.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from decision.reports.brief import Names
from decision.reports.charts import Chart
from decision.reports.document import (
    Agreement,
    OptionRow,
    ReportDocument,
    ScenarioSection,
    SummaryRow,
)
from decision.reports.markdown import Block, Bullets, Heading, Paragraph, Table, code, escape
from decision.reports.sections.change import tipping_blocks
from decision.reports.sections.focus import base_scenario
from decision.reports.sections.words import (
    band_text,
    figure_blocks,
    plain_option,
    scenario_title,
    score_text,
    share_text,
)
from decision.reports.wording import method_text


def scenarios_section(data: ReportDocument, charts: Mapping[str, Chart], names: Names
                      ) -> list[Block]:
    """Section 7: each scenario in detail, in the order of the comparison."""
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
            blocks += figure_blocks(charts, f"contributions-{s['id']}")
        blocks += _movement(s, summaries.get(s["id"]), charts, names, data)
        sensitivity = s["sensitivity"] or {}
        if s["id"] != base_scenario(data) and "tipping" in sensitivity:
            blocks += tipping_blocks(s, sensitivity, names, 3)
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
        return plain_option(names, option) if names else code(option)

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
                *([band_text(r), share_text(_first(r))] if sampled else []),
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
    title = scenario_title(data)
    blocks: list[Block] = []
    if not movement["options"]:
        return [Paragraph(f"Against *{title(movement['against'])}*, no option changes rank.")]
    blocks += figure_blocks(charts, f"waterfall-{s['id']}")
    rows = []
    for o in movement["options"]:
        steps = [
            x for x in o["steps"]
            if x["kind"] not in ("start", "end") and abs(x["delta"]) >= 5e-4
        ]
        largest = sorted(steps, key=lambda x: (-abs(x["delta"]), x["label"]))[:3]
        rows.append(
            [
                plain_option(names, o["id"]),
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
        return plain_option(names, option) if names else code(option)

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
