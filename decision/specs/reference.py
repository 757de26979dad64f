"""The field reference (``docs/reference.md``), generated from the specs and their JSON Schema.

Every key of both file kinds gets a row: its type, whether it is required or its default, its
range or allowed values (read off the standard JSON Schema of :mod:`decision.specs.schema`, so
the reference says what editors enforce), what it means, and an example. Examples come from
the annotated example project that ``decision init`` writes (:mod:`decision.specs.example`),
and from :data:`EXTRA_EXAMPLES` for keys that project does not use; a key without an example
is an error, so a new field cannot be left out. The loader's caps close the page.
``decision schema --reference`` prints it (with the YAML reader's caps, which the caller
passes in, as the specs sit below the reader); ``make reference`` writes ``docs/reference.md``, and
a test checks the committed file is fresh.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterator, Mapping
from typing import Any

import yaml
from pydantic import BaseModel

from decision.specs.common import (
    LINE_CONTROLS,
    MAX_LINE_CHARS,
    MAX_TEXT_CHARS,
    TEXT_CONTROLS,
)
from decision.specs.example import example_files
from decision.specs.model import (
    MAX_EFFECT,
    MAX_FIGURE_CHARS,
    MAX_FIGURES,
    MIN_RANGE_RATIO,
    ModelSpec,
)
from decision.specs.scenario import MAX_SEED, ScenarioSpec
from decision.specs.schema import file_schema
from decision.specs.stakeholder import StakeholderSpec

#: Examples of keys the ``decision init`` project does not use, by ``Spec.key``.
EXTRA_EXAMPLES: dict[str, Any] = {
    "SourceSpec.url": "https://www.example.org/brief",
    "SourceSpec.note": "Second edition, with the 2020 appendix.",
    "SourceSpec.recommends": {
        "now": ["option-1"],
        "when": [{"options": ["option-2"], "condition": "once funding is secured"}],
    },
    "RecommendsSpec.now": ["option-1", "option-2"],
    "RecommendsSpec.when": [
        {"options": ["option-3"], "condition": "once funding is secured", "locator": "¶5"}
    ],
    "RecommendsSpec.locator": "Recommendations ¶1-¶6",
    "ConditionalRecommendationSpec.options": ["option-3"],
    "ConditionalRecommendationSpec.condition": "Once funding is secured.",
    "ConditionalRecommendationSpec.locator": "Conclusion ¶1",
    "ModelSpec.options_are": "components",
    "IndicatorSpec.note": "Counted at the end of each year.",
    "OptionSpec.locator": "Recommendations ¶4",
    "OptionSpec.description": "What the option involves, in a few sentences.",
    "CostSpec.rationale": "Two staff years over the first term.",
    "OptionSpec.likelihood": {
        "value": 0.3,
        "low": 0.1,
        "high": 0.5,
        "rationale": "Engagement has been refused twice since 2015.",
    },
    "LikelihoodSpec.value": 0.3,
    "LikelihoodSpec.low": 0.1,
    "LikelihoodSpec.high": 0.5,
    "LikelihoodSpec.effects": {"civil_society_access": 0.4},
    "PerspectiveSpec.objective": "entropy",
    "PerspectiveSpec.elicitation": {
        "method": "roc", "by": "panel, May 2024", "rationale": "Order agreed in the workshop.",
        "ranking": ["criterion-1", "criterion-2"],
    },
    "ModelSpec.weight_elicitation": {
        "method": "swing", "by": "modeller", "rationale": "The modeller's illustration.",
        "ranking": ["criterion-1", "criterion-2"],
        "points": {"criterion-1": 100, "criterion-2": 60},
    },
    "ElicitationSpec.method": "swing",
    "ElicitationSpec.by": "modeller",
    "ElicitationSpec.rationale": "The allies' security first; the rest in the brief's order.",
    "ElicitationSpec.ranking": ["criterion-1", "criterion-2", "criterion-3"],
    "ElicitationSpec.points": {"criterion-1": 100, "criterion-2": 60, "criterion-3": 25},
    "ElicitationSpec.pairwise": {
        "criterion-1": {"criterion-2": 3, "criterion-3": 5}, "criterion-2": {"criterion-3": "1/2"}
    },
    "CriterionSpec.scale": {
        "worst": "Allies' exposure grows: new Russian forces on their border.",
        "best": "Allies' exposure falls: no Russian forces added, assurance credible.",
    },
    "ScaleSpec.worst": "Allies' exposure grows: new Russian forces on their border.",
    "ScaleSpec.best": "Allies' exposure falls: no Russian forces added, assurance credible.",
    "ScenarioSpec.timeline": [
        {"date": "2020-06", "title": "Civil society half open",
         "indicators": {"civil_society_access": 0.55}},
    ],
    "ScenarioSpec.plan": {"satisficing": 0.4, "margin": 0.05},
    "StakeholderSpec.id": "ngo-panel",
    "StakeholderSpec.title": "NGO panel",
    "StakeholderSpec.represents": "Three rights groups working on the region.",
    "StakeholderSpec.status": "consulted",
    "StakeholderSpec.consulted": "workshop, 2024-05-14",
    "StakeholderSpec.description": "Rights first, security second.",
    "StakeholderSpec.elicitation": {
        "method": "swing", "by": "NGO panel", "rationale": "Rights matter most to the groups.",
        "ranking": ("rights", "security"), "points": {"rights": 100, "security": 40},
    },
    "StakeholderSpec.provenance": {"confidence": "medium", "reason": "One afternoon."},
    "ScenarioSpec.correlations": [
        {"between": ("civil_society_access", "press_freedom_rank"), "rank": -0.6}
    ],
    "CorrelationSpec.between": ("civil_society_access", "press_freedom_rank"),
    "CorrelationSpec.rank": -0.6,
    "ValueFunctionSpec.points": [[0, -0.1], [0.5, 0], [1, 0.3]],
    "ModelSpec.judgement_correlations": [
        {"between": ("option-1.criterion-1", "option-2.criterion-1"), "rank": 0.5}
    ],
    "JudgementCorrelationSpec.between": ("option-1.criterion-1", "option-2.criterion-1"),
    "JudgementCorrelationSpec.rank": 0.5,
    "ModelSpec.stakeholders": ["stakeholders/security-first.yaml"],
    "WeightUncertaintySpec.ranking_from_elicitation": True,
    "PerformanceSpec.experts": [
        {"by": "Analyst A", "low": 0.3, "mode": 0.5, "high": 0.6, "weight": 2},
        {"by": "Analyst B", "low": 0.4, "mode": 0.6, "high": 0.8},
    ],
    "ExpertSpec.by": "Analyst A",
    "ExpertSpec.low": 0.3,
    "ExpertSpec.mode": 0.5,
    "ExpertSpec.high": 0.6,
    "ExpertSpec.weight": 2,
    "PeriodSpec.date": "2019-12-08",
    "PeriodSpec.title": "Union State decision date passes",
    "PeriodSpec.description": "The talks miss their deadline.",
    "PeriodSpec.judgement": "The date is the brief's; the stall is the modeller's assumption.",
    "PeriodSpec.evidence": ["union-state-talks"],
    "PeriodSpec.indicators": {"minsk_lean_to_moscow": 0.65},
    "PlanSettingsSpec.satisficing": 0.4,
    "PlanSettingsSpec.margin": 0.05,
    "LikelihoodSpec.if_failure": {"criterion-1": 0.2},
    "LikelihoodSpec.rationale": "Engagement has been refused twice since 2015.",
    "LikelihoodSpec.evidence": ["key-fact"],
    "LikelihoodSpec.provenance": {"confidence": "low", "reason": "Few precedents."},
    "PerformanceSpec.evidence": ["key-fact"],
    "ModelSpec.perspectives": {"even-handed": {"description": "...", "weights": {"c1": 1}}},
    "InteractionSpec.options": ["option-1", "option-2"],
    "InteractionSpec.effects": {"criterion-1": 0.1},
    "InteractionSpec.rationale": "Each makes the other more credible.",
    "InteractionSpec.evidence": ["key-fact"],
    "ExclusionSpec.options": ["option-1", "option-2"],
    "ExclusionSpec.reason": "They pull the same budget line two ways.",
    "DependencySpec.option": "option-2",
    "DependencySpec.requires": "option-1",
    "DependencySpec.reason": "Option 2 builds on what option 1 sets up.",
    "ModelSpec.interactions": [
        {"options": ["option-1", "option-2"], "effects": {"criterion-1": 0.1}, "rationale": "..."}
    ],
    "ModelSpec.exclusions": [{"options": ["option-1", "option-2"], "reason": "..."}],
    "ModelSpec.dependencies": [{"option": "option-2", "requires": "option-1", "reason": "..."}],
    "ScenarioSpec.probability": 0.25,
    "ScenarioSpec.weights": {"criterion-1": 2},
    "ScenarioSpec.weight_uncertainty": {"kind": "ordinal", "ranking": ["criterion-1", "c2"]},
    "ScenarioSpec.method": {"name": "topsis", "normalisation": "minmax"},
    "UniformSpec.dist": "uniform",
    "UniformSpec.low": 30,
    "UniformSpec.high": 50,
    "PertSpec.dist": "pert",
    "PertSpec.low": 30,
    "PertSpec.mode": 40,
    "PertSpec.high": 70,
    "PertSpec.shape": 4,
    "NormalSpec.dist": "normal",
    "NormalSpec.mean": 40,
    "NormalSpec.sd": 5,
    "BernoulliSpec.dist": "bernoulli",
    "BernoulliSpec.p": 0.3,
    "ChoiceSpec.dist": "choice",
    "ChoiceSpec.values": [20, 40, 60],
    "ChoiceSpec.probabilities": [0.25, 0.5, 0.25],
    "ExpertsSpec.dist": "experts",
    "ExpertsSpec.shape": "pert",
    "ExpertsSpec.experts": [
        {"by": "Analyst A", "low": 30, "mode": 40, "high": 55, "weight": 2},
        {"by": "Analyst B", "low": 45, "mode": 60, "high": 70},
    ],
    "IndicatorExpertSpec.by": "Analyst A",
    "IndicatorExpertSpec.low": 30,
    "IndicatorExpertSpec.mode": 40,
    "IndicatorExpertSpec.high": 55,
    "IndicatorExpertSpec.weight": 2,
    "WeightUncertaintySpec.kind": "intervals",
    "WeightUncertaintySpec.intervals": {"criterion-1": [0.2, 0.5]},
    "WeightUncertaintySpec.ranking": ["criterion-1", "criterion-2", "criterion-3"],
    "IndicatorSpec.provenance": {"source": ["baseline"]},
    "CriterionSpec.provenance": {"confidence": "low", "reason": "The brief ranks no aims."},
    "PerformanceSpec.provenance": {"confidence": "low", "reason": "Nothing measures it."},
    "CostSpec.provenance": {"by": "budget office", "confidence": "medium"},
    "PreconditionSpec.provenance": {"reason": "The brief gives no threshold."},
    "InteractionSpec.provenance": {"confidence": "low"},
    "PerspectiveSpec.provenance": {"by": "a stakeholder workshop"},
    "ScenarioSpec.provenance": {"reason": "What a year's programme could spend."},
    "ProvenanceSpec.evidence": ["key-fact"],
    "ProvenanceSpec.source": ["baseline"],
    "ProvenanceSpec.derived": {"baseline": "1997 + 2"},
    "ProvenanceSpec.judgement": ["baseline"],
    "ProvenanceSpec.by": "modeller",
    "ProvenanceSpec.confidence": "low",
    "ProvenanceSpec.reason": "The brief gives no figure; the band says how little is known.",
}

_WHAT = {
    "ModelSpec": "A model file (`models/*.yaml`): the whole file.",
    "ScenarioSpec": "A scenario file (`scenarios/*.yaml`): the whole file.",
}


def _members(annotation: Any) -> Iterator[Any]:
    """The types inside Annotated, Optional, unions and containers of ``annotation``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _members(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType, dict, list, tuple):
        for arg in typing.get_args(annotation):
            yield from _members(arg)
    else:
        yield annotation


