"""The per-scenario analyses, one row each: the contract every analysis follows.

Modelled on the methods registry (:data:`decision.core.methods.METHODS`). An analysis is a
function of the compiled model and one scenario's inputs, ``run(model, inputs)``, returning a
result dataclass (or a list of them) that :func:`decision.results.to_data` serialises. The
study runs every row in this order for each scenario; the report's data, the JSON output and
the CLI's ``sensitivity`` and ``tipping`` commands read the names from here. Adding an
analysis is its module, one row here, its report section (a module of
:mod:`decision.reports.sections`, placed by :func:`decision.reports.outline.outline`) and, if
the CLI shows it, a printer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from decision.analyses.assumptions import assumptions
from decision.analyses.dominance import dominance
from decision.analyses.openings import openings
from decision.analyses.perspectives import compare_perspectives
from decision.analyses.tipping import tipping_points
from decision.analyses.tornado import tornado
from decision.analyses.weights import weight_sensitivity
from decision.core.compile import CompiledModel, ScenarioInputs

#: What an analysis returns: a result dataclass, or a list of them.
AnalysisResult: TypeAlias = object


@dataclass(frozen=True, slots=True)
class AnalysisInfo:
    """One analysis: its name (the key in the JSON and the report), how to run it, and what
    it answers in one sentence."""

    name: str
    run: Callable[[CompiledModel, ScenarioInputs], AnalysisResult]
    description: str


ANALYSES: dict[str, AnalysisInfo] = {
    info.name: info
    for info in (
        AnalysisInfo("weights", weight_sensitivity,
                     "How far each criterion's weight can move before the top option or the "
                     "ranking changes, and where options cross."),
        AnalysisInfo("tornado", tornado,
                     "Which single input moves each leading option's score most."),
        AnalysisInfo("tipping", tipping_points,
                     "How far each indicator, moved alone, must go to change the top option "
                     "or an option's availability."),
        AnalysisInfo("openings", openings,
                     "Which indicator moves make each unavailable option available, and first."),
        AnalysisInfo("perspectives", compare_perspectives,
                     "The ranking under each stakeholder weight set, and the smallest weight "
                     "change that puts another option first."),
        AnalysisInfo("dominance", dominance,
                     "Which options another available option beats or equals on every "
                     "criterion, so that no weights can put them ahead of it."),
        AnalysisInfo("assumptions", assumptions,
                     "Every judgement that moves the scenario's result across its range, "
                     "ranked by how much it moves the top option's lead or the best package's "
                     "value."),
    )
}


def run_analyses(
    model: CompiledModel, inputs: ScenarioInputs, names: Sequence[str] | None = None
) -> dict[str, AnalysisResult]:
    """The named analyses (all by default) of one scenario, in registry order."""
    chosen = list(ANALYSES) if names is None else [n for n in ANALYSES if n in names]
    return {name: ANALYSES[name].run(model, inputs) for name in chosen}
