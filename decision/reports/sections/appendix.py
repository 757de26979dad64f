"""Section 8 of the report: the evidence and assumptions.

Each option's availability conditions and evidence, stated once with the scenarios where
they fail; the base scenario's assumptions register; the evidence items and the judgements
that cite them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from decision.reports.brief import Names, first_sentence, judgement
from decision.reports.document import (
    Citation,
    EvidenceItem,
    FailedConditionData,
    FailedPreconditionData,
    Opening,
    ReportDocument,
)
from decision.reports.markdown import Block, Bullets, Heading, Paragraph, Table, code, escape
from decision.reports.sections.focus import base_scenario
from decision.reports.sections.words import DASH, scenario_title

#: Rows of the base scenario's assumptions register the report lists (results.json holds
#: every scenario's, in full).
ASSUMPTIONS_LISTED = 10



def appendix_section(data: ReportDocument, names: Names) -> list[Block]:
    """Section 8: each option's conditions and evidence, the assumptions, the evidence."""
    blocks: list[Block] = [Heading(2, "8. Evidence and assumptions", "appendix")]
    blocks += _options_appendix(data, names)
    blocks += _assumptions(data, names)
    blocks += _evidence(data, names)
    return blocks



def _options_appendix(data: ReportDocument, names: Names) -> list[Block]:
    """Each gated option once: its conditions, why, the evidence, and the scenarios where a
    condition fails (with the values that fail it)."""
    evidence = {e["id"]: e for e in data["evidence"]}
    title = scenario_title(data)
    items = []
    openings = _openings(data)
    for option in data["options"]:
        failures: dict[str, list[tuple[str, FailedPreconditionData]]] = {}
        for s in data["scenarios"]:
            row = next(r for r in s["options"] if r["id"] == option["id"])
            for failed in row["failed"]:
                failures.setdefault(failed["when"], []).append((s["id"], failed))
        if not option["preconditions"]:
            continue
        parts = []
        for when in option["preconditions"]:
            found = failures.get(when, [])
            text = f"{code(when)}"
            if found:
                first = found[0][1]
                cited = "; ".join(_evidence_text(e, evidence) for e in first["evidence"])
                text += f": {sentence(escape(first['reason']))}"
                if cited:
                    text += f" Evidence: {cited}."
                by_values: dict[str, list[str]] = {}
                for scenario, failed in found:
                    values = "; ".join(_condition_words(c, names) for c in failed["conditions"])
                    by_values.setdefault(values, []).append(scenario)
                every = [x["id"] for x in data["scenarios"]]
                text += " Fails in " + "; ".join(
                    _scenario_list(scenarios, every, title) + f" ({values})"
                    for values, scenarios in by_values.items()
                ) + "."
            else:
                text += ": holds in every scenario."
            parts.append(text)
        opening = openings.get(option["id"])
        items.append(
            f"{names.option(option['id'])} ({code(option['id'])}) needs "
            + " ".join(parts)
            + (f" In *{title(base_scenario(data))}*, {opening}." if opening else "")
        )
    if not items:
        return []
    return [
        Heading(3, "When each option is available", "availability"),
        Paragraph(
            "Options with preconditions: each condition (as the model writes it), the reason "
            "and evidence behind it, and the scenarios where it fails, with the values that "
            "fail it. Every other option is available everywhere."
        ),
        Bullets(items),
    ]



def _scenario_list(scenarios: list[str], every: list[str], title: Callable[[str], str]
                   ) -> str:
    """Scenarios by title; more than half of them as every scenario but the others."""
    if len(scenarios) * 2 <= len(every) or len(scenarios) == len(every):
        return ", ".join(f"*{title(x)}*" for x in scenarios) if len(scenarios) < len(
            every) else "every scenario"
    return "every scenario but " + ", ".join(
        f"*{title(x)}*" for x in every if x not in scenarios)



def _openings(data: ReportDocument) -> dict[str, str]:
    """What opens each unavailable option in the base scenario, in words."""
    names = Names(data)
    base = next((s for s in data["scenarios"] if s["id"] == base_scenario(data)), None)
    part = (base["sensitivity"] or {}).get("openings") if base else None
    return {o["option"]: opening_text(o, names) for o in part or []}



def _condition_words(condition: FailedConditionData, names: Names) -> str:
    """The values that fail a condition, in words: ``civil society access is 0.2``."""
    values = ", ".join(
        f"{names.indicator(k)} is {names.value(k, v)}" for k, v in condition["values"].items()
    )
    return values or f"{code(condition['text'])} fails"



def opening_text(opening: Opening, names: Names) -> str:
    """What makes one unavailable option available (and first)."""
    moves = []
    for move in opening["moves"]:
        name = move["indicator"]
        info = names.indicators.get(name)
        if info is not None and info["boolean"]:
            moves.append(f"{names.indicator(name)} becomes {names.value(name, move['to'])}")
        else:
            verb = "rises" if move["to"] > move["from"] else "falls"
            moves.append(
                f"{names.indicator(name)} {verb} to {names.value(name, move['to'])} (from "
                f"{names.value(name, move['from'])})"
            )
    if not moves:
        unmovable = " and ".join(code(u) for u in opening["unmovable"]) or "other conditions"
        return f"it needs {unmovable}"
    needs = " and ".join(moves)
    if not opening["opens"]:
        return f"it stays unavailable even when {needs}"
    text = f"it becomes available when {needs}"
    if opening["first_at_once"]:
        return text + "; it then comes first"
    found = [f for f in opening["first_along"] if f["value"] is not None]
    if found:
        ways = " or ".join(
            f"{names.indicator(f['indicator'])} reaches "
            f"{names.value(f['indicator'], f['value'] or 0.0)}" for f in found
        )
        return text + f"; it comes first once {ways}"
    return text + "; moving those indicators further within range does not put it first"



