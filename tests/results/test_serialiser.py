"""The one serialiser and its one rounding rule."""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from enum import Enum
from typing import ClassVar

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.results import INLINE, SKIP, key, rounded, to_data

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=EXAMPLES, deadline=None)
@given(finite)
def test_rounding_keeps_twelve_digits_and_nothing_finer_than_1e_12(x: float) -> None:
    r = rounded(x)
    assert rounded(r) == r  # idempotent: rounding a report's number again changes nothing
    assert math.copysign(1.0, r) == math.copysign(1.0, x) or r == 0.0
    assert abs(r - x) <= max(0.5e-12, abs(x) * 0.5e-11)
    assert len(repr(abs(r)).split("e")[0].replace(".", "").strip("0")) <= 12
    if abs(x) < 0.5e-12:
        assert r == 0.0 and str(r) == "0.0"  # noise around zero, never "-0.0"


def test_rounding_examples() -> None:
    assert rounded(2.7755575615628914e-17) == 0.0
    assert rounded(0.0251827782291234) == 0.025182778229
    assert rounded(0.05062328673347318) == 0.050623286733  # rounding twice gave ...734
    assert rounded(0.49620000000000003) == 0.4962
    assert rounded(153.00000000000003) == 153.0
    assert rounded(1234567.891234567) == 1234567.89123
    assert rounded(-1e-13) == 0.0
    assert math.isinf(rounded(math.inf))


class Colour(Enum):
    RED = "red"


@dataclass(frozen=True)
class Inner:
    value: float
    hidden: np.ndarray = field(metadata=SKIP)
    renamed: int = field(default=1, metadata=key("from"))

    __data_extra__: ClassVar[tuple[str | tuple[str, str], ...]] = ("double", ("label", "name"))

    @property
    def double(self) -> float:
        return self.value * 2

    def name(self) -> str:
        return f"v={self.value:g}"


@dataclass(frozen=True)
class Outer:
    id: str
    inner: tuple[Inner, ...]
    parts: dict[str, object] = field(metadata=INLINE)
    array: np.ndarray
    colour: Colour


def test_dataclasses_become_plain_data_in_field_order() -> None:
    outer = Outer(
        "x",
        (Inner(0.1 + 0.2, np.zeros(3)),),
        {"a": np.int64(3), "b": [np.float64(1 / 3), None, True]},
        np.array([[1.0, 2.0]]),
        Colour.RED,
    )
    data = to_data(outer)
    assert data == {
        "id": "x",
        "inner": [{"value": 0.3, "from": 1, "double": 0.6, "label": "v=0.3"}],
        "a": 3,
        "b": [0.333333333333, None, True],
        "array": [[1.0, 2.0]],
        "colour": "red",
    }
    assert list(data) == ["id", "inner", "a", "b", "array", "colour"]
    assert type(data["a"]) is int
    json.dumps(data, allow_nan=False)


def test_an_unknown_object_is_refused() -> None:
    with pytest.raises(TypeError, match="no plain form for object"):
        to_data(object())
