"""The comparison of several scenarios: ranks and scores side by side, as JSON and Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from decision.reports.plain import to_json
from decision.reports.visible import visible
from decision.reports.wording import condition_values_text
from decision.results import OptionResult, to_data

if TYPE_CHECKING:
    from decision.study.study import Study


def comparison_json(study: Study) -> str:
    """The comparison as stable, indented JSON text (no timestamps: reruns are identical;
    boolean indicators' values as true/false)."""
    from decision.reports.document import cap_crossovers
    from decision.results.booleans import booleans_as_bools

    data = to_data(study.comparison())
    for item in data["sensitivity"]:
        if "weights" in item:
            cap_crossovers(item["weights"])
    model = study.runs[0].model
    booleans_as_bools(data, {n for n, b in zip(model.indicators, model.is_boolean, strict=True)
                             if b})
    return to_json(data)


def _cell(option: OptionResult) -> str:
    if not option.available:
        return f"{option.rank} (unavailable)"
    text = f"{option.rank} ({option.score:.3f})"
    if option.uncertainty is not None:
        text += f", P(1st) {option.uncertainty.p_first:.0%}"
    return text


def availability_text(option: OptionResult) -> str:
    """Why an option is unavailable, in one phrase (empty when it is available)."""
    if option.available:
        return ""
    parts = []
    for failed in option.failed:
        details = "; ".join(
            f"needs {c.text} ({condition_values_text(c.text, c.values)})"
            if c.values
            else f"needs {c.text}"
            for c in failed.conditions
        )
        parts.append(details or f"needs {failed.when}")
    return "; ".join(parts)


def comparison_markdown(study: Study) -> str:
    """A readable Markdown comparison of the scenarios."""
    results = study.results
    first = results[0]
    titles = {o.id: o.title for o in first.options}
    lines = [
        f"# Comparison: {first.model_title}",
        "",
        f"Model `{first.model}` ({first.model_path}); method `{first.method['name']}`; "
        f"{len(results)} scenarios. Cells show rank (score); rank 1 is best; unavailable options "
        "rank below every available one. Where a scenario is sampled, P(1st) is the share of "
        "samples in which the option ranks first.",
        "",
        "## Top recommendation per scenario",
        "",
        "| scenario | top option | score | runner-up |",
        "|---|---|---|---|",
    ]
    for r in results:
        runner = r.options[1] if len(r.options) > 1 else None
        runner_text = f"{runner.title} ({runner.score:.3f})" if runner and runner.available else "-"
        lines.append(f"| {r.title} | {r.top.title} | {r.top.score:.3f} | {runner_text} |")
    lines += ["", "## Ranks across scenarios", ""]
    lines += ["| option | " + " | ".join(r.scenario for r in results) + " |"]
    lines += ["|---|" + "---|" * len(results)]
    for option_id in first.option_ids:
        cells = [_cell(r.option(option_id)) for r in results]
        lines.append(f"| {titles[option_id]} | " + " | ".join(cells) + " |")
    if study.method_comparisons:
        lines += ["", "## Ranks under each method", ""]
        for comparison in study.method_comparisons:
            verdict = (
                "every method puts the same option first"
                if comparison.same_top
                else "the methods disagree on the top option"
            )
            lines += [f"### {comparison.scenario}: {verdict}", ""]
            lines += ["| option | " + " | ".join(comparison.methods) + " |"]
            lines += ["|---|" + "---|" * len(comparison.methods)]
            for option_id in first.option_ids:
                cells = [str(comparison.ranks[m][option_id]) for m in comparison.methods]
                lines.append(f"| {option_id} | " + " | ".join(cells) + " |")
            lines += [
                "",
                "| methods | Kendall's tau | Spearman's rho | same top |",
                "|---|---|---|---|",
            ]
            for a in comparison.agreement:
                same = "yes" if a.same_top else "no"
                lines.append(
                    f"| {a.a} vs {a.b} | {a.kendall_tau:.3f} | {a.spearman_rho:.3f} | {same} |"
                )
            lines.append("")
    if study.robustness is not None:
        report = study.robustness
        measures = report.result.measures()
        lines += ["", "## Robustness across scenarios", ""]
        result = report.result
        lines += [
            f"Values are {report.value_definition}. Hurwicz alpha {result.hurwicz_alpha:g}; "
            f"regret percentile {result.regret_percentile:g}.",
            "",
        ]
        names = list(measures)
        lines += ["| option | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
        for k, option_id in enumerate(report.options):
            cells = [f"{float(measures[n][k]):.3f}" for n in names]
            lines.append(f"| {option_id} | " + " | ".join(cells) + " |")
        picks = ", ".join(f"{name}: {report.options[o]}" for name, o in report.result.picks.items())
        lines += ["", f"Picks: {picks}.", ""]
    lines += ["", "## Scenarios", ""]
    for r in results:
        lines += [f"### {r.title} (`{r.scenario}`)", ""]
        if r.description:
            lines += [" ".join(r.description.split()), ""]
        weights = ", ".join(f"{c} {w:.2f}" for c, w in r.weights.items())
        perspective = f"perspective `{r.perspective}`; " if r.perspective else ""
        sampled = f"; {r.samples:,} samples, seed {r.seed}" if r.samples > 1 else ""
        lines += [f"{perspective}weights: {weights}{sampled}.", ""]
        lines += [
            "| rank | option | score | top criteria | availability |",
            "|---|---|---|---|---|",
        ]
        for o in r.options:
            top = ", ".join(f"{c} {v:.3f}" for c, v in o.top_contributions())
            status = "available" if o.available else "unavailable: " + availability_text(o)
            score = f"{o.score:.3f}" if o.available else "-"
            lines.append(f"| {o.rank} | {o.title} | {score} | {top} | {status} |")
        lines.append("")
    return visible("\n".join(lines).rstrip()) + "\n"
