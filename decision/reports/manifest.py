"""The report's data (``results.json``) and provenance (``manifest.json``), with their schemas.

``report_data(study)`` gathers everything the report says into one plain, JSON-ready document:
the Markdown and HTML reports and the charts render from it and compute nothing of their own,
so every number a reader sees is in ``results.json`` too. Its layout is :data:`RESULTS_SCHEMA`
(JSON Schema, versioned by ``schema_version``); ``manifest.json`` follows
:data:`MANIFEST_SCHEMA`. Neither holds a time stamp or an absolute path: the same inputs give
the same bytes on every machine. Floats are rounded to 12 significant digits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from decision.errors import DecisionError

if TYPE_CHECKING:
    from decision.core.compile import CompiledModel
    from decision.results import OptionResult, ScenarioResult
    from decision.specs import ModelSpec
    from decision.study.study import Study

#: Version of the layout of results.json; raised whenever a key changes meaning or goes away.
REPORT_SCHEMA_VERSION = 1
#: Version of the layout of manifest.json.
MANIFEST_SCHEMA_VERSION = 1
RESULTS_KIND = "decision-report-results"
MANIFEST_KIND = "decision-report-manifest"
#: How many changed inputs a summary sentence names before "and n more".
SUMMARY_INPUTS = 4


def round12(value: float) -> float:
    """Round to 12 significant digits, for stable JSON."""
    return float(f"{float(value):.12g}")


def to_json(data: Any) -> str:
    """Stable, indented JSON text ending in a newline."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def compiled_of(result: ScenarioResult) -> CompiledModel:
    """The compiled model a result carries (the report needs it)."""
    if result.compiled is None:
        raise ValueError(f"scenario '{result.scenario}' carries no compiled model")
    return result.compiled


# ------------------------------------------------------------------------------- formatting


def value_text(value: float, boolean: bool) -> str:
    """An indicator value as written in a scenario: true/false or a short number."""
    if boolean:
        return "true" if value >= 0.5 else "false"
    return f"{round12(value):g}"


def distribution_text(setting: Any) -> str:
    """A distribution setting in a few words, e.g. ``triangular 0.3-0.75, mode 0.55``."""
    data = setting.model_dump() if hasattr(setting, "model_dump") else dict(setting)
    dist = str(data.pop("dist", "distribution"))
    g = {k: _short(v) for k, v in data.items() if not isinstance(v, list)}
    if dist == "uniform":
        return f"uniform {g['low']}-{g['high']}"
    if dist in ("triangular", "pert"):
        return f"{dist} {g['low']}-{g['high']}, mode {g['mode']}"
    if dist == "normal":
        return f"normal {g['mean']} ± {g['sd']}"
    if dist == "bernoulli":
        return f"true with probability {g['p']}"
    if dist == "choice":
        return "one of " + ", ".join(_short(v) for v in data.get("values", []))
    return f"{dist}(" + ", ".join(f"{k} {v}" for k, v in g.items() if v != "None") + ")"


