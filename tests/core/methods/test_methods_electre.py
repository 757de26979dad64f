"""ELECTRE III: a hand-computed case, the cross-check against pyDecision, the partial order's
consistency, what the method keeps (masking, batching, dominance) and what it does not (rank
reversal), thresholds' errors, and ``decision rank --method electre_iii``.

The invariants every method must pass (permutation, weight scale, dominance, masking, batch,
extreme values) run on three ELECTRE III configurations in test_methods_properties.py and
test_rank_extremes.py (rows ``electre_iii-*`` of methods_cases.CONFIGS).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from methods_cases import Problem, problems

from decision.cli.main import main
from decision.core.methods import electre as electre_module
from decision.core.methods import electre_iii, electre_iii_details, parse_method, partial_order
from decision.errors import DecisionError
from tests.peers import pydecision_module

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None)
TOL = 1e-12


# ---------------------------------------------------------------------------- known answers


def test_hand_computed_case() -> None:
    """Two benefit criteria, w = (0.6, 0.4), q = 1, p = 3, v = 6 on both; a = (10, 2),
    b = (7, 6), c = (9, 3).

    sigma(a, b): c_1 = 1 (b is 3 behind), c_2 = 0 (b is 4 ahead, >= p), C = 0.6; D_2 = (4 - 3)
    / 3 = 1/3 <= C, so sigma = 0.6. sigma(b, a): c_1 = 0 (a is 3 ahead), c_2 = 1, C = 0.4, no
    discordance (3 <= p). sigma(a, c) = sigma(c, a) = 1 (every difference within q).
    sigma(b, c): c_1 = (3 - 2) / 2 = 0.5, C = 0.3 + 0.4 = 0.7. sigma(c, b): c_2 = 0 (3 >= p),
    C = 0.6.

    Descending: lambda = 1, s = 0.15, cut = max sigma < 0.85 = 0.7: nobody outranks (the only
    credibilities above 0.7 are a-c both ways, difference 0). Refined at 0.7: s = 0.195, cut =
    max sigma < 0.505 = 0.4: only a S b (0.6 - 0.4 = 0.2 > 0.195); qualifications a 1, b -1,
    c 0, so {a} is the first class; on {b, c} nobody outranks at cut 0: {b, c} second.
    Ascending: the same refinement takes b out as the worst, then {a, c} tie. Final order:
    a P c (equal ascending, better descending), c P b, a P b; scores 1, 0.75, 0.5.
    """
    x = np.array([[10.0, 2.0], [7.0, 6.0], [9.0, 3.0]])
    d = electre_iii_details(x, [0.6, 0.4], [True, True], q=1.0, p=3.0, v=6.0)
    np.testing.assert_allclose(d.concordance, [[0, 0.6, 1], [0.4, 0, 0.7], [1, 0.6, 0]],
                               atol=TOL)
    np.testing.assert_allclose(d.credibility, [[0, 0.6, 1], [0.4, 0, 0.7], [1, 0.6, 0]],
                               atol=TOL)
    np.testing.assert_array_equal(d.descending, [1, 2, 2])
    np.testing.assert_array_equal(d.ascending, [1, 2, 1])
    np.testing.assert_array_equal(d.preference, [[False, True, True], [False, False, False],
                                                 [False, True, False]])
    assert not d.incomparability.any() and not d.indifference.any()
    np.testing.assert_allclose(d.score, [1.0, 0.5, 0.75], atol=TOL)
    np.testing.assert_array_equal(electre_iii(x, [0.6, 0.4], [1, 1], q=1.0, p=3.0, v=6.0),
                                  d.score)


def test_veto_and_cost_criteria() -> None:
    """A difference at the veto threshold against a pair with C < 1 makes its credibility 0;
    between p and v it scales sigma by (1 - D) / (1 - C). A cost criterion is the negated
    benefit criterion."""
    x = np.array([[5.0, 0.0], [0.0, 4.0]])
    w = [0.5, 0.5]
    # b beats a by 4 on criterion 2: c_2 = 0, C(a, b) = 0.5; D_2 = (4 - 1) / (4 - 1) = 1.
    d = electre_iii_details(x, w, [True, True], q=0.0, p=1.0, v=4.0)
    assert d.credibility[0, 1] == 0.0 and d.credibility[1, 0] == 0.0
    # With v = 7, D_2 = 3 / 6 = 0.5 is not above C = 0.5: sigma stays 0.5; with v = 5,
    # D_2 = 3 / 4 > C: sigma = 0.5 * (1 - 0.75) / (1 - 0.5) = 0.25.
    assert electre_iii_details(x, w, [True, True], p=1.0, v=7.0).credibility[0, 1] == 0.5
    np.testing.assert_allclose(
        electre_iii_details(x, w, [True, True], p=1.0, v=5.0).credibility[0, 1], 0.25,
        atol=TOL)
    # per-criterion veto: none on criterion 2 leaves only concordance
    none = electre_iii_details(x, w, [True, True], p=1.0, v=[4.0, None])
    assert none.credibility[0, 1] == 0.5
    flipped = electre_iii_details(-x, w, [False, False], q=0.0, p=1.0, v=4.0)
    np.testing.assert_array_equal(flipped.credibility, d.credibility)


# ---------------------------------------------------------------------------- peer cross-check


def _pydecision() -> ModuleType:
    """pyDecision's ELECTRE III module on its own (it draws with matplotlib)."""
    pytest.importorskip("matplotlib")
    return pydecision_module("e_iii")


