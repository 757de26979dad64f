"""Section 6 of the report: stakeholders.

The perspectives (weight sets) as stakeholders: what each puts first in every scenario, what
divides them in the base scenario, and where pooled experts' ranges do not overlap.
"""

from __future__ import annotations

from decision.reports.brief import Names
from decision.reports.document import (
    ExpertDisagreement,
    IndicatorExpertDisagreement,
    ReportDocument,
    Stakeholders,
    WeightChange,
)
from decision.reports.markdown import Block, Bullets, Heading, Paragraph, Table, code, escape
from decision.reports.sections.focus import base_scenario
from decision.reports.sections.words import DASH, plain_option


def stakeholders_section(data: ReportDocument, names: Names) -> list[Block]:
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
                [code(r["name"]), plain_option(names, r["top"]) if r["top"] else DASH]
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
                    f"{plain_option(names, t) if t else 'none'} ({', '.join(code(n) for n in ns)})"
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
