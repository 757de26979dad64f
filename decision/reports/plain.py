"""Plain, stable data for the report files: one rounding rule (12 significant digits) and
stable JSON text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from decision.core.compile import CompiledModel
    from decision.results import ScenarioResult


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



def plain(value: Any) -> Any:
    """Nested values made JSON-ready: floats rounded, tuples listed, keys as strings."""
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return round12(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "tolist"):
        return plain(value.tolist())
    return value


