"""Terminal output with rich: ranked tables, comparisons and explanations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO, cast

from rich.console import Console
from rich.table import Table

from decision.reports.comparison import availability_text
from decision.reports.visible import VisibleWriter

if TYPE_CHECKING:
    from decision.analyses.assumptions import AssumptionsRegister
    from decision.analyses.dominance import Dominance
    from decision.analyses.openings import Opening
    from decision.analyses.perspectives import PerspectiveComparison
    from decision.analyses.portfolio.problem import PortfolioReport
    from decision.analyses.tipping import TippingAnalysis
    from decision.analyses.tornado import Tornado
    from decision.analyses.weights import WeightSensitivity
    from decision.results import ScenarioResult
    from decision.study.explain import Explanation
    from decision.study.plain_matrix import MatrixRanking
    from decision.study.study import RobustnessReport, Study

PIPE_WIDTH = 200
#: Narrowest a wrapping text column is made in a narrow terminal (below it: records).
MIN_TEXT_WIDTH = 16


class _FittingConsole(Console):
    """A console that fits every table to its width without cutting anything off: cells wrap,
    and right-aligned columns (ranks, scores, shares) keep their full width and never wrap. A
    table too wide to keep its ids whole is printed as one record per row instead (see
    :func:`records`): an id folded over four lines of a 6-character column is unreadable."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        shown: list[Any] = []
        for item in objects:
            if isinstance(item, Table) and not fit_table(item, self):
                shown.append(records(item, self.width))
            else:
                shown.append(item)
        super().print(*shown, **kwargs)


def records(table: Table, width: int) -> str:
    """``table`` as one record per row, for a terminal too narrow for its columns: the first
    number (the rank) and the id on one line, then the other numbers as ``header value``
    pairs, then each text column as ``header: text``, wrapped to ``width`` and indented, so
    no id, header or number is ever split."""
    import textwrap

    columns = table.columns
    cells = [[str(c) for c in column._cells] for column in columns]  # rich keeps cells here
    numeric = [c.justify == "right" for c in columns]
    named = next((k for k, n in enumerate(numeric) if not n), None)
    lead = 0 if numeric and numeric[0] else None
    indent = "    "
    lines: list[str] = []
    if table.title:
        lines.append(str(table.title))
    for row in range(len(cells[0]) if cells else 0):
        head = " ".join(cells[k][row] for k in (lead, named) if k is not None)
        lines += textwrap.wrap(head, width, subsequent_indent=indent, break_long_words=False,
                               break_on_hyphens=False) or [""]
        pairs = [f"{columns[k].header} {cells[k][row]}" for k in range(len(columns))
                 if numeric[k] and k != lead and cells[k][row].strip()]
        if pairs:
            lines += textwrap.wrap(" · ".join(pairs), width, initial_indent=indent,
                                   subsequent_indent=indent, break_long_words=False)
        for k in range(len(columns)):
            if numeric[k] or k == named or not cells[k][row].strip():
                continue
            parts = cells[k][row].split("\n")  # a cell's own lines stay lines
            for n, part in enumerate(parts):
                first = f"{columns[k].header}: {part}" if n == 0 else part
                lines += textwrap.wrap(first, width,
                                       initial_indent=indent if n == 0 else indent + "  ",
                                       subsequent_indent=indent + "  ",
                                       break_long_words=False, break_on_hyphens=False)
    if table.caption:
        lines += textwrap.wrap(str(table.caption), width)
    return "\n".join(lines)


