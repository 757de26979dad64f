"""Method inputs at the edges: malformed arrays, the 0-1 scale of "none", extreme magnitudes,
and memory that grows with options rather than with pairs of options.

Regressions of the red-team findings: ragged or non-numeric arrays ended in numpy's bare
ValueError; "none" read a cost value of 1.5 as -0.5; a subnormal column gave NaN scores (wsm,
vikor) or an IndexError (wpm); a column times 1e200 overflowed vector-normalised TOPSIS and
changed its ranking; PROMETHEE on 2,000 options asked for a 29.8 GiB array.
"""

from __future__ import annotations

import os
import tracemalloc
import warnings
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from methods_cases import CONFIGS, Config

from decision.core.methods import (
    PreferenceFunction,
    promethee,
    promethee_ii,
    score,
    topsis,
    vikor,
    weighted_product,
    weighted_sum,
)
from decision.core.methods import agreement as agreement_module
from decision.core.methods.agreement import average_ranks, kendall_tau, spearman_rho
from decision.core.methods.inputs import finish, prepare
from decision.errors import DecisionError

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ONE = np.array([True])
BOTH = np.array([True, True])
TINY = 5e-324  # the smallest subnormal
HUGE = 1.7976931348623157e308  # the largest float

#: Configurations whose scores do not change when a column is multiplied by c > 0 (all but
#: "none", whose values are a fixed 0-1 scale, and PROMETHEE and ELECTRE III with thresholds in
#: units).
SCALE_FREE = [
    c for c in CONFIGS
    if not c.id.endswith("-none")
    and (not c.id.startswith("promethee") or c.id.endswith("usual"))
    and (not c.id.startswith("electre") or c.id.endswith("crisp"))
]
configs = pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.id)
scale_free = pytest.mark.parametrize("config", SCALE_FREE, ids=lambda c: c.id)


# ---------------------------------------------------------------------------- malformed arrays


@pytest.mark.parametrize(
    ("performance", "weights", "benefit", "available", "message"),
    [
        ([[1, 2], [3]], [1, 1], BOTH, None, "performance is not a rectangular array"),
        ([["a", "b"]], [1, 1], BOTH, None, "performance must hold real numbers, got dtype <U1"),
        ([[1.0, None]], [1, 1], BOTH, None, "performance must hold real numbers, got dtype object"),
        ([[1 + 2j, 1]], [1, 1], BOTH, None, "performance must hold real numbers"),
        ([[1, 2]], [[1, 1], [2]], BOTH, None, "weights is not a rectangular array"),
        ([[1, 2]], ["1", "1"], BOTH, None, "weights must hold real numbers"),
        ([[1, 2]], [1, 1], [[True], [True, False]], None, "benefit is not a rectangular array"),
        ([[1, 2]], [1, 1], BOTH, [[True], [True, False]], "available is not a rectangular"),
    ],
)
def test_malformed_arrays_raise_decision_errors(
    performance: Any, weights: Any, benefit: Any, available: Any, message: str
) -> None:
    for name in ("wsm", "topsis", "vikor", "promethee"):
        with pytest.raises(DecisionError, match=message) as caught:
            score(name, performance, weights, benefit, available)
        assert "\n" not in caught.value.one_line()


def test_real_numbers_of_any_python_type_are_accepted() -> None:
    exact = score("topsis", [[Decimal("0.5"), 10**30], [1, 2.5]], [1, 1], BOTH)
    plain = score("topsis", [[0.5, 1e30], [1.0, 2.5]], [1, 1], BOTH)
    np.testing.assert_array_equal(exact, plain)
    np.testing.assert_array_equal(
        score("wsm", [[True, False]], [1, 1], BOTH), score("wsm", [[1.0, 0.0]], [1, 1], BOTH)
    )


def test_a_score_that_is_not_finite_is_refused() -> None:
    problem = prepare(np.ones((2, 1)), [1.0], ONE)
    with pytest.raises(DecisionError, match=r"cannot be computed in floating point \(option 1"):
        finish(np.array([0.5, np.nan]), problem)


# ---------------------------------------------------------------------------- "none" is a 0-1 scale


