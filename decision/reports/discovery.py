"""The report's scenario-discovery section: its data in ``results.json`` and its blocks.

:func:`discovery_data` turns the base scenario's exploration
(:func:`decision.study.study.discover`) into the typed
:class:`~decision.reports.document.DiscoveryDocument`; :func:`discovery_blocks` says it in
words (boxes as conditions on the inputs, option titles for ids, every probability with its
Monte Carlo error) beside the coverage-density and box charts of
:mod:`decision.reports.charts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal, cast

from decision.reports.brief import Names
from decision.reports.document import (
    DiscoveryDocument,
    DiscoveryFinding,
    DiscoveryLimit,
    ReportDocument,
)
from decision.reports.markdown import Block, Bullets, Figure, Heading, Paragraph, escape
from decision.results import rounded

if TYPE_CHECKING:
    from decision.analyses.explore.run import Exploration
    from decision.core.compile import CompiledModel
    from decision.reports.charts import Chart

#: Inputs listed per outcome (most influential) and per decision (worth resolving).
LISTED = 3
InputKind = Literal["indicator", "judgement", "likelihood", "weight"]


def discovery_data(found: Exploration, model: CompiledModel) -> DiscoveryDocument:
    """The exploration as the report's plain data (rounded by :func:`rounded`)."""
    booleans = {f"indicator:{name}" for name, b in zip(model.indicators, model.is_boolean,
                                                       strict=True) if b}
    ranges: dict[str, tuple[float, float]] = {}
    if found.experiments is not None:
        lows, highs = found.experiments.min(axis=0), found.experiments.max(axis=0)
        ranges = {n: (float(lo), float(hi)) for n, lo, hi in zip(found.inputs, lows, highs,
                                                                  strict=True)}
    findings: list[DiscoveryFinding] = []
    for f in found.findings:
        kind, _, option = f.outcome.partition(":")
        box = f.box
        limits: list[DiscoveryLimit] | None = None
        if box is not None:
            limits = []
            for lim in box.limits:
                what, _, name = lim.input.partition(":")
                lo, hi = ranges.get(lim.input, (0.0, 1.0))
                limits.append({
                    "input": lim.input, "kind": cast(InputKind, what), "name": name,
                    "boolean": lim.input in booleans,
                    "low": None if lim.low is None else rounded(lim.low),
                    "high": None if lim.high is None else rounded(lim.high),
                    "min": rounded(lo), "max": rounded(hi),
                })
        findings.append({
            "outcome": f.outcome, "kind": kind,
            "option": option if kind in ("top", "in-package", "out-of-package") else None,
            "probability": f.probability, "mc_error": f.mc_error, "limits": limits,
            "coverage": None if box is None else rounded(box.coverage),
            "density": None if box is None else rounded(box.density),
            "mass": None if box is None else rounded(box.mass),
            "trajectory": [{"coverage": rounded(t.coverage), "density": rounded(t.density),
                            "mass": rounded(t.mass), "restricted": t.restricted}
                           for t in f.trajectory],
            "chosen": f.chosen,
        })
    return {
        "scenario": found.scenario, "design": found.design, "samples": found.samples,
        "seed": found.seed, "inputs": len(found.inputs), "discovery_rows": found.discovery_rows,
        "trim_tolerance": found.trim_tolerance, "do_now": found.do_now,
        "do_now_value": found.do_now_value, "satisficing": found.satisficing,
        "findings": findings,
        "influence": [
            {"outcome": s.outcome,
             "noise_floor": s.floor,
             "inputs": {i.input: i.first for i in s.inputs[:LISTED] if i.first > 0},
             "intervals": {i.input: i.first_conf for i in s.inputs[:LISTED] if i.first > 0}}
            for s in found.sensitivity
        ],
        "information": [
            {"decision": cast(Literal["option", "package"], v.decision), "chosen": v.members,
             "evpi": v.evpi, "noise_floor": v.noise_floor,
             "inputs": {w.input: w.evppi for w in v.inputs[:LISTED]}}
            for v in found.information
        ],
    }


def input_text(name: str, names: Names) -> str:
    """A column name as the report says it: an indicator by its description, the others in
    words, options by their titles."""
    kind, _, rest = name.partition(":")
    if kind == "indicator":
        return names.indicator(rest)
    if kind == "weight":
        return f"the weight of {names.criterion(rest)}"
    if kind == "likelihood":
        return f"the chance that {names.option(rest)} works"
    option, _, criterion = rest.partition("/")
    return f"how well {names.option(option)} serves {names.criterion(criterion)}"


