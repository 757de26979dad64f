"""Property tests of the scoring engine over random valid models (weighted sum)."""

from __future__ import annotations

import copy
import os
from typing import Any

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from decision.core.engine import OneMoved, evaluate_arrays, rank, state
from tests.strategies import compile_dict, model_dicts

PROFILE = settings(max_examples=60, deadline=None)


def _values(model: Any, draw_values: list[float]) -> np.ndarray:
    """Indicator values within range, one sample."""
    span = model.high - model.low
    raw = model.low + span * np.array(draw_values[: len(model.indicators)])
    return np.where(model.is_boolean, np.round(raw), raw)[None, :]


values_strategy = st.lists(st.floats(0, 1), min_size=3, max_size=3)


@PROFILE
@given(model_dicts(), values_strategy, st.floats(1e-3, 1e3))
def test_scaling_all_weights_changes_nothing(
    data: dict[str, Any], v: list[float], k: float
) -> None:
    model = compile_dict(data)
    x = _values(model, v)
    a = evaluate_arrays(model, x, model.weights)
    b = evaluate_arrays(model, x, model.weights * k)
    np.testing.assert_allclose(a.scores, b.scores, rtol=0, atol=1e-12)
    gaps = np.abs(a.scores[0][:, None] - a.scores[0][None, :])
    assume(np.all(gaps[~np.eye(len(model.options), dtype=bool)] > 1e-9))
    np.testing.assert_array_equal(a.ranks, b.ranks)


@PROFILE
@given(model_dicts(), values_strategy, st.randoms(use_true_random=False))
def test_permuting_options_permutes_results(data: dict[str, Any], v: list[float], rnd: Any) -> None:
    model = compile_dict(data)
    names = list(data["options"])
    shuffled = names[:]
    rnd.shuffle(shuffled)
    permuted = copy.deepcopy(data)
    permuted["options"] = {name: data["options"][name] for name in shuffled}
    other = compile_dict(permuted)
    x = _values(model, v)
    a = evaluate_arrays(model, x, model.weights)
    b = evaluate_arrays(other, x, other.weights)
    order = [names.index(n) for n in shuffled]
    np.testing.assert_array_equal(a.available[:, order], b.available)
    np.testing.assert_allclose(a.scores[:, order], b.scores, rtol=0, atol=1e-12)
    keys = np.where(a.available[0], a.scores[0], -1.0)
    gaps = np.abs(keys[:, None] - keys[None, :])
    assume(np.all(gaps[~np.eye(len(names), dtype=bool)] > 1e-9))
    np.testing.assert_array_equal(a.ranks[:, order], b.ranks)


@PROFILE
@given(model_dicts(), values_strategy, st.data())
def test_raising_own_performance_never_lowers_score_or_rank(
    data: dict[str, Any], v: list[float], pick: st.DataObject
) -> None:
    model = compile_dict(data)
    o = pick.draw(st.integers(0, len(model.options) - 1))
    c = pick.draw(st.integers(0, len(model.criteria) - 1))
    bump = pick.draw(st.floats(0.0, 1.0))
    x = _values(model, v)
    judgement = model.judgement.copy()
    before = evaluate_arrays(model, x, model.weights, judgement=judgement)
    judgement[o, c] = min(1.0, judgement[o, c] + bump)
    after = evaluate_arrays(model, x, model.weights, judgement=judgement)
    assert after.scores[0, o] >= before.scores[0, o] - 1e-12
    assert after.ranks[0, o] <= before.ranks[0, o]


@PROFILE
@given(model_dicts(), st.lists(values_strategy, min_size=1, max_size=8))
def test_unavailable_options_never_outrank_available(
    data: dict[str, Any], vs: list[list[float]]
) -> None:
    model = compile_dict(data)
    x = np.concatenate([_values(model, v) for v in vs])
    result = evaluate_arrays(model, x, model.weights)
    for s in range(x.shape[0]):
        available_ranks = result.ranks[s][result.available[s]]
        unavailable_ranks = result.ranks[s][~result.available[s]]
        if available_ranks.size and unavailable_ranks.size:
            assert available_ranks.max() < unavailable_ranks.min()
        assert np.all(np.isfinite(result.scores[s]))


@PROFILE
@given(model_dicts(), st.lists(values_strategy, min_size=2, max_size=6))
def test_batch_equals_one_sample_at_a_time(data: dict[str, Any], vs: list[list[float]]) -> None:
    model = compile_dict(data)
    x = np.concatenate([_values(model, v) for v in vs])
    batch = evaluate_arrays(model, x, model.weights)
    for s in range(x.shape[0]):
        single = evaluate_arrays(model, x[s : s + 1], model.weights)
        np.testing.assert_array_equal(single.scores[0], batch.scores[s])
        np.testing.assert_array_equal(single.ranks[0], batch.ranks[s])


def test_rank_tie_rule_prefers_model_order_and_puts_unavailable_last() -> None:
    scores = np.array([[0.5, 0.7, 0.5, 0.9]])
    available = np.array([[True, True, True, False]])
    np.testing.assert_array_equal(rank(scores, available), [[2, 1, 3, 4]])