def _specs(root: type[BaseModel]) -> list[type[BaseModel]]:
    """``root`` and every spec class it holds, in the order first met."""
    found: list[type[BaseModel]] = []
    pending = [root]
    while pending:
        spec = pending.pop(0)
        if spec in found:
            continue
        found.append(spec)
        for field in spec.model_fields.values():
            pending += [
                m
                for m in _members(field.annotation)
                if isinstance(m, type) and issubclass(m, BaseModel)
            ]
    return found


def _collect(spec: type[BaseModel], data: Any, into: dict[str, Any]) -> None:
    """Record the first value of every key of ``spec`` in ``data``, and go down."""
    if not isinstance(data, dict):
        return
    for name, value in data.items():
        field = spec.model_fields.get(name)
        if field is None:
            continue
        into.setdefault(f"{spec.__name__}.{name}", value)
        nested = [
            m
            for m in _members(field.annotation)
            if isinstance(m, type) and issubclass(m, BaseModel)
        ]
        for item in _items(field.annotation, value):
            for member in nested:
                dist = member.model_fields.get("dist")
                wrong = isinstance(item, dict) and item.get("dist") not in typing.get_args(
                    dist.annotation if dist is not None else None
                )
                if dist is not None and wrong:
                    continue
                _collect(member, item, into)


