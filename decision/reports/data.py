"""The report's data (``results.json``): everything the report says, as one document.

``report_data(study)`` gathers everything the report says into one plain, JSON-ready document:
the Markdown and HTML reports and the charts render from it and compute nothing of their own,
so every number a reader sees is in ``results.json`` too. Its layout is the typed
:class:`~decision.reports.document.ReportDocument` (JSON Schema generated from it, versioned by
``schema_version``), checked whole against those types whenever :data:`CHECK_ENV` is set (the
test suite sets it, so every document a test builds is checked); sentences come from
:mod:`decision.reports.wording`, provenance from :mod:`decision.reports.provenance`. It holds no
time stamp and no absolute path, and floats are rounded by the one rule of
:func:`decision.results.rounded`, so the same inputs give the same bytes on every machine.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from decision.reports.document import (
    AssumptionChange,
    Assumptions,
    Cause,
    Citation,
    CriterionInfo,
    EvidenceItem,
    ExpertDisagreement,
    FailedPreconditionData,
    Finding,
    IndicatorExpertDisagreement,
    ModelInfo,
    MovedOption,
    Movement,
    OptionInfo,
    OptionRow,
    PackageHeadline,
    Portfolio,
    ReportDocument,
    ScenarioFindings,
    ScenarioSection,
    Sensitivity,
    Setting,
    SourceComparison,
    Step,
    SummaryRow,
    cap_crossovers,
)
from decision.reports.schema import REPORT_SCHEMA_VERSION, RESULTS_KIND
from decision.reports.wording import (
    change_sentence,
    condition_values_text,
    distribution_text,
    value_text,
)
from decision.results import rounded, to_data
from decision.results.booleans import booleans_as_bools

if TYPE_CHECKING:
    from decision.results import OptionResult, ScenarioResult
    from decision.specs import CriterionSpec, ModelSpec, OptionSpec
    from decision.study.scenario import ScenarioRun
    from decision.study.study import Study


def sensitivity_of(study: Study) -> dict[str, Sensitivity]:
    """Each scenario's analyses (every row of :data:`ANALYSES` the study ran) as plain data,
    by scenario id; empty when the study was run without them."""
    found: dict[str, Sensitivity] = {}
    for item in study.sensitivity:
        parts: Sensitivity = to_data(item.parts)
        if "tipping" in parts:
            tipping = parts["tipping"]
            points = (p for i in tipping["indicators"] for p in [*i["up"], *i["down"]])
            tipping["sentences"] = [p["sentence"] for p in points]
        if "weights" in parts:
            cap_crossovers(parts["weights"])
        found[item.scenario] = parts
    return found


def bundles_of(study: Study) -> list[Portfolio] | None:
    """The study's portfolio analyses as plain data (one per scenario), if it has any."""
    found: list[Portfolio] = [to_data(item) for item in study.portfolios]
    return found or None


# ------------------------------------------------------------------------------ the document


