"""The pathway of a timeline: where the plan switches package from one period to the next,
and what causes each switch.

An option that enters or leaves is explained by its gate when its availability changes with
the period (the preconditions that now hold, or no longer hold, at the period's point values),
otherwise by the indicators that moved and so changed the options' values (or, with nothing
moved, by the samples: the most often best package changed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from decision.core.compile import CompiledModel
from decision.core.engine import precondition_results
from decision.results import rounded

if TYPE_CHECKING:
    from decision.analyses.packages import PackageSpace
    from decision.analyses.plan import PackageAt, PlanPeriod


@dataclass(frozen=True)
class Switch:
    """Where the pathway changes package: the period, the options that enter and leave, and
    what causes it in words."""

    period: str
    adds: list[str]
    drops: list[str]
    causes: list[str]


def pathway_switches(
    model: CompiledModel,
    space: PackageSpace,
    periods: Sequence[PlanPeriod],
    pathway: Sequence[PackageAt],
) -> list[Switch]:
    """Every change of package between consecutive periods, with its causes."""
    if len({p.mask for p in pathway}) < 2:  # one package throughout: no switch to explain
        return []
    rows = np.stack([np.asarray(p.inputs.values, dtype=np.float64) for p in periods])
    holds = precondition_results(model, rows)  # (periods, preconditions)
    available = space.at(rows).available  # (periods, package options)
    out = []
    for p in range(1, len(periods)):
        before, after = pathway[p - 1].mask, pathway[p].mask
        if before == after:
            continue
        moved = [
            f"{model.indicators[k]} {_short(rows[p - 1, k])} -> {_short(rows[p, k])}"
            for k in np.flatnonzero(rows[p] != rows[p - 1]).tolist()
        ]
        causes: list[str] = []
        changed = before ^ after
        for j, option in enumerate(space.options):
            if not (changed >> j) & 1:
                continue
            enters = bool((after >> j) & 1)
            if available[p, j] != available[p - 1, j]:
                o = int(space.positions[j])
                gates = [
                    pre.expression.to_text()
                    for q, pre in enumerate(model.preconditions)
                    if pre.option == o and holds[p, q] != holds[p - 1, q]
                ]
                verb = "opens" if available[p, j] else "closes"
                causes.append(f"{option} {'enters' if enters else 'leaves'}: its gate {verb} "
                              f"({'; '.join(gates)})")
            elif moved:
                causes.append(
                    f"{option} {'enters' if enters else 'leaves'}: values move with "
                    + ", ".join(moved)
                )
            else:
                causes.append(
                    f"{option} {'enters' if enters else 'leaves'}: the package most often best "
                    "over the samples changes"
                )
        out.append(
            Switch(
                period=periods[p].label,
                adds=space.names(after & ~before),
                drops=space.names(before & ~after),
                causes=causes,
            )
        )
    return out


def _short(value: float) -> str:
    return f"{rounded(float(value)):g}"
