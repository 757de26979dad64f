"""Strict reading (issue 24): YAML 1.2 scalars, no coercions, cross-key errors at their key.

The catalogue in tests/cli/test_bad_input.py checks the one-line messages through the CLI;
these tests pin the reader's rules and the translation of validation errors directly.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import decision.files.yamlio as yamlio
import decision.specs as specs
from decision.errors import DecisionError
from decision.files.yamlio import parse_yaml
from decision.load.loading import load_model, load_scenario
from decision.specs.common import Spec
from decision.specs.scalars import yaml11_form

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"


def _value(text: str) -> Any:
    return parse_yaml(f"a: {text}\n", "f.yaml").data["a"]


def _error(text: str) -> DecisionError:
    with pytest.raises(DecisionError) as info:
        parse_yaml(text, "f.yaml")
    return info.value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # YAML 1.1 booleans, sexagesimal, separators, binary, octal: text
        ("yes", "yes"),
        ("No", "No"),
        ("ON", "ON"),
        ("off", "off"),
        ("y", "y"),
        ("33:40", "33:40"),
        ("190:20:30.15", "190:20:30.15"),
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ("017", "017"),
        ("-017", "-017"),
        # numbers are decimal only: YAML 1.2's 0x and 0o forms are text too
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        # dates are text
        ("2019-06-01", "2019-06-01"),
        # the core schema's own forms
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("~", None),
        ("null", None),
        ("", None),
        ("0", 0),
        ("-12", -12),
        ("+7", 7),
        ("1e3", 1000.0),  # YAML 1.1 (PyYAML) reads this as the text '1e3'
        ("1.", 1.0),
        (".5", 0.5),
        ("-2.5e-3", -0.0025),
        ("5e-324", 5e-324),  # the smallest subnormal is a number, not 0
        ("0.0e-999", 0.0),  # zero written with an exponent is zero
        (".inf", math.inf),
        ("-.Inf", -math.inf),
        # the non-specific tag '!' makes a scalar text
        ("! 12", "12"),
        ("'12'", "12"),
    ],
)
def test_plain_scalars_follow_yaml_1_2_with_decimal_numbers(text: str, value: Any) -> None:
    assert _value(text) == value
    assert type(_value(text)) is type(value)


def test_nan_is_a_float() -> None:
    assert math.isnan(_value(".nan"))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("!!int 0x1F", "'0x1F' is not a valid !!int"),
        ("!!int 1_000", "'1_000' is not a valid !!int"),
        ("!!int 33:40", "'33:40' is not a valid !!int"),
        ("!!int 1.5", "'1.5' is not a valid !!int"),
        ("!!float 1_0.5", "'1_0.5' is not a valid !!float"),
        ("!!float 0x10", "'0x10' is not a valid !!float"),
        ("!!bool yes", "'yes' is not a valid !!bool"),
        ("!!bool on", "'on' is not a valid !!bool"),
        ("!!null nothing", "'nothing' is not a valid !!null"),
        ("1e-400", "'1e-400' is too small"),
        ("-2.5e-999", "'-2.5e-999' is too small"),
        ("!!float 1e-400", "'1e-400' is too small"),
    ],
)
def test_explicit_tags_and_underflow_are_refused_at_the_value(text: str, problem: str) -> None:
    error = _error(f"x:\n  a: {text}\n")
    assert problem in error.what
    assert (error.line, error.column, error.key_path) == (2, 6, "x.a")


def test_explicit_core_tags_that_fit_are_read() -> None:
    assert _value("!!int 12") == 12
    assert _value("!!float 12") == 12.0
    assert _value("!!bool False") is False
    assert _value("!!str 0x1F") == "0x1F"


def test_keys_are_text_as_written() -> None:
    """YAML 1.1 made a key 0x1F into 31 and 1.50 into 1.5; keys are kept as written."""
    data = parse_yaml("0x1F: a\n1.50: b\n017: c\n12: d\nyes: e\n1e-999: f\n", "f.yaml").data
    assert list(data) == ["0x1F", "1.50", "017", "12", "yes", "1e-999"]


@pytest.mark.parametrize("text", ["true: x\n", "~: x\n", "!!int 1.5: x\n"])
def test_keys_that_are_not_text_are_refused(text: str) -> None:
    assert _error(text).line == 1


@pytest.mark.parametrize(
    "text",
    ["a: !!int 0x1F\n", "a: 1e-400\n", "a: {<<: {b: 1}}\n", "a: !!bool yes\n", "a: [\n  b: c\n"],
)
def test_prepass_leaves_the_new_messages_alone(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libyaml's fast pre-pass only counts; the YAML 1.2 resolver runs in the real parse."""
    with_prepass = _error(text).one_line()
    monkeypatch.setattr(yamlio, "_measure", lambda text, path: None)
    assert _error(text).one_line() == with_prepass


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("yes", "a boolean"),
        ("Off", "a boolean"),
        ("0x1f", "a hexadecimal number"),
        ("0b11", "a binary number"),
        ("0o17", "an octal number"),
        ("017", "an octal number (leading zero)"),
        ("12:30", "a sexagesimal (base 60) number"),
        ("1_000", "a number with '_' separators"),
        ("12", None),
        ("1.5", None),
        ("y", None),
        ("yes-vote", None),
        ("r1", None),
    ],
)
def test_yaml11_forms_are_named(text: str, form: str | None) -> None:
    assert yaml11_form(text) == form