def report_data(study: Study) -> ReportDocument:
    """Everything the report shows, as one JSON-ready document, checked against its types."""
    from decision._version import __version__

    first = study.results[0]
    model = study.runs[0].model
    spec = model.spec
    baseline = study.baseline
    comparisons = {m.scenario: m for m in study.method_comparisons}
    sensitivity = sensitivity_of(study)
    scenarios: list[ScenarioSection] = []
    for run in study.runs:
        result = run.result
        movement = None if result is baseline else _movement(result, baseline)
        scenarios.append(
            {
                "id": result.scenario,
                "title": result.title,
                "description": " ".join(result.description.split())
                if result.description
                else None,
                "path": result.scenario_path,
                "method": to_data(result.method),
                "perspective": result.perspective,
                "samples": result.samples,
                "seed": result.seed,
                "weights": to_data(result.weights),
                "settings": _settings(run),
                "options": [_option(o) for o in result.options],
                "methods": to_data(comparisons[result.scenario])
                if result.scenario in comparisons
                else None,
                "movement": movement,
                "sensitivity": sensitivity.get(result.scenario) or None,
            }
        )
    model_info: ModelInfo = {
        "id": spec.id,
        "title": spec.title,
        "path": first.model_path,
        "source": to_data(spec.source.model_dump(exclude_none=True, exclude={"recommends"})),
    }
    if spec.options_are == "components":
        model_info["options_are"] = "components"
    bundles = {b["scenario"]: b for b in bundles_of(study) or []}
    summary = [
        _summary(run, baseline, spec, bundles.get(run.scenario), bundles.get(baseline.scenario))
        for run in study.runs
    ]
    document: ReportDocument = {
        "schema_version": REPORT_SCHEMA_VERSION,
        "kind": RESULTS_KIND,
        "tool_version": __version__,
        "model": model_info,
        "baseline": baseline.scenario,
        "criteria": [_criterion_info(c, item) for c, item in spec.criteria.items()],
        "indicators": [
            {
                "id": i,
                "description": item.description,
                "unit": item.unit,
                "boolean": item.type == "boolean",
                "min": item.low,
                "max": item.high,
                "baseline": float(item.baseline),
            }
            for i, item in spec.indicators.items()
        ],
        "options": [_option_info(o, item) for o, item in spec.options.items()],
        "summary": summary,
        "scenarios": scenarios,
        "robustness": None if study.robustness is None else to_data(study.robustness),
        "bundles": bundles_of(study),
        "bundles_note": study.portfolio_note,
        "evidence": evidence_index(spec),
    }
    if spec.source.recommends is not None:
        document["recommends"] = source_comparison(spec, scenarios, summary)
    if study.plan is not None:
        document["plan"] = to_data(study.plan)
    if study.exploration is not None:
        from decision.reports.discovery import discovery_data

        document["discovery"] = discovery_data(study.exploration, study.baseline_run.model)
    disagreements = expert_disagreements(spec)
    if disagreements:
        document["expert_disagreements"] = disagreements
    indicator_disagreements = indicator_expert_disagreements(study.runs)
    if indicator_disagreements:
        document["indicator_expert_disagreements"] = indicator_disagreements
    if os.environ.get(CHECK_ENV):
        return checked(with_booleans(document))
    return with_booleans(document)


#: Set (to anything) to check each document against its types as :func:`report_data` builds
#: it. The shape of the document is the code's, not the input's, so the test suite checks it
#: (``tests/conftest.py`` sets this for every test and the commands tests run) and a user's
#: run skips building pydantic's adapter of the types (about 0.08 CPU s).
CHECK_ENV = "DECISION_CHECK_DOCUMENT"


def with_booleans(document: ReportDocument) -> ReportDocument:
    """The document with every boolean indicator's value as true/false, not 0/1: the model
    baselines, scenario settings, failing conditions' values, tipping points, openings,
    tornado bars and the plan's conditions, signposts and tipping points."""
    booleans = {i["id"] for i in document["indicators"] if i["boolean"]}
    for indicator in document["indicators"]:
        if indicator["id"] in booleans:
            indicator["baseline"] = bool(indicator["baseline"] >= 0.5)
    booleans_as_bools(document["scenarios"], booleans)
    if "plan" in document:
        booleans_as_bools(document["plan"], booleans)
    return document




def expert_disagreements(spec: ModelSpec) -> list[ExpertDisagreement]:
    """Pooled judgements whose experts' ranges do not all overlap, in model order."""
    found: list[ExpertDisagreement] = []
    for o, option in spec.options.items():
        for c, perf in option.performance.items():
            pairs = perf.disagreements()
            if not pairs:
                continue
            found.append({
                "option": o,
                "criterion": c,
                "experts": [
                    {"by": e.by, "low": rounded(e.low), "mode": rounded(e.mode),
                     "high": rounded(e.high), "weight": rounded(e.weight)}
                    for e in perf.experts or []
                ],
                "pairs": [[a.by, b.by] for a, b in pairs],
            })
    return found


