"""Terminal output with rich: ranked tables, comparisons and explanations."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from decision.explain import Explanation
from decision.reports.comparison import availability_text
from decision.results import ScenarioResult


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def print_ranking(result: ScenarioResult) -> None:
    """Rank, option, score, availability (or why not) and the top contributing criteria."""
    console = _console()
    perspective = f", perspective {result.perspective}" if result.perspective else ""
    table = Table(
        title=f"{result.title} ({result.scenario}): method {result.method['name']}{perspective}",
        title_justify="left",
    )
    table.add_column("rank", justify="right")
    table.add_column("option")
    table.add_column("score", justify="right")
    table.add_column("available")
    table.add_column("top criteria")
    for option in result.options:
        top = ", ".join(f"{c} {v:.3f}" for c, v in option.top_contributions())
        status = "yes" if option.available else "no: " + availability_text(option)
        score = f"{option.score:.3f}" if option.available else "-"
        table.add_row(
            str(option.rank), f"{option.title} [dim]({option.id})[/dim]", score, status, top
        )
    console.print(table)


def print_comparison(results: list[ScenarioResult]) -> None:
    """Ranks (and scores) of every option in every scenario."""
    console = _console()
    first = results[0]
    table = Table(title=f"{first.model_title}: rank (score) per scenario", title_justify="left")
    table.add_column("option")
    for r in results:
        table.add_column(r.scenario, justify="right")
    for option_id in first.option_ids:
        cells = []
        for r in results:
            o = r.option(option_id)
            cells.append(
                f"{o.rank} ({o.score:.3f})" if o.available else f"{o.rank} [dim](n/a)[/dim]"
            )
        table.add_row(first.option(option_id).title, *cells)
    console.print(table)


def print_explanation(explanation: Explanation) -> None:
    """Criterion-by-criterion breakdown of one option's score."""
    console = _console()
    option = explanation.option
    status = "available" if option.available else "unavailable"
    console.print(
        f"[bold]{option.title}[/bold] ({option.id}) in {explanation.scenario_title}: "
        f"rank {option.rank}, score {option.score:.3f}, {status}; "
        f"encodes: {option.recommendation}"
    )
    for failed in option.failed:
        console.print(f"  precondition fails: {failed.when}: {failed.reason}")
        for condition in failed.conditions:
            gap = f", short by {condition.gap:g}" if condition.gap is not None else ""
            values = ", ".join(f"{k} = {v:g}" for k, v in condition.values.items())
            console.print(f"    {condition.text} ({values}{gap})")
    table = Table(title_justify="left")
    for name in (
        "criterion",
        "weight",
        "judgement (low-high)",
        "indicator effects",
        "performance",
        "contribution",
    ):
        table.add_column(name)
    for line in explanation.criteria:
        effects = (
            "; ".join(
                f"{e.indicator} {e.baseline:g}->{e.value:g}: {e.shift:+.3f}" for e in line.effects
            )
            or "-"
        )
        table.add_row(
            line.criterion,
            f"{line.weight:.3f}",
            f"{line.judgement:.2f} ({line.low:.2f}-{line.high:.2f})",
            effects,
            f"{line.performance:.3f}",
            f"{line.contribution:.3f}",
        )
    console.print(table)
    for line in explanation.criteria:
        cites = ", ".join(f"{e['id']} [{e['locator']}]" for e in line.evidence)
        console.print(
            f"  [bold]{line.criterion}[/bold]: {line.rationale}" + (f" ({cites})" if cites else "")
        )
