"""VIKOR's compromise solution and PROMETHEE's preference functions in detail."""

from __future__ import annotations

import math

import numpy as np
import pytest

from decision.core.methods import PreferenceFunction, promethee_ii, vikor, vikor_details
from decision.errors import DecisionError


def _compromise_reference(s: np.ndarray, r: np.ndarray, q: np.ndarray) -> tuple[bool, bool,
                                                                                 np.ndarray]:
    """Opricovic & Tzeng's rules for one matrix without ties, written plainly."""
    order = np.argsort(q, kind="stable")
    a1 = order[0]
    m = len(q)
    if m == 1:
        return True, True, np.array([True])
    dq = 1.0 / (m - 1)
    c1 = q[order[1]] - q[a1] >= dq
    c2 = s[a1] == s.min() or r[a1] == r.min()
    chosen = np.zeros(m, dtype=bool)
    if c1 and c2:
        chosen[a1] = True
    elif c1:
        chosen[order[:2]] = True
    else:
        chosen[q - q[a1] < dq] = True
    return bool(c1), bool(c2), chosen


def test_compromise_set_matches_the_rules_on_random_batches() -> None:
    rng = np.random.default_rng(3)
    seen = set()
    # Large m makes "C1 without C2" (a1 wins on Q without being best by S or R) occur.
    for m, n, count in ((2, 3, 300), (3, 3, 300), (4, 3, 300), (9, 3, 300), (30, 6, 400)):
        performance = rng.random((count, m, n))
        weights = rng.uniform(0.1, 1.0, (count, n))
        benefit = np.arange(n) % 2 == 0
        details = vikor_details(performance, weights, benefit, v=0.5)
        assert details.compromise.shape == (count, m)
        for k in range(count):
            c1, c2, chosen = _compromise_reference(details.S[k], details.R[k], details.Q[k])
            assert details.acceptable_advantage[k] == c1
            assert details.acceptable_stability[k] == c2
            np.testing.assert_array_equal(details.compromise[k], chosen)
            seen.add((c1, c2))
        np.testing.assert_allclose(vikor(performance, weights, benefit), 1 - details.Q)
    assert seen == {(True, True), (True, False), (False, True), (False, False)}


def test_compromise_details_with_availability() -> None:
    x = np.array([[1, 3000], [2, 3750], [5, 4500], [0, 9999]], dtype=float)
    benefit = np.array([False, True])
    available = np.array([True, True, True, False])
    details = vikor_details(x, [0.5, 0.5], benefit, available)
    np.testing.assert_allclose(details.Q, [1, 0, 1, 1])
    np.testing.assert_allclose(details.S[3], 0.0)
    np.testing.assert_array_equal(details.compromise, [False, True, False, False])
    single = vikor_details(x, [0.5, 0.5], benefit, np.array([False, False, True, False]))
    assert single.acceptable_advantage and single.acceptable_stability
    np.testing.assert_array_equal(single.compromise, [False, False, True, False])
    empty = vikor_details(x, [0.5, 0.5], benefit, np.zeros(4, dtype=bool))
    assert not empty.acceptable_advantage and not empty.acceptable_stability
    assert not empty.compromise.any()


def test_tied_best_options_are_all_in_the_compromise_set() -> None:
    x = np.array([[0.5, 0.5], [0.5, 0.5], [0.1, 0.1]])
    details = vikor_details(x, [1, 1], np.array([True, True]))
    np.testing.assert_array_equal(details.compromise, [True, True, False])
    assert not details.acceptable_advantage


def _preference_value(function: PreferenceFunction, d: float, benefit: bool = True) -> float:
    """P(d) read off a two-option, one-criterion net flow: phi(a) = P(d) - P(-d)."""
    x = np.array([[d], [0.0]]) if benefit else np.array([[-d], [0.0]])
    return float(promethee_ii(x, [1.0], np.array([benefit]), preference=function)[0])


