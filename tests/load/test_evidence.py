"""The evidence check: every figure of every evidence item occurs in the source text."""

from __future__ import annotations

import pytest

from decision.load.evidence import Missing, check_evidence, occurs, source_variants
from decision.load.loading import load_model
from decision.specs import EvidenceSpec, ModelSpec
from tests.conftest import BRIEF_DIR, ROOT

BRIEF = BRIEF_DIR / "000_5fe917781371ea84.txt"


@pytest.fixture(scope="module")
def model() -> ModelSpec:
    return load_model(ROOT / "models" / "belarus.yaml").spec


@pytest.fixture(scope="module")
def brief() -> str:
    if not BRIEF.is_file():
        pytest.skip(f"the source brief is not at {BRIEF}")
    return BRIEF.read_text(encoding="utf-8")


def with_figure(model: ModelSpec, evidence_id: str, figure: str) -> ModelSpec:
    """The model with one more evidence item carrying ``figure``."""
    item = EvidenceSpec(locator="made up ¶9", figures=[figure], claim="A made-up claim.")
    return model.model_copy(update={"evidence": {**model.evidence, evidence_id: item}})


def test_every_figure_of_the_shipped_model_is_in_the_brief(model: ModelSpec, brief: str) -> None:
    assert check_evidence(model, brief) == []
    assert sum(len(e.figures) for e in model.evidence.values()) > 20


def test_a_made_up_figure_is_reported_with_its_id(model: ModelSpec, brief: str) -> None:
    missing = check_evidence(with_figure(model, "made-up", "$999 billion"), brief)
    assert missing == [Missing("made-up", "$999 billion", "made up ¶9", 0)]
    assert missing[0].key_path == ("evidence", "made-up", "figures", 0)
    assert missing[0].message() == (
        "evidence.made-up.figures[0]: '$999 billion' not found in the source "
        "(locator: made up ¶9)"
    )


@pytest.mark.parametrize(
    ("figure", "found"),
    [
        ("Freedom Index", True),  # "Free-\ndom Index"
        ("diplomats", True),  # "dip-\nlomats"
        ("$630 million", True),  # "$630\n million"
        ("cease-fire", True),  # "cease-\nfire"
        ("ceasefire", True),
        ('"mostly unfree nation."', True),  # typographic quotes in the source
        ("MOSTLY UNFREE", True),  # case
        ("16", True),
        ("160", False),  # a figure is a whole token
        ("6", False),  # not inside "16"
        ("five", True),
        ("fivefold", False),
        ("secretary general", True),  # footnote digits glued after it
        ("$999 billion", False),
    ],
)
def test_ocr_tolerant_matching(figure: str, found: bool) -> None:
    source = (
        "the 2019 World Press Free-\ndom Index, only five U.S. dip-\nlomats;\n"
        "a $630\n million loan; cease-\nfire talks; a \u201cmostly unfree nation.\u201d? "
        "and 16 individuals; its new secretary general.'18 Other text."
    )
    assert occurs(figure, source_variants(source)) is found


def test_figures_with_only_spaces_are_ignored(model: ModelSpec) -> None:
    assert check_evidence(with_figure(model, "blank", " "), "") == [
        Missing(e, f, model.evidence[e].locator, k)
        for e in model.evidence
        for k, f in enumerate(model.evidence[e].figures)
    ]