def _short(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{round12(value):g}"
    return str(value)


def method_text(method: Mapping[str, Any]) -> str:
    """``wsm`` or ``topsis(normalisation=vector)``."""
    params = {k: v for k, v in method.items() if k != "name"}
    if not params:
        return str(method["name"])
    return f"{method['name']}(" + ", ".join(f"{k}={v}" for k, v in sorted(params.items())) + ")"


def _plain(value: Any) -> Any:
    """Nested values made JSON-ready: floats rounded, tuples listed, keys as strings."""
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return round12(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):
        return _plain(value.tolist())
    return value


# ---------------------------------------------------------------------------- study sections


def sensitivity_of(study: Study) -> dict[str, dict[str, Any]]:
    """Each scenario's analyses (every row of :data:`ANALYSES` the study ran) as plain data,
    by scenario id; empty when the study was run without them."""
    from decision.analyses.registry import ANALYSES

    found: dict[str, dict[str, Any]] = {}
    for item in study.sensitivity:
        parts = {name: _plain(ANALYSES[name].to_data(part)) for name, part in item.parts.items()}
        if "tipping" in parts:
            parts["tipping"]["sentences"] = [p.sentence() for p in item.parts["tipping"].points]
        if "weights" in parts:
            cap_crossovers(parts["weights"])
        found[item.scenario] = parts
    return found


#: Crossovers a report lists per criterion: those nearest the current weight. Along one
#: weight path every pair of options may cross, so a model with many options would otherwise
#: list options^2 of them.
SHOWN_CROSSOVERS = 40


def cap_crossovers(weights: dict[str, Any]) -> None:
    """Keep the :data:`SHOWN_CROSSOVERS` crossovers nearest each criterion's current weight
    (in order of t) in a weight sensitivity's plain data; note how many there were."""
    for item in weights.get("criteria", []):
        crossovers = item["crossovers"]
        if len(crossovers) > SHOWN_CROSSOVERS:
            nearest = sorted(crossovers, key=lambda c: (abs(c["t"] - item["weight"]), c["t"]))
            item["crossovers"] = sorted(nearest[:SHOWN_CROSSOVERS], key=lambda c: c["t"])
            item["crossovers_total"] = len(crossovers)


def bundles_of(study: Study) -> list[dict[str, Any]] | None:
    """The study's portfolio analyses as plain data (one per scenario), if it has any."""
    return [_plain(item.to_dict()) for item in study.portfolios] or None


# ------------------------------------------------------------------------------ the document


def report_data(study: Study) -> dict[str, Any]:
    """Everything the report shows, as one JSON-ready document (see :data:`RESULTS_SCHEMA`)."""
    from decision._version import __version__

    first = study.results[0]
    model = compiled_of(first)
    spec = model.spec
    baseline = study.baseline
    comparisons = {m.scenario: m for m in study.method_comparisons}
    sensitivity = sensitivity_of(study)
    scenarios = []
    for result in study.results:
        movement = None if result is baseline else _movement(result, baseline)
        scenarios.append(
            {
                "id": result.scenario,
                "title": result.title,
                "description": " ".join(result.description.split())
                if result.description
                else None,
                "path": result.scenario_path,
                "method": _plain(result.method),
                "perspective": result.perspective,
                "samples": result.samples,
                "seed": result.seed,
                "weights": _plain(result.weights),
                "settings": _settings(result, model),
                "options": [_option(o) for o in result.options],
                "methods": _plain(comparisons[result.scenario].to_dict())
                if result.scenario in comparisons
                else None,
                "movement": movement,
                "sensitivity": sensitivity.get(result.scenario) or None,
            }
        )
    bundles = bundles_of(study)
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "kind": RESULTS_KIND,
        "tool_version": __version__,
        "model": {
            "id": spec.id,
            "title": spec.title,
            "path": first.model_path,
            "source": spec.source.model_dump(exclude_none=True),
        },
        "baseline": baseline.scenario,
        "criteria": [
            {
                "id": c,
                "description": item.description,
                "direction": item.direction,
                "weight": round12(item.weight),
            }
            for c, item in spec.criteria.items()
        ],
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
        "options": [
            {
                "id": o,
                "title": item.title,
                "recommendation": item.recommendation,
                "reference": item.reference,
                "preconditions": [p.when for p in item.preconditions],
            }
            for o, item in spec.options.items()
        ],
        "summary": [_summary(r, baseline, spec) for r in study.results],
        "scenarios": scenarios,
        "robustness": None if study.robustness is None else _plain(study.robustness.to_dict()),
        "bundles": bundles,
        "bundles_note": study.portfolio_note,
        "evidence": evidence_index(spec),
    }


def _settings(result: ScenarioResult, model: CompiledModel) -> list[dict[str, Any]]:
    """Indicators the scenario moves from the model's baseline, or draws from a distribution."""
    uncertain = {}
    if result.inputs is not None:
        uncertain = {model.indicators[k]: s for k, s in result.inputs.settings.items()}
    rows = []
    for k, name in enumerate(model.indicators):
        value = result.indicators[name]
        base = float(model.baseline[k])
        if name not in uncertain and round12(value) == round12(base):
            continue
        boolean = bool(model.is_boolean[k])
        rows.append(
            {
                "indicator": name,
                "value": round12(value),
                "baseline": round12(base),
                "text": value_text(value, boolean),
                "baseline_text": value_text(base, boolean),
                "distribution": distribution_text(uncertain[name]) if name in uncertain else None,
            }
        )
    return rows