def indicator_expert_disagreements(
    runs: Sequence[ScenarioRun],
) -> list[IndicatorExpertDisagreement]:
    """Scenarios' pooled indicator settings whose experts' ranges do not all overlap, in
    scenario then model order."""
    from decision.specs.scenario import ExpertsSpec

    found: list[IndicatorExpertDisagreement] = []
    for run in runs:
        for k, setting in sorted(run.inputs.settings.items()):
            if not isinstance(setting, ExpertsSpec):
                continue
            pairs = setting.disagreements()
            if not pairs:
                continue
            found.append({
                "scenario": run.result.scenario,
                "indicator": run.model.indicators[k],
                "experts": [
                    {"by": e.by, "low": rounded(e.low), "mode": rounded(e.mode),
                     "high": rounded(e.high), "weight": rounded(e.weight)}
                    for e in setting.experts
                ],
                "pairs": [[a.by, b.by] for a, b in pairs],
            })
    return found


def checked(document: ReportDocument) -> ReportDocument:
    """The document, once it holds exactly what its types say: every key of the right type,
    none missing and none more (a result class and its part of the document must agree)."""
    from pydantic import ValidationError

    from decision.reports.document import document_adapter

    try:
        validated = document_adapter().validate_python(document, strict=True)
    except ValidationError as exc:
        raise ValueError(f"the report document does not match its types: {exc}") from None
    if validated != document:
        raise ValueError("the report document holds keys its types do not describe")
    return document


def _settings(run: ScenarioRun) -> list[Setting]:
    """Indicators the scenario moves from the model's baseline, or draws from a distribution."""
    model, result = run.model, run.result
    uncertain = {model.indicators[k]: s for k, s in run.inputs.settings.items()}
    rows: list[Setting] = []
    for k, name in enumerate(model.indicators):
        value = result.indicators[name]
        base = float(model.baseline[k])
        if name not in uncertain and rounded(value) == rounded(base):
            continue
        boolean = bool(model.is_boolean[k])
        rows.append(
            {
                "indicator": name,
                "value": rounded(value),
                "baseline": rounded(base),
                "text": value_text(value, boolean),
                "baseline_text": value_text(base, boolean),
                "distribution": distribution_text(uncertain[name]) if name in uncertain else None,
            }
        )
    return rows


def _option_info(name: str, item: OptionSpec) -> OptionInfo:
    """An option of the model as the report lists it; the ``likelihood`` key only for an
    option that has one, so reports of models without likelihoods are unchanged."""
    info: OptionInfo = {
        "id": name,
        "title": item.title,
        "recommendation": item.recommendation,
        "reference": item.reference,
        "preconditions": [p.when for p in item.preconditions],
    }
    likelihood = item.likelihood
    if likelihood is not None:
        info["likelihood"] = {
            "value": likelihood.value,
            "low": likelihood.value if likelihood.low is None else likelihood.low,
            "high": likelihood.value if likelihood.high is None else likelihood.high,
            "if_failure": dict(likelihood.if_failure),
            "rationale": likelihood.rationale,
        }
    return info


def _option(option: OptionResult) -> OptionRow:
    u = option.uncertainty
    return {
        "id": option.id,
        "title": option.title,
        "rank": option.rank,
        "score": rounded(option.score),
        "available": option.available,
        "performance": to_data(option.performance),
        "contributions": to_data(option.contributions),
        "failed": [
            {
                "when": f.when,
                "reason": " ".join(f.reason.split()),
                "evidence": list(f.evidence),
                "conditions": [
                    {"text": c.text, "values": to_data(c.values), "gap": to_data(c.gap)}
                    for c in f.conditions
                ],
            }
            for f in option.failed
        ],
        "availability": None if u is None else u.availability,
        "score_mean": None if u is None else u.score_mean,
        "score_quantiles": None if u is None else u.score_quantiles,
        "rank_acceptability": None if u is None else u.rank_acceptability,
        "central_weights": None if u is None else u.central_weights,
        "confidence_factor": None if u is None else u.confidence_factor,
    }


def p_first(option: OptionResult) -> float | None:
    """Share of samples in which the option ranks first (None when not sampled)."""
    if option.uncertainty is None:
        return None
    return option.uncertainty.p_first


