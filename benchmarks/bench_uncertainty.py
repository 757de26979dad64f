"""Benchmark: Monte Carlo with SMAA-2 on the Belarus model, against a bare-numpy floor.

1. ``western-tilt`` at 10^5 and 10^6 samples on one worker thread: the library's
   ``monte_carlo`` beside a floor written here in bare numpy that does the same arithmetic
   once (the same RNG blocks and draws, inverse CDFs, effects, clip, weighted-sum scores,
   ranks, every SMAA-2 tally and the confidence scores, in reused buffers). Target (issue 21):
   at most 2x the floor, both timed in the same process.
2. The cost per sample of ``western-tilt`` from 10^4 to 10^7 samples (10^6 with ``--quick``):
   it should be flat.
3. Worker threads at 10^6 samples: one (the default, ``WORKERS``) against two, best of three.
4. All shipped scenarios x 100,000 samples (target < 2 s) and one scenario x 10^7 samples
   (target < 500 MB peak RSS: memory is bounded by the chunk, not the samples).

Each case runs in a fresh process so its peak memory is its own.
Run: ``.venv/bin/python benchmarks/bench_uncertainty.py [--quick] [--ratio]`` (``--ratio``:
case 1 only).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TILT = str(ROOT / "scenarios" / "western-tilt.yaml")

PREPARE = r"""
import json, resource, sys, time
from pathlib import Path
import numpy as np
import decision
from decision.core.compile import compile_scenario
from decision.load.loading import load_scenario
import decision.uncertainty.montecarlo as montecarlo

def prepare(paths, samples):
    prepared, model = [], None
    for path in paths:
        scenario, model = load_scenario(path, model)
        compiled = decision.compile_model(model)
        prepared.append((compiled, compile_scenario(compiled, scenario, samples=samples, seed=1)))
    return prepared

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

