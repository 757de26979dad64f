"""`decision schema` speaks standard JSON Schema, and a standard validator agrees with the loader.

Files are the shipped models and scenarios and the `decision init` example, and mutations of
them that break one field each (a value out of its range, a wrong kind, an unknown or missing
key, a bad id, a control character in text). The `jsonschema` library and the loader's
per-field validation must agree on every one, and `decision validate` must refuse every file
`jsonschema` refuses. Checks across keys (low <= value <= high, references) are beyond JSON
Schema and are not mutated here.
"""

from __future__ import annotations

import copy
import json
import os
import random
from collections.abc import Callable, Iterator
from functools import cache, partial
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision.files.yamlio import load_yaml
from decision.load.loading import _validated, file_kind
from decision.specs import ModelSpec, ScenarioSpec
from decision.specs.example import example_files
from decision.specs.schema import file_schema
from tests.conftest import ROOT, CliResult

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
#: pydantic's own keywords that standard validators ignore: none may be left in the schema.
CUSTOM = {"ge", "le", "gt", "lt", "patternProperties"}
VALIDATORS = {
    kind: jsonschema.Draft202012Validator(file_schema(kind)) for kind in ("model", "scenario")
}
SPECS: dict[str, type[ModelSpec] | type[ScenarioSpec]] = {
    "model": ModelSpec,
    "scenario": ScenarioSpec,
}


def _files() -> list[Path]:
    return sorted(
        [
            *ROOT.glob("models/*.yaml"),
            *ROOT.glob("scenarios/*.yaml"),
            *ROOT.glob("cases/*/models/*.yaml"),
            *ROOT.glob("cases/*/scenarios/*.yaml"),
        ]
    )


FILES = _files()


def _keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _keys(item)


@pytest.mark.parametrize("kind", ["model", "scenario"])
def test_schema_uses_standard_keywords_only(kind: str) -> None:
    schema = file_schema(kind)  # type: ignore[arg-type]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert not CUSTOM & set(_keys(schema))
    text = json.dumps(schema)
    keywords = ["minimum", "maximum", "enum", "pattern", "const"]
    if kind == "scenario":
        keywords.append("exclusiveMinimum")  # sd and shape > 0
    for keyword in keywords:
        assert f'"{keyword}"' in text, keyword
    assert schema["additionalProperties"] is False


