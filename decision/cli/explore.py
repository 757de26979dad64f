"""``decision explore MODEL_OR_SCENARIO --samples N``: sample every uncertain input jointly
and say when the plan fails or another option wins (scenario discovery), which inputs matter
(global sensitivity) and which are worth resolving first (value of information); as text, or
as JSON with ``--json``; experiments and outcomes written to ``--out``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from decision.cli.distributed import (
    chunk_note,
    distributed_run,
    progress_bar,
    with_distributed_options,
)
from decision.results import to_data

if TYPE_CHECKING:
    from decision.analyses.explore.run import Exploration
    from decision.core.compile import CompiledModel, ScenarioInputs

#: How the command line names the exploration's arguments in errors.
ARGUMENTS = {"sensitivity_samples": "--sensitivity-samples"}


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """A bar on stderr when it is a terminal (``decision.cli.main`` has the same for runs;
    importing it from here would make a cycle)."""
    if not sys.stderr.isatty():
        yield None
        return
    with progress_bar("exploring") as bar:
        task = bar.add_task("exploring", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total,
                                             description=f"exploring{chunk_note()}")


def _load(path: str, seed: int | None, allow_any_path: bool
          ) -> tuple[CompiledModel, ScenarioInputs, float | None]:
    """A scenario file as compiled inputs, or a model file at its baseline values (imported
    here, not at the top: ``decision validate`` loads this module and must stay light)."""
    from decision.study.explore_inputs import explore_inputs

    return explore_inputs(path, seed, allow_any_path)


@click.command(name="explore")
@click.argument("path", metavar="MODEL_OR_SCENARIO")
@click.option("--samples", type=click.IntRange(1, 1_000_000_000_000), default=4096,
              show_default=True,
              help="Samples of the design (a power of two for sobol).")
@click.option("--design", default="lhs", show_default=True, help="lhs, sobol or mc.")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=None, help="Random seed.")
@click.option("--outcome", "outcomes", multiple=True, metavar="OUTCOME",
              help="An outcome to describe (repeatable): package-loses, below-satisficing, "
              "regret:LEVEL, top:OPTION, in-package:OPTION, out-of-package:OPTION.")
@click.option("--sensitivity", type=click.Choice(["auto", "sobol", "morris", "given", "none"]),
              default="auto", show_default=True, help="Global sensitivity method.")
@click.option("--sensitivity-samples", type=click.IntRange(2, 1 << 24), default=None,
              help="Sobol base samples (a power of two; default 512) or Morris trajectories "
              "(default 64).")
@click.option("--hold-weights", is_flag=True,
              help="Keep the scenario's weights instead of sampling the weight simplex.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the experiments and outcomes.")
@click.option("--format", "formats", type=click.Choice(["workbench", "parquet"]), multiple=True,
              help="Archive formats written to --out (repeatable; default workbench).")
@click.option("--allow-any-path", is_flag=True,
              help="Let scenarios name model and extends files anywhere.")
@with_distributed_options
@click.option("--json", "as_json", is_flag=True, help="Print the exploration as JSON.")
def explore_command(
    path: str, samples: int, design: str, seed: int | None, outcomes: tuple[str, ...],
    sensitivity: str, sensitivity_samples: int | None, hold_weights: bool, out: Path | None,
    formats: tuple[str, ...], allow_any_path: bool, scheduler: str | None,
    checkpoint: Path | None, task_samples: int | None, as_json: bool,
) -> None:
    """Explore the whole input space: when the plan fails or an option wins, which inputs
    matter most and which are worth resolving before deciding."""
    from decision.analyses.explore.design import check_design
    from decision.study.explore_inputs import check_extra, sensitivity_method

    check_design(design, samples)
    sensitivity = sensitivity_method(sensitivity, sensitivity_samples, ARGUMENTS)
    chosen_formats = formats or ("workbench",)
    check_extra("parquet" in chosen_formats and out is not None)
    model, inputs, satisficing = _load(path, seed, allow_any_path)
    from decision.analyses.explore.outcomes import parse_outcome, scenario_portfolio
    from decision.analyses.explore.run import explore

    packaged = scenario_portfolio(model, inputs, satisficing).options
    parsed = [parse_outcome(text, model.options, packaged) for text in outcomes]
    with distributed_run(scheduler, checkpoint, task_samples, [path]), _progress() as report:
        found = explore(
            model, inputs, samples=samples, design=design, seed=inputs.seed, outcomes=parsed,
            satisficing=satisficing, sensitivity=sensitivity,
            sensitivity_samples=sensitivity_samples, hold_weights=hold_weights, out=out,
            formats=chosen_formats, progress=report,
        )
    if as_json:
        from decision.reports.visible import json_output

        click.echo(json_output(to_data(found)))
        return
    click.echo("\n".join(explore_lines(found)))


def explore_lines(found: Exploration) -> list[str]:
    """The exploration as lines of text."""
    lines = [
        f"{found.scenario}: {found.samples:,} samples ({found.design} design, seed {found.seed})"
        f" over {len(found.inputs)} uncertain inputs",
        f"  do now: {' + '.join(found.do_now) or 'nothing'} (value {found.do_now_value:.3f}, "
        f"satisficing threshold {found.satisficing:.3g})",
    ]
    for f in found.findings:
        lines.append(f"  {f.outcome}: {f.probability:.1%} of samples (+/- {f.mc_error:.1%})")
        lines.append(f"    {f.sentence}")
    for s in found.sensitivity:
        top = ", ".join(f"{i.input} {i.total:.2f}" for i in s.inputs[:3])
        lines.append(f"  most influential on {s.outcome} ({s.method}): {top}")
    for v in found.information:
        worth = ", ".join(f"{w.input} {w.evppi:.3g}" for w in v.inputs[:3]) or "none"
        lines.append(f"  value of information ({v.decision}; chosen now: {v.chosen}): "
                     f"EVPI {v.evpi:.3g}; worth resolving first: {worth}")
    for path in found.files:
        lines.append(f"  wrote {path}")
    return lines
