"""The ``decision`` command line: validate, run, compare, explain, schema.

Exit status: 0 ok, 2 bad input (one line on stderr naming file, line, key path, what is wrong
and what is allowed), 1 internal error. Heavy modules are imported inside the commands so that
start-up stays fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from decision.cli.distributed import (
    distributed_run,
    progress_reports,
    with_distributed_options,
)
from decision.cli.elicit import elicit_command
from decision.cli.explore import explore_command
from decision.cli.init import init_command
from decision.cli.lint import lint_command
from decision.cli.plan import plan_command
from decision.errors import DecisionError
from decision.results import to_data

if TYPE_CHECKING:
    from decision.core.compile import CompiledModel
    from decision.specs import MethodChoice
    from decision.specs.resolved import LoadedModel
    from decision.study.study import Study


#: How the command line names the arguments of the Python functions it calls: an error in an
#: argument names the flag here (``--perspective``), the parameter in Python (``perspective``).
CLI_ARGUMENTS = {
    "perspective": "--perspective",
    "method": "--method",
    "weights": "--weights",
    "types": "--types",
    "params": "--param",
    "option_id": "OPTION",
}


def _method_choice(name: str | None) -> MethodChoice | None:
    if name is None:
        return None
    from decision.core.methods import get_method
    from decision.specs import MethodChoice

    return MethodChoice(name=get_method(name, ("--method",)).name)


def _method_list(text: str | None) -> list[MethodChoice]:
    """``--methods wsm,topsis,vikor`` as method choices (each name checked)."""
    if not text:
        return []
    choices = [_method_choice(part.strip()) for part in text.split(",") if part.strip()]
    return [c for c in choices if c is not None]


def _study(
    paths: Sequence[str],
    method: str | None,
    perspective: str | None,
    samples: int | None,
    seed: int | None,
    methods: str | None = None,
    threshold: float | None = None,
    with_sensitivity: bool = False,
) -> Study:
    from decision.study.study import run_study

    choice = _method_choice(method)
    with progress_reports() as report:
        return run_study(
            paths,
            allow_any_path=_allow_any_path(),
            method=choice,
            methods=_method_list(methods),
            perspective=perspective,
            samples=samples,
            seed=seed,
            threshold=threshold,
            with_sensitivity=with_sensitivity,
            progress=report,
            argument_names=CLI_ARGUMENTS,
        )


def _print_json(data: Any, model: CompiledModel | None = None) -> None:
    """``data`` as indented JSON; with the ``model`` it came from, its yes/no indicators'
    values as true/false (the engine holds them as 0.0 and 1.0)."""
    if model is not None:
        from decision.results.booleans import booleans_as_bools

        booleans_as_bools(data, {n for n, b in zip(model.indicators, model.is_boolean,
                                                    strict=True) if b})
    from decision.reports.visible import json_output

    click.echo(json_output(data))


class _ShortIntRange(click.IntRange):
    """click's IntRange, but over-long text is refused without echoing it whole."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and len(value.strip()) > 30:
            from decision.errors import abbreviate

            text = value.strip()
            self.fail(
                f"'{abbreviate(text, 24)}' ({len(text):,} characters) is not an integer in the "
                f"range {self.min}..{self.max}",
                param,
                ctx,
            )
        return super().convert(value, param, ctx)


_ALLOW_ANY_PATH = "decision.allow_any_path"


