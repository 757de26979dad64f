"""The one-page brief (``brief.md``, ``brief.html``, ``brief.pdf``): the report's answer in
plain words, for a reader who will not open the full report.

Built only from the typed document (``results.json``), so every number it states is one the
report records: the base scenario's adaptive plan (do now, on trigger), how it compares with
what the source recommends, the criteria and judgements that carry it, how sure the model is
(the share of sampled worlds in which the package is best, with the sample count, or plainly
"not sampled"), the nearest thresholds that would change it, and the top of the assumptions
register. Options are named by their titles, never by their ids; booleans read true/false.
The full report is its appendix, linked by file name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import cast

from decision.reports.document import (
    AssumptionRow,
    IndicatorInfo,
    PlanCondition,
    PlanSignpost,
    PlanTippingPoint,
    PlanTrigger,
    ReportDocument,
    ScenarioPlanData,
    ScenarioSection,
)
from decision.reports.markdown import Block, Bullets, Heading, Paragraph, escape

#: Thresholds ("what would change it") and judgements listed per part of the brief.
NEAREST_SHOWN = 3
JUDGEMENTS_SHOWN = 2
ASSUMPTIONS_SHOWN = 3
#: A third criterion is named only if it gives at least this share of the value.
THIRD_CRITERION_SHARE = 0.15
DASH = "\u2013"

#: Compact, print-ready styles of the one-page brief (A4, no page breaks before sections).
BRIEF_CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #555; --rule: #d0d0d0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
  "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
main { max-width: 46rem; margin: 0 auto; padding: 1.25rem 1rem 2rem; }
h1 { font-size: 1.35rem; line-height: 1.25; margin: 0 0 0.4rem; }
h2 { font-size: 1.02rem; margin: 0.9rem 0 0.25rem; padding-top: 0.2rem;
  border-top: 1px solid var(--rule); }
p { margin: 0.25rem 0; }
ul { margin: 0.2rem 0 0.3rem; padding-left: 1.2rem; }
li { margin: 0.1rem 0; }
code { font: 0.88em/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
a { color: #0b4f8a; }
@page { size: A4; margin: 10mm 12mm; }
@media print { body { font-size: 9pt; line-height: 1.35; } main { max-width: none; padding: 0; }
  h1 { font-size: 14pt; } h2 { font-size: 10.5pt; margin-top: 0.6rem; } }
"""


# ---------------------------------------------------------------------------- words


def number(value: float) -> str:
    """A value as the brief prints it: three significant digits."""
    return f"{value:.3g}"


def boolean_text(value: float) -> str:
    """A boolean indicator's value (stored as 0/1) as true/false."""
    return "true" if value >= 0.5 else "false"


def share_in_words(probability: float, samples: int) -> str:
    """``best in 744 of 1,000 sampled worlds (74%)``: the count behind the share."""
    return f"{round(probability * samples):,} of {samples:,} sampled worlds ({probability:.0%})"


def words(text: str) -> int:
    """How many words a reader sees in the brief's Markdown (markup and links aside)."""
    plain = re.sub(r"\]\([^)]*\)", "]", text)
    return len(re.findall(r"[0-9A-Za-z\u00c0-\u024f]+(?:['.,%-][0-9A-Za-z]+)*", plain))