# The floor: the arithmetic of one Monte Carlo + SMAA-2 run of a scenario with exact weights
# under the weighted sum, written once in bare numpy. It knows the confidence pass's central
# weights in advance (taken from a library run), so it needs one pass over the samples.
FLOOR = r"""
from decision.uncertainty.sampling import BLOCK

def floor(compiled, inputs, candidates, central):
    n, seed = inputs.samples, inputs.seed
    o, c = compiled.judgement.shape
    oc = o * c
    w = np.asarray(inputs.weights, dtype=np.float64)
    w = w / w.sum()
    sign = np.where(compiled.benefit, 1.0, -1.0)
    cost = (~compiled.benefit).astype(np.float64)
    lo = compiled.judgement_low.reshape(-1)
    mo = compiled.judgement.reshape(-1)
    hi = compiled.judgement_high.reshape(-1)
    width = hi - lo
    assert np.all(width > 0), "the floor assumes every judgement is uncertain"
    tile = lambda a: np.ascontiguousarray(np.broadcast_to(a, (BLOCK, oc)))  # noqa: E731
    split, left, right = tile((mo - lo) / width), tile(width * (mo - lo)), tile(width * (hi - mo))
    lo, hi = tile(lo), tile(hi)
    # the first pass's weights, then each distinct central weight vector of the candidates
    distinct, column_of = np.unique(central[candidates], axis=0, return_inverse=True)
    stacked = np.concatenate([w[None, :], distinct])
    weights = stacked * sign  # (1 + distinct, c): scores are perf @ (w sign) + w . cost
    constant = (stacked * cost).sum(axis=1)
    uncertain = sorted(inputs.settings.items())
    names = list(compiled.indicators)
    chances = compiled.likelihoods
    if chances is not None:
        assert np.all(chances.high > chances.low), "the floor assumes every likelihood ranges"
        assert np.all(np.isnan(chances.failure)), "the floor fails to the reference option"
        l_width = chances.high - chances.low
        l_split = (chances.value - chances.low) / l_width
    B = BLOCK
    u = np.empty((B, oc)); t = np.empty((B, oc)); d = np.empty((B, oc))
    mask = np.empty((B, oc), dtype=np.int64)
    column = np.empty(B)
    values = np.empty((B, len(names)))
    flat_scores = np.empty((B * o, len(weights)))
    rank_counts = np.zeros((o, o), dtype=np.int64)
    pairwise = np.zeros((o, o), dtype=np.int64)
    weight_sums = np.zeros((o, c), dtype=np.int64)
    confidence = np.zeros(o, dtype=np.int64)
    q = np.rint(w * 2.0**40).astype(np.int64)
    cells = np.arange(o) * o
    for block in range(-(-n // B)):
        m = min(B, n - block * B)
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))
        values[:] = inputs.values
        for k, s in uncertain:
            if s.dist == "uniform":
                values[:, k] = s.low + (s.high - s.low) * rng.random(B)
            elif s.dist == "bernoulli":
                values[:, k] = rng.random(B) < s.p
            elif s.dist == "triangular":
                x = rng.random(B)
                a, wd = s.low, s.high - s.low
                sp = (s.mode - a) / wd
                left_, right_ = x * (wd * (s.mode - a)), (1 - x) * (wd * (s.high - s.mode))
                r = np.sqrt(np.where(x < sp, left_, right_))
                values[:, k] = np.where(x < sp, a + r, s.high - r)
            elif s.dist == "pert":
                wd = s.high - s.low
                al = 1 + s.shape * (s.mode - s.low) / wd
                be = 1 + s.shape * (s.high - s.mode) / wd
                values[:, k] = s.low + wd * rng.beta(al, be, B)
            else:
                raise SystemExit(f"the floor does not draw {s.dist}")
        rng.random(out=u)
        # triangular inverse CDF, one square root per draw, branches chosen by bit masks
        ui, ti, di = u.view(np.int64), t.view(np.int64), d.view(np.int64)
        np.subtract(u, split, out=d)
        np.right_shift(di, 63, out=mask)
        np.subtract(1.0, u, out=t)
        t *= right
        u *= left
        np.bitwise_xor(ti, ui, out=di)
        di &= mask
        ti ^= di
        np.sqrt(t, out=t)
        np.add(lo, t, out=u)
        np.subtract(hi, t, out=t)
        np.bitwise_xor(ui, ti, out=di)
        di &= mask
        ti ^= di  # t: low + root on the left of the mode, high - root on the right
        perf = t
        for k, rows, coefficients in compiled.effect_columns:
            step = values[:, k] - compiled.baseline[k]
            for j, a in zip(rows.tolist(), coefficients.tolist()):
                np.multiply(step, a, out=column)
                np.add(perf[:, j], column, out=perf[:, j])
        np.clip(perf, 0.0, 1.0, out=perf)
        if chances is not None:
            # success likelihoods, drawn after the judgements (and the exact weights, which
            # take no draw): triangular around the value, moved by their effects, clipped;
            # then p * success + (1 - p) * the reference option's performance
            x = rng.random((B, chances.options.size))
            left_ = x * (l_width * (chances.value - chances.low))
            right_ = (1.0 - x) * (l_width * (chances.high - chances.value))
            on_left = x < l_split
            root = np.sqrt(np.where(on_left, left_, right_))
            p = np.where(on_left, chances.low + root, chances.high - root)
            for k, rows, coefficients in chances.effect_columns:
                p[:, rows] += (values[:, k] - compiled.baseline[k])[:, None] * coefficients
            np.clip(p, 0.0, 1.0, out=p)
            success = perf.reshape(B, o, c)
            failure = success[:, compiled.reference, None, :]
            mixed = p[..., None] * success[:, chances.options] + (1.0 - p[..., None]) * failure
            success[:, chances.options] = np.clip(mixed, 0.0, 1.0)
        columns = {name: values[:, i] for i, name in enumerate(names)}
        available = np.ones((B, o), dtype=bool)
        for pre in compiled.preconditions:
            available[:, pre.option] &= pre.expression.evaluate(columns)
        np.matmul(perf.reshape(B * o, c), weights.T, out=flat_scores)
        flat_scores += constant
        scores = flat_scores.reshape(B, o, -1)
        np.copyto(scores, -np.inf, where=~available[:, :, None])
        first_scores, avail = scores[:m, :, 0], available[:m]
        order = np.argsort(-first_scores, axis=1, kind="stable")
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.arange(o), axis=1)
        rank_counts += np.bincount((cells + ranks).ravel(), minlength=o * o).reshape(o, o)
        small = ranks.astype(np.int8)
        above = (small[:, :, None] < small[:, None, :]).reshape(m, o * o).view(np.uint8)
        pairwise += above.sum(axis=0, dtype=np.int64).reshape(o, o)
        np.add.at(weight_sums, order[:, 0], q)
        for j, option in enumerate(candidates):
            best = np.argmax(scores[:m, :, 1 + column_of[j]], axis=1)
            confidence[option] += np.count_nonzero((best == option) & avail[:, option])
    return rank_counts, confidence
"""