def _option(option: OptionResult) -> dict[str, Any]:
    u = option.uncertainty or {}
    return {
        "id": option.id,
        "title": option.title,
        "rank": option.rank,
        "score": round12(option.score),
        "available": option.available,
        "performance": _plain(option.performance),
        "contributions": _plain(option.contributions),
        "failed": [
            {
                "when": f.when,
                "reason": " ".join(f.reason.split()),
                "evidence": list(f.evidence),
                "conditions": [
                    {"text": c.text, "values": _plain(c.values), "gap": _plain(c.gap)}
                    for c in f.conditions
                ],
            }
            for f in option.failed
        ],
        "availability": _plain(u.get("availability")),
        "score_mean": _plain(u.get("score_mean")),
        "score_quantiles": _plain(u.get("score_quantiles")),
        "rank_acceptability": _plain(u.get("rank_acceptability")),
        "central_weights": _plain(u.get("central_weights")),
        "confidence_factor": _plain(u.get("confidence_factor")),
    }


def p_first(option: OptionResult) -> float | None:
    """Share of samples in which the option ranks first (None when not sampled)."""
    if option.uncertainty is None:
        return None
    return round12(option.uncertainty["rank_acceptability"][0])


def _summary(result: ScenarioResult, baseline: ScenarioResult, spec: ModelSpec) -> dict[str, Any]:
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
    return {
        "scenario": result.scenario,
        "title": result.title,
        "top": top.id,
        "top_title": top.title,
        "score": round12(top.score),
        "available": top.available,
        "p_first": share,
        "samples": result.samples,
        "runner_up": runner.id if runner is not None and runner.available else None,
        "runner_up_score": round12(runner.score)
        if runner is not None and runner.available
        else None,
        "sentence": sentence,
        "change": None if result is baseline else _change_sentence(result, baseline, spec),
    }


def input_changes(result: ScenarioResult, baseline: ScenarioResult) -> list[str]:
    """What the scenario sets differently from the baseline scenario, phrase by phrase."""
    model = compiled_of(result)
    uncertain = set(result.uncertain_indicators)
    base_uncertain = set(baseline.uncertain_indicators)
    settings = {}
    if result.inputs is not None:
        settings = {model.indicators[k]: s for k, s in result.inputs.settings.items()}
    phrases = []
    for k, name in enumerate(model.indicators):
        boolean = bool(model.is_boolean[k])
        old, new = baseline.indicators[name], result.indicators[name]
        before = value_text(old, boolean)
        if name in uncertain:
            phrases.append(f"{name} {before} → {distribution_text(settings[name])}")
        elif name in base_uncertain or round12(old) != round12(new):
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


def _change_sentence(result: ScenarioResult, baseline: ScenarioResult, spec: ModelSpec) -> str:
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
    inputs = input_changes(result, baseline)
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


def _movement(result: ScenarioResult, baseline: ScenarioResult) -> dict[str, Any]:
    """Score waterfalls of the options whose rank differs from the baseline's."""
    moved = []
    for after in sorted(result.options, key=lambda o: (o.rank, o.id)):
        before = baseline.option(after.id)
        if before.rank == after.rank:
            continue
        steps: list[dict[str, Any]] = [
            {"kind": "start", "label": baseline.scenario, "value": round12(before.score)}
        ]
        level = before.score
        potential_before = sum(before.contributions.values())
        potential_after = sum(after.contributions.values())
        if not before.available:
            steps.append({"kind": "availability", "label": "becomes available",
                          "delta": round12(potential_before)})
            level += potential_before
        elif abs(before.score - potential_before) > 1e-9:
            steps.append({"kind": "method", "label": "method (not additive)",
                          "delta": round12(potential_before - before.score)})
            level = potential_before
        for criterion, value in after.contributions.items():
            delta = value - before.contributions[criterion]
            steps.append({"kind": "criterion", "label": criterion, "delta": round12(delta)})
            level += delta
        if not after.available:
            steps.append({"kind": "availability", "label": "becomes unavailable",
                          "delta": round12(-potential_after)})
            level -= potential_after
        elif abs(after.score - level) > 1e-9:
            steps.append({"kind": "method", "label": "method (not additive)",
                          "delta": round12(after.score - level)})
        steps.append({"kind": "end", "label": result.scenario, "value": round12(after.score)})
        moved.append(
            {
                "id": after.id,
                "rank_from": before.rank,
                "rank_to": after.rank,
                "score_from": round12(before.score),
                "score_to": round12(after.score),
                "available_from": before.available,
                "available_to": after.available,
                "steps": steps,
            }
        )
    return {"against": baseline.scenario, "options": moved}