def _remember_allow_any_path(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    ctx.meta[_ALLOW_ANY_PATH] = value


def _allow_any_path() -> bool:
    """Whether the running command was given ``--allow-any-path``."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(_ALLOW_ANY_PATH))


#: A scenario's ``model`` and ``extends`` may name only YAML files inside its project unless
#: this flag is given (the value is kept in the click context, read by ``_study``).
allow_any_path_option = click.option(
    "--allow-any-path",
    is_flag=True,
    expose_value=False,
    callback=_remember_allow_any_path,
    help="Let scenarios name model and extends files anywhere (absolute paths, outside the "
    "folder above the scenario's folder, any file name).",
)

scenario_options = [
    click.option(
        "--method", default=None, help="Aggregation method (overrides model and scenario)."
    ),
    click.option("--perspective", default=None, help="Weight set of the model to use."),
    click.option(
        "--samples",
        type=_ShortIntRange(1, 1_000_000_000_000),
        default=None,
        help="Monte Carlo samples (overrides the scenario).",
    ),
    click.option("--seed", type=_ShortIntRange(0, 2**64 - 1), default=None, help="Random seed."),
    allow_any_path_option,
]


def with_scenario_options(func: Any) -> Any:
    for option in reversed(scenario_options):
        func = option(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policy-decision-brief", prog_name="decision")
def cli() -> None:
    """Decision models for policy briefs: rank options across scenarios, and say why."""


cli.add_command(init_command)
cli.add_command(plan_command)
cli.add_command(explore_command)
cli.add_command(lint_command)
cli.add_command(elicit_command)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@allow_any_path_option
@click.option(
    "--source",
    default=None,
    metavar="PATH",
    help="The source text: check that every evidence figure of the models occurs in it.",
)
def validate(paths: tuple[str, ...], source: str | None) -> None:
    """Check model and scenario files; print one line per file, and every independent
    problem of a file (up to 20), each on its own line."""
    from decision.files.yamlio import load_yaml
    from decision.load.loading import (
        MAX_PROBLEMS,
        file_kind,
        model_file_problems,
        scenario_file_problems,
    )

    source_text = _read_source(source) if source is not None else None
    missing_figures = 0
    problems: list[DecisionError] = []
    for path in paths:
        found: list[DecisionError] = []
        try:
            document = load_yaml(Path(path))  # read once, handed on
            data = document.data
            kind = file_kind(data) or (
                "model" if isinstance(data, dict) and "options" in data else "scenario"
            )
            if kind == "scenario":
                scenario, found = scenario_file_problems(
                    path, allow_any_path=_allow_any_path(), document=document
                )
                if scenario is not None:
                    click.echo(f"ok  {path}: scenario '{scenario.id}'")
            else:
                model, found = model_file_problems(path, document=document)
                if model is not None:
                    spec = model.spec
                    click.echo(
                        f"ok  {path}: model '{spec.id}' ({len(spec.options)} options, "
                        f"{len(spec.criteria)} criteria, {len(spec.indicators)} indicators)"
                    )
                    if source_text is not None:
                        missing_figures += _check_figures(model, source_text, str(source))
                    from decision.load.lint import lint_model

                    for warning in lint_model(spec, document, model.stakeholders):
                        click.echo(f"warning: {warning.one_line()}", err=True)
        except DecisionError as exc:
            found = [exc]
        if len(found) > MAX_PROBLEMS:
            found = [
                *found[:MAX_PROBLEMS],
                DecisionError(
                    "more problems not shown",
                    file=path,
                    allowed=f"at most {MAX_PROBLEMS} are listed per file: fix these and run "
                    "validate again",
                ),
            ]
        problems.extend(found)
    if problems:  # one line each; the last ends the run with status 2
        for problem in problems[:-1]:
            click.echo(f"error: {problem.one_line()}", err=True)
        raise problems[-1]
    if missing_figures:
        raise DecisionError(
            f"{missing_figures} evidence figure(s) not found in '{source}'",
            key_path="evidence",
            allowed="figures exactly as the source prints them "
            "(line breaks and hyphenation are tolerated)",
        )


#: Largest source text ``validate --source`` reads (a long brief as text is well under 1 MB).
MAX_SOURCE_BYTES = 20_000_000


def _read_source(source: str) -> str:
    """The source text: a regular file of at most ``MAX_SOURCE_BYTES``, read as UTF-8."""
    from decision.files.safe_read import read_bytes_limited

    raw = read_bytes_limited(source, MAX_SOURCE_BYTES, "source text", key_path="--source")
    return raw.decode("utf-8", errors="replace")


def _check_figures(model: LoadedModel, source_text: str, source: str) -> int:
    """Print each evidence figure the source lacks (file:line: ...); return how many."""
    from decision.load.evidence import check_evidence

    missing = check_evidence(model.spec, source_text)
    for item in missing:
        where = model.document.locate(item.key_path)
        at = f"{model.path}:{where[0]}:{where[1]}" if where else str(model.path)
        click.echo(f"error: {at}: {item.message()}", err=True)
    if not missing:
        figures = sum(len(e.figures) for e in model.spec.evidence.values())
        click.echo(f"ok  {model.path}: all {figures} evidence figures occur in {source}")
    return len(missing)


@cli.command(name="provenance")
@click.argument("path")
@allow_any_path_option
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
def provenance_command(path: str, as_json: bool) -> None:
    """Say where every number of a model (or a scenario and its model) comes from: the
    source's figures, arithmetic on them, or a judgement; counts, then every judgement."""
    from decision.load.provenance_table import describe, provenance

    table = provenance(path, allow_any_path=_allow_any_path())
    if as_json:
        _print_json(to_data(table))
        return
    click.echo("\n".join(describe(table)))


@cli.command()
@click.argument("scenario")
@with_scenario_options
@with_distributed_options
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def run(
    scenario: str,
    method: str | None,
    perspective: str | None,
    samples: int | None,
    seed: int | None,
    scheduler: str | None,
    checkpoint: Path | None,
    task_samples: int | None,
    as_json: bool,
) -> None:
    """Rank the options of one scenario."""
    with distributed_run(scheduler, checkpoint, task_samples, [scenario]):
        (run,) = _study([scenario], method, perspective, samples, seed).runs
    result = run.result
    if as_json:
        _print_json(result.to_dict(), run.model)
        return
    from decision.cli.terminal import print_ranking

    print_ranking(result)


@cli.command()
@click.argument("scenarios", nargs=-1, required=True)
@with_scenario_options
@with_distributed_options
@click.option(
    "--out",
    "out_dir",
    default=None,
    metavar="DIR",
    help="Write the report here (brief.md, brief.html, report.md, report.html, results.json, "
    "manifest.json, charts/, comparison.md/json); without it nothing is written.",
)
@click.option(
    "--methods",
    default=None,
    help="Also rank under these methods, e.g. wsm,topsis,vikor,promethee.",
)
@click.option(
    "--threshold",
    type=float,
    default=None,
    help="Score an option must reach to count as satisficing (robustness).",
)
@click.option(
    "--pdf",
    is_flag=True,
    help="With --out, also print brief.pdf (one A4 page) with headless Chromium.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
def compare(
    scenarios: tuple[str, ...],
    method: str | None,
    perspective: str | None,
    samples: int | None,
    seed: int | None,
    scheduler: str | None,
    checkpoint: Path | None,
    task_samples: int | None,
    out_dir: str | None,
    methods: str | None,
    threshold: float | None,
    pdf: bool,
    as_json: bool,
) -> None:
    """Compare ranks and scores across scenarios; with --out, write the report."""
    from decision.reports.destination import check_out_against_study, checked_out_dir

    out = None if out_dir is None else checked_out_dir(out_dir, scenarios, "--out")
    if pdf:
        from decision.reports.pdf import require_chromium

        if out is None:
            raise click.UsageError("--pdf needs --out")
        require_chromium()  # fail before the study runs
    with distributed_run(scheduler, checkpoint, task_samples, scenarios):
        study = _study(
            list(scenarios),
            method,
            perspective,
            samples,
            seed,
            methods,
            threshold,
            with_sensitivity=True,
        )
    written: list[Path] = []
    if out is not None:
        from decision.reports.writer import write_report

        check_out_against_study(out, out_dir or "", study, "--out")
        written = write_report(study, out, pdf=pdf)
    if as_json:
        _print_json(to_data(study.comparison()), study.runs[0].model)
        return
    from decision.cli.terminal import print_comparison

    print_comparison(study)
    if out is not None:
        from decision.reports.explorer import explorer_notes

        for note in explorer_notes(study):
            click.echo(f"note: {note}", err=True)
        brief = Path(out_dir or ".") / "brief.md"
        click.echo(f"wrote {len(written)} files to {out_dir} (report.md, report.html, ...); "
                   f"the one-page brief: {brief}", err=True)


@cli.command()
@click.argument("scenario")
@click.argument("option")
@with_scenario_options
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
def explain(
    scenario: str,
    option: str,
    method: str | None,
    perspective: str | None,
    samples: int | None,
    seed: int | None,
    as_json: bool,
) -> None:
    """Explain one option's score and availability in one scenario."""
    from decision.study.explain import explain_option

    (run,) = _study([scenario], method, perspective, samples, seed).runs
    explanation = explain_option(run, option, CLI_ARGUMENTS)
    if as_json:
        _print_json(to_data(explanation), run.model)
        return
    from decision.cli.terminal import print_explanation

    print_explanation(explanation)


@cli.command()
@click.argument("scenarios", nargs=-1, required=True)
@with_scenario_options
@click.option(
    "--alpha",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help="Hurwicz optimism: weight on the best case.",
)
@click.option(
    "--percentile",
    type=click.FloatRange(0, 100, min_open=True),
    default=90.0,
    show_default=True,
    help="Percentile of regret to report.",
)
@click.option(
    "--threshold",
    type=float,
    default=None,
    help="Score an option must reach to count as satisficing.",
)
@with_distributed_options
@click.option("--json", "as_json", is_flag=True, help="Print the measures as JSON.")
def robustness(
    scenarios: tuple[str, ...],
    method: str | None,
    perspective: str | None,
    samples: int | None,
    seed: int | None,
    alpha: float,
    percentile: float,
    threshold: float | None,
    scheduler: str | None,
    checkpoint: Path | None,
    task_samples: int | None,
    as_json: bool,
) -> None:
    """Which option holds up across scenarios: expected value, worst case, regret, ..."""
    from decision.study.study import robustness_report

    with distributed_run(scheduler, checkpoint, task_samples, scenarios):
        study = _study(list(scenarios), method, perspective, samples, seed)
    report = robustness_report(
        study.runs, hurwicz_alpha=alpha, regret_percentile=percentile, threshold=threshold
    )
    if as_json:
        _print_json(to_data(report), study.runs[0].model)
        return
    from decision.cli.terminal import print_robustness

    print_robustness(report)


def _show_analyses(
    scenario: str,
    options: tuple[str | None, str | None, int | None, int | None],
    as_json: bool,
    names: tuple[str, ...],
    printer: Callable[..., None],
) -> None:
    """Run the named analyses (rows of the registry) of one scenario; print them as JSON or
    with ``printer(scenario, **parts)``."""
    from decision.study.study import ScenarioAnalyses, analyse

    (run,) = _study([scenario], *options).runs
    parts = analyse(run, names)
    if as_json:
        _print_json(to_data(ScenarioAnalyses(run.scenario, parts)), run.model)
        return
    printer(run.scenario, **parts)


@cli.command(name="sensitivity")
@click.argument("scenario")
@with_scenario_options
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON.")
def sensitivity_command(
    scenario: str,
    method: str | None,
    perspective: str | None,
    samples: int | None,
    seed: int | None,
    as_json: bool,
) -> None:
    """What would change the recommendation: weights, tornado, perspectives, dominance."""
    from decision.cli.terminal import print_sensitivity

    options = (method, perspective, samples, seed)
    names = ("weights", "tornado", "perspectives", "dominance")
    _show_analyses(scenario, options, as_json, names, print_sensitivity)


@cli.command()
@click.argument("scenario")
@with_scenario_options
@click.option("--json", "as_json", is_flag=True, help="Print the tipping points as JSON.")
def tipping(
    scenario: str,
    method: str | None,
    perspective: str | None,
    samples: int | None,
    seed: int | None,
    as_json: bool,
) -> None:
    """How far each indicator must move to change the outcome; what opens gated options."""
    from decision.cli.terminal import print_tipping

    options = (method, perspective, samples, seed)
    _show_analyses(scenario, options, as_json, ("tipping", "openings"), print_tipping)


@cli.command(name="assumptions")
@click.argument("scenario")
@with_scenario_options
@click.option("--json", "as_json", is_flag=True, help="Print the register as JSON.")
def assumptions_command(
    scenario: str,
    method: str | None,
    perspective: str | None,
    samples: int | None,
    seed: int | None,
    as_json: bool,
) -> None:
    """The assumptions register: every judgement that moves the result, most influential
    first (moved across its range, or a default band)."""
    from decision.cli.terminal import print_assumptions

    options = (method, perspective, samples, seed)
    _show_analyses(scenario, options, as_json, ("assumptions",), print_assumptions)


@cli.command(name="portfolio")
@click.argument("scenario")
@with_scenario_options
@click.option(
    "--budget",
    "budgets",
    multiple=True,
    metavar="RESOURCE=AMOUNT",
    help="A budget for one resource, overriding the scenario's (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON.")
def portfolio_command(
    scenario: str,
    method: str | None,
    perspective: str | None,
    samples: int | None,
    seed: int | None,
    budgets: tuple[str, ...],
    as_json: bool,
) -> None:
    """The recommendations as a portfolio: best bundle within budgets, frontier, core index."""
    from decision.analyses.portfolio.problem import parse_budgets, portfolio

    (run,) = _study([scenario], method, perspective, samples, seed).runs
    chosen = parse_budgets(budgets, list(run.model.spec.resources))
    report = portfolio(run.model, run.inputs, chosen)
    if as_json:
        _print_json(to_data(report), run.model)
        return
    from decision.cli.terminal import print_portfolio

    print_portfolio(report)


@cli.command(name="export")
@click.argument("scenario")
@scenario_options[0]
@scenario_options[1]
@scenario_options[3]
@allow_any_path_option
@click.option(
    "--xmcda",
    "xmcda_out",
    required=True,
    metavar="FILE",
    help="Write the scenario as XMCDA 4.0.0 to FILE ('-': standard output).",
)
def export_command(
    scenario: str,
    method: str | None,
    perspective: str | None,
    seed: int | None,
    xmcda_out: str,
) -> None:
    """Write one scenario for other MCDA tools: XMCDA 4 (Decision Deck) alternatives, criteria
    (directions, weights, PROMETHEE thresholds) and the performance table at the point values;
    `decision rank FILE.xml` reads it back."""
    from decision.study.api import export_xmcda

    (run,) = _study([scenario], method, perspective, 1, seed).runs
    if xmcda_out == "-":
        click.echo(export_xmcda(run).decode(), nl=False)
        return
    names = {**CLI_ARGUMENTS, "out": "--xmcda"}
    export_xmcda(run, xmcda_out, argument_names=names)
    model = run.model
    click.echo(
        f"wrote {xmcda_out} (XMCDA 4.0.0: {len(model.options)} alternatives, "
        f"{len(model.criteria)} criteria)",
        err=True,
    )


@cli.command()
@click.argument("matrix")
@click.option(
    "--weights",
    "weights_text",
    default=None,
    help="Comma-separated weights, or entropy or critic: objective weights from the matrix "
    "(required unless an XMCDA file gives them).",
)
@click.option(
    "--types",
    "types_text",
    default=None,
    help="Comma-separated criterion types: 1/-1 or benefit/cost (required unless an XMCDA "
    "file gives the criteria's directions).",
)
@click.option("--method", default="topsis", show_default=True, help="Aggregation method.")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A method parameter, e.g. --param normalisation=minmax (repeatable).",
)
@click.option(
    "--preference",
    "preference_text",
    metavar="FUNCTIONS",
    help="PROMETHEE preference function (usual, ushape, vshape, level, linear, gaussian): one "
    "for every criterion, or comma-separated, one per criterion.",
)
@click.option("--q", "q_text", metavar="VALUES",
              help="PROMETHEE indifference thresholds in criterion units: one, or one per "
              "criterion (leave an entry empty where the function takes none).")
@click.option("--p", "p_text", metavar="VALUES", help="PROMETHEE preference thresholds, as --q.")
@click.option("--s", "s_text", metavar="VALUES", help="PROMETHEE Gaussian scales, as --q.")
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON.")
def rank(
    matrix: str,
    weights_text: str | None,
    types_text: str | None,
    method: str,
    params: tuple[str, ...],
    preference_text: str | None,
    q_text: str | None,
    p_text: str | None,
    s_text: str | None,
    as_json: bool,
) -> None:
    """Rank a plain decision matrix (CSV, YAML or XMCDA 4), as pymcdm or scikit-criteria would.

    An XMCDA file's weights, criteria directions and PROMETHEE thresholds are used where
    --weights, --types and --preference are not given. SPOTIS takes the matrix's observed
    ranges as its bounds unless --param bounds=low:high,... declares them.
    """
    from decision.core.methods.cli_params import objective_weights_text, rank_params
    from decision.study.plain_matrix import file_defaults, rank_matrix

    params = rank_params(method, params, preference_text, q_text, p_text, s_text)
    given_weights = weights_text
    weights_text, types_text, params = file_defaults(
        matrix, weights_text, types_text, method, params
    )
    if given_weights is not None:
        weights_text = objective_weights_text(matrix, weights_text, types_text)
    ranking = rank_matrix(matrix, weights_text, types_text, method, params, CLI_ARGUMENTS)
    if as_json:
        _print_json(to_data(ranking))
        return
    from decision.cli.terminal import print_matrix_ranking

    print_matrix_ranking(ranking)


@cli.command()
@click.option(
    "--kind",
    type=click.Choice(["model", "scenario", "stakeholder", "both", "results"]),
    default="both",
    show_default=True,
    help="Which file kind's schema to print (both: model and scenario; results: a report's "
    "results.json).",
)
@click.option(
    "--reference",
    is_flag=True,
    help="Print the field reference (Markdown: every key, type, range, default, an example) "
    "instead; docs/reference.md is this output.",
)
def schema(kind: str, reference: bool) -> None:
    """Print the JSON Schema of model and scenario files (for editors and validators), or of
    a report's results.json."""
    if kind == "results" and not reference:
        from decision.reports.schema import results_schema

        _print_json(results_schema())
        return
    if reference:
        from decision.load.loading import file_caps
        from decision.specs.reference import render_reference

        click.echo(render_reference(file_caps()), nl=False)
        return
    from decision.specs.schema import file_schema

    if kind == "stakeholder":
        _print_json(file_schema("stakeholder"))
        return
    schemas = {"model": file_schema("model"), "scenario": file_schema("scenario")}
    _print_json(schemas if kind == "both" else schemas[kind])


def _fail(message: str, status: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(status)


class Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C (partial output is never put in place)."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


class _Interrupt:
    """Whether Ctrl-C (SIGINT) arrived during this run. A library may turn the
    KeyboardInterrupt it raised into an error of its own (pydantic-core reports one raised while
    it builds a validator as a SchemaError); the run must still end as Ctrl-C ends it."""

    seen = False


def _on_sigint(signum: int, frame: object) -> None:
    _Interrupt.seen = True
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the CLI, turning every failure into one line and an exit status
    (SIGINT ends with 130 and SIGTERM with 143, each after the run has unwound)."""
    import signal
    import threading
    import warnings

    shown = warnings.showwarning
    warnings.showwarning = _show_warning
    _tolerate_narrow_encodings()
    try:
        if threading.current_thread() is not threading.main_thread():
            _main(argv)  # signal handlers can only be set in the main thread
            return
        _Interrupt.seen = False
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
        previous_int = signal.signal(signal.SIGINT, _on_sigint)
        try:
            _main(argv)
        finally:
            signal.signal(signal.SIGTERM, previous)
            signal.signal(signal.SIGINT, previous_int)
    finally:
        warnings.showwarning = shown


def _tolerate_narrow_encodings() -> None:
    """Under a locale whose encoding is not Unicode (``LC_ALL=POSIX``, ``C`` without UTF-8
    coercion) titles with dashes or accents could not be printed: such a stream writes what it
    cannot encode as backslash escapes (``\u2014``, which JSON reads back) instead of ending
    the run in an internal error."""
    import io

    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if isinstance(stream, io.TextIOWrapper) and not encoding.startswith("utf"):
            stream.reconfigure(errors="backslashreplace")


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """A warning from a library as one line on stderr, without its source path."""
    click.echo(f"warning: {' '.join(str(message).split())}", err=True)


class OutputError(Exception):
    """Standard output cannot be written (a full disk, /dev/full, a closed terminal)."""


class _GuardedOutput:
    """Standard output whose write failures become :class:`OutputError` (one line, not an
    internal error); everything else is the stream's own."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(exc.strerror or str(exc)) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(exc.strerror or str(exc)) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush cannot fail too."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(null)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends


def _main(argv: Sequence[str] | None) -> None:
    real_stdout = sys.stdout
    sys.stdout = _GuardedOutput(real_stdout)
    try:
        _run(argv)
        sys.stdout.flush()
    except OutputError as exc:
        sys.stdout = real_stdout
        _silence_stdout()
        _fail(f"cannot write to standard output: {exc}", 2)
    finally:
        if isinstance(sys.stdout, _GuardedOutput):
            sys.stdout = real_stdout


def _run(argv: Sequence[str] | None) -> None:
    try:
        # click's own main() would catch Ctrl-C and print a blank line before its Abort (to
        # close a terminal's ^C echo), so the error was not one line: the context is made
        # and the command invoked directly, and every exception reaches the handlers below.
        args = list(argv) if argv is not None else sys.argv[1:]
        with cli.make_context("decision", args) as context:
            cli.invoke(context)
    except click.exceptions.Exit as exc:  # --help, --version: done
        if exc.exit_code:
            sys.exit(exc.exit_code)
    except DecisionError as exc:
        _fail(exc.one_line(), 2)
    except click.exceptions.NoArgsIsHelpError as exc:  # `decision` alone: the help, exit 0
        click.echo(exc.ctx.get_help())
    except click.exceptions.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        _fail(" ".join(exc.format_message().split()) + hint, 2)
    except click.exceptions.Abort:
        _fail("aborted", 130)
    except KeyboardInterrupt:
        _fail("aborted", 130)
    except Terminated:
        _fail("terminated", 143)
    except BrokenPipeError:
        sys.exit(0)
    except MemoryError as exc:
        _fail(
            f"not enough memory for this run ({exc or 'an allocation failed'}); allowed: fewer "
            "samples, options or criteria, or more memory",
            2,
        )
    except OutputError:
        raise
    except Exception as exc:  # an internal error: say so in one line, never a traceback
        if _Interrupt.seen:  # Ctrl-C, reported by a library as an error of its own
            _fail("aborted", 130)
        _fail(f"internal error: {type(exc).__name__}: {exc} (please report it)", 1)


if __name__ == "__main__":  # pragma: no cover
    main()