RATIO = PREPARE + FLOOR + r"""
montecarlo.WORKERS = 1
samples = json.loads(sys.argv[2])
out = []
for n in samples:
    [(compiled, inputs)] = prepare([sys.argv[1]], n)
    montecarlo.monte_carlo(compiled, inputs)  # warm up (and the floor's central weights)
    best_lib, best_floor = float("inf"), float("inf")
    for _ in range(3):
        start = time.perf_counter()
        summary = montecarlo.monte_carlo(compiled, inputs)
        best_lib = min(best_lib, time.perf_counter() - start)
        smaa = summary.smaa
        candidates = np.flatnonzero(smaa.ever_first)
        start = time.perf_counter()
        counts, confidence = floor(compiled, inputs, candidates, np.asarray(smaa.central_weights))
        best_floor = min(best_floor, time.perf_counter() - start)
    agree = float(np.abs(counts / n - smaa.rank_acceptability).max())
    out.append({"samples": n, "library": best_lib, "floor": best_floor, "agree": agree})
print(json.dumps(out))
"""

PER_SAMPLE = PREPARE + r"""
montecarlo.WORKERS = int(sys.argv[3])
[(compiled, inputs)] = prepare([sys.argv[1]], int(sys.argv[2]))
montecarlo.monte_carlo(compiled, prepare([sys.argv[1]], 10_000)[0][1])  # warm up
times = []
for _ in range(int(sys.argv[4])):
    start = time.perf_counter()
    montecarlo.monte_carlo(compiled, inputs)
    times.append(time.perf_counter() - start)
print(json.dumps({"seconds": min(times), "peak_mb": peak_mb()}))
"""

ALL = PREPARE + r"""
prepared = prepare(json.loads(sys.argv[1]), int(sys.argv[2]))
start = time.perf_counter()
for compiled, inputs in prepared:
    summary = montecarlo.monte_carlo(compiled, inputs)
    assert summary.smaa.confidence_factors is not None
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": peak_mb()}))
"""


def run(script: str, *args: str) -> object:
    out = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    quick = "--quick" in sys.argv
    ratios = run(RATIO, TILT, json.dumps([100_000, 1_000_000]))
    assert isinstance(ratios, list)
    print("1. western-tilt, one worker: library against the bare-numpy floor (best of 3)")
    print(f"{'samples':>12} {'library s':>10} {'floor s':>9} {'ratio':>6}  target <= 2")
    for row in ratios:
        ratio = row["library"] / row["floor"]
        print(f"{row['samples']:>12,} {row['library']:10.3f} {row['floor']:9.3f} {ratio:6.2f}")
    print(f"   (largest gap in rank acceptability, floor vs library: {row['agree']:.1e})")
    if "--ratio" in sys.argv:
        return

    print("2. western-tilt, one worker: cost per sample")
    print(f"{'samples':>12} {'seconds':>9} {'us/sample':>10} {'peak MB':>8}")
    for n in [10_000, 100_000, 1_000_000] + ([] if quick else [10_000_000]):
        row = run(PER_SAMPLE, TILT, str(n), "1", "3" if n <= 1_000_000 else "1")
        assert isinstance(row, dict)
        us = row["seconds"] / n * 1e6
        print(f"{n:>12,} {row['seconds']:9.3f} {us:10.2f} {row['peak_mb']:8.0f}")

    print("3. western-tilt x 1,000,000: worker threads (best of 3)")
    one = run(PER_SAMPLE, TILT, "1000000", "1", "3")
    two = run(PER_SAMPLE, TILT, "1000000", "2", "3")
    assert isinstance(one, dict) and isinstance(two, dict)
    print(f"   1 worker {one['seconds']:.3f} s, 2 workers {two['seconds']:.3f} s: "
          f"speed-up {one['seconds'] / two['seconds']:.2f}x (target >= 1.6x)")

    scenarios = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
    many, huge = 100_000, 1_000_000 if quick else 10_000_000
    all_case = run(ALL, json.dumps(scenarios), str(many))
    one_case = run(ALL, json.dumps([TILT]), str(huge))
    assert isinstance(all_case, dict) and isinstance(one_case, dict)
    print("4. default workers")
    print(f"{'case':<48} {'wall s':>8} {'peak MB':>9}  target")
    print(
        f"{f'{len(scenarios)} scenarios x {many:,} samples, SMAA-2':<48} "
        f"{all_case['seconds']:8.2f} {all_case['peak_mb']:9.0f}  < 2 s"
    )
    print(
        f"{f'1 scenario x {huge:,} samples, SMAA-2':<48} "
        f"{one_case['seconds']:8.2f} {one_case['peak_mb']:9.0f}  < 500 MB"
    )


if __name__ == "__main__":
    main()