def _summary(
    run: ScenarioRun,
    baseline: ScenarioResult,
    spec: ModelSpec,
    bundle: Portfolio | None,
    baseline_bundle: Portfolio | None,
) -> SummaryRow:
    result = run.result
    top = result.top
    runner = result.options[1] if len(result.options) > 1 else None
    share = p_first(top)
    if top.available:
        sentence = f"{top.title} ({top.id}) comes first with a score of {top.score:.3f}"
        if share is not None:
            sentence += f", ranking first in {share:.1%} of {result.samples:,} samples"
        if runner is not None and runner.available:
            sentence += f"; runner-up {runner.id} ({runner.score:.3f})"
        sentence += "."
    else:
        sentence = "No option is available in this scenario."
    package = None
    change = None if result is baseline else change_sentence(run, baseline, spec)
    if spec.options_are == "components" and bundle is not None:
        package = _package(result, bundle)
        sentence = _package_sentence(package)
        if result is not baseline and baseline_bundle is not None:
            change = _package_change(bundle, baseline_bundle)
    row: SummaryRow = {
        "scenario": result.scenario,
        "title": result.title,
        "top": top.id,
        "top_title": top.title,
        "score": rounded(top.score),
        "available": top.available,
        "p_first": share,
        "samples": result.samples,
        "runner_up": runner.id if runner is not None and runner.available else None,
        "runner_up_score": rounded(runner.score)
        if runner is not None and runner.available
        else None,
        "sentence": sentence,
        "change": change,
    }
    if package is not None:
        row["package"] = package
    return row


def _package(result: ScenarioResult, bundle: Portfolio) -> PackageHeadline:
    """A components model's headline: the best package and each member's marginal value."""
    best = bundle["best"]
    marginal = {o["option"]: o["marginal"] for o in bundle["per_option"]}
    return {
        "members": [{"option": m, "marginal": marginal[m]} for m in best["members"]],
        "value": best["value"],
        "reference": bundle["reference"],
        "probability": best["probability"] if bundle["samples"] > 1 else None,
        "left_out": [
            {"option": o, "available": result.option(o).available}
            for o in bundle["options"]
            if o not in best["members"]
        ],
    }


def _package_change(bundle: Portfolio, baseline: Portfolio) -> str:
    """How a scenario's best package differs from the baseline's."""
    now, before = bundle["best"]["members"], baseline["best"]["members"]
    added = [o for o in now if o not in before]
    dropped = [o for o in before if o not in now]
    value = f"value {baseline['best']['value']:.3f} \u2192 {bundle['best']['value']:.3f}"
    if not added and not dropped:
        return f"Against {baseline['scenario']}, the package is the same ({value})."
    parts = ([f"adds {', '.join(added)}"] if added else []) + (
        [f"drops {', '.join(dropped)}"] if dropped else []
    )
    return f"Against {baseline['scenario']}, the package {' and '.join(parts)} ({value})."


def _package_sentence(package: PackageHeadline) -> str:
    """The package headline in one sentence."""
    members = package["members"]
    if not members:
        return "No package within the budgets adds value over the reference."
    over = f" over {package['reference']}" if package["reference"] else ""
    text = (
        "The best package within the budgets is "
        + " + ".join(m["option"] for m in members)
        + f" (value {package['value']:.3f}{over}"
    )
    if package["probability"] is not None:
        text += f", best in {package['probability']:.1%} of samples"
    text += "); marginal values: " + ", ".join(
        f"{m['option']} {m['marginal']:.3f}" for m in members
    )
    if package["left_out"]:
        text += "; left out: " + ", ".join(
            o["option"] + ("" if o["available"] else " (unavailable)")
            for o in package["left_out"]
        )
    return text + "."


# ------------------------------------------------------------------------------ the source


#: Judgements named behind each disagreement.
CAUSES = 3


