"""Failed conditions name their values as a reader expects: booleans as true/false, numbers
as short numbers, in the terminal and in the report alike."""

from __future__ import annotations

from decision.reports.comparison import availability_text
from decision.reports.wording import condition_values_text
from decision.study.scenario import run_scenario
from tests.core.test_likelihood import MINI


def test_boolean_atoms_read_true_or_false() -> None:
    assert condition_values_text("released", {"released": 0.0}) == "released is false"
    assert condition_values_text("not released", {"released": 1.0}) == "released is true"
    assert condition_values_text("access >= 0.5", {"access": 0.2}) == "access is 0.2"
    # a number that happens to be 0 or 1 in a comparison stays a number
    assert condition_values_text("rank > 1", {"rank": 1.0}) == "rank is 1"


def test_the_terminal_says_false_not_zero() -> None:
    run = run_scenario(MINI / "base.yaml")
    text = availability_text(run.result.option("engage"))
    assert "released is false" in text and "access is 0.2" in text
    assert "is 0)" not in text
