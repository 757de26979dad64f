"""Checks of a scenario's ``timeline`` and ``plan`` against its model, located in the file.

The spec checks what a file alone can (dates parse, no date twice); here each period's
settings must name indicators of the model and fit their type and range, as the scenario's own
settings must (:func:`decision.load.validation.scenario_problems`), its evidence must exist, and
the plan's satisficing threshold and margin must lie on the package-value scale.
"""

from __future__ import annotations

from collections.abc import Iterator

from decision.errors import DecisionError, did_you_mean, list_allowed
from decision.files.yamlio import Document
from decision.load.validation import _setting_problems
from decision.specs import ModelSpec, ScenarioSpec


def package_scale(model: ModelSpec) -> float:
    """The most a package can be worth over the reference option: one per option it can
    hold (each option's value over the reference lies within [-1, 1] on normalised weights)."""
    return float(sum(1 for option in model.options.values() if not option.reference))


def timeline_problems(
    spec: ScenarioSpec, document: Document, model: ModelSpec
) -> Iterator[DecisionError]:
    """Every independent problem of one scenario file's timeline and plan settings."""
    for k, period in enumerate(spec.timeline):
        path: tuple[str | int, ...] = ("timeline", k)
        for name, setting in period.indicators.items():
            where = (*path, "indicators", name)
            if name not in model.indicators:
                yield document.error(
                    f"unknown indicator '{name}'{did_you_mean(name, model.indicators)}",
                    where,
                    allowed=f"indicator ids defined in the model: "
                    f"{list_allowed(model.indicators)}",
                )
                continue
            yield from _setting_problems(document, where, model.indicators[name], setting)
        for j, item in enumerate(period.evidence):
            if item not in model.evidence:
                yield document.error(
                    f"unknown evidence '{item}'{did_you_mean(item, model.evidence)}",
                    (*path, "evidence", j),
                    allowed=f"evidence ids defined in the model: {list_allowed(model.evidence)}",
                )
    if spec.plan is None:
        return
    scale = package_scale(model)
    for key, value, low in (
        ("satisficing", spec.plan.satisficing, -scale),
        ("margin", spec.plan.margin, 0.0),
    ):
        if value is not None and not low <= value <= scale:
            yield document.error(
                f"{key} {value:g} is outside the package-value scale",
                ("plan", key),
                allowed=f"a number in [{low:g}, {scale:g}]: a package's value over the "
                f"reference option, at most 1 for each of the model's {scale:g} options",
            )


def check_timeline(spec: ScenarioSpec, document: Document | None, model: ModelSpec) -> None:
    """Raise the first problem of :func:`timeline_problems` (nothing to check without the
    file's document, e.g. a scenario built in Python)."""
    if document is None:
        return
    for problem in timeline_problems(spec, document, model):
        raise problem