def test_cli_prints_the_standard_schema(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("schema", "--kind", "model")
    assert result.status == 0
    assert json.loads(result.out) == file_schema("model")


def _agree(kind: str, data: Any) -> bool:
    """Whether jsonschema and the loader's per-field validation give the same verdict; both
    verdicts are returned through the assertion message when they differ."""
    standard = VALIDATORS[kind].is_valid(data)
    document = _document(data)
    spec, problems = _validated(document, SPECS[kind])
    assert standard == (spec is not None), (kind, standard, [p.one_line() for p in problems])
    return standard


def _document(data: Any) -> Any:
    from decision.files.yamlio import Document

    return Document(path="mutated.yaml", data=data)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_shipped_files_pass_both(path: Path) -> None:
    data = load_yaml(path).data
    kind = file_kind(data)
    assert kind is not None
    assert _agree(kind, data)


def test_init_example_passes_both(tmp_path: Path) -> None:
    from decision.files.yamlio import parse_yaml

    for name, text in example_files(5, 4).items():
        data = parse_yaml(text, name).data
        assert _agree("model" if name.startswith("models/") else "scenario", data)


# ---------------------------------------------------------------------------- mutations


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    yield path, node


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(data)
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


def _mutations(data: Any) -> Iterator[tuple[str, Callable[[], Any]]]:
    """One broken field at a time, each broken on its own terms (not through another key);
    each mutated copy is made only when called (a sample keeps few of them)."""
    for path, value in _leaves(data):
        if not path:
            continue
        where = ".".join(map(str, path))
        last = path[-1]
        if isinstance(value, bool):
            yield f"{where}=1", partial(_set, data, path, 1)
        elif isinstance(value, int | float):
            yield f"{where}=text", partial(_set, data, path, "0.5")
            yield f"{where}=true", partial(_set, data, path, True)
            if last in ("value", "low", "high") and "performance" in path:
                yield f"{where}=75", partial(_set, data, path, 75)
                yield f"{where}=-30", partial(_set, data, path, -30)
            if last == "weight" or "weights" in path:
                yield f"{where}=-30", partial(_set, data, path, -30)
        elif isinstance(value, str):
            yield f"{where}=ESC", partial(_set, data, path, value + "\x1b[2J")
            yield f"{where}=long", partial(_set, data, path, "x" * 4001)
            yield f"{where}=number", partial(_set, data, path, 12)
        elif isinstance(value, dict):
            yield f"{where}+unknown", partial(_set, data, path, {**value, "unknown_key": 1})
            for key in list(value)[:1]:
                renamed = {("Bad Id" if k == key else k): v for k, v in value.items()}
                yield f"{where}.{key}->Bad Id", partial(_set, data, path, renamed)
                renamed = {("yes" if k == key else k): v for k, v in value.items()}
                yield f"{where}.{key}->yes", partial(_set, data, path, renamed)
    for key in ("id", "title"):
        if key in data:
            yield f"-{key}", partial(_without, data, key)


def _without(data: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != key}


def _sample(path: Path) -> list[tuple[str, Any]]:
    data = load_yaml(path).data
    mutations = list(_mutations(data))
    random.Random(path.name).shuffle(mutations)
    return [(name, make()) for name, make in mutations[:EXAMPLES]]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_mutations_agree(path: Path) -> None:
    """jsonschema and the loader agree on each mutation; most are bad to both (a mutation
    may be harmless: a free-text key renamed in a mapping of free text)."""
    kind = file_kind(load_yaml(path).data)
    assert kind is not None
    verdicts = [_agree(kind, data) for _, data in _sample(path)]
    assert verdicts.count(False) >= len(verdicts) // 2


def test_validate_refuses_what_jsonschema_refuses(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """Through the command line too: each mutated copy the schema refuses ends in status 2
    with located lines (the model's mutations; scenarios need their model beside them)."""
    import yaml

    source = ROOT / "cases" / "ersoy-notebooks" / "models" / "ersoy-notebooks.yaml"
    for number, (name, data) in enumerate(_sample(source)[: max(10, EXAMPLES // 4)]):
        if VALIDATORS["model"].is_valid(data):
            continue
        target = tmp_path / f"m{number}.yaml"
        target.write_text(yaml.safe_dump(data, allow_unicode=False))
        result = run_cli("validate", str(target))
        assert result.status == 2, (name, result.out)
        assert all(
            line.startswith(f"error: {target}") for line in result.err.splitlines()
        ), (name, result.err)


IDS = st.text(alphabet="abcxyz019_-oe", min_size=1, max_size=6) | st.sampled_from(
    ["yes", "no", "on", "off", "0x1f", "0o17", "0b101", "017", "1_000", "1e5", "0", "00", "0e5"]
)


@settings(max_examples=EXAMPLES * 5, deadline=None)
@given(name=IDS)
def test_id_rules_agree(name: str) -> None:
    """An id (as a criterion key) is refused by jsonschema exactly when the loader refuses it."""
    perspectives = {name: {"description": "d", "weights": {"c1": 1}}}
    _agree("model", {**_ersoy(), "perspectives": perspectives})


@cache
def _ersoy() -> dict[str, Any]:
    """The second model's data, read once (the test replaces one top-level key per example)."""
    data: dict[str, Any] = load_yaml(
        ROOT / "cases" / "ersoy-notebooks" / "models" / "ersoy-notebooks.yaml"
    ).data
    return data


def test_stakeholder_schema_is_standard_and_takes_the_shipped_stakeholders(
    run_cli: Callable[..., CliResult],
) -> None:
    """`decision schema --kind stakeholder` prints the stakeholder file's schema; the shipped
    stakeholder files pass it and a mutation the loader refuses (an unknown status) fails it."""
    result = run_cli("schema", "--kind", "stakeholder")
    assert result.status == 0
    schema = json.loads(result.out)
    assert schema == file_schema("stakeholder")
    jsonschema.Draft202012Validator.check_schema(schema)
    assert not CUSTOM & set(_keys(schema))
    validator = jsonschema.Draft202012Validator(schema)
    shipped = sorted((ROOT / "models").glob("*/stakeholders/*.yaml"))
    assert len(shipped) == 3
    for path in shipped:
        data = load_yaml(path).data
        assert validator.is_valid(data), path
        assert not validator.is_valid({**data, "status": "imagined"})
        assert not validator.is_valid({**data, "colour": "blue"})