def _spec_classes() -> list[type[BaseModel]]:
    return [
        cls
        for cls in vars(specs).values()
        if isinstance(cls, type) and issubclass(cls, BaseModel)
    ]


def test_every_spec_is_strict() -> None:
    classes = _spec_classes()
    assert len(classes) > 20
    for cls in classes:
        assert issubclass(cls, Spec) and cls.model_config.get("strict") is True, cls


def _model_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (MINI / "model.yaml").read_text()
    assert old in text
    (tmp_path / "model.yaml").write_text(text.replace(old, new, 1))
    return tmp_path / "model.yaml"


def _model_error(tmp_path: Path, old: str, new: str) -> DecisionError:
    with pytest.raises(DecisionError) as info:
        load_model(_model_with(tmp_path, old, new))
    return info.value


@pytest.mark.parametrize(
    ("old", "new", "key_path", "says"),
    [
        ("weight: 2", "weight: true", "criteria.security.weight", "true is not a number"),
        ("weight: 2", "weight: '2'", "criteria.security.weight", "remove the quotes"),
        ("year: 2020", "year: 2020.0", "source.year", "is not a whole number"),
        ("    reference: true", "    reference: 1", "options.wait.reference", "not true/false"),
        ("id: mini", "id: 7", "id", "the number 7 is not text"),
    ],
)
def test_values_are_not_coerced(
    tmp_path: Path, old: str, new: str, key_path: str, says: str
) -> None:
    """pydantic's lax mode read true as 1, '2' as 2, 2020.0 as 2020 and 1 as true."""
    error = _model_error(tmp_path, old, new)
    assert error.key_path == key_path and says in error.what


def test_integers_are_accepted_for_numbers(tmp_path: Path) -> None:
    """Strict mode still takes an integer where a number is needed (weight: 2)."""
    model = load_model(_model_with(tmp_path, "weight: 2", "weight: 3"))
    assert model.spec.criteria["security"].weight == 3.0


def test_cross_key_error_is_at_the_key_and_quotes_no_mapping(tmp_path: Path) -> None:
    """Issue 24's example: low above high was reported at the mapping with its repr."""
    old = "      rights: {value: 0.3, low: 0.2, high: 0.4, rationale: Little for rights.}"
    new = (
        "      rights:\n        value: 0.3\n        low: 0.5\n        high: 0.4\n"
        "        rationale: Little for rights."
    )
    error = _model_error(tmp_path, old, new)
    text = (tmp_path / "model.yaml").read_text()
    high_line = text[: text.index("high: 0.4")].count("\n") + 1
    assert (error.line, error.column) == (high_line, 9)
    assert error.key_path == "options.act.performance.rights.high"
    assert error.what == "low (0.5) is above high (0.4)"
    assert "{" not in error.one_line()


def test_distribution_error_is_about_the_distribution(tmp_path: Path) -> None:
    """A uniform with low above high was answered with 'should be a valid boolean ...'."""
    for name in ("model.yaml", "base.yaml"):
        (tmp_path / name).write_text((MINI / name).read_text())
    (tmp_path / "open.yaml").write_text(
        "id: open\ntitle: Opening\nextends: base\nindicators:\n"
        "  access:\n    dist: uniform\n    low: 0.8\n    high: 0.3\n"
    )
    with pytest.raises(DecisionError) as info:
        load_scenario(tmp_path / "open.yaml")
    error = info.value
    assert (error.line, error.key_path) == (8, "indicators.access.high")
    assert "boolean" not in error.one_line() and "valid number" not in error.one_line()


def test_weights_that_end_at_zero_are_located(tmp_path: Path) -> None:
    """Weights overridden to zero were reported without a line (after loading)."""
    for name in ("model.yaml", "base.yaml"):
        (tmp_path / name).write_text((MINI / name).read_text())
    (tmp_path / "open.yaml").write_text(
        "id: open\ntitle: Opening\nextends: base\nweights:\n  security: 0\n  rights: 0\n"
    )
    with pytest.raises(DecisionError) as info:
        load_scenario(tmp_path / "open.yaml")
    assert (info.value.file, info.value.line, info.value.key_path) == (
        str(tmp_path / "open.yaml"),
        4,
        "weights",
    )


def test_expression_errors_point_at_their_character(tmp_path: Path) -> None:
    error = _model_error(tmp_path, "access >= 0.5 and released", "access >= 0.5 and relased")
    text = (tmp_path / "model.yaml").read_text()
    at = text.index("relased")
    assert error.line == text[:at].count("\n") + 1
    assert error.column == at - text.rfind("\n", 0, at)


def test_folded_expressions_fall_back_to_the_key(tmp_path: Path) -> None:
    """A folded (>-) expression's characters are not where the text has them: the key."""
    old = "      - when: access >= 0.5 and released"
    new = "      - when: >-\n          access >= 0.5\n          and relased"
    error = _model_error(tmp_path, old, new)
    text = (tmp_path / "model.yaml").read_text()
    assert error.line == text[: text.index("when: >-")].count("\n") + 1
    assert error.column == 9
