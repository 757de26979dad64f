"""Checks of ``source.recommends`` and ``options_are`` in a model file."""

from __future__ import annotations

from pathlib import Path

import pytest

from decision.errors import DecisionError
from decision.load.loading import load_model

YEAR = "  year: 2020\n"


def with_text(folder: Path, new: str) -> Path:
    path = folder / "model.yaml"
    path.write_text(path.read_text().replace(YEAR, YEAR + new, 1))
    return path


def test_a_recommendation_now_and_later_is_accepted(mini: Path) -> None:
    path = with_text(
        mini,
        "  recommends:\n    now: [act, engage]\n    when:\n"
        "      - {options: [engage], condition: a second part later}\n",
    )
    spec = load_model(path).spec
    assert spec.source.recommends is not None
    assert spec.source.recommends.now == ["act", "engage"]
    assert spec.options_are == "alternatives"


def test_an_option_listed_twice_in_one_list_is_refused(mini: Path) -> None:
    path = with_text(mini, "  recommends:\n    now: [act, act]\n")
    with pytest.raises(DecisionError) as caught:
        load_model(path)
    assert caught.value.key_path == "source.recommends.now"
    assert "listed twice" in caught.value.one_line()
