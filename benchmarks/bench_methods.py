"""Benchmark the batched aggregation methods.

Run: ``.venv/bin/python benchmarks/bench_methods.py [--batch N] [--budget SECONDS]``

For each method, scores a batch of random 6x8 matrices (100,000 by default, each with its own
weights) with (1) the engine, (2) the engine with a random availability mask, (3) a bare numpy
reference of the same method written here (no masking, no checks, weights already
normalised), and (4) pymcdm (pyrepo-mcda for COPRAS, which pymcdm computes differently) called
once per matrix, time-boxed and extrapolated to the batch.
Then every method that is not pairwise on one 1,000,000 x 8 matrix. Timings are best of 3.
Last, ELECTRE III (credibility and both distillations) against pyDecision's electre_iii called
once per matrix, when pyDecision is installed (it is not a dev dependency: see the README).

Targets: the engine at least as fast as the numpy reference (eng/np <= 1.0) at every batch
size and on the tall matrix; at least 50x faster than the pymcdm loop.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pymcdm import methods as pm
from pymcdm import normalizations as pn
from pymcdm.methods.partial import PROMETHEE_I
from pyrepo_mcda.mcda_methods import COPRAS

from decision.core.methods import (
    PreferenceFunction,
    copras,
    edas,
    electre_iii,
    mabac,
    promethee_details,
    promethee_ii,
    spotis,
    topsis,
    vikor,
    waspas,
    weighted_product,
    weighted_sum,
)

Array = NDArray[np.float64]
OPTIONS, CRITERIA = 6, 8
REPEATS = 3
RATIO_TARGET = 1.0
SPEEDUP_TARGET = 50.0
Q_LINEAR, P_LINEAR = 0.05, 0.3


# ---------------------------------------------------------------- bare numpy references
# Each takes P (B, m, n), W (B, n) normalised, benefit (n,) bool, and returns (B, m).


def ref_wsm_none(p: Array, w: Array, benefit: NDArray[np.bool_]) -> Array:
    n = np.where(benefit, p, 1.0 - p)
    return (n * w[:, None, :]).sum(-1)


def _minmax(p: Array, benefit: NDArray[np.bool_]) -> Array:
    hi, lo = p.max(1, keepdims=True), p.min(1, keepdims=True)
    return np.where(benefit, p - lo, hi - p) / (hi - lo)


def ref_wsm_minmax(p: Array, w: Array, benefit: NDArray[np.bool_]) -> Array:
    return (_minmax(p, benefit) * w[:, None, :]).sum(-1)


def ref_wpm_none(p: Array, w: Array, benefit: NDArray[np.bool_]) -> Array:
    n = np.where(benefit, p, 1.0 - p)
    return np.prod(n ** w[:, None, :], axis=-1)


def _topsis(n: Array, w: Array, benefit: NDArray[np.bool_]) -> Array:
    v = n * w[..., None, :]
    hi, lo = v.max(-2, keepdims=True), v.min(-2, keepdims=True)
    pis, nis = np.where(benefit, hi, lo), np.where(benefit, lo, hi)
    d_plus = np.sqrt(((v - pis) ** 2).sum(-1))
    d_minus = np.sqrt(((v - nis) ** 2).sum(-1))
    return d_minus / (d_plus + d_minus)


def ref_topsis_vector(p: Array, w: Array, benefit: NDArray[np.bool_]) -> Array:
    return _topsis(p / np.sqrt((p**2).sum(-2, keepdims=True)), w, benefit)


def ref_topsis_minmax(p: Array, w: Array, benefit: NDArray[np.bool_]) -> Array:
    return _topsis(_minmax(p, np.ones_like(benefit)), w, benefit)


def ref_vikor(p: Array, w: Array, benefit: NDArray[np.bool_]) -> Array:
    hi, lo = p.max(1, keepdims=True), p.min(1, keepdims=True)
    best, worst = np.where(benefit, hi, lo), np.where(benefit, lo, hi)
    d = w[:, None, :] * (best - p) / (best - worst)
    s, r = d.sum(-1), d.max(-1)
    s_lo, s_hi = s.min(-1, keepdims=True), s.max(-1, keepdims=True)
    r_lo, r_hi = r.min(-1, keepdims=True), r.max(-1, keepdims=True)
    q = 0.5 * (s - s_lo) / (s_hi - s_lo) + 0.5 * (r - r_lo) / (r_hi - r_lo)
    return 1.0 - q


def _flows(pref: Array, w: Array) -> Array:
    pi = (pref * w[:, None, None, :]).sum(-1)
    return (pi.sum(-1) - pi.sum(-2)) / (pi.shape[-1] - 1)


def _differences(p: Array, benefit: NDArray[np.bool_]) -> Array:
    d = p[:, :, None, :] - p[:, None, :, :]
    return d * np.where(benefit, 1.0, -1.0)


def ref_promethee_usual(p: Array, w: Array, benefit: NDArray[np.bool_]) -> Array:
    return _flows((_differences(p, benefit) > 0).astype(np.float64), w)


def ref_promethee_linear(p: Array, w: Array, benefit: NDArray[np.bool_]) -> Array:
    d = _differences(p, benefit)
    return _flows(np.clip((d - Q_LINEAR) / (P_LINEAR - Q_LINEAR), 0.0, 1.0), w)


def ref_waspas(p: Array, w: Array, benefit: NDArray[np.bool_]) -> Array:
    n = np.where(benefit, p / p.max(1, keepdims=True), p.min(1, keepdims=True) / p)
    return 0.5 * (n * w[:, None, :]).sum(-1) + 0.5 * np.prod(n ** w[:, None, :], axis=-1)


def ref_copras(p: Array, w: Array, benefit: NDArray[np.bool_]) -> Array:
    d = p / p.sum(1, keepdims=True) * w[:, None, :]
    plus, minus = (d * benefit).sum(-1), (d * ~benefit).sum(-1)
    low = minus.min(-1, keepdims=True)
    q = plus + low * minus.sum(-1, keepdims=True) / (minus * (low / minus).sum(-1, keepdims=True))
    return q / q.max(-1, keepdims=True)  # type: ignore[no-any-return]


def ref_edas(p: Array, w: Array, benefit: NDArray[np.bool_]) -> Array:
    average = p.mean(1, keepdims=True)
    pda = np.where(benefit, p - average, average - p) / average
    sp = (np.maximum(pda, 0.0) * w[:, None, :]).sum(-1)
    sn = (np.maximum(-pda, 0.0) * w[:, None, :]).sum(-1)
    return (sp / sp.max(-1, keepdims=True) + 1.0 - sn / sn.max(-1, keepdims=True)) / 2


def ref_mabac(p: Array, w: Array, benefit: NDArray[np.bool_]) -> Array:
    v = (_minmax(p, benefit) + 1.0) * w[:, None, :]
    # the geometric mean as exp(mean(log)): the product of a tall column underflows
    border = np.exp(np.log(v).mean(axis=1, keepdims=True))
    return (v - border).sum(-1)  # type: ignore[no-any-return]


def ref_spotis(p: Array, w: Array, benefit: NDArray[np.bool_]) -> Array:
    """Bounds [0, 1] on every criterion (the value scale)."""
    return 1.0 - (np.where(benefit, 1.0 - p, p) * w[:, None, :]).sum(-1)


def ref_promethee_i_usual(p: Array, w: Array, benefit: NDArray[np.bool_]) -> Array:
    """phi+ of the usual function (PROMETHEE I's details also give phi-, phi_j, relations)."""
    pi = ((_differences(p, benefit) > 0) * w[:, None, None, :]).sum(-1)
    return pi.sum(-1) / (pi.shape[-1] - 1)  # type: ignore[no-any-return]


def _promethee_i_positive(*args: Any) -> Array:
    return promethee_details(*args).positive


# ---------------------------------------------------------------- pymcdm, one matrix a call


def _identity(x: Array, cost: bool = False) -> Array:
    return 1.0 - x if cost else x


PymcdmCall = Callable[[Array, Array, NDArray[np.int_], bool], Any]


def _pymcdm(method: Any) -> PymcdmCall:
    """Call one pymcdm method object, its input validation on (as by default) or off."""

    def run(p: Array, w: Array, types: NDArray[np.int_], validation: bool) -> Any:
        return method(p, w, types, validation=validation)

    return run


def _pymcdm_fresh(make: Callable[[], Any]) -> PymcdmCall:
    """pymcdm's PROMETHEE keeps per-criterion thresholds in a one-shot generator, so it needs
    a new object for every matrix."""

    def run(p: Array, w: Array, types: NDArray[np.int_], validation: bool) -> Any:
        return make()(p, w, types, validation=validation)

    return run


@dataclass(frozen=True)
class Case:
    name: str
    engine: Callable[..., Array]
    reference: Callable[[Array, Array, NDArray[np.bool_]], Array]
    pymcdm: PymcdmCall
    #: Whether the method is also timed on one tall matrix (pairwise methods are not: their
    #: cost grows with the square of the options).
    tall: bool = True


def _pyrepo(method: Any) -> PymcdmCall:
    """pyrepo-mcda (no validation switch: its checks always run)."""

    def run(p: Array, w: Array, types: NDArray[np.int_], validation: bool) -> Any:
        return method(p, w, types)

    return run


def _pymcdm_partial(method: Any) -> PymcdmCall:
    def run(p: Array, w: Array, types: NDArray[np.int_], validation: bool) -> Any:
        return method(p, w, types, validation=validation)[0]

    return run


def _linear() -> PreferenceFunction:
    return PreferenceFunction("linear", q=Q_LINEAR, p=P_LINEAR)


CASES = [
    Case("wsm (none)", weighted_sum, ref_wsm_none, _pymcdm(pm.WSM(_identity))),
    Case(
        "wsm (minmax)",
        lambda *a: weighted_sum(*a, normalisation="minmax"),
        ref_wsm_minmax,
        _pymcdm(pm.WSM(pn.minmax_normalization)),
    ),
    Case("wpm (none)", weighted_product, ref_wpm_none, _pymcdm(pm.WPM(_identity))),
    Case("topsis (vector)", topsis, ref_topsis_vector, _pymcdm(pm.TOPSIS(pn.vector_normalization))),
    Case(
        "topsis (minmax)",
        lambda *a: topsis(*a, normalisation="minmax"),
        ref_topsis_minmax,
        _pymcdm(pm.TOPSIS(pn.minmax_normalization)),
    ),
    Case("vikor (v=0.5)", vikor, ref_vikor, _pymcdm(pm.VIKOR(v=0.5))),
    Case("promethee (usual)", promethee_ii, ref_promethee_usual,
         _pymcdm(pm.PROMETHEE_II("usual")), tall=False),
    Case(
        "promethee (linear)",
        lambda *a: promethee_ii(*a, preference=_linear()),
        ref_promethee_linear,
        _pymcdm_fresh(
            lambda: pm.PROMETHEE_II("vshape_2", q=[Q_LINEAR] * CRITERIA, p=[P_LINEAR] * CRITERIA)
        ),
        tall=False,
    ),
    Case("waspas (0.5)", waspas, ref_waspas, _pymcdm(pm.WASPAS())),
    Case("copras", copras, ref_copras, _pyrepo(COPRAS())),
    Case("edas", edas, ref_edas, _pymcdm(pm.EDAS())),
    Case("mabac", mabac, ref_mabac, _pymcdm(pm.MABAC())),
    Case("spotis (0-1)", spotis, ref_spotis,
         _pymcdm(pm.SPOTIS(np.tile([0.0, 1.0], (CRITERIA, 1))))),
    Case("promethee_i phi+", _promethee_i_positive, ref_promethee_i_usual,
         _pymcdm_partial(PROMETHEE_I("usual")), tall=False),
]


#: ELECTRE III's thresholds on the 0-1 scale of the benchmark's values.
ELECTRE_Q, ELECTRE_P, ELECTRE_V = 0.02, 0.15, 0.5


def _pydecision_electre_iii() -> Any:
    """pyDecision's ELECTRE III module, loaded on its own (its package imports LLM clients at
    import time), or None when pyDecision is not installed."""
    import importlib.util

    spec = importlib.util.find_spec("pyDecision")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "algorithm" / "e_iii.py"
    module_spec = importlib.util.spec_from_file_location("pydecision_e_iii", path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def electre_section(
    p: Array, w: Array, benefit: NDArray[np.bool_], available: NDArray[np.bool_], budget: float
) -> list[str]:
    """Time ELECTRE III batched (and masked) against pyDecision's loop; the misses."""
    kwargs: dict[str, Any] = {"q": ELECTRE_Q, "p": ELECTRE_P, "v": ELECTRE_V}
    engine = best_of(lambda: electre_iii(p, w, benefit, **kwargs))
    masked = best_of(lambda: electre_iii(p, w, benefit, available, **kwargs))
    print(f"\nELECTRE III (q={ELECTRE_Q}, p={ELECTRE_P}, v={ELECTRE_V}; credibility and both "
          f"distillations): engine {engine:.3f} s, masked {masked:.3f} s")
    peer = _pydecision_electre_iii()
    if peer is None:
        print("pyDecision is not installed: no peer loop timed")
        return []
    n = p.shape[-1]
    thresholds = (np.full(n, ELECTRE_P), np.full(n, ELECTRE_Q), np.full(n, ELECTRE_V))
    oriented = np.where(benefit, p, -p)
    rates = []
    done = 0
    for _ in range(REPEATS):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < budget / REPEATS:
            k = done % len(p)
            peer.electre_iii(oriented[k], *thresholds, w[k])
            done += 1
            count += 1
        rates.append((time.perf_counter() - start) / count)
    loop = min(rates) * len(p)
    speedup = loop / engine
    ok = speedup >= SPEEDUP_TARGET
    print(f"pyDecision electre_iii loop {loop:.1f} s (extrapolated): engine {speedup:.0f}x "
          f"faster  {'ok' if ok else 'MISSED'}")
    return [] if ok else ["electre_iii"]


def best_of(function: Callable[[], object], repeats: int = REPEATS) -> float:
    """Best wall time of ``repeats`` runs after one untimed warm-up run, in seconds."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def pymcdm_loop(
    case: Case, p: Array, w: Array, types: NDArray[np.int_], budget: float, validation: bool
) -> float:
    """Seconds for pymcdm to score the whole batch one matrix at a time, extrapolated.

    The time box is split into three windows and the fastest rate counts (best of 3, as for
    the engine).
    """
    rates = []
    done = 0
    for _ in range(REPEATS):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < budget / REPEATS:
            k = done % len(p)
            case.pymcdm(p[k], w[k], types, validation)
            done += 1
            count += 1
        rates.append((time.perf_counter() - start) / count)
    return min(rates) * len(p)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=100_000, help="matrices per batch")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds per pymcdm loop")
    parser.add_argument("--big", type=int, default=1_000_000, help="options in the big matrix")
    args = parser.parse_args()

    rng = np.random.default_rng(20240601)
    p = rng.uniform(0.01, 1.0, (args.batch, OPTIONS, CRITERIA))
    w = rng.uniform(0.05, 1.0, (args.batch, CRITERIA))
    w /= w.sum(-1, keepdims=True)
    benefit = np.arange(CRITERIA) % 3 != 2
    types = np.where(benefit, 1, -1)
    available = rng.random((args.batch, OPTIONS)) < 0.9

    print(
        f"{args.batch:,} random {OPTIONS}x{CRITERIA} matrices, each with its own weights; "
        f"wall-clock seconds, best of {REPEATS}.\n"
        "masked: the engine with ~10% of options unavailable; numpy: a bare reference "
        "(no mask, no checks);\npymcdm: one call per matrix as a user calls it (input "
        "validation on, its default; the speedup target is judged on it) and, for comparison, "
        "with validation off (its fastest path);\n"
        f"{args.budget:g} s in {REPEATS} windows each, fastest rate extrapolated to the batch.\n"
    )
    header = (
        f"{'method':<20}{'engine s':>10}{'masked s':>10}{'numpy s':>10}{'eng/np':>8}"
        f"{'pymcdm s':>11}{'speedup':>9}{'lean s':>9}{'lean x':>8}  targets"
    )
    print(header)
    print("-" * len(header))
    misses = []
    for case in CASES:
        engine = best_of(lambda c=case: c.engine(p, w, benefit))
        masked = best_of(lambda c=case: c.engine(p, w, benefit, available))
        reference = best_of(lambda c=case: c.reference(p, w, benefit))
        check = np.abs(
            case.engine(p[:1000], w[:1000], benefit) - case.reference(p[:1000], w[:1000], benefit)
        ).max()
        assert check < 1e-9, f"{case.name}: engine and reference differ by {check}"
        slow = pymcdm_loop(case, p, w, types, args.budget, validation=True)
        lean = pymcdm_loop(case, p, w, types, args.budget, validation=False)
        ratio, speedup = engine / reference, slow / engine
        ok = ratio <= RATIO_TARGET and speedup >= SPEEDUP_TARGET
        if not ok:
            misses.append(case.name)
        print(
            f"{case.name:<20}{engine:>10.3f}{masked:>10.3f}{reference:>10.3f}{ratio:>8.2f}"
            f"{slow:>11.1f}{speedup:>8.0f}x{lean:>9.1f}{lean / engine:>7.0f}x"
            f"  {'ok' if ok else 'MISSED'}"
        )

    big = rng.uniform(0.01, 1.0, (args.big, CRITERIA))
    big_w = w[0]
    print(
        f"\nOne {args.big:,}x{CRITERIA} matrix (pairwise methods left out: their cost grows "
        "with the square of the options):"
    )
    for case in (c for c in CASES if c.tall):
        engine = best_of(lambda c=case: c.engine(big, big_w, benefit))
        reference = best_of(lambda c=case: c.reference(big[None], big_w[None], benefit)[0])
        check = np.abs(
            case.engine(big, big_w, benefit) - case.reference(big[None], big_w[None], benefit)[0]
        ).max()
        assert check < 1e-9, f"big {case.name}: engine and reference differ by {check}"
        ratio = engine / reference
        if ratio > RATIO_TARGET:
            misses.append(f"{case.name} tall")
        print(
            f"{case.name:<20} engine {engine:.3f} s, numpy {reference:.3f} s "
            f"(eng/np {ratio:.2f}, np/eng {reference / engine:.2f}x, "
            f"{'ok' if ratio <= RATIO_TARGET else 'MISSED'})"
        )
    misses += electre_section(p, w, benefit, available, args.budget)
    print("\nall targets met" if not misses else f"\ntargets missed: {', '.join(misses)}")


if __name__ == "__main__":
    main()
