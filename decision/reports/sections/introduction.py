"""The report's opening paragraph: the model, its source, the scenarios and methods compared,
and the criteria's anchored value scales (what 0 and 1 mean), where the model gives them.
"""

from __future__ import annotations

from decision.reports.brief import Names
from decision.reports.document import ReportDocument
from decision.reports.markdown import Block, Paragraph, Table, code, escape
from decision.reports.sections.words import scenario_title
from decision.reports.wording import method_text


def introduction(data: ReportDocument) -> list[Block]:
    """The paragraph under the report's title, and the criteria's value scales."""
    model, source = data["model"], data["model"]["source"]
    scenarios = data["scenarios"]
    methods = sorted({method_text(s["method"]) for s in scenarios})
    sampled = [s for s in scenarios if s["samples"] > 1]
    by = ", ".join(str(source[k]) for k in ("author", "publisher", "year") if k in source)
    return [
        Paragraph(
            f"Model {code(model['path'])}, encoding *{escape(source.get('title', ''))}* "
            f"({escape(by)}): {len(scenarios)} scenarios, each compared with "
            f"*{scenario_title(data)(data['baseline'])}*; method "
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
