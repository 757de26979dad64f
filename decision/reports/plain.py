"""Stable JSON text for the report files (the data itself comes from
:func:`decision.results.to_data`).

The text is exactly ``json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)`` plus a
newline, with invisible characters (bidirectional overrides, C1 controls) written as
``\\uXXXX`` escapes (:func:`decision.reports.visible.json_visible`); a test holds the two
together on random documents. It is written by one recursive pass that appends to a list:
the standard library encodes indented JSON with nested generators in Python, which took
about twice as long (0.14 of the report's 1.7 CPU seconds).
"""

from __future__ import annotations

import math
from json.encoder import encode_basestring
from typing import Any

from decision.reports.visible import json_visible


def to_json(data: Any) -> str:
    """Stable, indented JSON text ending in a newline."""
    out: list[str] = []
    _write(data, out, "\n")
    out.append("\n")
    return json_visible("".join(out))


def _write(value: Any, out: list[str], newline: str) -> None:
    """Append ``value``'s text to ``out``; ``newline`` is the line break and indent before
    the value's closing bracket."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            out.append(separator + encode_basestring(_key(key)) + ": ")
            _write(item, out, inner)
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _write(item, out, inner)
            separator = "," + inner
        out.append(newline + "]")
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _float(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
    return float.__repr__(value)


def _key(key: object) -> str:
    """A mapping key as JSON names it (the standard library's conversions)."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True or key is False or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