@pytest.mark.parametrize("method", [weighted_sum, weighted_product])
@pytest.mark.parametrize("value", [1.5, -0.25, 1.0 + 2**-52, -TINY])
def test_none_refuses_values_off_the_value_scale(method: Any, value: float) -> None:
    x = np.array([[value, 0.5], [0.2, 0.3]])
    with pytest.raises(DecisionError, match=f"none normalisation cannot use {value:g}"):
        method(x, [1, 1], np.array([False, True]))
    with pytest.raises(DecisionError, match="values in \\[0, 1\\]"):
        score("wsm", x, [1, 1], np.array([True, True]), params={"normalisation": "none"})


def test_none_accepts_the_whole_scale_and_ignores_unavailable_options() -> None:
    x = np.array([[0.0, 1.0], [1.0, 0.0], [7.0, -3.0]])
    available = np.array([True, True, False])
    np.testing.assert_array_equal(
        weighted_sum(x, [1, 1], np.array([False, True]), available), [1.0, 0.0, 0.0]
    )


# ---------------------------------------------------------------------------- extreme magnitudes

SUBNORMAL = np.array([[1e-310, 1.0], [2e-310, 2.0], [3e-310, 3.0]])
ORDINARY = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])


@scale_free
def test_a_subnormal_column_scores_as_its_ordinary_equivalent(config: Config) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning either: the CLI prints one line
        got = config(SUBNORMAL, np.array([0.5, 0.5]), BOTH)
    expected = config(ORDINARY, np.array([0.5, 0.5]), BOTH)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_the_red_team_cases() -> None:
    w = np.array([0.5, 0.5])
    for name in ("wsm", "vikor"):  # printed "nan" and wrote NaN into the JSON
        assert np.isfinite(score(name, SUBNORMAL, w, BOTH, params=_raw(name))).all()
    # wpm ended in an IndexError
    wpm = score("wpm", [[8.263072881683e-311, TINY]], w, BOTH, params=_raw("wpm"))
    assert np.isfinite(wpm).all()
    # vector TOPSIS is scale-invariant: a column times 1e200 must not change the ranking
    x = np.array([[1.0, 1.0], [2.0, 3.0], [3.0, 2.0]])
    scaled = x * np.array([1e200, 1.0])
    np.testing.assert_allclose(topsis(scaled, w, BOTH), topsis(x, w, BOTH), rtol=1e-12)
    np.testing.assert_allclose(topsis(x * 1e-200, w, BOTH), topsis(x, w, BOTH), rtol=1e-12)


def test_weights_whose_sum_overflows_are_normalised_exactly() -> None:
    x = np.array([[1.0, 4.0], [2.0, 2.0], [4.0, 1.0]])
    overflowing = np.ldexp([1.5, 1.0], 1023)  # their sum is 2.5 * 2**1023: infinity
    for name in ("wsm", "topsis", "vikor", "promethee"):
        np.testing.assert_array_equal(
            score(name, x, overflowing, BOTH, params=_raw(name)),
            score(name, x, [1.5, 1.0], BOTH, params=_raw(name)),
        )


def _raw(name: str) -> dict[str, str]:
    return {"normalisation": "max"} if name in ("wsm", "wpm") else {}


@scale_free
@FUZZ
@given(data=st.data())
def test_power_of_two_column_scales_change_no_score_bit(
    config: Config, data: st.DataObject
) -> None:
    """A column times 2**k is exact, so a scale-free method must give the same bits for any
    k that keeps the values normal: the rescaling of extreme columns is exact too."""
    m = data.draw(st.integers(1, 6))
    n = data.draw(st.integers(1, 4))
    signs = (
        st.sampled_from([1.0]) if config.id.split("-")[1] in ("max", "sum", "linear")
        or config.id.startswith(("wpm", "waspas")) else st.sampled_from([1.0, -1.0])
    )
    mantissa = np.array(data.draw(st.lists(st.floats(1.0, 1.9999), min_size=m * n,
                                           max_size=m * n))).reshape(m, n)
    sign = np.array(data.draw(st.lists(signs, min_size=m * n, max_size=m * n))).reshape(m, n)
    x = mantissa * sign
    exponents = np.array(data.draw(st.lists(st.integers(-1000, 1000), min_size=n, max_size=n)))
    w = np.array(data.draw(st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n)))
    benefit = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    available = np.array(data.draw(st.lists(st.booleans(), min_size=m, max_size=m)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaled = config(np.ldexp(x, exponents), w, benefit, available)
    np.testing.assert_array_equal(scaled, config(x, w, benefit, available))


extreme = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, TINY, -TINY, 1e-310, 2.2250738585072014e-308, 1e-300, 1e300, HUGE,
                     -HUGE, 1e200, -1e200]),
)


