"""The JSON Schemas of ``results.json`` and ``manifest.json``, and their version numbers."""

from __future__ import annotations

from typing import Any

#: Version of the layout of results.json; raised whenever a key changes meaning or goes away.
REPORT_SCHEMA_VERSION = 1
#: Version of the layout of manifest.json.
MANIFEST_SCHEMA_VERSION = 1
RESULTS_KIND = "decision-report-results"
MANIFEST_KIND = "decision-report-manifest"



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
                                 "as plain data (decision.results.to_data): weights "
                                 "(stability intervals and "
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

