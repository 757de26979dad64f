"""``decision plan SCENARIO...``: the adaptive plan (do now, triggers, signposts, adaptation
tipping points, hedges, pathway) as text, or as JSON with ``--json``.

``--samples N`` sets the plan's samples per period, also beyond the 1,000 the report's plan
uses (:data:`~decision.analyses.portfolio.problem.MAX_SAMPLES`): such a plan reads its worlds
in spans and keeps tallies only (:mod:`decision.analyses.plan_worlds`), in this process or,
with ``--scheduler``, as Dask tasks, and resumes from ``--checkpoint``; the bytes are the same
whichever runs it. Without ``--samples`` a scenario's own count is capped as in the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from decision.cli.distributed import (
    distributed_run,
    progress_reports,
    with_distributed_options,
)
from decision.results import to_data

if TYPE_CHECKING:
    from decision.analyses.plan import PlanSet, ScenarioPlan

#: How the command line names the plan's arguments in errors.
ARGUMENTS = {
    "perspective": "--perspective",
    "satisficing": "--satisficing",
    "margin": "--margin",
}


@click.command(name="plan")
@click.argument("scenarios", nargs=-1, required=True)
@click.option("--perspective", default=None, help="Weight set of the model to use.")
@click.option("--samples", type=click.IntRange(1, 1_000_000_000_000), default=None,
              help="Samples per period (overrides the scenario; beyond 1000, read in spans "
              "with tallies only: bounded memory, see --scheduler).")
@click.option("--seed", type=click.IntRange(0, 2**64 - 1), default=None, help="Random seed.")
@click.option("--budget", "budgets", multiple=True, metavar="RESOURCE=AMOUNT",
              help="A budget for one resource, overriding the scenarios' (repeatable).")
@click.option("--satisficing", type=float, default=None,
              help="Least acceptable value of the do-now package (package-value scale).")
@click.option("--margin", type=float, default=None,
              help="How much better another package must be to switch (default 0.05).")
@click.option("--allow-any-path", is_flag=True,
              help="Let scenarios name model and extends files anywhere.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@with_distributed_options
def plan_command(
    scenarios: tuple[str, ...],
    perspective: str | None,
    samples: int | None,
    seed: int | None,
    budgets: tuple[str, ...],
    satisficing: float | None,
    margin: float | None,
    allow_any_path: bool,
    as_json: bool,
    scheduler: str | None,
    checkpoint: Path | None,
    task_samples: int | None,
) -> None:
    """The adaptive plan: what to do now, what to add on which trigger, the signposts to
    watch, the hedges and when the plan stops being acceptable; per period of a timeline."""
    from decision.study.plan import plan_paths

    with distributed_run(scheduler, checkpoint, task_samples, scenarios), \
            progress_reports("planning") as report:
        found = plan_paths(
            scenarios, budgets=budgets, satisficing=satisficing, margin=margin,
            perspective=perspective, samples=samples, seed=seed,
            allow_any_path=allow_any_path, argument_names=ARGUMENTS, progress=report,
        )
    if as_json:
        from decision.load.loading import load_scenario
        from decision.reports.visible import json_output
        from decision.results.booleans import boolean_indicators, booleans_as_bools

        data = to_data(found)
        model = load_scenario(scenarios[0], allow_any_path=allow_any_path)[1]
        booleans_as_bools(data, boolean_indicators(model.spec.indicators))
        click.echo(json_output(data))
        return
    for plan in found.plans:
        click.echo("\n".join(plan_lines(plan)))
        click.echo("")
    if len(found.plans) > 1:
        click.echo("\n".join(hedge_lines(found)))


def _package(options: list[str]) -> str:
    return " + ".join(options) or "nothing"


def plan_lines(plan: ScenarioPlan) -> list[str]:
    """One scenario's plan as lines of text."""
    now = plan.do_now
    often = "" if now.probability is None else f", best in {now.probability:.0%} of samples"
    lines = [
        f"{plan.scenario}: do now {_package(now.options)} (value {now.value:.3f}{often})",
        "  members' marginal values: "
        + ", ".join(f"{m.option} {m.marginal:.3f}" for m in now.members),
        f"  acceptable while its value stays >= {plan.satisficing:.3g}"
        f"{'' if plan.satisficing_stated else ' (default: 80% of its value)'} and no package "
        f"beats it by more than {plan.margin:.3g}; now: {plan.acceptable_now}",
    ]
    for t in plan.triggers:
        when = " and ".join(c.phrase() for c in t.conditions) or "never (no indicator opens it)"
        if not t.opens:
            lines.append(f"  trigger: {t.option} stays unavailable even when {when}")
        elif t.joins:
            swap = f", replacing {', '.join(t.drops)}" if t.drops else ""
            lines.append(f"  trigger: when {when}, {t.option} joins{swap} "
                         f"-> {_package(t.package)} ({t.value:.3f})")
        else:
            lines.append(f"  trigger: when {when}, {t.option} opens but stays out of the best "
                         f"package ({_package(t.package)}, {t.value:.3f})")
    for s in plan.signposts[:8]:
        change = ", ".join([*(f"+{o}" for o in s.adds), *(f"-{o}" for o in s.drops)])
        lines.append(
            f"  signpost: {s.indicator} {s.value:g} -> {s.threshold:.4g} ({s.direction}, "
            f"{s.share_of_range:.0%} of its range): {change} [{s.kind}]"
        )
    for tip in plan.tipping[:8]:
        lines.append(
            f"  adaptation tipping point: {tip.indicator} {tip.direction} to "
            f"{tip.threshold:.4g} (from {tip.value:g}): {tip.verdict} (value "
            f"{tip.now_value:.3f}, best {tip.best_value:.3f})"
        )
    h = plan.hedge
    lines.append(
        f"  hedge over {h.worlds} world(s): worst {h.worst_world} (value {h.worst_value:.3f}, "
        f"max regret {h.now_max_regret:.3f}); "
        + ("the do-now package is the least-regret one" if h.same else
           f"least regret {_package(h.package)} (max regret {h.max_regret:.3f}, costs "
           f"{h.base_cost:.3f} in the base case)")
    )
    if len(plan.pathway) > 1:
        for step in plan.pathway:
            lines.append(f"  pathway {step.period}: {_package(step.options)} ({step.value:.3f})")
        for sw in plan.switches:
            lines.append(f"  switch at {sw.period}: " + "; ".join(sw.causes))
    return lines


def hedge_lines(found: PlanSet) -> list[str]:
    """The base plan's hedge across every scenario."""
    h = found.hedge
    return [
        f"across scenarios ({h.worlds} worlds), the {found.base} plan is worst at "
        f"{h.worst_world} (value {h.worst_value:.3f}, max regret {h.now_max_regret:.3f}); "
        + ("it is the least-regret package" if h.same else
           f"least regret: {_package(h.package)} (max regret {h.max_regret:.3f}, costs "
           f"{h.base_cost:.3f} in the base case)")
    ]