def limit_text(lim: DiscoveryLimit, names: Names) -> str:
    """One condition of a box, e.g. how closely U.S. and European policy align is below 0.63."""
    what = input_text(lim["input"], names)
    low, high = lim["low"], lim["high"]
    if lim["boolean"]:
        return f"{what} is {'true' if low is not None else 'false'}"
    if low is not None and high is not None:
        return f"{what} is between {low:.3g} and {high:.3g}"
    if low is not None:
        return f"{what} is above {low:.3g}"
    return f"{what} is below {high:.3g}"


def outcome_text(f: DiscoveryFinding, doc: DiscoveryDocument, names: Names) -> str:
    """What the outcome of interest is, in words, with option titles."""
    option = names.option(f["option"]) if f["option"] else ""
    return {
        "package-loses": "the do-now package stops being the best",
        "below-satisficing": f"the do-now package delivers less than {doc['satisficing']:.3g}",
        "top": f"{option} ranks first",
        "in-package": f"{option} is part of the best package",
        "out-of-package": f"{option} stops being part of the best package",
    }.get(f["kind"], escape(f["outcome"]))


def finding_text(f: DiscoveryFinding, doc: DiscoveryDocument, names: Names) -> str:
    """One outcome: how often (with its Monte Carlo error), and its box in words."""
    what = outcome_text(f, doc, names)
    often = f"in {f['probability']:.1%} ± {f['mc_error']:.1%} of samples"
    if f["limits"] is None:
        return f"{what[0].upper()}{what[1:]} {often}."
    when = " and ".join(limit_text(lim, names) for lim in f["limits"]) or "anywhere"
    return (f"{what[0].upper()}{what[1:]} ({often}) when {when}: this box covers "
            f"{f['coverage'] or 0:.0%} of such cases with {f['density'] or 0:.0%} density.")


def discovery_blocks(data: ReportDocument, charts: Mapping[str, Chart], names: Names
                     ) -> list[Block]:
    """The section: the boxes, the most influential inputs and the inputs worth resolving."""
    doc = data.get("discovery")
    if doc is None:
        return []
    scenario = next((s["title"] for s in data["scenarios"] if s["id"] == doc["scenario"]),
                    doc["scenario"])
    outcomes = {f["outcome"]: outcome_text(f, doc, names) for f in doc["findings"]}
    outcomes |= {"do_now_value": "the do-now package's value",
                 "regret": "the regret of the do-now package"}
    influence = [
        f"**{outcomes.get(s['outcome'], escape(s['outcome']))[:1].upper()}"
        f"{outcomes.get(s['outcome'], escape(s['outcome']))[1:]}**: "
        + ("; ".join(f"{input_text(k, names)} {v:.2f} ± {s['intervals'][k]:.2f}"
                     for k, v in s["inputs"].items())
           or "no input stands out") + "."
        for s in doc["influence"]
    ]
    worth = [
        f"**Which {v['decision']} to choose** (now: {names.options_list(v['chosen'])}; EVPI "
        f"{v['evpi']:.3g}): "
        + ("; ".join(f"{input_text(k, names)} {x:.3g}" for k, x in v["inputs"].items())
           or "no input is worth resolving first") + "."
        for v in doc["information"] if v["decision"] != "package"
    ] + [
        f"**Which package to choose** (now: the do-now package; EVPI {v['evpi']:.3g}): "
        + ("; ".join(f"{input_text(k, names)} {x:.3g}" for k, x in v["inputs"].items())
           or "no input is worth resolving first") + "."
        for v in doc["information"] if v["decision"] == "package"
    ]
    blocks: list[Block] = [
        Heading(3, "Scenario discovery", "discovery"),
        Paragraph(
            f"{doc['samples']:,} Monte Carlo samples of *{escape(scenario)}* (seed "
            f"{doc['seed']}) over its {doc['inputs']} uncertain inputs: every indicator across "
            "its range or declared distribution, every uncertain judgement and likelihood, and "
            "the weights. The do-now package (section 2) is worth "
            f"{doc['do_now_value']:.3f} there. Each box (PRIM, on the first "
            f"{doc['discovery_rows']:,} samples; restrictions adding less than "
            f"{doc['trim_tolerance']:.0%} of density dropped) says under which conditions the "
            "outcome happens: coverage is the share of the outcome's cases inside the box, "
            "density the share of the box's cases where it happens. Probabilities carry their "
            "Monte Carlo standard error."
        ),
        Bullets([finding_text(f, doc, names) for f in doc["findings"]]),
    ]
    blocks += [Figure(charts[n]) for n in ("coverage-density", "discovery-box") if n in charts]
    blocks += [
        Paragraph("Most influential inputs (given-data first-order index: the share of the "
                  "outcome's variance the input explains alone, ± the half-width of its 95% "
                  "Poisson-bootstrap interval):"),
        Bullets(influence),
        Paragraph("Inputs worth resolving before deciding (expected value of partial perfect "
                  "information, in value units; EVPI: of resolving everything):"),
        Bullets(worth),
    ]
    return blocks