def _items(annotation: Any, value: Any) -> list[Any]:
    """The values in ``value`` that stand where a spec class may (mapping values, items)."""
    origins = {typing.get_origin(a) for a in _outer(annotation)}
    if dict in origins and isinstance(value, dict):
        return list(value.values())
    if list in origins and isinstance(value, list):
        return list(value)
    return [value]


def _outer(annotation: Any) -> Iterator[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _outer(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _outer(arg)
    else:
        yield annotation


def examples() -> dict[str, Any]:
    """An example value of every key, by ``Spec.key``."""
    found: dict[str, Any] = {}
    for name, text in example_files(3, 3).items():
        spec = ModelSpec if name.startswith("models/") else ScenarioSpec
        _collect(spec, yaml.safe_load(text), found)
    for key, value in EXTRA_EXAMPLES.items():
        found.setdefault(key, value)
    return found


def _schema_of(spec: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    if spec.__name__ in ("ModelSpec", "ScenarioSpec", "StakeholderSpec"):
        return dict(schemas[spec.__name__])
    for schema in schemas.values():
        found = schema.get("$defs", {}).get(spec.__name__)
        if found is not None:
            return dict(found)
    raise KeyError(spec.__name__)


def _type_words(node: dict[str, Any]) -> str:
    """A property's JSON Schema as a few words: ``number``, ``list of text``, ``id → Option``."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in node or "oneOf" in node:
        parts = [p for p in node.get("anyOf", node.get("oneOf", [])) if p.get("type") != "null"]
        return " or ".join(_type_words(p) for p in parts)
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    if "enum" in node:
        return " or ".join(f"`{v}`" for v in node["enum"])
    kind = node.get("type")
    if kind == "object":
        values = node.get("additionalProperties")
        if isinstance(values, dict):
            return f"mapping: id → {_type_words(values)}"
        return "mapping"
    if kind == "array":
        if "prefixItems" in node:
            return "[" + ", ".join(_type_words(p) for p in node["prefixItems"]) + "]"
        return f"list of {_type_words(node.get('items', {}))}"
    words = {"string": "text", "integer": "whole number", "boolean": "true/false"}
    if isinstance(kind, str):
        return words.get(kind, kind)
    return "any"


def _range_words(node: dict[str, Any]) -> str:
    """The limits a property's JSON Schema sets, in words."""
    parts: list[str] = []
    nodes = [node, *[p for p in node.get("anyOf", []) if p.get("type") != "null"]]
    for item in nodes:
        for key, words in (
            ("minimum", "≥ {}"),
            ("exclusiveMinimum", "> {}"),
            ("maximum", "≤ {}"),
            ("minLength", "at least {} characters"),
            ("maxLength", "at most {} characters"),
            ("minItems", "at least {} items"),
            ("maxItems", "at most {} items"),
            ("minProperties", "at least {} entries"),
        ):
            if key in item:
                parts.append(words.format(_number(item[key])))
        if "pattern" in item:
            parts.append(f"matches `{item['pattern']}`")
        control = item.get("not", {}).get("pattern")
        if control == LINE_CONTROLS:
            parts.append("one line, no control characters")
        elif control == TEXT_CONTROLS:
            parts.append("no control characters but newline and tab")
        elif control is not None:
            parts.append("not a YAML 1.1 boolean or number form")
        names = item.get("propertyNames")
        if isinstance(names, dict) and "pattern" in names:
            parts.append(f"ids match `{names['pattern']}`")
        values = item.get("additionalProperties")
        if isinstance(values, dict) and "$ref" not in values:
            inner = _range_words(values)
            if inner:
                parts.append(f"values {inner}")
        items = item.get("items")
        if isinstance(items, dict) and "$ref" not in items:
            inner = _range_words(items)
            if inner:
                parts.append(f"items {inner}")
    return "; ".join(dict.fromkeys(parts))


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}" if abs(value) < 1e15 else f"{value:g}"
    if isinstance(value, int) and abs(value) >= 10_000:
        return f"{value:,}"
    return str(value)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _example_words(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > 70:
        text = text[:67] + "…"
    return f"`{text}`"


def render_reference(file_caps: Mapping[str, int]) -> str:
    """The whole field reference, as Markdown; ``file_caps`` are the YAML reader's caps
    (:func:`decision.load.loading.file_caps`: the specs do not import the reader)."""
    schemas = {"ModelSpec": file_schema("model"), "ScenarioSpec": file_schema("scenario"),
               "StakeholderSpec": file_schema("stakeholder")}
    known = examples()
    lines = [
        "# Field reference",
        "",
        "Every key of model, scenario and stakeholder files: its type, whether it is required "
        "(or its default), its range, what it means, and an example. Generated from the specs "
        "(`decision/specs/`) by `decision schema --reference` (`make reference`); a test "
        "checks this file is fresh. The ranges are those of `decision schema` (standard JSON "
        "Schema); checks across keys (for example `low <= value <= high`), ids that must "
        "exist, expressions and method parameters are made by `decision validate`.",
        "",
        "Ids (mapping keys of `indicators`, `criteria`, `options`, ...): at most 64 "
        "characters, lower-case letters a-z, digits, `-` and `_` (indicator ids: letters, "
        "digits and `_`, starting with a letter, since they are names in preconditions), and "
        "never a form other YAML readers take as a boolean or a number (`yes`, `off`, `0x1f`, "
        "`017`, `1_000`).",
        "",
    ]
    done: set[type[BaseModel]] = set()
    for root in (ModelSpec, ScenarioSpec, StakeholderSpec):
        for spec in _specs(root):
            if spec in done:
                continue
            done.add(spec)
            schema = _schema_of(spec, schemas)
            properties = schema.get("properties", {})
            required = set(schema.get("required", []))
            doc = _WHAT.get(spec.__name__) or (spec.__doc__ or "").strip().split("\n\n")[0]
            lines += [f"## {spec.__name__}", "", _cell(doc), ""]
            if spec.model_config.get("extra") == "allow":
                lines += ["Other keys are the method's parameters (see the README).", ""]
            lines += [
                "| key | type | required / default | range | meaning | example |",
                "|---|---|---|---|---|---|",
            ]
            for name, field in spec.model_fields.items():
                node = properties.get(name, {})
                key = f"{spec.__name__}.{name}"
                if key not in known:
                    raise KeyError(f"no example for {key}: add one to EXTRA_EXAMPLES")
                if name in required:
                    need = "required"
                elif "default" in node:
                    need = f"default `{json.dumps(node['default'])}`"
                else:
                    need = "optional"
                meaning = field.description or ""
                if meaning.startswith(("One line of text:", "Free text:")):
                    meaning = ""  # the type's own description: the range column says it
                lines.append(
                    f"| `{name}` | {_type_words(node)} | {need} | {_cell(_range_words(node))} "
                    f"| {_cell(meaning)} | {_example_words(known[key])} |"
                )
            lines.append("")
    lines += _caps(file_caps)
    return "\n".join(lines) + "\n"


def _caps(file_caps: Mapping[str, int]) -> list[str]:
    """The loader's caps, per file and per field."""
    return [
        "## Caps",
        "",
        "Files are untrusted input; past any of these a file is refused in one line.",
        "",
        "| what | cap |",
        "|---|---|",
        f"| file size | {file_caps['MAX_FILE_BYTES']:,} bytes, a regular file |",
        f"| values in a file (after alias expansion) | {file_caps['MAX_NODES']:,} |",
        f"| characters after alias expansion | {file_caps['MAX_EXPANDED_CHARS']:,} |",
        f"| nesting depth | {file_caps['MAX_DEPTH']} |",
        f"| digits in an integer | {file_caps['MAX_INT_DIGITS']:,} |",
        f"| one-line text (titles, names, units, locators, paths) | {MAX_LINE_CHARS} characters |",
        f"| multi-line text (descriptions, rationales, claims, expressions) | "
        f"{MAX_TEXT_CHARS:,} characters |",
        f"| figures per evidence item | {MAX_FIGURES}, each at most {MAX_FIGURE_CHARS} "
        "characters on one line |",
        "| ids | 64 characters |",
        f"| an effect | at most {MAX_EFFECT:g} in magnitude |",
        f"| an indicator's range | finite, max - min ≥ {MIN_RANGE_RATIO:g} x max(1, \\|min\\|, "
        "\\|max\\|) |",
        f"| a seed | 0 to {MAX_SEED:,} |",
        "| Monte Carlo samples | 1 to 100,000,000 |",
        "| YAML tags | the core tags only: `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, "
        "`!!seq`, `!!map` |",
        "",
    ]