@pytest.mark.parametrize(
    ("function", "cases"),
    [
        (PreferenceFunction("usual"), [(0.0, 0.0), (1e-9, 1.0), (5.0, 1.0)]),
        (PreferenceFunction("ushape", q=0.2), [(0.2, 0.0), (0.2001, 1.0)]),
        (PreferenceFunction("vshape", p=0.4), [(0.2, 0.5), (0.4, 1.0), (0.6, 1.0)]),
        (PreferenceFunction("level", q=0.1, p=0.3),
         [(0.1, 0.0), (0.2, 0.5), (0.3, 0.5), (0.31, 1.0)]),
        (PreferenceFunction("linear", q=0.1, p=0.3),
         [(0.1, 0.0), (0.2, 0.5), (0.3, 1.0), (0.5, 1.0)]),
        (PreferenceFunction("vshape_indifference", q=0.0, p=0.5), [(0.25, 0.5)]),
        (PreferenceFunction("gaussian", s=0.5),
         [(0.5, 1 - math.exp(-0.5)), (1.0, 1 - math.exp(-2.0))]),
    ],
)
def test_preference_functions(function: PreferenceFunction,
                              cases: list[tuple[float, float]]) -> None:
    for d, expected in cases:
        assert _preference_value(function, d) == pytest.approx(expected, abs=1e-12)
        assert _preference_value(function, -d) == pytest.approx(-expected, abs=1e-12)
        assert _preference_value(function, d, benefit=False) == pytest.approx(expected,
                                                                              abs=1e-12)


def test_flows_sum_to_zero_and_stay_in_range() -> None:
    rng = np.random.default_rng(5)
    x = rng.random((50, 7, 4))
    prefs = [PreferenceFunction("gaussian", s=0.3), PreferenceFunction("usual"),
             PreferenceFunction("linear", q=0.1, p=0.5), PreferenceFunction("level", q=0.1, p=0.2)]
    flows = promethee_ii(x, rng.random((50, 4)), np.array([True, False, True, True]),
                         preference=prefs)
    np.testing.assert_allclose(flows.sum(axis=-1), 0.0, atol=1e-12)
    assert np.all(np.abs(flows) <= 1.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "linar", "q": 0.1, "p": 0.2}, "did you mean 'linear'"),
        ({"kind": "linear", "q": 0.1}, "needs p"),
        ({"kind": "usual", "q": 0.1}, "takes no q"),
        ({"kind": "linear", "q": 0.3, "p": 0.2}, "q < p"),
        ({"kind": "vshape", "p": 0.0}, "p must be > 0"),
        ({"kind": "ushape", "q": -1.0}, "q must be >= 0"),
        ({"kind": "gaussian", "s": math.nan}, "must be finite"),
    ],
)
def test_bad_preference_functions(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(DecisionError, match=message):
        PreferenceFunction(**kwargs)  # type: ignore[arg-type]


def test_preference_list_must_match_criteria() -> None:
    with pytest.raises(DecisionError, match="2 preference functions for 3 criteria"):
        promethee_ii(np.ones((2, 3)), [1, 1, 1], np.ones(3, dtype=bool),
                     preference=[PreferenceFunction(), PreferenceFunction()])


def test_vikor_near_ties_are_ties_whatever_the_weight_scale() -> None:
    """Two options equal in S and R in exact arithmetic differ by an ulp once the weights are
    normalised; dividing by that difference made Q flip between 0 and 1 with the scale."""
    from decision.core.methods.vikor import vikor

    performance = np.array([[0.1, 0.5, 0.5, 0.5, 0.5], [0.5, 0.25, 0.5, 0.5, 0.5]])
    weights = np.array([0.5, 0.5, 0.04097352393619469, 0.5, 0.5])
    benefit = np.zeros(5, dtype=bool)
    plain = vikor(performance, weights, benefit, v=0.2)
    scaled = vikor(performance, weights * 16.528619000893567, benefit, v=0.2)
    np.testing.assert_array_equal(plain, scaled)
    np.testing.assert_array_equal(plain, [1.0, 1.0])