def evidence_index(spec: ModelSpec) -> list[dict[str, Any]]:
    """Every evidence item with its locator, figures, claim and the judgements citing it."""
    cited: dict[str, list[dict[str, Any]]] = {e: [] for e in spec.evidence}

    def cite(ids: Sequence[str], entry: dict[str, Any]) -> None:
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


# ------------------------------------------------------------------------------- manifest


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        raise DecisionError(
            f"cannot read '{path}' to record its hash: {exc.strerror}",
            allowed="input files that still exist, relative to the current directory",
        ) from None


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def _chains(study: Study) -> dict[str, list[str]]:
    """Each scenario path -> the files it extends (root first), as the loader resolves them."""
    return {
        r.scenario_path: [str(p) for p in r.inputs.chain[:-1]] if r.inputs else []
        for r in study.results
    }


def manifest_data(
    study: Study, outputs: Mapping[str, bytes], shown: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Provenance of a report: input hashes, run settings, versions, output hashes.

    Files are hashed at the paths the study holds and recorded as ``shown`` maps them (by
    default as given)."""
    from decision._version import __version__

    def name(path: str) -> str:
        return shown.get(path, path) if shown is not None else path

    chains = _chains(study)
    first = study.results[0]
    comparisons = study.method_comparisons
    robustness = study.robustness.result if study.robustness is not None else None
    return {
        "schema_version": MANIFEST_SCHEMA_VERSION,
        "kind": MANIFEST_KIND,
        "tool": {"name": "decision", "distribution": "policy-decision-brief",
                 "version": __version__},
        "renderer": {"charts": f"matplotlib {_matplotlib_version()}"},
        "results_schema_version": REPORT_SCHEMA_VERSION,
        "model": {"path": name(first.model_path), "sha256": sha256_file(first.model_path)},
        "scenarios": [
            {
                "id": r.scenario,
                "path": name(r.scenario_path),
                "sha256": sha256_file(r.scenario_path),
                "extends": [{"path": name(p), "sha256": sha256_file(p)}
                            for p in chains[r.scenario_path]],
                "method": _plain(r.method),
                "perspective": r.perspective,
                "samples": r.samples,
                "seed": r.seed,
            }
            for r in study.results
        ],
        "analysis": {
            "baseline": study.baseline.scenario,
            "methods": list(comparisons[0].methods) if comparisons else [],
            "hurwicz_alpha": None if robustness is None else robustness.hurwicz_alpha,
            "regret_percentile": None if robustness is None else robustness.regret_percentile,
            "threshold": None if robustness is None else robustness.satisficing_threshold,
        },
        "outputs": {name: sha256_bytes(data) for name, data in sorted(outputs.items())},
    }


def _matplotlib_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("matplotlib")
    except PackageNotFoundError:  # pragma: no cover - matplotlib is a dependency
        return "unknown"


# --------------------------------------------------------------------------------- schemas


def _obj(properties: dict[str, Any], description: str, *, extra: bool = False) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": extra,
    }


def _t(kind: str | list[str], description: str, **more: Any) -> dict[str, Any]:
    return {"type": kind, "description": description, **more}


_NUM = "number"
_NULLNUM = ["number", "null"]
_ANALYSIS = {"type": ["object", "array"]}

RESULTS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "decision-report-results.schema.json",
    "title": "results.json of a decision comparative report",
    **_obj(
        {
            "schema_version": {"const": REPORT_SCHEMA_VERSION},
            "kind": {"const": RESULTS_KIND},
            "tool_version": _t("string", "Version of the decision package."),
            "model": _obj(
                {
                    "id": _t("string", "Model id."),
                    "title": _t("string", "Model title."),
                    "path": _t("string", "Model file, relative to the deepest folder "
                               "holding every input."),
                    "source": _t("object", "The source document (title, author, publisher, "
                                 "year, ...)."),
                },
                "The decision model.",
            ),
            "baseline": _t("string", "Id of the scenario every other one is compared with."),
            "criteria": _t("array", "Criteria in model order.", items=_obj(
                {"id": _t("string", ""), "description": _t("string", ""),
                 "direction": {"enum": ["benefit", "cost"]},
                 "weight": _t(_NUM, "Weight as written in the model (not normalised).")},
                "A criterion.")),
            "indicators": _t("array", "Indicators in model order.", items=_obj(
                {"id": _t("string", ""), "description": _t("string", ""),
                 "unit": _t(["string", "null"], ""), "boolean": _t("boolean", ""),
                 "min": _t(_NUM, "Range low (0 for booleans)."),
                 "max": _t(_NUM, "Range high (1 for booleans)."),
                 "baseline": _t(_NUM, "Model baseline (booleans as 0/1).")},
                "An indicator.")),
            "options": _t("array", "Options in model order.", items=_obj(
                {"id": _t("string", ""), "title": _t("string", ""),
                 "recommendation": _t("string", "Which recommendation of the source it encodes."),
                 "reference": _t("boolean", "The no-action reference option."),
                 "preconditions": _t("array", "Its preconditions' expressions.",
                                     items={"type": "string"})},
                "An option.")),
            "summary": _t("array", "One entry per scenario, in command-line order.", items=_obj(
                {"scenario": _t("string", "Scenario id."), "title": _t("string", ""),
                 "top": _t("string", "Id of the first-ranked option."),
                 "top_title": _t("string", ""),
                 "score": _t(_NUM, "Its score at the scenario's point values."),
                 "available": _t("boolean", "False only when no option is available."),
                 "p_first": _t(_NULLNUM, "Its first-rank acceptability (sampled scenarios)."),
                 "samples": _t("integer", "Monte Carlo samples (1: not sampled)."),
                 "runner_up": _t(["string", "null"], "Second-ranked option, if available."),
                 "runner_up_score": _t(_NULLNUM, ""),
                 "sentence": _t("string", "The recommendation in one sentence."),
                 "change": _t(["string", "null"], "What differs from the baseline scenario "
                              "and what that does to the top (null for the baseline).")},
                "The recommendation of one scenario.")),
            "scenarios": _t("array", "Scenario details, in command-line order.", items=_obj(
                {"id": _t("string", ""), "title": _t("string", ""),
                 "description": _t(["string", "null"], ""),
                 "path": _t("string", "Scenario file, relative to the deepest folder "
                            "holding every input."),
                 "method": _t("object", "Aggregation method: name and parameters."),
                 "perspective": _t(["string", "null"], "Weight set used, if any."),
                 "samples": _t("integer", ""), "seed": _t("integer", ""),
                 "weights": _t("object", "Normalised weight per criterion."),
                 "settings": _t("array", "Indicators moved from the model baseline or drawn "
                                "from a distribution.", items=_obj(
                     {"indicator": _t("string", ""), "value": _t(_NUM, "Point value."),
                      "baseline": _t(_NUM, "Model baseline."),
                      "text": _t("string", ""), "baseline_text": _t("string", ""),
                      "distribution": _t(["string", "null"], "The distribution, if sampled.")},
                     "One setting.")),
                 "options": _t("array", "Options in rank order.", items=_obj(
                     {"id": _t("string", ""), "title": _t("string", ""),
                      "rank": _t("integer", "1 = best; unavailable options rank last."),
                      "score": _t(_NUM, "Score at the point values (0 if unavailable)."),
                      "available": _t("boolean", ""),
                      "performance": _t("object", "Value (0-1) per criterion."),
                      "contributions": _t("object", "Weighted value per criterion (sums to "
                                          "the weighted-sum score)."),
                      "failed": _t("array", "Failed preconditions (unavailable options).",
                                   items=_obj(
                          {"when": _t("string", "The precondition."),
                           "reason": _t("string", ""),
                           "evidence": _t("array", "Evidence ids.", items={"type": "string"}),
                           "conditions": _t("array", "Failing comparisons: text, indicator "
                                            "values, gap = threshold - value.",
                                            items={"type": "object"})},
                          "A failed precondition.")),
                      "availability": _t(_NULLNUM, "Share of samples where it is available."),
                      "score_mean": _t(_NULLNUM, "Mean score when available (sampled)."),
                      "score_quantiles": _t(["object", "null"],
                                            "Score quantiles keyed 5, 25, 50, 75, 95."),
                      "rank_acceptability": _t(["array", "null"],
                                               "Share of samples at rank 1, 2, ...",
                                               items={"type": "number"}),
                      "central_weights": _t(["object", "null"], "Mean weights where it ranks "
                                            "first (null if never first)."),
                      "confidence_factor": _t(_NULLNUM, "Share of samples where it ranks "
                                              "first with its central weights.")},
                     "One option in one scenario.")),
                 "methods": {"description": "Ranks, scores, top and pairwise agreement under "
                             "each compared method (null unless several methods are "
                             "compared).", "type": ["object", "null"]},
                 "movement": {"description": "Against the baseline: score waterfalls (start, "
                              "availability/criterion/method steps, end) of the options whose "
                              "rank changed (null for the baseline).",
                              "type": ["object", "null"]},
                 "sensitivity": {"description": "The scenario's sensitivity analyses, each "
                                 "its own to_dict(): weights (stability intervals and "
                                 "crossovers), tornado, tipping (plus sentences), openings "
                                 "(a list), perspectives; null when not run.",
                                 "type": ["object", "null"],
                                 "additionalProperties": _ANALYSIS}},
                "One scenario.")),
            "robustness": {"description": "Robustness across scenarios: options, scenarios, "
                           "values, value_definition, measures (incl. regret), definitions.",
                           "type": ["object", "null"]},
            "bundles": {"description": "Portfolio analysis per scenario (scenario, options, "
                        "resources, budgets, best bundle, top bundles, frontiers per resource, "
                        "per-option core index and marginal value), null if not run.",
                        "type": ["array", "null"], "items": {"type": "object"}},
            "bundles_note": _t(["string", "null"], "Why the portfolio analysis was left out "
                               "(null when it was run or not asked for)."),
            "evidence": _t("array", "Every evidence item of the model.", items=_obj(
                {"id": _t("string", ""), "locator": _t("string", "Where in the source."),
                 "figures": _t("array", "Figures as printed.", items={"type": "string"}),
                 "claim": _t("string", "What the source says, paraphrased."),
                 "cited_by": _t("array", "Judgements citing it: kind indicator | "
                                "precondition | performance | interaction, with ids.",
                                items={"type": "object"})},
                "An evidence item.")),
        },
        "The data behind report.md and report.html.",
    ),
}

MANIFEST_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "decision-report-manifest.schema.json",
    "title": "manifest.json of a decision comparative report",
    **_obj(
        {
            "schema_version": {"const": MANIFEST_SCHEMA_VERSION},
            "kind": {"const": MANIFEST_KIND},
            "tool": _t("object", "name, distribution and version of the tool."),
            "renderer": _t("object", "The chart library and its version."),
            "results_schema_version": _t("integer", "schema_version of results.json."),
            "model": _t("object", "path and sha256 of the model file."),
            "scenarios": _t("array", "Per scenario: id, path, sha256, the files it extends "
                            "(path, sha256), method, perspective, samples, seed.",
                            items={"type": "object"}),
            "analysis": _t("object", "baseline, compared methods, Hurwicz alpha, regret "
                           "percentile, satisficing threshold."),
            "outputs": _t("object", "Every other file written, by path relative to the "
                          "output directory, with its sha256."),
        },
        "Provenance of a report; no time stamps, so reruns are byte-identical.",
    ),
}
