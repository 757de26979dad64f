"""Provenance of every number: from the source (among the cited figures), derived, or a
judgement; figures read as numbers by one documented rule; the CLI table and its JSON."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import decision
from decision.errors import DecisionError
from decision.load.loading import load_model
from decision.load.provenance import (
    NumberProvenance,
    classify,
    evaluate_derivation,
    figure_numbers,
    model_entries,
)
from decision.specs import EvidenceSpec, ProvenanceSpec
from decision.specs.resolved import LoadedModel
from tests.conftest import BELARUS, BRIEF_DIR, DATA, CliResult

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
MINI = DATA / "mini" / "model.yaml"


@pytest.fixture(scope="module")
def mini() -> LoadedModel:
    return load_model(MINI)


def _numbers(
    model: LoadedModel,
    figures: list[str],
    baseline: float = 0.2,
    provenance: ProvenanceSpec | None = None,
) -> dict[str, NumberProvenance]:
    """The mini model's numbers by key path, with fact-a's figures and the access
    indicator's baseline and provenance replaced."""
    spec = model.spec
    item = EvidenceSpec(locator="intro ¶1", figures=figures, claim="A test fact.")
    access = spec.indicators["access"].model_copy(
        update={"baseline": baseline, "provenance": provenance}
    )
    changed = spec.model_copy(
        update={
            "evidence": {"fact-a": item},
            "indicators": {**spec.indicators, "access": access},
        }
    )
    found = classify(model_entries(changed), changed, model.document)
    return {n.key_path: n for n in found}


@pytest.mark.parametrize(
    ("figure", "numbers"),
    [
        ("153rd", [153.0]),
        ("104th", [104.0]),
        ("2,000", [2000.0]),
        ("$1.5 million", [1.5, 1_500_000.0]),
        ("$630 million", [630.0, 630_000_000.0]),
        ("$10 billion", [10.0, 10_000_000_000.0]),
        ("15%", [15.0, 0.15]),
        ("0.5 percent", [0.5, 0.005]),
        ("five", [5.0]),
        ("Two years later", [2.0]),
        ("20 years", [20.0]),
        ("January 2019", [2019.0]),
        ("14 miles", [14.0]),
        ("1990s", [1990.0]),
        ("a thousand", [1000.0]),
        ("a few thousand", []),  # 'few' is no number: the brief's hedge stays a hedge
        ("-3", [-3.0]),
        ("1997-1999", [1997.0, 1999.0]),  # a range, not a negative number
        ("1,2", [1.0, 2.0]),  # a list: commas group thousands only in groups of three
        ("B52", []),  # digits glued to letters are part of a name
        ("mostly unfree", []),
    ],
)
def test_figures_are_read_as_numbers_by_one_rule(figure: str, numbers: list[float]) -> None:
    assert figure_numbers(figure) == numbers


@pytest.mark.parametrize(
    ("text", "value", "operands"),
    [
        ("1997 + 2", 1999.0, [1997.0, 2.0]),
        ("630 / 1000", 0.63, [630.0, 1000.0]),
        ("-(3 * 4) / 2", -6.0, [3.0, 4.0, 2.0]),
        ("  .5 + 1e1 ", 10.5, [0.5, 10.0]),
    ],
)
def test_derivations_are_arithmetic(text: str, value: float, operands: list[float]) -> None:
    assert evaluate_derivation(text) == (pytest.approx(value), operands)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1997 +", "a number is missing at the end"),
        ("2 ** 3", "a number is missing before '*'"),
        ("(1 + 2", "a '(' is not closed"),
        ("1 / 0", "division by zero"),
        ("__import__('os')", "'_' at position 1 is not arithmetic"),
        ("1e308 * 10", "not a finite number"),
        ("-" * 40 + "1", "nested deeper than"),
    ],
)
def test_a_bad_derivation_is_refused(text: str, says: str) -> None:
    with pytest.raises(DecisionError, match="derivation") as caught:
        evaluate_derivation(text)
    assert says in caught.value.what


