"""Section 5 of the report: uncertainty.

For each sampled scenario, its rank acceptabilities, score bands, confidence factors and
central weights; a scenario with one sample has none of these.
"""

from __future__ import annotations

from collections.abc import Mapping

from decision.reports.brief import Names
from decision.reports.charts import Chart
from decision.reports.document import ReportDocument
from decision.reports.markdown import Block, Heading, Paragraph, Table, escape
from decision.reports.sections.words import DASH, band_text, figure_blocks, plain_option, share_text


def uncertainty_section(data: ReportDocument, charts: Mapping[str, Chart], names: Names
                        ) -> list[Block]:
    """Section 5: each sampled scenario's acceptabilities and central weights."""
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
        blocks += figure_blocks(charts, f"acceptability-{s['id']}")
        n = max(len(r["rank_acceptability"] or []) for r in s["options"])
        blocks.append(
            Table(
                f"Rank acceptability in {escape(s['title'])} (share of samples per rank"
                + (f", ranks 1-{n} of {len(s['options'])}" if n < len(s["options"]) else "")
                + ")",
                ["option", *(f"rank {k + 1}" for k in range(n)), "5-95 %", "available in",
                 "confidence"],
                [
                    [plain_option(names, r["id"])]
                    + [f"{v:.1%}" for v in r["rank_acceptability"] or []]
                    + [
                        band_text(r),
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
                    [[plain_option(names, o)] + [f"{w[c]:.3f}" for c in criteria]
                     for o, w in central],
                    (False, *([True] * len(criteria))),
                )
            )
    return blocks