def source_comparison(
    spec: ModelSpec, scenarios: Sequence[ScenarioSection], summary: Sequence[SummaryRow]
) -> SourceComparison:
    """What the source recommends against what the model finds in each scenario (its best
    package for a components model, else its top option), with the judgements behind each
    disagreement from the scenario's assumptions register."""
    recommends = spec.source.recommends
    assert recommends is not None
    found: list[ScenarioFindings] = []
    pairs = list(zip(scenarios, summary, strict=True))
    pairs.sort(key=lambda pair: pair[1]["change"] is not None)  # the baseline first
    for section, row in pairs:
        register = (section["sensitivity"] or {}).get("assumptions")
        package = row.get("package")
        if package is not None:
            kind: Literal["package", "top option"] = "package"
            picked = [m["option"] for m in package["members"]]
        else:
            kind = "top option"
            picked = [row["top"]] if row["available"] else []
        findings = _findings(spec, section, kind, picked, register)
        found.append(
            {
                "scenario": section["id"],
                "title": section["title"],
                "kind": kind,
                "model": picked,
                "agreements": [f for f in findings if f["agrees"]],
                "disagreements": [f for f in findings if not f["agrees"]],
            }
        )
    return {
        "now": list(recommends.now),
        "when": [
            {"options": list(w.options), "condition": " ".join(w.condition.split()),
             "locator": w.locator}
            for w in recommends.when
        ],
        "locator": recommends.locator,
        "scenarios": found,
    }


def _findings(
    spec: ModelSpec,
    section: ScenarioSection,
    kind: Literal["package", "top option"],
    picked: list[str],
    register: Assumptions | None,
) -> list[Finding]:
    """Each option the source recommends (now or later) or the model picks, compared."""
    recommends = spec.source.recommends
    assert recommends is not None
    rows = {r["id"]: r for r in section["options"]}
    later = {o: w for w in recommends.when for o in w.options}
    shown = list(dict.fromkeys([*recommends.now, *later, *picked]))
    findings: list[Finding] = []
    for option in shown:
        chosen = option in picked
        if kind == "package":
            seen: Literal["in the package", "left out", "first", "not first"] = (
                "in the package" if chosen else "left out"
            )
        else:
            seen = "first" if chosen else "not first"
        row = rows[option]
        gated = bool(spec.options[option].preconditions)
        why_out = (
            "it is unavailable: " + "; ".join(_failed_text(f) for f in row["failed"])
            if not row["available"]
            else (
                "it does not make the best package within the budgets"
                if kind == "package"
                else f"it ranks {row['rank']}"
            )
        )
        model_says = (
            "in the model's best package" if kind == "package" else "the model's top option"
        )
        if option in recommends.now:
            source: Literal["now", "when", "not recommended"] = "now"
            agrees = chosen
            sentence = (
                f"The source recommends {option} now, and it is {model_says}."
                if chosen
                else f"The source recommends {option} now; the model leaves it out: {why_out}."
            )
        elif option in later:
            source = "when"
            condition = " ".join(later[option].condition.split()).rstrip(".")
            # an option whose preconditions hold here is one the model judges due: its gate
            # is the model's reading of the source's condition
            agrees = not chosen or gated
            if not chosen:
                sentence = (
                    f"The source defers {option} ({condition}), and the model leaves it out "
                    f"too: {why_out}."
                )
            elif gated:
                sentence = (
                    f"The source defers {option} ({condition}); its preconditions, the model's "
                    f"reading of that condition, hold here, and it is {model_says}."
                )
            else:
                sentence = (
                    f"The source defers {option} ({condition}); the model adopts it now, with "
                    "no precondition standing for that condition."
                )
        else:
            source = "not recommended"
            agrees = False
            sentence = f"The source does not recommend {option}; it is {model_says}."
        causes = [] if agrees else _causes(option, chosen, kind, register)
        if not agrees and register is not None and not causes:
            sentence += " No judgement, moved alone across its range, ends this disagreement."
        findings.append(
            {
                "option": option,
                "source": source,
                "model": seen,
                "agrees": agrees,
                "sentence": sentence,
                "causes": causes,
            }
        )
    return findings


def _failed_text(failed: FailedPreconditionData) -> str:
    """A failed precondition in words: its expression and the values that fail it."""
    shown = ", ".join(
        condition_values_text(c["text"], c["values"]) for c in failed["conditions"] if c["values"]
    )
    return f"needs {failed['when']}" + (f" ({shown})" if shown else "")


