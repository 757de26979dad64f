"""The JSON Schemas of ``results.json`` (generated from the report document's types) and
``manifest.json``, and their version numbers."""

from __future__ import annotations

from typing import Any

#: Version of the layout of results.json; raised whenever a key changes meaning or goes away
#: (2: boolean indicators' values are true/false, no longer 0/1).
REPORT_SCHEMA_VERSION = 2
#: Version of the layout of manifest.json (2: the model's stakeholder files are hashed; the
#: renderer is this package's SVG writer).
MANIFEST_SCHEMA_VERSION = 2
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


def _closed(schema: Any) -> Any:
    """Every object of a generated schema that lists its properties refuses others (the
    document holds exactly the keys of its types); descriptions on one line."""
    if isinstance(schema, dict):
        closed = {
            k: " ".join(v.split()) if k == "description" and isinstance(v, str) else _closed(v)
            for k, v in schema.items()
        }
        if closed.get("type") == "object" and "properties" in closed:
            closed.setdefault("additionalProperties", False)
        return closed
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


def results_schema() -> dict[str, Any]:
    """The JSON Schema of ``results.json``, generated from the document's types
    (:mod:`decision.reports.document`)."""
    from decision.reports.document import document_adapter

    generated = _closed(document_adapter().json_schema())
    generated["properties"]["schema_version"] = {"const": REPORT_SCHEMA_VERSION}
    generated["properties"]["kind"] = {"const": RESULTS_KIND}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "decision-report-results.schema.json",
        **generated,
        "title": "results.json of a decision comparative report",
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
            "renderer": _t("object", "What drew the charts, and its version."),
            "results_schema_version": _t("integer", "schema_version of results.json."),
            "model": _t("object", "path and sha256 of the model file, and of each "
                        "stakeholder file it lists."),
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

