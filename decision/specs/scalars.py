"""YAML scalar forms: how this tool resolves a plain scalar, and how YAML 1.1 would.

Plain scalars are resolved by YAML 1.2's core schema with decimal numbers only
(:func:`plain_tag`); forms that other YAML readers take as booleans or numbers but this tool
as text (``yes``, ``0x1F``, ``33:40``, ``1_000``, ``017``) are named by :func:`yaml11_form`,
so messages can say why a value is text and ids can refuse them. Only the standard library is
imported: the loader (:mod:`decision.files.yamlio`) and the specs both use it.
"""

from __future__ import annotations

import re

CORE = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (CORE + name for name in ("str", "int", "float", "bool", "null"))
SEQ, MAP = CORE + "seq", CORE + "map"
NULLS = {"", "~", "null", "Null", "NULL"}
BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
MERGE = CORE + "merge"
#: YAML 1.2 core-schema numbers, decimal only (ASCII digits; no '_', no hex or octal).
INT_FORM = re.compile(r"[-+]?[0-9]+\Z")
FLOAT_FORM = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
INF_FORM = re.compile(r"([-+]?)\.(?:inf|Inf|INF)\Z")
NAN_FORM = re.compile(r"\.(?:nan|NaN|NAN)\Z")
#: Plain scalars YAML 1.1 reads as numbers or booleans but YAML 1.2 (and this tool) as text:
#: named in messages when such text stands where a number or a boolean is needed.
YAML11_FORMS = re.compile(
    r"(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)\Z"  # booleans
    r"|[-+]?0[xX][0-9a-fA-F_]+\Z|[-+]?0[oO]?[0-7_]+\Z|[-+]?0[bB][01_]+\Z"  # hex, octal, binary
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z"  # sexagesimal, e.g. 33:40
    r"|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?\Z"  # digits with '_' separators
)
#: Integers with a leading zero: octal in YAML 1.1, decimal in YAML 1.2, so read as text.
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+\Z")


def plain_tag(value: str) -> str:
    """The YAML 1.2 core-schema tag of a plain (unquoted, untagged) scalar; numbers decimal.

    ``<<`` resolves to the merge tag so that merge keys can be refused by name.
    """
    if value in NULLS:
        return NULL
    if value in BOOLS:
        return BOOL
    if value == "<<":
        return MERGE
    if _LEADING_ZERO.match(value):
        return STR
    if INT_FORM.match(value):
        return INT
    if FLOAT_FORM.match(value) or INF_FORM.match(value) or NAN_FORM.match(value):
        return FLOAT
    return STR


def why_text(value: str) -> str:
    """Why ``value`` is text where a number or true/false was wanted, for messages: it has a
    YAML 1.1 reading, or it was quoted; '' when there is nothing more to say."""
    form = yaml11_form(value)
    if form is not None:
        return (
            f" (other YAML readers take it as {form}; here numbers are decimal and booleans "
            "true/false, so it is text)"
        )
    if plain_tag(value) in (INT, FLOAT, BOOL):
        return " (it is quoted, so it is text: remove the quotes)"
    return ""


def yaml11_form(value: str) -> str | None:
    """What other YAML readers take the plain text ``value`` as ('a boolean', 'a hexadecimal
    number', ...: YAML 1.1 forms, and YAML 1.2's 0x and 0o numbers) when this reader takes it
    as text; None when they read it alike."""
    if _LEADING_ZERO.match(value):
        return "an octal number (leading zero)"
    if plain_tag(value) != STR or not YAML11_FORMS.match(value):
        return None
    lowered = value.lstrip("+-").lower()
    if lowered in {"yes", "no", "on", "off"}:
        return "a boolean"
    if lowered.startswith("0x"):
        return "a hexadecimal number"
    if lowered.startswith("0b"):
        return "a binary number"
    if ":" in lowered:
        return "a sexagesimal (base 60) number"
    if "_" in lowered:
        return "a number with '_' separators"
    return "an octal number"