def _causes(
    option: str, chosen: bool, kind: Literal["package", "top option"], register: Assumptions | None
) -> list[Cause]:
    """The judgements behind a disagreement on ``option``: those that end it when moved alone
    across their range (most influential first), else the option's own most influential
    judgements."""
    if register is None:
        return []

    def resolves(changes: list[AssumptionChange]) -> bool:
        for change in changes:
            if kind == "package":
                members = change["package"]
                if members is not None and (option in members) != chosen:
                    return True
            elif (change["top"] == option) != chosen:
                return True
        return False

    ended = [r for r in register["rows"] if resolves(r["changes"])]
    own = [r for r in register["rows"] if r["key_path"].startswith(f"options.{option}.")]
    chosen_rows = ended[:CAUSES] if ended else own[:CAUSES]
    return [
        {
            "key_path": r["key_path"],
            "value": r["value"],
            "low": r["low"],
            "high": r["high"],
            "influence": r["influence"],
            "resolves": bool(ended),
        }
        for r in chosen_rows
    ]



def _movement(result: ScenarioResult, baseline: ScenarioResult) -> Movement:
    """Score waterfalls of the options whose rank differs from the baseline's."""
    moved: list[MovedOption] = []
    for after in sorted(result.options, key=lambda o: (o.rank, o.id)):
        before = baseline.option(after.id)
        if before.rank == after.rank:
            continue
        steps: list[Step] = [
            {"kind": "start", "label": baseline.scenario, "value": rounded(before.score)}
        ]
        level = before.score
        potential_before = sum(before.contributions.values())
        potential_after = sum(after.contributions.values())
        if not before.available:
            steps.append({"kind": "availability", "label": "becomes available",
                          "delta": rounded(potential_before)})
            level += potential_before
        elif abs(before.score - potential_before) > 1e-9:
            steps.append({"kind": "method", "label": "method (not additive)",
                          "delta": rounded(potential_before - before.score)})
            level = potential_before
        for criterion, value in after.contributions.items():
            delta = value - before.contributions[criterion]
            steps.append({"kind": "criterion", "label": criterion, "delta": rounded(delta)})
            level += delta
        if not after.available:
            steps.append({"kind": "availability", "label": "becomes unavailable",
                          "delta": rounded(-potential_after)})
            level -= potential_after
        elif abs(after.score - level) > 1e-9:
            steps.append({"kind": "method", "label": "method (not additive)",
                          "delta": rounded(after.score - level)})
        steps.append({"kind": "end", "label": result.scenario, "value": rounded(after.score)})
        moved.append(
            {
                "id": after.id,
                "rank_from": before.rank,
                "rank_to": after.rank,
                "score_from": rounded(before.score),
                "score_to": rounded(after.score),
                "available_from": before.available,
                "available_to": after.available,
                "steps": steps,
            }
        )
    return {"against": baseline.scenario, "options": moved}


def evidence_index(spec: ModelSpec) -> list[EvidenceItem]:
    """Every evidence item with its locator, figures, claim and the judgements citing it."""
    cited: dict[str, list[Citation]] = {e: [] for e in spec.evidence}

    def cite(ids: Sequence[str], entry: Citation) -> None:
        for evidence_id in ids:
            cited.setdefault(evidence_id, []).append(entry)

    for name, indicator in spec.indicators.items():
        cite(indicator.evidence, {"kind": "indicator", "indicator": name})
    for option_id, option in spec.options.items():
        for pre in option.preconditions:
            cite(pre.evidence, {"kind": "precondition", "option": option_id, "when": pre.when})
        for criterion, perf in option.performance.items():
            cite(perf.evidence, {"kind": "performance", "option": option_id,
                                 "criterion": criterion})
    for interaction in spec.interactions:
        cite(interaction.evidence, {"kind": "interaction", "options": list(interaction.options)})
    return [
        {
            "id": evidence_id,
            "locator": item.locator,
            "figures": list(item.figures),
            "claim": " ".join(item.claim.split()),
            "cited_by": cited[evidence_id],
        }
        for evidence_id, item in spec.evidence.items()
    ]


def _criterion_info(criterion: str, item: CriterionSpec) -> CriterionInfo:
    """A criterion as the report shows it, with its anchored scale where the model gives one."""
    info: CriterionInfo = {
        "id": criterion,
        "description": item.description,
        "direction": item.direction,
        "weight": rounded(item.weight),
    }
    if item.scale is not None:
        info["scale"] = {"worst": " ".join(item.scale.worst.split()),
                         "best": " ".join(item.scale.best.split())}
    return info