def test_a_baseline_among_the_cited_figures_is_from_the_source(mini: LoadedModel) -> None:
    numbers = _numbers(mini, ["about 20%"])  # 20% is 20 and 0.2
    found = numbers["indicators.access.baseline"]
    assert (found.kind, found.declared) == ("source", False)
    assert (found.evidence, found.figures) == (["fact-a"], ["about 20%"])
    assert found.by is None and found.reason is None


def test_a_number_not_among_the_figures_is_the_modellers_judgement(mini: LoadedModel) -> None:
    numbers = _numbers(mini, ["12"])
    found = numbers["indicators.access.baseline"]
    assert (found.kind, found.by, found.evidence, found.figures) == (
        "judgement",
        "modeller",
        ["fact-a"],
        [],
    )
    # entries citing no evidence: weights, perspectives, performance are all judgements
    for key in (
        "criteria.security.weight",
        "perspectives.rights-first.weights.security",
        "options.act.performance.security.effects.access",
        "options.engage.preconditions[0].when",
    ):
        assert numbers[key].kind == "judgement", key


def test_a_declared_judgement_stays_one_even_where_a_figure_matches(mini: LoadedModel) -> None:
    declared = ProvenanceSpec(
        judgement=["baseline"], by="a regional expert", confidence="low", reason="A guess."
    )
    found = _numbers(mini, ["0.2"], provenance=declared)["indicators.access.baseline"]
    assert (found.kind, found.declared, found.by, found.confidence, found.reason) == (
        "judgement",
        True,
        "a regional expert",
        "low",
        "A guess.",
    )


def test_a_derived_number_names_its_figures_and_constants(mini: LoadedModel) -> None:
    declared = ProvenanceSpec(derived={"baseline": "12 / 60"})
    found = _numbers(mini, ["12"], provenance=declared)["indicators.access.baseline"]
    assert (found.kind, found.declared, found.derived) == ("derived", True, "12 / 60")
    assert (found.figures, found.constants, found.evidence) == (["12"], [60.0], ["fact-a"])


def test_a_threshold_is_classified_from_its_preconditions_evidence(mini: LoadedModel) -> None:
    found = _numbers(mini, ["a half: 0.5"])["options.engage.preconditions[0].when"]
    assert (found.kind, found.value, found.figures) == ("source", 0.5, ["a half: 0.5"])


def test_a_declaration_that_does_not_hold_is_raised(mini: LoadedModel) -> None:
    with pytest.raises(DecisionError, match="declared from the source") as caught:
        _numbers(mini, ["12"], provenance=ProvenanceSpec(source=["baseline"]))
    assert caught.value.key_path == "indicators.access.baseline"
    assert caught.value.line is not None


@st.composite
def _printed(draw: st.DrawFn) -> tuple[float, str]:
    """A decimal number and a figure printing it as a source might (thousands separators,
    an ordinal ending, a currency sign, a scale word, a percent sign, words around it)."""
    digits = draw(st.integers(min_value=0, max_value=10**9))
    places = draw(st.integers(min_value=0, max_value=3))
    number = Decimal(digits).scaleb(-places)
    grouped = draw(st.booleans())
    text = f"{number:,.{places}f}" if grouped else f"{number:.{places}f}"
    form = draw(st.sampled_from(["plain", "ordinal", "money", "percent", "negative"]))
    if form == "ordinal" and places == 0:
        text += "th"
    elif form == "money":
        text = f"${text} million"
    elif form == "percent":
        text += "%"
    elif form == "negative":
        number, text = -number, f"-{text}"
    before = draw(st.sampled_from(["", "about ", "in all "]))
    after = draw(st.sampled_from(["", " people", " in 2019"]))
    return float(number), before + text + after


