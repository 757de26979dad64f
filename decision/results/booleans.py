"""Boolean indicators' values as true/false in JSON: the engine holds every indicator as a
float (a yes/no one as 0.0 or 1.0), and a reader of ``results.json`` or ``--json`` output should
see ``true``, not ``1.0``."""

from __future__ import annotations

from collections.abc import Mapping

#: Keys that hold an indicator's value in an entry naming the indicator (``indicator``, or a
#: tornado bar's ``input`` of kind ``indicator``).
_LEVEL_KEYS = ("value", "threshold", "from", "to", "baseline", "low", "high")


def booleans_as_bools(node: object, booleans: set[str]) -> None:
    """Turn, in place, the 0/1 values of the named boolean indicators into false/true: in an
    entry naming one (``indicator``, or a tornado bar's ``input``), its value keys; in a
    ``values`` or ``indicators`` mapping, its entries."""
    if not booleans:
        return
    if isinstance(node, list):
        for item in node:
            booleans_as_bools(item, booleans)
        return
    if not isinstance(node, dict):
        return
    named = node.get("indicator")
    if node.get("kind") == "indicator" and "score_low" in node:
        named = node.get("input")
    if named in booleans:
        for key in _LEVEL_KEYS:
            if isinstance(node.get(key), float):
                node[key] = node[key] >= 0.5
    for key in ("values", "indicators"):
        mapping = node.get(key)
        if isinstance(mapping, dict):
            for name in booleans & set(mapping):
                if isinstance(mapping[name], float):
                    mapping[name] = mapping[name] >= 0.5
    for child in node.values():
        booleans_as_bools(child, booleans)


def boolean_indicators(indicators: Mapping[str, object]) -> set[str]:
    """The ids of a model spec's yes/no indicators (``indicators``: the spec's mapping)."""
    return {name for name, item in indicators.items() if getattr(item, "type", None) == "boolean"}