def test_performance_applies_effects_per_range_and_clips() -> None:
    data: dict[str, Any] = {
        "id": "m",
        "title": "t",
        "source": {"title": "t", "author": "a", "publisher": "p", "year": 2000},
        "indicators": {"x": {"description": "d", "min": 0, "max": 200, "baseline": 50}},
        "criteria": {"c": {"description": "d", "weight": 1, "rationale": "r"}},
        "options": {
            "a": {
                "title": "A",
                "recommendation": "R",
                "performance": {"c": {"value": 0.5, "rationale": "r", "effects": {"x": 0.4}}},
            },
            "b": {
                "title": "B",
                "recommendation": "R",
                "performance": {"c": {"value": 0.9, "rationale": "r", "effects": {"x": 1.0}}},
            },
        },
    }
    model = compile_dict(data)
    result = evaluate_arrays(model, np.array([[150.0]]), model.weights)
    # a: 0.5 + 0.4 * (150 - 50) / 200 = 0.7; b: 0.9 + 0.5 clipped to 1
    np.testing.assert_allclose(result.performance[0, :, 0], [0.7, 1.0])


#: OneMoved against the engine: long runs read FUZZ_EXAMPLES (``make fuzz``)
MOVED_PROFILE = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None)


@st.composite
def moving_models(draw: st.DrawFn) -> dict[str, Any]:
    """A random model where a cell's sum has several terms: linear effects and value functions
    of several indicators, options with a success likelihood that moves with indicators, a
    reference option or failure performance given (``if_failure``), and preconditions."""
    data = copy.deepcopy(draw(model_dicts(max_options=5, max_criteria=4)))
    names = list(data["indicators"])
    criteria = list(data["criteria"])
    number = st.floats(-0.6, 0.6).map(lambda x: round(x, 4))
    for option in data["options"].values():
        for perf in option["performance"].values():
            if draw(st.integers(0, 9)) == 0:
                perf["value"] = -0.0  # a sum that starts at -0.0 keeps its sign through zeros
            effects: dict[str, Any] = {}
            for name in names:
                kind = draw(st.sampled_from(["none", "linear", "points"]))
                if kind == "linear":
                    effects[name] = draw(number)
                elif kind == "points":
                    boolean = data["indicators"][name].get("type") == "boolean"
                    xs = [0, 1] if boolean else sorted(
                        draw(st.lists(st.integers(0, 10), min_size=2, max_size=4, unique=True))
                    )
                    effects[name] = {"points": [[x, draw(number)] for x in xs]}
            perf["effects"] = effects
    options = list(data["options"])
    reference = draw(st.booleans())
    if reference:
        data["options"][options[0]]["reference"] = True
    for name in options[1:]:
        if not draw(st.booleans()):
            continue
        moved = draw(st.lists(st.sampled_from(names), unique=True))
        likelihood: dict[str, Any] = {
            "value": round(draw(st.floats(0, 1)), 4),
            "effects": {i: round(draw(st.floats(-1.5, 1.5)), 4) for i in moved},
            "rationale": "r",
        }
        failing = criteria if not reference else draw(st.lists(st.sampled_from(criteria),
                                                               unique=True))
        if failing:
            likelihood["if_failure"] = {c: round(draw(st.floats(0, 1)), 4) for c in failing}
        data["options"][name]["likelihood"] = likelihood
    return data


@MOVED_PROFILE
@given(moving_models(), st.data())
def test_one_moved_is_the_engines_state_bit_for_bit(
    data: dict[str, Any], pick: st.DataObject
) -> None:
    model = compile_dict(data)
    n = len(model.indicators)

    def value(k: int) -> float:
        if model.is_boolean[k]:
            return float(pick.draw(st.booleans()))
        if pick.draw(st.integers(0, 3)) == 0:
            return float(model.baseline[k])  # no effect at the point: zero terms
        # whole numbers hit the value functions' points and the preconditions' thresholds
        return pick.draw(st.one_of(st.integers(0, 10).map(float), st.floats(0, 10)))

    x0 = np.array([value(k) for k in range(n)])
    s = pick.draw(st.sampled_from([1, 2, 9, 40, 1030]))  # 1030: the engine's column layout
    which = np.array([pick.draw(st.integers(0, n - 1)) for _ in range(min(s, 40))])
    which = np.resize(which, s)
    if pick.draw(st.booleans()):
        which = np.sort(which)  # one run per indicator, as a scan's rows come
    if s <= 40:
        values = np.array([value(int(k)) for k in which])
    else:  # a scan of the whole range (booleans: false, true, false, ...)
        values = np.where(model.is_boolean[which], np.arange(s) % 2, np.linspace(0, 10, s))
    rows = np.repeat(x0[None, :], s, axis=0)
    rows[np.arange(s), which] = values
    perf, available = state(model, rows)
    fast_perf, fast_available = OneMoved(model, x0).state(which, values)
    assert fast_perf.shape == perf.shape and fast_perf.flags.c_contiguous
    assert fast_perf.tobytes() == perf.tobytes()  # the same bits, signed zeros included
    np.testing.assert_array_equal(fast_available, available)