PARAMETER_SETS = ["veto", "no-veto", "crisp-veto"]


def _thresholds(kind: str, rng: np.random.Generator, n: int) -> tuple[Any, Any, Any]:
    q = rng.uniform(0.0, 1.0, n)
    p = q + rng.uniform(0.01, 3.0, n)
    if kind == "crisp-veto":
        q = p.copy()
    v = p + rng.uniform(0.01, 6.0, n)
    return q, p, (None if kind == "no-veto" else v)


@pytest.mark.parametrize("kind", PARAMETER_SETS)
def test_credibility_matches_pydecision(kind: str) -> None:
    """500 random matrices per parameter set (2-9 options, 1-7 criteria, mixed types): the
    concordance and credibility of every pair within 1e-9 of pyDecision's electre_iii
    (benefit criteria only there: cost columns are negated for it; its diagonal is 0 as ours).
    Continuous data, so no difference falls exactly on a threshold, the one place where
    conventions differ (pyDecision's c_j is 0 at d = q = p, ours 1)."""
    peer = _pydecision()
    rng = np.random.default_rng(20)
    worst = 0.0
    for _ in range(500):
        m, n = int(rng.integers(2, 10)), int(rng.integers(1, 8))
        x = rng.uniform(0.0, 10.0, (m, n))
        w = rng.uniform(0.05, 1.0, n)
        b = rng.random(n) < 0.6
        q, p, v = _thresholds(kind, rng, n)
        ours = electre_iii_details(x, w, b, q=list(q), p=list(p),
                                   v=None if v is None else list(v))
        oriented = np.where(b, x, -x)
        veto = np.full(n, np.inf) if v is None else v
        c = peer.global_concordance_matrix(oriented, p, q, w)
        s = peer.credibility_matrix(oriented, c, p, veto)
        np.fill_diagonal(c, 0.0)
        worst = max(worst, float(np.abs(ours.concordance - c).max()),
                    float(np.abs(ours.credibility - s).max()))
    assert worst <= 1e-9


def _peer_ranks(classes: list[str], m: int) -> np.ndarray[Any, Any]:
    ranks = np.zeros(m, dtype=int)
    for k, members in enumerate(classes):
        for name in members.split("; "):
            ranks[int(name[1:]) - 1] = k + 1
    return ranks