@settings(max_examples=EXAMPLES, deadline=None)
@given(_printed())
def test_a_number_among_the_figures_is_from_the_source_and_absent_a_judgement(
    mini: LoadedModel, printed: tuple[float, str]
) -> None:
    value, figure = printed
    found = _numbers(mini, [figure], baseline=value)["indicators.access.baseline"]
    assert found.kind == "source", (value, figure)
    assert found.figures == [figure]
    # larger than any number such a figure holds (at most 1e9 million, or the year 2019)
    absent = _numbers(mini, [figure], baseline=3.5e15)["indicators.access.baseline"]
    assert (absent.kind, absent.figures) == ("judgement", [])


def test_the_public_function_and_the_cli_agree(run_cli: Callable[..., CliResult]) -> None:
    table = decision.provenance(MINI)
    result = run_cli("provenance", str(MINI), "--json")
    assert result.status == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    assert data["counts"] == table.counts
    assert sum(table.counts.values()) == len(data["numbers"]) == len(table.numbers)
    assert [n["key_path"] for n in data["numbers"]] == [n.key_path for n in table.numbers]
    text = run_cli("provenance", str(MINI))
    assert text.status == 0
    assert f"{len(table.numbers)} numbers" in text.out
    for number in table.of_kind("judgement"):
        assert number.entry in text.out


def test_a_scenario_adds_its_budgets_from_its_own_file(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    import shutil

    folder = tmp_path / "mini"
    shutil.copytree(DATA / "mini", folder)
    scenario = folder / "open.yaml"
    scenario.write_text(
        scenario.read_text()
        + "budgets: {money: 12}\nprovenance: {evidence: [fact-a], source: [budgets.money]}\n"
    )
    table = decision.provenance(scenario)
    assert table.scenario == "open"
    budget = [n for n in table.numbers if n.key == "budgets.money"]
    assert [(n.file, n.kind, n.declared, n.figures) for n in budget] == [
        (str(scenario), "source", True, ["12"])
    ]
    assert len(table.numbers) == len(decision.provenance(folder / "model.yaml").numbers) + 1


def _belarus_table() -> Any:
    if not BELARUS.exists():
        pytest.skip("models/belarus.yaml missing")
    return decision.provenance(BELARUS)


def test_belarus_baselines_from_the_brief_are_from_the_source() -> None:
    numbers = {n.key_path: n for n in _belarus_table().numbers}
    for key, figure in (
        ("indicators.press_freedom_rank.baseline", "153rd"),
        ("options.conditional-engagement.preconditions[1].when", "153rd"),
    ):
        assert numbers[key].kind == "source" and figure in numbers[key].figures


def test_belarus_judgements_are_disclosed() -> None:
    """Every judgement range of a performance entry or a likelihood says why it is as wide as
    it is, and the allied-alignment baseline the issue doubted is a judgement with a wide range."""
    table = _belarus_table()
    ranges = [
        n
        for n in table.of_kind("judgement")
        if (".performance." in n.entry or n.entry.endswith(".likelihood"))
        and n.key in ("low", "high")
    ]
    assert ranges and all(n.reason for n in ranges), [n.key_path for n in ranges if not n.reason]
    numbers = {n.key_path: n for n in table.numbers}
    alignment = numbers["indicators.allied_alignment.baseline"]
    assert alignment.kind == "judgement" and alignment.reason
    for key in (
        "criteria.low-cost-escalation.weight",
        "perspectives.realist.weights.low-cost-escalation",
        "options.r3-engage-civil-society.likelihood.value",
        "options.r2-regional-security.costs.budget.value",
        "interactions[0].effects.allied-security",
    ):
        assert numbers[key].kind == "judgement" and numbers[key].reason, key


def test_validate_with_the_brief_still_finds_every_figure(
    run_cli: Callable[..., CliResult],
) -> None:
    brief = BRIEF_DIR / "000_5fe917781371ea84.txt"
    if not brief.is_file() or not BELARUS.exists():
        pytest.skip(f"the source brief is not at {brief}")
    result = run_cli("validate", str(BELARUS), "--source", str(brief))
    assert result.status == 0, result.err
    assert "evidence figures occur in" in result.out
