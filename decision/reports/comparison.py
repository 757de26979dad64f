"""The comparison of several scenarios: ranks and scores side by side, as JSON and Markdown."""

from __future__ import annotations

import json
from typing import Any

from decision import __version__
from decision.results import RESULTS_SCHEMA_VERSION, OptionResult, ScenarioResult


def comparison_dict(results: list[ScenarioResult]) -> dict[str, Any]:
    """Everything the comparison shows, JSON-serialisable and free of timestamps."""
    first = results[0]
    return {
        "schema_version": RESULTS_SCHEMA_VERSION,
        "tool_version": __version__,
        "model": {"id": first.model, "title": first.model_title, "path": first.model_path},
        "options": first.option_ids,
        "ranks": {r.scenario: {o.id: o.rank for o in r.options} for r in results},
        "scores": {r.scenario: {o.id: o.score for o in r.options} for r in results},
        "scenarios": [r.to_dict() for r in results],
    }


def comparison_json(results: list[ScenarioResult]) -> str:
    """The comparison as stable, indented JSON text."""
    return (
        json.dumps(comparison_dict(results), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
    )


def _cell(option: OptionResult) -> str:
    if not option.available:
        return f"{option.rank} (unavailable)"
    return f"{option.rank} ({option.score:.3f})"


def availability_text(option: OptionResult) -> str:
    """Why an option is unavailable, in one phrase (empty when it is available)."""
    if option.available:
        return ""
    parts = []
    for failed in option.failed:
        details = "; ".join(
            f"needs {c.text} (is " + ", ".join(f"{v:g}" for v in c.values.values()) + ")"
            if c.values
            else f"needs {c.text}"
            for c in failed.conditions
        )
        parts.append(details or f"needs {failed.when}")
    return "; ".join(parts)


def comparison_markdown(results: list[ScenarioResult]) -> str:
    """A readable Markdown comparison of the scenarios."""
    first = results[0]
    titles = {o.id: o.title for o in first.options}
    order = first.option_ids
    lines = [
        f"# Comparison: {first.model_title}",
        "",
        f"Model `{first.model}` ({first.model_path}); method `{first.method['name']}`; "
        f"{len(results)} scenarios. Cells show rank (score); rank 1 is best; unavailable options "
        "rank below every available one.",
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
    header = "| option | " + " | ".join(r.scenario for r in results) + " |"
    lines += [header, "|---|" + "---|" * len(results)]
    for option_id in order:
        cells = [_cell(r.option(option_id)) for r in results]
        lines.append(f"| {titles[option_id]} | " + " | ".join(cells) + " |")
    lines += ["", "## Scenarios", ""]
    for r in results:
        lines += [f"### {r.title} (`{r.scenario}`)", ""]
        if r.description:
            lines += [" ".join(r.description.split()), ""]
        weights = ", ".join(f"{c} {w:.2f}" for c, w in r.weights.items())
        perspective = f"perspective `{r.perspective}`; " if r.perspective else ""
        lines += [f"{perspective}weights: {weights}.", ""]
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
    return "\n".join(lines).rstrip() + "\n"