def _unrefined(peer: ModuleType, credibility: np.ndarray[Any, Any], best: bool) -> bool:
    """Whether every step of pyDecision's distillation has one most (least) qualified option,
    so that no tie is refined (its refinement restarts from the tied set's top credibility,
    ours goes on from the cut level, as Roy & Bouyssou's; the two differ only there)."""
    left = list(range(credibility.shape[0]))
    while len(left) > 1:
        qualification = peer.qualification(credibility[np.ix_(left, left)])
        extreme = qualification.max() if best else qualification.min()
        tied = np.flatnonzero(qualification == extreme)
        if len(tied) > 1:
            return False
        del left[int(tied[0])]
    return True


def test_distillations_match_pydecision_where_no_tie_is_refined() -> None:
    peer = _pydecision()
    rng = np.random.default_rng(21)
    compared = 0
    for _ in range(600):
        m, n = int(rng.integers(2, 8)), int(rng.integers(2, 7))
        x = rng.uniform(0.0, 10.0, (m, n))
        w = rng.uniform(0.05, 1.0, n)
        b = rng.random(n) < 0.6
        q, p, v = _thresholds("veto", rng, n)
        ours = electre_iii_details(x, w, b, q=list(q), p=list(p), v=list(v))
        s = peer.credibility_matrix(np.where(b, x, -x), peer.global_concordance_matrix(
            np.where(b, x, -x), p, q, w), p, v)
        for best, ranks in ((True, ours.descending), (False, ours.ascending)):
            if _unrefined(peer, s, best):
                classes = (peer.destilation_descending(s) if best
                           else peer.destilation_ascending(s))
                np.testing.assert_array_equal(ranks, _peer_ranks(classes, m))
                compared += 1
    assert compared >= 300


# ---------------------------------------------------------------------------- the partial order


@SETTINGS
@given(problem=problems(min_options=1), data=st.data())
def test_partial_order_is_consistent_and_the_score_completes_it(problem: Problem,
                                                                data: st.DataObject) -> None:
    """Exactly one of P(a, b), P(b, a), I(a, b), R(a, b) for two available options; P is
    transitive; the score is higher for the preferred option and equal for indifferent ones;
    a weakly dominating option is ranked at least as well in both distillations."""
    x, w, b, a = problem.performance, problem.weights, problem.benefit, problem.available
    d = electre_iii_details(x, w, b, a, q=0.02, p=0.15, v=0.5)
    pairs = a[:, None] & a[None, :] & ~np.eye(len(a), dtype=bool)
    total = d.preference.astype(int) + d.preference.T + d.indifference + d.incomparability
    np.testing.assert_array_equal(total, pairs.astype(int))
    np.testing.assert_array_equal(d.incomparability, d.incomparability.T)
    p = d.preference.astype(int)
    assert not ((p @ p > 0) & ~d.preference & pairs).any()
    rows, cols = np.nonzero(d.preference)
    assert np.all(d.score[rows] > d.score[cols])
    rows, cols = np.nonzero(d.indifference)
    np.testing.assert_array_equal(d.score[rows], d.score[cols])
    assert np.all((d.descending > 0) == a) and np.all((d.ascending > 0) == a)
    assert np.all((d.credibility >= 0) & (d.credibility <= d.concordance + TOL))
    # weak dominance (unweighted criteria are not counted)
    oriented = np.where(b, x, -x)
    used = w > 0
    ids = np.flatnonzero(a)
    for i in ids:
        for j in ids:
            if i != j and np.all(oriented[i, used] >= oriented[j, used]):
                assert d.descending[i] <= d.descending[j] and d.ascending[i] <= d.ascending[j]
    order = np.array(data.draw(st.permutations(range(len(a)))), dtype=np.intp)
    permuted = electre_iii_details(x[order], w, b, a[order], q=0.02, p=0.15, v=0.5)
    np.testing.assert_array_equal(permuted.incomparability,
                                  d.incomparability[np.ix_(order, order)])
    np.testing.assert_array_equal(permuted.descending, d.descending[order])


