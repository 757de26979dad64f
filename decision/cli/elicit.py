"""``decision elicit weights MODEL --out FILE``: ask the swing questions in the terminal and
write the answers as a ``weight_elicitation`` block to paste into the model.

The questions follow the swing method (von Winterfeldt & Edwards 1986): with every criterion at
its worst (the ``scale.worst`` anchor), which one swing to its best would you take first, then
next, and so on; then how many points each swing is worth against the first, which has 100.
Prompts, re-asking on bad answers and reading piped input are click's (``click.prompt``), so
the command can be driven by a script as well as by a person.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

import click

from decision.errors import DecisionError


def _swing_words(name: str, criterion: Any) -> str:
    """A criterion's swing in words: its anchors when it has them, else its description."""
    scale = criterion.scale
    if scale is None:
        return f"{name}: {' '.join(criterion.description.split())} (from worst to best)"
    worst, best = (" ".join(text.split()) for text in (scale.worst, scale.best))
    return f"{name}: from '{worst}' to '{best}'"


def ask_swings(criteria: dict[str, Any]) -> tuple[list[str], dict[str, float]]:
    """The order of the swings (most wanted first) and each one's points, asked in turn."""
    remaining = list(criteria)
    ranking: list[str] = []
    click.echo("Imagine every criterion at its worst. Which swing to its best would you take?")
    while len(remaining) > 1:
        for k, name in enumerate(remaining, 1):
            click.echo(f"  {k}. {_swing_words(name, criteria[name])}")
        which = "first" if not ranking else "next"
        choice = click.prompt(
            f"Swing you would take {which} (1-{len(remaining)})",
            type=click.IntRange(1, len(remaining)),
        )
        ranking.append(remaining.pop(choice - 1))
    ranking += remaining
    click.echo(f"The swing on {ranking[0]} is worth 100 points.")
    points = {ranking[0]: 100.0}
    for before, name in itertools.pairwise(ranking):
        points[name] = click.prompt(
            f"Points for the swing on {name} (0-{points[before]:g}; {ranking[0]} = 100)",
            type=click.FloatRange(0, points[before]),
        )
    return ranking, points


def elicitation_yaml(block: dict[str, Any], model: str) -> str:
    """The elicitation as YAML, under a comment saying where it goes."""
    import yaml

    head = (
        f"# Swing weight elicitation for {model}, written by 'decision elicit weights'.\n"
        "# Paste this block into the model (criteria then need no 'weight').\n"
    )
    body = yaml.safe_dump(
        {"weight_elicitation": block}, sort_keys=False, allow_unicode=True, width=88
    )
    return head + body


@click.group(name="elicit")
def elicit_command() -> None:
    """Elicit judgements by asking questions in the terminal."""


@elicit_command.command(name="weights")
@click.argument("model")
@click.option("--out", "out", required=True, help="File to write the elicitation to (YAML).")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.option("--by", "by", default=None, help="Whose answers these are (asked if not given).")
def weights_command(model: str, out: str, force: bool, by: str | None) -> None:
    """Ask the swing questions for MODEL's criteria and write the weight elicitation to
    --out, to paste into the model: the order of the swings from worst to best, then each
    swing's points against the first (100)."""
    from decision.load.loading import load_model
    from decision.specs.model import ElicitationSpec

    target = Path(out)
    if os.path.lexists(target) and not force:
        raise DecisionError(
            f"'{target}' already exists; nothing was written",
            key_path="--out",
            allowed="a new file, or --force to replace it",
        )
    spec = load_model(model).spec
    ranking, points = ask_swings(dict(spec.criteria))
    who = by or click.prompt("Whose answers are these", default="modeller")
    rationale = click.prompt("Why, in a sentence (the rationale recorded with the answers)")
    block: dict[str, Any] = {
        "method": "swing",
        "by": who,
        "rationale": rationale,
        "ranking": ranking,
        "points": {name: _plain(points[name]) for name in ranking},
    }
    elicitation = ElicitationSpec.model_validate(block)  # the block the model will read
    weights = elicitation.weights(list(spec.criteria))
    target.write_text(elicitation_yaml(block, model), encoding="utf-8")
    click.echo(f"wrote {target}; weights: " + ", ".join(
        f"{name} {weights[name]:.3f}" for name in ranking
    ))


def _plain(value: float) -> float | int:
    """A whole number of points as an int, so the file reads 75 rather than 75.0."""
    return int(value) if float(value).is_integer() else float(value)
