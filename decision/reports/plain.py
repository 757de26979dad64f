"""Stable JSON text for the report files (the data itself comes from
:func:`decision.results.to_data`)."""

from __future__ import annotations

import json
from typing import Any


def to_json(data: Any) -> str:
    """Stable, indented JSON text ending in a newline."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
