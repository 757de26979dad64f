"""The YAML guard: caps enforced while composing, core tags only, dates as text (issue 22, 25).

The catalogue in tests/cli/test_bad_input.py checks the one-line messages; these tests check
the guard's arithmetic, its speed on the red-team inputs, and that libyaml's fast pre-pass
changes nothing but the time taken.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import decision.files.yamlio as yamlio
from decision.errors import DecisionError
from decision.files.yamlio import MAX_EXPANDED_CHARS, MAX_NODES, parse_yaml
from decision.load.loading import load_model

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"


def _error(text: str) -> DecisionError:
    with pytest.raises(DecisionError) as info:
        parse_yaml(text, "f.yaml")
    return info.value


def _guard_totals(text: str) -> tuple[int, int]:
    guard = yamlio._Guard("f.yaml", strict=True)
    loader = yamlio._Loader(text, guard)
    try:
        loader.get_single_node()
    finally:
        loader.dispose()
    return guard.nodes, guard.chars


def test_million_item_list_is_refused_while_composing() -> None:
    """Issue 22: 47 s and 0.73 GB before; now refused once the 200,001st value is read."""
    text = "[" + "1," * 999_998 + "1]"  # 1,999,999 bytes, just under the file cap
    start = time.perf_counter()
    error = _error(text)
    elapsed = time.perf_counter() - start
    assert "too many values" in error.what
    assert (error.line, error.column) == (1, 2 * MAX_NODES)  # the value that crossed the cap
    assert error.key_path == f"[{MAX_NODES - 1}]"
    assert elapsed < 1.0, elapsed


def test_alias_amplification_is_refused_before_any_work() -> None:
    """Issue 25: 150,001 aliases of a 3,990-character figure (598 MB expanded)."""
    figures = '[&f "' + "x" * 3990 + '"' + ", *f" * 150_001 + "]"
    text = (MINI / "model.yaml").read_text().replace('figures: ["12"]', f"figures: {figures}")
    start = time.perf_counter()
    error = _error(text)
    assert time.perf_counter() - start < 1.0
    assert "text expands to over" in error.what
    assert error.key_path is not None and error.key_path.startswith("evidence.fact-a.figures[")
    assert error.line == text[: text.index("figures:")].count("\n") + 1


def test_aliases_add_their_anchors_memoised_size() -> None:
    text = "a: &a [xy, z]\nb: &b [*a, *a, q]\nc: [*b, *b]\n"
    # values: the root; a: key + [xy, z] (3); b: key + [*a, *a, q] (1 + 3 + 3 + 1 = 8);
    # c: key + [*b, *b] (1 + 8 + 8 = 17). Characters: keys 3; a 3; b 3 + 3 + 1; c 7 + 7.
    assert _guard_totals(text) == (1 + 4 + 9 + 18, 3 + 3 + 7 + 14)


def test_caps_hold_without_the_libyaml_prepass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The authoritative pure-Python parse enforces the same caps with the same message."""
    monkeypatch.setattr(yamlio, "MAX_NODES", 1000)
    text = "a: [" + "1, " * 5000 + "1]\n"
    with_prepass = _error(text).one_line()
    monkeypatch.setattr(yamlio, "_measure", lambda text, path: None)
    assert _error(text).one_line() == with_prepass


def test_expanded_size_cap_counts_keys_and_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_EXPANDED_CHARS", 10)
    parse_yaml("abc: defghij\n", "f.yaml")  # exactly 10 characters
    assert "expands to over 10 characters" in _error("abc: defghijk\n").what
    assert MAX_EXPANDED_CHARS == 2 * yamlio.MAX_FILE_BYTES


@pytest.mark.parametrize(
    "text",
    [
        "a:\n\tb: 1\n",  # PyYAML refuses a tab here; libyaml accepts it
        "a?\tb: 1\n#*",
        "title: [unclosed\nsource: x\n",
        "a: b: c\n",
        "- a\n-b{!",
        "a: *x\n",
    ],
)
def test_prepass_leaves_messages_and_positions_to_pyyaml(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_prepass = _error(text).one_line()
    monkeypatch.setattr(yamlio, "_measure", lambda text, path: None)
    assert _error(text).one_line() == with_prepass


def test_plain_dates_are_text_and_core_tags_fit_their_content() -> None:
    text = (
        "a: 2019-06-01\nb: 2020-02-30\n2021-01-01: key\nc: !!str 12\nd: !!float 1\n"
        'e: !!int "7"\nf: !!null ""\ng: !!seq [1]\nh: !!map {x: 1}\nj: =\n'
    )
    data = parse_yaml(text, "f.yaml").data
    assert data == {
        "a": "2019-06-01",
        "b": "2020-02-30",
        "2021-01-01": "key",
        "c": "12",
        "d": 1.0,
        "e": 7,
        "f": None,
        "g": [1],
        "h": {"x": 1},
        "j": "=",
    }


def test_a_model_may_hold_date_like_figures_and_locators(tmp_path: Path) -> None:
    text = (MINI / "model.yaml").read_text()
    text = text.replace('figures: ["12"]', "figures: [2019-06-01, 2020-02-30]")
    text = text.replace('locator: "intro ¶1"', "locator: 2019-06-01")
    (tmp_path / "model.yaml").write_text(text)
    evidence = load_model(tmp_path / "model.yaml").spec.evidence["fact-a"]
    assert evidence.figures == ["2019-06-01", "2020-02-30"]
    assert evidence.locator == "2019-06-01"


def test_content_errors_are_marked_as_quoting_the_file() -> None:
    assert _error("a: !foo x\n").quotes_input
    assert _error("a: 1\na: 2\n").quotes_input
    assert _error("a: [\n").quotes_input
    assert _error("a: !!int x\n").quotes_input
    assert not _error("[" + "[" * 70 + "]" * 71).quotes_input
    assert not _error("").quotes_input


def test_huge_integer_message_is_abbreviated() -> None:
    error = _error("a: " + "12345" * 1000 + "\n")
    assert "has 5,000 digits" in error.what
    assert len(error.one_line()) < 200
