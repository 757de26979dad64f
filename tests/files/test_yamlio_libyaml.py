"""libyaml's C parser changes nothing but the time a file takes to read (issue 21).

Every text is read twice, with libyaml and with PyYAML's pure-Python parser alone (libyaml
switched off), and the two outcomes must be equal: the same data, key positions, text starts
and expanded size, or the same one-line error. The texts are the shipped and test files, the
guard's red-team and bad-input forms, and random edits of those files (bounded in CI;
``make fuzz`` sets ``FUZZ_EXAMPLES`` for a long run).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import decision.files.yamlio as yamlio
from decision.errors import DecisionError
from decision.files.yamlio import parse_yaml

ROOT = Path(__file__).resolve().parent.parent.parent
FILES = sorted(
    [
        *ROOT.glob("models/*.yaml"),
        *ROOT.glob("scenarios/*.yaml"),
        *ROOT.glob("tests/data/mini/*.yaml"),
    ]
)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

needs_libyaml = pytest.mark.skipif(yamlio._CParser is None, reason="PyYAML without libyaml")

#: Forms the guard and the catalogue refuse, and a few that libyaml and PyYAML read apart.
TEXTS = [
    "a: 1\nb: [x, 'y', \"z\"]\nc: {d: 2.5, e: .inf, f: ~}\n",
    "a: é\nbé: [x, \"yé\"]\nc: !!str 5\nd: ! 12\n",
    "a: &a [xy, z]\nb: &b [*a, *a, q]\nc: [*b, *b]\n",
    "a: &x [1, *x]\n",
    "a: *x\n",
    "a: !foo x\n",
    "a: !!int x\n",
    "a: !!binary aGk=\n",
    "a: 1\na: 2\n",
    "<<: {a: 1}\n",
    "[a, b]: c\n",
    "a: [\n",
    "a: b: c\n",
    "- a\n-b{!",
    "title: [unclosed\nsource: x\n",
    "key:\n  - a\n - b\n",
    "a: [b, c]d\n",
    '"a\nb": 1\n',
    "a:\n\tb: 1\n",  # PyYAML refuses a tab here; libyaml accepts it
    "a?\tb: 1\n#*",
    "[a?b, c]\n",  # in flow, PyYAML ends a plain scalar at '?'; libyaml does not
    "{a?: b}\n",
    "a: b?c\n",
    "{a: , b: 1}\n",  # an empty value in flow: marked before or after the spaces
    "a: [x, ]\nb: {c: }\n",
    "a: 1\n\ufeffb: 2\n",  # libyaml skips a byte-order mark at a line's start
    "a: 1\r\nb: 'x\r\n  y'\r\n",
    "a: x\u2028y\n",
    "a: |\n  x\n\tz\n",
    "a: |#c\n  x\nb: >-2#c\n   y\n",  # libyaml takes a comment straight after '|'
    "a: \x07\n",
    "--- a\n...\n",
    "a: 1\n---\nb: 2\n",
    "%YAML 1.2\n---\na: 1\n",
    "",
    "# only a comment\n",
    "a: 'x\n\n  y'\nb: >\n  folded\n  text\n",
    "a: " + "12345" * 1000 + "\n",
    "a: 1e-400\nb: 0x1F\nc: 017\nd: 2019-06-01\ne: yes\n",
    "[" + "[" * 70 + "]" * 71,
    "a:\n" + "".join("  " * k + f"k{k}:\n" for k in range(1, 70)),
]


def _outcome(text: str) -> tuple[str, Any]:
    try:
        document = parse_yaml(text, "f.yaml")
    except DecisionError as exc:
        return "error", (exc.one_line(), exc.quotes_input)
    data = repr(document.data)  # NaN != NaN: compare the text of the values
    return "document", (data, document.positions, document.text_starts, document.expanded_chars)


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple[str, Any], tuple[str, Any]]:
    fast = _outcome(text)
    with monkeypatch.context() as patch:
        patch.setattr(yamlio, "_CParser", None)
        pure = _outcome(text)
    return fast, pure


@needs_libyaml
@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_files_read_the_same_and_take_the_fast_path(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = path.read_text()
    fast, pure = _both(text, monkeypatch)
    assert fast == pure
    assert fast[0] == "document"
    assert yamlio._compose_fast(text, str(path)) is not None  # libyaml did the work


@needs_libyaml
@pytest.mark.parametrize("text", TEXTS)
def test_bad_and_borderline_forms_read_the_same(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, pure = _both(text, monkeypatch)
    assert fast == pure


@needs_libyaml
def test_texts_where_the_parsers_may_differ_skip_libyaml() -> None:
    for text in ("a:\n\tb: 1\n", "a: 1\r\n", "a: 1\n\ufeffb: 2\n", "a: x\u2028y\n"):
        assert yamlio._compose_fast(text, "f.yaml") is None
    assert yamlio._compose_fast("a: [\n", "f.yaml") is None  # a syntax error: PyYAML words it
    assert yamlio._compose_fast("a: 1\n", "f.yaml") is not None


def test_without_libyaml_the_pure_parser_reads_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "_CParser", None)
    assert yamlio._compose_fast("a: 1\n", "f.yaml") is None
    document = parse_yaml("a: 1.5\nb: [x, .nan]\n", "f.yaml")
    assert document.data["a"] == 1.5 and math.isnan(document.data["b"][1])
    assert document.positions[("b", 1)] == (2, 8)
    with pytest.raises(DecisionError) as info:
        parse_yaml("a: !foo x\n", "f.yaml")
    assert (info.value.line, info.value.column) == (1, 4)


_PIECES = st.sampled_from(
    [" ", "  ", "\n", "\n  ", ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "#", "&a ", "*a",
     "!", "!!str ", "|", ">", "'", '"', "?", "%", "@", "`", "\\", "x", "1", ".5", "~", "é", "\t"]
)


@needs_libyaml
@FUZZ
@given(data=st.data())
def test_random_edits_of_model_files_read_the_same(data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(FILES)).read_text()
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 8))
        insert = "".join(data.draw(st.lists(_PIECES, max_size=4)))
        text = text[:at] + insert + text[at + cut :]
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, pure = _both(text, monkeypatch)
    assert fast == pure