@SETTINGS
@given(problem=problems(min_available=1))
def test_masking_equals_removal(problem: Problem) -> None:
    keep = problem.available
    masked = electre_iii_details(problem.performance, problem.weights, problem.benefit, keep,
                                 q=0.05, p=0.2, v=0.6)
    removed = electre_iii_details(problem.performance[keep], problem.weights, problem.benefit,
                                  q=0.05, p=0.2, v=0.6)
    both = np.ix_(keep, keep)
    np.testing.assert_array_equal(masked.credibility[both], removed.credibility)
    np.testing.assert_array_equal(masked.descending[keep], removed.descending)
    np.testing.assert_array_equal(masked.ascending[keep], removed.ascending)
    np.testing.assert_array_equal(masked.incomparability[both], removed.incomparability)
    assert not masked.credibility[~keep].any() and not masked.preference[:, ~keep].any()
    assert np.all(masked.score[~keep] == 0.0)


def test_batch_equals_loop_across_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    x, w = rng.random((40, 6, 4)), rng.uniform(0.1, 1.0, (40, 4))
    b = np.array([True, False, True, True])
    a = rng.random((40, 6)) < 0.85
    kwargs: dict[str, Any] = {"q": [0.02, 0.05, 0.0, 0.1], "p": 0.2, "v": [0.5, None, 0.7, 0.9]}
    whole = electre_iii_details(x, w, b, a, **kwargs)
    monkeypatch.setattr(electre_module, "MEMORY_BUDGET", 1)  # one batch element per block
    blocked = electre_iii_details(x, w, b, a, **kwargs)
    for k in range(40):
        one = electre_iii_details(x[k], w[k], b, a[k], **kwargs)
        for name in ("credibility", "descending", "ascending", "incomparability", "score"):
            np.testing.assert_array_equal(getattr(whole, name)[k], getattr(one, name))
            np.testing.assert_array_equal(getattr(blocked, name)[k], getattr(one, name))
    # two batch axes, one matrix under many weights
    grid = electre_iii_details(x[:6].reshape(2, 3, 6, 4), w[:6].reshape(2, 3, 4), b, **kwargs)
    assert grid.credibility.shape == (2, 3, 6, 6) and grid.descending.shape == (2, 3, 6)
    np.testing.assert_array_equal(grid.score.reshape(6, 6),
                                  electre_iii(x[:6], w[:6], b, **kwargs))


def test_rank_reversal_is_possible_by_design() -> None:
    """ELECTRE III is not independent of irrelevant options: removing a third option can
    reverse the descending order of two others. Found by search (seeded), so the exemption
    from that invariant is shown rather than asserted."""
    rng = np.random.default_rng(5)
    for _ in range(3000):
        x = rng.random((5, 3))
        w = rng.uniform(0.1, 1.0, 3)
        b = np.ones(3, dtype=bool)
        full = electre_iii_details(x, w, b, q=0.05, p=0.2, v=0.5).descending
        keep = np.arange(5) != 4
        part = electre_iii_details(x[keep], w, b, q=0.05, p=0.2, v=0.5).descending
        ahead = full[:4, None] < full[None, :4]
        if (ahead & (part[:, None] > part[None, :])).any():
            return
    pytest.fail("no rank reversal in 3,000 random problems")


def test_partial_order_through_the_registry() -> None:
    rng = np.random.default_rng(8)
    x, w, b = rng.random((6, 3)), [1.0, 1.0, 1.0], [True, False, True]
    params = {"q": 0.05, "p": 0.2, "v": "0.6,,0.6"}
    order = partial_order("electre_iii", x, w, b, None, params)
    details = electre_iii_details(x, w, b, q=0.05, p=0.2, v=[0.6, None, 0.6])
    np.testing.assert_array_equal(order.incomparability, details.incomparability)
    np.testing.assert_array_equal(order.preference, details.preference)


