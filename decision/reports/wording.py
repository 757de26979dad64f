"""The report's sentences and short texts: values, distributions, methods, and what a
scenario changes against the baseline and what that does to the top option."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from decision.results import rounded

if TYPE_CHECKING:
    from decision.results import OptionResult, ScenarioResult
    from decision.specs import ModelSpec
    from decision.study.scenario import ScenarioRun

#: How many changed inputs a summary sentence names before "and n more".
SUMMARY_INPUTS = 4


def value_text(value: float, boolean: bool) -> str:
    """An indicator value as written in a scenario: true/false or a short number."""
    if boolean:
        return "true" if value >= 0.5 else "false"
    return f"{rounded(value):g}"


def condition_values_text(text: str, values: Mapping[str, float]) -> str:
    """The values behind a failed condition, ``name is value``: true/false for a boolean atom
    (the condition is the indicator's name, or ``not`` it), a short number otherwise."""
    atom = text.strip()
    return ", ".join(
        f"{name} is {value_text(v, atom in (name, f'not {name}'))}" for name, v in values.items()
    )


def distribution_text(setting: Any) -> str:
    """A distribution setting in a few words, e.g. ``triangular 0.3-0.75, mode 0.55`` (each
    distribution spec describes itself)."""
    return str(setting.describe())


def _short(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{rounded(value):g}"
    return str(value)


def method_text(method: Mapping[str, Any]) -> str:
    """``wsm`` or ``topsis(normalisation=vector)``."""
    params = {k: v for k, v in method.items() if k != "name"}
    if not params:
        return str(method["name"])
    return f"{method['name']}(" + ", ".join(f"{k}={v}" for k, v in sorted(params.items())) + ")"



def input_changes(run: ScenarioRun, baseline: ScenarioResult) -> list[str]:
    """What the scenario sets differently from the baseline scenario, phrase by phrase."""
    model, result = run.model, run.result
    uncertain = set(result.uncertain_indicators)
    base_uncertain = set(baseline.uncertain_indicators)
    settings = {model.indicators[k]: s for k, s in run.inputs.settings.items()}
    phrases = []
    for k, name in enumerate(model.indicators):
        boolean = bool(model.is_boolean[k])
        old, new = baseline.indicators[name], result.indicators[name]
        before = value_text(old, boolean)
        if name in uncertain:
            phrases.append(f"{name} {before} → {distribution_text(settings[name])}")
        elif name in base_uncertain or rounded(old) != rounded(new):
            phrases.append(f"{name} {before} → {value_text(new, boolean)}")
    if result.perspective != baseline.perspective:
        phrases.append(f"weights of the {result.perspective or 'model'} perspective")
    elif result.weights != baseline.weights:
        phrases.append("other weights")
    if result.method != baseline.method:
        phrases.append(f"method {method_text(result.method)}")
    if result.samples != baseline.samples and result.samples > 1:
        phrases.append(f"{result.samples:,} samples")
    return phrases


def _main_driver(before: OptionResult, after: OptionResult) -> tuple[str, float] | None:
    deltas = {c: after.contributions[c] - before.contributions[c] for c in after.contributions}
    if not deltas:
        return None
    criterion = max(sorted(deltas), key=lambda c: abs(deltas[c]))
    return (criterion, deltas[criterion]) if abs(deltas[criterion]) > 5e-4 else None


def _failed_text(option: OptionResult) -> str:
    parts = [c.text for f in option.failed for c in f.conditions] or [
        f.when for f in option.failed
    ]
    return ", ".join(parts)


def change_sentence(run: ScenarioRun, baseline: ScenarioResult, spec: ModelSpec) -> str:
    result = run.result
    new, old = result.top, baseline.top
    if new.id == old.id:
        outcome = f"the top option stays {new.id} (score {old.score:.3f} → {new.score:.3f})"
    else:
        was = baseline.option(new.id)
        if not was.available and new.available:
            conditions = " and ".join(p.when for p in spec.options[new.id].preconditions)
            how = f"becomes available ({conditions} now holds)"
        else:
            how = f"rises from rank {was.rank} " + _score_move(was, new)
        fallen = result.option(old.id)
        if not fallen.available:
            fall = f"becomes unavailable ({_failed_text(fallen)} fails)"
        else:
            fall = f"falls to rank {fallen.rank} " + _score_move(old, fallen)
        outcome = f"{new.id} replaces {old.id} at the top: {new.id} {how}; {old.id} {fall}"
    inputs = input_changes(run, baseline)
    if len(inputs) > SUMMARY_INPUTS:
        inputs = [*inputs[:SUMMARY_INPUTS], f"{len(inputs) - SUMMARY_INPUTS} more"]
    changed = "; ".join(inputs) if inputs else "nothing"
    return f"Against {baseline.scenario}, {outcome}. Changed inputs: {changed}."


def _score_move(before: OptionResult, after: OptionResult) -> str:
    """``(score 0.569 → 0.446, mainly achievability -0.036)``; the driver only when it moves
    the score the way it went."""
    if round(before.score, 3) == round(after.score, 3):
        return f"with its score unchanged ({after.score:.3f})"
    text = f"(score {before.score:.3f} → {after.score:.3f}"
    driver = _main_driver(before, after)
    if driver is not None and (driver[1] > 0) == (after.score > before.score):
        text += f", mainly {driver[0]} {driver[1]:+.3f}"
    return text + ")"


