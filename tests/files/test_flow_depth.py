"""The bracket-depth guard gives the same verdict and line whichever way it counts.

Files with few brackets are counted in a Python loop (so validation need not import numpy),
files with very many with numpy; both must name the same line, or both none.
"""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from decision.files import yamlio

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
pieces = st.sampled_from(["[", "{", "]", "}", "\n", "a", "é", "[[[[[[[[", "]]]]", "x: [1, 2]\n"])


@settings(max_examples=EXAMPLES, deadline=None)
@given(parts=st.lists(pieces, max_size=80), depth=st.integers(0, yamlio.MAX_DEPTH + 2))
def test_loop_and_arrays_agree(parts: list[str], depth: int) -> None:
    text = "[" * depth + "".join(parts)
    assert yamlio._too_deep_line(text) == yamlio._too_deep_line_numpy(text)


def test_the_line_of_the_first_bracket_too_deep() -> None:
    text = "a: 1\n" + "[" * yamlio.MAX_DEPTH + "\n[\n"
    assert yamlio._too_deep_line(text) == 3
    assert yamlio._too_deep_line("[]" * 1000) is None
