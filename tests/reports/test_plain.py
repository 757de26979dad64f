"""Tests of decision.reports.plain: the report's JSON text is the standard library's, byte for
byte, however the document is built."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.reports.plain import to_json
from decision.reports.visible import INVISIBLE, json_visible

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
keys = st.text(max_size=8) | st.integers(-5, 5) | st.floats(-2, 2) | st.booleans() | st.none()
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5)
    | st.tuples(inner, inner)
    | st.dictionaries(keys, inner, max_size=5),
    max_leaves=40,
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(documents)
def test_text_is_the_standard_librarys(document: Any) -> None:
    expected = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    text = to_json(document)
    assert text == json_visible(expected)
    assert INVISIBLE.search(text) is None
    assert json.loads(text) == json.loads(expected)


def test_invisible_characters_are_escapes_and_read_back_the_same() -> None:
    """Was: a title's right-to-left override went raw into results.json and comparison.json."""
    document = {"title": "Act \u202eevil\u2066 \x9b31m", "\u200f": ["\ufeff"]}
    text = to_json(document)
    assert "\\u202e" in text and "\\u009b" in text and "\\u200f" in text
    assert INVISIBLE.search(text) is None
    assert json.loads(text) == document


def test_the_shipped_results_are_written_as_before() -> None:
    document = {"é": [1.5e-07, -0.0, 10**20, "\u2028 \x1b \"q\""], "empty": [{}, []]}
    assert to_json(document) == json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), {"x": [float("-inf")]}])
def test_non_finite_numbers_are_refused(bad: Any) -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        to_json(bad)


@pytest.mark.parametrize("bad", [{1, 2}, {"x": object()}, {(1, 2): 3}])
def test_what_json_cannot_hold_is_refused(bad: Any) -> None:
    with pytest.raises(TypeError):
        to_json(bad)