def _evidence_text(evidence_id: str, evidence: Mapping[str, EvidenceItem]) -> str:
    item = evidence.get(evidence_id)
    return escape(item["locator"]) if item else code(evidence_id)



def sentence(text: str) -> str:
    """Text ending in exactly one full stop."""
    return text.rstrip().rstrip(".") + "."



def _assumptions(data: ReportDocument, names: Names) -> list[Block]:
    """The base scenario's assumptions register (its most influential rows)."""
    base = next((s for s in data["scenarios"] if s["id"] == base_scenario(data)), None)
    part = ((base["sensitivity"] or {}).get("assumptions") if base else None)
    if base is None or part is None:
        return []
    measure = part["measure"]
    intro = (
        f"In *{escape(base['title'])}*, {part['considered']} judgements (the modeller's "
        "numbers, not the source's) are in use; each is moved alone to both ends of its range "
        f"(the model's own, else a default band) and ranked by how far that moves the "
        f"{escape(measure)}"
        + (
            f" of {names.option(part['top'])} ({part['lead']:.3f})"
            if measure == "lead" and part["top"]
            else f" ({part['package_value']:.3f})"
            if part["package_value"] is not None
            else ""
        )
        + f". {len(part['rows'])} move it; {len(part['unmoved'])} move nothing. The "
        f"{ASSUMPTIONS_LISTED} that move it most are below; every scenario's full register is "
        "in `results.json`. Key paths are as a scenario file overrides them."
    )
    blocks: list[Block] = [Heading(3, "Assumptions register", "assumptions"), Paragraph(intro)]
    if not part["rows"]:
        return blocks
    rows = []
    for r in part["rows"][:ASSUMPTIONS_LISTED]:
        flips = [f for f, on in (("top", r["flips_top"]), ("package", r["flips_package"])) if on]
        rows.append(
            [
                judgement(r, names) + f" {code(r['key_path'])}",
                f"{r['value']:g}",
                f"{r['low']:g}{DASH}{r['high']:g}"
                + ("" if r["range"] == "given" else " (default)"),
                f"{r['influence']:.3f}",
                " and ".join(flips) or "nothing",
                escape(r["confidence"] or DASH),
                escape(first_sentence(r["reason"])) if r["reason"] else "no reason given",
            ]
        )
    blocks.append(
        Table(
            f"The most influential judgements (influence on the {escape(measure)})",
            ["judgement", "value", "range", "influence", "changes", "confidence", "why"],
            rows,
            (False, True, True, True, False, False, False),
        )
    )
    return blocks



def citation_markup(entry: Citation, names: Names) -> str:
    """One citing judgement in words."""
    kind = entry["kind"]
    if kind == "indicator":
        return names.indicator(entry.get("indicator", ""))
    if kind == "precondition":
        return f"when {names.option(entry.get('option', ''))} is available"
    if kind == "performance":
        return (f"{names.option(entry.get('option', ''))} on "
                f"{names.criterion(entry.get('criterion', ''))}")
    return "the interaction of " + names.options_list(entry.get("options", []))



def _evidence(data: ReportDocument, names: Names) -> list[Block]:
    """Every evidence item as one line: locator, figures, claim and what cites it (a list,
    not a table, so it prints compactly)."""
    items = []
    for e in data["evidence"]:
        figures = ", ".join(escape(f) for f in e["figures"])
        items.append(
            f"**{escape(e['locator'])}**" + (f" ({figures})" if figures else "")
            + f": {sentence(escape(e['claim']))} Cited by: "
            + (_citations(e["cited_by"], names) or "nothing")
            + "."
        )
    return [
        Heading(3, "Evidence", "evidence"),
        Paragraph(
            "Every evidence item of the model: where it is in the source, the figures it "
            "carries, what it says (paraphrased), and the judgements that cite it."
        ),
        Bullets(items),
    ]



def _citations(entries: Sequence[Citation], names: Names) -> str:
    """The judgements citing an item, an option's performances on one line."""
    performance: dict[str, list[str]] = {}
    parts: list[str] = []
    for entry in entries:
        if entry["kind"] == "performance":
            option = entry.get("option", "")
            if option not in performance:
                performance[option] = []
                parts.append(f"performance:{option}")
            performance[option].append(names.criterion(entry.get("criterion", "")))
        else:
            parts.append(citation_markup(entry, names))
    return "; ".join(
        f"{names.option(p.split(':', 1)[1])} on {', '.join(performance[p.split(':', 1)[1]])}"
        if p.startswith("performance:") else p
        for p in parts
    )
