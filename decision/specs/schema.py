"""The JSON Schema of model and scenario files, in standard keywords only (draft 2020-12).

pydantic writes most rules as standard keywords already (``minimum``, ``exclusiveMinimum``,
``enum``, ``pattern``, ``additionalProperties: false``); two it cannot say are added here, so a
standard validator (an editor, ``jsonschema``) refuses what the loader refuses field by field:

- the keys of id-keyed mappings (``indicators``, ``criteria``, ...) must match the id pattern:
  pydantic writes ``patternProperties``, which lets any other key through, so it becomes
  ``propertyNames`` (the pattern) with ``additionalProperties`` (the value's schema);
- ids that other YAML readers take as booleans or numbers (``yes``, ``0x1f``, ``017``,
  ``1_000``) are refused by a ``not``/``pattern`` pair beside each id pattern.

What no JSON Schema says is left to ``decision validate``: checks across keys (``low <= value
<= high``, a range that is not vanishingly narrow), references between ids, expressions, and
the parameters of a method (checked against the method named). An integer written as ``5.0``
is a number to JSON Schema but not a whole number to the loader.
"""

from __future__ import annotations

from typing import Any, Literal

from decision.specs.common import INDICATOR_ID_PATTERN, ITEM_ID_PATTERN, Spec
from decision.specs.model import ModelSpec
from decision.specs.scenario import ScenarioSpec
from decision.specs.stakeholder import StakeholderSpec

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Ids (in the characters ids may hold) that other YAML readers take as booleans or numbers,
#: as :func:`decision.specs.common.portable_id` refuses them; and a final newline, which
#: Python's ``$`` lets through the id pattern.
NOT_PORTABLE_ID = (
    "^(?:yes|no|on|off|0x[0-9a-f_]+|0o[0-7_]+|0b[01_]+|0[0-9_]+"
    "|[0-9][0-9_]*_[0-9_]*(?:\\.[0-9_]*)?(?:e[-+]?[0-9]+)?)$|\\n"
)
_ID_PATTERNS = {INDICATOR_ID_PATTERN, ITEM_ID_PATTERN}


def file_schema(kind: Literal["model", "scenario", "stakeholder"]) -> dict[str, Any]:
    """The JSON Schema of a model, a scenario or a stakeholder file."""
    specs: dict[str, type[Spec]] = {
        "model": ModelSpec, "scenario": ScenarioSpec, "stakeholder": StakeholderSpec
    }
    spec = specs[kind]
    standard = _standard(spec.model_json_schema())
    assert isinstance(standard, dict)
    return {"$schema": DIALECT, **standard}


def _standard(node: Any) -> Any:
    """``node`` with id-keyed mappings closed and ids refused as YAML 1.1 forms."""
    if isinstance(node, list):
        return [_standard(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _standard(value) for key, value in node.items()}
    patterns = out.pop("patternProperties", None)
    if patterns:
        ((pattern, values),) = patterns.items()
        names = dict(out.get("propertyNames", {}))
        names["pattern"] = pattern
        out["propertyNames"] = _standard(names)
        out["additionalProperties"] = values
    if out.get("pattern") in _ID_PATTERNS:
        out["not"] = {"pattern": NOT_PORTABLE_ID}
    return out