# ---------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"q": 0.5, "p": 0.2}, r"^method\.p: p breaks 0 <= q <= p <= v \(q=0.5, p=0.2\)"),
        ({"q": -1}, r"^method\.q: q breaks .*allowed: q >= 0"),
        ({"p": 0.3, "v": 0.1}, r"^method\.v: v breaks .*\(q=0, p=0.3, v=0.1\)"),
        ({"q": [0.1, 0.5], "p": 0.3}, r"^method\.p: p breaks .* on criterion 1 \(q=0.5, p=0.3\)"),
        ({"q": [0.1], "p": [0.2, 0.3]}, r"^method\.p: thresholds list different numbers"),
        ({"v": [1, "x"]}, r"^method\.v\[1\]: Input should be a valid number"),
        ({"q": "nan"}, r"^method\.q: q must be a finite number"),
        ({"alpha": 0}, r"^method\.alpha: Input should be greater than 0"),
        ({"beta": -0.4}, r"^method\.beta: s\(1\) = alpha \+ beta must be in \(0, 1\]"),
        ({"lambda": 1}, r"^method: unknown parameter 'lambda' for method electre_iii"),
    ],
)
def test_bad_thresholds_are_one_line_at_their_key(spec: dict[str, object], message: str) -> None:
    with pytest.raises(DecisionError) as caught:
        parse_method({"name": "electre_iii", **spec})
    line = caught.value.one_line()
    assert "\n" not in line
    assert re.search(message, line), line


def test_threshold_lists_must_fit_the_criteria() -> None:
    with pytest.raises(DecisionError, match=r"\(q 2\) for 3 criteria"):
        electre_iii(np.ones((2, 3)), [1, 1, 1], [True] * 3, q=[0.1, 0.2], p=0.5)
    with pytest.raises(DecisionError, match="p is missing"):
        electre_iii(np.ones((2, 1)), [1], [True], p=None)


# ---------------------------------------------------------------------------- command line

MATRIX = "option,cost,quality,speed\nA,250,0.7,3\nB,300,0.9,2\nC,200,0.4,4\nD,280,0.8,1\n"
BASE = ("--weights", "1,1,1", "--types", "cost,benefit,benefit", "--method", "electre_iii")


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


def test_rank_command_takes_thresholds(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(MATRIX, encoding="utf-8")
    status, out, err = _run("rank", str(path), *BASE, "--q", "10,0.05,0.5", "--p", "40,0.2,1",
                            "--param", "v=120,,3", "--json")
    assert status == 0 and err == "", err
    scores = {row["option"]: row["score"] for row in json.loads(out)["options"]}
    x = np.array([[250, 0.7, 3], [300, 0.9, 2], [200, 0.4, 4], [280, 0.8, 1]], dtype=float)
    expected = electre_iii(x, [1, 1, 1], [False, True, True], q=[10, 0.05, 0.5],
                           p=[40, 0.2, 1], v=[120, None, 3])
    np.testing.assert_allclose([scores[o] for o in "ABCD"], expected, atol=1e-4)
    for args, fragment in (
        (("--s", "1"), "--s: --s is for PROMETHEE, not method 'electre_iii'"),
        (("--preference", "linear"), "--preference: --preference is for PROMETHEE"),
        (("--q", "0.5", "--p", "0.2"), "p breaks 0 <= q <= p <= v"),
        (("--q", "1", "--param", "q=2"), "--q: q given twice"),
        (("--p", "1,2"), "thresholds list different numbers of criteria (p 2) for 3 criteria"),
    ):
        status, out, err = _run("rank", str(path), *BASE, *args)
        lines = err.splitlines()
        assert status == 2 and out == "" and len(lines) == 1, (args, err)
        assert fragment in lines[0], lines[0]