def _and(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` (``nothing`` for none)."""
    if not items:
        return "nothing"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class Names:
    """Titles of options, plain names of indicators and criteria, from the document."""

    def __init__(self, doc: ReportDocument) -> None:
        self.options = {o["id"]: o["title"] for o in doc["options"]}
        self.indicators = {i["id"]: i for i in doc["indicators"]}
        texts = [i["description"] for i in doc["indicators"]]
        texts += [c["description"] for c in doc["criteria"]]
        texts += [o["title"] for o in doc["options"]] + [doc["model"]["title"]]
        #: Words written capitalised inside a sentence (names: Belarus, Russian, NATO).
        self.proper: dict[str, str] = {
            str(w).lower(): str(w)
            for text in texts
            for w in re.findall(r"(?<=[^.;:(] )[A-Z][A-Za-z]*", text)
        }

    def option(self, option: str) -> str:
        """An option's title, in italics."""
        return f"*{escape(self.options.get(option, option))}*"

    def options_list(self, options: Sequence[str]) -> str:
        """Titles joined with commas and a final "and"."""
        return _and([self.option(o) for o in options])

    def indicator(self, indicator: str, start: bool = False) -> str:
        """An indicator in words: its description up to the first aside, its first word in
        lower case unless it is a name (or ``start``s a sentence)."""
        info = self.indicators.get(indicator)
        text = info["description"] if info else ""
        text = re.split(r" \(|; |(?<=[a-z]{2})\. ", text.strip(), maxsplit=1)[0].rstrip(".")
        text = text or indicator.replace("_", " ")
        first, _, rest = text.partition(" ")
        word = re.sub(r"'s$", "", first).lower()
        if not start and word not in self.proper and not first.isupper():
            text = " ".join(x for x in (first.lower(), rest) if x)
        return escape(text)

    def value(self, indicator: str, value: float) -> str:
        """An indicator's value with its unit, or true/false."""
        info: IndicatorInfo | None = self.indicators.get(indicator)
        if info is not None and info["boolean"]:
            return boolean_text(value)
        unit = info["unit"] if info is not None else None
        shown = number(value)
        return shown if not unit or unit.startswith("index") else f"{shown} {escape(unit)}"

    def criterion(self, criterion: str) -> str:
        """A criterion in words: its id with spaces, names capitalised."""
        parts = re.split(r"[-_ ]+", criterion)
        return escape(" ".join(self.proper.get(p.lower(), p) for p in parts))


# ---------------------------------------------------------------------------- pieces


def base_plan(doc: ReportDocument) -> ScenarioPlanData | None:
    """The base scenario's plan, if the portfolio analysis ran."""
    plan = doc.get("plan")
    if plan is None:
        return None
    return next((p for p in plan["plans"] if p["scenario"] == plan["base"]), None)


def _scenario(doc: ReportDocument, scenario: str) -> ScenarioSection | None:
    return next((s for s in doc["scenarios"] if s["id"] == scenario), None)


def register(doc: ReportDocument, scenario: str) -> list[AssumptionRow]:
    """The scenario's assumptions register, most influential first (empty if not run)."""
    section = _scenario(doc, scenario)
    sensitivity = section["sensitivity"] if section else None
    assumptions = sensitivity.get("assumptions") if sensitivity else None
    rows = assumptions["rows"] if assumptions else []
    return sorted(rows, key=lambda r: -r["influence"])


def judgement(row: AssumptionRow, names: Names) -> str:
    """A judgement's key path in plain words."""
    path = row["key_path"]
    patterns: list[tuple[str, str]] = [
        (r"indicators\.(\w+)\.baseline", "{i1} today"),
        (r"options\.([^.]+)\.performance\.([^.]+)\.value", "how well {o1} serves {c2}"),
        (r"options\.([^.]+)\.performance\.([^.]+)\.effects\.(\w+)",
         "how {i3} moves the value of {o1} on {c2}"),
        (r"options\.([^.]+)\.likelihood\.value", "the chance that {o1} works"),
        (r"options\.([^.]+)\.likelihood\.effects\.(\w+)",
         "how {i2} moves the chance that {o1} works"),
        (r"options\.([^.]+)\.failure\.([^.]+).*", "how {o1} serves {c2} if it fails"),
        (r"options\.([^.]+)\.costs\.([^.]+)\.value", "what {o1} costs ({c2})"),
        (r"options\.([^.]+)\.preconditions\[\d+\]\..*", "the threshold that opens {o1}"),
        (r"criteria\.([^.]+)\.weight", "the weight of {c1}"),
        (r"weights\.([^.]+)", "the weight of {c1}"),
        (r"budgets\.([^.]+)", "the {c1} budget"),
        (r"interactions\[\d+\]\.effects\.([^.]+)", "how much two options together add on {c1}"),
    ]
    for pattern, template in patterns:
        match = re.fullmatch(pattern, path)
        if match is None:
            continue
        fills: dict[str, str] = {}
        for k, group in enumerate(match.groups(), start=1):
            fills[f"o{k}"] = names.option(group)
            fills[f"i{k}"] = names.indicator(group)
            fills[f"c{k}"] = names.criterion(group)
        return template.format(**fills)
    return f"`{path}`"


def _row_value(row: AssumptionRow, names: Names) -> str:
    match = re.fullmatch(r"indicators\.(\w+)\.baseline", row["key_path"])
    return names.value(match.group(1), row["value"]) if match else number(row["value"])


def condition_text(condition: PlanCondition, names: Names) -> str:
    """A trigger's condition: the indicator, where it must go, and where it is."""
    name, indicator = names.indicator(condition["indicator"]), condition["indicator"]
    now = names.value(indicator, condition["from"])
    to = names.value(indicator, condition["to"])
    if condition["boolean"]:
        return f"{name}: {to} (now {now})"
    up = condition["to"] > condition["from"]
    if to == now:
        return f"{name} goes {'above' if up else 'below'} {now}"
    return f"{name} {'rises' if up else 'falls'} to {to} (now {now})"


def _change(members: Sequence[str], package: Sequence[str], names: Names) -> str:
    adds = [o for o in package if o not in members]
    drops = [o for o in members if o not in package]
    parts = []
    if adds:
        parts.append(f"adds {names.options_list(adds)}")
    if drops:
        parts.append(f"drops {names.options_list(drops)}")
    return " and ".join(parts) if parts else "keeps the same package"


Threshold = PlanSignpost | PlanTippingPoint


def nearest_thresholds(plan: ScenarioPlanData, shown: int = NEAREST_SHOWN) -> list[Threshold]:
    """The signposts and tipping points of the plan nearest to today's values (by share of
    the indicator's range; one per indicator, the nearest), at most ``shown``."""
    candidates: list[Threshold] = [*plan["signposts"], *plan["tipping"]]
    candidates.sort(key=lambda t: (t["share_of_range"], t["indicator"]))
    seen: set[str] = set()
    out: list[Threshold] = []
    for item in candidates:
        if item["indicator"] not in seen:
            seen.add(item["indicator"])
            out.append(item)
    return out[:shown]


def verdict_text(verdict: str, plan: ScenarioPlanData) -> str:
    """What a tipping point does to the do-now package, in words."""
    if verdict == "below the satisficing threshold":
        return f"falls below the value counted as acceptable ({number(plan['satisficing'])})"
    if verdict == "cannot be adopted":
        return "can no longer be adopted"
    if verdict == "beaten by more than the margin":
        return f"is beaten by another package by more than {number(plan['margin'])}"
    return f"becomes {escape(verdict)}"


def _threshold_text(item: Threshold, plan: ScenarioPlanData, names: Names) -> str:
    members = [m["option"] for m in plan["do_now"]["members"]]
    indicator = item["indicator"]
    move = "rises" if item["direction"] == "up" else "falls"
    if item["boolean"]:
        move = "becomes"
    name = names.indicator(indicator, start=True)
    head = (
        f"**{name}**: now {names.value(indicator, item['value'])}; "
        f"if it {move} {'' if item['boolean'] else 'to '}"
        f"{names.value(indicator, item['threshold'])} ({item['share_of_range']:.0%} of its "
        "range away), "
    )
    if "verdict" in item:
        verdict = cast(PlanTippingPoint, item)["verdict"]
        return head + f"the do-now package {verdict_text(verdict, plan)}."
    package = item["package"]
    if any(t["joins"] and set(t["package"]) == set(package) for t in plan["triggers"]):
        return head + "the package changes as under *On trigger*."
    return head + f"the best package {_change(members, package, names)}."


# ---------------------------------------------------------------------------- sections


def _plan_section(doc: ReportDocument, plan: ScenarioPlanData, names: Names) -> list[Block]:
    members = [m["option"] for m in plan["do_now"]["members"]]
    blocks: list[Block] = [Heading(2, "The recommended plan", "plan"),
                           Paragraph("**Do now:**"), Bullets([names.option(o) for o in members])]
    joining = [t for t in plan["triggers"] if t["opens"] and t["joins"]]
    other = [t for t in plan["triggers"] if not (t["opens"] and t["joins"])]
    if joining:
        blocks.append(Paragraph("**On trigger:**"))
        blocks.append(Bullets([_trigger_text(t, members, names) for t in joining]))
    else:
        blocks.append(Paragraph("**On trigger:** no observable threshold brings another "
                                "recommendation into the package."))
    for t in other:
        why = ("it would not join the package" if t["opens"]
               else "no observable indicator opens it")
        blocks.append(Paragraph(f"{names.option(t['option'])} stays out: {why}."))
    blocks.append(_source_paragraph(doc, plan, members, names))
    return blocks


def _trigger_text(trigger: PlanTrigger, members: Sequence[str], names: Names) -> str:
    text = f"{names.option(trigger['option'])} once " + " and ".join(
        condition_text(c, names) for c in trigger["conditions"])
    drops = [o for o in members if o not in trigger["package"]]
    adds = [o for o in trigger["package"] if o not in members and o != trigger["option"]]
    if drops:
        text += f", in place of {names.options_list(drops)}"
    if adds:
        text += f", with {names.options_list(adds)}"
    return text + "."


def _source_paragraph(
    doc: ReportDocument, plan: ScenarioPlanData, members: Sequence[str], names: Names
) -> Paragraph:
    recommends = doc.get("recommends")
    if recommends is None:
        return Paragraph("**Against the source:** the model does not record what the source "
                         "recommends.")
    now = recommends["now"]
    deferred = [o for d in recommends["when"] for o in d["options"]]
    later = [o for o in deferred if o not in members]
    if set(now) == set(members):
        text = f"**Against the source:** the same {len(now)} recommendations now"
    else:
        extra = [o for o in members if o not in now]
        missing = [o for o in now if o not in members]
        parts = []
        if extra:
            parts.append(f"the model adds {names.options_list(extra)}")
        if missing:
            parts.append(f"leaves out {names.options_list(missing)}, which the source "
                         "recommends now")
        text = "**Against the source:** " + " and ".join(parts)
    if deferred:
        text += (f"; the source defers {len(deferred)}, and the plan holds "
                 f"{'all of them' if len(later) == len(deferred) else len(later)} back")
    findings = next((f for f in recommends["scenarios"] if f["scenario"] == plan["scenario"]),
                    None)
    if findings is not None:
        agree = len(findings["agreements"])
        total = agree + len(findings["disagreements"])
        text += f". Model and source agree on {agree} of {total} recommendations"
        if findings["disagreements"]:
            text += "; not on " + names.options_list(
                [f["option"] for f in findings["disagreements"]])
    text += "."
    return Paragraph(text)


def _why_section(doc: ReportDocument, plan: ScenarioPlanData, names: Names) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Why", "why")]
    shares = criterion_shares(doc, plan)
    reference = _reference(doc, plan)
    if shares:
        ranked = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))
        total = sum(v for _, v in ranked if v > 0)
        carry = [kv for kv in ranked[:3] if kv[1] > 0]
        if len(carry) == 3 and carry[2][1] < THIRD_CRITERION_SHARE * total:
            carry = carry[:2]
        weights = _weights(doc, plan["scenario"])
        listed = _and([
            f"{names.criterion(c)} ({v / total:.0%}; weight {weights.get(c, 0.0):.2f})"
            for c, v in carry
        ])
        against = f" over {names.option(reference)}" if reference else ""
        text = f"Measured{against}, the members' value comes mostly from {listed}."
        losses = [kv for kv in ranked if kv[1] < 0]
        if losses:
            text += f" The package gives up some {names.criterion(losses[-1][0])}."
        blocks.append(Paragraph(text))
    rows = register(doc, plan["scenario"])
    if rows:
        blocks.append(Paragraph(
            f"Of the {len(rows)} judgements that move it, the most influential: "
            f"{_influence_text(rows[0], names)[:-1]} (see *What the modeller assumed*)."))
    return blocks


def _influence_text(row: AssumptionRow, names: Names) -> str:
    span = f"{number(row['low'])}{DASH}{number(row['high'])}"
    if row["package_low"] is not None and row["package_high"] is not None:
        effect = (f"the package's value runs from {number(row['package_low'])} to "
                  f"{number(row['package_high'])}")
    else:
        effect = f"the top option's lead runs from {number(row['lead_low'])} to " \
                 f"{number(row['lead_high'])}"
    return (f"{judgement(row, names)}, set at {_row_value(row, names)}: across {span} "
            f"{effect}.")


def criterion_shares(doc: ReportDocument, plan: ScenarioPlanData) -> dict[str, float]:
    """What the do-now members add over the reference option on each criterion: the sum of
    their weighted values minus the reference's (interactions left out)."""
    section = _scenario(doc, plan["scenario"])
    if section is None:
        return {}
    rows = {r["id"]: r["contributions"] for r in section["options"]}
    reference = _reference(doc, plan)
    base = rows.get(reference, {}) if reference else {}
    out: dict[str, float] = {}
    for member in plan["do_now"]["members"]:
        for criterion, value in rows.get(member["option"], {}).items():
            out[criterion] = out.get(criterion, 0.0) + value - base.get(criterion, 0.0)
    return out


def _reference(doc: ReportDocument, plan: ScenarioPlanData) -> str | None:
    bundles = doc.get("bundles") or []
    found = next((b for b in bundles if b["scenario"] == plan["scenario"]), None)
    return found["reference"] if found else None


def _weights(doc: ReportDocument, scenario: str) -> dict[str, float]:
    section = _scenario(doc, scenario)
    return dict(section["weights"]) if section else {}


def sampled_support(doc: ReportDocument, plan: ScenarioPlanData) -> list[tuple[str, float, int]]:
    """(scenario title, share of samples in which the package is best, samples) for each
    sampled scenario whose best package now is the base plan's; the base scenario's own
    figure alone when it is sampled."""
    members = {m["option"] for m in plan["do_now"]["members"]}
    plans = doc["plan"]["plans"] if "plan" in doc else []
    titles = {s["id"]: s["title"] for s in doc["scenarios"]}
    own = plan["do_now"]["probability"]
    if own is not None and plan["samples"] > 1:
        return [(titles.get(plan["scenario"], plan["scenario"]), own, plan["samples"])]
    out = []
    for other in plans:
        probability = other["do_now"]["probability"]
        same = {m["option"] for m in other["do_now"]["members"]} == members
        if probability is not None and other["samples"] > 1 and same:
            out.append((titles.get(other["scenario"], other["scenario"]), probability,
                        other["samples"]))
    return out


def _sure_section(doc: ReportDocument, plan: ScenarioPlanData, names: Names) -> list[Block]:
    blocks: list[Block] = [Heading(2, "How sure", "how-sure")]
    support = sampled_support(doc, plan)
    own = plan["do_now"]["probability"] is not None and plan["samples"] > 1
    if own:
        _, probability, samples = support[0]
        text = f"The package is the best in {share_in_words(probability, samples)}."
    else:
        text = "The base scenario is not sampled: a single point estimate."
        if support:
            text += " In the sampled scenarios, the same package is the best in " + "; ".join(
                        f"{share_in_words(p, n)} of *{escape(t)}*" for t, p, n in support) + "."
        else:
            text += " No sampled scenario has this package as its best."
    hedge = doc["plan"]["hedge"] if "plan" in doc else None
    if hedge is not None and hedge["worlds"] > 1:
        if hedge["same"]:
            text += (f" Across all {hedge['worlds']:,} worlds of every scenario, no package "
                     f"has a smaller worst-case regret ({number(hedge['now_max_regret'])}).")
        else:
            text += (f" Across all {hedge['worlds']:,} worlds of every scenario, "
                     f"{names.options_list(hedge['package'])} would hedge better (worst-case "
                     f"regret {number(hedge['max_regret'])} against "
                     f"{number(hedge['now_max_regret'])}).")
    blocks.append(Paragraph(text))
    members = [m["option"] for m in plan["do_now"]["members"]]
    flips = [r for r in register(doc, plan["scenario"]) if r["flips_package"]]
    if flips:
        blocks.append(Paragraph("Judgements that change the package within their range:"))
        blocks.append(Bullets([_flip_text(r, members, names)
                               for r in flips[:JUDGEMENTS_SHOWN]]))
    elif register(doc, plan["scenario"]):
        blocks.append(Paragraph("No single judgement, moved across its range, changes the "
                                "package."))
    return blocks


def _flip_text(row: AssumptionRow, members: Sequence[str], names: Names) -> str:
    changes = [c for c in row["changes"] if c["package"] is not None
               and set(c["package"]) != set(members)]
    head = f"{judgement(row, names)}, set at {_row_value(row, names)}"
    head = head[:1].upper() + head[1:]
    if not changes:
        return head + "."
    change = changes[0]
    end = number(row["low"] if change["end"] == "low" else row["high"])
    return f"{head}: at {end} the best package {_change(members, change['package'] or [], names)}."


def _change_section(plan: ScenarioPlanData, names: Names) -> list[Block]:
    nearest = nearest_thresholds(plan)
    blocks: list[Block] = [Heading(2, "What would change it", "what-would-change-it")]
    if not nearest:
        blocks.append(Paragraph("No single indicator, moved within its range, changes the "
                                "plan."))
        return blocks
    blocks.append(Paragraph("The nearest thresholds, each indicator moved alone:"))
    blocks.append(Bullets([_threshold_text(t, plan, names) for t in nearest]))
    return blocks


def modeller_assumptions(doc: ReportDocument, scenario: str) -> list[AssumptionRow]:
    """The top of the register: the most influential judgements the modeller made (rather
    than read from the source)."""
    return [r for r in register(doc, scenario) if r["by"] != "source"][:ASSUMPTIONS_SHOWN]


def first_sentence(text: str) -> str:
    """A text's first sentence (or its clause before a semicolon), ending in a full stop;
    an abbreviation such as "U.S." does not end it."""
    first = re.split(r"(?<=[a-z0-9)][.;])\s", " ".join(text.split()), maxsplit=1)[0]
    first = first.rstrip(";")
    return first if first.endswith((".", "!", "?")) else first + "."


def _assumed_section(doc: ReportDocument, plan: ScenarioPlanData, names: Names) -> list[Block]:
    rows = modeller_assumptions(doc, plan["scenario"])
    blocks: list[Block] = [Heading(2, "What the modeller assumed", "assumed")]
    if not rows:
        blocks.append(Paragraph("The assumptions register was not run for this scenario."))
        return blocks
    items = []
    for row in rows:
        why = row["reason"] or row["rationale"] or ""
        confidence = f" ({row['confidence']} confidence)" if row["confidence"] else ""
        text = f"{judgement(row, names)} = {_row_value(row, names)}{confidence}"
        text = text[:1].upper() + text[1:]
        items.append(text + (f": {escape(first_sentence(why))}" if why else "."))
    blocks.append(Bullets(items))
    return blocks


# ---------------------------------------------------------------------------- the brief


def brief_title(doc: ReportDocument) -> str:
    """The brief's title (also the HTML page's)."""
    return f"Brief: {doc['model']['title']}"


def brief_blocks(doc: ReportDocument, appendix: str | None) -> list[Block]:
    """The brief as blocks; ``appendix`` is the full report's file name to link to (None:
    name it without a link, as in the PDF)."""
    names = Names(doc)
    source = doc["model"]["source"]
    by = ", ".join(str(x) for x in (source.get("author"), source.get("publisher"),
                                     source.get("year")) if x)
    report = f"[{appendix}]({appendix})" if appendix else "report.html"
    plan = base_plan(doc)
    base = plan["scenario"] if plan else doc["baseline"]
    section = _scenario(doc, base)
    scenario_title = section["title"] if section else base
    blocks: list[Block] = [
        Heading(1, escape(brief_title(doc)), "brief"),
        Paragraph(
            f"Source: *{escape(source['title'])}*{f' ({escape(by)})' if by else ''}. "
            f"Scenario: *{escape(scenario_title)}*. Appendix: the full report, {report}."
        ),
    ]
    if plan is None:
        summary = next((s for s in doc["summary"] if s["scenario"] == base), None)
        top = f"*{escape(summary['top_title'])}*" if summary else "no option"
        blocks += [Heading(2, "The recommendation", "plan"),
                   Paragraph(f"The model ranks {top} first. The adaptive plan was not made "
                             "(it needs the portfolio analysis of a components model).")]
        return blocks
    blocks += _plan_section(doc, plan, names)
    blocks += _why_section(doc, plan, names)
    blocks += _sure_section(doc, plan, names)
    blocks += _change_section(plan, names)
    blocks += _assumed_section(doc, plan, names)
    return blocks


def brief_files(doc: ReportDocument, pdf: bool = False) -> dict[str, bytes]:
    """``brief.md`` (linking ``report.md``), ``brief.html`` (linking ``report.html``) and,
    with ``pdf``, ``brief.pdf`` printed from the HTML (naming the report without a link,
    since a printed link would carry the temporary folder's path)."""
    from decision.reports.html import render_html
    from decision.reports.markdown import render_markdown

    title = brief_title(doc)
    files = {
        "brief.md": render_markdown(brief_blocks(doc, "report.md")).encode(),
        "brief.html": render_html(brief_blocks(doc, "report.html"), title, contents=False,
                                  css=BRIEF_CSS).encode(),
    }
    if pdf:
        from decision.reports.pdf import print_pdf

        page = render_html(brief_blocks(doc, None), title, contents=False, css=BRIEF_CSS)
        files["brief.pdf"] = print_pdf(page)
    return files