def fit_table(table: Table, console: Console) -> bool:
    """Fit ``table`` to the console's width without cutting anything off: numbers keep their
    full width and never wrap, the row's id (the first left-aligned column) stays whole, and
    the other columns share what is left, their text folding over lines (see
    :class:`_FittingConsole`). False when the id cannot stay whole with at least
    ``MIN_TEXT_WIDTH`` for every other text column: the table is then better as records."""
    columns = table.columns
    longest = []
    for column in columns:
        cells = [str(c) for c in column._cells]  # rich keeps a column's cells here
        longest.append(max((len(c) for c in [*cells, str(column.header)]), default=1))
        column.overflow = "fold"
    numeric = [c.justify == "right" for c in columns]
    named = next((k for k, n in enumerate(numeric) if not n), None)
    # each column takes a padding of 2 and a border, plus the closing border
    overhead = 3 * len(columns) + 1
    fixed = sum(w for w, n in zip(longest, numeric, strict=True) if n)
    for keep_id in (True, False):
        whole = [k for k, n in enumerate(numeric) if n or (keep_id and k == named)]
        fixed_here = fixed + (longest[named] if keep_id and named is not None else 0)
        rest = [k for k in range(len(columns)) if k not in whole]
        room = console.width - overhead - fixed_here
        if room >= MIN_TEXT_WIDTH * len(rest):  # with no text column left: room >= 0
            break
        if keep_id and named is not None and longest[named] <= console.width - 4:
            return False  # as records every id stays whole; longer ones fold anyway
    for k, column in enumerate(columns):
        if k in whole:
            column.no_wrap = numeric[k]
            column.min_width = longest[k]
            column.max_width = None
        else:
            share = max(MIN_TEXT_WIDTH, room // max(len(rest), 1))
            column.no_wrap, column.min_width = False, None
            column.max_width = share if longest[k] > share else None
    return True


def _console() -> Console:
    """A console that fits tables to the terminal (see :class:`_FittingConsole`); when output
    is piped, ``$COLUMNS`` wide, else wide enough that tables need not wrap. Invisible
    characters in titles and descriptions are shown as ``[U+XXXX]`` (see
    :mod:`decision.reports.visible`)."""
    import os
    import sys

    stream = cast(TextIO, VisibleWriter(sys.stdout))
    console = _FittingConsole(highlight=False, soft_wrap=False, file=stream)
    if not console.is_terminal and not os.environ.get("COLUMNS", "").isdigit():
        console.width = PIPE_WIDTH
    return console


def print_ranking(result: ScenarioResult) -> None:
    """Rank, option, score, availability (or why not) and the top contributing criteria."""
    console = _console()
    perspective = f", perspective {result.perspective}" if result.perspective else ""
    table = Table(
        title=f"{result.title} ({result.scenario}): method {result.method['name']}{perspective}",
        title_justify="left",
    )
    sampled = result.samples > 1
    table.add_column("rank", justify="right")
    table.add_column("option")
    table.add_column("score", justify="right")
    if sampled:
        table.add_column("mean ± sd", justify="right")
        table.add_column("P(1st)", justify="right")
        table.add_column("P(avail.)", justify="right")
    table.add_column("available")
    table.add_column("top criteria")
    for option in result.options:
        top = ", ".join(f"{c} {v:.2f}" for c, v in option.top_contributions())
        status = "yes" if option.available else "no: " + availability_text(option)
        score = f"{option.score:.3f}" if option.available else "-"
        extra = []
        if sampled and option.uncertainty is not None:
            u = option.uncertainty
            extra = [
                f"{u.score_mean:.3f} ± {u.score_sd:.3f}" if u.availability else "-",
                f"{u.p_first:.1%}",
                f"{u.availability:.0%}",
            ]
        table.add_row(str(option.rank), option.id, score, *extra, status, top)
    console.print(table)
    if sampled:
        console.print(
            f"[dim]{result.samples:,} Monte Carlo samples, seed {result.seed}; rank and score are "
            "at the central values, P(1st) is the first-rank acceptability.[/dim]"
        )


def print_comparison(study: Study) -> None:
    """Ranks (and scores) of every option in every scenario; method agreement if computed."""
    console = _console()
    results = study.results
    first = results[0]
    table = Table(
        title=f"{first.model_title}: rank (score) per scenario, with P(1st) where sampled",
        title_justify="left",
    )
    table.add_column("option")
    for r in results:
        table.add_column(r.scenario, justify="right")
    for option_id in first.option_ids:
        cells = []
        for r in results:
            o = r.option(option_id)
            cell = f"{o.rank} ({o.score:.3f})" if o.available else f"{o.rank} [dim](n/a)[/dim]"
            if o.uncertainty is not None:
                cell += f" {o.uncertainty.p_first:.0%}"
            cells.append(cell)
        table.add_row(option_id, *cells)
    console.print(table)
    for comparison in study.method_comparisons:
        agreement = ", ".join(f"{a.a}/{a.b} tau {a.kendall_tau:.2f}" for a in comparison.agreement)
        verdict = "same top option" if comparison.same_top else "methods disagree on the top"
        tops = ", ".join(f"{m}: {t}" for m, t in comparison.top.items())
        console.print(f"{comparison.scenario}: {verdict} ({tops}); {agreement}")


def print_robustness(report: RobustnessReport) -> None:
    """Robustness measures per option, and which option each measure picks."""
    console = _console()
    measures = report.result.measures()
    table = Table(
        title=f"Robustness across {len(report.scenarios)} scenarios", title_justify="left"
    )
    table.add_column("option")
    for name in measures:
        table.add_column(name, justify="right")
    for k, option in enumerate(report.options):
        table.add_row(option, *(f"{float(values[k]):.3f}" for values in measures.values()))
    console.print(table)
    picks = ", ".join(f"{m}: {report.options[o]}" for m, o in report.result.picks.items())
    console.print(f"picks: {picks}")


def print_matrix_ranking(ranking: MatrixRanking) -> None:
    """A plain matrix's ranking."""
    console = _console()
    params = ", ".join(f"{k}={v}" for k, v in ranking.method.items() if k != "name")
    method = ranking.method["name"] + (f" ({params})" if params else "")
    table = Table(title=f"{ranking.file}: {method}", title_justify="left")
    for name in ("rank", "option", "score"):
        table.add_column(name, justify="right" if name != "option" else "left")
    for row in ranking.options:
        table.add_row(str(row["rank"]), row["option"], f"{row['score']:.4f}")
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
    parts = [line.likelihood for line in explanation.criteria if line.likelihood is not None]
    if parts:
        console.print(f"  [bold]likelihood of success[/bold] {parts[0].p:g}: {parts[0].rationale}")
    for line in explanation.criteria:
        if line.likelihood is not None:
            part = line.likelihood
            console.print(
                f"  {line.criterion}: {part.p:.2f} x {part.success:.3f} if it succeeds "
                f"+ {1 - part.p:.2f} x {part.failure:.3f} if it fails ({part.failure_from}) "
                f"= {line.performance:.3f}"
            )
    for line in explanation.criteria:
        cites = ", ".join(f"{e['id']} [{e['locator']}]" for e in line.evidence)
        console.print(
            f"  [bold]{line.criterion}[/bold]: {line.rationale}" + (f" ({cites})" if cites else "")
        )


def print_sensitivity(
    scenario: str,
    weights: WeightSensitivity,
    tornado: Tornado,
    perspectives: PerspectiveComparison,
    dominance: Dominance,
) -> None:
    """Weight stability per criterion, the tornado of the top options, perspectives and the
    dominated options."""
    console = _console()
    how = "exact" if weights.exact else f"scan + bisection to {weights.tolerance:g}"
    table = Table(
        title=f"{scenario}: weight stability ({how}; others rescaled in proportion)",
        title_justify="left",
    )
    for name in (
        "criterion",
        "weight",
        "top stays first for",
        "ranking unchanged for",
        "crossovers",
    ):
        table.add_column(name)
    for c in weights.criteria:
        crossings = (
            "; ".join(f"{x.overtaking} passes {x.overtaken} at {x.t:.3f}" for x in c.crossovers)
            or "none"
        )
        table.add_row(
            c.criterion,
            f"{c.weight:.3f}",
            f"{c.top_interval[0]:.3f}-{c.top_interval[1]:.3f}",
            f"{c.ranking_interval[0]:.3f}-{c.ranking_interval[1]:.3f}",
            crossings,
        )
    console.print(table)
    for option in tornado.options:
        bars = Table(
            title=f"tornado: {option.option} (rank {option.rank}, score {option.score:.3f})",
            title_justify="left",
        )
        for name in ("input", "range", "score at low", "score at high", "swing"):
            bars.add_column(name, justify="left" if name == "input" else "right")
        for bar in option.bars[:8]:
            bars.add_row(
                bar.input,
                f"{bar.low:g}-{bar.high:g}",
                f"{bar.score_low:.3f}",
                f"{bar.score_high:.3f}",
                f"{bar.swing:.3f}",
            )
        console.print(bars)
    table = Table(title="rank under each perspective", title_justify="left")
    table.add_column("option")
    for ranking in perspectives.rankings:
        table.add_column(ranking.name, justify="right")
    for option_id in perspectives.rankings[0].ranks:
        table.add_row(option_id, *(str(r.ranks[option_id]) for r in perspectives.rankings))
    console.print(table)
    agree = "agree" if perspectives.agree_on_top else "disagree"
    console.print(f"the perspectives {agree} on the top option")
    for change in perspectives.what_to_believe:
        console.print(f"  {change.sentence()}")
    print_dominance(console, dominance)


def print_dominance(console: Console, dominance: Dominance) -> None:
    """Each dominated option and the available options that dominate it."""
    if not dominance.dominated:
        console.print("no option is dominated by an available option")
        return
    for item in dominance.dominated:
        more = item.by_total - len(item.by)
        by = ", ".join(item.by) + (f" and {more} more" if more > 0 else "")
        status = "" if item.available else " (unavailable)"
        console.print(f"{item.option}{status} is dominated by {by}")


def print_tipping(scenario: str, tipping: TippingAnalysis, openings: list[Opening]) -> None:
    """Tipping points per indicator, in words, and what opens each gated option."""
    console = _console()
    table = Table(
        title=f"{scenario}: tipping points (top option now: {tipping.top})",
        title_justify="left",
    )
    for name in ("indicator", "value", "moving up", "moving down"):
        table.add_column(name)
    for indicator in tipping.indicators:
        table.add_row(
            indicator.indicator,
            f"{indicator.value:g}",
            "\n".join(indicator.summary("up")),
            "\n".join(indicator.summary("down")),
        )
    console.print(table)
    for opening in openings:
        console.print(f"  {opening.sentence()}")


def print_assumptions(scenario: str, assumptions: AssumptionsRegister) -> None:
    """The assumptions register: the judgements that move the result, most influential
    first, with the range used, whether the outcome changes, and why."""
    console = _console()
    register = assumptions
    headline = (
        f"lead of {register.top} {register.lead:.3f}"
        if register.measure == "lead"
        else f"package value {register.package_value:.3f}"
    )
    console.print(
        f"[bold]{scenario}[/bold]: {register.considered} judgements in use; "
        f"{len(register.rows)} move the result ({headline}), {len(register.unmoved)} do not"
    )
    table = Table(title=f"influence on the {register.measure}", title_justify="left")
    for name in ("judgement", "value", "range", "influence", "changes", "why"):
        table.add_column(name, justify="right" if name in ("value", "influence") else "left")
    for row in register.rows:
        changes = " and ".join(
            part
            for part, flag in (("top", row.flips_top), ("package", row.flips_package))
            if flag
        )
        table.add_row(
            row.key_path,
            f"{row.value:g}",
            f"{row.low:g}-{row.high:g}" + ("" if row.range == "given" else " (default)"),
            f"{row.influence:.3f}",
            changes or "no",
            row.reason or "no reason given",
        )
    console.print(table)
    console.print("default bands: " + "; ".join(register.default_bands.values()))


def print_portfolio(report: PortfolioReport) -> None:
    """Best bundle, the most probable bundles, per-option indices and the frontiers."""
    console = _console()
    result = report.result
    budgets = ", ".join(
        f"{r} {'unlimited' if b is None else f'{b:g}'}" for r, b in report.budgets.items()
    )
    console.print(
        f"[bold]{report.scenario}[/bold]: best bundle {' + '.join(report.best_members) or '(none)'}"
        f" (value {result.best.value:.3f} over {report.reference or 'nothing'}); budgets: "
        f"{budgets or 'none'}"
    )
    if result.n_samples > 1:
        table = Table(
            title=f"most often best over {result.n_samples:,} samples", title_justify="left"
        )
        for name in ("bundle", "P(best)", "mean value"):
            table.add_column(name, justify="left" if name == "bundle" else "right")
        for bundle in result.top_bundles[:5]:
            members = " + ".join(report.options[i] for i in bundle.members) or "(none)"
            table.add_row(members, f"{bundle.probability:.1%}", f"{bundle.value:.3f}")
        console.print(table)
    table = Table(title="options", title_justify="left")
    for name in ("option", "in best bundle", "core index", "class", "marginal value"):
        table.add_column(name, justify="left" if name in ("option", "class") else "right")
    for i, option in enumerate(report.options):
        table.add_row(
            option,
            f"{result.in_best[i]:.0%}",
            f"{result.core_index[i]:.2f}",
            result.core_class[i],
            f"{result.marginal[i]:.3f}",
        )
    console.print(table)
    for k, resource in enumerate(report.resources):
        frontier = Table(
            title=f"efficient frontier: value against {resource}", title_justify="left"
        )
        for name in ("cost", "value", "bundle", "within budget"):
            frontier.add_column(name, justify="left" if name == "bundle" else "right")
        for point in result.frontiers[k]:
            members = " + ".join(report.options[i] for i in point.members) or "(none)"
            frontier.add_row(
                f"{point.cost:g}",
                f"{point.value:.3f}",
                members,
                "yes" if point.within_budget else "no",
            )
        console.print(frontier)
