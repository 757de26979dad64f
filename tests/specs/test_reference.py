"""docs/reference.md is what the generator writes now, names every key, and its examples are
valid values of their keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import pytest
from pydantic import TypeAdapter

from decision.load.loading import file_caps
from decision.specs import ModelSpec, ScenarioSpec
from decision.specs.reference import _specs, examples, render_reference
from tests.conftest import ROOT, CliResult

REFERENCE = ROOT / "docs" / "reference.md"
SPECS = list(dict.fromkeys([*_specs(ModelSpec), *_specs(ScenarioSpec)]))


def test_committed_reference_is_fresh() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == render_reference(file_caps()), (
        "docs/reference.md is stale: run `make reference`"
    )


def test_cli_prints_the_reference(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("schema", "--reference")
    assert result.status == 0
    assert result.out == render_reference(file_caps())


@pytest.mark.parametrize("spec", SPECS, ids=[s.__name__ for s in SPECS])
def test_every_key_has_a_row_and_a_valid_example(spec: Any) -> None:
    text = render_reference(file_caps())
    section = text.split(f"## {spec.__name__}\n", 1)[1].split("\n## ", 1)[0]
    known = examples()
    for name, field in spec.model_fields.items():
        assert f"| `{name}` |" in section, (spec.__name__, name)
        value = known[f"{spec.__name__}.{name}"]
        annotation = (
            Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation
        )
        adapter: TypeAdapter[Any] = TypeAdapter(annotation)
        adapter.validate_python(value, strict=name not in ("intervals",))


def test_caps_are_stated() -> None:
    from decision.files import yamlio

    text = render_reference(file_caps())
    for cap in (yamlio.MAX_FILE_BYTES, yamlio.MAX_NODES, yamlio.MAX_EXPANDED_CHARS):
        assert f"{cap:,}" in text
    assert f"| nesting depth | {yamlio.MAX_DEPTH} |" in text