@configs
@FUZZ
@given(data=st.data())
def test_extreme_finite_values_give_finite_scores_or_one_clear_error(
    config: Config, data: st.DataObject
) -> None:
    """Any finite matrix: finite, bounded scores, or a DecisionError; never NaN, never another
    exception, never a warning. Values inside every domain (0 < x <= 1 for "none", x > 0
    otherwise) are never refused."""
    m = data.draw(st.integers(1, 6))
    n = data.draw(st.integers(1, 4))
    column_scale = data.draw(st.lists(st.sampled_from([1.0, TINY, 1e-300, 1e300, HUGE]),
                                      min_size=n, max_size=n))
    raw = np.array(data.draw(st.lists(extreme, min_size=m * n, max_size=m * n))).reshape(m, n)
    x = np.clip(raw, -1.0, 1.0) * np.array(column_scale) if data.draw(st.booleans()) else raw
    positive = data.draw(st.booleans())
    if positive:
        x = np.abs(x)
        x[x == 0] = TINY
        if config.id.endswith("-none"):
            x = np.minimum(x, 1.0)
    w = np.array(data.draw(st.lists(st.sampled_from([0.0, TINY, 1e-300, 0.3, 1.0, HUGE]),
                                    min_size=n, max_size=n)))
    w[data.draw(st.integers(0, n - 1))] = data.draw(st.sampled_from([1.0, HUGE, 1e-300]))
    benefit = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    available = np.array(data.draw(st.lists(st.booleans(), min_size=m, max_size=m)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            scores = config(x, w, benefit, available)
        except DecisionError as error:
            assert not positive, f"refused a matrix inside every domain: {error}"
            assert "\n" not in error.one_line()
            return
    assert np.isfinite(scores).all()
    assert (np.abs(scores) <= 2.0 + 1e-12).all()
    assert (scores[~available] == 0.0).all()


# ---------------------------------------------------------------------------- PROMETHEE memory


def _reference_flows(x: np.ndarray, w: np.ndarray, benefit: np.ndarray,
                     available: np.ndarray, functions: list[PreferenceFunction]) -> np.ndarray:
    """Textbook PROMETHEE II over all ordered pairs, one matrix at a time."""
    out = np.zeros(x.shape[0])
    index = np.flatnonzero(available)
    if len(index) < 2:
        return out
    w = w / w.sum()
    for a in index:
        for b in index:
            for j, f in enumerate(functions):
                d = (x[a, j] - x[b, j]) * (1 if benefit[j] else -1)
                out[a] += w[j] * (_preference(f, d) - _preference(f, -d))
    return out / (len(index) - 1)


def _preference(f: PreferenceFunction, d: float) -> float:
    if d <= 0:
        return 0.0
    q, p, s = f.q or 0.0, f.p or 1.0, f.s or 1.0
    return {
        "usual": 1.0,
        "ushape": float(d > q),
        "vshape": min(d / p, 1.0),
        "level": 0.0 if d <= q else 0.5 if d <= p else 1.0,
        "linear": min(max((d - q) / (p - q), 0.0), 1.0),
        "gaussian": 1.0 - float(np.exp(-d * d / (2 * s * s))),
    }[f.kind]


FUNCTIONS = [
    PreferenceFunction("usual"),
    PreferenceFunction("ushape", q=0.1),
    PreferenceFunction("vshape", p=0.3),
    PreferenceFunction("level", q=0.1, p=0.3),
    PreferenceFunction("linear", q=0.05, p=0.4),
    PreferenceFunction("gaussian", s=0.2),
]


def test_promethee_matches_the_textbook_form_with_masks() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 1, (20, 7, 6))
    x[:, 3] = x[:, 4]  # ties
    w = rng.uniform(0, 1, (20, 6))
    benefit = np.array([True, False, True, True, False, True])
    available = rng.random((20, 7)) < 0.7
    flows = promethee_ii(x, w, benefit, available, preference=FUNCTIONS)
    for k in range(20):
        expected = _reference_flows(x[k], w[k], benefit, available[k], FUNCTIONS)
        np.testing.assert_allclose(flows[k], expected, rtol=0, atol=1e-12)


def test_promethee_blocks_change_no_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch is split into blocks within the memory budget; a budget of one byte forces a
    block per batch element, and the flows must be identical to the bit, as they must be for
    each element scored alone."""
    rng = np.random.default_rng(4)
    x = rng.uniform(-5, 5, (2, 9, 8, 6))
    w = rng.uniform(0, 1, (2, 9, 6))
    benefit = rng.random(6) < 0.5
    available = rng.random((2, 9, 8)) < 0.8
    whole = promethee_ii(x, w, benefit, available, preference=FUNCTIONS)
    monkeypatch.setattr(promethee, "MEMORY_BUDGET", 1)
    np.testing.assert_array_equal(
        promethee_ii(x, w, benefit, available, preference=FUNCTIONS), whole
    )
    for i, j in np.ndindex(2, 9):
        alone = promethee_ii(x[i, j], w[i, j], benefit, available[i, j], preference=FUNCTIONS)
        np.testing.assert_array_equal(alone, whole[i, j])


def test_promethee_memory_grows_with_options_not_pairs() -> None:
    """2,000 options: the old pairwise array had 2 million x 2,000 entries (29.8 GiB)."""
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 1, (2000, 3))
    tracemalloc.start()
    try:
        flows = promethee_ii(x, [1, 1, 1], np.array([True, False, True]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20, f"peak {peak / 2**20:.1f} MiB"
    assert abs(flows.sum()) < 1e-9 and np.abs(flows).max() <= 1.0


def test_promethee_overflowing_differences_count_as_full_preference() -> None:
    x = np.array([[HUGE, 0.0], [-HUGE, 0.0], [0.0, 0.0]])
    for function in FUNCTIONS:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            flows = promethee_ii(x, [1, 1], BOTH, preference=function)
        np.testing.assert_allclose(flows, [0.5, -0.5, 0.0], atol=1e-15)


@pytest.mark.parametrize("s", [1e-200, 1e200, TINY])
def test_gaussian_with_an_extreme_scale_is_finite(s: float) -> None:
    x = np.array([[0.0], [0.0], [s]])  # a zero difference meets -1 / (2 s^2) = +-inf or 0
    flows = promethee_ii(x, [1], ONE, preference=PreferenceFunction("gaussian", s=s))
    assert np.isfinite(flows).all()
    assert flows[0] == flows[1] and flows[2] > 0


# ---------------------------------------------------------------------------- agreement memory


def test_agreement_blocks_change_nothing_and_bound_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(6)
    x = rng.integers(0, 40, (3, 200)).astype(float)  # many ties
    y = rng.integers(0, 40, (3, 200)).astype(float)
    available = rng.random((3, 200)) < 0.8
    whole = [kendall_tau(x, y, available), spearman_rho(x, y, available),
             average_ranks(x, available), kendall_tau(x, y)]
    monkeypatch.setattr(agreement_module, "MEMORY_BUDGET", 1)
    blocked = [kendall_tau(x, y, available), spearman_rho(x, y, available),
               average_ranks(x, available), kendall_tau(x, y)]
    for a, b in zip(whole, blocked, strict=True):
        np.testing.assert_array_equal(a, b)

    monkeypatch.setattr(agreement_module, "MEMORY_BUDGET", 2**20)
    big = rng.uniform(0, 1, (2, 2000))
    tracemalloc.start()
    try:
        kendall_tau(big[0], big[1])
        spearman_rho(big[0], big[1])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 6 * 2**20, f"peak {peak / 2**20:.1f} MiB (all pairs: 4 x 32 MiB)"


def test_average_ranks_broadcasts_a_mask() -> None:
    ranks = average_ranks([3.0, 1.0, 3.0], np.array([[True, True, True], [True, False, True]]))
    np.testing.assert_array_equal(ranks, [[2.5, 1.0, 2.5], [1.5, 0.0, 1.5]])


def test_extreme_values_in_the_engine_path_stay_finite() -> None:
    """The methods behind ``run`` and ``compare`` see 0-1 values; vikor and topsis on the
    smallest spreads still give finite scores."""
    x = np.array([[0.5, 0.5], [0.5 + 2**-53, 0.5], [0.5, 0.5 - 2**-54]])
    for method in (topsis, vikor, weighted_sum, weighted_product, promethee_ii):
        assert np.isfinite(method(x, [1, 1], BOTH)).all()
