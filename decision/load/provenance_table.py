"""The provenance table of a model or scenario file: every number classified (see
:mod:`decision.load.provenance`, which the loader's validation uses), counted and described.

Kept apart from the classification because it loads files, and the loader imports the
classification for its checks.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from decision.files.yamlio import load_yaml
from decision.load.loading import file_kind, load_model, load_scenario, validate_document
from decision.load.provenance import (
    Kind,
    NumberProvenance,
    Provenance,
    classify,
    model_entries,
    scenario_entries,
    short_number,
)
from decision.specs import ScenarioSpec


def provenance(path: str | Path, *, allow_any_path: bool = False) -> Provenance:
    """Every number of a model file, or of a scenario file (its model's numbers, then the
    budgets and weights of each file in its ``extends`` chain), classified as from the
    source, derived, or a judgement."""
    data = load_yaml(Path(path)).data
    kind = file_kind(data) or ("model" if isinstance(data, dict) and "options" in data else "")
    if kind == "scenario":
        scenario, model = load_scenario(path, allow_any_path=allow_any_path)
        entries = model_entries(model.spec, model.stakeholders)
        numbers = classify(entries, model.spec, model.document)
        for file in scenario.chain:
            chained = load_yaml(file)
            spec = validate_document(chained, ScenarioSpec)
            numbers += classify(scenario_entries(spec), model.spec, chained)
        return Provenance(model.spec.id, str(model.path), scenario.id, numbers)
    model = load_model(path)
    entries = model_entries(model.spec, model.stakeholders)
    numbers = classify(entries, model.spec, model.document)
    return Provenance(model.spec.id, str(model.path), None, numbers)


def describe(table: Provenance) -> list[str]:
    """The table as plain lines: counts by kind, every number from the source (with its
    figure), and every judgement grouped by entry (who, how sure, why)."""
    counts = table.counts
    scenario = f", scenario '{table.scenario}'" if table.scenario else ""
    lines = [
        f"provenance of model '{table.model}' ({table.model_path}{scenario}): "
        f"{len(table.numbers)} numbers",
        f"  from the source  {counts['source']}",
        f"  derived          {counts['derived']}",
        f"  judgement        {counts['judgement']}",
    ]
    judgements = table.of_kind("judgement")
    unexplained = len({(n.file, n.entry) for n in judgements if n.reason is None})
    if judgements:
        lines.append(
            f"  judgement entries without a reason: {unexplained} of "
            f"{len({(n.file, n.entry) for n in judgements})}"
        )
    shown: tuple[tuple[Kind, str], ...] = (("source", "from the source"), ("derived", "derived"))
    for kind, title in shown:
        chosen = table.of_kind(kind)
        if chosen:
            lines += ["", f"{title}:"]
        for n in chosen:
            how = f" = {n.derived}" if n.derived else ""
            listed = ", ".join(short_number(c) for c in n.constants)
            constants = f"; constants {listed}" if n.constants else ""
            lines.append(
                f"  {n.key_path} = {short_number(n.value)}{how}  "
                f"[{', '.join(n.figures)}; {', '.join(n.evidence)}{constants}]"
                + (" (declared)" if n.declared else "")
            )
    if judgements:
        lines += ["", "judgements (by entry):"]
    groups: dict[tuple[str, str], list[NumberProvenance]] = {}
    for n in judgements:
        groups.setdefault((n.file, n.entry), []).append(n)
    for (file, entry), numbers in groups.items():
        first = numbers[0]
        where = entry or file
        who = f"by {first.by}" + (f", confidence {first.confidence}" if first.confidence else "")
        values = ", ".join(f"{n.key} {short_number(n.value)}" for n in numbers)
        lines.append(f"  {where}: {values}  ({who})")
        reason = " ".join(first.reason.split()) if first.reason else "no reason given"
        lines += textwrap.wrap(
            reason, 100, initial_indent="      why: ", subsequent_indent="           "
        )
    return lines
