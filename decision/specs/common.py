"""Building blocks shared by the model and scenario specs.

Every free-text field is one of two annotated string types, so the same rules hold everywhere:

- :data:`Text` (descriptions, rationales, claims, notes, reasons, expressions): 1 to 4,000
  characters; newlines and tabs allowed.
- :data:`Line` (titles, names, units, locators, recommendations, paths): 1 to 500 characters
  on one line.

Both refuse C0 and C1 control characters (U+0000-U+001F, U+007F-U+009F) other than the
newline and tab that multi-line text may hold: printed raw, ESC, BEL, CR and the rest change
colours, window titles or hide text in a terminal. Bidirectional controls (U+202A-U+202E,
U+2066-U+2069, U+200E, U+200F, U+061C) are accepted here: the outputs render them visibly.
"""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

#: Ids of indicators double as names in precondition expressions, so they are identifiers.
IndicatorId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
#: Ids of options, criteria, evidence and perspectives: lower case, digits, '-' and '_'.
ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]

MAX_TEXT_CHARS = 4000
MAX_LINE_CHARS = 500

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0D: "CR", 0x1B: "ESC", 0x7F: "DEL"}
_CONTROL_NAMES |= {0x09: "tab", 0x0A: "newline", 0x85: "NEL", 0x9B: "CSI"}


def _refuse_controls(value: str, allowed: str, where: str) -> str:
    for match in _CONTROLS.finditer(value):
        char = match.group()
        if char in allowed:
            continue
        code = ord(char)
        name = _CONTROL_NAMES.get(code)
        shown = f"U+{code:04X}" + (f" ({name})" if name else "")
        raise ValueError(
            f"control character {shown} at character {match.start() + 1}; "
            f"allowed: printable text{where}"
        )
    return value


def multi_line(value: str) -> str:
    """``value`` if it holds no control characters but newlines and tabs."""
    return _refuse_controls(value, "\n\t", " (newlines and tabs too)")


def single_line(value: str) -> str:
    """``value`` if it holds no control characters at all (newlines and tabs included)."""
    return _refuse_controls(value, "", " on one line")


Text = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS),
    AfterValidator(multi_line),
    Field(
        description=f"Free text: 1 to {MAX_TEXT_CHARS:,} characters; no control characters "
        "but newline and tab."
    ),
]
Line = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_LINE_CHARS),
    AfterValidator(single_line),
    Field(
        description=f"One line of text: 1 to {MAX_LINE_CHARS} characters; no control characters."
    ),
]


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number (not NaN or infinity)")
    return value


FiniteFloat = Annotated[float, AfterValidator(_finite)]
UnitFloat = Annotated[float, AfterValidator(_finite), Field(ge=0.0, le=1.0)]
Weight = Annotated[float, AfterValidator(_finite), Field(ge=0.0)]


class Spec(BaseModel):
    """Base of every file spec: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)
