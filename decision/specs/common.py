"""Building blocks shared by the model and scenario specs.

Every free-text field is one of two annotated string types, so the same rules hold everywhere:

- :data:`Text` (descriptions, rationales, claims, notes, reasons, expressions): 1 to 4,000
  characters; newlines and tabs allowed.
- :data:`Line` (titles, names, units, locators, recommendations, paths): 1 to 500 characters
  on one line.

Every spec validates in pydantic's strict mode: a number must be a number (``true``, ``"2"``
are refused where a number is needed) and a boolean a boolean (``1``, ``"yes"`` are refused
where true/false is needed). Checks that involve several keys raise :func:`at_key`, which
names the key to point at, so the message is located at that key's own line.

Both text types refuse C0 and C1 control characters (U+0000-U+001F, U+007F-U+009F) other than the
newline and tab that multi-line text may hold: printed raw, ESC, BEL, CR and the rest change
colours, window titles or hide text in a terminal. Bidirectional controls (U+202A-U+202E,
U+2066-U+2069, U+200E, U+200F, U+061C) are accepted here: the outputs render them visibly.
"""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from decision.specs.scalars import yaml11_form

INDICATOR_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
ITEM_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
#: What each id pattern allows, in words, for messages (pattern -> (kind, rule)).
ID_RULES = {
    INDICATOR_ID_PATTERN: (
        "indicator id",
        "lower-case letters a-z, digits and '_', starting with a letter (indicator ids are "
        "names in preconditions)",
    ),
    ITEM_ID_PATTERN: (
        "id",
        "lower-case letters a-z, digits, '-' and '_', starting with a letter or digit",
    ),
}


def portable_id(value: str) -> str:
    """``value`` if every YAML reader takes it as text: ids are keys and references, and an
    id such as ``yes``, ``off``, ``0x1f`` or ``1_000`` is a boolean or a number to a YAML 1.1
    reader (PyYAML's default; ``0x1f`` and ``0o17`` to YAML 1.2 too), so the same file would
    mean something else there."""
    form = yaml11_form(value)
    if form is not None:
        raise ValueError(
            f"'{value}' is {form} to other YAML readers, so it cannot be an id; allowed: ids "
            "that are text in every YAML version (not yes/no/on/off, nor forms such as 0x1f, "
            "0o17, 0b101, 017, 1_000 or 12:30)"
        )
    return value


#: Ids of indicators double as names in precondition expressions, so they are identifiers.
IndicatorId = Annotated[
    str,
    StringConstraints(pattern=INDICATOR_ID_PATTERN, max_length=64),
    AfterValidator(portable_id),
]
#: Ids of options, criteria, evidence and perspectives: lower case, digits, '-' and '_'.
ItemId = Annotated[
    str, StringConstraints(pattern=ITEM_ID_PATTERN, max_length=64), AfterValidator(portable_id)
]

MAX_TEXT_CHARS = 4000
MAX_LINE_CHARS = 500
#: The control characters each text type refuses, as JSON Schema patterns (ECMA 262 and Python
#: alike, found anywhere in the text), so standard validators refuse what the loader refuses.
TEXT_CONTROLS = "[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]"
LINE_CONTROLS = "[\\u0000-\\u001f\\u007f-\\u009f]"

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
        "but newline and tab.",
        json_schema_extra={"not": {"pattern": TEXT_CONTROLS}},
    ),
]
Line = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_LINE_CHARS),
    AfterValidator(single_line),
    Field(
        description=f"One line of text: 1 to {MAX_LINE_CHARS} characters; no control characters.",
        json_schema_extra={"not": {"pattern": LINE_CONTROLS}},
    ),
]


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number (not NaN or infinity)")
    return value


FiniteFloat = Annotated[float, AfterValidator(_finite)]
# Ranges are pydantic's own float constraints (with NaN and infinity refused first), so the
# JSON Schema carries them as the standard ``minimum``/``maximum`` keywords: a constraint
# placed after a validator function is checked alike but written as a custom ``ge``/``le``
# that standard validators ignore.
UnitFloat = Annotated[float, Field(allow_inf_nan=False, ge=0.0, le=1.0)]
Weight = Annotated[float, Field(allow_inf_nan=False, ge=0.0)]
NonNegative = Annotated[float, Field(allow_inf_nan=False, ge=0.0)]
Probability = Annotated[float, Field(allow_inf_nan=False, ge=0.0, le=1.0)]
Positive = Annotated[float, Field(allow_inf_nan=False, gt=0.0)]


def at_key(message: str, *key: str | int, allowed: str | None = None) -> PydanticCustomError:
    """A check that involves several keys, to be reported at ``key`` (a path below the
    mapping being validated; none for the mapping itself) with ``message`` and ``allowed``.

    The loader turns it into one line at that key's own line and key path, without quoting
    the mapping.
    """
    return PydanticCustomError(
        "at_key", "{message}", {"message": message, "key": key, "allowed": allowed or ""}
    )


class Spec(BaseModel):
    """Base of every file spec: unknown keys are errors, values are immutable, and values
    are not coerced (strict mode: see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
