"""Fuzzing the loader and engine: random valid files succeed; mutated files fail cleanly.

Every input either evaluates or raises the tool's own :class:`DecisionError`, never anything
else. The quick profile runs in CI; ``make fuzz`` sets ``FUZZ_EXAMPLES`` for a long run.
"""

from __future__ import annotations

import copy
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision.errors import DecisionError
from decision.load.loading import load_scenario
from decision.study.scenario import run_scenario
from tests.strategies import model_dicts, scenario_dicts

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path in nested dicts and lists."""
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _paths(value, (*prefix, index))
    return out


def _mutate(data: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    """One random structural or value mutation of a file's data."""
    mutated = copy.deepcopy(data)
    path = draw(st.sampled_from(_paths(mutated)))
    parent = mutated
    for part in path[:-1]:
        parent = parent[part]
    key = path[-1]
    action = draw(st.sampled_from(["delete", "junk", "unknown", "rename", "expression"]))
    if action == "delete" and isinstance(parent, dict):
        del parent[key]
    elif action == "unknown" and isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=12))] = draw(JUNK)
    elif action == "rename" and isinstance(parent, dict):
        parent[str(key) + draw(st.sampled_from(["_", "x", "s"]))] = parent.pop(key)
    elif action == "expression" and isinstance(parent, dict) and key == "when":
        parent[key] = draw(st.text(max_size=60))
    else:
        parent[key] = draw(JUNK)
    return mutated


def _write(folder: Path, model: Any, scenario: Any) -> Path:
    (folder / "model.yaml").write_text(yaml.safe_dump(model, allow_unicode=True))
    (folder / "s.yaml").write_text(yaml.safe_dump(scenario, allow_unicode=True))
    return folder / "s.yaml"


def _evaluate(path: Path) -> None:
    scenario, model = load_scenario(path)
    run = run_scenario(scenario, model)
    result = run.result
    scores = [o.score for o in result.options]
    assert all(math.isfinite(s) for s in scores)
    ranks = np.sort(run.evaluation.ranks, axis=-1)
    assert np.array_equal(ranks, np.broadcast_to(np.arange(1, len(scores) + 1), ranks.shape))
    for option in result.options:
        if option.uncertainty is not None:
            assert math.isclose(sum(option.uncertainty.rank_acceptability), 1.0, abs_tol=1e-9)


@FUZZ
@given(st.data())
def test_random_valid_models_and_scenarios_evaluate(data: st.DataObject) -> None:
    model = data.draw(model_dicts())
    scenario = data.draw(scenario_dicts(model))
    with tempfile.TemporaryDirectory() as folder:
        _evaluate(_write(Path(folder), model, scenario))


@FUZZ
@given(st.data())
def test_mutated_files_evaluate_or_fail_with_a_decision_error(data: st.DataObject) -> None:
    model = data.draw(model_dicts())
    scenario = data.draw(scenario_dicts(model))
    if data.draw(st.booleans()):
        model = _mutate(model, data.draw)
    else:
        scenario = _mutate(scenario, data.draw)
    with tempfile.TemporaryDirectory() as folder:
        try:
            _evaluate(_write(Path(folder), model, scenario))
        except DecisionError as exc:
            assert exc.one_line() and "\n" not in exc.one_line()


@FUZZ
@given(st.data())
def test_corrupted_yaml_text_fails_cleanly(data: st.DataObject) -> None:
    model = data.draw(model_dicts())
    scenario = data.draw(scenario_dicts(model))
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), model, scenario)
        target = Path(folder) / data.draw(st.sampled_from(["model.yaml", "s.yaml"]))
        raw = target.read_bytes()
        cut = data.draw(st.integers(0, len(raw)))
        insert = data.draw(st.binary(max_size=8))
        target.write_bytes(raw[:cut] + insert + raw[cut + data.draw(st.integers(0, 4)) :])
        try:
            _evaluate(path)
        except DecisionError as exc:
            assert exc.one_line() and "\n" not in exc.one_line()
